"""Headline cards, pinned runs labelled by their differences, strict JSON for the browser."""

from __future__ import annotations

import json

import numpy as np
import pytest

from alliance.app import figures as figs
from alliance.app.chart import figure_json, plain
from alliance.app.compare import MAX_PINS, add_pin, headlines, param_label, pin_labels, pin_of
from alliance.app.state import EditRejected, Replay, run_ensemble, tuned_scenario
from alliance.model import load_scenario

ECONOMIC = "hegemon.threshold.economic"


@pytest.fixture(scope="module")
def base():
    return load_scenario("baseline")


def _strict(text: str) -> object:
    def refuse(token: str) -> None:
        raise ValueError(f"non-JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def test_figure_json_turns_nan_and_inf_into_null_so_the_browser_can_parse_it():
    fig = {"data": [{"type": "heatmap", "z": np.array([[np.nan, 0.5], [np.inf, -np.inf]]),
                     "x": [float("nan"), 1.0], "y": (np.float32(2.0), np.int64(3))}],
           "layout": {"meta": "tipping"}}
    out = _strict(figure_json(fig))
    assert out["data"][0]["z"] == [[None, 0.5], [None, None]]
    assert out["data"][0]["x"] == [None, 1.0]
    assert out["data"][0]["y"] == [2.0, 3]
    assert plain(np.array([1, 2])) == [1, 2]


def test_the_tipping_map_with_invalid_cells_becomes_strict_json_with_its_cells(base):
    from alliance.app.panels import tipping_figure

    tuned = tuned_scenario(base, {ECONOMIC: 0.55}, 20, 0)
    fig = tipping_figure(tuned, ECONOMIC, "balancer.ceiling.energy")
    heat = next(t for t in _strict(figure_json(fig))["data"] if t["type"] == "heatmap")
    cells = [v for row in heat["z"] for v in row]
    assert len(cells) == 16 * 16
    assert any(isinstance(v, float) for v in cells)


def test_headlines_give_tuned_untuned_and_the_change(base):
    t = run_ensemble(tuned_scenario(base, {ECONOMIC: 0.55}, 200, base.seed))
    u = run_ensemble(tuned_scenario(base, {}, 200, base.seed))
    cards = {c.name: c for c in headlines(t, u)}
    assert "sanctions_ever" in cards
    assert "final_coop_energy" in cards
    s = cards["sanctions_ever"]
    assert s.tuned == pytest.approx(t.summary["sanctions_ever"].mean())
    assert s.untuned == pytest.approx(u.summary["sanctions_ever"].mean())
    assert s.tuned_ci[0] <= s.tuned <= s.tuned_ci[1]
    assert s.change_text().endswith("points vs untuned")
    assert "_" not in s.label


def test_pins_are_labelled_by_what_differs_and_capped(base):
    a = pin_of(run_ensemble(tuned_scenario(base, {}, 50, base.seed)), "baseline")
    b = pin_of(run_ensemble(tuned_scenario(base, {ECONOMIC: 0.55}, 50, base.seed)), "baseline")
    pins = add_pin(add_pin([], a), b)
    la, lb = pin_labels(pins)
    assert la == f"#1 {param_label(ECONOMIC)} = 0.64"
    assert lb == f"#2 {param_label(ECONOMIC)} = 0.55"
    with pytest.raises(EditRejected, match="already pinned"):
        add_pin(pins, a)
    other = load_scenario("russia_hardline")
    c = pin_of(run_ensemble(tuned_scenario(other, {}, 50, other.seed)), "russia_hardline")
    assert pin_labels([a, c])[1].startswith("#2 russia_hardline")
    many = [pin_of(run_ensemble(tuned_scenario(base, {ECONOMIC: v}, 20, 1)), "baseline")
            for v in (0.55, 0.56, 0.57, 0.58, 0.59)]
    assert len(many) == MAX_PINS
    with pytest.raises(EditRejected, match="at most 5"):
        add_pin(many, a)
    fig = figs.sanctions_probability(run_ensemble(tuned_scenario(base, {}, 50, base.seed)), None, pins)
    overlaid = {t.name: list(t.y) for t in fig.data if t.meta == "pin"}
    assert overlaid == {la: list(a.ever), lb: list(b.ever)}


def test_replay_can_open_at_a_month(base):
    tuned = tuned_scenario(base, {ECONOMIC: 0.55}, 100, base.seed)
    ens = run_ensemble(tuned)
    r = ens.first_sanctioned()
    month = ens.first_sanctions_month(r)
    rp = Replay(tuned, r)
    rp.go_to(month)
    assert rp.position == month
    assert rp.trajectory()["escalation"].iloc[-1] >= 2
    assert rp.trajectory()["escalation"].iloc[-2] < 2


def test_scheduled_events_are_marked_on_the_sanctions_and_replay_charts():
    sc = load_scenario("energy_support_georgia_ukraine")
    ens = run_ensemble(tuned_scenario(sc, {}, 50, sc.seed))
    months = {ev.month for ev in sc.events if ev.month is not None}
    assert months
    fig = figs.sanctions_probability(ens, ens)
    assert {s.x0 for s in fig.layout.shapes} == months
    assert all(a.hovertext for a in fig.layout.annotations)
    rp = Replay(ens.scenario, 0)
    rp.to_end()
    replay = figs.replay_chart(rp.trajectory(), ens.replication(0), 0, scenario=ens.scenario)
    assert {s.x0 for s in replay.layout.shapes} == months
