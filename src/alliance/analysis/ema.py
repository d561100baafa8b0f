"""EMA Workbench (3.x, Python ≥ 3.12) from a scenario: its ``uncertainties:`` as EMA parameters and
the model as an EMA function model that skips parameter points the model would refuse.

Without this module the glue is short but easy to get wrong: EMA 3 wants names that are Python
identifiers (``hegemon__threshold__economic`` stands for ``hegemon.threshold.economic``: each
dot becomes a double underscore, see ``ema_name``/``dotted_name``), the scenario's triangular and
truncated-normal ranges need scipy's own parametrisation, month-valued parameters must be
integers, and one sampled point that breaks a cross-field rule (a diplomatic threshold above
the economic one) raises inside the model and aborts the whole EMA run. ``ema_model`` checks
every point first (``alliance.model.check_params``) and returns NaN outcomes for a refused one,
so PRIM and the other analyses simply see a missing value. EMA Workbench is imported only when
these functions are called (install it with ``pip install 'alliance-balancing[ema]'``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from alliance.model import PARAMS, SUMMARY_OUTCOMES, Scenario, check_params, load_scenario, simulate
from alliance.model.uncertainty import Choice, Triangular, TruncNormal, Uniform

DEFAULT_OUTCOMES = ("sanctions_ever", "military_ever", "final_alignment", "cumulative_welfare_loss")
"""Summary outcomes an ``ema_model`` reports by default (each as its mean over replications)."""


def _ema() -> Any:
    try:
        import ema_workbench
    except ImportError as exc:  # pragma: no cover - the tests skip where EMA is missing
        raise ImportError("alliance.analysis.ema needs EMA Workbench 3 (Python ≥ 3.12): "
                          "pip install 'alliance-balancing[ema]'") from exc
    return ema_workbench


def ema_name(dotted: str) -> str:
    """A dotted parameter name as an EMA name (a Python identifier): dots become ``__``."""
    return dotted.replace(".", "__")


def dotted_name(ema: str) -> str:
    """An EMA name made by ``ema_name`` back to the dotted parameter name."""
    return ema.replace("__", ".")


def _scenario(scenario: Scenario | str | Path) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def ema_uncertainties(scenario: Scenario | str | Path) -> list[Any]:
    """The scenario's ``uncertainties:`` as EMA parameters, named ``ema_name(dotted name)``.

    uniform → ``RealParameter`` (``IntegerParameter`` for whole-number parameters); triangular
    and normal (truncated) → ``RealParameter.from_dist`` with the matching scipy distribution;
    a value list / ``choice`` → ``CategoricalParameter`` (EMA draws categories with equal
    probability, so a weighted choice is refused with a message).
    """
    from scipy import stats

    ema = _ema()
    sc = _scenario(scenario)
    out = []
    for dotted, u in (sc.uncertainties or {}).items():
        whole = PARAMS[dotted].integer
        name = ema_name(dotted)
        if isinstance(u, Uniform):
            out.append(ema.IntegerParameter(name, round(u.low), round(u.high)) if whole
                       else ema.RealParameter(name, float(u.low), float(u.high)))
        elif isinstance(u, Triangular):
            width = u.high - u.low
            out.append(ema.RealParameter.from_dist(
                name, stats.triang(c=(u.mode - u.low) / width, loc=u.low, scale=width)))
        elif isinstance(u, TruncNormal):
            lo, hi = u.support()
            out.append(ema.RealParameter.from_dist(
                name, stats.truncnorm(a=(lo - u.mean) / u.sd, b=(hi - u.mean) / u.sd, loc=u.mean, scale=u.sd)))
        elif isinstance(u, Choice):
            probs = u.probabilities()
            if max(probs) - min(probs) > 1e-12:
                raise ValueError(f"{sc.name}: {name} is a weighted choice; EMA's CategoricalParameter "
                                 "draws categories equally (drop the weights, or use alliance batch)")
            out.append(ema.CategoricalParameter(name, [int(v) if whole else float(v) for v in u.values]))
        else:  # pragma: no cover - the schema admits no other kind
            raise TypeError(f"{name}: unsupported uncertainty {type(u).__name__}")
    if not out:
        raise ValueError(f"{sc.name} declares no uncertainties: give EMA parameters yourself, or use a "
                         "scenario with an uncertainties: block (e.g. energy_support_uncertain)")
    return out


def ema_model(scenario: Scenario | str | Path, outcomes: Sequence[str] = DEFAULT_OUTCOMES,
              replications: int = 100, months: int | None = None, seed: int | None = None,
              name: str = "alliance") -> Any:
    """An EMA ``Model`` running ``scenario`` with the sampled parameter values.

    Each experiment runs ``replications`` replications (common random numbers: the same seed for
    every experiment) and reports the mean of each summary outcome in ``outcomes`` (a share for
    0/1 outcomes). A point ``check_params`` refuses returns NaN for every outcome instead of
    aborting the run. Uncertainties are ``ema_uncertainties(scenario)``.
    """
    ema = _ema()
    sc = _scenario(scenario)
    unknown = [o for o in outcomes if o not in SUMMARY_OUTCOMES]
    if unknown:
        raise ValueError(f"unknown summary outcome(s) {unknown}; known: {', '.join(SUMMARY_OUTCOMES)}")

    def run(**values: Any) -> dict[str, float]:
        params = {dotted_name(k): v for k, v in values.items() if dotted_name(k) in PARAMS}
        if check_params(params, sc):
            return {o: float("nan") for o in outcomes}
        summary = simulate(sc, replications=replications, months=months, seed=seed, params=params).summary
        return {o: float(np.nanmean(summary[o].to_numpy(dtype=float, na_value=np.nan))) for o in outcomes}

    model = ema.Model(name, function=run)
    model.uncertainties = ema_uncertainties(sc)
    model.outcomes = [ema.ScalarOutcome(o) for o in outcomes]
    return model


__all__ = ["DEFAULT_OUTCOMES", "dotted_name", "ema_model", "ema_name", "ema_uncertainties"]
