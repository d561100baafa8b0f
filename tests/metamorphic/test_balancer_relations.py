"""Metamorphic relations of the balancer's choice (issue 10), each with its theory source.

The shipped status quo is the balancer's best response by construction (revealed preference,
ODD 5), so the relations are checked on the response to a change: NATO's request to join its
energy plans for Georgia and Ukraine (``energy_support_georgia_ukraine``), measured as the highest
energy cooperation the balancer reaches in 36 months ("how far does Kazakhstan go"), or as
P(sanctions) where the hegemon's answer is the point. Grids span the parameter's range; see
``grid.py`` for the shared paired check.
"""

from __future__ import annotations

import numpy as np

from .grid import ever, relation, run_grid, time_mean

ENERGY = "energy_support_georgia_ukraine"
MONTHS = 36
TOP_REWARD = {"partner.request_reward": 3.0}
"""The top of the reward's range: a request strong enough that a free balancer sometimes goes far
enough to draw sanctions, so that P(sanctions) can respond at all (at the default reward it is 0)."""


def peak(outcome: str):
    return lambda m: m.outcome(outcome)[1:].astype(np.float64).max(axis=0)


def _grid(param, grid, measure, extra=None, scenario=ENERGY):
    extra = extra or {}
    return run_grid(scenario, grid, measure, months=MONTHS, params=lambda x: {param: x, **extra})


def test_exposure_lowers_sensitive_cooperation():
    """Drezner 1999, Snyder 1984: the more of its trade the hegemon can cut, the less the balancer
    dares in domains the hegemon finds threatening (briefing: "could be risky")."""
    grid = list(np.linspace(0.3, 0.95, 7))
    relation("exposure ↑ ⇒ energy cooperation ↓", grid,
             _grid("balancer.export_share_via_russia", grid, peak("coop_energy")), -1)


def test_bloc_commitment_lowers_cooperation():
    """Commitments (briefing: "the boundaries set by Kazak membership of the CSTO and the SCO"):
    breaching them costs more, and bloc allies are offered carrots to stay (Z1, K1)."""
    grid = list(np.linspace(0.0, 1.0, 11))
    relation("bloc commitment ↑ ⇒ energy cooperation ↓", grid,
             _grid("balancer.bloc_commitment", grid, peak("coop_energy")), -1)


def test_risk_aversion_lowers_cooperation_and_sanctions():
    """Drezner 1999 (the sanctions paradox): a balancer that weighs anticipated retaliation more
    restrains itself, so it cooperates less and is sanctioned less (K1)."""
    grid = list(np.linspace(0.0, 3.0, 13))
    relation("risk aversion ↑ ⇒ energy cooperation ↓", grid,
             _grid("balancer.risk_aversion", grid, peak("coop_energy")), -1)
    relation("risk aversion ↑ ⇒ P(sanctions) ↓", grid,
             _grid("balancer.risk_aversion", grid, ever("sanctions"), TOP_REWARD), -1)


def test_sanction_severity_lowers_cooperation():
    """Drezner 1999: the costlier the expected sanctions, the more the balancer restrains itself."""
    grid = list(np.linspace(0.0, 3.0, 13))
    relation("sanction severity ↑ ⇒ energy cooperation ↓", grid,
             _grid("hegemon.sanction_severity", grid, peak("coop_energy")), -1)


def test_request_reward_raises_cooperation_never_below_no_request():
    """Snyder 1984 (abandonment): what the partner pays for a request draws the balancer toward it;
    a request with a reward never leaves the balancer cooperating less, over the period, than no
    request at all (briefing: "NATO's prime partner in … energy security")."""
    grid = list(np.linspace(0.25, 3.0, 12))
    values = _grid("partner.request_reward", grid, time_mean("coop_energy"))
    relation("request reward ↑ ⇒ energy cooperation ↑", grid, values, +1)
    none = run_grid("baseline", [0.0], time_mean("coop_energy"), months=MONTHS)[0]
    diff = values - none
    se = diff.std(axis=1, ddof=1) / np.sqrt(diff.shape[1])
    assert (diff.mean(axis=1) >= -3.0 * se - 1e-12).all(), (diff.mean(axis=1), se)


def test_hedging_weight_does_not_raise_sanctions():
    """Kuik 2008: hedging keeps the fallback and avoids provocation, so more of it never brings
    sanctions closer: not in the status quo (baseline), nor after a strong request."""
    grid = list(np.linspace(0.0, 2.0, 9))
    relation("hedging weight ↑ ⇒ P(sanctions) in baseline not ↑", grid,
             _grid("balancer.hedging_weight", grid, ever("sanctions"), scenario="baseline"), -1,
             strict=False)
    relation("hedging weight ↑ ⇒ P(sanctions) after a strong request not ↑", grid,
             _grid("balancer.hedging_weight", grid, ever("sanctions"), TOP_REWARD), -1, strict=False)
    relation("hedging weight ↑ ⇒ energy cooperation ↓", grid,
             _grid("balancer.hedging_weight", grid, peak("coop_energy")), -1)
