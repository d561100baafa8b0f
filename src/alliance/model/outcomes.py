"""Declared outcome variables: name, unit, range and label, used by every table and chart.

Trajectory outcomes have one value per replication-month; summary outcomes one per replication.
Charts take axis titles from ``label`` and ``unit``; tests check every recorded value lies in
[low, high].
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .parameters import DOMAINS, PARAMS

MAX_MONTHS = 600
"""Longest horizon a scenario may have (``scenario.MAX_HORIZON``)."""


def _hi(name: str) -> float:
    return PARAMS[name].high


def welfare_bounds() -> tuple[float, float]:
    """Bounds on the balancer's monthly welfare that hold for every value the registry allows.

    Welfare (``rules.welfare``) is ``Σ_d (g_d c_d − ½ κ_d c_d²) − w a² − loss + inducement`` with
    cooperation c_d in [0, 1], alignment a in [−1, 1], the gain g_d = benefit_d × offer_d + reward_d
    at least 0 and at most ``benefit`` × ``partner.ambition_cap`` + ``partner.request_reward`` (the
    offer is capped by the ambition cap; the request intensity and the entrapment factor are at
    most 1), the cost κ_d = effort + commitment × bloc commitment × treaty weight_d at least 0, and
    the loss at most export share × sanction severity + military severity. So, over D domains,

    * low  = −D · ½ κ_max − w_max − (export share × sanction severity)_max − military severity_max
    * high = D · g_max + inducement value_max

    Computed from the parameter ranges, so the declaration follows the registry; the property test
    (tests/property) checks recorded welfare against it for random valid parameters and events.
    """
    d = len(DOMAINS)
    kappa_max = _hi("balancer.effort_cost") + _hi("balancer.commitment_cost") * _hi(
        "balancer.bloc_commitment") * max(_hi(f"balancer.treaty_weight.{x}") for x in DOMAINS)
    gain_max = max(_hi(f"balancer.benefit.{x}") for x in DOMAINS) * _hi("partner.ambition_cap") + \
        _hi("partner.request_reward")
    loss_max = _loss_max()
    low = -d * 0.5 * kappa_max - _hi("balancer.hedging_weight") - loss_max
    high = d * gain_max + _hi("hegemon.inducement_value")
    return float(low), float(high)


def _loss_max() -> float:
    """Most welfare the hegemon's measures can take in one month (sanctions plus armed pressure)."""
    return (_hi("balancer.export_share_via_russia") * _hi("hegemon.sanction_severity")
            + _hi("hegemon.military_severity"))


WELFARE_LOW, WELFARE_HIGH = -math.inf, math.inf
"""Welfare's declared range is unbounded since issue 10's mechanics: the hedging cost
``hedging_weight × fallback × −ln(1 − T)`` grows without bound as the perceived threat T nears 1,
and the revealed-preference status-quo term inherits that slope, so no finite range holds for every
valid input (random valid parameters reach −1.7e3 and +2.5e9). ``welfare_bounds`` is the bound of
the terms that are bounded (returns, costs, losses, inducements), kept for reference; the
declaration is the honest one (tests/property/test_outcome_ranges.py)."""


@dataclass(frozen=True)
class Outcome:
    """A declared outcome variable: name, unit, range [low, high], label; every chart and table uses it."""
    name: str
    unit: str
    low: float
    high: float
    label: str
    kind: str = "trajectory"  # "trajectory" | "summary"
    discrete: bool = False

    @property
    def title(self) -> str:
        """Axis title: label with unit."""
        return f"{self.label} ({self.unit})"


_TRAJECTORY: list[Outcome] = [
    *[Outcome(f"coop_{d}", "share", 0.0, 1.0, f"Cooperation with the partner: {d.replace('_', ' ')}")
      for d in DOMAINS],
    Outcome("alignment", "index", -1.0, 1.0, "Alignment (−1 hegemon … +1 partner)"),
    Outcome("threat", "index", 0.0, 1.0, "Hegemon's perceived threat"),
    Outcome("escalation", "rung", 0, 3, "Escalation (0 none, 1 diplomatic, 2 economic, 3 military)",
            discrete=True),
    Outcome("sanctions", "0/1", 0, 1, "Economic sanctions or worse active", discrete=True),
    Outcome("inducement", "0/1", 0, 1, "Hegemon's inducement active", discrete=True),
    Outcome("welfare", "utility/month", WELFARE_LOW, WELFARE_HIGH, "Balancer welfare"),
    Outcome("interest", "index", 0.0, 1.0, "Partner's strategic interest"),
    Outcome("belief", "index", 0.0, 1.0, "Balancer's belief about the hegemon's sanctions threshold"),
    Outcome("red_line_violation", "0/1", 0, 1, "A hegemon red line crossed", discrete=True),
]

_SUMMARY: list[Outcome] = [
    Outcome("sanctions_ever", "0/1", 0, 1, "Sanctions at any time", "summary", True),
    Outcome("first_sanctions_month", "month", 1, 600, "Month of first sanctions", "summary", True),
    Outcome("max_escalation", "rung", 0, 3, "Highest escalation", "summary", True),
    Outcome("months_sanctioned", "months", 0, 600, "Months under sanctions", "summary", True),
    Outcome("military_ever", "0/1", 0, 1, "Armed pressure at any time", "summary", True),
    Outcome("red_line_ever", "0/1", 0, 1, "A red line crossed at any time", "summary", True),
    *[Outcome(f"final_coop_{d}", "share", 0.0, 1.0, f"Final cooperation: {d.replace('_', ' ')}",
              "summary") for d in DOMAINS],
    Outcome("final_alignment", "index", -1.0, 1.0, "Final alignment", "summary"),
    Outcome("final_interest", "index", 0.0, 1.0, "Final partner interest", "summary"),
    Outcome("cumulative_welfare_loss", "utility", 0.0, _loss_max() * MAX_MONTHS,
            "Cumulative welfare lost to the hegemon's measures", "summary"),
]

TRAJECTORY_OUTCOMES: Mapping[str, Outcome] = MappingProxyType({o.name: o for o in _TRAJECTORY})
SUMMARY_OUTCOMES: Mapping[str, Outcome] = MappingProxyType({o.name: o for o in _SUMMARY})
OUTCOMES: Mapping[str, Outcome] = MappingProxyType({**TRAJECTORY_OUTCOMES, **SUMMARY_OUTCOMES})
