"""Shared types and constants of the decision rules."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtr, ndtri

Array = NDArray[np.float64]

NONE, DIPLOMATIC, ECONOMIC, MILITARY = 0, 1, 2, 3
"""Rung codes of the escalation ladder (``parameters.RUNGS`` names them)."""

EPS = 1e-9
"""Tolerance for 'beyond what the hegemon has accepted' (floating-point noise is not a move)."""


def truncated_normal(z: Array, lower: Array | float, upper: Array | float) -> Array:
    """A standard normal draw ``z`` carried to the standard normal truncated to [lower, upper].

    Inverse-CDF transport: the result is the quantile, on [lower, upper], of the same probability
    ``Φ(z)``, so it is increasing in ``z``, has no atom at a bound (censoring, ``clip``, would
    pile every draw beyond the bound onto it) and equals ``z`` when the bounds are infinite.
    This is the analyst's prior conditioned on a fact (e.g. a status quo that drew no reaction).
    Computed on the side of the bounds' tail that keeps precision (upper tail for lower ≥ 0).
    """
    lo = np.asarray(lower, dtype=np.float64)
    hi = np.asarray(upper, dtype=np.float64)
    upper_tail = lo >= 0.0
    # lower side: x = Φ⁻¹(Φ(lo) + Φ(z) (Φ(hi) − Φ(lo)))
    a, b = ndtr(lo), ndtr(hi)
    low_side = ndtri(a + ndtr(z) * (b - a))
    # upper side, by symmetry: x = −Φ⁻¹(Φ(−hi) + Φ(−z) (Φ(−lo) − Φ(−hi)))
    a2, b2 = ndtr(-hi), ndtr(-lo)
    up_side = -ndtri(a2 + ndtr(-z) * (b2 - a2))
    x = np.where(upper_tail, up_side, low_side)
    return np.minimum(np.maximum(x, lo), hi)
