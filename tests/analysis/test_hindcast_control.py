"""The no-trigger control and the honest summary on synthetic episodes."""

from __future__ import annotations

from pathlib import Path

from alliance.analysis.hindcast import EpisodeSet, control_of, run_predictions, summarize

QUIET = """\
name: quiet
description: Synthetic episode whose trigger month has no event, so the control is the same run.
horizon_months: 12
replications: 10
seed: 5
expected:
  domain: humanitarian
  response: none
  window_months: 6
  outcome: held
  trigger_month: 4
"""

FORCED = """\
name: forced
description: Synthetic episode; forcing integration past the red line draws a military answer.
horizon_months: 12
replications: 10
seed: 3
actors:
  balancer: {ceiling: {integration: 1.0}}
events:
  - month: 4
    kind: force
    domain: integration
    level: 0.9
expected:
  domain: integration
  response: military
  window_months: 6
  outcome: deepened
"""


def _set(tmp_path: Path, *texts: str) -> EpisodeSet:
    for text in texts:
        name = text.split("\n", 1)[0].split(": ")[1]
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return EpisodeSet.load([tmp_path])


def test_no_trigger_control_scores_zero_trigger_points(tmp_path: Path) -> None:
    eps = _set(tmp_path, QUIET)
    runs = run_predictions(eps, 20, 2)
    ctrl = run_predictions(eps, 20, 2, control=True)
    s = summarize(eps, runs, ctrl)
    assert s["trigger_earns"] == {"points": 0, "brier_response": 0.0, "brier_outcome": 0.0}


def test_control_removes_the_trigger_and_its_points(tmp_path: Path) -> None:
    eps = _set(tmp_path, FORCED, QUIET)
    assert control_of(eps.scenarios[0], eps.windows[0]).events == []
    s = summarize(eps, run_predictions(eps, 20, 5), run_predictions(eps, 20, 5, control=True))
    assert s["model"]["points"] == 4
    assert s["control"]["points"] == 2  # the quiet episode only
    assert s["trigger_earns"]["points"] == 2
    assert s["model"]["seed_points"] == [4, 4]
    assert s["seeds"] == 5
