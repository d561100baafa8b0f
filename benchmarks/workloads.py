"""Wall time of the two workloads the engine speeds up (prints numbers; issue 14):

1. a 40 × 40 × 200 tipping map of baseline (320,000 runs × 36 months; the map of
   benchmarks/report.py), with one worker (in-process) and with two worker processes;
2. a full ``alliance calibrate`` at its recommended settings (``RECOMMENDED``, every shipped
   episode, 2 workers as docs/validation.md runs it).

Each workload runs in a fresh child process; each line gives its wall and CPU seconds (the child
and its worker processes, imports excluded) and the load average before it: the machine is shared, so compare CPU seconds across loaded runs.
Usage: python benchmarks/workloads.py [--only map|calibrate] [--grid 40x40] [--replications 200]
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

os.environ.setdefault("OMP_NUM_THREADS", "1")

from alliance.analysis.calibrate import RECOMMENDED, calibrate
from alliance.analysis.hindcast import EpisodeSet
from alliance.analysis.tipping import parse_grid, tipping_map
from alliance.model import AllianceModel, kernel, load_scenario
from alliance.model.scenario_files import scenarios_dir

sys.path.insert(0, os.path.dirname(__file__))
from report import MAP_X, MAP_X_RANGE, MAP_Y  # the same map as benchmarks/report.py


def _descendants_cpu() -> float:
    """CPU seconds of the live processes below this one (worker pools, a forkserver and its
    workers), read from /proc; 0 where there is no /proc."""
    tick, parent, used = os.sysconf("SC_CLK_TCK"), {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid = int(stat.parent.name)
        parent[pid], used[pid] = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
    total, me = 0.0, os.getpid()
    for pid in used:
        p = parent.get(pid)
        while p and p != me:
            p = parent.get(p)
        if p == me:
            total += used[pid]
    return total


def cpu() -> float:
    """CPU seconds of this process, its finished children and the live processes below it."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime + _descendants_cpu()


LOWER = "a lower bound: workers that exited under a forkserver are not counted"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def case(name: str, grid: str, replications: int) -> None:
    """One workload in this process; prints its wall and CPU seconds (worker processes included)."""
    AllianceModel("baseline", replications=10, months=2).run()  # compile or load the kernel outside the timing
    w, c = time.perf_counter(), cpu()
    if name.startswith("map"):
        sc = load_scenario("baseline")
        nx, ny = parse_grid(grid)
        m = tipping_map(sc, MAP_X, MAP_Y, (nx, ny), replications, "sanctions_ever", workers=int(name[3:]),
                        x_range=MAP_X_RANGE)
        print(f"run_months {(m.p.size - m.invalid) * replications * sc.horizon_months}")
    else:
        eps = EpisodeSet.load([scenarios_dir() / "episodes"])
        with tempfile.TemporaryDirectory() as tmp:
            post = calibrate(eps, RECOMMENDED, checkpoint=Path(tmp) / "ck.json", workers=2)
        print(f"simulated {sum(g['simulated'] for g in post.meta['generations'])} {len(eps.scenarios)}")
    print(f"wall {time.perf_counter() - w:.3f}")
    print(f"cpu {cpu() - c:.3f}")


def measure(name: str, grid: str, replications: int) -> dict[str, str]:
    """Run ``case`` in a fresh child process (which counts its own CPU, workers included)."""
    out = subprocess.run([sys.executable, __file__, "--case", name, "--grid", grid, "--replications",
                          str(replications)], check=True, capture_output=True, text=True).stdout
    got = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
    return got


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=("map", "calibrate"))
    ap.add_argument("--case", choices=("map1", "map2", "calibrate"), help=argparse.SUPPRESS)
    ap.add_argument("--grid", default="40x40")
    ap.add_argument("--replications", type=int, default=200)
    a = ap.parse_args()
    if a.case:
        case(a.case, a.grid, a.replications)
        return
    print(f"python {sys.version.split()[0]}, kernel {'numba' if kernel.AVAILABLE else 'off (numpy path)'}, "
          f"{os.cpu_count()} CPUs")
    if a.only != "calibrate":
        for workers in (1, 2):
            print(f"load before: {load()}")
            got = measure(f"map{workers}", a.grid, a.replications)
            w, c, rm = float(got["wall"]), float(got["cpu"]), int(got["run_months"])
            cpu_text = f"{c:.1f} s CPU" if workers == 1 else f"≥ {c:.1f} s CPU ({LOWER})"
            print(f"tipping map {a.grid} × {a.replications} of baseline, {workers} worker(s): {w:.1f} s wall, "
                  f"{cpu_text}; {rm / w / 1e6:.2f} M run-months/s wall")
    if a.only != "map":
        print(f"load before: {load()}")
        got = measure("calibrate", a.grid, a.replications)
        sims, episodes = got["simulated"].split()
        print(f"alliance calibrate, recommended settings ({RECOMMENDED.particles} particles × "
              f"{RECOMMENDED.replications} runs × {RECOMMENDED.generations} generations; {sims} particles "
              f"simulated on {episodes} episodes), 2 workers: {float(got['wall']):.1f} s wall, "
              f"≥ {float(got['cpu']):.1f} s CPU ({LOWER})")
    print(f"load after: {load()}")


if __name__ == "__main__":
    main()
