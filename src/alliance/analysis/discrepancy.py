"""Estimating the structural discrepancy δ of a posterior on its own episodes (one place).

``alliance calibrate`` calls ``estimate_discrepancy`` after its last generation, and so does every
fold of ``validate --cross-validate`` (which calls ``calibrate``), so the shipped posterior's δ and
the folds' are estimated by the same code:

1. the posterior predicts each of its calibration episodes (``replications`` runs at one seed,
   each drawing its parameters from the posterior: ``hindcast.run_predictions``);
2. per kind, δ is the weight on the **leave-one-out base rates** (each episode's reference is the
   add-½ frequencies of the *other* episodes, the estimator a new episode is pooled with,
   ``model.discrepancy.base_rates``) that gives ``(1 − δ) model + δ base`` its best mean Brier score
   over the episodes (``scoring.discrepancy_weight``, grid 0.01, ties to the smaller δ).

The predictions are in sample (the posterior was fitted to these episodes), which favours the
model, so δ errs small; the cross-validation measures what that costs on episodes not fitted to.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alliance.analysis import scoring as sc_
from alliance.analysis.hindcast import EpisodeSet, probs, run_predictions
from alliance.model.discrepancy import ALPHA, KINDS, Discrepancy, base_rates
from alliance.model.posterior import Posterior

METHOD = ("weight on the add-1/2 leave-one-out base rates minimising the mean Brier score of the "
          "pooled prediction of the calibration episodes, predicted in sample by this posterior "
          "(grid 0.01; Kennedy and O'Hagan 2001); base rates: add-1/2 (Jeffreys) frequencies of "
          "the calibration episodes")


def fold_discrepancy(train: EpisodeSet, runs: list[list[dict[str, Any]]]) -> dict[str, float]:
    """δ per kind on ``train``'s episodes, from their predictions ``runs`` (see the module)."""
    yr, yo = train.observed()
    out = {}
    for (kind, cats), y in zip(KINDS.items(), (yr, yo), strict=True):
        p = np.array([probs(r, kind) for r in runs])
        out[kind] = sc_.discrepancy_weight(p, sc_.loo_base_rates(y, len(cats), ALPHA), y)
    return out


def estimate_discrepancy(eps: EpisodeSet, post: Posterior, replications: int, seed: int | None = None,
                         **executor: Any) -> Discrepancy:
    """δ and base rates per kind of ``post`` on its calibration episodes ``eps``."""
    runs = run_predictions(eps, replications, 1, seed, posterior=post, **executor)
    yr, yo = eps.observed()
    rates = {kind: base_rates(y, len(cats)) for (kind, cats), y in zip(KINDS.items(), (yr, yo), strict=True)}
    method = {"estimator": METHOD, "replications": replications,
              "seed": "each episode file's own" if seed is None else seed, "alpha": ALPHA,
              "in_sample": True}
    return Discrepancy(fold_discrepancy(eps, runs), rates, len(eps.scenarios), method)
