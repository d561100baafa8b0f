"""`alliance validate` on synthetic episodes whose answers are known by construction, plus the
outcome definitions, the window arithmetic and the command's handling of bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from alliance.analysis.validate import (
    OUTCOME_TOLERANCE,
    Window,
    calibration_points,
    classify_outcome,
    first_lags,
    load_episode,
    response_levels,
    score,
    validate_episode,
)
from alliance.cli import app

runner = CliRunner()

# Forcing integration to 0.9 crosses the hegemon's integration red line (0.7): perceived threat
# is 1 from that month on, so every replication climbs to the military rung at once (lag 0), and
# cooperation, held at the forced floor, ends far above where it stood before (deepened).
FORCED = """\
name: {name}
description: Synthetic episode; the answer is known by construction (a red line is crossed).
horizon_months: 12
replications: 10
seed: 3
actors:
  balancer: {{ceiling: {{integration: 1.0}}}}
events:
  - month: 4
    kind: force
    domain: integration
    level: 0.9
    label: the balancer is made to integrate beyond the hegemon's red line
expected:
  domain: integration
  response: {response}
  window_months: 6
  lag_months: [0, 0]
  outcome: {outcome}
"""


def _episode(folder: Path, name: str, response: str = "military", outcome: str = "deepened") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(FORCED.format(name=name, response=response, outcome=outcome), encoding="utf-8")
    return path


def test_known_episode_scores_full_marks(tmp_path: Path) -> None:
    res = validate_episode(load_episode(_episode(tmp_path, "forced")), replications=40)
    assert res.response_probs["military"] == 1.0
    assert res.outcome_probs["deepened"] == 1.0
    assert res.lag_median == 0.0
    assert res.lag_match is True
    assert (res.points, score([res])) == (2, (2, 2))


def test_wrong_expectation_scores_zero(tmp_path: Path) -> None:
    path = _episode(tmp_path, "wrong", response="none", outcome="rolled_back")
    res = validate_episode(load_episode(path), replications=40)
    assert res.predicted_response == "military"
    assert res.predicted_outcome == "deepened"
    assert res.points == 0
    cal = calibration_points([res])
    happened = cal[cal.happened == 1].set_index("kind")["predicted"]
    assert happened["response"] == 0.0
    assert happened["outcome"] == 0.0


def test_cli_prints_score_writes_chart_and_table(tmp_path: Path) -> None:
    folder = tmp_path / "episodes"
    _episode(folder, "good")
    _episode(folder, "bad", response="diplomatic", outcome="held")
    chart, table = tmp_path / "cal.html", tmp_path / "table.csv"
    result = runner.invoke(app, ["validate", str(folder), "--replications", "30",
                                 "--chart", str(chart), "--out", str(table)])
    assert result.exit_code == 0, result.output
    assert "model: 2 / 4 points" in result.output
    summary = json.loads(table.with_suffix(".json").read_text(encoding="utf-8"))
    assert summary["model"]["points"] == 2
    assert summary["max_points"] == 4
    assert chart.stat().st_size > 1000
    assert "plotly" in chart.read_text(encoding="utf-8")[:5000]
    lines = table.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("episode,")


@pytest.mark.parametrize(("min_score", "code"), [("2", 0), ("3", 1), ("50%", 0), ("51%", 1)])
def test_cli_min_score(tmp_path: Path, min_score: str, code: int) -> None:
    folder = tmp_path / "episodes"
    _episode(folder, "good")
    _episode(folder, "bad", response="none", outcome="held")
    result = runner.invoke(app, ["validate", str(folder), "-r", "10", "--min-score", min_score,
                                 "--chart", str(tmp_path / "c.json")])
    assert result.exit_code == code, result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["does_not_exist.yaml"], "no such file"),
        (["{baseline}"], "not an episode"),
        (["{empty}"], "no episode files"),
        (["{good}", "--chart", "{tmp}/chart.txt"], "--chart must end"),
        (["{good}", "--min-score", "lots"], "--min-score"),
        (["{good}", "--out", "{tmp}/t.parquet"], "--out must end in .csv"),
    ],
)
def test_cli_bad_input_exits_2_without_output(tmp_path: Path, args: list[str], words: str) -> None:
    from alliance.model.scenario_files import shipped_scenarios

    (tmp_path / "empty").mkdir()
    good = _episode(tmp_path, "good")
    subs = {"baseline": str(shipped_scenarios()["baseline"]), "empty": str(tmp_path / "empty"),
            "good": str(good), "tmp": str(tmp_path)}
    chart = tmp_path / "never.html"
    result = runner.invoke(app, ["validate", *[a.format(**subs) for a in args], "--chart", str(chart)]
                           if "--chart" not in args else ["validate", *[a.format(**subs) for a in args]])
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert "Traceback" not in result.output
    assert not chart.exists()


def test_outcome_definitions() -> None:
    before = np.array([0.3, 0.3, 0.3, 0.3, 0.3])
    after = before + np.array([OUTCOME_TOLERANCE, OUTCOME_TOLERANCE * 0.99, 0.0,
                               -OUTCOME_TOLERANCE * 0.99, -OUTCOME_TOLERANCE])
    assert classify_outcome(before, after).tolist() == [2, 1, 1, 1, 0]


def test_window_response_and_lag() -> None:
    win = Window(trigger=5, lead=2, window_months=3)  # months 3..8, reference month 2
    assert (win.start, win.end, win.reference) == (3, 8, 2)
    esc = np.zeros((11, 3), dtype=float)
    esc[2, 0] = 3  # before the window: not counted
    esc[4, 1] = 1  # protest at lag -1
    esc[6:8, 1] = 2  # economic from lag +1
    esc[9, 2] = 2  # after the window: not counted
    assert response_levels(esc, win).tolist() == [0, 2, 0]
    lags = first_lags(esc, win, 2)
    assert lags[1] == 1.0
    assert np.isnan(lags[0])
    assert np.isnan(lags[2])


def test_cli_writes_nothing_unasked(tmp_path: Path) -> None:
    folder = tmp_path / "episodes"
    _episode(folder, "good")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(app, ["validate", str(folder), "-r", "5", "--seeds", "2"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    assert "wall time" in result.output
    assert list(cwd.iterdir()) == []
