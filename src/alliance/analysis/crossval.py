"""Leave-one-episode-out scores: each episode predicted by a posterior fitted without it.

For episode i, ``calibrate`` fits a posterior to the other episodes; episode i is then run with
parameters drawn from that posterior, one draw per replication (``hindcast.run_predictions``),
and scored by ``hindcast.summarize`` like any prediction. The base rates and the majority class
are already leave-one-out, so every number in the out-of-sample summary is out of sample.

Each fold also estimates a **structural discrepancy** δ per kind (``scoring.discrepancy_weight``)
from its *training* episodes only: the fold's posterior predicts them (in sample, which favours
the model, so δ errs small), and δ is the weight on their leave-one-out base rates that gives the
pooled prediction its best Brier score there. The held-out episode's pooled prediction is
``(1 − δ) model + δ base rates``: a forecast that admits, at the rate the other episodes show,
that the model's structure may not produce what happens. Parameter draws cannot do that: no
parameter in its plausible range produces a category the structure rules out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from alliance.analysis import scoring as sc_
from alliance.analysis.calibrate import Settings, calibrate
from alliance.analysis.hindcast import EpisodeSet, probs, run_predictions
from alliance.model.expected import OUTCOME_LEVELS, RESPONSES

KINDS = {"response": len(RESPONSES), "outcome": len(OUTCOME_LEVELS)}


@dataclass
class CrossValidation:
    """Per episode, per seed: ``predict_counts`` under the posterior fitted without it; and per
    episode, the structural discrepancy δ per kind fitted on that fold's training episodes."""

    runs: list[list[dict[str, Any]]] = field(default_factory=list)
    discrepancy: list[dict[str, float]] = field(default_factory=list)

    def pooled(self, eps: EpisodeSet) -> dict[str, np.ndarray]:
        """Per kind (n, K): ``(1 − δ_i) model_i + δ_i base_i`` (base rates leave-one-out)."""
        yr, yo = eps.observed()
        out = {}
        for kind, y in (("response", yr), ("outcome", yo)):
            base = sc_.loo_base_rates(y, KINDS[kind])
            model = np.array([probs(r, kind) for r in self.runs])
            d = np.array([[fold[kind]] for fold in self.discrepancy])
            out[kind] = (1.0 - d) * model + d * base
        return out


def fold_discrepancy(train: EpisodeSet, runs: list[list[dict[str, Any]]]) -> dict[str, float]:
    """δ per kind on a fold's training episodes, from their predictions ``runs``."""
    yr, yo = train.observed()
    out = {}
    for kind, y in (("response", yr), ("outcome", yo)):
        p = np.array([probs(r, kind) for r in runs])
        out[kind] = sc_.discrepancy_weight(p, sc_.loo_base_rates(y, KINDS[kind]), y)
    return out


def cross_validate(eps: EpisodeSet, settings: Settings, replications: int, seeds: int,
                   seed: int | None = None, names: list[str] | None = None,
                   checkpoints: Path | None = None, log: Callable[[str], None] | None = None,
                   **executor: Any) -> CrossValidation:
    """Leave-one-episode-out predictions and each fold's structural discrepancy."""
    out = CrossValidation()
    n = len(eps.scenarios)
    for i in range(n):
        others = eps.subset([j for j in range(n) if j != i])
        ck = None if checkpoints is None else checkpoints / f"fold_{eps.scenarios[i].name}.json"
        post = calibrate(others, settings, names=names, checkpoint=ck, **executor)
        out.runs.append(run_predictions(eps.subset([i]), replications, seeds, seed, posterior=post,
                                        **executor)[0])
        train = run_predictions(others, replications, 1, seed, posterior=post, **executor)
        out.discrepancy.append(fold_discrepancy(others, train))
        if log is not None:
            d = out.discrepancy[-1]
            log(f"fold {i + 1}/{n}: {eps.scenarios[i].name} predicted without itself "
                f"(discrepancy δ response {d['response']:.2f}, outcome {d['outcome']:.2f})")
    return out
