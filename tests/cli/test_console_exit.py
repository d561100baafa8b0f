"""The console script leaves without tearing the interpreter down, and loses nothing doing so."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

import alliance.cli as cli

SCRIPT = """
import atexit, sys
from pathlib import Path
marker = Path(sys.argv[1])
atexit.register(lambda: marker.write_text("exit handlers ran"))
print("before the command", flush=False)  # still buffered when the command ends
sys.argv = ["alliance", *sys.argv[2:]]
from alliance.cli import console
console()
print("never reached")
"""


def _console(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    marker = tmp_path / "marker.txt"
    return subprocess.run([sys.executable, "-c", SCRIPT, str(marker), *args],
                          capture_output=True, text=True, timeout=300, check=False)


def test_console_runs_exit_handlers_flushes_and_writes_whole_files(tmp_path: Path) -> None:
    out = tmp_path / "runs.parquet"
    done = _console(tmp_path, "run", "baseline", "-r", "20", "--months", "12", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "marker.txt").read_text() == "exit handlers ran"
    assert done.stdout.startswith("before the command")  # the buffer was flushed
    assert "never reached" not in done.stdout
    frame = pd.read_parquet(out)
    assert frame["replication"].nunique() == 20


def test_console_keeps_the_exit_code_of_a_user_error(tmp_path: Path) -> None:
    done = _console(tmp_path, "run", str(tmp_path / "missing.yaml"))
    assert done.returncode == 2
    assert "missing.yaml" in done.stderr
    assert (tmp_path / "marker.txt").read_text() == "exit handlers ran"


def test_python_m_alliance_uses_the_console_entry() -> None:
    done = subprocess.run([sys.executable, "-m", "alliance", "params", "--help"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def test_a_live_thread_takes_the_normal_shutdown(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a non-daemon thread still running, ``console`` exits through ``SystemExit`` (so the
    interpreter waits for the thread) instead of ending the process."""
    release = threading.Event()
    worker = threading.Thread(target=release.wait)

    def command() -> None:
        worker.start()
        raise SystemExit(3)

    monkeypatch.setattr(cli, "main", command)
    try:
        with pytest.raises(SystemExit) as exc:
            cli.console()
    finally:
        release.set()
        worker.join()
    assert exc.value.code == 3
