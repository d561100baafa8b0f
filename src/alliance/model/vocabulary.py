"""The model's vocabularies, each stated once: domains, the integration scale, rungs, actors,
evidence classes. Every other module (schema, rules, charts, app) takes its names from here."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

DOMAINS: tuple[str, ...] = (
    "humanitarian",
    "peacekeeping",
    "energy",
    "military_technical",
    "basing",
    "integration",
)
"""Cooperation domains, in the order used for every (…, domain) array."""

_LEVELS: tuple[tuple[str, float, str], ...] = (
    ("none", 0.00, "no agreement"),
    ("partnership", 0.10, "NATO Partnership for Peace; EU Partnership and Cooperation Agreement; "
                          "Eastern Partnership"),
    ("ipap", 0.15, "NATO Individual Partnership Action Plan (Kazakhstan 2006, Georgia 2004)"),
    ("intensified_dialogue", 0.25, "NATO Intensified Dialogue on membership (Georgia, Ukraine 2005-06)"),
    ("action_plan", 0.30, "EU ENP action plan (Moldova, Ukraine 2005)"),
    ("association_agreement", 0.50, "EU Association Agreement / DCFTA (Ukraine, Moldova, Georgia 2014; "
                                    "Armenia's 2013 plan)"),
    ("map", 0.60, "NATO Membership Action Plan (requested by Ukraine and Georgia 2008)"),
    ("candidate", 0.70, "EU candidate status (Moldova, Ukraine 2022); NATO invitation / accession talks"),
    ("membership", 1.00, "NATO or EU membership"),
)

INTEGRATION_LEVELS: Mapping[str, float] = MappingProxyType({n: v for n, v, _ in _LEVELS})
"""The one integration scale: named level → cooperation share in the ``integration`` domain, for
every partner (NATO, EU, US, China). Scenario and episode files may write an integration level as
one of these names or as a number; the numbers are a convention (an ordinal scale made cardinal),
stated here once and in the generated part of ``docs/scenarios.md``."""

INTEGRATION_LEVEL_EXAMPLES: Mapping[str, str] = MappingProxyType({n: e for n, _, e in _LEVELS})
"""What each named integration level stands for (examples from ``shared/episodes.md``)."""


def integration_level(value: object) -> float:
    """A named integration level (``"ipap"``) or a number → the share on the integration scale.

    Raises ``ValueError`` for an unknown name, suggesting the nearest known names.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an integration level")
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not an integration level (a name or a number)")
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    if key in INTEGRATION_LEVELS:
        return INTEGRATION_LEVELS[key]
    close = difflib.get_close_matches(key, list(INTEGRATION_LEVELS), n=2, cutoff=0.5)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    known = ", ".join(f"{n} ({v:g})" for n, v in INTEGRATION_LEVELS.items())
    raise ValueError(f"unknown integration level {value!r}; {hint}known levels: {known}")


Evidence = Literal["E", "R", "A"]
EVIDENCE_CLASSES: Mapping[str, str] = MappingProxyType({
    "E": "the number follows from a cited fact",
    "R": "the evidence fixes a sign, order or bounds; the value is a judgement",
    "A": "a free constant",
})
"""Evidence classes of a parameter's default (issue 10, item 8)."""

RUNGS: tuple[str, ...] = ("none", "diplomatic", "economic", "military")
"""The hegemon's escalation ladder, lowest first (Kahn 1965; episodes.md 'Response scale')."""

ACTORS: tuple[str, ...] = ("balancer", "partner", "hegemon")

DEFAULT_NAMES: Mapping[str, str] = MappingProxyType(
    {"balancer": "Kazakhstan", "partner": "NATO", "hegemon": "Russia"}
)
