"""The hegemon's effective escalation thresholds, computed in one place.

A rung's threshold in a scenario file (``hegemon.threshold.<rung>``) is where the hegemon would
climb facing a balancer it had never tolerated. Two things move it (ODD 4 and 7):

- **the tolerated status quo**: the hegemon did not act against the cooperation it lived with at
  the start, so its ladder slides up, all rungs together, until the first rung sits
  ``hegemon.tolerance_margin`` above the threat it perceived then (``rules.tolerated_thresholds``);
- **hardening since the start**: ``hegemon.hardening`` in force at the start is part of that
  status quo; hardening added later (``harden`` events) lowers every rung.

The agents call ``effective_threshold`` on arrays every month; the app and the report draw
``effective_thresholds`` of a scenario's parameter values (the noise-free status quo), so every
threshold line shows what the hegemon actually responds to.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import rules
from .parameters import DOMAINS, RUNGS


def effective_threshold(threshold: np.ndarray, hardening: np.ndarray | float, posture: np.ndarray | float = 0.0,
                        tolerance: np.ndarray | None = None, margin: np.ndarray | float = 0.0) -> np.ndarray:
    """Threat levels (rungs stacked first) at which the hegemon climbs to each rung.

    Args:
        threshold: the stated thresholds (threat units, [0, 1]), shape (3, 1) or (3, R).
        hardening: ``hegemon.hardening`` now (threat units, ≥ 0).
        posture: the hardening in force at the start (part of the tolerated status quo).
        tolerance: the threat the hegemon perceived in the status quo ((R,) or scalar); None for
            a hegemon with no status quo to tolerate (thresholds as stated).
        margin: ``hegemon.tolerance_margin``, how far above the tolerated threat the first rung sits.
    """
    start = np.asarray(threshold, dtype=np.float64) - posture
    if tolerance is not None:
        start = rules.tolerated_thresholds(start, tolerance, np.asarray(margin, dtype=np.float64))
    return start - (np.asarray(hardening, dtype=np.float64) - posture)


def status_quo_threat(values: Mapping[str, float]) -> float:
    """The noise-free threat the hegemon reads into the scenario's starting cooperation."""
    coop = np.array([[values[f"balancer.initial.{d}"]] for d in DOMAINS])
    sens = np.array([[values[f"hegemon.sensitivity.{d}"]] for d in DOMAINS])
    presence = rules.presence_of(np.asarray(values["hegemon.presence_weight"], dtype=np.float64),
                                 np.asarray(values["partner.alternatives"], dtype=np.float64))
    return float(rules.threat_of(coop, sens, presence)[0])


def effective_thresholds(values: Mapping[str, float]) -> dict[str, float]:
    """Rung → effective threshold at the start of a scenario, from its parameter values.

    The noise-free status quo's threat is tolerated (the ladder slides above it) and the
    hardening in force is the starting posture, exactly as the agents compute it in month 0.

    Args:
        values: parameter name → value for every parameter (e.g. ``Scenario.params()``).
    """
    stated = np.array([[values[f"hegemon.threshold.{r}"]] for r in RUNGS[1:]])
    hardening = float(values["hegemon.hardening"])
    eff = effective_threshold(stated, hardening, posture=hardening,
                              tolerance=np.array([status_quo_threat(values)]),
                              margin=float(values["hegemon.tolerance_margin"]))
    return {r: float(eff[i, 0]) for i, r in enumerate(RUNGS[1:])}


__all__ = ["effective_threshold", "effective_thresholds", "status_quo_threat"]
