"""A choice rule independent of the utility unit (issue 10).

Utility has no natural unit: multiplying every parameter measured in utility by the same k must
leave every trajectory unchanged (welfare, itself in utility, scales by k). The parameters are
found from their declared unit in the registry, not from a hand list, so a new utility parameter
is covered the day it is added.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import alliance.model.model as model_module
from alliance.model import PARAMS, AllianceModel, load_scenario, rules, scalar_rules
from alliance.model.scenario import SetEvent
from alliance.model.scenario_files import scenarios_dir

UTILITY = sorted(n for n, p in PARAMS.items() if p.unit.split("/")[0] == "utility")
FACTORS = (0.5, 2.0, 10.0)
ALL = sorted(scenarios_dir().glob("*.yaml")) + sorted((scenarios_dir() / "episodes").glob("*.yaml"))


def test_the_registry_declares_utility_parameters():
    assert len(UTILITY) >= 6
    assert "balancer.effort_cost" in UTILITY
    assert "hegemon.sanction_severity" in UTILITY


def _state(m: AllianceModel, k: float) -> np.ndarray:
    b, h, p = m.balancer, m.hegemon, m.partner
    return np.vstack([b.coop, b.belief, p.interest, h.threat, h.rung, h.remaining, h.inducement_on,
                      b.welfare / k])


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_trajectories_do_not_depend_on_the_utility_unit(path, monkeypatch):
    # Admissible ranges state what is plausible in today's unit; this test changes the unit, so a
    # scaled value may leave its range (benefit.basing 2.0 × 10). The engine must not care.
    monkeypatch.setattr(model_module, "check_value", lambda name, value: None)
    sc = load_scenario(path)
    values = sc.params()
    months = min(sc.horizon_months, 120)

    def model(k: float) -> AllianceModel:
        events = [ev.model_copy(update={"value": ev.value * k})
                  if isinstance(ev, SetEvent) and ev.param in UTILITY else ev for ev in sc.events]
        return AllianceModel(sc.model_copy(update={"events": events}), replications=100,
                             months=months, collect=False,
                             params={n: values[n] * k for n in UTILITY})

    ref = model(1.0)
    others = {k: model(k) for k in FACTORS}
    worst = 0.0
    while ref.running:
        ref.step()
        want = _state(ref, 1.0)
        for k, m in others.items():
            m.step()
            worst = max(worst, float(np.abs(_state(m, k) - want).max()))
    assert ref.month == months
    assert worst <= 1e-9, f"{path.stem}: trajectories moved by {worst:.3g} when the utility unit changed"


def test_the_check_has_teeth():
    """Scaling only some utility parameters does change trajectories."""
    sc = load_scenario("energy_support_georgia_ukraine")
    a = AllianceModel(sc, replications=50, months=24, collect=False).run()
    b = AllianceModel(sc, replications=50, months=24, collect=False,
                      params={"hegemon.sanction_severity": 1.0}).run()
    assert np.abs(a.record - b.record).max() > 1e-3


@settings(max_examples=300, deadline=None)
@given(c=st.floats(0.0, 1.0), top=st.floats(0.0, 1.0), grad=st.floats(-1e-3, 1e-3), curv=st.floats(1e-6, 1e-3),
       reward=st.floats(0.0, 1e-3), level=st.floats(0.0, 1.0), forfeit=st.floats(0.0, 1e-3),
       accepted=st.floats(0.0, 1.0), k=st.sampled_from([2.0 ** -40, 0.5, 2.0, 2.0 ** 20]))
def test_the_choice_among_candidates_does_not_depend_on_the_utility_unit(c, top, grad, curv, reward, level,
                                                                          forfeit, accepted, k):
    """Session 20 (benchmarks/coherence_audit.py): the best of the kinked candidates was picked with
    a tie tolerance of 1e-15 *utility*, so near-ties broke differently in another unit (random
    scenarios moved by ~5e-9 at k = 0.5). Scaling by a power of two is exact in floating point, so
    the choice must be identical, in the numpy rule and its scalar twin."""
    hi = max(c, top)
    a = scalar_rules.choose_cooperation(c, 0.0, hi, grad, curv, 0.5, 1.0, reward, level, forfeit, accepted)
    b = scalar_rules.choose_cooperation(c, 0.0, hi, grad * k, curv * k, 0.5, 1.0, reward * k, level, forfeit * k,
                                        accepted)
    assert a == b
    arr = [np.array([[x]]) for x in (c, 0.0, hi)]
    na = rules.choose_cooperation(*arr, np.array([[grad]]), np.array([[curv]]), np.array(0.5), np.array(1.0),
                                  np.array([[reward]]), np.array([[level]]), np.array([[forfeit]]), np.array([[accepted]]))
    nb = rules.choose_cooperation(*arr, np.array([[grad * k]]), np.array([[curv * k]]), np.array(0.5), np.array(1.0),
                                  np.array([[reward * k]]), np.array([[level]]), np.array([[forfeit * k]]),
                                  np.array([[accepted]]))
    assert na[0, 0] == nb[0, 0] == a
