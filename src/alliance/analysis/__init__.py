"""Everything that runs, stores, compares and shows results. Talks to the model through data.

``run_batch`` and ``load_results`` are importable from here (``from alliance.analysis import
run_batch, load_results``); they load lazily so that importing the package stays cheap.
"""

from typing import Any

_LAZY = {"run_batch": "batch", "load_results": "store", "Study": "store", "sample": "sampling",
         "problem": "sampling"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
