"""A choice rule independent of the utility unit (issue 10).

Utility has no natural unit: multiplying every parameter measured in utility by the same k must
leave every trajectory unchanged (welfare, itself in utility, scales by k). The parameters are
found from their declared unit in the registry, not from a hand list, so a new utility parameter
is covered the day it is added.
"""

from __future__ import annotations

import numpy as np
import pytest

import alliance.model.model as model_module
from alliance.model import PARAMS, AllianceModel, load_scenario
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
