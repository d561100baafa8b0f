"""The record's memory, reused from one model to the next within a process.

A fresh record (10,000 replications × 121 months × 15 outcomes as float32: 73 MB) pays a page
fault for every page when it is first written: measured 14–120 ms on the 2-core machine (the
operating system zeroes each page, and numpy asks for transparent huge pages, whose faults may
compact memory first), 11–100 ns per run-month against the kernel's ~250, and more in wall time
(``benchmarks/kernel_profile.py``). Batches and tipping maps build many models in one process,
one after the other.

So ``AllianceModel.release()`` hands its record back here, and the next model whose record fits
takes it, pages already mapped, once nothing else holds it (no DataFrame, view or zero-copy
export of it is alive: Python's reference counts say so; a DataFrame still in use keeps its
memory to itself). At most one record is kept, and only a large one (``MIN_BYTES``); a model
never takes one more than twice the size it needs. A reused record is not cleared: a model writes
every month before anything reads it (readers stop at ``model.month``), so stale values are never
seen.
"""

from __future__ import annotations

import os
import sys
import threading

import numpy as np

MIN_BYTES = 1 << 20
"""Smaller records are not kept (their pages come from the heap, already mapped)."""

_kept: list[np.ndarray] = []  # at most one record's owning array
_lock = threading.Lock()


def _refs(kept: list[np.ndarray]) -> int:
    owner = kept[0]
    return sys.getrefcount(owner)


_UNSHARED = _refs([np.empty(1, dtype=np.float32)])
"""What ``_refs`` counts for an array held by nothing but its list, measured on this interpreter
through the same code (interpreters differ in which references they count: 3.14 borrows some),
so a count above it means someone else still holds the record."""


def take(shape: tuple[int, ...]) -> np.ndarray:
    """A float32 array of ``shape`` for a model's record: the kept one when it fits and nothing
    else reads it (values undefined until written), else a new one (zeroed)."""
    n = int(np.prod(shape))
    with _lock:
        if _kept and n + ALIGN <= _kept[0].size <= 2 * n + ALIGN and _refs(_kept) == _UNSHARED:  # no one else holds it
            return _aligned(_kept.pop(), n).reshape(shape)
    return _aligned(np.zeros(n + ALIGN, dtype=np.float32), n).reshape(shape)


ALIGN = 16
"""A record starts on a 64-byte boundary (16 float32 values): its rows of a multiple of 16
replications then start on a cache line, which the kernel's non-temporal stores write whole."""


def _aligned(owner: np.ndarray, n: int) -> np.ndarray:
    skip = (-owner.ctypes.data % (4 * ALIGN)) // 4
    return owner[skip:skip + n]


def give(record: np.ndarray) -> None:
    """Keep ``record``'s memory for a later model (replacing the one kept before); it is reused
    only once nothing else references it."""
    owner = record if record.base is None else record.base
    if (isinstance(owner, np.ndarray) and owner.dtype == np.float32 and owner.nbytes >= MIN_BYTES
            and owner.flags.c_contiguous and owner.flags.owndata and owner.flags.writeable):
        with _lock:
            _kept[:] = [owner]


HEAP_RUN_MONTHS = 1_000_000
"""Ensembles from this size (replications × months) make the heap keep freed temporaries."""
_heap = {"tuned": False}


def roomy_heap(run_months: int) -> bool:
    """Before a large ensemble is built: keep glibc's heap from returning freed memory to the
    system at once (``mallopt``: mmap threshold 32 MB, trim threshold 64 MB, the values glibc's
    own sliding thresholds reach at most). Building the model frees and allocates dozens of
    (D, R) temporaries of ~0.5 MB; by default each may be unmapped or trimmed and page-faulted
    anew, about half the build's time (measured: 15.6 against 11.6 ms for 10,000 replications).
    Once per process, glibc on Linux only, and not where the user set a ``MALLOC_*_`` threshold
    (a Dask worker's is undone by ``study.executors.tune_malloc``). Returns whether it was applied."""
    if _heap["tuned"] or run_months < HEAP_RUN_MONTHS or not sys.platform.startswith("linux"):
        return False
    if any(k in os.environ for k in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")):
        return False
    _heap["tuned"] = True
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(-3, 32 << 20)) and bool(libc.mallopt(-1, 64 << 20))  # M_MMAP_, M_TRIM_THRESHOLD
    except (OSError, AttributeError):  # not glibc
        return False


def clear() -> None:
    """Forget the kept record (its memory returns to the system once unreferenced)."""
    with _lock:
        _kept.clear()


__all__ = ["MIN_BYTES", "clear", "give", "roomy_heap", "take"]
