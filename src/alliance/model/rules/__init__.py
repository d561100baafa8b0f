"""Pure decision rules on numpy arrays: no Mesa, no I/O, no global state.

Every rule takes state arrays over replications, shape ``(R,)``, or over domains and
replications, shape ``(D, R)`` with D the six domains (domain-major, so that each domain's row is
contiguous and sums over domains are row additions), plus parameters that broadcast against them:
a parameter is either one value for all replications (a 0-d array, or ``(D, 1)`` per domain) or
one value per replication (``(R,)``, or ``(D, R)`` per domain). Rules return new arrays. Stochastic rules
take their pre-drawn uniforms or normals as arguments, so the caller owns the randomness (see
``rng.py``). Each docstring names the theory the rule encodes; ``docs/ODD.md`` section 7
(Submodels) describes the same rules in prose.

Each rule declares its traits in ``RULE_TRAITS`` (deterministic or not, which inputs carry noise);
``tests/model/test_rules.py`` checks each declaration against behaviour.

The rules live in three modules by actor (``partner``, ``hegemon``, ``balancer``); this package
re-exports them, so callers write ``rules.escalate``.
"""

from __future__ import annotations

from .balancer import (
    alignment,
    choose_cooperation,
    marginal_utility,
    resting_belief,
    status_quo_term,
    update_belief,
    welfare,
)
from .common import DIPLOMATIC, ECONOMIC, EPS, MILITARY, NONE, Array, truncated_normal
from .hegemon import (
    economic_line_crossed,
    escalate,
    line_pull_of,
    offer_inducement,
    perceived_threat,
    presence_of,
    threat_of,
    tolerated_misreading,
    tolerated_thresholds,
)
from .partner import interest_target, judge_requests, partner_interest, partner_offers

RULE_TRAITS: dict[str, dict[str, object]] = {
    "interest_target": {"stochastic": False},
    "partner_interest": {"stochastic": False},
    "partner_offers": {"stochastic": False},
    "judge_requests": {"stochastic": False},
    "perceived_threat": {"stochastic": True, "noise": "noise"},
    "tolerated_thresholds": {"stochastic": False},
    "tolerated_misreading": {"stochastic": True, "noise": "z"},
    "economic_line_crossed": {"stochastic": False},
    "line_pull_of": {"stochastic": False},
    "escalate": {"stochastic": True, "noise": ("u_kind", "u_length")},
    "offer_inducement": {"stochastic": True, "noise": "u"},
    "update_belief": {"stochastic": False},
    "resting_belief": {"stochastic": True, "noise": "z"},
    "marginal_utility": {"stochastic": False},
    "status_quo_term": {"stochastic": False},
    "choose_cooperation": {"stochastic": False},
    "alignment": {"stochastic": False},
    "welfare": {"stochastic": False},
}

__all__ = [
    "DIPLOMATIC",
    "ECONOMIC",
    "EPS",
    "MILITARY",
    "NONE",
    "RULE_TRAITS",
    "Array",
    "alignment",
    "choose_cooperation",
    "economic_line_crossed",
    "escalate",
    "interest_target",
    "judge_requests",
    "line_pull_of",
    "marginal_utility",
    "offer_inducement",
    "partner_interest",
    "partner_offers",
    "perceived_threat",
    "presence_of",
    "resting_belief",
    "status_quo_term",
    "threat_of",
    "tolerated_misreading",
    "tolerated_thresholds",
    "truncated_normal",
    "update_belief",
    "welfare",
]
