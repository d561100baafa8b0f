"""The shipped A- and R-class defaults are the shipped posterior's central values (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.analysis.calibrate import prior_box
from alliance.analysis.hindcast import EpisodeSet
from alliance.model.calibrated import CALIBRATED, EPISODE_HASH
from alliance.model.parameters import PARAMS, cross_check, defaults
from alliance.model.posterior import episode_hash, load_posterior
from alliance.model.scenario_files import scenarios_dir

POSTERIOR = Path(__file__).resolve().parents[2] / "data" / "posterior.json"


def test_calibrated_table_is_the_shipped_posteriors_central_values() -> None:
    post = load_posterior(POSTERIOR)
    assert post.episode_hash == EPISODE_HASH
    assert post.central() == CALIBRATED


def test_shipped_posterior_is_fitted_to_the_shipped_episodes() -> None:
    eps = EpisodeSet.load([scenarios_dir() / "episodes"])
    assert episode_hash(eps.files) == EPISODE_HASH


def test_every_calibrated_parameter_defaults_to_its_central_value() -> None:
    assert set(CALIBRATED) == set(prior_box())  # every A- and R-class parameter, nothing else
    for name, value in CALIBRATED.items():
        p = PARAMS[name]
        assert p.default == value
        assert p.plausible is not None and p.plausible[0] <= p.default <= p.plausible[1], name
        assert "posterior median" in p.provenance
    assert cross_check(defaults()) == []


def test_central_value_is_the_weighted_median() -> None:
    post = load_posterior(POSTERIOR)
    post.weights[:] = 0.0
    post.weights[[0, 1, 2]] = [0.2, 0.2, 0.6]  # the third sample holds the median mass
    j = post.names.index("hegemon.threshold.economic")
    assert post.central()["hegemon.threshold.economic"] == pytest.approx(float(f"{post.samples[2, j]:.2g}"))
