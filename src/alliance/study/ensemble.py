"""Many ensembles at once, through the executor layer.

Each ensemble is one ``alliance.model.ensemble.run_ensemble`` call (the one place that builds
and runs the model). ``map_ensembles`` runs many such ensembles through the executor layer (``executors.py``):
in-process, local worker processes or a Dask cluster, returning the results in task order, so a
tipping map or a sensitivity study can run on a cluster like a batch study.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from alliance.study.executors import make_executor

T = TypeVar("T")


def _numbered(task: tuple[int, Callable[..., Any], tuple[Any, ...]]) -> tuple[int, Any]:
    i, fn, args = task
    return i, fn(*args)


def map_ensembles(
    fn: Callable[..., T],
    tasks: Iterable[tuple[Any, ...]],
    *,
    workers: int | None = None,
    scheduler: Any = None,
    dask_local: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[T]:
    """``[fn(*args) for args in tasks]`` through the executor layer, results in task order.

    Args:
        fn: a module-level (picklable) function that runs ensembles (usually via ``run_ensemble``).
        tasks: argument tuples, one per call.
        workers: local worker processes (None or 1: in-process).
        scheduler: a Dask scheduler address or ``distributed.Client``.
        dask_local: start a local Dask cluster with this many workers.
        progress: called with (tasks done, tasks in all) after each task.
    """
    numbered = [(i, fn, tuple(args)) for i, args in enumerate(tasks)]
    if not numbered:
        return []
    executor = make_executor(workers if len(numbered) > 1 else None, scheduler, dask_local,
                             start_method="forkserver", preload=(fn.__module__,))
    out: dict[int, T] = {}
    try:
        for i, value in executor.imap_unordered(_numbered, numbered):
            out[i] = value
            if progress is not None:
                progress(len(out), len(numbered))
    finally:
        executor.close()
    return [out[i] for i in range(len(numbered))]


__all__ = ["map_ensembles"]
