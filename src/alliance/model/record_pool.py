"""The record's memory, reused from one model to the next within a process.

A fresh record (10,000 replications × 121 months × 15 outcomes as float32: 73 MB) pays a page
fault for every page when it is first written: measured 25–100 ms on the 2-core machine (the
operating system zeroes each page, and numpy asks for transparent huge pages, whose faults may
compact memory first), 20–80 ns per run-month, up to a quarter of the engine's time. Batches,
tipping maps and calibration build thousands of models in one process, one after the other.

So ``AllianceModel.release()`` hands its record back here when nothing else holds it (no
DataFrame, view or zero-copy export of it is alive: Python's reference counts say so), and the
next model whose record fits takes it, pages already mapped. At most one record is kept, and
only a large one (``MIN_BYTES``); a model never takes one more than twice the size it needs.
A reused record is not cleared: a model writes every month before anything reads it (readers
stop at ``model.month``), so stale values are never seen.
"""

from __future__ import annotations

import sys
import threading

import numpy as np

MIN_BYTES = 1 << 20
"""Smaller records are not kept (their pages come from the heap, already mapped)."""

_free: list[np.ndarray] = []  # at most one flat float32 buffer nobody else references
_lock = threading.Lock()


def take(shape: tuple[int, ...]) -> np.ndarray:
    """A float32 array of ``shape`` for a model's record: the kept buffer when it fits, else a
    new one (zeroed). Its values are undefined until written."""
    n = int(np.prod(shape))
    with _lock:
        buf = _free.pop() if _free else None
    if buf is not None and n <= buf.size <= 2 * n:
        return buf[:n].reshape(shape)
    del buf  # too small or too large: let it go
    return np.zeros(shape, dtype=np.float32)


def give(record: np.ndarray) -> bool:
    """Keep ``record``'s memory for the next model if nothing else references it. The caller
    must drop its own reference to ``record`` right after; returns whether it was kept."""
    owner = record if record.base is None else record.base
    if not isinstance(owner, np.ndarray) or owner.dtype != np.float32 or owner.nbytes < MIN_BYTES:
        return False
    if not (owner.flags.c_contiguous and owner.flags.owndata and owner.flags.writeable):
        return False
    # references: the caller's variable and this argument (record), plus owner's own from record
    # (when record is a view) and this function's variable; anything more is a view, a frame or
    # an export that still reads this memory
    views = sys.getrefcount(owner) - (3 if owner is not record else 4)
    if views != 0 or (owner is not record and sys.getrefcount(record) != 3):
        return False
    with _lock:
        _free[:] = [owner.reshape(-1)]
    return True


def clear() -> None:
    """Forget the kept buffer (its memory returns to the system when unreferenced)."""
    with _lock:
        _free.clear()


__all__ = ["MIN_BYTES", "clear", "give", "take"]
