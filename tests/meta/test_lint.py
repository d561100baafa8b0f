"""House style as tests: ruff over the code, mypy over model/ (STYLE.md, 'Names, docs, types')."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_ruff_clean():
    pytest.importorskip("ruff")
    res = _run("ruff", "check", "src", "tests", "benchmarks")
    assert res.returncode == 0, res.stdout + res.stderr


def test_mypy_clean_on_model():
    pytest.importorskip("mypy")
    res = _run("mypy")
    assert res.returncode == 0, res.stdout + res.stderr


# What the model may import is an import-linter contract (tests/meta/test_architecture.py).
