"""One shared check for every metamorphic relation: a grid, common random numbers, paired errors.

A relation says how an outcome must move when one input moves (more exposure → less sensitive
cooperation, …). ``relation`` runs the model at every point of a grid of at least 7 values with the
same seed and replication indices (common random numbers: replication r draws the same numbers at
every point), measures one value per replication, and compares adjacent points replication by
replication. It fails when

- an adjacent step moves the wrong way by more than ``SE_LIMIT`` paired standard errors, or
- one step carries more than ``STEP_SHARE_LIMIT`` of the whole effect (a jump, not a response),
  judged whenever the whole effect is itself larger than ``SE_LIMIT`` paired standard errors;
- for a strict relation (↑ or ↓, not "not ↓"), the whole effect is not that large in the stated
  direction.

Grids are stated in the tests, from the parameter's range; nothing here knows a scenario.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from alliance.model import AllianceModel, Scenario, load_scenario

SE_LIMIT = 3.0
STEP_SHARE_LIMIT = 0.40
MIN_POINTS = 7
MIN_REPLICATIONS = 1000

Measure = Callable[[AllianceModel], np.ndarray]


@dataclass
class Relation:
    """The measured grid: per-point means, adjacent paired steps and their standard errors."""

    name: str
    grid: list[float]
    means: np.ndarray
    steps: np.ndarray
    step_se: np.ndarray
    total: float
    total_se: float
    direction: int

    def table(self) -> str:
        rows = [f"{self.name}: total {self.total:+.4f} (SE {self.total_se:.4f})"]
        for i, x in enumerate(self.grid):
            step = "" if i == 0 else f"  step {self.steps[i - 1]:+.4f} (SE {self.step_se[i - 1]:.4f})"
            rows.append(f"  {x:8.4g}: {self.means[i]:.4f}{step}")
        return "\n".join(rows)


def run_grid(scenario: str | Scenario, grid: Sequence[float], measure: Measure, *,
             params: Callable[[float], dict[str, float]] | None = None,
             build: Callable[[float], Scenario] | None = None,
             replications: int = MIN_REPLICATIONS, months: int | None = None,
             seed: int | None = None) -> np.ndarray:
    """(points, R) measurements, one model per grid point, common random numbers throughout."""
    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    rows = []
    for x in grid:
        sc = build(x) if build is not None else base
        m = AllianceModel(sc, replications=replications, seed=seed if seed is not None else base.seed,
                          months=months, params=params(x) if params is not None else None,
                          collect=False).run()
        rows.append(np.asarray(measure(m), dtype=np.float64))
        m.release()
    return np.array(rows)


def relation(name: str, grid: Sequence[float], values: np.ndarray, direction: int, *,
             strict: bool = True) -> Relation:
    """Check one relation on measured ``values`` (points, R); raises AssertionError with the table."""
    if len(grid) < MIN_POINTS:
        raise AssertionError(f"{name}: a grid needs at least {MIN_POINTS} points, got {len(grid)}")
    if values.shape[1] < MIN_REPLICATIONS:
        raise AssertionError(f"{name}: needs at least {MIN_REPLICATIONS} replications")
    r = values.shape[1]
    diffs = np.diff(values, axis=0)
    steps = diffs.mean(axis=1)
    se = diffs.std(axis=1, ddof=1) / np.sqrt(r)
    whole = values[-1] - values[0]
    total, total_se = float(whole.mean()), float(whole.std(ddof=1) / np.sqrt(r))
    rel = Relation(name, list(map(float, grid)), values.mean(axis=1), steps, se, total, total_se, direction)
    wrong = direction * steps < -(SE_LIMIT * se + 1e-12)
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        raise AssertionError(f"{name}: wrong-way step from {grid[i]} to {grid[i + 1]}\n{rel.table()}")
    significant = direction * total > SE_LIMIT * total_se + 1e-12
    if strict and not significant:
        raise AssertionError(f"{name}: no effect in the stated direction\n{rel.table()}")
    if significant:
        share = direction * steps / (direction * total)
        if share.max() > STEP_SHARE_LIMIT:
            i = int(share.argmax())
            raise AssertionError(f"{name}: the step from {grid[i]} to {grid[i + 1]} carries "
                                 f"{share.max():.0%} of the whole effect\n{rel.table()}")
    return rel


# ------------------------------------------------------------------ measures
def time_mean(outcome: str) -> Measure:
    """Mean of a trajectory outcome over months 1…H, per replication."""
    return lambda m: m.outcome(outcome)[1:].astype(np.float64).mean(axis=0)


def final(outcome: str) -> Measure:
    return lambda m: m.outcome(outcome)[-1].astype(np.float64)


def ever(outcome: str) -> Measure:
    """1 if a 0/1 outcome was on in any month 1…H."""
    return lambda m: (m.outcome(outcome)[1:] > 0.5).any(axis=0).astype(np.float64)
