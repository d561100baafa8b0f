"""Uncertainty studies: the outcome against each sampled parameter, binned, with intervals, ranked.

Each sampled parameter's values are cut into bins of equal counts; in each bin the outcome's
probability (Wilson 95 % interval over the runs in it) or mean (normal 95 % interval) is drawn
against the bin's centre. A parameter's *influence* is the spread of its bin estimates (largest
minus smallest): the parameters are ranked by it, the strongest first. This is a first look; the
variance shares come from ``alliance sensitivity`` and the boundary from ``alliance map``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from alliance.analysis import labels, style
from alliance.analysis.tables import wilson_interval

Z95 = 1.959963984540054


def binned_outcome(values: np.ndarray, params: pd.DataFrame, binary: bool, bins: int = 6) -> pd.DataFrame:
    """Rows (parameter, bin, x, x_lo, x_hi, n, estimate, lo, hi) of ``values`` (one per run, NaN left
    out) binned by each column of ``params`` (same rows)."""
    rows = []
    v_all = np.asarray(values, dtype=float)
    for name in params.columns:
        x_all = params[name].to_numpy(dtype=float)
        ok = np.isfinite(v_all) & np.isfinite(x_all)
        x, v = x_all[ok], v_all[ok]
        if len(np.unique(x)) < 2:
            continue
        edges = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1)))
        idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
        for b in range(len(edges) - 1):
            sel = idx == b
            n = int(sel.sum())
            if not n:
                continue
            vb = v[sel]
            est = float(vb.mean())
            if binary:
                lo, hi = wilson_interval(round(float(vb.sum())), n, Z95)
            else:
                half = Z95 * float(vb.std(ddof=1)) / math.sqrt(n) if n > 1 else float("nan")
                lo, hi = est - half, est + half
            rows.append({"parameter": name, "bin": b, "x": float(np.median(x[sel])), "x_lo": float(edges[b]),
                         "x_hi": float(edges[b + 1]), "n": n, "estimate": est, "lo": lo, "hi": hi})
    return pd.DataFrame(rows, columns=["parameter", "bin", "x", "x_lo", "x_hi", "n", "estimate", "lo", "hi"])


def influence(binned: pd.DataFrame) -> pd.DataFrame:
    """Parameters ranked by the spread of their bin estimates (largest first): parameter, spread, label."""
    if not len(binned):
        return pd.DataFrame(columns=["parameter", "label", "spread"])
    g = binned.groupby("parameter", sort=False)["estimate"]
    out = (g.max() - g.min()).rename("spread").reset_index().sort_values("spread", ascending=False, kind="stable")
    out.insert(1, "label", [labels.param_title(p) for p in out["parameter"]])
    return out.reset_index(drop=True)


def influence_chart(binned: pd.DataFrame, ranked: Sequence[str], outcome_title: str, binary: bool,
                    colour: str | None = None) -> go.Figure:
    """Small multiples in rank order, one shared y-scale: the outcome's estimate per bin with its 95 %
    interval against the parameter (x: its label and unit)."""
    ranked = list(ranked)
    ncol = min(3, len(ranked))
    nrow = math.ceil(len(ranked) / ncol)
    c = colour or style.PALETTE[0]
    titles = [f"{i}. {labels.param_label(p)}" for i, p in enumerate(ranked, start=1)]
    fig = make_subplots(figure=style.new_figure(), rows=nrow, cols=ncol, shared_yaxes="all",
                        subplot_titles=titles, horizontal_spacing=0.06, vertical_spacing=0.22 / max(1, nrow - 1) + 0.08)
    for a in fig.layout.annotations:
        a.font.size = 12
    fmt = ".3p" if binary else ".3g"
    for i, p in enumerate(ranked):
        part = binned[binned["parameter"] == p]
        r, k = i // ncol + 1, i % ncol + 1
        custom = np.stack([part["lo"], part["hi"], part["x_lo"], part["x_hi"], part["n"]], axis=1)
        fig.add_trace(go.Scatter(
            x=part["x"], y=part["estimate"], mode="lines+markers", line={"color": c, "width": 2},
            marker={"size": 7}, name=labels.param_label(p), showlegend=False,
            error_y={"type": "data", "symmetric": False, "array": part["hi"] - part["estimate"],
                     "arrayminus": part["estimate"] - part["lo"], "color": c},
            customdata=custom, meta={"parameter": p},
            hovertemplate=(f"{labels.param_label(p)} %{{customdata[2]:.3g}}–%{{customdata[3]:.3g}}<br>"
                           f"{outcome_title}: %{{y:{fmt}}} [%{{customdata[0]:{fmt}}}, %{{customdata[1]:{fmt}}}]"
                           "<br>%{customdata[4]} runs<extra></extra>")), row=r, col=k)
        fig.update_xaxes(title_text=labels.param_title(p), title_font_size=11, row=r, col=k)
    if binary:
        fig.update_yaxes(tickformat=".2~%", rangemode="tozero")
    fig.update_yaxes(title_text=outcome_title, row=(nrow + 1) // 2, col=1)
    fig.update_layout(height=290 * nrow + 120, hovermode="closest", margin={"t": 100},
                      title=f"{outcome_title} against each sampled parameter (binned, 95 % intervals), "
                            "strongest first")
    return fig


__all__ = ["binned_outcome", "influence", "influence_chart"]
