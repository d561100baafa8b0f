"""Studies that always recover (issue 13): a kill during setup, a damaged manifest, a truncated
runs.parquet and a full disk are each resumed or reported clearly, and the finished study equals
the uninterrupted one."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.errors import UserError
from alliance.model.yamlio import InputError
from alliance.study import integrity, store
from alliance.study.batch import run_batch
from alliance.study.store import load_results

KW = {"scenarios": ["energy_support_uncertain"], "samples": 4, "replications": 20, "seed": 3,
      "chunk_runs": 16, "progress": False}
runner = CliRunner()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory):
    return run_batch(**KW, out=tmp_path_factory.mktemp("ref") / "ref")


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.runs, b.runs)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.trajectories(), b.trajectories())


def _parquet_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.parquet"))}


KILLED = textwrap.dedent("""
    import sys, time
    from alliance.study import recovery
    from alliance.study.batch import run_batch
    real = recovery.{hook}
    def slow(*a, **k):
        if {after}:
            real(*a, **k)
        print("in setup", flush=True)
        time.sleep(60)
        return None if {after} else real(*a, **k)
    recovery.{hook} = slow
    run_batch(["energy_support_uncertain"], samples=4, replications=20, seed=3, chunk_runs=16,
              progress=False, out=sys.argv[1])
""")


@pytest.mark.parametrize(("hook", "after"), [("static_records", False), ("commit_setup", True)],
                         ids=["before-manifest", "after-rename"])
def test_kill_during_setup_then_rerun_resume_overwrite(reference, tmp_path: Path, hook: str,
                                                       after: bool) -> None:
    out = tmp_path / "s"
    code = KILLED.format(hook=hook, after=after)
    env = {**os.environ, "PYTHONPATH": str(Path(store.__file__).parents[2])}
    with subprocess.Popen([sys.executable, "-c", code, str(out)], stdout=subprocess.PIPE, text=True,
                          env=env) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert line == "in setup"
    # a folder named like the study either has its manifest or does not exist
    assert not out.exists() or (out / "manifest.json").is_file()
    if out.exists():  # killed after the rename: a study with every chunk pending
        _same(reference, run_batch(None, out=out, resume=True, progress=False))
        return
    with pytest.raises(InputError, match="no such study folder"):
        run_batch(None, out=out, resume=True, progress=False)
    st = run_batch(**KW, out=out)  # the same command again just works
    _same(reference, st)
    assert _parquet_bytes(out) == _parquet_bytes(reference.path)
    assert not list(tmp_path.glob(".s.setup-*")), "the dead setup folder was not cleaned up"


def test_folder_left_by_an_old_interrupted_setup(reference, tmp_path: Path) -> None:
    """An older version could leave a folder without a manifest: each command knows what to do."""
    out = tmp_path / "old"
    run_batch(**KW, out=out)
    for name in ("manifest.json", "plan.json"):
        (out / name).unlink()
    for f in (out / "summary").iterdir():
        f.unlink()
    for f in (out / "trajectories").iterdir():
        f.unlink()
    with pytest.raises(UserError, match=r"setup was interrupted.*without --resume"):
        run_batch(None, out=out, resume=True, progress=False)
    notes: list[str] = []

    class Notes:
        def start(self, *a): ...
        def advance(self, n): ...
        def stop(self): ...
        def note(self, m): notes.append(m)

    _same(reference, run_batch(**{**KW, "progress": Notes()}, out=out))
    assert any("interrupted setup" in n for n in notes)
    (out / "manifest.json").unlink()
    (out / "plan.json").unlink()
    for sub in ("summary", "trajectories"):
        for f in (out / sub).iterdir():
            f.unlink()
    _same(reference, run_batch(**KW, out=out, overwrite=True))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "chunks_gone", "deleted", "chunk_entry"])
def test_damaged_manifest_is_rebuilt_from_the_chunks(reference, tmp_path: Path, damage: str) -> None:
    out = tmp_path / "m"
    run_batch(**KW, out=out)
    mf = out / "manifest.json"
    text = mf.read_text()
    if damage == "truncated":
        mf.write_text(text[: len(text) // 2])
    elif damage == "garbage":
        mf.write_bytes(b"\x00\xff" * 100)
    elif damage == "chunks_gone":
        m = json.loads(text)
        del m["chunks"]
        mf.write_text(json.dumps(m))
    elif damage == "deleted":
        mf.unlink()
    else:
        m = json.loads(text)
        m["chunks"][2] = {"id": 2, "status": "done"}
        mf.write_text(json.dumps(m))
    # reading it is refused clearly, with the way out
    with pytest.raises(InputError) as info:
        load_results(out)
    if damage != "deleted":
        assert "manifest.json" in info.value.format()
        assert "--resume" in info.value.format()
    result = runner.invoke(app, ["results", "show", str(out), "--verify"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    # a damaged chunk as well: the rebuilt manifest leaves it pending
    bad = out / "summary" / "part-000001.parquet"
    bad.write_bytes(bad.read_bytes()[:-50])
    seen: list[int] = []
    st = run_batch(None, out=out, resume=True, progress=False, on_chunk=lambda e: seen.append(e["id"]))
    assert seen == [1]
    _same(reference, st)
    assert _parquet_bytes(out) == _parquet_bytes(reference.path)
    assert store.read_manifest(out)["chunks"][0]["status"] == "done"


def test_truncated_runs_parquet_is_found_and_rebuilt(reference, tmp_path: Path) -> None:
    out = tmp_path / "t"
    run_batch(**KW, out=out)
    f = out / "runs.parquet"
    f.write_bytes(f.read_bytes()[:-40])
    with pytest.raises(InputError, match=r"runs\.parquet"):
        load_results(out)
    problems = load_results(out, skip_corrupt=True).check()
    assert any("runs.parquet" in p for _, p in problems)
    result = runner.invoke(app, ["results", "show", str(out), "--verify"])
    assert result.exit_code == 2, result.output
    assert "runs.parquet" in result.output
    assert "Traceback" not in result.output
    _same(reference, run_batch(None, out=out, resume=True, progress=False))
    assert _parquet_bytes(out) == _parquet_bytes(reference.path)
    assert load_results(out).check() == []


def test_runs_parquet_with_a_valid_footer_but_wrong_rows(reference, tmp_path: Path) -> None:
    """A different, well-formed runs.parquet (rows missing) is caught by the row count."""
    out = tmp_path / "rows"
    run_batch(**KW, out=out)
    m = json.loads((out / "manifest.json").read_text())
    m.pop("files")  # as in a study made before sizes were recorded
    (out / "manifest.json").write_text(json.dumps(m))
    table = integrity.read_table(out / "runs.parquet").slice(0, 10)
    store.write_table(out / "runs.parquet", table)
    assert any("10 rows" in p for _, p in load_results(out).check())
    _same(reference, run_batch(None, out=out, resume=True, progress=False))


def test_damaged_samples_parquet_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "sp"
    run_batch(**KW, out=out)
    f = out / "samples.parquet"
    f.write_bytes(f.read_bytes()[:-30])
    with pytest.raises(UserError, match=r"samples\.parquet.*--overwrite"):
        run_batch(None, out=out, resume=True, progress=False)


def test_full_disk_is_a_clear_error_and_resumable(reference, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "full"
    calls = {"n": 0}
    real = os.fsync

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] > 4:  # setup and a few chunks get through, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(store.os, "fsync", fsync)
    result = runner.invoke(app, ["batch", "energy_support_uncertain", "-n", "4", "-r", "20", "--seed", "3",
                                 "--chunk-runs", "16", "--out", str(out), "--no-progress"])
    assert result.exit_code == 2, (result.output, result.exception)
    assert "disk is full" in result.stderr
    assert "--resume" in result.stderr
    assert "Traceback" not in result.output
    assert not list(out.rglob(".*.tmp")), "a half-written file was left"
    monkeypatch.setattr(store.os, "fsync", real)
    _same(reference, run_batch(None, out=out, resume=True, progress=False))
    assert _parquet_bytes(out) == _parquet_bytes(reference.path)


def test_full_disk_during_setup_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "fullsetup"

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.os, "fsync", fsync)
    with pytest.raises(UserError, match="disk is full"):
        run_batch(**KW, out=out)
    assert not out.exists()
    assert not list(tmp_path.iterdir())
