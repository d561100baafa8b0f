"""Engine throughput, side by side in one run (prints numbers; issue 14).

1. The ensemble: ``baseline`` for 10,000 replications × 120 months in one AllianceModel, core only
   (build and run) and with the tidy trajectory and summary DataFrames: run-months per second.
2. The honest peer: the scalar Mesa model (``alliance.model.peer.ScalarModel``: three agents holding
   Python floats, a DataCollector) under ``mesa.batch_run``, one run per replication.
3. The old figure: the vectorised model with R = 1 under ``mesa.batch_run``.
4. Ratios per run, and the limit estimate of a fused kernel on this machine.

The core is timed with one thread and with the kernel's default threads (``kernel.threads``: one per
CPU for large calls). Rates are given by wall time and by CPU time (``time.process_time``): the machine is shared, and
CPU-time rates are less sensitive to load. Targets: ≥ 15 M run-months/s core, ≥ 8 M with DataFrames,
≥ 100× the scalar peer per run.
Usage: python benchmarks/engine.py [--replications 10000] [--months 120] [--peer-runs 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import inspect
import os
import platform
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import mesa
import numpy as np

from alliance.model import AllianceModel, kernel, load_scenario
from alliance.model.peer import ScalarModel

# One run per parameter combination: Mesa ≥ 3.4 deprecates `iterations` in favour of `rng`.
BATCH_ONCE = {"rng": [None]} if "rng" in inspect.signature(mesa.batch_run).parameters else {"iterations": 1}


def timed(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def ensemble(sc, R: int, months: int, frames: bool) -> None:
    model = AllianceModel(sc, replications=R, months=months, collect=False).run()
    if frames:
        traj, summ = model.trajectories(), model.summary()
        if len(traj) != R * (months + 1) or len(summ) != R:
            raise SystemExit("unexpected result size")
    model.release()


def batch(model_cls, sc, months: int, runs: int, key: str, ids) -> None:
    rows = mesa.batch_run(model_cls, parameters={"scenario": [sc], key: ids, "months": months}, **BATCH_ONCE,
                          max_steps=months, data_collection_period=-1, number_processes=1, display_progress=False)
    if len(rows) != runs:
        raise SystemExit(f"batch_run returned {len(rows)} rows")


def best(times: list[tuple[float, float]]) -> tuple[float, float]:
    return min(t[0] for t in times), min(t[1] for t in times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replications", type=int, default=10_000)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--peer-runs", type=int, default=300)
    ap.add_argument("--r1-runs", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    sc = load_scenario("baseline")
    R, T = a.replications, a.months
    print(f"python {platform.python_version()}, mesa {mesa.__version__}, numpy {np.__version__}, "
          f"kernel {'numba' if kernel.AVAILABLE else 'off (numpy path)'}")
    print(f"load (uptime): {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"on {os.cpu_count()} CPUs")
    ensemble(sc, 10, 2, frames=False)  # compile or load the kernel once, outside the timings
    rm = R * T
    rates = {}
    n = kernel.threads(R, T) if kernel.AVAILABLE and hasattr(kernel, "threads") else 1  # (main before issue 14)
    for frames, threads in [(False, 1)] + ([(False, n)] if n > 1 else []) + [(True, n)]:
        os.environ["ALLIANCE_THREADS"] = str(threads)
        w, c = best([timed(lambda f=frames: ensemble(sc, R, T, f)) for _ in range(a.repeat)])
        label = "with DataFrames" if frames else "core"
        rates[frames] = (w / R, c / R)
        print(f"ensemble {label:>15}, {threads} thread(s): {R} × {T} months, best of {a.repeat}: {w:.3f} s wall, "
              f"{c:.3f} s CPU → {rm / w:,.0f} run-months/s (wall), {rm / c:,.0f} (CPU)")
    os.environ.pop("ALLIANCE_THREADS", None)
    w, c = best([timed(lambda: batch(ScalarModel, sc, T, a.peer_runs, "replication", list(range(a.peer_runs))))
                 for _ in range(max(1, a.repeat - 1))])
    peer = (w / a.peer_runs, c / a.peer_runs)
    print(f"scalar peer (mesa.batch_run): {a.peer_runs} runs × {T} months: {peer[0] * 1e3:.2f} ms/run wall, "
          f"{peer[1] * 1e3:.2f} ms/run CPU → {a.peer_runs * T / w:,.0f} run-months/s (wall), "
          f"{a.peer_runs * T / c:,.0f} (CPU)")
    w, c = timed(lambda: batch(AllianceModel, sc, T, a.r1_runs, "replication_ids", [[i] for i in range(a.r1_runs)]))
    print(f"vectorised model with R = 1 (mesa.batch_run): {a.r1_runs} runs: {w / a.r1_runs * 1e3:.2f} ms/run wall, "
          f"{c / a.r1_runs * 1e3:.2f} ms/run CPU (the old comparison)")
    for frames, label in ((False, "core"), (True, "with DataFrames")):
        ew, ec = rates[frames]
        print(f"ratio per run, scalar peer / ensemble {label} ({n} thread(s)): {peer[0] / ew:,.0f}× (wall), "
              f"{peer[1] / ec:,.0f}× (CPU)")
    ns = rates[False][1] / T * 1e9
    print(f"kernel cost now: {ns:.0f} ns CPU per run-month (core, including build and the record)")
    print("where the time goes (2026-12-02, one thread, CPU time, best of 7 at load 2.4-4.1,\n"
          "  benchmarks/kernel_profile.py): the lane-blocked kernel (model/lanes.py: blocks of 8 replications,\n"
          "  each stage a loop over the lanes that LLVM vectorises with AVX2, bit-identical to the\n"
          "  per-replication kernel) ~70-85 ns per run-month against ~210-275 ns for the per-replication\n"
          "  kernel; of it the record ~10-30 ns (15 float32 values buffered 8 months per group of 64\n"
          "  replications, then copied out with non-temporal stores, which write a line without reading\n"
          "  it), the 3 counter hashes ~5-17 ns. glibc's tanh and log cost ~5 ns: a lane reuses last\n"
          "  month's value when the argument is the same bit for bit (a run at rest), and calling them\n"
          "  every month would add ~20-30 ns. Building the model ~9 ns (serial, numpy; ~13 ns before\n"
          "  record_pool.roomy_heap kept glibc from unmapping its temporaries); the DataFrames\n"
          "  ~18-22 ns; a fresh 73 MB record's page faults ~10 ns, paid once per process\n"
          "  (model/record_pool.py reuses a released record).\n"
          "limit estimate: ~75 ns of kernel per run-month (vectorised rules ~50, record and hashes ~25,\n"
          "  bounded by bit-identity and the record's layout) plus ~9 ns to build the model on one\n"
          "  thread: ~12 M run-months/s on one free core, ~17-21 M on two free cores (9 + 75/2 to\n"
          "  9 + 75/1.5 ns). On this shared VM (steal time, other guests) the second core is rarely\n"
          "  free, so two-thread wall rates vary by 30% or more with the load; threads take chunks of\n"
          "  64-replication groups in turn, so a slowed thread does not hold the other back.")
    print("targets: ≥ 15,000,000 run-months/s core; ≥ 8,000,000 with DataFrames; ratio ≥ 100×")


if __name__ == "__main__":
    main()
