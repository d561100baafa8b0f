"""Scenario comparison: outcome estimates with intervals, and differences from a reference scenario.

Data in, tables out (no charts, no files): ``measure_values`` turns a study's summaries (and, for
measures that need them, its trajectories) into one value per run and measure; ``outcome_table``
gives each scenario's estimate — a probability with its Wilson interval for 0/1 measures, a mean
with a bootstrap interval otherwise — and its difference from the reference scenario with a
bootstrap interval (runs resampled within each scenario). A difference is *larger than its
uncertainty* when its interval excludes zero. ``load_studies`` joins several result folders,
naming each scenario uniquely.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alliance.analysis.measures import Measure
from alliance.analysis.tables import wilson_interval
from alliance.errors import UserError

KEYS = ("run_id", "scenario")


@dataclass
class Combined:
    """Several studies seen as one: scenario labels are unique across folders.

    Attributes:
        studies: the loaded studies, in the order given.
        labels: per study, scenario name → label used in tables and charts.
        summary: every run's summary outcomes with the labelled ``scenario`` column.
    """

    studies: list[Any]
    labels: list[dict[str, str]]
    summary: pd.DataFrame
    folder_of: dict[str, str] = field(default_factory=dict)

    @property
    def scenarios(self) -> list[str]:
        return [lab for lab_map in self.labels for lab in lab_map.values()]

    def trajectories(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Trajectories of every study, scenario column relabelled."""
        parts = []
        for study, lab in zip(self.studies, self.labels, strict=False):
            t = study.trajectories(columns=list(columns) if columns is not None else None)
            t = t.assign(scenario=t["scenario"].astype(str).map(lab))
            parts.append(t)
        return pd.concat(parts, ignore_index=True)


def load_studies(paths: Sequence[Path | str]) -> Combined:
    """Load result folders; a scenario name found in several folders is labelled ``folder/name``."""
    from alliance.study.store import load_results

    if not paths:
        raise UserError("give at least one results folder")
    studies = [load_results(Path(p)) for p in paths]
    names = [list(dict.fromkeys(s.summary["scenario"].astype(str))) for s in studies]
    counts: dict[str, int] = {}
    for ns in names:
        for n in ns:
            counts[n] = counts.get(n, 0) + 1
    labels: list[dict[str, str]] = []
    folder_of: dict[str, str] = {}
    used: set[str] = set()
    for study, ns in zip(studies, names, strict=False):
        folder = Path(study.path).name
        lab = {}
        for n in ns:
            label = n if counts[n] == 1 else f"{folder}/{n}"
            k = 2
            while label in used:
                label, k = f"{folder}/{n}#{k}", k + 1
            used.add(label)
            lab[n] = label
            folder_of[label] = folder
        labels.append(lab)
    summary = pd.concat(
        [s.summary.assign(scenario=s.summary["scenario"].astype(str).map(lab))
         for s, lab in zip(studies, labels, strict=False)], ignore_index=True)
    return Combined(studies, labels, summary, folder_of)


def resolve_reference(reference: str | None, scenarios: Sequence[str], folder_of: dict[str, str]) -> str:
    """The reference scenario's label: a label, a scenario name, or a folder holding one scenario."""
    if not scenarios:
        raise UserError("no scenarios to compare")
    if reference is None:
        return scenarios[0]
    ref = reference.rstrip("/")
    if ref in scenarios:
        return ref
    by_name = [s for s in scenarios if s.rsplit("/", 1)[-1] == ref]
    if len(by_name) == 1:
        return by_name[0]
    folder = Path(ref).name
    in_folder = [s for s in scenarios if folder_of.get(s) == folder]
    if len(in_folder) >= 1:
        return in_folder[0]
    raise UserError(f"--reference {reference!r} is neither a scenario nor a results folder here; "
                    f"scenarios: {', '.join(scenarios)}")


def _pivot(traj: pd.DataFrame, column: str, run_ids: np.ndarray) -> np.ndarray:
    """(runs, months + 1) array of one trajectory column, rows in the order of ``run_ids``."""
    wide = traj.pivot(index="run_id", columns="month", values=column)
    return wide.reindex(run_ids).to_numpy(dtype=np.float64)


def measure_values(summary: pd.DataFrame, measures: Sequence[Measure],
                   trajectories: Callable[[list[str]], pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per run (scenario, run_id) and one column per measure spec.

    ``trajectories(columns)`` returns tidy trajectories (run_id, scenario, month, columns…); it is
    called once, only if some measure needs a trajectory outcome.
    """
    out = summary[[c for c in KEYS if c in summary.columns]].copy()
    needed = sorted({m.trajectory for m in measures if m.trajectory is not None})
    wide: dict[str, np.ndarray] = {}
    if needed:
        if trajectories is None:
            raise UserError(f"outcomes {needed} need trajectories, which are not available")
        traj = trajectories(needed)
        key = traj["scenario"].astype(str) + "\x00" + traj["run_id"].astype(str)
        traj = traj.assign(run_id=key)
        rid = (summary["scenario"].astype(str) + "\x00" + summary["run_id"].astype(str)).to_numpy()
        wide = {c: _pivot(traj, c, rid) for c in needed}
    for m in measures:
        out[m.spec] = m.evaluate(summary, (lambda name: wide[name]) if wide else None)
    return out


def _boot_means(v: np.ndarray, n_boot: int, rng: np.random.Generator, binary: bool) -> np.ndarray:
    n = len(v)
    if n == 0:
        return np.full(n_boot, np.nan)
    if binary:
        return rng.binomial(n, float(v.mean()), size=n_boot) / n
    out = np.empty(n_boot)
    step = max(1, 2_000_000 // n)
    for s in range(0, n_boot, step):
        k = min(step, n_boot - s)
        out[s: s + k] = v[rng.integers(0, n, size=(k, n))].mean(axis=1)
    return out


def outcome_table(values: pd.DataFrame, measures: Sequence[Measure], reference: str | None = None,
                  n_boot: int = 2000, seed: int = 0, conf: float = 0.95) -> pd.DataFrame:
    """Each scenario's estimate per measure with its interval, and its difference from ``reference``.

    Columns: scenario, outcome, title, binary, n, estimate, lo, hi, diff, diff_lo, diff_hi,
    significant. NaN per-run values (e.g. no first sanctions month) are left out of that measure.
    """
    scenarios = [str(s) for s in pd.unique(values["scenario"].to_numpy())]
    if reference is not None and reference not in scenarios:
        raise UserError(f"reference {reference!r} is not among the scenarios: {', '.join(scenarios)}")
    rng = np.random.default_rng(seed)
    alpha = (1 - conf) / 2
    z = float(np.sqrt(2) * _erfinv(conf))
    rows = []
    scen = values["scenario"].astype(str).to_numpy()
    for m in measures:
        all_v = values[m.spec].to_numpy(dtype=np.float64)
        per = {s: all_v[(scen == s) & np.isfinite(all_v)] for s in scenarios}
        boots = {s: _boot_means(v, n_boot, rng, m.binary) for s, v in per.items()}
        for s in scenarios:
            v = per[s]
            est = float(v.mean()) if len(v) else float("nan")
            if m.binary:
                lo, hi = wilson_interval(round(v.sum()), len(v), z)
            else:
                lo, hi = (float(np.quantile(boots[s], alpha)), float(np.quantile(boots[s], 1 - alpha))) \
                    if len(v) else (float("nan"), float("nan"))
            row = dict(scenario=s, outcome=m.spec, title=m.title, binary=m.binary, n=len(v),
                       estimate=est, lo=lo, hi=hi, diff=np.nan, diff_lo=np.nan, diff_hi=np.nan,
                       significant=False)
            if reference is not None and s != reference:
                d = boots[s] - boots[reference]
                row["diff"] = est - float(per[reference].mean()) if len(per[reference]) else np.nan
                if np.isfinite(d).all():
                    row["diff_lo"], row["diff_hi"] = float(np.quantile(d, alpha)), float(np.quantile(d, 1 - alpha))
                    row["significant"] = bool(row["diff_lo"] > 0 or row["diff_hi"] < 0)
            rows.append(row)
    return pd.DataFrame(rows)


def _erfinv(p: float) -> float:
    from scipy.special import erfinv

    return float(erfinv(p))


def describe_differences(table: pd.DataFrame, reference: str) -> list[str]:
    """One sentence per difference from the reference that is larger than its uncertainty."""
    lines = []
    for r in table[table["significant"]].itertuples(index=False):
        fmt = "{:+.3f}" if r.binary else "{:+.3g}"
        lines.append(f"{r.scenario}: {r.title} differs from {reference} by {fmt.format(r.diff)} "
                     f"(95 % interval {fmt.format(r.diff_lo)} … {fmt.format(r.diff_hi)})")
    return lines


def format_table(table: pd.DataFrame) -> pd.DataFrame:
    """The outcome table with estimates and intervals as text, for printing and reports."""
    def f(v: float, binary: bool, signed: bool = False) -> str:
        if not np.isfinite(v):
            return "–"
        return (f"{v:+.3f}" if signed else f"{v:.3f}") if binary else (f"{v:+.4g}" if signed else f"{v:.4g}")

    out = pd.DataFrame({
        "scenario": table["scenario"], "outcome": table["title"], "runs": table["n"],
        "estimate [95 %]": [f"{f(r.estimate, r.binary)} [{f(r.lo, r.binary)}, {f(r.hi, r.binary)}]"
                            for r in table.itertuples(index=False)],
        "difference [95 %]": ["" if not np.isfinite(r.diff) else
                              f"{f(r.diff, r.binary, True)} [{f(r.diff_lo, r.binary, True)}, "
                              f"{f(r.diff_hi, r.binary, True)}]" + (" *" if r.significant else "")
                              for r in table.itertuples(index=False)],
    })
    return out
