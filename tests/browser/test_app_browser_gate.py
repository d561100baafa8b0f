"""The browser tests' gate: without Chromium they FAIL under CI=true and are skipped elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BROWSER_TESTS = Path(__file__).resolve().parent / "test_app_browser.py"


def _run(ci: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ALLIANCE_CHROMIUM": "/nonexistent/chromium"}
    env.pop("CI", None)
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         str(BROWSER_TESTS), "-k", "free_port"],
        capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("ci", ["true"])
def test_browser_tests_fail_in_ci_without_chromium(ci):
    res = _run(ci)
    assert res.returncode == 1, res.stdout[-2000:]
    assert "browser tests cannot run in CI: Chromium not found" in res.stdout


def test_browser_tests_skip_with_a_reason_elsewhere():
    res = _run(None)
    assert res.returncode == 0, res.stdout[-2000:]
    assert "1 skipped" in res.stdout
    assert "Chromium not found at /nonexistent/chromium" in res.stdout
