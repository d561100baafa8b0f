"""Engine throughput: the vectorised ensemble against Mesa's own batch_run (prints numbers).

1. ``baseline`` for 10,000 replications × 120 months in one AllianceModel, in one process,
   including building the tidy trajectory and summary DataFrames: run-months per second.
2. The same model with R = 1 under ``mesa.batch_run`` for 1,000 runs × 120 months: seconds per
   run, and the ratio of the two per-run costs.

Targets (issues 2, 10): ≥ 2,500,000 run-months/s on one core for baseline; ≥ 100× faster per run than
batch_run.
Usage: python benchmarks/engine.py [--replications 10000] [--months 120] [--batch-runs 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import inspect

import mesa
import numpy as np

from alliance.model import AllianceModel, load_scenario

# One run per parameter combination: Mesa ≥ 3.4 deprecates `iterations` in favour of `rng`.
BATCH_ONCE = {"rng": [None]} if "rng" in inspect.signature(mesa.batch_run).parameters else {"iterations": 1}


def ensemble(sc, R: int, months: int) -> float:
    t0 = time.perf_counter()
    model = AllianceModel(sc, replications=R, months=months).run()
    traj, summ = model.trajectories(), model.summary()
    dt = time.perf_counter() - t0
    if len(traj) != R * (months + 1) or len(summ) != R:
        raise SystemExit("unexpected result size")
    return dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replications", type=int, default=10_000)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--batch-runs", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    sc = load_scenario("baseline")
    print(f"python {platform.python_version()}, mesa {mesa.__version__}, numpy {np.__version__}")

    times = [ensemble(sc, a.replications, a.months) for _ in range(a.repeat)]
    best = min(times)
    rm = a.replications * a.months
    print(f"ensemble: {a.replications} replications × {a.months} months, best of {a.repeat}: "
          f"{best:.3f} s → {rm / best:,.0f} run-months/s (median {rm / np.median(times):,.0f})")
    per_run_ensemble = best / a.replications

    t0 = time.perf_counter()
    rows = mesa.batch_run(
        AllianceModel,
        parameters={"scenario": [sc], "replication_ids": [[i] for i in range(a.batch_runs)],
                    "months": a.months},
        **BATCH_ONCE, max_steps=a.months, data_collection_period=-1, number_processes=1,
        display_progress=False,
    )
    dt = time.perf_counter() - t0
    if len(rows) != a.batch_runs:
        raise SystemExit(f"batch_run returned {len(rows)} rows")
    per_run_batch = dt / a.batch_runs
    print(f"mesa.batch_run: {a.batch_runs} runs × {a.months} months (R = 1): {dt:.2f} s → "
          f"{per_run_batch * 1e3:.2f} ms/run, {a.batch_runs * a.months / dt:,.0f} run-months/s")
    print(f"ratio per run (batch_run / ensemble): {per_run_batch / per_run_ensemble:,.0f}×")
    print("targets: ≥ 2,500,000 run-months/s; ratio ≥ 100×")


if __name__ == "__main__":
    main()
