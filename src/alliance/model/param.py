"""The ``Param`` record: one model parameter with its unit, range, provenance and evidence class."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .vocabulary import DOMAINS, Evidence


@dataclass(frozen=True)
class Param:
    """One model parameter.

    Attributes:
        name: dotted path, e.g. ``hegemon.threshold.economic``.
        default: value used when a scenario does not override it.
        unit: unit of measure (``share``, ``index``, ``months``, ``utility/month`` …).
        low, high: the admissible range, inclusive; the schema rejects values outside it.
        provenance: briefing quote and/or episode id(s) the default is drawn from.
        description: what the parameter means, one sentence.
        integer: whether the value must be a whole number.
        tunable: whether the app shows a slider for it.
        evidence: E (the number follows from a cited fact), R (the evidence fixes a sign, order
            or bounds; the value is a judgement) or A (a free constant); see EVIDENCE_CLASSES.
        plausible: (lo, hi) inside [low, high] containing the default: the range batches and
            calibration sample; required for R and A, optional for E.
    """

    name: str
    default: float
    unit: str
    low: float
    high: float
    provenance: str
    description: str
    integer: bool = False
    tunable: bool = True
    evidence: Evidence | None = None
    plausible: tuple[float, float] | None = None

    @property
    def actor(self) -> str:
        """The actor the parameter belongs to: balancer, partner or hegemon."""
        return self.name.split(".", 1)[0]

    @property
    def domain(self) -> str | None:
        """The cooperation domain of a per-domain parameter, else None."""
        last = self.name.rsplit(".", 1)[-1]
        return last if last in DOMAINS else None


def per_domain(
    group: str,
    unit: str,
    low: float,
    high: float,
    description: str,
    values: Mapping[str, tuple[Any, ...]],
    tunable: bool = True,
) -> list[Param]:
    """Expand a per-domain group into one Param per domain, each with its own provenance.

    Each value is ``(default, provenance, evidence)`` or ``(default, provenance, evidence,
    plausible)``."""
    missing = set(DOMAINS) - set(values)
    if missing:
        raise ValueError(f"{group}: no default for {sorted(missing)}")
    return [
        Param(
            f"{group}.{d}", values[d][0], unit, low, high, values[d][1],
            f"{description} ({d})", tunable=tunable,
            evidence=values[d][2] if len(values[d]) > 2 else None,
            plausible=values[d][3] if len(values[d]) > 3 else None,
        )
        for d in DOMAINS
    ]
