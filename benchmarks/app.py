"""App latency: page load in a browser and time from new parameters to finished figures (prints numbers).

Page load (Debian's Chromium through Playwright, a fresh browser context per load, so nothing is
cached): time from navigation to the first drawn chart (target ≤ 3 s on an idle machine) — as the
driver's 50 ms poll first sees it, and in brackets the frame that shows it, timed in the page from
navigation start (the poll can run late while the page is busy) — and to "up to date", bytes over the websocket per page load (target ≤ 6 MB; plotly.js does not travel over
it), and the CPU seconds the browser (and its renderer's main thread) and the server spent until
the first chart. The first load comes right after the server answers, as a user's would; the
machine's load average is printed beside each load: on a busy machine the browser gets a fraction
of a core and wall times stretch accordingly, CPU times much less. ``--url`` measures an app that
is already running (e.g. an older version, for comparison) instead of starting ``alliance app``.

Server side:

For each of ``--changes`` parameter edits (the hegemon's economic threshold and the balancer's
energy ceiling, as a user dragging sliders would make), times what the app does after the debounce:
validate the edit, build the tuned scenario, run the ensemble in one model, and build the four
live plotly figures (sanctions probability, threat fan with thresholds, cooperation fans, outcome
summary) with the untuned overlay. Also prints the time to serialise those figures to JSON (what
is sent to the browser), separately.

Target (issue 5): ≤ 300 ms for 1,000 replications × 36 months.
Usage: python benchmarks/app.py [--scenario baseline] [--replications 1000] [--months 36] [--changes 20]
                                [--page-loads 3] [--url URL]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from alliance.app.chart import figure_json
from alliance.app.page import compute
from alliance.app.state import apply_edit, run_ensemble, tuned_scenario
from alliance.model import load_scenario


def page_loads(scenario: str, n: int, url: str | None) -> None:
    """Print, per cold page load, the time to the first drawn chart and to "up to date", the CPU
    seconds spent until the first chart, the load average and the bytes over the websocket.

    The first load follows the server's "ready" (it answers HTTP) with nothing in between, as a
    user's would: whatever the server still does on the first connection is in it. The next ``n``
    loads give the medians."""
    from app_page import CHROMIUM, CHROMIUM_ARGS, load_page, serve
    from playwright.sync_api import sync_playwright

    with contextlib.ExitStack() as stack:
        t0 = time.perf_counter()
        target = url or stack.enter_context(serve(scenario))
        started = time.perf_counter() - t0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            loads = []
            for _ in range(n + 1):
                pl, page = load_page(browser, target)
                page.context.close()
                loads.append(pl)
            browser.close()
    ready = "already running" if url else f"server answered {started:.1f} s after start"
    print(f"page load: {target} ({ready}); 1 + {n} cold loads, a fresh browser context each; "
          f"Chromium, {os.cpu_count()} CPUs")
    print("  load avg   first chart (painted)   up to date   CPU to first chart: browser (renderer main)"
          " server   websocket")
    for i, pl in enumerate(loads):
        print(f"  {pl.load_average:8.1f}   {pl.first_chart_s:7.2f} s ({pl.first_paint_s:5.2f} s)  "
              f"{pl.ready_s:7.2f} s   {pl.browser_cpu_s:18.2f} s ({pl.renderer_main_cpu_s:5.2f} s)  "
              f"{pl.server_cpu_s:5.2f} s   {pl.ws_bytes_received / 1e6:5.2f} MB"
              + ("   ← first load after ready" if i == 0 else ""))
    rest = loads[1:] or loads

    def med(f) -> float:
        return statistics.median(f(pl) for pl in rest)

    print(f"  time from page load to first drawn chart: first {loads[0].first_chart_s:.2f} s, median "
          f"{med(lambda pl: pl.first_chart_s):.2f} s at load average {med(lambda pl: pl.load_average):.1f} "
          f"(target ≤ 3 s when idle)")
    print(f"    the frame that shows it, timed in the page from navigation start: first "
          f"{loads[0].first_paint_s:.2f} s, median {med(lambda pl: pl.first_paint_s):.2f} s")
    print(f"  CPU to the first chart (median): browser {med(lambda pl: pl.browser_cpu_s):.2f} s, of which "
          f"its renderer's main thread {med(lambda pl: pl.renderer_main_cpu_s):.2f} s; "
          f"server {med(lambda pl: pl.server_cpu_s):.2f} s")
    print(f"  websocket bytes received per page load: median {med(lambda pl: pl.ws_bytes_received) / 1e6:.2f} MB, "
          f"max {max(pl.ws_bytes_received for pl in loads) / 1e6:.2f} MB (target ≤ 6 MB); sent "
          f"{med(lambda pl: pl.ws_bytes_sent) / 1e6:.2f} MB")
    print(f"  plotly.js loaded: {', '.join(sorted({f for pl in loads for f in pl.plotly_js})) or 'none'}")
    errs = sorted({e for pl in loads for e in pl.console_errors + pl.failed_requests})
    print(f"  console errors / failed requests:  {len(errs)}" + "".join(f"\n    {e[:160]}" for e in errs[:10]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--replications", type=int, default=1000)
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--changes", type=int, default=20)
    ap.add_argument("--page-loads", type=int, default=3,
                    help="page loads to time after the first one (-1: none)")
    ap.add_argument("--url", default=None, help="measure this running app instead of starting one")
    args = ap.parse_args()
    if args.page_loads >= 0:
        page_loads(args.scenario, args.page_loads, args.url)
    if args.changes <= 0:
        return

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
            figure_json(fig)
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
    print(f"    of which figures → JSON:         {ms(serial)}")
    verdict = "met" if statistics.median(totals) * 1000 <= 300 else "NOT met"
    print(f"  target (median ≤ 300 ms): {verdict}")


if __name__ == "__main__":
    main()
