"""The tuning app's logic: controls from the registry, validated edits, ensembles, replay."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.app import figures as figs
from alliance.app.page import compute
from alliance.app.state import (
    EditRejected,
    Replay,
    apply_edit,
    check_replications,
    control_groups,
    parse_number,
    run_ensemble,
    thresholds,
    tuned_scenario,
)
from alliance.model import PARAMS, load_scenario, simulate

REPS = 60


@pytest.fixture(scope="module")
def base():
    return load_scenario("baseline").with_params({"horizon_months": 24})


def test_every_tunable_parameter_has_exactly_one_control_read_from_the_registry():
    controls = [c for group in control_groups().values() for c in group]
    names = [c.name for c in controls]
    assert sorted(names) == sorted(p.name for p in PARAMS.values() if p.tunable)
    assert len(names) == len(set(names))
    for c in controls:
        p = PARAMS[c.name]
        assert (c.low, c.high, c.unit, c.integer) == (p.low, p.high, p.unit, p.integer)
        assert p.description in c.help
        assert p.provenance in c.help
        assert p.unit in c.label
        if p.integer:
            assert c.step == 1.0
        else:
            assert 0 < c.step <= (p.high - p.low) / 50


def test_threshold_group_comes_first_and_holds_the_hardening():
    groups = control_groups()
    first = next(iter(groups))
    assert first == "hegemon.threshold"
    assert [c.name for c in groups[first]] == [
        "hegemon.threshold.diplomatic", "hegemon.threshold.economic", "hegemon.threshold.military",
        "hegemon.hardening"]


@pytest.mark.parametrize(("raw", "value"), [("0.6", 0.6), (" 0,6 ", 0.6), (0.6, 0.6), ("6e-1", 0.6)])
def test_parse_number_accepts_numbers(raw, value):
    assert parse_number(raw, "x") == pytest.approx(value)


@pytest.mark.parametrize("raw", ["abc", "", None, "nan", "inf", "0.6.1", True])
def test_parse_number_rejects_non_numbers(raw):
    with pytest.raises(EditRejected):
        parse_number(raw, "x")


def test_apply_edit_sets_a_valid_value_and_drops_it_again_at_the_scenario_value(base):
    new = apply_edit(base, {}, "hegemon.threshold.economic", "0.6")
    assert new == {"hegemon.threshold.economic": 0.6}
    default = base.params()["hegemon.threshold.economic"]
    assert apply_edit(base, new, "hegemon.threshold.economic", default) == {}


@pytest.mark.parametrize(("name", "raw", "fragment"), [
    ("hegemon.threshold.economic", "abc", "is not a number"),
    ("hegemon.threshold.economic", "1.5", "outside its range"),
    ("hegemon.threshold.economic", "-0.1", "outside its range"),
    ("hegemon.threshold.economic", "0.95", "diplomatic < economic < military"),
    ("partner.patience_months", "2.5", "whole number"),
    ("balancer.initial.energy", "0.9", "above balancer.ceiling.energy"),
    ("no.such.parameter", "1", "unknown parameter"),
])
def test_apply_edit_rejects_bad_values_and_leaves_the_overrides_alone(base, name, raw, fragment):
    before = {"hegemon.threshold.military": 0.9}
    snapshot = dict(before)
    if name == "balancer.initial.energy":
        before = apply_edit(base, before, "balancer.ceiling.energy", 0.5)
        snapshot = dict(before)
    with pytest.raises(EditRejected, match=fragment.replace(".", r"\.").replace("<", "<")):
        apply_edit(base, before, name, raw)
    assert before == snapshot


@pytest.mark.parametrize(("raw", "ok"), [("10", True), ("5000", True), ("9", False), ("5001", False),
                                     ("100.5", False), ("many", False)])
def test_replications_are_checked(raw, ok):
    if ok:
        assert check_replications(raw) == int(raw)
    else:
        with pytest.raises(EditRejected):
            check_replications(raw)


def test_thresholds_are_what_the_hegemon_uses_in_month_0(base):
    """The app draws ``model.thresholds.effective_thresholds``: since issue 10 the ladder slides
    above the tolerated status quo and starting hardening is part of it, so the drawn lines must
    equal the hegemon's own month-0 thresholds in a noise-free run, not ``threshold − hardening``."""
    from alliance.model import AllianceModel

    values = {**base.params(), "hegemon.hardening": 0.1}
    t = thresholds(values)
    model = AllianceModel(base, replications=1, seed=0,
                          params={"hegemon.hardening": 0.1, "hegemon.noise_sd": 0.0, "balancer.belief_sd": 0.0})
    used = model.hegemon.thresholds()[:, 0]
    for i, rung in enumerate(("diplomatic", "economic", "military")):
        assert t[rung] == pytest.approx(float(used[i]))


def test_ensemble_equals_simulate_of_the_tuned_scenario(base):
    tuned = tuned_scenario(base, {"hegemon.threshold.economic": 0.53}, REPS, 7)
    ens = run_ensemble(tuned)
    res = simulate(tuned)
    assert ens.seed == res.seed == 7
    assert ens.summary.equals(res.summary.drop(columns=["run_id", "scenario"]))  # simulate adds the study keys
    by_month = res.trajectories.groupby("month")["sanctions"].mean().to_numpy()
    np.testing.assert_allclose(ens.sanctions_probability(), by_month, atol=1e-12)
    np.testing.assert_allclose(ens.replication(5)["threat"],
                               res.trajectories.query("replication == 5")["threat"], atol=0)


@pytest.fixture
def forced():
    """A move the hegemon answers: since issue 10 it tolerates the status quo whatever its thresholds."""
    return load_scenario("energy_support_forced").with_params({"horizon_months": 24})


def test_lower_economic_threshold_raises_the_sanctions_probability(forced):
    lo = run_ensemble(tuned_scenario(forced, {"hegemon.threshold.economic": 0.51}, REPS, 1))
    hi = run_ensemble(tuned_scenario(forced, {"hegemon.threshold.economic": 0.75}, REPS, 1))
    assert lo.sanctions_probability().sum() > hi.sanctions_probability().sum()


def test_replay_steps_through_the_same_trajectory_as_the_ensemble(forced):
    tuned = tuned_scenario(forced, {"hegemon.threshold.economic": 0.51}, REPS, 3)
    ens = run_ensemble(tuned)
    r = ens.first_sanctioned()
    assert r is not None
    assert ens.summary.set_index("replication").loc[r, "sanctions_ever"] == 1
    rp = Replay(tuned, r)
    assert rp.position == 0
    assert len(rp.trajectory()) == 1
    rp.forward()
    rp.forward()
    rp.back()
    assert rp.position == 1
    rp.to_end()
    assert rp.position == tuned.horizon_months
    rp.forward()  # past the end: stays
    assert rp.position == tuned.horizon_months
    got = rp.trajectory().drop(columns="month").to_numpy()
    want = ens.replication(r).drop(columns="month").to_numpy()
    np.testing.assert_array_equal(got, want)
    table = rp.decisions()
    assert set(table["agent"]) == {"Kazakhstan (balancer)", "NATO (partner)", "Russia (hegemon)"}
    assert "rung" in set(table["state"])
    assert "Cooperation with the partner: energy" in set(table["state"])  # labels, not coop_energy
    assert not any("_" in str(v) for v in table["state"])


def test_replay_of_an_unknown_replication_is_refused(base):
    ens = run_ensemble(tuned_scenario(base, {}, 10, 0))
    with pytest.raises(EditRejected, match="not in this ensemble"):
        ens.replication(10)
    with pytest.raises(EditRejected):
        Replay(ens.scenario, -1)


def test_compute_builds_every_live_figure_with_thresholds_that_follow_the_edit(base):
    base_ens = run_ensemble(tuned_scenario(base, {}, REPS, 0))
    out = compute(("k",), base, {"hegemon.threshold.economic": 0.6, "hegemon.hardening": 0.05}, REPS,
                  base_ens)
    assert set(out.figures) == {"sanctions", "threat", "cooperation", "summary"}
    for name, fig in out.figures.items():
        assert fig.layout.meta == name
    lines = {t.name: list(t.y) for t in out.figures["threat"].data if "threshold" in t.name}
    tuned = thresholds({**base.params(), "hegemon.threshold.economic": 0.6, "hegemon.hardening": 0.05})
    assert lines["economic threshold"] == pytest.approx([tuned["economic"]] * 2)
    untuned = thresholds(base.params())["economic"]
    assert lines["economic threshold (untuned)"] == pytest.approx([untuned, untuned])
    sanc = {t.name: np.asarray(t.y) for t in out.figures["sanctions"].data}
    np.testing.assert_allclose(sanc["tuned: under sanctions that month"], out.ensemble.sanctions_probability())
    ever = np.maximum.accumulate(out.ensemble.outcome("sanctions") > 0.5, axis=0).mean(axis=1)
    np.testing.assert_allclose(sanc["tuned"], ever)
    assert sanc["tuned"][-1] == pytest.approx(out.ensemble.summary["sanctions_ever"].mean())
    assert np.all(np.diff(sanc["tuned"]) >= 0)  # cumulative
    np.testing.assert_allclose(sanc["untuned"][-1], base_ens.summary["sanctions_ever"].mean())
    coop = out.figures["cooperation"]
    medians = [t for t in coop.data if t.name == "tuned: median"]
    assert len(medians) == 6
    np.testing.assert_allclose(medians[2].y, np.median(out.ensemble.outcome("coop_energy"), axis=1),
                               atol=1e-6)


def test_replay_chart_overlays_replay_and_ensemble(base):
    tuned = tuned_scenario(base, {}, 10, 0)
    ens = run_ensemble(tuned)
    rp = Replay(tuned, 4)
    rp.to_end()
    fig = figs.replay_chart(rp.trajectory(), ens.replication(4), 4)
    data = {t.name: list(t.y) for t in fig.data}
    assert data["replay: Hegemon's perceived threat"] == data["ensemble: Hegemon's perceived threat"]
    assert not [n for n in data if "_" in n]  # labels, not coop_energy


def test_figures_pass_plotly_validation(base, monkeypatch):
    """The app builds figures without plotly's (slow) validation; with it on they must pass."""
    monkeypatch.setattr(figs, "VALIDATE", True)
    base_ens = run_ensemble(tuned_scenario(base, {}, 20, 0))
    out = compute(("v",), base, {"hegemon.threshold.economic": 0.6}, 20, base_ens)
    for fig in out.figures.values():
        fig.to_dict()
    rp = Replay(out.ensemble.scenario, 1)
    figs.replay_chart(rp.trajectory(), out.ensemble.replication(1), 1)


def test_tipping_map_marks_the_current_tuning(base):
    from alliance.app.panels import tipping_figure

    tuned = tuned_scenario(base, {"hegemon.threshold.economic": 0.6}, 20, 0)
    fig = tipping_figure(tuned, "hegemon.threshold.economic", "balancer.ceiling.energy")
    assert fig.layout.meta == "tipping"
    marker = next(t for t in fig.data if t.name == "current tuning")
    assert (marker.x[0], marker.y[0]) == (0.6, tuned.params()["balancer.ceiling.energy"])
    heat = next(t for t in fig.data if t.type == "heatmap")
    assert min(heat.x) <= 0.6 <= max(heat.x)
