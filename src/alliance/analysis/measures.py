"""Outcome measures the analysis commands accept: declared outcomes and derived binary ones.

A *measure* turns each run into one number: a declared summary outcome (``sanctions_ever``,
``final_alignment`` …), the last value of a trajectory outcome (``threat`` → value at the horizon),
or a derived indicator:

- ``X_by:N`` — the 0/1 trajectory outcome X (``sanctions``, ``military``, ``red_line_violation``,
  ``inducement``) switched on at any month 1 … N (``sanctions_by:24`` = sanctions within 24 months);
- ``NAME>=V``, ``NAME>V``, ``NAME<=V``, ``NAME<V`` — 1 where the per-run value passes the test
  (``final_alignment>0``, ``max_escalation>=2``).

Binary measures are averaged into probabilities; the others into means. Unknown names raise
``UserError`` listing the known ones (exit code 2 in the CLI).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.errors import UserError
from alliance.model.outcomes import OUTCOMES, SUMMARY_OUTCOMES, TRAJECTORY_OUTCOMES
from alliance.model.parameters import RUNGS
from alliance.model.scenario import MAX_HORIZON

TrajectoryGetter = Callable[[str], np.ndarray]
"""Returns a trajectory outcome as an array (runs, months + 1), rows aligned with the summary."""

_BY_SOURCES = {
    "sanctions": ("sanctions", 0.5),
    "military": ("escalation", RUNGS.index("military") - 0.5),
    "red_line": ("red_line_violation", 0.5),
    "red_line_violation": ("red_line_violation", 0.5),
    "inducement": ("inducement", 0.5),
    "diplomatic": ("escalation", RUNGS.index("diplomatic") - 0.5),
}
_BY_RE = re.compile(r"^(?P<src>[a-z_]+)_by:(?P<n>\d+)$")
_CMP_RE = re.compile(r"^(?P<name>[a-z_]+)\s*(?P<op>>=|<=|>|<)\s*(?P<v>[-+0-9.eE]+)$")
_OPS: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
    ">=": np.greater_equal, ">": np.greater, "<=": np.less_equal, "<": np.less,
}


@dataclass(frozen=True)
class Measure:
    """One per-run number derived from a run's outcomes.

    Attributes:
        spec: the text the user gave (``sanctions_by:24``).
        label: human label for tables and chart titles.
        unit: unit of the per-run value ("0/1" for binary measures).
        binary: whether the per-run value is 0/1 (its mean is a probability).
        trajectory: name of the trajectory outcome needed, or None if the summary suffices.
    """

    spec: str
    label: str
    unit: str
    binary: bool
    trajectory: str | None
    _fn: Callable[[pd.DataFrame, TrajectoryGetter | None], np.ndarray]

    @property
    def title(self) -> str:
        """Axis title: 'P(label)' for binary measures, else 'label (unit)'."""
        if self.binary:
            return f"P({self.label[:1].lower()}{self.label[1:]})"
        return f"{self.label} ({self.unit})"

    def evaluate(self, summary: pd.DataFrame, trajectory: TrajectoryGetter | None = None) -> np.ndarray:
        """Per-run values (float, NaN where undefined), in the summary's row order."""
        if self.trajectory is not None and trajectory is None:
            raise UserError(f"outcome {self.spec!r} needs the trajectory {self.trajectory!r}")
        return np.asarray(self._fn(summary, trajectory), dtype=np.float64)


def known_measures() -> str:
    """Help text listing the accepted outcome names and forms."""
    return (f"summary outcomes: {', '.join(SUMMARY_OUTCOMES)}; trajectory outcomes (value at the "
            f"horizon): {', '.join(TRAJECTORY_OUTCOMES)}; derived: X_by:N with X in "
            f"{', '.join(sorted(_BY_SOURCES))} (e.g. sanctions_by:24), or NAME>=V / NAME<V (e.g. "
            f"'final_alignment>0')")


def _need(traj: TrajectoryGetter | None, name: str) -> np.ndarray:
    if traj is None:
        raise UserError(f"this outcome needs the trajectory {name!r}")
    return traj(name)


def _summary_col(name: str) -> Callable[[pd.DataFrame, TrajectoryGetter | None], np.ndarray]:
    def fn(summary: pd.DataFrame, _traj: TrajectoryGetter | None) -> np.ndarray:
        return summary[name].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)

    return fn


def _final(name: str) -> Callable[[pd.DataFrame, TrajectoryGetter | None], np.ndarray]:
    def fn(_summary: pd.DataFrame, traj: TrajectoryGetter | None) -> np.ndarray:
        return _need(traj, name)[:, -1]

    return fn


def parse_measure(spec: str) -> Measure:
    """Parse an ``--outcome`` value into a Measure; ``UserError`` naming the known forms if unknown."""
    text = spec.strip()
    if text in SUMMARY_OUTCOMES:
        o = SUMMARY_OUTCOMES[text]
        binary = o.unit == "0/1"
        return Measure(text, o.label, o.unit, binary, None, _summary_col(text))
    if text in TRAJECTORY_OUTCOMES:
        o = TRAJECTORY_OUTCOMES[text]
        return Measure(text, f"{o.label} at the horizon", o.unit, o.unit == "0/1", text, _final(text))
    m = _BY_RE.match(text)
    if m:
        src, n = m["src"], int(m["n"]) if len(m["n"]) <= 6 else MAX_HORIZON + 1
        if src not in _BY_SOURCES:
            raise UserError(f"unknown outcome {spec!r}: X_by:N needs X in {', '.join(sorted(_BY_SOURCES))}")
        if not 1 <= n <= MAX_HORIZON:
            raise UserError(f"outcome {spec!r}: N must be 1 to {MAX_HORIZON} months (the longest horizon)")
        column, cut = _BY_SOURCES[src]
        label = f"{src.replace('_', ' ')} within {n} months"
        if src == "sanctions":
            def by_summary(summary: pd.DataFrame, _t: TrajectoryGetter | None) -> np.ndarray:
                first = summary["first_sanctions_month"].astype("Float64").to_numpy(
                    dtype=np.float64, na_value=np.inf)
                return (first <= n).astype(np.float64)

            return Measure(text, label, "0/1", True, None, by_summary)

        def by_traj(_summary: pd.DataFrame, traj: TrajectoryGetter | None) -> np.ndarray:
            arr = _need(traj, column)
            return (arr[:, 1: n + 1] > cut).any(axis=1).astype(np.float64)

        return Measure(text, label, "0/1", True, column, by_traj)
    m = _CMP_RE.match(text)
    if m:
        base = parse_measure(m["name"]) if m["name"] in OUTCOMES else None
        if base is None:
            raise UserError(f"unknown outcome {m['name']!r} in {spec!r}; {known_measures()}")
        try:
            value = float(m["v"])
        except ValueError:
            raise UserError(f"outcome {spec!r}: {m['v']!r} is not a number") from None
        op = _OPS[m["op"]]

        def compare(summary: pd.DataFrame, traj: TrajectoryGetter | None) -> np.ndarray:
            v = base._fn(summary, traj)
            out = op(np.nan_to_num(v, nan=-np.inf if m["op"] in (">", ">=") else np.inf), value)
            return out.astype(np.float64)

        return Measure(text, f"{base.label} {m['op']} {value:g}", "0/1", True, base.trajectory, compare)
    raise UserError(f"unknown outcome {spec!r}; {known_measures()}")


def parse_measures(specs: list[str] | tuple[str, ...]) -> list[Measure]:
    """Parse several ``--outcome`` values, keeping their order and dropping repeats."""
    seen: dict[str, Measure] = {}
    for s in specs:
        meas = parse_measure(s)
        seen.setdefault(meas.spec, meas)
    return list(seen.values())
