"""Benchmark of `alliance batch`: throughput per executor, parallel efficiency, peak memory.

Parallel efficiency is T1 / (N × TN), printed against two baselines: the in-process path pinned
to one core (T1 proper) and the plain in-process path, which already overlaps Parquet encoding
with the next chunk in a writer thread and so uses more than one core by itself.

Prints numbers; asserts nothing. Each measurement runs `alliance batch` in a fresh subprocess
(so start-up, Parquet writing and the manifest are included, as a user sees them) and reads the
subprocess's peak resident memory from the kernel (getrusage of children).

    python benchmarks/batch.py                 # 200,000 runs × 36 months per executor, 1,000,000-run memory study
    python benchmarks/batch.py --runs 50000 --memory-runs 200000     # quicker

Targets (issue 3): in-process ≥ 2,000,000 run-months/s including Parquet writing; parallel
efficiency ≥ 0.8 with 2 workers on 200,000 runs × 36 months; the 1,000,000-run study of
`baseline` under 1.5 GB peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_WRAPPER = (
    "import os, resource, subprocess, sys, time\n"
    "if os.environ.get('BENCH_ONE_CORE'): os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
    "t0 = time.perf_counter()\n"
    "rc = subprocess.run([sys.executable, '-c', 'from alliance.cli import main; main()', *sys.argv[1:]],"
    " stdout=subprocess.DEVNULL).returncode\n"
    "print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)\n"
)


def _run(args: list[str], one_core: bool = False) -> tuple[float, float]:
    """Run `alliance …` in a fresh child; returns (wall seconds, that child's peak RSS in MB).

    A wrapper process runs the command and reports its own children's peak, so earlier
    measurements cannot leak into this one. (With workers, the peak is the largest single process.)
    """
    env = {**os.environ, "BENCH_ONE_CORE": "1"} if one_core else None
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, *args], capture_output=True, text=True, check=False,
                          env=env)
    try:
        wall, peak_kb, rc = proc.stdout.split()
    except ValueError:
        sys.exit(f"alliance {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    if int(rc) != 0:
        sys.exit(f"alliance {' '.join(args)} failed ({rc}):\n{proc.stderr[-2000:]}")
    return float(wall), int(peak_kb) / 1024.0


def _model_only(runs: int, months: int) -> float:
    """Run-months per second of the model alone (one AllianceModel of ``runs`` replications)."""
    from alliance.model.model import AllianceModel

    t0 = time.perf_counter()
    m = AllianceModel("baseline", replications=runs, months=months)
    m.run()
    return runs * months / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=200_000, help="runs of the throughput study")
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--memory-runs", type=int, default=1_000_000, help="runs of the memory study (0: skip)")
    ap.add_argument("--chunk-runs", type=int, default=None)
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="runs per executor; the best is reported "
                    "(the machine may be shared)")
    a = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="alliance_bench_"))
    scen = tmp / "bench.yaml"
    scen.write_text(f"name: bench\ndescription: baseline for the batch benchmark\nextends: baseline\n"
                    f"horizon_months: {a.months}\n", encoding="utf-8")
    rm = a.runs * a.months
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; load average "
          f"{os.getloadavg()[0]:.2f}")
    print(f"model alone (20,000 replications in one AllianceModel): {_model_only(20_000, a.months):,.0f} run-months/s")
    common = ["batch", str(scen), "-r", str(a.runs), "--no-progress"]
    if a.chunk_runs:
        common += ["--chunk-runs", str(a.chunk_runs)]
    results: dict[str, float] = {}
    try:
        configs = [("in-process, 1 core", [], 1), ("in-process", [], 1), ("--workers 2", ["--workers", "2"], 2),
                   ("--dask-local 2", ["--dask-local", "2"], 2)]
        for label, extra, n in configs:
            if a.skip_dask and label.startswith("--dask"):
                continue
            times, walls, utilisation = [], [], []
            for i in range(a.repeat):
                out = tmp / f"study_{n}_{len(results)}_{i}"
                wall, _ = _run([*common, "--out", str(out), *extra], one_core=label.endswith("1 core"))
                size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
                man = json.loads((out / "manifest.json").read_text())
                times.append(man["sessions"][-1]["seconds"])
                busy = sum(c["seconds"] + c["encode_seconds"] for c in man["chunks"])
                utilisation.append(busy / (n * times[-1]))
                walls.append(wall)
                shutil.rmtree(out)
            best = min(times)
            results[label] = best
            eff = results.get("in-process", best) / (n * best)
            eff1 = results["in-process, 1 core"] / (n * best)
            print(f"{label:>18}: {a.runs:,} runs × {a.months} months: best batch {best:6.1f} s = "
                  f"{a.runs / best:9,.0f} runs/s = {rm / best:11,.0f} run-months/s "
                  f"(Parquet writing included); parallel efficiency {eff1:.2f} vs one core, {eff:.2f} vs "
                  f"in-process; all runs "
                  f"{', '.join(f'{t:.1f}' for t in times)} s; command wall time {min(walls):.1f} s "
                  f"with start-up; {size / 1e6:,.0f} MB on disk; worker utilisation "
                  f"{utilisation[times.index(best)]:.2f} (chunk compute + encode time / (workers × batch time))")
        if a.memory_runs:
            out = tmp / "memory"
            wall, peak = _run(["batch", str(scen), "-r", str(a.memory_runs), "--no-progress", "--out", str(out)])
            size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
            batch_s = json.loads((out / "manifest.json").read_text())["sessions"][-1]["seconds"]
            print(f"memory study: {a.memory_runs:,} runs × {a.months} months (in-process): batch {batch_s:.1f} s "
                  f"({a.memory_runs * a.months / batch_s:,.0f} run-months/s), command {wall:.1f} s; "
                  f"peak RSS {peak:,.0f} MB; {size / 1e9:.2f} GB on disk")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
