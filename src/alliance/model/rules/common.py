"""Shared types and constants of the decision rules."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

NONE, DIPLOMATIC, ECONOMIC, MILITARY = 0, 1, 2, 3
"""Rung codes of the escalation ladder (``parameters.RUNGS`` names them)."""

EPS = 1e-9
"""Tolerance for 'beyond what the hegemon has accepted' (floating-point noise is not a move)."""
