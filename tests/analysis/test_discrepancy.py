"""The structural discrepancy δ: estimated by calibrate on its own episodes, as a fold does."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import alliance.analysis.discrepancy as disc_mod
from alliance.analysis import scoring as sc_
from alliance.analysis.calibrate import Settings, calibrate
from alliance.analysis.crossval import cross_validate
from alliance.analysis.hindcast import EpisodeSet, probs, run_predictions
from alliance.model.discrepancy import base_rates
from alliance.model.posterior import load_posterior, save_posterior

PARAM = "hegemon.red_line.integration"
EPISODE = """\
name: {name}
description: Synthetic episode; integration forced to {level}.
horizon_months: 16
replications: 10
seed: {seed}
actors:
  balancer: {{ceiling: {{integration: 1.0}}}}
events:
  - month: 4
    kind: force
    domain: integration
    level: {level}
expected:
  domain: integration
  response: {response}
  window_months: 10
  outcome: {outcome}
"""
ANSWERS = ((0.66, "none", "held"), (0.74, "military", "deepened"), (0.80, "military", "rolled_back"))
SETTINGS = Settings(particles=8, replications=3, generations=2, seed=3)


def _episodes(tmp_path: Path) -> EpisodeSet:
    folder = tmp_path / "syn"
    folder.mkdir()
    for i, (level, r, o) in enumerate(ANSWERS):
        (folder / f"syn_{i}.yaml").write_text(
            EPISODE.format(name=f"syn_{i}", level=level, seed=i + 1, response=r, outcome=o), encoding="utf-8")
    return EpisodeSet.load([folder])


class _Interrupt(Exception):
    pass


class _StopAfterFirst:
    def start(self, total: int, done: int, where: str) -> None:
        pass

    def advance(self, n: int) -> None:
        raise _Interrupt

    def note(self, message: str) -> None:
        pass

    def stop(self) -> None:
        pass


def test_calibrate_writes_delta_deterministically_and_resumes_to_the_same_file(tmp_path: Path) -> None:
    eps = _episodes(tmp_path)
    whole = calibrate(eps, SETTINGS, names=[PARAM], discrepancy_runs=30)
    again = calibrate(eps, SETTINGS, names=[PARAM], discrepancy_runs=30)
    ck = tmp_path / "ck.json"
    with pytest.raises(_Interrupt):  # a run cut after its first generation ...
        calibrate(eps, SETTINGS, names=[PARAM], checkpoint=ck, progress=_StopAfterFirst(),
                  discrepancy_runs=30)
    assert len(json.loads(ck.read_text(encoding="utf-8"))["generations"]) == 1
    resumed = calibrate(eps, SETTINGS, names=[PARAM], checkpoint=ck, discrepancy_runs=30)
    files = []
    for k, post in enumerate((whole, again, resumed)):
        assert post.discrepancy is not None
        save_posterior(post, tmp_path / f"p{k}.json")
        files.append((tmp_path / f"p{k}.json").read_bytes())
    assert files[0] == files[1] == files[2]
    d = load_posterior(tmp_path / "p0.json").discrepancy
    assert d is not None
    assert d.episodes == 3
    assert set(d.delta) == {"response", "outcome"}
    assert all(0.0 <= v <= 1.0 for v in d.delta.values())
    assert d.method["replications"] == 30
    assert d.method["in_sample"] is True
    # base rates: the add-1/2 frequencies of the three episodes' categories
    assert np.allclose(d.base_rates["response"], np.array([1.5, 0.5, 0.5, 2.5]) / 5.0)
    assert np.allclose(d.base_rates["outcome"], np.array([1.5, 1.5, 1.5]) / 4.5)


def test_delta_is_the_brier_best_weight_on_the_loo_smoothed_base_rates(tmp_path: Path) -> None:
    """Recomputed by hand from the posterior's own in-sample predictions."""
    eps = _episodes(tmp_path)
    post = calibrate(eps, SETTINGS, names=[PARAM], discrepancy_runs=30)
    assert post.discrepancy is not None
    runs = run_predictions(eps, 30, 1, None, posterior=post)
    yr, yo = eps.observed()
    for kind, y, k in (("response", yr, 4), ("outcome", yo, 3)):
        p = np.array([probs(r, kind) for r in runs])
        others = [np.delete(np.asarray(y), i) for i in range(len(y))]
        ref = np.array([base_rates(o, k) for o in others])
        grid = np.round(np.arange(0, 101) / 100, 10)
        scores = [sc_.brier((1 - g) * p + g * ref, y).mean() for g in grid]
        assert post.discrepancy.delta[kind] == grid[int(np.argmin(scores))]


def test_folds_use_the_one_estimator_on_their_training_episodes(tmp_path: Path, monkeypatch) -> None:
    """Cross-validation has no δ code of its own: each fold's δ comes from calibrate's estimator,
    on the fold's training episodes, and the held-out forecast is that fold's ``pool``."""
    seen: list[list[str]] = []
    real = disc_mod.fold_discrepancy

    def spy(train: EpisodeSet, runs):
        seen.append([s.name for s in train.scenarios])
        return real(train, runs)

    monkeypatch.setattr(disc_mod, "fold_discrepancy", spy)
    eps = _episodes(tmp_path)
    cv = cross_validate(eps, Settings(particles=6, replications=2, generations=1), 5, 1, names=[PARAM])
    order = [s.name for s in eps.scenarios]
    assert seen == [[n for n in order if n != left] for left in order]
    pooled = cv.pooled()
    for kind in ("response", "outcome"):
        for i, fold in enumerate(cv.folds):
            raw = probs(cv.runs[i], kind)
            want = (1 - fold.delta[kind]) * raw + fold.delta[kind] * fold.base_rates[kind]
            assert np.allclose(pooled[kind][i], want)
            assert fold.episodes == 2


@pytest.mark.parametrize("alpha", [0.0, 0.5])
def test_loo_base_rates_with_add_alpha_are_the_base_rates_of_the_others(alpha: float) -> None:
    y = [0, 3, 3, 1, 3]
    loo = sc_.loo_base_rates(y, 4, alpha)
    for i in range(len(y)):
        assert np.allclose(loo[i], base_rates(np.delete(y, i), 4, alpha))
