"""A steady start (issue 10): the initial state is the balancer's best response under the status
quo, the partner rests at its target and the hegemon tolerates what it has lived with, so with
nothing new nothing moves (ODD 5)."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.analysis.validate import window_of
from alliance.model import AllianceModel, load_scenario
from alliance.model.scenario_files import scenarios_dir

SHIPPED = sorted(p for p in scenarios_dir().glob("*.yaml"))
EPISODES = sorted((scenarios_dir() / "episodes").glob("*.yaml"))
QUIET = {"hegemon.noise_sd": 0.0}


def _state(m: AllianceModel) -> np.ndarray:
    """Every state variable that drives the next month, float64, one column per replication."""
    b, h, p = m.balancer, m.hegemon, m.partner
    return np.vstack([b.coop, b.belief, p.interest, p.offers, h.threat, h.rung, h.remaining,
                      h.inducement_on, b.welfare])


@pytest.mark.parametrize("path", SHIPPED + EPISODES, ids=lambda p: p.stem)
def test_no_events_no_noise_constant_for_120_months(path):
    sc = load_scenario(path).model_copy(update={"events": []})
    m = AllianceModel(sc, replications=3, months=120, params=QUIET, collect=False)
    start = _state(m)
    worst = 0.0
    while m.running:
        m.step()
        worst = max(worst, float(np.abs(_state(m) - start).max()))
    assert worst <= 1e-9, f"{path.stem}: state moved by {worst:.3g} with nothing happening"


@pytest.mark.parametrize("path", EPISODES, ids=lambda p: p.stem)
def test_episode_pre_trigger_state_is_the_files_initial_state(path):
    """No burn-in drift: just before the hegemon can see the trigger, the balancer is where the
    file puts it (history's before), with or without the default noise."""
    sc = load_scenario(path)
    ref = window_of(sc).reference
    for params in (QUIET, None):
        m = AllianceModel(sc, replications=200, months=ref, params=params, collect=False)
        start = _state(m)
        m.run()
        assert np.abs(_state(m) - start).max() <= 1e-9, (path.stem, params)


def test_the_start_is_not_trivially_still():
    """The steady start is a property of the state, not a frozen model: a lost foothold moves it."""
    sc = load_scenario("kyrgyz_base_closure")
    m = AllianceModel(sc, replications=3, months=24, params=QUIET, collect=False).run()
    assert m.partner.interest[0] > 0.7
    assert m.balancer.coop[2, 0] > 0.16
