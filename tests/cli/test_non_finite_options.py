"""Non-finite numbers are refused on the command line too (issue 13): exit 2, one message, no file."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from alliance.model.scenario_files import scenarios_dir

runner = CliRunner()
MAP = ["map", "baseline", "--x", "hegemon.threshold.economic", "--y", "hegemon.noise_sd", "--grid", "2x2",
       "-r", "2", "--out", "m"]


@pytest.mark.parametrize(("args", "says"), [
    ([*MAP, "--level", "nan"], "--level nan is not a finite number"),
    ([*MAP, "--level", "inf"], "--level inf is not a finite number"),
    ([*MAP, "--level", "-inf"], "--level -inf is not a finite number"),
    ([*MAP, "--x-range", "nan:0.7"], "two finite numbers"),
    ([*MAP, "--y-range", "0.1:inf"], "two finite numbers"),
    (["run", "baseline", "-r", "2", "--set", "hegemon.noise_sd=nan", "--out", "x.csv"], "not a finite number"),
    (["calibrate", str(scenarios_dir() / "episodes"), "--out", "p.json", "--quantile", "nan"], "--quantile"),
], ids=["level-nan", "level-inf", "level-minus-inf", "x-range-nan", "y-range-inf", "set-nan", "quantile-nan"])
def test_non_finite_option_is_refused(tmp_path, monkeypatch, args, says):
    from alliance.cli import app

    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, args)
    assert r.exit_code == 2, (r.output, r.exception)
    text = r.stderr
    assert "Traceback" not in text
    assert says in text.replace("\n", " "), text
    assert os.listdir(tmp_path) == []


def test_calibration_settings_refuse_a_non_finite_quantile():
    from alliance.analysis.calibrate import Settings
    from alliance.errors import UserError

    for q in (float("nan"), float("inf"), 0.0, 1.0):
        with pytest.raises(UserError, match="between 0 and 1"):
            Settings(quantile=q)
