"""numba's on-disk cache of the fused kernel (``kernel.py``), and the cache built at install.

numba itself keys a cached function on its file's time stamp only, so an edited scalar rule would
load a stale kernel: ``install_locators`` keys it on a hash of the kernels (``kernel.py``,
``lanes.py``, ``kernel_rules.py``), the scalar rules and the generator instead, in numba's own
order of places (``NUMBA_CACHE_DIR``, the package's ``__pycache__``, the user's cache directory;
none writable: no cache).

A fresh install has an empty cache, and compiling costs ~12 s of CPU. So ``hatch_build.py`` runs
``build_cache`` while the wheel is built (``pip install`` builds it on the installing machine) and
ships the files in ``alliance/model/_kernel_cache``; ``seed_from_shipped`` copies them into an
empty numba cache directory at import, after checking numba's version and the source stamp
(numba checks the CPU when it loads). Where nothing matches, the first call compiles, once.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

SHIPPED = Path(os.environ.get("ALLIANCE_KERNEL_CACHE") or Path(__file__).with_name("_kernel_cache"))
"""The install-time cache (``ALLIANCE_KERNEL_CACHE`` names another folder; an empty one: none)."""


def source_stamp(files: Sequence[Path]) -> str:
    """What the compiled kernel depends on: a hash of its source files."""
    return hashlib.sha256(b"".join(Path(f).read_bytes() for f in files)).hexdigest()


def install_locators(module_files: Sequence[Path], files: Sequence[Path]) -> bool:
    """Key numba's cache of the functions defined in ``module_files`` on ``source_stamp(files)``.
    Returns False where numba's internals differ (then nothing is cached)."""
    try:
        from numba.core import caching
        stamp = source_stamp(files)
        here = {Path(f).resolve() for f in module_files}

        def named(name: str) -> Any:  # public names in numba ≥ 0.59, underscored before
            return getattr(caching, name, None) or getattr(caching, "_" + name)

        bases = [named(n) for n in ("UserProvidedCacheLocator", "InTreeCacheLocator", "UserWideCacheLocator")]
        mine = []
        for base in bases:
            def from_function(cls: Any, py_func: Any, py_file: str, _base: Any = base) -> Any:
                if Path(py_file).resolve() not in here:
                    return None
                return _base.from_function.__func__(cls, py_func, py_file)
            mine.append(type(f"Alliance{base.__name__}", (base,), {
                "get_source_stamp": lambda self: stamp, "from_function": classmethod(from_function)}))
        named("CacheImpl")._locator_classes[:0] = mine
        return True
    except Exception:  # pragma: no cover - numba internals changed
        return False


def seed_from_shipped(dispatcher: Any, shipped: Path = SHIPPED) -> bool:
    """Give numba's (empty) cache directory of ``dispatcher`` the index and data files built at
    install, so the first call loads instead of compiling. Returns whether files were copied."""
    try:
        cache_file = dispatcher._cache._cache_file
        index = Path(cache_file._index_path)
        if index.exists() or not (shipped / index.name).exists():
            return False
        with open(shipped / index.name, "rb") as f:  # numba's index: its version, then (stamp, overloads)
            if pickle.load(f) != cache_file._version:
                return False
            stamp, overloads = pickle.loads(f.read())
        names = [index.name, *overloads.values()]
        if stamp != cache_file._source_stamp or not all((shipped / n).is_file() for n in names):
            return False
        index.parent.mkdir(parents=True, exist_ok=True)
        for name in reversed(names):  # the index last: a reader never sees it without its data
            tmp = index.parent / f".{name}.{os.getpid()}.tmp"
            tmp.write_bytes((shipped / name).read_bytes())
            os.replace(tmp, index.parent / name)
        return True
    except Exception:  # unreadable, or numba's internals differ, or nothing writable: compile as usual
        return False


def build_cache(dispatcher: Any, warm: Callable[[], Any], out: str | Path) -> list[Path]:
    """Call ``warm`` (which compiles or loads ``dispatcher``) and copy the dispatcher's cache files
    for this interpreter into ``out``, replacing older ones. Returns the files written."""
    warm()
    index = Path(dispatcher._cache._cache_file._index_path)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stem = index.name.removesuffix(".nbi")
    function, tag = stem.split("-")[0], stem.rsplit(".", 1)[1]  # "lanes.month", "py311"
    for old in out.glob(f"{function}-*.{tag}.*"):  # this interpreter's files only (3.11 and 3.12 share it)
        old.unlink()
    written = []
    for src in sorted(index.parent.glob(f"{stem}.*")):
        if src.suffix in (".nbi", ".nbc"):
            (out / src.name).write_bytes(src.read_bytes())
            written.append(out / src.name)
    return written
