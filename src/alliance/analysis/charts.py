"""Charts: pure functions from tidy DataFrames to plotly Figures (no I/O, no model runs).

Every scenario keeps one colour across every chart (``palette``); axis titles come from the declared
outcomes (``OUTCOMES[name].title``) and parameters (name and unit); ensembles are drawn as quantile
fans (5, 25, 50, 75, 95 %), never as raw traces, so a 10,000-run study stays a small figure.

Inputs are the tidy frames of ``alliance.study.store``: trajectories with ``scenario, month`` and
outcome columns, summaries with ``scenario`` and summary-outcome columns, and the tables made by
``compare``, ``tipping`` and ``sensitivity``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from alliance.analysis import labels, style
from alliance.analysis.style import RUNG_COLOURS, palette, rgba
from alliance.model.outcomes import OUTCOMES
from alliance.model.parameters import RUNGS

QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Quantiles drawn by fan charts: the 90 % band, the 50 % band and the median."""

_LAYOUT = dict(height=430, margin=dict(l=70, r=30, t=60, b=60),
               hovermode="x unified")


def new_figure() -> go.Figure:
    """An empty figure with the house template (``style.TEMPLATE``)."""
    return style.new_figure()


def _subplots(**kwargs: Any) -> go.Figure:
    return make_subplots(figure=new_figure(), **kwargs)


def _scenarios(df: pd.DataFrame) -> list[str]:
    return [str(v) for v in pd.unique(df["scenario"])]


def _is(df: pd.DataFrame, name: str) -> np.ndarray:
    """Boolean mask of the rows of one scenario (vectorised for arrow strings and categoricals)."""
    return (df["scenario"] == name).to_numpy(dtype=bool)


def _colours(df: pd.DataFrame, colors: Mapping[str, str] | None) -> dict[str, str]:
    names = _scenarios(df)
    base = palette(names) if colors is None else dict(colors)
    missing = [n for n in names if n not in base]
    if missing:
        base.update({n: c for n, c in palette([*base, *missing]).items() if n in missing})
    return base


def axis_title(name: str) -> str:
    """Title of an outcome or parameter axis, with its unit."""
    return labels.outcome_title(name)


# ------------------------------------------------------------------ fan charts
def fan_quantiles(traj: pd.DataFrame, outcome: str, quantiles: Sequence[float] = QUANTILES) -> pd.DataFrame:
    """Per scenario and month, the quantiles of an outcome across runs (columns q05, q25, …)."""
    keys = [f"q{round(q * 100):02d}" for q in quantiles]
    months_all = traj["month"].to_numpy()
    vals_all = traj[outcome].to_numpy(dtype=np.float64)
    parts = []
    for name in _scenarios(traj):
        mask = _is(traj, name)
        month, vals = months_all[mask], vals_all[mask]
        order = np.argsort(month, kind="stable")
        month, vals = month[order], vals[order]
        months, starts, counts = np.unique(month, return_index=True, return_counts=True)
        if (counts == counts[0]).all():
            q = np.quantile(vals.reshape(len(months), counts[0]), quantiles, axis=1).T
        else:
            q = np.array([np.quantile(vals[s: s + c], quantiles) for s, c in zip(starts, counts, strict=False)])
        part = pd.DataFrame(q, columns=keys)
        part.insert(0, "month", months)
        part.insert(0, "scenario", name)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def fan_chart(traj: pd.DataFrame, outcome: str, colors: Mapping[str, str] | None = None,
              thresholds: Mapping[str, float | tuple[float, str]] | None = None,
              title: str | None = None) -> go.Figure:
    """Median with 50 % and 90 % bands of ``outcome`` over months, overlaid across scenarios.

    Each scenario gives five traces (q05, q95 filled to it, q25, q75 filled to it, median), tagged
    with ``meta = {"scenario", "quantile"}``. ``thresholds`` (label → value, or → (value, colour))
    are drawn as dotted horizontal lines, e.g. each scenario's escalation thresholds on the threat
    chart.
    """
    cols = _colours(traj, colors)
    q = fan_quantiles(traj, outcome)
    fig = new_figure()
    for name, part in q.groupby("scenario", sort=False):
        c, x = cols[str(name)], part["month"].to_numpy()
        for lo, hi, alpha in (("q05", "q95", 0.15), ("q25", "q75", 0.3)):
            for key in (lo, hi):
                fig.add_trace(go.Scatter(
                    x=x, y=part[key].to_numpy(), mode="lines", line=dict(width=0, color=c),
                    fill="tonexty" if key == hi else None, fillcolor=rgba(c, alpha),
                    legendgroup=str(name), showlegend=False, hoverinfo="skip",
                    name=f"{name} {key}", meta={"scenario": str(name), "quantile": int(key[1:]) / 100},
                ))
        fig.add_trace(go.Scatter(
            x=x, y=part["q50"].to_numpy(), mode="lines", line=dict(width=2.5, color=c),
            name=str(name), legendgroup=str(name), meta={"scenario": str(name), "quantile": 0.5},
            hovertemplate="%{y:.3f}",
        ))
    for label, spec in (thresholds or {}).items():
        value, colour = spec if isinstance(spec, tuple) else (spec, "#444")
        fig.add_hline(y=value, line=dict(color=colour, dash="dot", width=1),
                      annotation_text=label, annotation_position="top left", name=label)
    fig.update_layout(**_LAYOUT, title=title or f"{OUTCOMES[outcome].label}: median, 50 % and 90 % bands",
                      xaxis_title="month", yaxis_title=axis_title(outcome))
    return fig


def small_multiples(traj: pd.DataFrame, outcome: str, reference: str | None = None,
                    colors: Mapping[str, str] | None = None) -> go.Figure:
    """One panel per scenario (its fan), with the reference scenario's median dashed in each."""
    cols = _colours(traj, colors)
    names = _scenarios(traj)
    q = fan_quantiles(traj, outcome)
    ncol = min(3, len(names))
    nrow = math.ceil(len(names) / ncol)
    fig = _subplots(rows=nrow, cols=ncol, subplot_titles=names, shared_yaxes=True,
                        horizontal_spacing=0.04, vertical_spacing=0.12)
    ref = q[q["scenario"] == reference] if reference is not None else None
    for i, name in enumerate(names):
        part, c = q[q["scenario"] == name], cols[name]
        r, k, x = i // ncol + 1, i % ncol + 1, q[q["scenario"] == name]["month"].to_numpy()
        for key, fill in (("q05", None), ("q95", "tonexty"), ("q25", None), ("q75", "tonexty")):
            alpha = 0.15 if key in ("q05", "q95") else 0.3
            fig.add_trace(go.Scatter(x=x, y=part[key].to_numpy(), mode="lines", line=dict(width=0, color=c),
                                     fill=fill, fillcolor=rgba(c, alpha), showlegend=False, hoverinfo="skip",
                                     meta={"scenario": name, "quantile": int(key[1:]) / 100}), row=r, col=k)
        fig.add_trace(go.Scatter(x=x, y=part["q50"].to_numpy(), mode="lines", line=dict(color=c, width=2.5),
                                 name=name, showlegend=False, meta={"scenario": name, "quantile": 0.5}),
                      row=r, col=k)
        if ref is not None and len(ref) and name != reference:
            fig.add_trace(go.Scatter(x=ref["month"].to_numpy(), y=ref["q50"].to_numpy(), mode="lines",
                                     line=dict(color=cols.get(reference, "#444"), dash="dash", width=1.5),
                                     name=f"{reference} median", showlegend=i == 1 or (i == 0 and name != reference),
                                     meta={"scenario": reference, "quantile": 0.5, "reference": True}),
                          row=r, col=k)
    fig.update_layout(**{**_LAYOUT, "height": 300 * nrow + 80},
                      title=f"{OUTCOMES[outcome].label} by scenario"
                      + (f" (dashed: {reference} median)" if reference else ""))
    fig.update_xaxes(title_text="month", row=nrow)
    fig.update_yaxes(title_text=axis_title(outcome), row=(nrow + 1) // 2, col=1)
    return fig


# ------------------------------------------------------------------ escalation
def escalation_shares(traj: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and month, the share of runs at each escalation rung (columns = RUNGS)."""
    counts = (traj.groupby(["scenario", "month"], sort=False, observed=True)["escalation"]
              .value_counts(normalize=True).unstack(fill_value=0.0))
    counts = counts.reindex(columns=range(len(RUNGS)), fill_value=0.0)
    counts.columns = list(RUNGS)
    return counts.reset_index()


def escalation_chart(traj: pd.DataFrame) -> go.Figure:
    """Probability of each escalation rung by month, stacked to 1; one panel per scenario."""
    shares = escalation_shares(traj)
    names = _scenarios(traj)
    ncol = min(4, len(names))
    nrow = math.ceil(len(names) / ncol)
    fig = _subplots(rows=nrow, cols=ncol, subplot_titles=names, shared_yaxes=True,
                    horizontal_spacing=0.03, vertical_spacing=0.14)
    for i, name in enumerate(names):
        part = shares[shares["scenario"] == name]
        r, k = i // ncol + 1, i % ncol + 1
        for rung in RUNGS:
            fig.add_trace(go.Scatter(
                x=part["month"].to_numpy(), y=part[rung].to_numpy(), mode="lines", stackgroup=f"s{i}",
                line={"width": 0.5, "color": RUNG_COLOURS[rung]}, fillcolor=RUNG_COLOURS[rung], name=rung,
                legendgroup=rung, showlegend=i == 0, meta={"scenario": name, "rung": rung},
                hovertemplate="%{y:.3f}",
            ), row=r, col=k)
    fig.update_layout(**{**_LAYOUT, "height": 330 * nrow + 100},
                      title="Probability of each escalation level by month")
    fig.update_xaxes(title_text="month", row=nrow)
    fig.update_yaxes(range=[0, 1])
    fig.update_yaxes(title_text="probability", row=(nrow + 1) // 2, col=1)
    return fig


# ------------------------------------------------------------------ distributions
def distribution_chart(summary: pd.DataFrame, outcome: str, colors: Mapping[str, str] | None = None,
                       bins: int = 30) -> go.Figure:
    """Distribution of a per-run summary outcome per scenario, as shares of runs (binned, never raw).

    Discrete outcomes get one bar per value; runs where the outcome is undefined (e.g. no first
    sanctions month) are left out, so the bars sum to the share of runs where it is defined.
    """
    cols = _colours(summary, colors)
    o = OUTCOMES[outcome]
    vals = summary[outcome].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    finite = vals[np.isfinite(vals)]
    fig = new_figure()
    if o.discrete:
        levels = np.unique(finite)
    else:
        lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (o.low, o.high)
        edges = np.linspace(lo, hi if hi > lo else lo + 1e-9, bins + 1)
    for name in _scenarios(summary):
        v = vals[_is(summary, name)]
        n = len(v)
        undefined = int(np.isnan(v).sum())
        label = name + (f" ({undefined / n:.0%} never)" if undefined else "")
        if o.discrete:
            share = np.array([(v == lv).sum() / n for lv in levels])
            fig.add_trace(go.Bar(x=levels, y=share, name=label, marker_color=cols[name],
                                 meta={"scenario": name}))
        else:
            counts, _ = np.histogram(v[np.isfinite(v)], bins=edges)
            centres = (edges[:-1] + edges[1:]) / 2
            fig.add_trace(go.Scatter(x=centres, y=counts / n, mode="lines", line_shape="hvh",
                                     line=dict(color=cols[name], width=2), name=label,
                                     meta={"scenario": name}))
    fig.update_layout(**{**_LAYOUT, "hovermode": "closest"}, barmode="group",
                      title=f"{o.label}: distribution over runs", xaxis_title=axis_title(outcome),
                      yaxis_title="share of runs")
    if o.discrete and o.unit == "rung":
        fig.update_xaxes(tickvals=list(range(len(RUNGS))), ticktext=list(RUNGS))
    elif o.discrete and len(levels) <= 12:
        fig.update_xaxes(tickvals=[float(v) for v in levels], tickformat=".3~g")
    fig.update_yaxes(tickformat=".2~%")
    return fig


# ------------------------------------------------------------------ comparison tables
def _grid(n: int, titles: Sequence[str]) -> tuple[go.Figure, int]:
    ncol = min(3, n)
    nrow = math.ceil(n / ncol)
    fig = _subplots(rows=nrow, cols=ncol, subplot_titles=list(titles), horizontal_spacing=0.12,
                        vertical_spacing=0.18)
    return fig, ncol


def estimate_chart(table: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Small multiples, one panel per outcome: each scenario's estimate with its 95 % interval.

    ``table`` is ``compare.outcome_table``: columns scenario, outcome, title, estimate, lo, hi.
    """
    cols = _colours(table, colors)
    outcomes = list(dict.fromkeys(table["outcome"]))
    titles = [str(table.loc[table["outcome"] == o, "title"].iloc[0]) for o in outcomes]
    fig, ncol = _grid(len(outcomes), titles)
    for i, o in enumerate(outcomes):
        part = table[table["outcome"] == o]
        for row in part.itertuples(index=False):
            fig.add_trace(go.Scatter(
                x=[row.scenario], y=[row.estimate], mode="markers", marker=dict(color=cols[row.scenario], size=10),
                error_y=dict(type="data", symmetric=False, array=[row.hi - row.estimate],
                             arrayminus=[row.estimate - row.lo]),
                name=row.scenario, legendgroup=row.scenario, showlegend=i == 0,
                meta={"scenario": row.scenario, "outcome": o},
            ), row=i // ncol + 1, col=i % ncol + 1)
    fig.update_layout(**{**_LAYOUT, "hovermode": "closest", "height": 330 * math.ceil(len(outcomes) / ncol) + 60},
                      title="Outcomes by scenario (95 % intervals)")
    return fig


# the map and sensitivity charts live in charts_map (re-exported here for callers of charts.*)
from alliance.analysis.charts_compare import difference_chart  # noqa: E402
from alliance.analysis.charts_map import sensitivity_chart, tipping_chart  # noqa: E402

__all__ = ["axis_title", "difference_chart", "distribution_chart", "escalation_chart", "escalation_shares",
           "estimate_chart", "fan_chart", "fan_quantiles", "new_figure", "palette", "sensitivity_chart",
           "small_multiples", "tipping_chart"]
