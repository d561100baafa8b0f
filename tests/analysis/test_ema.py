"""alliance.analysis.ema: a scenario's uncertainties as EMA Workbench parameters; refused points give NaN."""

from __future__ import annotations

import math

import pytest

ema = pytest.importorskip("ema_workbench")  # Python ≥ 3.12 only

from alliance.analysis.ema import dotted_name, ema_model, ema_name, ema_uncertainties  # noqa: E402
from alliance.model import load_scenario  # noqa: E402


def _with(uncertainties: dict) -> object:
    base = load_scenario("energy_support_forced").model_dump(exclude_none=True)
    return type(load_scenario("baseline")).model_validate({**base, "uncertainties": uncertainties})


def test_each_distribution_maps_to_the_matching_ema_parameter():
    sc = _with({
        "hegemon.threshold.economic": {"dist": "uniform", "low": 0.6, "high": 0.8},
        "balancer.export_share_via_russia": {"dist": "triangular", "low": 0.5, "mode": 0.75, "high": 0.9},
        "hegemon.noise_sd": {"dist": "normal", "mean": 0.05, "sd": 0.02, "low": 0.01, "high": 0.12},
        "hegemon.long_measure_probability": [0.2, 0.35, 0.5],
        "partner.patience_months": {"dist": "uniform", "low": 3, "high": 12},
    })
    params = {dotted_name(p.name): p for p in ema_uncertainties(sc)}
    assert all(p.name.isidentifier() for p in params.values())
    u = params["hegemon.threshold.economic"]
    assert isinstance(u, ema.RealParameter)
    assert (u.lower_bound, u.upper_bound) == pytest.approx((0.6, 0.8))
    tri = params["balancer.export_share_via_russia"].dist
    assert tri.ppf(0) == pytest.approx(0.5)
    assert tri.ppf(1) == pytest.approx(0.9)
    assert tri.pdf(0.75) > tri.pdf(0.6)
    norm = params["hegemon.noise_sd"].dist
    assert (norm.ppf(0), norm.ppf(1)) == pytest.approx((0.01, 0.12))
    assert norm.median() == pytest.approx(0.05, abs=0.005)
    assert isinstance(params["hegemon.long_measure_probability"], ema.CategoricalParameter)
    assert isinstance(params["partner.patience_months"], ema.IntegerParameter)
    assert ema_name("partner.patience_months") == "partner__patience_months"


def test_weighted_choice_and_no_uncertainties_are_refused():
    sc = _with({"hegemon.long_measure_probability": {"dist": "choice", "values": [0.2, 0.5], "weights": [1, 3]}})
    with pytest.raises(ValueError, match="weighted choice"):
        ema_uncertainties(sc)
    with pytest.raises(ValueError, match="no uncertainties"):
        ema_uncertainties("baseline")


def test_a_refused_point_gives_nan_and_a_good_one_numbers():
    model = ema_model("energy_support_uncertain", outcomes=["sanctions_ever", "final_alignment"],
                      replications=5, months=6)
    bad = model.function(hegemon__threshold__economic=0.3, hegemon__threshold__diplomatic=0.5)
    assert all(math.isnan(v) for v in bad.values())
    good = model.function(hegemon__threshold__economic=0.7, hegemon__threshold__diplomatic=0.5)
    assert all(math.isfinite(v) for v in good.values())
    with pytest.raises(ValueError, match="unknown summary outcome"):
        ema_model("energy_support_uncertain", outcomes=["threat"])
