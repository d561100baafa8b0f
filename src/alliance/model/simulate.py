"""Run a scenario to its horizon and return tidy DataFrames: the model as a function."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .ensemble import run_ensemble
from .scenario import Scenario
from .scenario_files import load_scenario


@dataclass(frozen=True)
class Results:
    """One ensemble's results: per replication-month trajectories and per replication summaries."""

    scenario: Scenario
    seed: int
    trajectories: pd.DataFrame
    summary: pd.DataFrame


def simulate(
    scenario: Scenario | str | Path,
    replications: int | None = None,
    seed: int | None = None,
    months: int | None = None,
    replication_ids: np.ndarray | list[int] | None = None,
    params: Mapping[str, Any] | None = None,
) -> Results:
    """Run the whole ensemble as one model (``ensemble.run_ensemble``) and return its DataFrames."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    seed_value, traj, summ = run_ensemble(
        sc, lambda model: (model.seed_value, model.trajectories(), model.summary()),
        replications=replications, seed=seed, months=months, replication_ids=replication_ids,
        params=params, collect=None)
    return Results(sc, seed_value, traj, summ)
