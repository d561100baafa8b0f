"""A run too large for memory is refused up front with the estimate and a pointer to `alliance batch`."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.errors import UserError
from alliance.model import memory, simulate

runner = CliRunner()


def test_estimate_counts_the_record_and_the_frame() -> None:
    assert memory.BYTES_PER_RUN_MONTH == 2 * 4 * 15
    assert memory.estimate_bytes(1_000_000, 600) == 1_000_000 * 601 * memory.BYTES_PER_RUN_MONTH


def test_available_memory_is_known_here() -> None:
    have = memory.available_bytes()
    assert have is not None
    assert have > 2**20


def test_cli_refuses_a_run_too_large_for_memory(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(memory, "available_bytes", lambda: 24 * 2**30)  # this machine's size
    result = runner.invoke(app, ["run", "baseline", "-r", "1000000", "--months", "600", "--out", "X.csv"])
    assert result.exit_code == 2, (result.output, result.exception)
    msg = result.stderr
    assert "67.2 GiB" in msg
    assert "alliance batch baseline -r 1000000" in msg
    assert "Traceback" not in msg
    assert os.listdir(tmp_path) == []


def test_simulate_refuses_before_building_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "available_bytes", lambda: 10 * 2**20)  # 10 MiB
    with pytest.raises(UserError, match=r"need about .* GiB of memory"):
        simulate("baseline", replications=100_000, months=36)
    simulate("baseline", replications=10, months=3)  # small runs still go through


def test_unknown_available_memory_does_not_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "available_bytes", lambda: None)
    memory.check_memory(10**9, 600)
