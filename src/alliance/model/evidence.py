"""Parameters by evidence class (E, R, A) and their plausible ranges, as uncertainties blocks
and SALib problems for batches, sensitivity by class and calibration."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .param import Param
from .parameters import PARAMS
from .vocabulary import EVIDENCE_CLASSES


def by_evidence(classes: Iterable[str] = ("E", "R", "A")) -> list[Param]:
    """Parameters whose evidence class is in ``classes``, in registry order."""
    wanted = set(classes)
    unknown = wanted - set(EVIDENCE_CLASSES)
    if unknown:
        raise ValueError(f"unknown evidence class(es) {sorted(unknown)}; use E, R or A")
    return [p for p in PARAMS.values() if p.evidence in wanted]


def plausible_ranges(classes: Iterable[str] = ("A", "R")) -> dict[str, tuple[float, float]]:
    """Name → plausible (lo, hi) of every parameter in ``classes`` that states one.

    Every A- and R-class parameter states one (tests/unit/test_parameters.py); E-class parameters
    only where the sources give a range (e.g. the export share, 2009–2022).
    """
    return {p.name: p.plausible for p in by_evidence(classes) if p.plausible is not None}


def plausible_uncertainties(classes: Iterable[str] = ("A", "R")) -> dict[str, dict[str, Any]]:
    """An ``uncertainties:`` block (uniform on each plausible range) for a scenario, batch or
    calibration prior: ``{name: {"dist": "uniform", "low": lo, "high": hi}}``."""
    return {n: {"dist": "uniform", "low": float(lo), "high": float(hi)}
            for n, (lo, hi) in plausible_ranges(classes).items()}


def plausible_problem(classes: Iterable[str] = ("A", "R"), groups: bool = True) -> dict[str, Any]:
    """A SALib problem over the plausible ranges of the parameters in ``classes``.

    ``names`` and ``bounds`` (the plausible ranges, in parameter units; integer parameters are
    to be rounded by the caller), ``num_vars`` and, with ``groups``, ``groups`` = each parameter's
    evidence class, so SALib's Sobol analysis returns one first-order and one total index per
    class (group Sobol indices: the share of output variance owed to the class as a whole).
    """
    ranges = plausible_ranges(classes)
    problem: dict[str, Any] = {
        "num_vars": len(ranges),
        "names": list(ranges),
        "bounds": [[float(lo), float(hi)] for lo, hi in ranges.values()],
    }
    if groups:
        problem["groups"] = [PARAMS[n].evidence for n in ranges]
    return problem
