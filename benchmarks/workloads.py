"""Wall time of the two workloads the engine speeds up (prints numbers; issue 14):

1. a 40 × 40 × 200 tipping map of baseline (320,000 runs × 36 months; the map of
   benchmarks/report.py), with one worker (in-process) and with two worker processes;
2. a full ``alliance calibrate`` at its recommended settings (``RECOMMENDED``, every shipped
   episode, 2 workers as docs/validation.md runs it).

Each line gives wall and CPU seconds (this process plus its finished worker processes) and the
load average before it: the machine is shared, so compare CPU seconds across loaded runs.
Usage: python benchmarks/workloads.py [--only map|calibrate] [--grid 40x40] [--replications 200]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from alliance.analysis.calibrate import RECOMMENDED, calibrate
from alliance.analysis.hindcast import EpisodeSet
from alliance.analysis.tipping import parse_grid, tipping_map
from alliance.model import AllianceModel, kernel, load_scenario
from alliance.model.scenario_files import scenarios_dir

sys.path.insert(0, os.path.dirname(__file__))
from report import MAP_X, MAP_X_RANGE, MAP_Y  # the same map as benchmarks/report.py


def cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=("map", "calibrate"))
    ap.add_argument("--grid", default="40x40")
    ap.add_argument("--replications", type=int, default=200)
    a = ap.parse_args()
    print(f"python {sys.version.split()[0]}, kernel {'numba' if kernel.AVAILABLE else 'off (numpy path)'}, "
          f"{os.cpu_count()} CPUs")
    AllianceModel("baseline", replications=10, months=2).run()  # compile or load the kernel outside the timings
    if a.only != "calibrate":
        sc = load_scenario("baseline")
        nx, ny = parse_grid(a.grid)
        for workers in (1, 2):
            print(f"load before: {load()}")
            w, c = time.perf_counter(), cpu()
            m = tipping_map(sc, MAP_X, MAP_Y, (nx, ny), a.replications, "sanctions_ever", workers=workers,
                            x_range=MAP_X_RANGE)
            w, c = time.perf_counter() - w, cpu() - c
            rm = (m.p.size - m.invalid) * a.replications * sc.horizon_months
            print(f"tipping map {nx}x{ny} × {a.replications} of baseline, {workers} worker(s): {w:.1f} s wall, "
                  f"{c:.1f} s CPU ({rm / w / 1e6:.2f} M run-months/s wall, {rm / c / 1e6:.2f} per CPU second)")
    if a.only != "map":
        eps = EpisodeSet.load([scenarios_dir() / "episodes"])
        print(f"load before: {load()}")
        with tempfile.TemporaryDirectory() as tmp:
            w, c = time.perf_counter(), cpu()
            post = calibrate(eps, RECOMMENDED, checkpoint=Path(tmp) / "ck.json", workers=2)
            w, c = time.perf_counter() - w, cpu() - c
        sims = sum(g["simulated"] for g in post.meta["generations"])
        print(f"alliance calibrate, recommended settings ({RECOMMENDED.particles} particles × "
              f"{RECOMMENDED.replications} runs × {RECOMMENDED.generations} generations; {sims} particles "
              f"simulated on {len(eps.scenarios)} episodes), 2 workers: {w:.1f} s wall, {c:.1f} s CPU")
    print(f"load after: {load()}")


if __name__ == "__main__":
    main()
