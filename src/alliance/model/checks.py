"""A public check of parameter values, for samplers and tools that build designs themselves.

``check_params`` tells, before anything runs, whether a set of parameter values (dotted names, as
``simulate(..., params=)``, ``--set`` and a scenario's ``uncertainties:`` write them) is one the
model accepts: every name known (with a "did you mean" for a misspelt one), every value a finite
number (or a named integration level) inside its declared range and whole where it must be, and
the cross-field rules (threshold order, initial cooperation under its ceiling, …) holding for the
values merged over a scenario. EMA Workbench, SALib or any other sampler can filter a design with
it instead of letting one bad point abort a whole batch.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .parameters import LEVEL_PARAMS, PARAMS, cross_check, defaults, integration_level
from .scenario import Scenario
from .scenario_files import load_scenario

TOP_LEVEL = {"horizon_months": (1, 600), "replications": (1, 1_000_000), "seed": (0, 2**53)}
"""Top-level scenario keys ``--set`` (and ``check_params``) accept besides parameters: (low, high)."""


class ParameterError(ValueError):
    """Parameter values the model does not accept; ``problems`` lists every one found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def suggest(name: str) -> str:
    """A hint for an unknown parameter name: the nearest known names, or where to look."""
    bare = name.removeprefix("actors.")
    if bare in PARAMS:
        return f"; did you mean {bare!r}?"
    close = difflib.get_close_matches(bare, [*PARAMS, *TOP_LEVEL], n=3, cutoff=0.6)
    if not close:
        last = bare.rsplit(".", 1)[-1]
        close = [n for n in PARAMS if n.rsplit(".", 1)[-1] == last][:3]
    if close:
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    return " (`alliance params` lists every parameter)"


def _number(name: str, value: Any) -> tuple[float | None, str | None]:
    """``value`` as a float, or a problem message."""
    if isinstance(value, bool):
        return None, f"{name} = {value!r}: a number is needed, not a boolean"
    if isinstance(value, str):
        text = value.strip()
        try:
            return float(text), None
        except ValueError:
            if name in LEVEL_PARAMS:
                try:
                    return integration_level(text), None
                except ValueError as exc:
                    return None, f"{name}: {exc}"
            return None, f"{name} = {value!r} is not a number"
    try:
        return float(value), None
    except (TypeError, ValueError, OverflowError):
        return None, f"{name} = {value!r:.60} is not a number"


def check_params(values: Mapping[str, Any], scenario: Scenario | str | Path | None = None, *,
                 strict: bool = False) -> list[str]:
    """Check parameter values before a run; return every problem found (empty: all good).

    Args:
        values: dotted parameter name → value (a number, a numeric string, or for integration-
            scale parameters a named level such as ``"ipap"``); ``horizon_months``,
            ``replications`` and ``seed`` are accepted too. Names missing from ``values`` keep
            the scenario's values (or the defaults).
        scenario: the scenario the values are applied on (a ``Scenario``, a shipped name or a
            file); cross-field rules are checked on the merged values and, when given, the
            scenario's whole schema too. Default: the parameter defaults.
        strict: raise ``ParameterError`` (a ``ValueError`` with ``problems``) instead of
            returning the list.

    Returns:
        One message per problem, naming the parameter: unknown names (with the nearest known
        names), non-numbers, non-finite values, values outside the declared range, fractions where
        a whole number is needed, and broken cross-field rules.

    Raises:
        TypeError: when ``values`` is not a mapping.
    """
    if not isinstance(values, Mapping):
        raise TypeError(f"check_params needs a mapping of parameter name → value, got {type(values).__name__}")
    problems: list[str] = []
    clean: dict[str, float] = {}
    for raw_name, value in values.items():
        name = str(raw_name)
        if name not in PARAMS and name not in TOP_LEVEL:
            problems.append(f"unknown parameter {name!r}{suggest(name)}")
            continue
        x, msg = _number(name, value)
        if msg is None and x is not None and not math.isfinite(x):
            msg = f"{name} = {x} is not a finite number"
        if msg is None and x is not None:
            if name in TOP_LEVEL:
                lo, hi = TOP_LEVEL[name]
                if not (lo <= x <= hi) or not x.is_integer():
                    msg = f"{name} = {value!r} must be a whole number in [{lo}, {hi}]"
            else:
                p = PARAMS[name]
                if not (p.low <= x <= p.high):
                    msg = f"{name} = {x:g} is outside its range [{p.low:g}, {p.high:g}] ({p.unit})"
                elif p.integer and not x.is_integer():
                    msg = f"{name} = {x:g} must be a whole number of {p.unit}"
        if msg is not None:
            problems.append(msg)
        elif x is not None:
            clean[name] = x
    if not problems:
        sc = None
        if scenario is not None:
            sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        merged = {**(sc.params() if sc is not None else defaults()),
                  **{k: v for k, v in clean.items() if k in PARAMS}}
        problems.extend(cross_check(merged))
        if not problems and sc is not None:
            try:
                sc.with_params(clean)
            except (ValueError, ValidationError) as exc:
                if isinstance(exc, ValidationError):
                    problems.extend(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
                else:
                    problems.append(str(exc))
    if strict and problems:
        raise ParameterError(problems)
    return problems


__all__ = ["TOP_LEVEL", "ParameterError", "check_params", "suggest"]
