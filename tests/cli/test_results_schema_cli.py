"""`alliance results schema STUDY` prints the column dictionary."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from alliance.cli import app
from alliance.study.batch import run_batch


def test_results_schema_prints_every_column(tmp_path):
    out = tmp_path / "s"
    run_batch(["baseline"], out=out, replications=3)
    r = CliRunner().invoke(app, ["results", "schema", str(out), "--json"])
    assert r.exit_code == 0, r.output
    cols = json.loads(r.output)
    assert cols["escalation"]["codes"]["3"] == "military"
    assert cols["first_sanctions_month"]["nullable"] is True
    assert "run_id" in cols
    assert "welfare" in cols
    r = CliRunner().invoke(app, ["results", "schema", str(out)], env={"COLUMNS": "200"})
    assert r.exit_code == 0
    assert "diplomatic" in r.output
    assert "utility/month" in r.output
    r = CliRunner().invoke(app, ["results", "schema", str(tmp_path / "nope")])
    assert r.exit_code == 2
