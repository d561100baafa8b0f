"""Event labels on the charts: one per month, never drawn over each other."""

from __future__ import annotations

from itertools import pairwise
from types import SimpleNamespace

from alliance.app.figures import event_marks


def _scenario(*events: tuple[int, str], horizon: int = 36) -> SimpleNamespace:
    return SimpleNamespace(horizon_months=horizon,
                           events=[SimpleNamespace(month=m, label=t, kind="request") for m, t in events])


def test_events_of_one_month_share_a_line_and_a_label() -> None:
    shapes, notes = event_marks(_scenario((3, "NATO asks"), (3, "Kazakhstan complies")))
    assert len(shapes) == len(notes) == 1
    assert notes[0]["text"] == "NATO asks +1 more"
    assert notes[0]["hovertext"] == "NATO asks<br>Kazakhstan complies"


def test_close_labels_are_stacked_and_far_ones_share_the_first_row() -> None:
    _, notes = event_marks(_scenario((2, "a"), (6, "b"), (7, "c"), (30, "d")))
    assert [n["yshift"] for n in notes] == [0, 13, 26, 0]
    for upper, lower in pairwise(notes):  # each label sits on its own line or far away
        assert upper["yshift"] != lower["yshift"] or lower["x"] - upper["x"] >= 36 / 5


def test_long_labels_are_cut_with_the_whole_text_on_hover() -> None:
    long = "NATO asks Kazakhstan to join plans to supply Georgia and Ukraine with energy"
    _, (note,) = event_marks(_scenario((3, long)))
    assert note["text"].endswith("…")
    assert len(note["text"]) == 39
    assert note["hovertext"] == long
