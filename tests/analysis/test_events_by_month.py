"""Events of one month share one mark on every chart (the run page and the app)."""

from __future__ import annotations

from types import SimpleNamespace

import plotly.graph_objects as go

from alliance.analysis.labels import events_by_month
from alliance.analysis.runpage import _mark_events


def _ev(month: int | None, label: str) -> SimpleNamespace:
    return SimpleNamespace(month=month, label=label, kind="request", domain="energy", level=0.5)


def test_events_are_grouped_by_month_and_keep_their_numbers() -> None:
    events = [_ev(6, "b"), _ev(3, "a"), _ev(None, "conditional"), _ev(3, "c")]
    grouped = events_by_month(events)
    assert [(m, [i for i, _ in evs]) for m, evs in grouped] == [(3, [2, 4]), (6, [1])]
    assert events_by_month(None) == []


def test_the_run_page_draws_one_numbered_line_per_month() -> None:
    fig = go.Figure()
    _mark_events(fig, [_ev(3, "NATO asks"), _ev(3, "Kazakhstan complies"), _ev(9, "later")])
    assert len(fig.layout.shapes) == 2
    texts = [a.text for a in fig.layout.annotations]
    assert texts == ["<b>1, 2</b>", "<b>3</b>"]
    assert fig.layout.annotations[0].hovertext.count("<br>") == 1
