"""Every shipped hindcast episode loads, runs and yields well-formed predictions."""

from __future__ import annotations

import pytest

from alliance.analysis.validate import episode_files, load_episode, validate_episode
from alliance.model.scenario_files import scenarios_dir

EPISODES = episode_files([scenarios_dir() / "episodes"])


def test_there_are_shipped_episodes() -> None:
    assert len(EPISODES) >= 20  # issue 11: a calibration set of at least 20 episodes


@pytest.mark.parametrize("path", EPISODES, ids=lambda p: p.stem)
def test_episode_loads_and_runs(path) -> None:
    sc = load_episode(path)
    assert sc.name == path.stem
    res = validate_episode(sc, replications=100)
    assert sum(res.response_probs.values()) == pytest.approx(1.0)
    assert sum(res.outcome_probs.values()) == pytest.approx(1.0)
    assert res.window.end <= sc.horizon_months
    assert 0 <= res.points <= 2
