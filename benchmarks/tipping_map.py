"""Wall time of a 40 × 40 × 200 tipping map of baseline, before (numpy path) and after (the fused
kernel), in one process, one worker each (prints numbers; issue 14).

Both maps must agree (the kernel computes the same rules); the script says so or exits 1.
Usage: python benchmarks/tipping_map.py [--grid 40x40] [--replications 200]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from alliance.analysis.tipping import parse_grid, tipping_map
from alliance.model import AllianceModel, kernel, load_scenario

sys.path.insert(0, os.path.dirname(__file__))
from report import MAP_X, MAP_X_RANGE, MAP_Y  # the same map as benchmarks/report.py


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--grid", default="40x40")
    ap.add_argument("--replications", type=int, default=200)
    a = ap.parse_args()
    sc = load_scenario("baseline")
    nx, ny = parse_grid(a.grid)
    print(f"load (uptime): {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    if not kernel.AVAILABLE:
        raise SystemExit("numba unavailable (or ALLIANCE_NO_JIT set): nothing to compare")
    AllianceModel(sc, replications=10, months=2).run()  # compile or load the kernel outside the timing
    maps = {}
    for label, use in (("before (numpy path)", False), ("after (fused kernel)", True)):
        kernel.AVAILABLE = use
        w, c = time.perf_counter(), time.process_time()
        m = tipping_map(sc, MAP_X, MAP_Y, (nx, ny), a.replications, "sanctions_ever", workers=1, x_range=MAP_X_RANGE)
        w, c = time.perf_counter() - w, time.process_time() - c
        runs = (m.p.size - m.invalid) * a.replications
        rm = runs * sc.horizon_months
        print(f"{label}: map {nx}x{ny} × {a.replications} = {runs:,} runs × {sc.horizon_months} months: "
              f"{w:.1f} s wall, {c:.1f} s CPU ({rm / w / 1e6:.2f} M run-months/s wall, {rm / c / 1e6:.2f} CPU)")
        maps[use] = m.p
    same = np.allclose(maps[False], maps[True], equal_nan=True, atol=0)
    print(f"maps equal: {same}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
