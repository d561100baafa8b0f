"""Global sensitivity analysis with SALib (Sobol indices or Morris elementary effects).

SALib's samplers and analyzers meet the model only through a plain problem dict and arrays:
``sobol_indices(problem, f)`` and ``morris_indices(problem, f)`` take any vectorised function
``f(X) -> Y`` (so the pipeline is checked on the Ishigami function, whose indices are known).

For a scenario, the problem is its ``uncertainties:`` block (or ``--param NAME=LOW:HIGH`` ranges):
SALib samples the unit hypercube and ``sampling.from_unit`` maps each column through its
parameter's inverse CDF (uniform, triangular, truncated normal, or weighted choice; integers
rounded), so the indices are those of the declared distributions. Y for a sample is the mean of the outcome measure over
``replications`` replications with ids 0 … R−1 (common random numbers); all samples of a design
run as a few large model ensembles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliance.analysis.measures import Measure, parse_measure
from alliance.analysis.tipping import CHUNK_RUNS, run_grid
from alliance.errors import UserError
from alliance.model.parameters import PARAMS, check_value, cross_check
from alliance.model.scenario import Scenario
from alliance.model.uncertainty import Uniform
from alliance.study.sampling import from_unit

METHODS = ("sobol", "morris")


def sobol_indices(problem: Mapping[str, Any], f: Callable[[np.ndarray], np.ndarray], n: int = 512,
                  seed: int = 0, conf: float = 0.95, num_resamples: int = 200) -> pd.DataFrame:
    """First-order and total Sobol indices with confidence half-widths (Saltelli/Jansen estimators).

    ``n`` is the base sample size (a power of 2); f is called once on n·(D+2) rows.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    X = sobol_sample.sample(dict(problem), n, calc_second_order=False, scramble=True, seed=seed)
    Y = np.asarray(f(X), dtype=np.float64)
    if not np.isfinite(Y).all():
        raise UserError("the model returned undefined values for some samples; choose another outcome")
    res = sobol_analyze.analyze(dict(problem), Y, calc_second_order=False, num_resamples=num_resamples,
                                conf_level=conf, seed=seed, print_to_console=False)
    return pd.DataFrame({"parameter": list(problem["names"]), "S1": res["S1"], "S1_conf": res["S1_conf"],
                         "ST": res["ST"], "ST_conf": res["ST_conf"]}).sort_values("ST", ascending=False,
                                                                                 ignore_index=True)


def morris_indices(problem: Mapping[str, Any], f: Callable[[np.ndarray], np.ndarray], trajectories: int = 50,
                   levels: int = 4, seed: int = 0, conf: float = 0.95, num_resamples: int = 200) -> pd.DataFrame:
    """Morris screening: mu, mu* (mean |elementary effect|) with its confidence half-width, sigma."""
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    X = morris_sample.sample(dict(problem), trajectories, num_levels=levels, seed=seed)
    Y = np.asarray(f(X), dtype=np.float64)
    if not np.isfinite(Y).all():
        raise UserError("the model returned undefined values for some samples; choose another outcome")
    res = morris_analyze.analyze(dict(problem), X, Y, conf_level=conf, num_resamples=num_resamples,
                                 num_levels=levels, seed=seed, print_to_console=False)
    return pd.DataFrame({"parameter": list(problem["names"]), "mu": res["mu"], "mu_star": res["mu_star"],
                         "mu_star_conf": res["mu_star_conf"], "sigma": res["sigma"]}).sort_values(
        "mu_star", ascending=False, ignore_index=True)


# ------------------------------------------------------------------ scenario problems
def parse_param_ranges(items: list[str]) -> dict[str, Uniform]:
    """``["hegemon.noise_sd=0.01:0.2", …]`` → uniform ranges (checked against the registry)."""
    out: dict[str, Uniform] = {}
    for item in items:
        m = re.fullmatch(r"\s*([a-z_.]+)\s*=\s*([-+0-9.eE]+)\s*:\s*([-+0-9.eE]+)\s*", item)
        if not m:
            raise UserError(f"--param {item!r}: expected NAME=LOW:HIGH")
        name = m[1]
        if name not in PARAMS:
            raise UserError(f"--param: unknown parameter {name!r} (see `alliance params`)")
        try:
            lo, hi = float(m[2]), float(m[3])
        except ValueError:
            raise UserError(f"--param {item!r}: LOW and HIGH must be numbers") from None
        if not lo < hi:
            raise UserError(f"--param {item!r}: LOW must be below HIGH")
        for v in (lo, hi):
            msg = check_value(name, v)
            if msg:
                raise UserError(f"--param: {msg}")
        out[name] = Uniform(dist="uniform", low=lo, high=hi)
    return out


def scenario_problem(scenario: Scenario, extra: Mapping[str, Any] | None = None) -> tuple[dict[str, Any], Scenario]:
    """(SALib problem on the unit hypercube, the scenario carrying the distributions used).

    ``extra`` (name → distribution, e.g. from ``--param``) adds to or replaces the scenario's
    ``uncertainties:``; unit coordinates map to values with ``sampling.from_unit``.
    """
    dists: dict[str, Any] = dict(scenario.uncertainties or {})
    dists.update(extra or {})
    if not dists:
        raise UserError(f"scenario {scenario.name!r} has no 'uncertainties:' block; add one to its file or "
                        f"give ranges with --param NAME=LOW:HIGH")
    sc = scenario.model_copy(update={"uncertainties": dists}) if extra else scenario
    names = list(dists)
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}, sc


def scenario_function(scenario: Scenario, measure: Measure, replications: int,
                      seed: int | None = None, workers: int | None = 1, chunk_runs: int = CHUNK_RUNS,
                      scheduler: Any = None, dask_local: int | None = None,
                      ) -> Callable[[np.ndarray], np.ndarray]:
    """f(U) → mean of ``measure`` per sample, running the scenario's model in large ensembles
    (in-process, ``workers`` processes, or a Dask cluster via ``scheduler``/``dask_local``)."""
    seed_value = int(scenario.seed if seed is None else seed)
    base = scenario.params()

    def f(U: np.ndarray) -> np.ndarray:
        design = from_unit(scenario, U)
        cells = {k: design[k].to_numpy(dtype=np.float64) for k in design.columns}
        bad = [i for i in range(len(U)) if cross_check({**base, **{k: float(v[i]) for k, v in cells.items()}})]
        if bad:
            example = cross_check({**base, **{k: float(v[bad[0]]) for k, v in cells.items()}})
            raise UserError(f"{len(bad)} of {len(U)} samples break a cross-field rule ({'; '.join(example)}); "
                            f"narrow the ranges")

        def job(params: dict[str, np.ndarray], ids: np.ndarray) -> tuple:
            return (scenario, measure.spec, seed_value, params, ids)

        vals = run_grid(cells, replications, job, None, chunk_runs, workers, None, scheduler, dask_local)
        return np.nanmean(vals, axis=1)

    return f


@dataclass(frozen=True)
class SensitivityResult:
    """Indices of one scenario's outcome, and how they were computed."""

    scenario: str
    method: str
    outcome: str
    title: str
    table: pd.DataFrame
    samples: int
    replications: int
    seed: int


def run_sensitivity(scenario: Scenario, method: str = "sobol", outcome: str = "sanctions_ever",
                    n: int = 256, replications: int = 50, seed: int | None = None,
                    extra: Mapping[str, Any] | None = None, workers: int | None = 1,
                    levels: int = 4, scheduler: Any = None, dask_local: int | None = None) -> SensitivityResult:
    """Sobol (``n`` = base sample size, a power of 2) or Morris (``n`` = trajectories) for a scenario."""
    if method not in METHODS:
        raise UserError(f"--method {method!r}: use sobol or morris")
    measure = parse_measure(outcome)
    problem, scenario = scenario_problem(scenario, extra)
    seed_value = int(scenario.seed if seed is None else seed)
    f = scenario_function(scenario, measure, replications, seed_value, workers,
                          scheduler=scheduler, dask_local=dask_local)
    calls = [0]

    def counted(U: np.ndarray) -> np.ndarray:
        calls[0] += len(U)
        return f(U)

    sub_seed = seed_value % (2**32)
    if method == "sobol":
        if n < 2 or n & (n - 1):
            raise UserError(f"--samples {n}: Sobol needs a power of 2 (e.g. 256)")
        table = sobol_indices(problem, counted, n=n, seed=sub_seed)
    else:
        table = morris_indices(problem, counted, trajectories=n, levels=levels, seed=sub_seed)
    return SensitivityResult(scenario.name, method, measure.spec, measure.title, table, calls[0],
                             replications, seed_value)
