"""Key findings in words, and the pivoted outcome table, from ``compare.outcome_table``.

``key_findings`` writes the sentences a report and ``compare`` open with: what changes
P(sanctions) and by how much (difference in percentage points and risk ratio, each with its 95 %
interval), then the other outcomes whose difference from the reference is larger than its
uncertainty. ``pivot`` lays the outcomes out as rows and the scenarios as columns, every number
at three significant figures, zero-event probabilities as "never (0 of n)".
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from alliance.analysis import labels

MAIN = "sanctions_ever"
"""The outcome the findings open with."""
Z95 = 1.959963984540054


def events_k(row: object) -> int:
    """Number of runs with the event behind a probability row of the outcome table."""
    return round(float(row.estimate) * int(row.n))  # type: ignore[attr-defined]


def risk_ratio(k1: int, n1: int, k0: int, n0: int, z: float = Z95) -> tuple[float, float, float] | None:
    """Risk ratio (k1/n1) / (k0/n0) with its Katz log interval (0.5 added to every cell when a count is
    0); None when the reference never has the event or either group is empty."""
    if n1 == 0 or n0 == 0 or k0 == 0:
        return None
    rr = (k1 / n1) / (k0 / n0)
    a, c = (k1, k0) if k1 > 0 else (k1 + 0.5, k0 + 0.5)
    b, d = (n1, n0) if k1 > 0 else (n1 + 1, n0 + 1)
    se = math.sqrt(1 / a - 1 / b + 1 / c - 1 / d)
    centre = math.log((a / b) / (c / d))
    return rr, math.exp(centre - z * se), math.exp(centre + z * se)


def _estimate(row: object) -> str:
    if row.binary:  # type: ignore[attr-defined]
        k = events_k(row)
        return f"never (0 of {int(row.n):,})" if k == 0 else labels.pct(row.estimate)  # type: ignore[attr-defined]
    return labels.sig(row.estimate)  # type: ignore[attr-defined]


def _diff(row: object) -> str:
    if row.binary:  # type: ignore[attr-defined]
        return (f"{labels.points(row.diff)} (95 % interval {labels.sig(100 * row.diff_lo, signed=True)} to "  # type: ignore[attr-defined]
                f"{labels.sig(100 * row.diff_hi, signed=True)})")  # type: ignore[attr-defined]
    return (f"{labels.sig(row.diff, signed=True)} (95 % interval {labels.sig(row.diff_lo, signed=True)} to "  # type: ignore[attr-defined]
            f"{labels.sig(row.diff_hi, signed=True)})")  # type: ignore[attr-defined]


def _rr_text(row: object, ref: object) -> str:
    if not row.binary:  # type: ignore[attr-defined]
        return ""
    rr = risk_ratio(events_k(row), int(row.n), events_k(ref), int(ref.n))  # type: ignore[attr-defined]
    if rr is None:
        return ""
    return f"; risk ratio {labels.sig(rr[0])} ({labels.sig(rr[1])}–{labels.sig(rr[2])})"


def _label(row: object) -> str:
    title = str(row.title)  # type: ignore[attr-defined]
    return title if row.binary else title.split(" (")[0].lower()  # type: ignore[attr-defined]


def key_findings(table: pd.DataFrame, reference: str | None, main: str = MAIN, limit: int = 6) -> list[str]:
    """Sentences (plain text) stating the answer: P(``main``) per scenario against the reference, then
    other differences larger than their uncertainty (largest first, at most ``limit`` sentences)."""
    out: list[str] = []
    rows = table[table["outcome"] == main]
    if not len(rows):
        rows = table[table["outcome"] == table["outcome"].iloc[0]]
    if reference is None or len(rows) < 2:
        for r in rows.itertuples(index=False):
            if r.binary and events_k(r) == 0:
                out.append(f"{r.scenario}: {_label(r)}: never (0 of {int(r.n):,} runs; 95 % interval 0–{labels.pct(r.hi)}).")
                continue
            ival = labels.estimate_text(r.estimate, r.lo, r.hi, r.binary).split("[", 1)[1][:-1]
            out.append(f"{r.scenario}: {_label(r)} = {_estimate(r)} (95 % interval {ival}), from {int(r.n):,} runs.")
        return out
    ref = rows[rows["scenario"] == reference].iloc[0]
    others = rows[rows["scenario"] != reference].copy()
    others = others.assign(_size=others["diff"].abs()).sort_values("_size", ascending=False)
    for r in others.itertuples(index=False):
        if not np.isfinite(r.diff):
            continue
        if r.significant:
            verb = "raises" if r.diff > 0 else "lowers"
            out.append(f"{r.scenario} {verb} {_label(r)} from {_estimate(ref)} in {reference} to {_estimate(r)}: "
                       f"{_diff(r)}{_rr_text(r, ref)}.")
        elif r.binary and events_k(r) == 0 and events_k(ref) == 0:
            out.append(f"{r.scenario}: {_label(r)} never (0 of {int(r.n):,}), as in {reference} "
                       f"(0 of {int(ref.n):,}).")
        else:
            out.append(f"{r.scenario}: no change in {_label(r)} larger than its uncertainty "
                       f"({_estimate(r)} against {_estimate(ref)} in {reference}; {_diff(r)}).")
    rest = table[(table["outcome"] != main) & table["significant"]].copy()
    if len(rest):
        scale = rest.apply(lambda r: abs(r["diff"]) / max(1e-12, abs(r["diff_hi"] - r["diff_lo"])), axis=1)
        rest = rest.assign(_size=scale).sort_values("_size", ascending=False)
        said = {(r.scenario, round(float(r.estimate), 12)) for r in rows.itertuples(index=False)}
        for r in rest.itertuples(index=False):
            if len(out) >= limit:
                break
            if r.binary and (r.scenario, round(float(r.estimate), 12)) in said:
                continue  # the same probability already stated (e.g. sanctions within 24 months = ever)
            ref_r = table[(table["outcome"] == r.outcome) & (table["scenario"] == reference)].iloc[0]
            out.append(f"{r.scenario}: {_label(r)} {_estimate(r)} against {_estimate(ref_r)} in {reference}, "
                       f"{_diff(r)}.")
    return out


def pivot(table: pd.DataFrame, differences: bool = False) -> pd.DataFrame:
    """Outcomes × scenarios; cells "estimate [95 % interval]" at three significant figures (or, with
    ``differences``, the difference from the reference with its interval, "*" when larger than it)."""
    scenarios = list(dict.fromkeys(table["scenario"]))
    outcomes = list(dict.fromkeys(table["outcome"]))
    data: dict[str, list[str]] = {"outcome": []}
    for s in scenarios:
        data[s] = []
    for o in outcomes:
        part = table[table["outcome"] == o].set_index("scenario")
        data["outcome"].append(str(part["title"].iloc[0]))
        for s in scenarios:
            r = part.loc[s]
            if differences:
                if not np.isfinite(r["diff"]):
                    data[s].append("reference" if s == table.attrs.get("reference", s) else "–")
                    continue
                scale = 100 if r["binary"] else 1
                data[s].append(f"{labels.sig(scale * r['diff'], signed=True)} [{labels.sig(scale * r['diff_lo'], signed=True)}, "
                               f"{labels.sig(scale * r['diff_hi'], signed=True)}]" + (" *" if r["significant"] else ""))
            else:
                k = round(float(r["estimate"]) * int(r["n"])) if r["binary"] else None
                data[s].append(labels.estimate_text(r["estimate"], r["lo"], r["hi"], bool(r["binary"]), k, int(r["n"])))
    return pd.DataFrame(data)


__all__ = ["MAIN", "events_k", "key_findings", "pivot", "risk_ratio"]
