"""Shared fixtures: the source documents (docs/sources/ and, where present, the shared/ originals)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


SOURCES = ROOT / "docs" / "sources"


def shared_dir() -> Path | None:
    """The project's shared/ originals beside the checkout, if present (ALLIANCE_SHARED overrides)."""
    env = os.environ.get("ALLIANCE_SHARED")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared", ROOT / "shared"]:
        if (cand / "briefing.txt").exists():
            return cand
    return None


@pytest.fixture
def shared() -> Path:
    """The source documents: the repository's copies in docs/sources/ (see its README)."""
    return SOURCES
