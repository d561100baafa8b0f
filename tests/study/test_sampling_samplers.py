"""Samplers: Latin hypercube strata, supports, reproducibility, grids, SALib problem, cross-checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from alliance.errors import UserError
from alliance.model.scenario import Scenario
from alliance.model.scenario_files import load_scenario
from alliance.study.sampling import SAMPLERS, problem, sample, to_values

BLOCK = {
    "hegemon.threshold.economic": {"dist": "uniform", "low": 0.6, "high": 0.8},
    "balancer.export_share_via_russia": {"dist": "triangular", "low": 0.5, "mode": 0.75, "high": 0.9},
    "hegemon.noise_sd": {"dist": "normal", "mean": 0.05, "sd": 0.04, "low": 0.01, "high": 0.12},
    "partner.patience_months": {"dist": "choice", "values": [3, 6, 12], "weights": [1, 2, 1]},
    "hegemon.long_measure_probability": [0.2, 0.35, 0.5],
    "hegemon.long_duration_min": {"dist": "uniform", "low": 10.6, "high": 24.4},
}


def _scenario(block: dict | None = BLOCK, sweep: dict | None = None) -> Scenario:
    base = load_scenario("baseline")
    data = base.model_dump(exclude_none=True)
    data.update(name="study", description="a study scenario for the sampler tests")
    if block is not None:
        data["uncertainties"] = block
    if sweep is not None:
        data["sweep"] = sweep
    return Scenario.model_validate(data)


def _cdf(u, x: np.ndarray) -> np.ndarray:
    if u.dist == "uniform":
        return (x - u.low) / (u.high - u.low)
    if u.dist == "triangular":
        w = u.high - u.low
        return stats.triang.cdf(x, (u.mode - u.low) / w, loc=u.low, scale=w)
    a, b = (u.low - u.mean) / u.sd, (u.high - u.mean) / u.sd
    return stats.truncnorm.cdf(x, a, b, loc=u.mean, scale=u.sd)


@pytest.mark.parametrize("n", [7, 50, 333])
def test_lhs_hits_each_stratum_once(n: int) -> None:
    sc = _scenario()
    d = sample(sc, n, "lhs", seed=3)
    assert len(d) == n
    for name in ("hegemon.threshold.economic", "balancer.export_share_via_russia", "hegemon.noise_sd"):
        strata = np.floor(_cdf(sc.uncertainties[name], d[name].to_numpy()) * n + 1e-9).astype(int)
        assert sorted(strata.tolist()) == list(range(n)), name


def test_lhs_gives_choices_in_proportion() -> None:
    d = sample(_scenario(), 400, "lhs", seed=1)
    counts = d["partner.patience_months"].value_counts().to_dict()
    assert counts == {6.0: 200, 3.0: 100, 12.0: 100}  # strata of width 1/400 over cumulative weights


@pytest.mark.parametrize("sampler", ["lhs", "sobol", "mc"])
def test_values_stay_inside_supports(sampler: str) -> None:
    sc = _scenario()
    d = sample(sc, 512, sampler, seed=11)
    for name, u in sc.uncertainties.items():
        col = d[name]
        if u.dist == "choice":
            assert set(col.unique()) <= set(u.values), name
        else:
            lo, hi = u.support()
            assert col.between(lo, hi).all(), name
    whole = d["hegemon.long_duration_min"]
    assert (whole == np.rint(whole)).all()
    assert whole.between(11, 24).all()
    assert whole.nunique() > 5


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_same_seed_same_samples(sampler: str) -> None:
    sc = _scenario()
    n = 3 if sampler == "grid" else 16  # grid: 3 levels per continuous uncertainty
    a, b = sample(sc, n, sampler, seed=5), sample(sc, n, sampler, seed=5)
    pd.testing.assert_frame_equal(a, b)
    if sampler != "grid":
        c = sample(sc, n, sampler, seed=6)
        assert not a.equals(c)


def test_mc_choice_frequencies_follow_weights() -> None:
    d = sample(_scenario(), 20_000, "mc", seed=2)
    share = d["partner.patience_months"].value_counts(normalize=True)
    assert share[6.0] == pytest.approx(0.5, abs=0.02)
    assert share[3.0] == pytest.approx(0.25, abs=0.02)


def test_grid_is_the_full_factorial() -> None:
    sc = _scenario(block={"partner.patience_months": [3, 6]},
                   sweep={"balancer.risk_aversion": [0.5, 1.5, 3.0],
                          "hegemon.hardening": {"low": -0.2, "high": 0.2, "steps": 5}})
    d = sample(sc, None, "grid")
    assert len(d) == 3 * 5 * 2
    assert not d.duplicated().any()
    assert set(d["hegemon.hardening"].round(12)) == {-0.2, -0.1, 0.0, 0.1, 0.2}


def test_grid_levels_for_continuous_uncertainties() -> None:
    sc = _scenario(block={"hegemon.threshold.economic": {"dist": "uniform", "low": 0.6, "high": 0.8}})
    d = sample(sc, 4, "grid")
    assert d["hegemon.threshold.economic"].tolist() == pytest.approx([0.625, 0.675, 0.725, 0.775])
    with pytest.raises(UserError, match="needs --samples"):
        sample(sc, None, "grid")


def test_sweep_crossed_with_samples() -> None:
    sc = _scenario(sweep={"balancer.risk_aversion": [0.5, 3.0]})
    d = sample(sc, 10, "lhs", seed=0)
    assert len(d) == 20
    inner = sample(_scenario(), 10, "lhs", seed=0)
    for _k, part in d.groupby("balancer.risk_aversion"):
        pd.testing.assert_frame_equal(part[list(inner.columns)].reset_index(drop=True),
                                      inner.reset_index(drop=True))


def test_problem_is_a_salib_description() -> None:
    from SALib.sample import latin

    sc = _scenario()
    p = problem(sc)
    assert p["num_vars"] == len(BLOCK)
    assert p["names"] == list(BLOCK)
    assert p["dists"][:3] == ["unif", "triang", "truncnorm"]
    assert p["bounds"][1] == pytest.approx([0.5, 0.9, 0.625])
    x = latin.sample(p, 64, seed=1)
    vals = to_values(sc, x)
    for name, u in sc.uncertainties.items():
        if u.dist == "choice":
            assert set(vals[name]) <= set(u.values)
        else:
            lo, hi = u.support()
            assert vals[name].between(lo - 1e-9, hi + 1e-9).all()
    with pytest.raises(UserError, match="no 'uncertainties:' block"):
        problem(load_scenario("baseline"))


def test_samples_that_break_cross_field_rules_reject_the_study() -> None:
    # each range alone is admissible, but diplomatic 0.58 with economic 0.56 is not
    sc = _scenario(block={"hegemon.threshold.diplomatic": {"dist": "uniform", "low": 0.4, "high": 0.6},
                          "hegemon.threshold.economic": {"dist": "uniform", "low": 0.55, "high": 0.7}})
    with pytest.raises(UserError, match=r"break the model's cross-field rules.*diplomatic < economic"):
        sample(sc, 200, "lhs", seed=0)


def test_bad_requests() -> None:
    sc = _scenario()
    with pytest.raises(UserError, match="unknown sampler 'latin'"):
        sample(sc, 10, "latin")
    with pytest.raises(UserError, match="no 'uncertainties:' or 'sweep:'"):
        sample(load_scenario("baseline"), 10)
    with pytest.raises(UserError, match="needs --samples"):
        sample(sc, None, "lhs")
