"""Summary tables of an ensemble's per-replication outcomes (plain pandas; no I/O)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliance.model import DOMAINS


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion."""
    if n == 0:
        return (float("nan"), float("nan"))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def summary_table(summary: pd.DataFrame) -> dict[str, str]:
    """Headline numbers of one ensemble, formatted for printing."""
    n = len(summary)
    out: dict[str, str] = {}
    for col, label in (("sanctions_ever", "P(economic sanctions)"),
                       ("military_ever", "P(armed pressure)"),
                       ("red_line_ever", "P(red line crossed)")):
        k = int(summary[col].sum())
        lo, hi = wilson_interval(k, n)
        out[label] = f"{k / n:.3f} [{lo:.3f}, {hi:.3f}]"
    first = summary["first_sanctions_month"].dropna()
    out["median month of first sanctions"] = f"{first.median():.0f}" if len(first) else "never"
    out["P(escalation ≥ diplomatic)"] = f"{(summary['max_escalation'] >= 1).mean():.3f}"
    for d in DOMAINS:
        col = summary[f"final_coop_{d}"]
        out[f"final cooperation: {d}"] = (
            f"{col.median():.3f} (5–95%: {col.quantile(0.05):.3f}–{col.quantile(0.95):.3f})"
        )
    out["final alignment (median)"] = f"{summary['final_alignment'].median():+.3f}"
    out["final partner interest (median)"] = f"{summary['final_interest'].median():.3f}"
    out["cumulative welfare loss (mean)"] = f"{summary['cumulative_welfare_loss'].mean():.3f}"
    return out
