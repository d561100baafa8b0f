"""``alliance run SCENARIO --chart FILE.html``: one offline page that answers the scenario's question.

The first screen states P(sanctions) with its 95 % interval and the other headline numbers with
theirs, then draws the sanctions curve — the cumulative probability of having been sanctioned by
each month (P(ever), with its Wilson band) beside the share of runs under sanctions in that month —
with the scenario's events marked and numbered. Below: cooperation by domain (median and 50 % band;
domains that never move are named as "constant at X", not drawn) and the events listed in words.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from alliance.analysis import labels, style
from alliance.analysis.page import Page, cards, write_page
from alliance.analysis.tables import wilson_interval
from alliance.model.outcomes import OUTCOMES
from alliance.model.parameters import DOMAINS

Z95 = 1.959963984540054


def _prob_card(label: str, k: int, n: int) -> tuple[str, str, str]:
    lo, hi = wilson_interval(k, n, Z95)
    if k == 0:
        return label, f"never (0 of {n:,})", f"95 % interval 0–{labels.pct(hi)}"
    return label, labels.pct(k / n), f"95 % interval {labels.pct(lo)}–{labels.pct(hi)} ({k:,} of {n:,} runs)"


def _mean_card(label: str, v: np.ndarray, unit: str) -> tuple[str, str, str]:
    v = v[np.isfinite(v)]
    if not len(v):
        return label, "–", "no run defines it"
    m = float(v.mean())
    half = Z95 * float(v.std(ddof=1)) / np.sqrt(len(v)) if len(v) > 1 else float("nan")
    spread = np.quantile(v, [0.05, 0.95])
    if half == 0:
        return label, f"{labels.sig(m)} {unit}", "the same in every run"
    return (label, f"{labels.sig(m)} {unit}",
            f"mean, 95 % interval {labels.sig(m - half)}–{labels.sig(m + half)}; "
            f"90 % of runs {labels.sig(spread[0])}–{labels.sig(spread[1])}")


def headline_cards(summary: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(label, value, detail) of the run's headline numbers, each with its 95 % interval."""
    n = len(summary)

    def k(col: str) -> int:
        return int(summary[col].astype("Float64").fillna(0).sum())

    out = [_prob_card("P(sanctions at any time)", k("sanctions_ever"), n),
           _prob_card("P(armed pressure)", k("military_ever"), n),
           _prob_card("P(a red line crossed)", k("red_line_ever"), n)]
    energy = summary["final_coop_energy"].to_numpy(dtype=np.float64)
    out.append(_mean_card("Final energy cooperation", energy, OUTCOMES["final_coop_energy"].unit))
    loss = summary["cumulative_welfare_loss"].to_numpy(dtype=np.float64)
    out.append(_mean_card("Welfare lost to the hegemon's measures", loss, OUTCOMES["cumulative_welfare_loss"].unit))
    return out


def _mark_events(fig: go.Figure, events: Sequence[Any], rows: int = 1) -> None:
    """Dashed vertical lines at the events' months, numbered as in the list of events (one line per
    month: events of the same month share it, "1, 2")."""
    for month, numbered in labels.events_by_month(events):
        fig.add_vline(x=month, line={"color": "#555", "dash": "dash", "width": 1},
                      annotation={"text": f"<b>{', '.join(str(i) for i, _ in numbered)}</b>",
                                  "hovertext": "<br>".join(labels.event_text(ev) for _, ev in numbered),
                                  "font": {"size": 12}, "yanchor": "bottom"},
                      annotation_position="top", name=f"event {numbered[0][0]}")


def sanctions_curve(summary: pd.DataFrame, traj: pd.DataFrame, horizon: int,
                    events: Sequence[Any] = ()) -> go.Figure:
    """Cumulative P(sanctioned by month m) with its Wilson 95 % band, and the share of runs under
    sanctions in month m; the y axis is scaled to the data (probabilities in %)."""
    n = len(summary)
    first = summary["first_sanctions_month"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.inf)
    months = np.arange(0, horizon + 1)
    ever = np.array([(first <= m).sum() for m in months])
    band = np.array([wilson_interval(int(k), n, Z95) for k in ever])
    share = traj.groupby("month")["sanctions"].mean().reindex(months).to_numpy(dtype=np.float64)
    colour = style.PALETTE[3]
    fig = style.new_figure()
    fig.add_trace(go.Scatter(x=months, y=band[:, 0], mode="lines", line={"width": 0}, showlegend=False,
                             hoverinfo="skip", name="95 % interval (lower)"))
    fig.add_trace(go.Scatter(x=months, y=band[:, 1], mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor=style.rgba(colour, 0.2), name="95 % interval of P(ever)",
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=months, y=ever / n, mode="lines", line={"color": colour, "width": 3},
                             name="P(sanctioned by this month) — cumulative",
                             hovertemplate="by month %{x}: %{y:.3p}<extra>P(ever)</extra>"))
    fig.add_trace(go.Scatter(x=months, y=share, mode="lines", line={"color": style.PALETTE[0], "width": 2,
                                                                    "dash": "dot"},
                             name="share of runs under sanctions in this month",
                             hovertemplate="month %{x}: %{y:.3p}<extra>under sanctions</extra>"))
    top = float(np.nanmax([band[:, 1].max(), np.nanmax(share) if len(share) else 0.0]))
    fig.update_yaxes(range=[0, max(top * 1.15, 0.01)], tickformat=".2~%", title_text="Probability")
    fig.update_xaxes(range=[0, horizon], title_text="Month")
    _mark_events(fig, events)
    fig.update_layout(height=420, hovermode="x unified", title="Sanctions: cumulative P(ever) and share "
                      "under sanctions each month", legend={"orientation": "h", "y": -0.22})
    return fig


def cooperation_chart(traj: pd.DataFrame, horizon: int, events: Sequence[Any] = ()) -> tuple[go.Figure | None, list[str]]:
    """Median and 50 % band of cooperation in each domain that moves; returns (figure, notes on the
    domains held constant, e.g. "humanitarian: constant at 0.200")."""
    fig = style.new_figure()
    notes: list[str] = []
    drawn = 0
    for i, d in enumerate(DOMAINS):
        col = f"coop_{d}"
        g = traj.groupby("month")[col]
        q = g.quantile([0.25, 0.5, 0.75]).unstack()
        if float(traj[col].max() - traj[col].min()) < 1e-9:
            notes.append(f"{labels.domain_label(d)}: constant at {labels.sig(float(traj[col].iloc[0]))}")
            continue
        drawn += 1
        c = style.PALETTE[i % len(style.PALETTE)]
        x = q.index.to_numpy()
        name = labels.domain_label(d)
        fig.add_trace(go.Scatter(x=x, y=q[0.25], mode="lines", line={"width": 0}, showlegend=False,
                                 hoverinfo="skip", legendgroup=d, name=f"{name}: 25 %"))
        fig.add_trace(go.Scatter(x=x, y=q[0.75], mode="lines", line={"width": 0}, fill="tonexty",
                                 fillcolor=style.rgba(c, 0.18), showlegend=False, hoverinfo="skip",
                                 legendgroup=d, name=f"{name}: 75 %"))
        fig.add_trace(go.Scatter(x=x, y=q[0.5], mode="lines", line={"color": c, "width": 2.5}, name=name,
                                 legendgroup=d, hovertemplate=f"{name}: %{{y:.3g}}<extra></extra>"))
    if not drawn:
        return None, notes
    fig.update_xaxes(range=[0, horizon], title_text="Month")
    fig.update_yaxes(title_text="Cooperation with the partner (share)", rangemode="tozero")
    _mark_events(fig, events)
    fig.update_layout(height=420, hovermode="x unified", legend={"title": {"text": "domain"}},
                      title="Cooperation by domain: median and 50 % band of runs")
    return fig, notes


def events_html(events: Sequence[Any]) -> str:
    """The scenario's events, numbered as on the charts, in words."""
    if not events:
        return "<p>No events: the scenario runs as its parameters set it.</p>"
    items = "".join(f"<li><b>{html.escape(labels.event_when(ev).capitalize())}</b>: "
                    f"{html.escape(labels.event_text(ev))}</li>" for ev in events)
    return f"<ol class='events'>{items}</ol>"


def build_run_page(scenario: Any, summary: pd.DataFrame, traj: pd.DataFrame, seed: int) -> Page:
    """The page of one run: answer first (headline cards and the sanctions curve), then detail."""
    n = len(summary)
    horizon = int(traj["month"].max())
    events = list(scenario.events)
    page = Page(f"{scenario.name}: {n:,} runs × {horizon} months")
    k = int(summary["sanctions_ever"].astype("Float64").fillna(0).sum())
    lo, hi = wilson_interval(k, n, Z95)
    lead = (f"Sanctions at any time within {horizon} months: never in {n:,} runs (95 % interval 0–"
            f"{labels.pct(hi)})." if k == 0 else
            f"Sanctions at any time within {horizon} months: <b>{labels.pct(k / n)}</b> (95 % interval "
            f"{labels.pct(lo)}–{labels.pct(hi)}; {k:,} of {n:,} runs).")
    page.text(f"<p class='lead' id='answer'>{lead}</p>")
    page.text(cards(headline_cards(summary)))
    page.figure(sanctions_curve(summary, traj, horizon, events),
                "Solid: probability of having been sanctioned by each month (cumulative, with its 95 % "
                "interval" + (f"; sanctions never happen in these {n:,} runs, so the band is how high it "
                              "could still be" if k == 0 else "") + "). Dotted: share of runs under "
                "sanctions in that month (sanctions can end, so this is not P(ever)). Numbered lines: "
                "the events below.")
    page.section("question", "The question")
    page.text(f"<p>{html.escape(scenario.description)}</p>")
    page.section("events", "Events")
    page.text(events_html(events))
    page.section("cooperation", "Cooperation by domain")
    fig, notes = cooperation_chart(traj, horizon, events)
    if fig is not None:
        page.figure(fig)
    if notes:
        page.text("<p class='note'>Not drawn (the same in every run and month): "
                  + html.escape("; ".join(notes)) + ".</p>")
    page.text(f"<p class='note'>Seed {seed}; rerun with <code>alliance run {html.escape(scenario.name)} "
              f"-r {n} --seed {seed}</code>.</p>")
    return page


def write_run_chart(scenario: Any, summary: pd.DataFrame, traj: pd.DataFrame, seed: int, path: Path) -> Path:
    """Build the run page and write it atomically; returns the path."""
    write_page(build_run_page(scenario, summary, traj, seed), path)
    return path


__all__ = ["build_run_page", "cooperation_chart", "events_html", "headline_cards", "sanctions_curve",
           "write_run_chart"]
