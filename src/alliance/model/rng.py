"""Counter-based random numbers: every draw is a hash of (seed, replication, month, stream).

A replication's noise therefore does not depend on how many other replications share the batch,
how the batch is chunked, or which worker runs it, so any run can be replayed alone (STYLE.md,
'One model, many runs'). The hash is SplitMix64's finaliser on numpy uint64 arrays.
"""

from __future__ import annotations

import numpy as np

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_TO_UNIT = 1.0 / float(1 << 53)

STREAMS = {
    "threat_noise_a": 1,
    "threat_noise_b": 2,
    "duration_kind": 3,
    "duration_length": 4,
    "inducement": 5,
    "belief_a": 6,
    "belief_b": 7,
}


def _mix(z: np.ndarray) -> np.ndarray:
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def key(seed: int, replications: np.ndarray) -> np.ndarray:
    """Per-replication base keys (uint64) for ``seed``."""
    s = _mix(np.asarray([seed & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64) + _GOLDEN)
    r = np.asarray(replications, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return _mix(s ^ _mix((r + np.uint64(1)) * _GOLDEN))


def uniform(keys: np.ndarray, month: int, stream: int) -> np.ndarray:
    """Uniform draws in [0, 1), one per key, for this month and stream."""
    c = np.uint64(((month & 0xFFFFFFFF) << 8) | (stream & 0xFF))
    with np.errstate(over="ignore"):
        z = _mix(keys ^ _mix(np.asarray([c * _GOLDEN + _GOLDEN], dtype=np.uint64)))
    return (z >> np.uint64(11)).astype(np.float64) * _TO_UNIT


def normal(keys: np.ndarray, month: int, stream_a: int, stream_b: int) -> np.ndarray:
    """Standard normal draws (Box–Muller) from two uniform streams."""
    u1 = uniform(keys, month, stream_a)
    u2 = uniform(keys, month, stream_b)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)


_MASK = 0xFFFFFFFFFFFFFFFF


def _mix1(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def uniform1(key: int, month: int, stream: int) -> float:
    """``uniform`` for one replication's key, in plain Python integers (the scalar peer's draw)."""
    z = _mix1(key ^ uniform1_constant(month, stream))
    return (z >> 11) * _TO_UNIT


def uniform1_constant(month: int, stream: int) -> int:
    """The (month, stream) half of ``uniform1``'s hash, the same for every replication."""
    c = ((month & 0xFFFFFFFF) << 8) | (stream & 0xFF)
    return _mix1((c * 0x9E3779B97F4A7C15 + 0x9E3779B97F4A7C15) & _MASK)
