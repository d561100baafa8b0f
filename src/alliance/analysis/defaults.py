"""Default settings of the hindcast and calibration commands.

Kept apart from ``hindcast`` and ``calibrate`` (which import scipy and the ensemble machinery)
so that the command line can show its defaults without importing them: ``alliance run`` starts
faster when ``validate`` and ``calibrate`` cost nothing until they are called.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from alliance.errors import UserError

DEFAULT_SEEDS = 5
"""Seeds per episode for the honest scores (the intervals are over these)."""
DEFAULT_HONEST_REPLICATIONS = 200
"""Replications per episode and seed (5 × 200 = 1,000 runs per episode, and as many controls)."""


@dataclass(frozen=True)
class Settings:
    """ABC-SMC settings (the docs' recommended ones are ``RECOMMENDED``)."""

    particles: int = 200
    replications: int = 40
    generations: int = 6
    quantile: float = 0.5
    max_batches: int = 6
    seed: int = 0
    moves: int = 2

    def __post_init__(self) -> None:
        if not (math.isfinite(self.quantile) and 0 < self.quantile < 1):
            raise UserError(f"--quantile {self.quantile} must be a number between 0 and 1")


RECOMMENDED = Settings()
"""The settings the docs recommend for a full calibration (``benchmarks/calibrate.py`` times them)."""

CV_SETTINGS = Settings(particles=100, replications=10, generations=4, seed=0)
"""ABC-SMC settings of each leave-one-out fit of ``validate --cross-validate`` (smaller than
``RECOMMENDED``: 21 fits must finish in minutes)."""
