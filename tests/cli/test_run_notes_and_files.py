"""`alliance run` says it ignores uncertainties; no command writes a file it was not asked for."""

from __future__ import annotations

import os

from typer.testing import CliRunner

from alliance.cli import app
from alliance.model.scenario_files import scenarios_dir

runner = CliRunner()


def test_run_on_uncertain_scenario_says_they_are_ignored(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["run", "energy_support_uncertain", "-r", "3", "--months", "2"])
    assert r.exit_code == 0, r.output
    assert "ignores them" in r.output
    assert "alliance batch energy_support_uncertain" in r.output
    r = runner.invoke(app, ["run", "baseline", "-r", "3", "--months", "2"])
    assert "ignores them" not in r.output
    assert os.listdir(tmp_path) == []


def test_validate_writes_no_chart_unless_asked(tmp_path, monkeypatch):
    episode = sorted((scenarios_dir() / "episodes").glob("*.yaml"))[0]
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["validate", str(episode), "-r", "5"])
    assert r.exit_code == 0, r.output
    assert os.listdir(tmp_path) == []
    r = runner.invoke(app, ["validate", str(episode), "-r", "5", "--chart", "cal.json"])
    assert r.exit_code == 0, r.output
    assert os.listdir(tmp_path) == ["cal.json"]
    assert "wrote cal.json" in r.output
