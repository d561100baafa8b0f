"""Leave-one-episode-out scores: each episode predicted by a posterior fitted without it.

For episode i, ``calibrate`` fits a posterior to the other episodes; episode i is then run with
parameters drawn from that posterior (``hindcast.run_predictions``) and scored by
``hindcast.summarize`` like any prediction. The base rates and the majority class are already
leave-one-out, so every number in the out-of-sample summary is out of sample.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alliance.analysis.calibrate import Settings, calibrate
from alliance.analysis.hindcast import EpisodeSet, run_predictions


def cross_validate(eps: EpisodeSet, settings: Settings, replications: int, seeds: int,
                   seed: int | None = None, names: list[str] | None = None,
                   checkpoints: Path | None = None, log: Callable[[str], None] | None = None,
                   **executor: Any) -> list[list[dict[str, Any]]]:
    """Per episode, per seed: ``predict_counts`` under the posterior fitted without it."""
    out = []
    n = len(eps.scenarios)
    for i in range(n):
        others = eps.subset([j for j in range(n) if j != i])
        ck = None if checkpoints is None else checkpoints / f"fold_{eps.scenarios[i].name}.json"
        post = calibrate(others, settings, names=names, checkpoint=ck, **executor)
        out.append(run_predictions(eps.subset([i]), replications, seeds, seed, posterior=post,
                                   **executor)[0])
        if log is not None:
            log(f"fold {i + 1}/{n}: {eps.scenarios[i].name} predicted without itself")
    return out
