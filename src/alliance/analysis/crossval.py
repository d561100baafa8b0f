"""Leave-one-episode-out scores: each episode predicted by a posterior fitted without it.

For episode i, ``calibrate`` fits a posterior to the other episodes; episode i is then run with
parameters drawn from that posterior, one draw per replication (``hindcast.run_predictions``),
and scored by ``hindcast.summarize`` like any prediction. The base rates and the majority class
are already leave-one-out, so every number in the out-of-sample summary is out of sample.

Each fold's posterior carries its **structural discrepancy** δ per kind, estimated by
``calibrate`` on the fold's *training* episodes only (``analysis.discrepancy``, the same code that
gives the shipped posterior its δ): the fold's posterior predicts them (in sample, which favours
the model, so δ errs small), and δ is the weight on their leave-one-out base rates that gives the
pooled prediction its best Brier score there. The held-out episode's pooled prediction is the
fold posterior's forecast ``(1 − δ) model + δ base rates`` (``Discrepancy.pool``, base rates the
add-½ frequencies of the training episodes), exactly what the shipped posterior issues for an
episode it has not seen: a forecast that admits, at the rate the other episodes show, that the
model's structure may not produce what happens. Parameter draws cannot do that: no parameter in
its plausible range produces a category the structure rules out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from alliance.analysis.calibrate import Settings, calibrate
from alliance.analysis.hindcast import EpisodeSet, probs, run_predictions
from alliance.model.discrepancy import KINDS, Discrepancy


@dataclass
class CrossValidation:
    """Per episode, per seed: ``predict_counts`` under the posterior fitted without it; and per
    episode, that posterior's structural discrepancy (fitted on the fold's training episodes)."""

    runs: list[list[dict[str, Any]]] = field(default_factory=list)
    folds: list[Discrepancy] = field(default_factory=list)

    @property
    def discrepancy(self) -> list[dict[str, float]]:
        """Per episode: its fold's δ per kind."""
        return [dict(f.delta) for f in self.folds]

    def pooled(self) -> dict[str, np.ndarray]:
        """Per kind (n, K): each held-out episode's forecast from its fold's posterior,
        ``(1 − δ_i) model_i + δ_i base_i`` (``Discrepancy.pool``)."""
        return {kind: np.array([f.pool(kind, probs(r, kind)) for f, r in zip(self.folds, self.runs,
                                                                                strict=True)])
                for kind in KINDS}


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
        post = calibrate(others, settings, names=names, checkpoint=ck, discrepancy_runs=replications,
                         discrepancy_seed=seed, **executor)
        out.runs.append(run_predictions(eps.subset([i]), replications, seeds, seed, posterior=post,
                                        **executor)[0])
        if post.discrepancy is None:  # pragma: no cover - calibrate always estimates it
            raise RuntimeError(f"fold {eps.scenarios[i].name}: calibrate returned no discrepancy")
        out.folds.append(post.discrepancy)
        if log is not None:
            d = out.discrepancy[-1]
            log(f"fold {i + 1}/{n}: {eps.scenarios[i].name} predicted without itself "
                f"(discrepancy δ response {d['response']:.2f}, outcome {d['outcome']:.2f})")
    return out
