"""Benchmark: building the offline report of a 10,000-run study, and a 40×40 tipping-point map.

Targets (issue 4): the report of a 10,000-run study in at most 10 s; a 40×40 map with 200
replications per cell (320,000 runs × 36 months) of ``baseline`` in at most 60 s on 2 cores.
Prints numbers; asserts nothing.

    python benchmarks/report.py                  # both
    python benchmarks/report.py --only report    # or --only map
    python benchmarks/report.py --runs 10000 --workers 2 --grid 40x40 --replications 200
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The economic threshold between the diplomatic (0.5) and military (0.93) thresholds, so every one
# of the 1,600 cells runs, against the share of exports through Russia: the map has a boundary.
MAP_X, MAP_X_RANGE = "hegemon.threshold.economic", (0.51, 0.92)
MAP_Y = "balancer.export_share_via_russia"


def bench_report(runs: int, folder: Path) -> None:
    from alliance.analysis.report import build_report
    from alliance.study.batch import run_batch

    half = runs // 2
    t0 = time.perf_counter()
    study = run_batch(["baseline", "russia_hardline"], replications=half, out=folder / "study", progress=False)
    print(f"study: {len(study.summary):,} runs of baseline + russia_hardline stored in "
          f"{time.perf_counter() - t0:.1f} s")
    for k in range(2):
        t0 = time.perf_counter()
        text, figures, _ = build_report([study.path])
        out = folder / "report.html"
        out.write_text(text, encoding="utf-8")
        secs = time.perf_counter() - t0
        print(f"report build {k + 1}: {secs:.2f} s for {len(study.summary):,} runs, {len(figures)} charts, "
              f"{out.stat().st_size / 1e6:.1f} MB  (target ≤ 10 s)")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from alliance.cli import main; main()", "report",
                    str(study.path), "-o", str(folder / "cli_report.html")], check=True, capture_output=True)
    print(f"`alliance report` end to end (new process, imports included): {time.perf_counter() - t0:.2f} s")


def bench_map(grid: str, replications: int, workers: int) -> None:
    from alliance.analysis.tipping import parse_grid, tipping_map
    from alliance.model import load_scenario

    sc = load_scenario("baseline")
    nx, ny = parse_grid(grid)
    for w in sorted({1, workers}):
        t0 = time.perf_counter()
        m = tipping_map(sc, MAP_X, MAP_Y, (nx, ny), replications, "sanctions_ever", workers=w,
                        x_range=MAP_X_RANGE)
        secs = time.perf_counter() - t0
        runs = (m.p.size - m.invalid) * replications
        print(f"map {nx}x{ny} × {replications} reps = {runs:,} runs × {sc.horizon_months} months, "
              f"{w} worker(s): {secs:.1f} s ({runs * sc.horizon_months / secs / 1e6:.2f} M run-months/s; "
              f"P range {float(m.p.min()):.3f}–{float(m.p.max()):.3f}, "
              f"{len(m.contour())} contour crossings)  (target ≤ 60 s on 2 cores)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=("report", "map"))
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--grid", default="40x40")
    ap.add_argument("--replications", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    print(f"cores available: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f} (other work on the "
          f"machine slows both numbers, and the 2-worker one most)")
    with tempfile.TemporaryDirectory(prefix="alliance-bench-") as tmp:
        if args.only in (None, "report"):
            bench_report(args.runs, Path(tmp))
        if args.only in (None, "map"):
            bench_map(args.grid, args.replications, args.workers)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
