"""The ``--set path=value`` syntax of the command line: parameter overrides as a dict."""

from __future__ import annotations

from .checks import suggest
from .parameters import LEVEL_PARAMS, PARAMS, integration_level
from .yamlio import InputError


def parse_assignments(items: list[str]) -> dict[str, float]:
    """``["hegemon.threshold.economic=0.6", …]`` → dict; raises InputError on bad syntax."""
    out: dict[str, float] = {}
    for item in items:
        if "=" not in item:
            raise InputError(None, f"--set expects path=value, got {item!r}", field="--set")
        key, _, raw = item.partition("=")
        key = key.strip()
        if key not in PARAMS and key not in ("horizon_months", "replications", "seed"):
            raise InputError(None, f"unknown parameter {key!r}{suggest(key)}", field="--set")
        try:
            out[key] = float(raw)
        except ValueError:
            if key not in LEVEL_PARAMS:
                raise InputError(None, f"{key}: {raw!r} is not a number", field="--set") from None
            try:  # a named integration level
                out[key] = integration_level(raw)
            except ValueError as exc:
                raise InputError(None, f"{key}: {exc}", field="--set") from None
        if key in ("horizon_months", "replications", "seed") and not out[key].is_integer():
            raise InputError(None, f"{key}: {raw.strip()!r} must be a whole number", field="--set")
    return out


__all__ = ["parse_assignments"]
