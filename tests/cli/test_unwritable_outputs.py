"""An output that cannot be written is refused before any work is done (exit 2, path named).

A long run must never end in an error at its last step: every command checks its --out / --chart
/ --png targets first. The unwritable place is a path under a regular file, which no user (not even
root) can create.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance.cli import app


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    wall = tmp_path / "a_file"
    wall.write_text("not a folder", encoding="utf-8")
    return wall


CASES = {
    "run --out": lambda b: ["run", "baseline", "-r", "2", "--out", str(b / "x.parquet")],
    "run --chart": lambda b: ["run", "baseline", "-r", "2", "--chart", str(b / "x.html")],
    "validate --out": lambda b: ["validate", "--out", str(b / "v.csv")],
    "validate --chart": lambda b: ["validate", "--chart", str(b / "v.html")],
    "calibrate --out": lambda b: ["calibrate", "scenarios/episodes", "--out", str(b / "p.json")],
    "map --out": lambda b: ["map", "baseline", "--x", "hegemon.threshold.economic",
                            "--y", "hegemon.threshold.military", "--out", str(b / "m")],
    "sensitivity --out": lambda b: ["sensitivity", "energy_support_georgia_ukraine", "--out", str(b / "s")],
    "compare --out": lambda b: ["compare", "results/none", "--out", str(b / "c")],
    "report --out": lambda b: ["report", "results/none", "--out", str(b / "r.html")],
    "batch --out": lambda b: ["batch", "baseline", "-r", "2", "--out", str(b / "study")],
}


@pytest.mark.parametrize("case", CASES)
def test_unwritable_output_is_refused_before_running(case: str, blocked: Path) -> None:
    args = CASES[case](blocked)
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2, res.output
    assert str(blocked) in res.output, res.output
    assert "nothing was run" in res.output, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_an_existing_folder_is_not_taken_for_an_output_file(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["run", "baseline", "-r", "2", "--chart", str(tmp_path / "d.html")])
    assert res.exit_code == 0, res.output
    (tmp_path / "f.parquet").mkdir()
    res = CliRunner().invoke(app, ["run", "baseline", "-r", "2", "--out", str(tmp_path / "f.parquet")])
    assert res.exit_code == 2
    assert "is a folder" in res.output
