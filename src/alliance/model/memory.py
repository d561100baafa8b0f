"""Refuse an ensemble too large for memory before it starts, with the estimate.

One ``AllianceModel`` keeps a record of every trajectory outcome as float32 for every run-month
(``len(TRAJECTORY_OUTCOMES)`` × 4 bytes), and the tidy trajectory frame built from it is about as
large again, so a run of R replications × M months needs about ``2 × record`` bytes at its peak
(measured: 81–83 bytes per run-month for ``simulate`` on baseline; the estimate, 120, is on the
safe side). ``alliance batch`` runs the same ensemble in chunks and needs only one chunk's worth.
"""

from __future__ import annotations

from pathlib import Path

from alliance.errors import UserError

from .outcomes import TRAJECTORY_OUTCOMES

RECORD_BYTES_PER_RUN_MONTH = 4 * len(TRAJECTORY_OUTCOMES)
BYTES_PER_RUN_MONTH = 2 * RECORD_BYTES_PER_RUN_MONTH
"""Peak memory of one ensemble per run-month: the float32 record plus the tidy frame."""

SHARE_OF_AVAILABLE = 0.8
"""Largest share of the available memory one ensemble may plan to use."""


def estimate_bytes(runs: int, months: int) -> int:
    """Peak bytes of an ensemble of ``runs`` runs over ``months`` months (month 0 included)."""
    return int(runs) * (int(months) + 1) * BYTES_PER_RUN_MONTH


def available_bytes() -> int | None:
    """Memory available to a new allocation (psutil, else /proc/meminfo); None when unknown."""
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except ImportError:
        pass
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _gib(n: float) -> str:
    return f"{n / 2**30:,.1f} GiB"


def check_memory(runs: int, months: int, scenario: str = "SCENARIO") -> None:
    """Raise ``UserError`` when the ensemble would not fit in memory, naming ``alliance batch``."""
    need = estimate_bytes(runs, months)
    have = available_bytes()
    if have is None or need <= SHARE_OF_AVAILABLE * have:
        return
    raise UserError(
        f"{runs:,} replications × {months} months need about {_gib(need)} of memory "
        f"({BYTES_PER_RUN_MONTH} bytes per run-month); {_gib(have)} is available. Run fewer "
        f"replications, or run it as a study, written to disk in chunks: "
        f"alliance batch {scenario} -r {runs}")


__all__ = ["BYTES_PER_RUN_MONTH", "available_bytes", "check_memory", "estimate_bytes"]
