"""Plotly figures of the tuning app, built straight from an ensemble's arrays (no I/O).

They work on (months + 1, R) arrays rather than tidy DataFrames so that new parameters turn into
finished figures well inside the app's 300 ms budget (``benchmarks/app.py``). Axis titles and
ranges come from the declared outcomes (``model/outcomes.py``). Each figure carries a fixed
``layout.meta`` id so the browser tests and users' scripts can find it on the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from alliance.analysis.labels import events_by_month
from alliance.analysis.style import PALETTE, RUNG_COLOURS, TEMPLATE, TUNED, UNTUNED, rgba
from alliance.analysis.tables import wilson_interval
from alliance.app.compare import Pin, ever_probability, pin_labels
from alliance.app.state import Ensemble
from alliance.model import DOMAINS, OUTCOMES, RUNGS, TRAJECTORY_OUTCOMES

_Q = (0.05, 0.25, 0.5, 0.75, 0.95)

VALIDATE = False
"""Whether plotly validates every property (slow). Tests switch it on to check the figures; the
app leaves it off, which cuts figure building about fourfold (``benchmarks/app.py``)."""


def _trace(kind: str = "scatter", **props: object) -> dict:
    return {"type": kind, **props}


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    return go.Figure({"data": traces, "layout": {"template": TEMPLATE, **layout}}, _validate=VALIDATE)


def _short(name: str) -> str:
    """An outcome's label without its parenthetical scale note."""
    return TRAJECTORY_OUTCOMES[name].label.split(" (")[0]


def event_marks(scenario: object, y_ref: str = "paper") -> tuple[list[dict], list[dict]]:
    """Vertical dotted lines and short labels at the months of the scenario's scheduled events.

    Events of the same month share one line and one label ("… +1 more", all of them on hover);
    labels of months closer than a fifth of the horizon are stacked in rows so they never overlap."""
    by_month = [(month, [str(getattr(ev, "label", None) or getattr(ev, "kind", "event")) for _, ev in numbered])
                for month, numbered in events_by_month(getattr(scenario, "events", None))]
    horizon = getattr(scenario, "horizon_months", None) or max((m for m, _ in by_month), default=1)
    shapes: list[dict] = []
    notes: list[dict] = []
    row_ends: list[int] = []  # row_ends[k]: the month of row k's last label
    for month, texts in by_month:
        first = f"{texts[0][:38]}{'…' if len(texts[0]) > 38 else ''}"
        text = first + (f" +{len(texts) - 1} more" if len(texts) > 1 else "")
        row = next((k for k, end in enumerate(row_ends) if month - end >= horizon / 5), len(row_ends))
        row_ends[row:row + 1] = [month]
        shapes.append({"type": "line", "x0": month, "x1": month, "y0": 0, "y1": 1, "xref": "x",
                       "yref": y_ref, "line": {"color": "#555", "width": 1, "dash": "dot"}})
        notes.append({"x": month, "y": 1, "xref": "x", "yref": "paper", "showarrow": False, "yshift": 13 * row,
                      "text": text, "font": {"size": 10}, "xanchor": "left", "yanchor": "bottom",
                      "hovertext": "<br>".join(texts)})
    return shapes, notes


def _quantiles(arr: np.ndarray) -> np.ndarray:
    """(5, months + 1) quantiles across replications; sorting once is faster than np.quantile."""
    s = np.sort(arr, axis=1)
    n = s.shape[1]
    pos = np.asarray(_Q) * (n - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    w = (pos - lo)[:, None]
    return s[:, lo].T * (1 - w) + s[:, hi].T * w


def _band(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, name: str, colour: str, axis: str,
          legend: bool) -> dict:
    return _trace(
        x=np.concatenate([x, x[::-1]]), y=np.concatenate([hi, lo[::-1]]), fill="toself",
        fillcolor=colour, line={"width": 0}, hoverinfo="skip", name=name, legendgroup=name,
        showlegend=legend, xaxis=f"x{axis}", yaxis=f"y{axis}",
    )


def _fan_traces(x: np.ndarray, arr: np.ndarray, base: np.ndarray | None, axis: str,
                legend: bool) -> list[dict]:
    q = _quantiles(arr)
    traces = [
        _band(x, q[0], q[4], "tuned: 5–95%", "rgba(31,95,168,0.15)", axis, legend),
        _band(x, q[1], q[3], "tuned: 25–75%", "rgba(31,95,168,0.30)", axis, legend),
        _trace(x=x, y=q[2], name="tuned: median", legendgroup="tuned: median", showlegend=legend,
                   line={"color": TUNED, "width": 2}, xaxis=f"x{axis}", yaxis=f"y{axis}"),
    ]
    if base is not None:
        traces.append(_trace(
            x=x, y=np.median(base, axis=1), name="untuned: median", legendgroup="untuned: median",
            showlegend=legend, line={"color": UNTUNED, "width": 1.5, "dash": "dot"},
            xaxis=f"x{axis}", yaxis=f"y{axis}"))
    return traces


def cooperation_fans(ens: Ensemble, base: Ensemble | None) -> go.Figure:
    """Fan charts (median, 25–75%, 5–95%) of cooperation in each domain, 2 × 3 panels."""
    x = ens.months
    traces: list[dict] = []
    layout: dict = {}
    cols, rows, gap, vgap = 3, 2, 0.06, 0.22
    w, h = (1 - gap * (cols - 1)) / cols, (1 - vgap * (rows - 1)) / rows
    annotations = []
    for i, d in enumerate(DOMAINS):
        axis = "" if i == 0 else str(i + 1)
        name = f"coop_{d}"
        traces += _fan_traces(x, ens.outcome(name), None if base is None else base.outcome(name),
                              axis, i == 0)
        c, r = i % cols, i // cols
        x0, y1 = c * (w + gap), 1 - r * (h + vgap)
        layout[f"xaxis{axis}"] = {"domain": [round(x0, 4), round(min(x0 + w, 1.0), 4)], "anchor": f"y{axis}",
                                  "title": {"text": "month"} if r == rows - 1 else None}
        layout[f"yaxis{axis}"] = {"domain": [round(max(y1 - h, 0.0), 4), round(y1, 4)], "anchor": f"x{axis}", "range": [0, 1]}
        annotations.append({"text": d.replace("_", " "), "x": x0 + w / 2, "y": y1 + 0.01,
                            "xref": "paper", "yref": "paper", "showarrow": False,
                            "xanchor": "center", "yanchor": "bottom"})
    unit = TRAJECTORY_OUTCOMES["coop_energy"].unit
    return _figure(traces, {
        **layout, "annotations": annotations, "height": 460, "meta": "cooperation",
        "title": {"text": f"Cooperation with the partner by domain ({unit})"},
        "margin": {"t": 70, "b": 40, "l": 40, "r": 10}, "legend": {"orientation": "h", "y": -0.15},
    })


def threat_fan(ens: Ensemble, base: Ensemble | None, thresholds: Mapping[str, float],
               base_thresholds: Mapping[str, float] | None = None) -> go.Figure:
    """Fan chart of the hegemon's perceived threat with its escalation thresholds as lines
    (hegemon.threshold.* minus hegemon.hardening), tuned solid, untuned faint."""
    x = ens.months
    traces = _fan_traces(x, ens.outcome("threat"), None if base is None else base.outcome("threat"),
                         "", True)
    x_end = np.array([x[0], x[-1]])
    for rung in RUNGS[1:]:
        traces.append(_trace(
            x=x_end, y=[thresholds[rung]] * 2, mode="lines", name=f"{rung} threshold",
            line={"color": RUNG_COLOURS[rung], "width": 2, "dash": "dash"}))
        if base_thresholds is not None:
            traces.append(_trace(
                x=x_end, y=[base_thresholds[rung]] * 2, mode="lines",
                name=f"{rung} threshold (untuned)", showlegend=False,
                line={"color": RUNG_COLOURS[rung], "width": 1, "dash": "dot"}, opacity=0.35))
    o = TRAJECTORY_OUTCOMES["threat"]
    return _figure(traces, {
        "title": {"text": "Hegemon's perceived threat and escalation thresholds"}, "meta": "threat",
        "xaxis": {"title": {"text": "month"}}, "yaxis": {"title": {"text": o.title}, "range": [o.low, o.high], "automargin": True},
        "height": 380, "margin": {"t": 50, "b": 40, "l": 50, "r": 10},
    })


def sanctions_probability(ens: Ensemble, base: Ensemble | None,
                          pins: Sequence[Pin] = ()) -> go.Figure:
    """P(economic sanctions or worse by month m) — cumulative, with a 95% Wilson band — and the
    share under sanctions in month m, tuned vs untuned, with pinned runs overlaid; auto-scaled."""
    x = ens.months
    n = ens.record.shape[2]
    ever = ever_probability(ens)
    lo, hi = np.array([wilson_interval(int(np.rint(v * n)), n) for v in ever]).T
    traces = [_band(x, lo, hi, "tuned: 95% interval", rgba(TUNED, 0.18), "", True),
              _trace(x=x, y=ever, name="tuned", line={"color": TUNED, "width": 2.5},
                     hovertemplate="month %{x}: P(ever) %{y:.1%}<extra>tuned</extra>"),
              _trace(x=x, y=ens.sanctions_probability(), name="tuned: under sanctions that month",
                     line={"color": TUNED, "width": 1, "dash": "dash"},
                     hovertemplate="month %{x}: %{y:.1%} under sanctions<extra>tuned</extra>")]
    top = float(hi.max())
    if base is not None:
        b = ever_probability(base)
        top = max(top, float(b.max()))
        traces.append(_trace(x=x, y=b, name="untuned", line={"color": UNTUNED, "width": 2, "dash": "dot"},
                             hovertemplate="month %{x}: P(ever) %{y:.1%}<extra>untuned</extra>"))
    for colour, pin, label in zip(PALETTE[1:], pins, pin_labels(pins), strict=False):
        top = max(top, max(pin.ever))
        traces.append(_trace(x=list(pin.months), y=list(pin.ever), name=label, meta="pin",
                             line={"color": colour, "width": 2},
                             hovertemplate="month %{x}: P(ever) %{y:.1%}<extra>" + label + "</extra>"))
    shapes, notes = event_marks(ens.scenario)
    return _figure(traces, {
        "title": {"text": "P(economic sanctions or worse by month) — cumulative"}, "meta": "sanctions",
        "xaxis": {"title": {"text": "month"}},
        "yaxis": {"title": {"text": "probability"}, "tickformat": ".1%", "automargin": True,
                  "range": [0, max(0.01, 1.15 * top)]},
        "shapes": shapes, "annotations": notes,
        "height": 380, "margin": {"t": 60, "b": 40, "l": 70, "r": 10},
        "legend": {"orientation": "h", "y": -0.18},
    })


_SUMMARY_BARS = ("sanctions_ever", "military_ever", "red_line_ever")


def outcome_summary(ens: Ensemble, base: Ensemble | None) -> go.Figure:
    """Share of replications with each headline outcome, tuned vs untuned, with 95% intervals."""
    traces = []
    for label, e, colour in (("tuned", ens, TUNED), ("untuned", base, UNTUNED)):
        if e is None:
            continue
        s, n = e.summary, len(e.summary)
        cols = list(_SUMMARY_BARS)
        k = [int(s[c].sum()) for c in _SUMMARY_BARS]
        p = np.array(k) / n
        ci = np.array([wilson_interval(v, n) for v in k])
        names = [OUTCOMES[c].label for c in _SUMMARY_BARS]
        traces.append(_trace(
            "bar",
            x=names, y=p, name=label, marker={"color": colour}, customdata=cols,
            error_y={"type": "data", "symmetric": False, "array": ci[:, 1] - p, "arrayminus": p - ci[:, 0]}))
    return _figure(traces, {
        "title": {"text": "Outcomes over the horizon (share of replications)"}, "meta": "summary",
        "barmode": "group", "yaxis": {"rangemode": "tozero", "tickformat": ".0%", "title": {"text": "probability"}},
        "height": 340, "margin": {"t": 50, "b": 40, "l": 50, "r": 10},
    })


def replay_chart(replay: pd.DataFrame, batch: pd.DataFrame, replication: int,
                 outcomes: Sequence[str] = ("threat", "coop_energy", "escalation"),
                 scenario: object = None) -> go.Figure:
    """One replication stepped alone (solid, up to the current month) against the same
    replication in the ensemble (dotted, full horizon): the lines must coincide. Scheduled events
    and the months the hegemon escalated are marked."""
    traces = []
    for colour, name in zip(PALETTE, outcomes, strict=False):
        label = _short(name)
        axis = "y2" if TRAJECTORY_OUTCOMES[name].high > 1 else "y"
        traces.append(_trace(x=replay["month"], y=replay[name], name=f"replay: {label}", yaxis=axis,
                             line={"color": colour, "width": 3}))
        traces.append(_trace(x=batch["month"], y=batch[name], name=f"ensemble: {label}", yaxis=axis,
                             line={"color": colour, "width": 1.5, "dash": "dot"}))
    esc = np.asarray(batch["escalation"])
    up = [int(m) for m, a, b in zip(batch["month"][1:], esc[:-1], esc[1:], strict=False) if b > a]
    if up:
        traces.append(_trace(x=up, y=[esc[int(m)] for m in up], yaxis="y2", mode="markers",
                             name="escalation step", marker={"symbol": "triangle-up", "size": 11,
                                                             "color": RUNG_COLOURS[RUNGS[-1]]}))
    shapes, notes = event_marks(scenario)
    rung = TRAJECTORY_OUTCOMES["escalation"]
    return _figure(traces, {
        "title": {"text": f"Replay of replication {replication} vs the ensemble"}, "meta": "replay",
        "xaxis": {"title": {"text": "month"}}, "height": 380,
        "yaxis": {"title": {"text": "share / index"}, "range": [0, 1.02], "automargin": True},
        "yaxis2": {"title": {"text": "escalation rung", "standoff": 12}, "overlaying": "y",
                   "side": "right", "range": [rung.low, rung.high + 0.06], "automargin": True,
                   "tickvals": list(range(len(RUNGS))), "ticktext": list(RUNGS), "showgrid": False},
        "shapes": shapes, "annotations": notes,
        "legend": {"orientation": "h", "y": -0.2}, "margin": {"t": 60, "b": 40, "l": 60, "r": 20},
    })
