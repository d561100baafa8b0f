"""Fixed-seed runs compared with their stored golden values (see golden_runs.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from .golden_runs import CASES, TOLERANCE, compute, path


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_golden(name):
    stored = pd.read_csv(path(name))
    now = compute(name)
    assert list(stored.columns) == list(now.columns)
    pd.testing.assert_frame_equal(now, stored, check_dtype=False, **TOLERANCE)


def test_golden_detects_a_change():
    """The comparison is not vacuous: a small default change breaks it."""
    stored = pd.read_csv(path("baseline"))
    changed = stored.copy()
    changed.loc[10, "threat"] += 1e-3
    with pytest.raises(AssertionError):
        pd.testing.assert_frame_equal(changed, stored, check_dtype=False, **TOLERANCE)
