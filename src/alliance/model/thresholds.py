"""The hegemon's effective escalation thresholds, computed in one place.

A rung's threshold in a scenario file (``hegemon.threshold.<rung>``) is lowered by
``hegemon.hardening`` (a harder line after a shock, raised by ``harden`` events); the hegemon
climbs to a rung when its perceived threat reaches ``threshold − hardening``. The agents use
``effective_threshold`` on arrays every month; the app and the report draw
``effective_thresholds`` of a scenario's parameter values, so every threshold line shows what the
hegemon actually responds to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

import numpy as np

from .parameters import RUNGS

T = TypeVar("T", float, np.ndarray)


def effective_threshold(threshold: T, hardening: T) -> T:
    """Threat level at which the hegemon climbs to a rung: ``threshold − hardening``.

    Args:
        threshold: the rung's stated threshold (threat units, [0, 1]); a float or an array
            (per replication, or the three rungs stacked).
        hardening: ``hegemon.hardening`` (threat units, ≥ 0), broadcast against ``threshold``.
    """
    return threshold - hardening


def effective_thresholds(values: Mapping[str, float]) -> dict[str, float]:
    """Rung → effective threshold for the three escalation rungs, from parameter values.

    Args:
        values: parameter name → value, at least ``hegemon.threshold.<rung>`` for each rung
            and ``hegemon.hardening`` (e.g. ``Scenario.params()``).
    """
    return {r: effective_threshold(float(values[f"hegemon.threshold.{r}"]), float(values["hegemon.hardening"]))
            for r in RUNGS[1:]}


__all__ = ["effective_threshold", "effective_thresholds"]
