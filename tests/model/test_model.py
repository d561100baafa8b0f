"""AllianceModel as a Mesa model: ensemble shape, reproducibility, replay, batch_run, DataCollector."""

from __future__ import annotations

import inspect

import mesa
import numpy as np
import pandas as pd
import pytest

from alliance.model import SUMMARY_OUTCOMES, TRAJECTORY_OUTCOMES, AllianceModel, load_scenario, simulate

# One run per parameter combination: Mesa ≥ 3.4 deprecates `iterations` in favour of `rng`.
BATCH_ONCE = {"rng": [None]} if "rng" in inspect.signature(mesa.batch_run).parameters else {"iterations": 1}


@pytest.fixture(scope="module")
def energy():
    return load_scenario("energy_support_georgia_ukraine")


def test_tidy_frames(energy):
    res = simulate(energy, replications=50, months=12)
    assert len(res.trajectories) == 50 * 13
    assert list(res.trajectories.columns) == ["run_id", "scenario", "replication", "month", *TRAJECTORY_OUTCOMES]
    assert list(res.summary.columns) == ["run_id", "scenario", "replication", *SUMMARY_OUTCOMES]
    assert res.trajectories.groupby("replication").size().eq(13).all()


def test_same_seed_identical_other_seed_differs(energy):
    a = simulate(energy, replications=200, seed=7).trajectories
    b = simulate(energy, replications=200, seed=7).trajectories
    c = simulate(energy, replications=200, seed=8).trajectories
    pd.testing.assert_frame_equal(a, b)
    assert not a["threat"].equals(c["threat"])


def test_replication_independent_of_batch_size(energy):
    big = simulate(energy, replications=1000, seed=3).trajectories
    small = simulate(energy, replications=10, seed=3).trajectories
    alone = simulate(energy, seed=3, replication_ids=[7]).trajectories
    b7 = big[big.replication == 7].reset_index(drop=True)
    pd.testing.assert_frame_equal(b7, small[small.replication == 7].reset_index(drop=True))
    pd.testing.assert_frame_equal(b7, alone.reset_index(drop=True))


def test_chunks_of_a_batch_equal_the_whole(energy):
    whole = simulate(energy, replications=300, seed=11).summary
    parts = pd.concat([simulate(energy, seed=11, replication_ids=np.arange(a, a + 100)).summary
                       for a in (0, 100, 200)], ignore_index=True)
    pd.testing.assert_frame_equal(whole, parts)


def test_per_replication_parameters_match_scalar_runs(energy):
    """A chunk mixing parameter values equals separate runs with each value."""
    thr = np.array([0.6, 0.75] * 50)
    mixed = simulate(energy, params={"hegemon.threshold.economic": thr}, replication_ids=np.arange(100)).summary
    for value in (0.6, 0.75):
        ids = np.flatnonzero(thr == value)
        alone = simulate(energy.with_params({"hegemon.threshold.economic": value}),
                         replication_ids=ids).summary
        pd.testing.assert_frame_equal(mixed.iloc[ids].reset_index(drop=True), alone)


def test_bad_per_replication_parameters_rejected(energy):
    with pytest.raises(ValueError, match="outside its range"):
        AllianceModel(energy, replications=3, params={"hegemon.threshold.economic": [0.6, 2.0, 0.6]})
    with pytest.raises(ValueError, match="inconsistent"):
        AllianceModel(energy, replications=2, params={"hegemon.threshold.economic": [0.6, 0.3]})


def test_r1_is_an_ordinary_mesa_model_with_datacollector(energy):
    m = AllianceModel(energy, replications=1, seed=5, months=10)
    assert isinstance(m, mesa.Model)
    assert {type(a).__name__ for a in m.agents} == {"Balancer", "Partner", "Hegemon"}
    names = {a.name for a in m.agents}
    assert names == {"Kazakhstan", "NATO", "Russia"}
    m.run()
    df = m.datacollector.get_model_vars_dataframe()
    assert len(df) == 11
    traj = m.trajectories()
    np.testing.assert_allclose(df["threat"].to_numpy(), traj["threat"].to_numpy(), rtol=1e-6)


def test_mesa_batch_run_drives_it(energy):
    rows = mesa.batch_run(
        AllianceModel,
        parameters={"scenario": [energy], "replication_ids": [[0], [1], [2]], "months": 12},
        **BATCH_ONCE, max_steps=12, data_collection_period=-1, display_progress=False,
    )
    assert len(rows) == 3
    ref = simulate(energy, replications=3, months=12).trajectories
    for row in rows:
        r = row["replication_ids"][0]
        final = ref[(ref.replication == r) & (ref.month == row["Step"])]  # batch_run's step index
        assert row["threat"] == pytest.approx(float(final["threat"].iloc[0]), rel=1e-6)


def test_conditional_event_fires_per_replication():
    sc = load_scenario("baseline").model_validate({
        **load_scenario("baseline").model_dump(exclude_none=True),
        "events": [{"when": {"outcome": "escalation", "above": 1}, "kind": "harden", "amount": 0.2}],
    })
    m = AllianceModel(sc, replications=200, months=24).run()
    esc = m.outcome("escalation")
    hard = m.p("hegemon.hardening")
    protested = (esc[:-1] >= 1).any(axis=0)
    # hardened exactly where a protest happened before the last month
    assert np.array_equal(np.broadcast_to(hard, (200,)) > 0, protested)


def test_release_frees_arrays_and_keeps_returned_frames_valid(energy):
    m = AllianceModel(energy, replications=50, months=6).run()
    traj, summ = m.trajectories(), m.summary()
    before = traj.copy()
    m.release()
    assert m.record.size == 0
    assert m.balancer.coop.size == 0
    assert not m.running
    pd.testing.assert_frame_equal(traj, before)
    assert len(summ) == 50
