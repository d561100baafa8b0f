"""SIGTERM and SIGHUP end a command as Ctrl-C does: the exception reaches the command, temporary
files are removed, the exit code is 128 + the signal (benchmarks/cli_audit.py --interrupts runs the
real processes)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import typer

from alliance.cli.common import Terminated, stop_on_signals, user_errors
from alliance.study import fileio


@pytest.fixture
def handlers():
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    yield
    for s, h in saved.items():
        signal.signal(s, h)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_signal_reaches_the_command_and_sets_the_exit_code(handlers, sig: signal.Signals) -> None:
    stop_on_signals()

    @user_errors
    def command() -> None:
        os.kill(os.getpid(), sig)
        signal.sigtimedwait([], 0.1)  # let the handler run
        raise AssertionError("not stopped")

    with pytest.raises(typer.Exit) as info:
        command()
    assert info.value.exit_code == 128 + sig


def test_terminated_is_a_keyboard_interrupt() -> None:
    assert isinstance(Terminated(signal.SIGTERM), KeyboardInterrupt)


def test_the_write_probe_is_removed_when_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def stopped(_fd: int) -> None:
        raise Terminated(signal.SIGTERM)

    monkeypatch.setattr(fileio.os, "close", stopped)
    with pytest.raises(Terminated):
        fileio.check_writable(tmp_path / "o.csv")
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []
