"""Declared outcome variables: name, unit, range and label, used by every table and chart.

Trajectory outcomes have one value per replication-month; summary outcomes one per replication.
Charts take axis titles from ``label`` and ``unit``; tests check every recorded value lies in
[low, high].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .parameters import DOMAINS


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
    Outcome("welfare", "utility/month", -15.0, 15.0, "Balancer welfare"),
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
    Outcome("cumulative_welfare_loss", "utility", 0.0, 1e5,
            "Cumulative welfare lost to the hegemon's measures", "summary"),
]

TRAJECTORY_OUTCOMES: Mapping[str, Outcome] = MappingProxyType({o.name: o for o in _TRAJECTORY})
SUMMARY_OUTCOMES: Mapping[str, Outcome] = MappingProxyType({o.name: o for o in _SUMMARY})
OUTCOMES: Mapping[str, Outcome] = MappingProxyType({**TRAJECTORY_OUTCOMES, **SUMMARY_OUTCOMES})
