"""Samplers over a scenario's ``uncertainties:`` and ``sweep:`` blocks: a design of parameter sets.

``sample(scenario, n, sampler, seed)`` returns one row per sample and one column per dotted
parameter name. Samplers draw points in the unit hypercube (``scipy.stats.qmc`` for Latin
hypercube and Sobol, numpy's PCG64 for Monte Carlo) and map each coordinate through the inverse
CDF of its parameter's distribution; a ``choice`` takes the value whose cumulative-probability
stratum holds the point, and integer parameters are rounded to the nearest whole number.

* ``lhs`` / ``sobol`` / ``mc``: ``n`` points over the uncertainties; with a ``sweep:`` block as
  well, every grid point is crossed with the same ``n`` points (grid outer, samples inner).
* ``grid``: the full factorial of the sweep's values, each ``choice``'s values and, for each
  continuous distribution, ``n`` levels at the quantiles (i + 0.5) / n.

Samples that break a cross-field rule of the model (``parameters.cross_check``: thresholds
ordered, initial cooperation under its ceiling, …) reject the whole study with a message naming
how many and the first one: silently resampling would bend the stated distributions.

``problem(scenario)`` gives the same block as a SALib problem description.
"""

from __future__ import annotations

import itertools
import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from alliance.errors import UserError
from alliance.model.parameters import PARAMS, cross_check
from alliance.model.scenario import Scenario
from alliance.model.uncertainty import Choice, Triangular, TruncNormal, Uniform, sweep_values

SAMPLERS: tuple[str, ...] = ("lhs", "sobol", "mc", "grid")
MAX_SAMPLES = 10_000_000
"""Largest design one scenario may produce (a guard against a mistyped grid)."""


def has_design(scenario: Scenario) -> bool:
    """Whether the scenario states any uncertainty or sweep."""
    return bool(scenario.uncertainties) or bool(scenario.sweep)


def problem(scenario: Scenario) -> dict[str, Any]:
    """SALib problem description of the scenario's ``uncertainties:`` block.

    Keys ``num_vars``, ``names``, ``bounds``, ``dists`` (SALib's ``unif``, ``triang`` [low, high,
    peak as a share of the width], ``truncnorm`` [low, high, mean, sd]). A ``choice`` appears as
    ``unif`` on [0, k) over its k value indices and is listed under ``choices`` (name → values,
    probabilities); ``to_values`` turns such index coordinates back into values.
    """
    unc = scenario.uncertainties
    if not unc:
        raise UserError(f"scenario {scenario.name!r} has no 'uncertainties:' block")
    names, bounds, dists = [], [], []
    choices: dict[str, dict[str, list[float]]] = {}
    for name, u in unc.items():
        names.append(name)
        if isinstance(u, Uniform):
            bounds.append([u.low, u.high])
            dists.append("unif")
        elif isinstance(u, Triangular):
            peak = (u.mode - u.low) / (u.high - u.low)
            bounds.append([u.low, u.high, min(peak, 1.0 - 1e-9)])  # SALib needs peak < 1
            dists.append("triang")
        elif isinstance(u, TruncNormal):
            bounds.append([float(u.low), float(u.high), u.mean, u.sd])  # type: ignore[arg-type]
            dists.append("truncnorm")
        elif isinstance(u, Choice):
            bounds.append([0.0, float(len(u.values))])
            dists.append("unif")
            choices[name] = {"values": list(u.values), "probabilities": u.probabilities()}
    return {"num_vars": len(names), "names": names, "bounds": bounds, "dists": dists,
            "choices": choices}


def _unit(d: int, n: int, sampler: str, seed: int) -> np.ndarray:
    """``n`` points in [0, 1)^d."""
    if sampler == "mc":
        return np.random.default_rng(seed).random((n, d))
    cls = qmc.LatinHypercube if sampler == "lhs" else qmc.Sobol
    try:
        engine = cls(d, rng=np.random.default_rng(seed))
    except TypeError:  # scipy < 1.15
        engine = cls(d, seed=np.random.default_rng(seed))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # Sobol balance note for n not a power of 2
        return engine.random(n)


def _ppf(u_dist: Any, name: str, x: np.ndarray) -> np.ndarray:
    """Inverse CDF of one parameter's distribution at unit coordinates ``x``."""
    if isinstance(u_dist, Uniform):
        v = u_dist.low + x * (u_dist.high - u_dist.low)
    elif isinstance(u_dist, Triangular):
        width = u_dist.high - u_dist.low
        v = stats.triang.ppf(x, (u_dist.mode - u_dist.low) / width, loc=u_dist.low, scale=width)
    elif isinstance(u_dist, TruncNormal):
        lo, hi = float(u_dist.low), float(u_dist.high)  # type: ignore[arg-type]
        a, b = (lo - u_dist.mean) / u_dist.sd, (hi - u_dist.mean) / u_dist.sd
        v = stats.truncnorm.ppf(x, a, b, loc=u_dist.mean, scale=u_dist.sd)
        v = np.clip(v, lo, hi)
    elif isinstance(u_dist, Choice):
        cum = np.cumsum(u_dist.probabilities())
        idx = np.minimum(np.searchsorted(cum, x, side="right"), len(u_dist.values) - 1)
        return np.asarray(u_dist.values, dtype=np.float64)[idx]
    else:  # pragma: no cover - the schema admits no other kind
        raise UserError(f"{name}: unknown distribution {type(u_dist).__name__}")
    v = np.asarray(v, dtype=np.float64)
    if not np.all(np.isfinite(v)):  # the schema refuses such distributions; never write NaN samples
        raise UserError(f"{name}: its distribution gave values that are not finite numbers; "
                        "check its parameters with `alliance check`")
    lo, hi = u_dist.support()
    if PARAMS[name].integer:  # whole numbers inside the support (the schema ensures one exists)
        return np.clip(np.rint(v), math.ceil(lo), math.floor(hi))
    return np.clip(v, lo, hi)


def from_unit(scenario: Scenario, unit: np.ndarray) -> pd.DataFrame:
    """Map points of the unit hypercube (n, k), one column per uncertainty, to parameter values."""
    unc = scenario.uncertainties or {}
    unit = np.asarray(unit, dtype=np.float64)
    if unit.ndim != 2 or unit.shape[1] != len(unc):
        raise UserError(f"expected an (n, {len(unc)}) array of unit coordinates")
    cols = {name: _ppf(u, name, unit[:, i]) for i, (name, u) in enumerate(unc.items())}
    return pd.DataFrame(cols, index=pd.RangeIndex(len(unit), name="sample"))


def to_values(scenario: Scenario, x: np.ndarray) -> pd.DataFrame:
    """Turn samples drawn with SALib on ``problem(scenario)`` into parameter values."""
    prob = problem(scenario)
    x = np.array(x, dtype=np.float64, copy=True)
    for i, name in enumerate(prob["names"]):
        if name in prob["choices"]:
            vals = np.asarray(prob["choices"][name]["values"], dtype=np.float64)
            x[:, i] = vals[np.clip(np.floor(x[:, i]).astype(np.int64), 0, len(vals) - 1)]
        elif PARAMS[name].integer:
            x[:, i] = np.rint(x[:, i])
    return pd.DataFrame(x, columns=prob["names"], index=pd.RangeIndex(len(x), name="sample"))


def _grid(columns: dict[str, list[float]]) -> pd.DataFrame:
    names = list(columns)
    size = math.prod(len(v) for v in columns.values())
    if size > MAX_SAMPLES:
        raise UserError(f"the grid has {size:,} points; the limit is {MAX_SAMPLES:,}")
    rows = np.array(list(itertools.product(*columns.values())), dtype=np.float64).reshape(size, len(names))
    return pd.DataFrame(rows, columns=names, index=pd.RangeIndex(size, name="sample"))


def sample(scenario: Scenario, n: int | None = None, sampler: str = "lhs", seed: int = 0) -> pd.DataFrame:
    """Draw the scenario's design: one row per sample, one column per dotted parameter name.

    Args:
        scenario: a Scenario with an ``uncertainties:`` and/or ``sweep:`` block.
        n: samples over the uncertainties (lhs/sobol/mc), or levels per continuous uncertainty
            (grid); ignored when the scenario only has a sweep.
        sampler: ``lhs``, ``sobol``, ``mc`` or ``grid``.
        seed: seed of the sampler (0 is a seed); the same seed gives the same samples.

    Raises ``UserError`` for an unknown sampler, a scenario with neither block, a missing ``n``,
    or samples that break the model's cross-field rules.
    """
    if sampler not in SAMPLERS:
        raise UserError(f"unknown sampler {sampler!r}; use one of {', '.join(SAMPLERS)}")
    unc = scenario.uncertainties or {}
    swp = sweep_values(scenario.sweep or {})
    if not unc and not swp:
        raise UserError(f"scenario {scenario.name!r} has no 'uncertainties:' or 'sweep:' block "
                        "to sample from")
    if n is not None and not 1 <= int(n) <= MAX_SAMPLES:
        raise UserError(f"--samples must be between 1 and {MAX_SAMPLES:,}, got {n}")
    if sampler == "grid":
        levels: dict[str, list[float]] = dict(swp)
        for name, u in unc.items():
            if isinstance(u, Choice):
                levels[name] = list(u.values)
            else:
                if n is None:
                    raise UserError(f"--sampler grid needs --samples N: the levels per continuous "
                                    f"uncertainty ({name} is {u.dist})")
                q = (np.arange(int(n)) + 0.5) / int(n)
                levels[name] = list(dict.fromkeys(_ppf(u, name, q).tolist()))
        design = _grid(levels)
    else:
        if unc:
            if n is None:
                raise UserError(f"--sampler {sampler} needs --samples N")
            design = from_unit(scenario, _unit(len(unc), int(n), sampler, int(seed)))
            if swp:
                grid = _grid(swp)
                if len(grid) * len(design) > MAX_SAMPLES:
                    raise UserError(f"{len(grid):,} grid points × {len(design):,} samples exceeds "
                                    f"{MAX_SAMPLES:,}")
                g = grid.loc[grid.index.repeat(len(design))].reset_index(drop=True)
                u = pd.concat([design] * len(grid), ignore_index=True)
                design = pd.concat([g, u], axis=1)
                design.index.name = "sample"
        else:
            design = _grid(swp)
    check_design(scenario, design)
    return design


def check_design(scenario: Scenario, design: pd.DataFrame) -> None:
    """Reject a design with any sample that breaks the model's cross-field rules."""
    if design.empty or len(design.columns) == 0:
        return
    base = scenario.params()
    names = list(design.columns)
    arr = design.to_numpy(dtype=np.float64)
    uniq, first = np.unique(arr, axis=0, return_index=True)
    bad: list[tuple[int, list[str]]] = []
    for row, i in zip(uniq, first, strict=False):
        trial = dict(base)
        trial.update(zip(names, row.tolist(), strict=False))
        msgs = cross_check(trial)
        if msgs:
            bad.append((int(i), msgs))
    if bad:
        bad.sort()
        i, msgs = bad[0]
        count = int(np.isin(np.arange(len(arr)), [b[0] for b in bad]).sum())
        values = ", ".join(f"{k}={v:g}" for k, v in design.iloc[i].items())
        raise UserError(
            f"scenario {scenario.name!r}: {count} distinct sample(s) break the model's cross-field "
            f"rules, e.g. sample {i} ({values}): {msgs[0]}. Narrow the ranges in "
            "'uncertainties:'/'sweep:' so every combination is admissible"
        )


__all__ = ["SAMPLERS", "check_design", "from_unit", "has_design", "problem", "sample", "to_values"]
