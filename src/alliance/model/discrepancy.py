"""Structural discrepancy of a posterior: how far to trust the model's category probabilities.

Parameter draws from a posterior carry parameter uncertainty only: no parameter in its plausible
range makes the model produce a category its *structure* rules out, so on episodes it has not seen
the model is over-confident (many p = 1.00 that are wrong). The **forecast** the tool stands
behind pools the model with the base rates of the calibration set (a linear pool; Kennedy and
O'Hagan 2001 on model discrepancy)::

    forecast = (1 − δ) · model + δ · base rates

per kind (``response``: the hegemon's rungs, ``outcome``: rolled back / held / deepened). δ is the
probability, estimated on the calibration episodes, that an episode lies outside what the model's
structure can produce; ``alliance calibrate`` estimates it (``analysis.discrepancy``) and writes it
into the posterior file with the base rates, so every category forecast made from a posterior
carries it.

**Base rates**: the calibration set's category frequencies with Jeffreys' add-½
(``(count + ½) / (n + K/2)``, the Krichevsky–Trofimov estimator that the log score already uses,
``analysis.scoring.smooth``): no category gets probability 0 (a category the calibration set never
saw is not impossible, and a 0 would make its log score infinite), and with ½ rather than
Laplace's 1 the 21 episodes' frequencies are pulled less toward uniform. The numbers here are plain
data; this module imports nothing from the analysis layer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

import numpy as np

from .expected import OUTCOME_LEVELS, RESPONSES

KINDS: dict[str, tuple[str, ...]] = {"response": RESPONSES, "outcome": OUTCOME_LEVELS}
"""The category kinds a forecast is made for, each with its categories in order."""
ALPHA = 0.5
"""Jeffreys' add-alpha (one half) of the base rates (see the module docstring)."""
SUM_TOLERANCE = 1e-6
"""How far from 1 a file's base rates may sum (rounding in JSON)."""


def base_rates(y: Sequence[int], k: int, alpha: float = ALPHA) -> np.ndarray:
    """Category frequencies of ``y`` (indices into ``k`` categories) with add-``alpha``."""
    counts = np.bincount(np.asarray(y, dtype=int), minlength=k).astype(float)
    return (counts + alpha) / (counts.sum() + k * alpha)


@dataclass(frozen=True)
class Discrepancy:
    """δ and base rates per kind, fitted on ``episodes`` calibration episodes (``method`` says how)."""

    delta: dict[str, float]
    base_rates: dict[str, np.ndarray]
    episodes: int
    method: dict[str, Any] = field(default_factory=dict)

    def pool(self, kind: str, p: np.ndarray) -> np.ndarray:
        """``(1 − δ) p + δ base`` for probabilities ``p`` (K,) or (n, K) of ``kind``; δ = 0 gives
        ``p`` exactly."""
        d = self.delta[kind]
        return (1.0 - d) * np.asarray(p, dtype=float) + d * self.base_rates[kind]

    def to_json(self) -> dict[str, Any]:
        """The posterior file's ``discrepancy`` object."""
        return {"delta": dict(self.delta),
                "base_rates": {k: [float(v) for v in r] for k, r in self.base_rates.items()},
                "episodes": self.episodes, "method": self.method}


def _number(v: Any) -> TypeGuard[float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def discrepancy_from_json(data: Any, add: Callable[[str, str], None]) -> Discrepancy | None:
    """A ``Discrepancy`` from a posterior file's ``discrepancy`` object; every problem goes to
    ``add(field, message)`` (fields named ``discrepancy.delta.response`` and so on), and then
    None is returned."""
    if not isinstance(data, dict):
        add("discrepancy", "'discrepancy' must be an object with delta, base_rates, episodes, method")
        return None
    before: list[str] = []

    def bad(fld: str, msg: str) -> None:
        before.append(fld)
        add(fld, msg)

    delta: dict[str, float] = {}
    rates: dict[str, np.ndarray] = {}
    d_all, r_all = data.get("delta"), data.get("base_rates")
    for part, val in (("delta", d_all), ("base_rates", r_all)):
        if not isinstance(val, dict):
            bad(f"discrepancy.{part}", f"'discrepancy.{part}' must be an object with "
                                       f"{' and '.join(KINDS)}")
    for kind, cats in KINDS.items():
        if isinstance(d_all, dict):
            d = d_all.get(kind)
            if not _number(d) or not 0.0 <= d <= 1.0:
                bad(f"discrepancy.delta.{kind}", f"δ {kind} must be a number in [0, 1] ({d!r})")
            else:
                delta[kind] = float(d)
        if isinstance(r_all, dict):
            r = r_all.get(kind)
            fld = f"discrepancy.base_rates.{kind}"
            if not isinstance(r, list) or len(r) != len(cats):
                bad(fld, f"base rates {kind} must list {len(cats)} numbers ({', '.join(cats)})")
            elif not all(_number(v) and v >= 0 for v in r):
                bad(fld, f"base rates {kind} must be finite numbers ≥ 0 ({r!r})")
            elif abs(sum(r) - 1.0) > SUM_TOLERANCE:
                bad(fld, f"base rates {kind} must sum to 1 (they sum to {sum(r):.6g})")
            else:
                rates[kind] = np.array(r, dtype=float)
    n = data.get("episodes")
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        bad("discrepancy.episodes", f"'discrepancy.episodes' must be a whole number ≥ 1 ({n!r})")
    method = data.get("method", {})
    if not isinstance(method, dict):
        bad("discrepancy.method", "'discrepancy.method' must be an object")
    if before:
        return None
    return Discrepancy(delta, rates, int(n), dict(method))  # type: ignore[arg-type]
