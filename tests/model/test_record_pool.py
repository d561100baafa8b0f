"""A released model's record is reused by the next model only when nothing else reads it
(``model/record_pool.py``), and reuse never changes a result; a large ensemble tunes the heap once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from alliance.model import AllianceModel, record_pool

ROOT = Path(__file__).resolve().parents[2]

R = 3000  # a record of 15 × 37 × 3000 float32: above record_pool.MIN_BYTES


@pytest.fixture(autouse=True)
def _empty_pool() -> None:
    record_pool.clear()


def owner_id(m: AllianceModel) -> int:
    rec = m._rec
    return id(rec if rec.base is None else rec.base)


def test_a_released_record_is_reused_and_results_do_not_change() -> None:
    fresh = AllianceModel("nato_base_request", replications=R, collect=False).run().record.copy()
    m = AllianceModel("baseline", replications=R, seed=9, collect=False).run()
    first = owner_id(m)
    m.release()
    again = AllianceModel("nato_base_request", replications=R, collect=False)
    assert owner_id(again) == first
    assert np.array_equal(again.run().record, fresh)


def test_a_record_still_read_is_not_reused_until_it_is_dropped() -> None:
    m = AllianceModel("baseline", replications=R, collect=False).run()
    first = owner_id(m)
    frame = m.trajectories()
    view = m.outcome("threat")
    before, threat = frame.copy(), view.copy()
    m.release()
    other = AllianceModel("baseline", replications=R, seed=1, collect=False)
    assert owner_id(other) != first  # the frame still reads the first record
    assert not other._rec[:, 1:].any()  # a fresh, zeroed record
    other.run().release()
    assert frame.equals(before)
    assert np.array_equal(view, threat)
    del frame, view
    again = AllianceModel("baseline", replications=R, seed=2, collect=False)
    assert again._rec[:, 1:].any()  # the second record, reused (its old months are still there)
    held = again.run().record  # a view held past release()
    kept = held.copy()
    again.release()
    fresh = AllianceModel("baseline", replications=R, seed=3, collect=False).run()
    assert np.array_equal(held, kept)
    assert not np.array_equal(fresh.record, kept)


def test_only_a_fitting_record_is_taken() -> None:
    big = AllianceModel("baseline", replications=2 * R + 10, collect=False).run()
    big.release()
    small = AllianceModel("baseline", replications=R, collect=False)  # under half its size: not taken
    assert not small._rec[:, 1:].any()  # a fresh, zeroed record (a reused one holds the old months)
    small.run().release()
    reused = AllianceModel("baseline", replications=R, collect=False)
    assert reused._rec[:, 1:].any()
    tiny = AllianceModel("baseline", replications=50, collect=False).run()
    tiny.release()  # below MIN_BYTES: not kept
    assert not record_pool._kept


def test_the_unshared_count_is_measured_on_this_interpreter() -> None:
    """``_UNSHARED`` is what this interpreter counts for an array held only by its list (3.14 borrows
    references 3.11 counts), and any other holder raises the count above it."""
    arr = np.empty(4, dtype=np.float32)
    kept = [arr]
    del arr
    assert record_pool._refs(kept) == record_pool._UNSHARED
    other = kept[0]
    assert record_pool._refs(kept) > record_pool._UNSHARED
    del other
    assert record_pool._refs(kept) == record_pool._UNSHARED


PROBE = ("from alliance.model import record_pool as p; "
         "print(p.roomy_heap(p.HEAP_RUN_MONTHS - 1), p.roomy_heap(p.HEAP_RUN_MONTHS), p.roomy_heap(10**9))")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
@pytest.mark.parametrize(("env", "expected"), [({}, "False True False"),
                                               ({"MALLOC_TRIM_THRESHOLD_": "65536"}, "False False False")])
def test_a_large_ensemble_tunes_the_heap_once_unless_the_user_did(env: dict[str, str], expected: str) -> None:
    """Small ensembles leave the heap alone, the first large one tunes it, later ones do nothing;
    a user's (or Dask's) own MALLOC_*_ threshold is respected."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    done = subprocess.run([sys.executable, "-c", PROBE], env={**clean, **env, "PYTHONPATH": str(ROOT / "src")},
                          capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == expected.split()
