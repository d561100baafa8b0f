"""Metamorphic relations where the hegemon does impose its measures (session 20).

The balancer relations of ``test_balancer_relations.py`` are checked on NATO's energy request, to
which the hegemon rarely answers with sanctions. Where it does (steps toward membership:
``shared/episodes.md`` G1, UG9, M0, GE14), the same relations must hold: a balancer for whom
sanctions are costlier, or that trades more through the hegemon, does not go further. The
coherence audit (``benchmarks/coherence_audit.py``) found them reversed there: once sanctions were
in force the balancer stopped fearing them (its anticipated cost switched to the next rung only),
while its status-quo term, which prices that fear in, stayed, so the harsher the sanctions the
harder the pull west. Coercion works through the pain still to come (Schelling 1966): measures in
force are feared to stay, so the balancer keeps weighing them (``rules.marginal_utility``).
"""

from __future__ import annotations

import numpy as np

from alliance.model import rules, scalar_rules

from .grid import relation, run_grid, time_mean

MONTHS = 36


def peak(outcome: str):
    return lambda m: m.outcome(outcome)[1:].astype(np.float64).max(axis=0)


def test_sanction_severity_lowers_integration_where_sanctions_come():
    """Drezner 1999: the costlier the sanctions, the more the balancer restrains itself, also once
    they are imposed (GE14: the association agreement drew protests and trade measures)."""
    grid = list(np.linspace(0.0, 3.0, 13))
    values = run_grid("ge14_georgia_2014", grid, time_mean("coop_integration"), months=MONTHS,
                      params=lambda x: {"hegemon.sanction_severity": x})
    relation("sanction severity ↑ ⇒ integration ↓ (GE14)", grid, values, -1)


def test_exposure_lowers_integration_where_sanctions_come():
    """Drezner 1999, Snyder 1984: the more of its trade the hegemon can cut, the less the balancer
    dares (UG9: the MAP request met gas and trade measures)."""
    grid = list(np.linspace(0.3, 0.95, 7))
    values = run_grid("ug9_ukraine_2009", grid, peak("coop_integration"), months=MONTHS,
                      params=lambda x: {"balancer.export_share_via_russia": x})
    relation("exposure ↑ ⇒ integration ↓ (UG9)", grid, values, -1)


def test_measures_in_force_are_still_feared():
    """The rule itself: under sanctions the slope of utility falls with the sanctions' cost, in the
    numpy rule and its scalar twin (before session 20 it did not depend on it at all)."""
    coop = np.full((6, 1), 0.3)
    sens = np.array([[0.05], [0.12], [0.8], [0.6], [1.0], [0.95]])
    slopes = []
    for cost in (0.0, 0.5, 1.0, 2.0):
        grad, _ = rules.marginal_utility(
            coop, np.full((6, 1), 0.5), np.full((6, 1), 0.6), np.array(0.4), np.array(0.8), sens, np.array(0.1),
            np.array([0.55]), np.array(0.06), np.array([2], np.int8), np.array(1.0), np.array(cost), np.array(2.0),
            np.array([0.0]), accepted=coop)
        slopes.append(grad[:, 0])
        threat = float(rules.threat_of(coop, sens, np.array(0.1))[0])
        fear_dp, _ = scalar_rules.retaliation(threat, 0.55, 0.06, 2, 1.0, cost, 2.0)
        fear_dp0, _ = scalar_rules.retaliation(threat, 0.55, 0.06, 2, 1.0, 0.0, 2.0)
        assert fear_dp >= fear_dp0
    steps = np.diff(np.array(slopes), axis=0)
    assert (steps < 0).all(), steps
