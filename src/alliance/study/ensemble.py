"""The one ensemble runner: every caller that runs the model many times goes through here.

``run_ensemble`` builds ONE vectorised ``AllianceModel`` over a set of runs (replication ids and,
optionally, per-run parameter values), runs it, hands the finished model to ``reduce`` (which
takes what the caller needs: arrays, a summary, a measure) and frees the model. Studies
(``chunks.run_chunk``), tipping maps and sensitivity (``analysis.tipping``), hindcasts
(``analysis.validate``) and the app (``app.state``) all call it, so a run is the same function of
(scenario, parameters, seed, replication) for every caller.

``map_ensembles`` runs many such ensembles through the executor layer (``executors.py``):
in-process, local worker processes or a Dask cluster, returning the results in task order, so a
tipping map or a sensitivity study can run on a cluster like a batch study.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np

from alliance.model.model import AllianceModel
from alliance.model.scenario import Scenario
from alliance.study.executors import make_executor

T = TypeVar("T")


def run_ensemble(
    scenario: Scenario,
    reduce: Callable[[AllianceModel], T],
    *,
    seed: int | None = None,
    replications: int | None = None,
    replication_ids: np.ndarray | Sequence[int] | None = None,
    params: Mapping[str, Any] | None = None,
    months: int | None = None,
    collect: bool = False,
) -> T:
    """Run one vectorised ensemble and return ``reduce(model)``; the model is freed afterwards.

    Args:
        scenario: the validated scenario.
        reduce: takes the finished model, returns what the caller keeps (copy arrays out: the
            model's record is released when ``reduce`` returns).
        seed: the model seed (default: the scenario's).
        replications: number of replications 0 … n−1 (default: the scenario's), unless
            ``replication_ids`` gives them.
        replication_ids: the replication index of each run (common random numbers across calls).
        params: per-run (array) or shared (scalar) parameter values overriding the scenario's.
        months: horizon (default: the scenario's).
        collect: also collect Mesa's DataCollector tables (slower; for ``simulate``-style use).
    """
    model = AllianceModel(scenario, replications=replications, seed=seed, months=months,
                          replication_ids=replication_ids, params=params, collect=collect)
    try:
        model.run()
        return reduce(model)
    finally:
        model.release()


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


__all__ = ["map_ensembles", "run_ensemble"]
