"""Property-based tests over random valid parameters (hypothesis).

For any valid parameter set and any shipped scenario: every recorded outcome is finite and inside
its declared range, no ceiling is ever crossed, the same seed gives identical results, and a
replication run alone equals the same replication inside a batch.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.model import DOMAINS, SUMMARY_OUTCOMES, TRAJECTORY_OUTCOMES, simulate
from alliance.model.scenario_files import load_scenario, shipped_scenarios
from tests.property import strategies

SCENARIOS = {name: load_scenario(path) for name, path in shipped_scenarios().items()}
R, MONTHS = 16, 24


valid_params = strategies.valid_params


def _check_ranges(res):
    traj, summ = res.trajectories, res.summary
    for name, o in TRAJECTORY_OUTCOMES.items():
        col = traj[name].to_numpy(dtype=float)
        assert np.isfinite(col).all(), name
        assert col.min() >= o.low - 1e-6, (name, col.min())
        assert col.max() <= o.high + 1e-6, (name, col.max())
    for name, o in SUMMARY_OUTCOMES.items():
        col = summ[name].dropna().to_numpy(dtype=float)
        assert np.isfinite(col).all(), name
        if len(col):
            assert col.min() >= o.low - 1e-6, name
            assert col.max() <= o.high + 1e-6, name
    assert summ["first_sanctions_month"].isna().eq(summ["sanctions_ever"] == 0).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=valid_params(), scenario=st.sampled_from(sorted(SCENARIOS)), seed=st.integers(0, 2**32))
def test_outputs_finite_in_range_and_ceilings_hold(params, scenario, seed):
    sc = SCENARIOS[scenario]
    res = simulate(sc, replications=R, seed=seed, months=MONTHS, params=params)
    _check_ranges(res)
    for d in DOMAINS:
        ceiling = params[f"balancer.ceiling.{d}"]
        assert res.trajectories[f"coop_{d}"].max() <= ceiling + 1e-6, d


@settings(max_examples=15, deadline=None)
@given(params=valid_params(), seed=st.integers(0, 2**63 - 1), r=st.integers(0, 10_000))
def test_same_seed_identical_and_replay_equals_batch(params, seed, r):
    sc = SCENARIOS["energy_support_georgia_ukraine"]
    ids = np.array([r, r + 1, r + 5])
    a = simulate(sc, seed=seed, months=12, params=params, replication_ids=ids)
    b = simulate(sc, seed=seed, months=12, params=params, replication_ids=ids)
    pd.testing.assert_frame_equal(a.trajectories, b.trajectories)
    alone = simulate(sc, seed=seed, months=12, params=params, replication_ids=[r + 5])
    in_batch = a.trajectories[a.trajectories.replication == r + 5].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone.trajectories.reset_index(drop=True), in_batch)


def test_every_shipped_scenario_with_defaults_in_range_no_nan():
    for name, sc in SCENARIOS.items():
        res = simulate(sc, replications=300)
        _check_ranges(res)
        for d in DOMAINS:
            ceiling = sc.params()[f"balancer.ceiling.{d}"]
            assert res.trajectories[f"coop_{d}"].max() <= ceiling + 1e-6, (name, d)
