"""Shared fixtures: the shared/ folder and a per-test results folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The project's shared/ documents (briefing, episodes), beside the checkout."""
    env = os.environ.get("ALLIANCE_SHARED")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared", ROOT / "shared"]:
        if (cand / "briefing.txt").exists():
            return cand
    pytest.skip("shared/briefing.txt not found beside the checkout (set ALLIANCE_SHARED)")
    raise AssertionError  # unreachable


@pytest.fixture
def shared() -> Path:
    return shared_dir()
