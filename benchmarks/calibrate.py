"""Wall time of a full calibration and of the leave-one-episode-out cross-validation (issue 11).

    python benchmarks/calibrate.py                      # recommended settings (RECOMMENDED, CV_SETTINGS)
    python benchmarks/calibrate.py --scale 0.25         # a quarter of the particles, extrapolated
    python benchmarks/calibrate.py --workers 2 --skip-cv

Target: a full calibration of the A- and R-class parameters on the shipped episodes in ≤ 30
minutes on the shared 2-core machine. ``--scale s`` multiplies the particles by s (for a busy
machine) and prints the measured time and the time extrapolated to s = 1 (ABC-SMC's cost is
linear in particles × replications × episodes × generations; the acceptance rate makes the
number of batches vary, so the extrapolation is an estimate and says so). Nothing is written
except into a temporary folder.

Measured on 2026-12-01 on the shared 2-core machine (load average ~10, other helpers running):
the recommended calibration (200 particles x 40 runs x 6 generations, 1,200 particles simulated,
21 episodes, 2 workers) took 213 s (`alliance calibrate`, same code path); `--scale 0.1
--skip-cv` took 2.0 min and extrapolates to 20 min (an overestimate: fixed costs and a test run
sharing the machine). The cross-validation (21 fits at 100 x 10 x 4, then 5 seeds x 200 runs per
episode) took 950.8 s (15.8 min) through `alliance validate --cross-validate --workers 2`; with
each fold's structural discrepancy δ (its 20 training episodes predicted in sample as well) it
took 1,069 s (17.8 min, `--no-control`, a busier machine; 720 s without δ in the same session).
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

from alliance.analysis.calibrate import RECOMMENDED, calibrate
from alliance.analysis.crossval import cross_validate
from alliance.analysis.hindcast import EpisodeSet
from alliance.cli.calibrate import CV_SETTINGS
from alliance.model.scenario_files import scenarios_dir


def _scaled(settings, scale: float):
    return dataclasses.replace(settings, particles=max(4, round(settings.particles * scale)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="share of the recommended particles")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-cv", action="store_true")
    args = ap.parse_args()
    eps = EpisodeSet.load([scenarios_dir() / "episodes"])
    settings = _scaled(RECOMMENDED, args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        post = calibrate(eps, settings, checkpoint=Path(tmp) / "ck.json", workers=args.workers)
        wall = time.perf_counter() - t0
    sims = sum(g["simulated"] for g in post.meta["generations"])
    print(f"calibration: {len(eps.scenarios)} episodes, {len(post.names)} parameters, {settings}")
    print(f"  {sims} particles simulated x {settings.replications} runs x {len(eps.scenarios)} episodes; "
          f"wall {wall / 60:.1f} min (measured)"
          + ("" if args.scale == 1 else f"; extrapolated to scale 1: {wall / args.scale / 60:.1f} min"))
    print(f"  target <= 30 min: {'met' if wall / args.scale <= 1800 else 'NOT met'}")
    if args.skip_cv:
        return
    cv = _scaled(CV_SETTINGS, args.scale)
    t0 = time.perf_counter()
    cross_validate(eps, cv, 200, 5, workers=args.workers)
    wall = time.perf_counter() - t0
    print(f"cross-validation: {len(eps.scenarios)} folds at {cv}, then 5 seeds x 200 runs per episode; "
          f"wall {wall / 60:.1f} min (measured)"
          + ("" if args.scale == 1 else f"; extrapolated to scale 1: {wall / args.scale / 60:.1f} min"))


if __name__ == "__main__":
    main()
