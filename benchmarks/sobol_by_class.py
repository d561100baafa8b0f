"""Sobol share of output variance owed to each evidence class (E, R, A) of the parameters.

Issue 10, item 8: how much of the uncertainty in P(sanctions) (``baseline`` and
``energy_support_georgia_ukraine``) and P(protest) (``baseline``) comes from free constants (A),
from reasoned judgements (R) and from evidence (E)?

Method: **group Sobol indices** (SALib's ``groups``), one group per evidence class. Every A- and
R-class parameter varies uniformly over its plausible range (``evidence.plausible_problem``);
E-class parameters vary only where the sources state a range (``plausible`` given, e.g. the export
share via Russia, 66–94%), the rest stay at their defaults. For a class G:

- ``S1`` = Var(E[Y | X_G]) / Var(Y): the share of variance the class explains on its own,
  interactions inside the class included;
- ``ST`` = 1 − Var(E[Y | X_~G]) / Var(Y): the share in which the class takes part at all.

Why groups rather than sums of per-parameter indices: the sum of the members' first-order indices
misses every interaction between two members of the same class (and the model is strongly
interactive: thresholds × sensitivities × exposure), and the sum of their total indices counts each
such interaction once per member, so it can exceed 1. The group indices are exactly the class's
share, and they cost N·(G+2) model evaluations for G classes instead of N·(D+2) for D ≈ 70
parameters.

The model is evaluated with the project's own sensitivity pipeline
(``alliance.analysis.sensitivity.scenario_function``: the scenario's ``uncertainties:`` block →
``sampling.from_unit`` → one large ensemble per chunk, common random numbers: replication ids
0 … R−1 for every sample); SALib's Saltelli sampler and Sobol analyzer are called with the class
groups. Y for a sample is the share of its R replications with the event.

    python benchmarks/sobol_by_class.py                        # small settings (a check that it runs)
    python benchmarks/sobol_by_class.py -n 2048 -r 200         # recommended settings
    python benchmarks/sobol_by_class.py --classes A,R          # leave E at the defaults
    python benchmarks/sobol_by_class.py -n 1024 -r 100 --case energy_support_georgia_ukraine:protest \
        --case energy_support_georgia_ukraine:sanctions_ever:partner.request_reward=3   # chosen cases

Under issue 10's mechanics the baseline status quo is at rest, so its P(sanctions) and P(protest)
are 0 in every sample and the indices undefined; docs/validation.md reports the energy request and
a strong-request variant instead (N = 1024, R = 100: 14.9 min wall for three cases on the shared
machine, 2026-12-01).

Recommended settings: N = 2048 gives 95% half-widths of about 0.03-0.07 on the class indices;
R = 200 keeps the replication noise of Y (at most 0.25 / 200 = 0.00125) under 1% of the variance
across samples (about 0.13-0.15 under the plausible ranges before issue 10's new mechanics). That
is 3 × 10,240 samples × 200 = 6.1 million runs of 36 months: 8.6 minutes wall-clock on the shared
2-core machine (3 minutes of CPU; 70-90 s per case when the machine is quiet), measured on
2026-12-01. The default (N = 64, R = 50) runs in about 8 s and only checks that it works.

Prints one table per (scenario, outcome) and the time each took. Run it after the mechanics of
issue 10 land; the numbers for docs/validation.md come from the recommended settings.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from alliance.analysis.measures import parse_measure
from alliance.analysis.sensitivity import scenario_function, scenario_problem
from alliance.model.evidence import plausible_uncertainties
from alliance.model.parameters import EVIDENCE_CLASSES, PARAMS
from alliance.model.scenario_files import load_scenario

CASES: tuple[str, ...] = (
    "baseline:sanctions_ever",
    "energy_support_georgia_ukraine:sanctions_ever",
    "baseline:protest",
)
"""``scenario:outcome[:name=value,…]``; ``protest`` = at least one diplomatic (or higher) rung within
the horizon. Parameters fixed after the second colon are set in the scenario and left out of the
sample (e.g. ``partner.request_reward=3`` for a strong request), so their share is nobody's."""


def parse_case(spec: str) -> tuple[str, str, dict[str, float]]:
    """``scenario:outcome[:name=value,…]`` → (scenario, outcome, fixed values)."""
    parts = spec.split(":", 2)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise ValueError(f"--case {spec!r}: expected SCENARIO:OUTCOME[:NAME=VALUE,...]")
    fixed: dict[str, float] = {}
    for item in (parts[2].split(",") if len(parts) == 3 and parts[2] else []):
        name, _, value = item.partition("=")
        if name not in PARAMS or not value:
            raise ValueError(f"--case {spec!r}: {item!r} is not NAME=VALUE for a known parameter")
        fixed[name] = float(value)
    return parts[0], parts[1], fixed


def _outcome(spec: str, horizon: int) -> str:
    return f"diplomatic_by:{horizon}" if spec == "protest" else spec


def class_indices(scenario_name: str, outcome: str, classes: tuple[str, ...], n: int, replications: int,
                  seed: int, workers: int, fixed: dict[str, float] | None = None) -> dict:
    """Group Sobol indices of ``outcome`` in ``scenario_name`` by evidence class (``fixed``: values
    set in the scenario and left out of the sample)."""
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    fixed = fixed or {}
    base = load_scenario(scenario_name, fixed or None)
    block = {k: v for k, v in plausible_uncertainties(classes).items() if k not in fixed}
    sc = base.model_validate({**base.model_dump(exclude_none=True), "uncertainties": block})
    problem, sc = scenario_problem(sc)
    problem["groups"] = [PARAMS[name].evidence for name in problem["names"]]
    measure = parse_measure(_outcome(outcome, sc.horizon_months))
    f = scenario_function(sc, measure, replications, seed, workers)
    U = sobol_sample.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)
    t0 = time.perf_counter()
    Y = np.asarray(f(U), dtype=np.float64)
    elapsed = time.perf_counter() - t0
    out = {"scenario": scenario_name + "".join(f" [{k} = {v:g}]" for k, v in fixed.items()), "outcome": measure.spec, "rows": len(U), "runs": len(U) * replications,
           "seconds": elapsed, "mean": float(Y.mean()), "var": float(Y.var()),
           "params": {g: problem["groups"].count(g) for g in dict.fromkeys(problem["groups"])}}
    step = len(dict.fromkeys(problem["groups"])) + 2  # Saltelli blocks: A, AB_1 … AB_G, B
    if not np.isfinite(Y).all() or np.r_[Y[0::step], Y[step - 1::step]].var() == 0.0:
        # no variance in the base samples A and B (so none the estimators can share out): every
        # sample gave the same share, or (at tiny n) only a mixed row AB_g differed
        out["indices"] = None
        return out
    res = sobol_analyze.analyze(problem, Y, calc_second_order=False, num_resamples=200, conf_level=0.95,
                                seed=seed, print_to_console=False)
    groups = list(dict.fromkeys(problem["groups"]))
    out["indices"] = {g: (res["S1"][i], res["S1_conf"][i], res["ST"][i], res["ST_conf"][i])
                      for i, g in enumerate(groups)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", "--samples", type=int, default=64, help="Saltelli base sample N (a power of 2)")
    ap.add_argument("-r", "--replications", type=int, default=50, help="replications per sample")
    ap.add_argument("--classes", default="E,R,A", help="evidence classes to vary (comma-separated)")
    ap.add_argument("--seed", type=int, default=20061205)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--case", action="append", default=None, metavar="SCENARIO:OUTCOME[:NAME=VALUE,...]",
                    help=f"a case to analyse (repeatable; default: {' '.join(CASES)})")
    args = ap.parse_args(argv)
    try:
        cases = [parse_case(c) for c in (args.case or CASES)]
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    classes = tuple(c.strip() for c in args.classes.split(",") if c.strip())
    if not classes or any(c not in EVIDENCE_CLASSES for c in classes):
        print(f"--classes: use a comma-separated subset of {', '.join(EVIDENCE_CLASSES)}", file=sys.stderr)
        return 2
    if args.samples < 2 or args.samples & (args.samples - 1):
        print("--samples must be a power of 2", file=sys.stderr)
        return 2
    print(f"group Sobol indices by evidence class; N = {args.samples}, R = {args.replications} replications "
          f"per sample, classes {', '.join(classes)} (E only where a plausible range is stated)")
    total = 0.0
    for scenario_name, outcome, fixed in cases:
        r = class_indices(scenario_name, outcome, classes, args.samples, args.replications, args.seed,
                          args.workers, fixed)
        total += r["seconds"]
        counts = ", ".join(f"{g}: {k}" for g, k in r["params"].items())
        print(f"\n{r['scenario']} — {r['outcome']}: mean {r['mean']:.3f}, variance across samples "
              f"{r['var']:.4f}; {r['rows']:,} samples × {args.replications} = {r['runs']:,} runs in "
              f"{r['seconds']:.1f} s; parameters varied ({counts})")
        if r["indices"] is None:
            print("  no variance across samples: the indices are undefined")
            continue
        print(f"  {'class':<6}{'S1 (alone)':>14}{'± 95%':>9}{'ST (any part)':>16}{'± 95%':>9}")
        for g, (s1, s1c, st, stc) in r["indices"].items():
            print(f"  {g:<6}{s1:>14.3f}{s1c:>9.3f}{st:>16.3f}{stc:>9.3f}")
        s1_sum = sum(v[0] for v in r["indices"].values())
        print(f"  sum of S1 {s1_sum:.3f} (1 − sum = the share owed to interactions between classes)")
    print(f"\ntotal model time {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
