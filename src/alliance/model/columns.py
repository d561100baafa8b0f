"""The column dictionary: label, unit, range, codes and a description for every results column.

Every table the tool writes or returns (``simulate`` results, a study's Parquet files, CSV output)
uses these names. The dictionary is built from the declared outcomes (``outcomes.py``) and the
parameter registry (``parameters.py``), so it cannot drift from them; the study store writes it
into each Parquet file's schema metadata and into ``manifest.json``, and ``alliance results schema``
prints it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .outcomes import OUTCOMES
from .parameters import DOMAINS, PARAMS, RUNGS

_YES_NO = {"0": "no", "1": "yes"}
_RUNG_CODES = {str(i): r for i, r in enumerate(RUNGS)}

KEYS: dict[str, dict[str, Any]] = {
    "run_id": {"label": "Run", "unit": "id", "dtype": "int64",
               "description": "A run's position in (scenario, sample, replication) order; joins every table."},
    "scenario": {"label": "Scenario", "unit": "name", "dtype": "category",
                 "description": "The scenario's name (its file stem)."},
    "sample": {"label": "Sample", "unit": "index", "dtype": "int32",
               "description": "Row of the study's parameter design (samples.parquet); 0 when nothing is sampled."},
    "replication": {"label": "Replication", "unit": "index", "dtype": "int64",
                    "description": "Replication index: the random stream of the scenario's seed that the run used "
                                   "(replay it alone with `alliance run --replay`)."},
    "month": {"label": "Month", "unit": "month", "dtype": "int16", "range": [0, 600],
              "description": "Months since the start; month 0 is the initial state, before any step."},
    "seed": {"label": "Seed", "unit": "id", "dtype": "int64",
             "description": "Seed of the counter-based generator."},
}

_DESCRIPTIONS: dict[str, str] = {
    **{f"coop_{d}": f"The balancer's cooperation with the partner in the {d.replace('_', ' ')} domain, "
                    "as a share of full cooperation (0 none … 1 full)." for d in DOMAINS},
    "alignment": "Weighted mean cooperation minus the structural ties to the hegemon (bloc commitment, "
                 "export share via Russia): negative leans to the hegemon (Russia), positive to the "
                 "partner (NATO); see docs/ODD.md 7.6.",
    "threat": "The hegemon's perceived threat from the balancer's cooperation and the partner's presence.",
    "escalation": "The hegemon's escalation rung this month (codes: 0 none, 1 diplomatic protest, "
                  "2 economic measures, 3 armed pressure).",
    "sanctions": "1 when economic measures or worse are in force this month (escalation ≥ 2).",
    "inducement": "1 when the hegemon offers an inducement this month.",
    "welfare": "The balancer's welfare this month: gains from cooperation minus its costs, the "
               "hedging penalty and losses to the hegemon's measures, plus inducements.",
    "interest": "The partner's strategic interest in the balancer.",
    "belief": "The balancer's belief about the threat level at which the hegemon imposes economic measures.",
    "red_line_violation": "1 when the balancer's cooperation crosses one of the hegemon's red lines this month.",
    "sanctions_ever": "1 when economic measures or worse occurred in any month.",
    "first_sanctions_month": "The first month with economic measures or worse; missing (null) when never.",
    "max_escalation": "The highest escalation rung reached (codes as for escalation).",
    "months_sanctioned": "Number of months under economic measures or worse.",
    "military_ever": "1 when armed pressure (rung 3) occurred in any month.",
    "red_line_ever": "1 when a red line was crossed in any month.",
    **{f"final_coop_{d}": f"Cooperation in the {d.replace('_', ' ')} domain in the last month." for d in DOMAINS},
    "final_alignment": "Alignment in the last month (negative: towards the hegemon).",
    "final_interest": "The partner's interest in the last month.",
    "cumulative_welfare_loss": "Welfare lost to the hegemon's measures, summed over all months.",
}

_INT_DTYPES = {"escalation": "int8", "sanctions": "int8", "inducement": "int8", "red_line_violation": "int8",
               "sanctions_ever": "int8", "first_sanctions_month": "Int16", "max_escalation": "int8",
               "months_sanctioned": "int16", "military_ever": "int8", "red_line_ever": "int8"}


def column_info(name: str) -> dict[str, Any] | None:
    """What a results column means: label, unit, dtype, range, codes (for coded columns), whether
    it can be missing, and a description; None for a name that is no known column."""
    if name in KEYS:
        return {"name": name, **KEYS[name]}
    if name in OUTCOMES:
        o = OUTCOMES[name]
        info: dict[str, Any] = {"name": name, "label": o.label, "unit": o.unit,
                                "dtype": _INT_DTYPES.get(name, "float32" if o.kind == "trajectory" else "float64"),
                                "range": [o.low, o.high], "kind": f"{o.kind} outcome",
                                "description": _DESCRIPTIONS[name]}
        if o.unit == "rung":
            info["codes"] = dict(_RUNG_CODES)
        elif o.unit == "0/1":
            info["codes"] = dict(_YES_NO)
        if name == "first_sanctions_month":
            info["nullable"] = True
        return info
    if name in PARAMS:
        p = PARAMS[name]
        return {"name": name, "label": name, "unit": p.unit, "dtype": "float64", "range": [p.low, p.high],
                "kind": "parameter", "description": p.description}
    return None


def column_dictionary(names: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """Name → ``column_info`` for ``names`` (default: keys, every outcome; unknown names skipped)."""
    wanted = list(names) if names is not None else [*KEYS, *OUTCOMES]
    out = {}
    for n in wanted:
        info = column_info(n)
        if info is not None:
            out[n] = info
    return out


def nullable_integers() -> dict[str, str]:
    """Columns stored as integers that may be missing → their pandas nullable dtype."""
    return {n: d for n, d in _INT_DTYPES.items() if d[0] == "I"}


__all__ = ["KEYS", "column_dictionary", "column_info", "nullable_integers"]
