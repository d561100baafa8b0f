"""Per-scenario panels: small multiples with one shared y-scale instead of overlaid fans.

Each scenario gets its own panel (median, 50 % and 90 % bands across runs) with the reference
scenario's median dashed for comparison. On the threat chart every panel carries *its own*
effective escalation thresholds (``model/thresholds.py``: threshold − hardening) in the scenario's
colour; a threshold an uncertainty study samples (e.g. U(0.55, 0.8)) is drawn as a shaded band over
the range its effective value takes across the sampled box, never as a fixed line. A scenario whose series never moves gets a note
("constant at X"), not a chart.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from alliance.analysis import labels, style
from alliance.model.outcomes import OUTCOMES
from alliance.model.parameters import PARAMS
from alliance.model.thresholds import effective_thresholds
from alliance.model.uncertainty import sweep_values

RUNG_DASH = {"diplomatic": "dot", "economic": "dash", "military": "solid"}
"""Line style of each rung's threshold (colour is the scenario's)."""


def sampled_ranges(scenario: Any) -> dict[str, tuple[float, float]]:
    """Parameter → (low, high) the scenario's ``uncertainties:`` or ``sweep:`` block draws it from."""
    out: dict[str, tuple[float, float]] = {}
    for name, dist in dict(getattr(scenario, "uncertainties", None) or {}).items():
        lo, hi = dist.support()
        p = PARAMS.get(name)
        out[name] = (max(lo, p.low) if p else lo, min(hi, p.high) if p else hi)
    for name, vals in sweep_values(getattr(scenario, "sweep", None) or {}).items():
        out[name] = (float(min(vals)), float(max(vals)))
    return out


def threshold_ranges(scenario: Any, max_corners: int = 1024) -> dict[str, tuple[float, float]]:
    """Rung → (low, high) of the scenario's effective threshold (``model.thresholds.effective_thresholds``:
    what the hegemon responds to at the start). low == high unless the study samples parameters
    that move it; then (low, high) spans the effective thresholds over the sampled box — at its
    corners (exact for thresholds monotone in each parameter) when there are at most
    ``max_corners``, else at the corners of each parameter alone and 512 random points."""
    values = scenario.params()
    base = effective_thresholds(values)
    ranges = sampled_ranges(scenario)
    if not ranges:
        return {r: (v, v) for r, v in base.items()}
    names = list(ranges)
    if 2 ** len(names) <= max_corners:
        points = [dict(zip(names, (ranges[n][bit] for n, bit in zip(names, bits, strict=True)), strict=True))
                  for bits in itertools.product((0, 1), repeat=len(names))]
    else:
        rng = np.random.default_rng(0)
        points = [{n: ranges[n][side]} for n in names for side in (0, 1)]
        points += [{n: float(rng.uniform(*ranges[n])) for n in names} for _ in range(512)]
    lo, hi = dict(base), dict(base)
    for pt in points:
        for r, v in effective_thresholds({**values, **pt}).items():
            lo[r], hi[r] = min(lo[r], v), max(hi[r], v)
    return {r: (float(lo[r]), float(hi[r])) for r in base}


def _quantiles(traj: pd.DataFrame, outcome: str) -> pd.DataFrame:
    g = traj.groupby(["scenario", "month"], sort=False, observed=True)[outcome]
    q = g.quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
    q.columns = ["q05", "q25", "q50", "q75", "q95"]
    return q.reset_index()


def scenario_panels(traj: pd.DataFrame, outcome: str, colors: Mapping[str, str] | None = None,
                    reference: str | None = None,
                    thresholds: Mapping[str, Mapping[str, tuple[float, float]]] | None = None,
                    title: str | None = None) -> go.Figure:
    """One panel per scenario (its fan), one shared y-scale; ``thresholds`` (scenario → rung → (lo, hi))
    drawn in each scenario's own panel: a line where lo == hi, a shaded band otherwise. Shapes are
    named ``"<rung> threshold (<scenario>)"`` (lines) and ``"<rung> threshold band (<scenario>)"``."""
    names = [str(v) for v in pd.unique(traj["scenario"])]
    cols = dict(colors or {}) or style.palette(names)
    cols.update({n: c for n, c in style.palette(names).items() if n not in cols})
    q = _quantiles(traj, outcome)
    ncol = min(3, math.ceil(math.sqrt(len(names))))
    nrow = math.ceil(len(names) / ncol)
    fig = make_subplots(figure=style.new_figure(), rows=nrow, cols=ncol, shared_yaxes="all", shared_xaxes="all",
                        subplot_titles=names, horizontal_spacing=0.05, vertical_spacing=0.16 / max(1, nrow - 1) + 0.06)
    for a in fig.layout.annotations[: len(names)]:
        a.font.size = 13
    lo_all, hi_all = float(q["q05"].min()), float(q["q95"].max())
    for spec in (thresholds or {}).values():
        for lo, hi in spec.values():
            lo_all, hi_all = min(lo_all, lo), max(hi_all, hi)
    ref = q[q["scenario"] == reference] if reference is not None else None
    for i, name in enumerate(names):
        part, c = q[q["scenario"] == name], cols[name]
        r, k = i // ncol + 1, i % ncol + 1
        x = part["month"].to_numpy()
        if float(part["q95"].max() - part["q05"].min()) < 1e-12:
            fig.add_trace(go.Scatter(x=x, y=part["q50"], mode="lines", line={"color": c, "width": 1},
                                     showlegend=False, hoverinfo="skip", meta={"scenario": name, "constant": True}),
                          row=r, col=k)
            fig.add_annotation(text=f"constant at {labels.sig(float(part['q50'].iloc[0]))}", showarrow=False,
                               xref="x domain" if i == 0 else f"x{i + 1} domain",
                               yref="y domain" if i == 0 else f"y{i + 1} domain", x=0.5, y=0.5)
        else:
            for key, fill in (("q05", None), ("q95", "tonexty"), ("q25", None), ("q75", "tonexty")):
                alpha = 0.15 if key in ("q05", "q95") else 0.3
                fig.add_trace(go.Scatter(x=x, y=part[key], mode="lines", line={"width": 0, "color": c},
                                         fill=fill, fillcolor=style.rgba(c, alpha), showlegend=False,
                                         hoverinfo="skip", meta={"scenario": name, "quantile": int(key[1:]) / 100}),
                              row=r, col=k)
            fig.add_trace(go.Scatter(x=x, y=part["q50"], mode="lines", line={"color": c, "width": 2.5},
                                     name=f"{name} median", showlegend=False,
                                     meta={"scenario": name, "quantile": 0.5},
                                     hovertemplate=f"{name}, month %{{x}}: median %{{y:.3g}}<extra></extra>"),
                          row=r, col=k)
        if ref is not None and len(ref) and name != reference:
            fig.add_trace(go.Scatter(x=ref["month"], y=ref["q50"], mode="lines",
                                     line={"color": "#555", "dash": "dash", "width": 1.2},
                                     name=f"{reference} median (dashed)", showlegend=i == 1 or (i == 0 and name != reference),
                                     meta={"scenario": reference, "quantile": 0.5, "reference": True},
                                     hovertemplate=f"{reference}, month %{{x}}: median %{{y:.3g}}<extra></extra>"),
                          row=r, col=k)
        for rung, (lo, hi) in ((thresholds or {}).get(name) or {}).items():
            if hi - lo > 1e-12:
                fig.add_hrect(y0=lo, y1=hi, row=r, col=k, fillcolor=style.rgba(c, 0.16),
                              line={"width": 0, "color": c}, layer="below",
                              name=f"{rung} threshold band ({name})",
                              annotation={"text": f"{rung} threshold {labels.sig(lo)}–{labels.sig(hi)} (sampled)",
                                          "font": {"size": 10, "color": "#333"}},
                              annotation_position="top left")
            else:
                fig.add_hline(y=lo, row=r, col=k, line={"color": c, "dash": RUNG_DASH.get(rung, "dot"), "width": 1.3},
                              name=f"{rung} threshold ({name})",
                              annotation={"text": f"{rung} {labels.sig(lo)}", "font": {"size": 10, "color": "#333"}},
                              annotation_position="top left")
    pad = 0.05 * (hi_all - lo_all or 1.0)
    fig.update_yaxes(range=[lo_all - pad, hi_all + pad])
    fig.update_xaxes(title_text="month", row=nrow)
    unit = OUTCOMES[outcome].unit if outcome in OUTCOMES else ""
    fig.update_yaxes(title_text=unit, col=1)
    head = title or (f"{labels.outcome_title(outcome)}: median, 50 % and 90 % of runs, by scenario")
    fig.update_layout(height=260 * nrow + 130, hovermode="closest", title=head,
                      legend={"orientation": "h", "y": -0.08 if nrow > 1 else -0.2, "x": 0},
                      margin={"t": 90})
    return fig


def is_constant(traj: pd.DataFrame, outcome: str) -> float | None:
    """The value if ``outcome`` is the same in every run, month and scenario, else None."""
    v = traj[outcome].to_numpy(dtype=np.float64)
    if len(v) and float(np.nanmax(v) - np.nanmin(v)) < 1e-12:
        return float(v[0])
    return None


__all__ = ["RUNG_DASH", "is_constant", "sampled_ranges", "scenario_panels", "threshold_ranges"]
