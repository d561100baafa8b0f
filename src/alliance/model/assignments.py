"""The ``--set path=value`` syntax of the command line: parameter overrides as a dict."""

from __future__ import annotations

import math

from .checks import suggest
from .parameters import LEVEL_PARAMS, PARAMS, check_value, integration_level
from .yamlio import InputError, listed

_WHOLE = ("horizon_months", "replications", "seed")
MAX_EXACT = 2**53
"""Whole numbers written in float notation (``1e3``) are accepted only below 2**53, where every
whole number still has an exact float; integer notation is read exactly."""


def _number(key: str, raw: str) -> float:
    """One ``--set`` value: whole-number keys read exactly, finite numbers only, level names."""
    text = raw.strip()
    whole = key in _WHOLE or (key in PARAMS and PARAMS[key].integer)
    shown = repr(text if len(text) <= 40 else text[:40] + "…")
    if whole and text.lstrip("+-").isdigit():
        if len(text) > 30:
            raise InputError(None, f"{key}: {shown} has {len(text):,} digits; too large",
                             field="--set")
        return int(text)  # type: ignore[return-value]  # exact: seed=9007199254740993 stays …993
    try:
        value = float(text) if len(text) <= 400 else math.nan
    except ValueError:
        if key not in LEVEL_PARAMS:
            raise InputError(None, f"{key}: {shown} is not a number", field="--set") from None
        try:  # a named integration level
            return integration_level(raw)
        except ValueError as exc:
            raise InputError(None, f"{key}: {exc}", field="--set") from None
    if not math.isfinite(value):
        raise InputError(None, f"{key}: {shown} is not a finite number", field="--set")
    if whole:
        if not value.is_integer():
            raise InputError(None, f"{key}: {shown} must be a whole number", field="--set")
        if abs(value) >= MAX_EXACT:
            raise InputError(None, f"{key}: {shown} is beyond 2**53 in float notation and would be "
                             "rounded; write it as a whole number (digits only)", field="--set")
        return int(value)  # type: ignore[return-value]
    return value


def _assignment(item: str) -> tuple[str, float]:
    if "=" not in item:
        raise InputError(None, f"--set expects path=value, got {item[:60]!r}", field="--set")
    key, _, raw = item.partition("=")
    key = key.strip()
    if key not in PARAMS and key not in _WHOLE:
        raise InputError(None, f"unknown parameter {key[:80]!r}{suggest(key)}", field="--set")
    return key, _number(key, raw)


def parse_assignments(items: list[str]) -> dict[str, float]:
    """``["hegemon.threshold.economic=0.6", …]`` → dict.

    Raises one InputError that names every bad assignment (up to ``MAX_LISTED``, the rest counted),
    so a user fixes them all in one go.
    """
    out: dict[str, float] = {}
    errors: list[str] = []
    ranges: list[str] = []
    for item in items:
        try:
            key, value = _assignment(item)
        except InputError as exc:
            errors.append(exc.message)
        else:
            out[key] = value
            if key in PARAMS and (problem := check_value(key, float(value))):
                ranges.append(problem)
    if errors:  # listed with the range problems, which alone are reported with the scenario's file
        raise InputError(None, listed(errors + ranges), field="--set")
    return out


__all__ = ["parse_assignments"]
