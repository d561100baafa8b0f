"""Metamorphic relations of the hegemon and the partner (issue 10), each with its theory source."""

from __future__ import annotations

import numpy as np

from alliance.model import load_scenario
from alliance.model.scenario import HardenEvent, LoseAlternativeEvent

from .grid import ever, final, relation, run_grid, time_mean

MONTHS = 36


def test_sensitivity_does_not_lower_sanctions_in_the_energy_scenario():
    """Walt 1985 (balance of threat): the more threatening the hegemon finds energy cooperation,
    the likelier its economic measures when the balancer joins NATO's energy plans (briefing:
    "Russia would probably impose some kind of economic sanctions"). Stated for the balancer made
    to comply: a free balancer restrains itself more the more sensitive the hegemon is, so there
    P(sanctions) can fall (the sanctions paradox, Drezner 1999; episode K1)."""
    grid = list(np.linspace(0.4, 1.0, 13))
    values = run_grid("energy_support_forced", grid, ever("sanctions"), months=MONTHS,
                      params=lambda x: {"hegemon.sensitivity.energy": x})
    relation("hegemon sensitivity ↑ ⇒ P(sanctions) not ↓ (energy, forced)", grid, values, +1, strict=False)


def test_hardening_raises_escalation():
    """Kahn 1965: a harder posture lowers every rung of the ladder, so the same move draws a
    higher response (G1, B1: provocations outside the six domains)."""
    base = load_scenario("energy_support_georgia_ukraine")
    grid = list(np.linspace(0.0, 0.3, 13))

    def build(x):
        if x == 0:
            return base
        return base.model_copy(update={"events": [*base.events, HardenEvent(kind="harden", month=3, amount=x)]})

    values = run_grid(base, grid, time_mean("escalation"), build=build, months=MONTHS)
    relation("hardening ↑ ⇒ escalation ↑", grid, values, +1)


def test_footholds_lost_raise_partner_interest_unsaturated_at_the_kyrgyz_closure():
    """Substitution between footholds (briefing: "NATO has lost out in Uzbekistan and the future
    of the … base in Kyrgyzstan is unclear, so cooperation with Kazakstan is growing"). The Kyrgyz
    closure (0.4 footholds lost) still moves interest by a step of its size."""
    base = load_scenario("baseline")
    grid = [round(x, 3) for x in np.linspace(0.0, 0.4, 9)]

    def build(x):
        if x == 0:
            return base
        return base.model_copy(update={"events": [LoseAlternativeEvent(kind="lose_alternative", month=6,
                                                                      amount=x)]})

    values = run_grid(base, grid, final("interest"), build=build, months=MONTHS)
    rel = relation("footholds lost ↑ ⇒ partner interest ↑", grid, values, +1)
    # not saturated: the last step (to the Kyrgyz closure's 0.4) is as large as the first
    assert rel.steps[-1] >= 0.5 * rel.steps[0], rel.table()
    sub = load_scenario("kyrgyz_base_closure").params()["partner.substitution"]
    assert rel.total >= 0.8 * sub * 0.4, rel.table()
