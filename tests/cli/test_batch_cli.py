"""`alliance batch` and `alliance results` from the command line: bad input → one message, exit 2,
nothing written; a batch killed with SIGKILL resumes to the same study; dry run writes nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.study.batch import run_batch
from alliance.study.store import load_results

runner = CliRunner()

STUDY = """\
name: clistudy
description: a small study for the command-line tests
extends: baseline
horizon_months: 12
uncertainties:
  hegemon.threshold.economic: {dist: uniform, low: 0.6, high: 0.8}
"""


@pytest.fixture
def scen(tmp_path: Path) -> Path:
    p = tmp_path / "clistudy.yaml"
    p.write_text(STUDY, encoding="utf-8")
    return p


def _cli(*args: str):
    return runner.invoke(app, list(args))


def _fails(res, *words: str) -> None:
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    for w in words:
        assert w in res.output, res.output


def test_bad_input_exit_2_nothing_written(scen: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _fails(_cli("batch", str(scen), "-n", "4", "--sampler", "latin", "--out", str(out)), "unknown sampler 'latin'")
    bad = tmp_path / "baddist.yaml"
    bad.write_text(STUDY.replace("uniform", "gamma").replace("clistudy", "baddist"), encoding="utf-8")
    _fails(_cli("batch", str(bad), "-n", "4", "--out", str(out)), "baddist.yaml", "unknown distribution 'gamma'")
    rev = tmp_path / "reversed.yaml"
    rev.write_text(STUDY.replace("low: 0.6, high: 0.8", "low: 0.8, high: 0.6").replace("clistudy", "reversed"),
                   encoding="utf-8")
    _fails(_cli("batch", str(rev), "-n", "4", "--out", str(out)), "reversed.yaml", "bounds reversed")
    _fails(_cli("batch", "no_such_scenario", "--out", str(out)), "no scenario named")
    _fails(_cli("batch", str(scen), "--workers", "2", "--dask-local", "2", "--out", str(out)), "choose one of")
    assert not out.exists()
    plain = tmp_path / "plain"
    plain.mkdir()
    _fails(_cli("batch", "--resume", str(plain)), "not a study folder")
    _fails(_cli("results", "show", str(plain)), "not a study folder")
    assert list(plain.iterdir()) == []


def test_unreachable_scheduler_reported_quickly(scen: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    t0 = time.monotonic()
    res = _cli("batch", str(scen), "-n", "2", "-r", "5", "--scheduler", "tcp://127.0.0.1:9", "--out", str(out))
    assert time.monotonic() - t0 < 10
    _fails(res, "cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert not out.exists()
    _fails(_cli("batch", str(scen), "--scheduler", "127.0.0.1 8786", "--out", str(out)), "not a scheduler address")


def test_resume_with_a_different_scenario(scen: Path, tmp_path: Path) -> None:
    out = tmp_path / "s"
    assert _cli("batch", str(scen), "-n", "3", "-r", "5", "--out", str(out), "--no-progress").exit_code == 0
    before = (out / "manifest.json").read_bytes()
    _fails(_cli("batch", "baseline", "--resume", str(out)), "made from a different scenario")
    _fails(_cli("batch", str(scen), "-n", "3", "-r", "5", "--out", str(out)), "already exists", "--resume")
    assert (out / "manifest.json").read_bytes() == before


def test_dry_run_prints_and_writes_nothing(scen: Path, tmp_path: Path) -> None:
    out = tmp_path / "dry"
    res = _cli("batch", str(scen), "baseline", "-n", "10", "-r", "100", "--out", str(out), "--dry-run")
    assert res.exit_code == 0, res.output
    assert "1,100 runs" in res.output
    assert "estimated time" in res.output
    assert "disk about" in res.output
    assert not out.exists()


def test_results_list_and_show_report_a_corrupted_chunk(scen: Path, tmp_path: Path) -> None:
    root = tmp_path / "results"
    assert _cli("batch", str(scen), "baseline", "-n", "3", "-r", "20", "--chunk-runs", "20",
                "--out", str(root / "good"), "--no-progress").exit_code == 0
    res = _cli("results", "list", "--root", str(root))
    assert res.exit_code == 0, res.output
    assert "good" in res.output, res.output
    assert "clistudy" in res.output, res.output
    res = _cli("results", "show", str(root / "good"))
    assert res.exit_code == 0
    assert "P(economic sanctions)" in res.output
    f = root / "good" / "summary" / "part-000001.parquet"
    f.write_bytes(f.read_bytes()[:-10])
    res = _cli("results", "show", str(root / "good"))
    _fails(res, "part-000001.parquet", "the rest was read")
    assert "baseline: 20 runs" in res.output  # the other chunks are still summarised


def test_sigkill_then_resume_equals_uninterrupted(tmp_path: Path) -> None:
    scen = tmp_path / "killme.yaml"
    scen.write_text(STUDY.replace("clistudy", "killme").replace("horizon_months: 12", "horizon_months: 36"),
                    encoding="utf-8")
    args = [str(scen), "-n", "10", "-r", "300", "--chunk-runs", "100", "--seed", "3"]
    out = tmp_path / "killed"
    cmd = [sys.executable, "-c", "from alliance.cli import main; main()", "batch", *args,
           "--out", str(out), "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    manifest = out / "manifest.json"
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists():
            try:
                done = sum(c["status"] == "done" for c in json.loads(manifest.read_text())["chunks"])
            except (json.JSONDecodeError, OSError):  # never expected: the manifest is replaced atomically
                raise
            if done >= 3:
                break
        time.sleep(0.02)
    assert proc.poll() is None, "the batch finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()  # type: ignore[union-attr]
    m = json.loads(manifest.read_text())
    pending = [c["id"] for c in m["chunks"] if c["status"] != "done"]
    assert 0 < len(pending) < len(m["chunks"])
    res = _cli("batch", "--resume", str(out), "--no-progress")
    assert res.exit_code == 0, res.output
    resumed = load_results(out)
    assert resumed.complete
    whole = run_batch([scen], samples=10, replications=300, seed=3, out=tmp_path / "whole", progress=False)
    s = resumed.summary
    assert s["run_id"].is_unique
    assert len(s) == 10 * 300 == whole.runs_total
    pd.testing.assert_frame_equal(s, whole.summary)
    pd.testing.assert_frame_equal(resumed.trajectories(), whole.trajectories())
    assert not list(out.rglob(".*.tmp"))
