"""App latency: time from new parameters to finished figures, server-side (prints numbers).

For each of ``--changes`` parameter edits (the hegemon's economic threshold and the balancer's
energy ceiling, as a user dragging sliders would make), times what the app does after the debounce:
validate the edit, build the tuned scenario, run the ensemble in one model, and build the four
live plotly figures (sanctions probability, threat fan with thresholds, cooperation fans, outcome
summary) with the untuned overlay. Also prints the time to serialise those figures to JSON (what
is sent to the browser), separately.

Target (issue 5): ≤ 300 ms for 1,000 replications × 36 months.
Usage: python benchmarks/app.py [--scenario baseline] [--replications 1000] [--months 36] [--changes 20]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from alliance.app.page import compute
from alliance.app.state import apply_edit, run_ensemble, tuned_scenario
from alliance.model import load_scenario


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--replications", type=int, default=1000)
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--changes", type=int, default=20)
    args = ap.parse_args()

    base = load_scenario(args.scenario).with_params({"horizon_months": args.months})
    reps, seed = args.replications, base.seed
    base_ens = run_ensemble(tuned_scenario(base, {}, reps, seed))
    compute(("warm-up",), base, {}, reps, base_ens)  # imports, first-call caches

    economic = np.linspace(0.52, 0.9, args.changes)
    energy = np.linspace(1.0, 0.3, args.changes)
    totals, sims, serial = [], [], []
    for i in range(args.changes):
        t0 = time.perf_counter()
        overrides = apply_edit(base, {}, "hegemon.threshold.economic", float(economic[i]))
        overrides = apply_edit(base, overrides, "balancer.ceiling.energy", float(energy[i]))
        t1 = time.perf_counter()
        run_ensemble(tuned_scenario(base, overrides, reps, seed))
        t2 = time.perf_counter()
        out = compute(("bench", i), base, overrides, reps, base_ens)
        t3 = time.perf_counter()
        for fig in out.figures.values():
            fig.to_json()
        t4 = time.perf_counter()
        totals.append((t1 - t0) + (t3 - t2))
        sims.append(t2 - t1)
        serial.append(t4 - t3)

    def ms(xs: list[float]) -> str:
        xs_ms = sorted(1000 * x for x in xs)
        p90 = xs_ms[min(len(xs_ms) - 1, round(0.9 * (len(xs_ms) - 1)))]
        return f"median {statistics.median(xs_ms):7.1f} ms   p90 {p90:7.1f} ms   max {xs_ms[-1]:7.1f} ms"

    print(f"app latency: {args.scenario}, {reps} replications × {args.months} months, "
          f"{args.changes} parameter changes; Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs")
    print(f"  new parameters → finished figures: {ms(totals)}   (target ≤ 300 ms)")
    print(f"    of which the ensemble alone:     {ms(sims)}")
    print(f"  figures → JSON for the browser:    {ms(serial)}")
    verdict = "met" if statistics.median(totals) * 1000 <= 300 else "NOT met"
    print(f"  target (median ≤ 300 ms): {verdict}")


if __name__ == "__main__":
    main()
