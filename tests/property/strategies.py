"""Hypothesis strategies shared by the property tests: a valid full parameter set."""

from __future__ import annotations

from hypothesis import strategies as st

from alliance.model import DOMAINS, PARAMS
from alliance.model.param import Param


def uniform_value(p: Param) -> st.SearchStrategy:
    """Any admissible value of ``p``, uniform over its range."""
    if p.integer:
        return st.integers(int(p.low), int(p.high))
    return st.floats(p.low, p.high, allow_nan=False, allow_infinity=False)


@st.composite
def valid_params(draw, value=uniform_value):
    """Every parameter drawn with ``value(p)``, then repaired to satisfy the cross-field rules
    (ordered thresholds, ordered long durations, initial cooperation under its ceiling)."""
    values = {name: float(draw(value(p))) for name, p in PARAMS.items()}
    thr = sorted(draw(st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3, unique=True)))
    for rung, v in zip(("diplomatic", "economic", "military"), thr, strict=True):
        values[f"hegemon.threshold.{rung}"] = v
    lo, hi = sorted((values["hegemon.long_duration_min"], values["hegemon.long_duration_max"]))
    values["hegemon.long_duration_min"], values["hegemon.long_duration_max"] = lo, hi
    for d in DOMAINS:
        values[f"balancer.initial.{d}"] = min(values[f"balancer.initial.{d}"], values[f"balancer.ceiling.{d}"])
    return values
