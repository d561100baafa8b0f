"""The one place that builds, runs and frees an ``AllianceModel`` ensemble.

``run_ensemble`` builds ONE vectorised model over a set of runs (replication ids and, optionally,
per-run parameter values), runs it, hands the finished model to ``reduce`` (which takes what the
caller needs: arrays, a summary, a measure) and frees the model's record. ``simulate``, study
chunks (``alliance.study.chunks``), tipping maps and sensitivity (``alliance.analysis.tipping``),
hindcasts (``alliance.analysis.validate``) and the app (``alliance.app.state``) all call it, so a
run is the same function of (scenario, parameters, seed, replication) for every caller. It lives
in the model layer because ``simulate`` does; spreading many ensembles over processes or a Dask
cluster is ``alliance.study.ensemble.map_ensembles``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import numpy as np

from .memory import check_memory
from .model import AllianceModel
from .scenario import Scenario

T = TypeVar("T")


def run_ensemble(
    scenario: Scenario,
    reduce: Callable[[AllianceModel], T],
    *,
    seed: int | None = None,
    replications: int | None = None,
    replication_ids: np.ndarray | list[int] | None = None,
    params: Mapping[str, Any] | None = None,
    months: int | None = None,
    collect: bool | None = False,
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
        collect: also keep Mesa's DataCollector of ensemble means (None: the model's default,
            on for up to 1,000 replications; ``simulate`` uses that).

    Raises ``UserError`` before building anything when the ensemble would not fit in memory
    (``memory.check_memory``).
    """
    n = len(replication_ids) if replication_ids is not None else (
        replications if replications is not None else scenario.replications)
    check_memory(n, months if months is not None else scenario.horizon_months, scenario.name)
    model = AllianceModel(scenario, replications=replications, seed=seed, months=months,
                          replication_ids=replication_ids, params=params, collect=collect)
    try:
        model.run()
        return reduce(model)
    finally:
        model.release()


__all__ = ["run_ensemble"]
