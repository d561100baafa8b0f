"""Run a scenario to its horizon and return tidy DataFrames: the model as a function."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .columns import column_dictionary
from .ensemble import run_ensemble
from .scenario import Scenario
from .scenario_files import load_scenario


@dataclass(frozen=True, repr=False)
class Results:
    """One ensemble's results: per replication-month trajectories and per replication summaries.

    Both tables start with ``run_id`` and ``scenario`` (categorical), as a stored study's tables
    do, so every chart and table function takes either. One scenario with nothing sampled is a
    study of one sample, whose run ids are the replication indices: a replayed replication keeps
    its run id, and chunks of an ensemble concatenate to the whole.

    Attributes:
        scenario: the validated scenario that ran.
        seed: the seed used.
        trajectories: run_id, scenario, replication, month and every trajectory outcome.
        summary: run_id, scenario, replication and every summary outcome.
    """

    scenario: Scenario
    seed: int
    trajectories: pd.DataFrame
    summary: pd.DataFrame

    @property
    def columns(self) -> dict[str, dict[str, Any]]:
        """Label, unit, range, codes and description of every column of both tables."""
        return column_dictionary([*self.trajectories.columns, *self.summary.columns])

    def _shape(self) -> tuple[int, int]:
        months = int(self.trajectories["month"].max()) if len(self.trajectories) else 0
        return len(self.summary), months

    def __repr__(self) -> str:
        runs, months = self._shape()
        return (f"Results(scenario={self.scenario.name!r}, seed={self.seed}, replications={runs}, "
                f"months={months}, trajectories={len(self.trajectories)}×{self.trajectories.shape[1]}, "
                f"summary={len(self.summary)}×{self.summary.shape[1]})")

    def _repr_html_(self) -> str:
        runs, months = self._shape()
        s = self.summary
        rows = [("replications", f"{runs:,}"), ("months", str(months)), ("seed", str(self.seed))]
        if runs:
            rows += [("sanctions at any time", f"{s['sanctions_ever'].mean():.1%}"),
                     ("armed pressure at any time", f"{s['military_ever'].mean():.1%}"),
                     ("mean final alignment", f"{s['final_alignment'].mean():+.3f}")]
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                       for k, v in rows)
        return (f"<div><strong>Results</strong> of <code>{html.escape(self.scenario.name)}</code>: "
                f"{html.escape(self.scenario.description)}<table>{body}</table>"
                f"<small>.trajectories ({len(self.trajectories):,} rows), .summary ({len(s):,} rows), "
                ".columns (what each column means)</small></div>")


def _keyed(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """``df`` with ``run_id`` (= replication) and ``scenario`` in front, like a stored study's tables."""
    df.insert(0, "scenario", pd.Categorical.from_codes(np.zeros(len(df), dtype=np.int8), categories=[name]))
    df.insert(0, "run_id", df["replication"].to_numpy(dtype=np.int64))
    return df


def simulate(
    scenario: Scenario | str | Path,
    replications: int | None = None,
    seed: int | None = None,
    months: int | None = None,
    replication_ids: np.ndarray | list[int] | None = None,
    params: Mapping[str, Any] | None = None,
) -> Results:
    """Run the whole ensemble as one model (``ensemble.run_ensemble``) and return its DataFrames.

    Args:
        scenario: a ``Scenario``, a shipped scenario's name or a YAML file.
        replications: number of replications R (default: the scenario's).
        seed: seed (default: the scenario's).
        months: horizon (default: the scenario's ``horizon_months``).
        replication_ids: run exactly these replication indices (replay, common random numbers).
        params: dotted parameter name → value (scalar, or one per replication) on top of the
            scenario; check a design first with ``alliance.model.check_params``.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    seed_value, traj, summ = run_ensemble(
        sc, lambda model: (model.seed_value, model.trajectories(), model.summary()),
        replications=replications, seed=seed, months=months, replication_ids=replication_ids,
        params=params, collect=None)
    return Results(sc, seed_value, _keyed(traj, sc.name), _keyed(summ, sc.name))
