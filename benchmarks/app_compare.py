"""A/B of page loads between running apps: alternating cold loads, one browser (prints numbers).

Start each version with ``alliance app`` (e.g. from a checkout of each commit, on its own port) and
pass their URLs; the loads alternate (a b b a a b …) so both see the same load on the shared
machine. Prints per load and the medians: time to the first chart (driver's poll, and the frame
that shows it), to "up to date", and the browser's CPU time (its renderer's main thread) to the
first chart and to "up to date", beside the load average.

Usage: python benchmarks/app_compare.py --rounds 4 old=http://127.0.0.1:8101/ new=http://127.0.0.1:8102/
"""

from __future__ import annotations

import argparse
import os
import statistics

from app_page import CHROMIUM, CHROMIUM_ARGS, load_page


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("apps", nargs="+", help="NAME=URL of each running app")
    args = ap.parse_args()
    apps = dict(a.split("=", 1) for a in args.apps)
    from playwright.sync_api import sync_playwright

    rows: dict[str, list] = {name: [] for name in apps}
    print("  app      load avg   first chart (painted)   up to date   browser CPU to first chart (main)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for i in range(args.rounds):
            for name, url in list(apps.items())[:: 1 if i % 2 == 0 else -1]:
                pl, page = load_page(browser, url)
                page.context.close()
                rows[name].append(pl)
                print(f"  {name:8s} {pl.load_average:8.1f}   {pl.first_chart_s:7.2f} s ({pl.first_paint_s:5.2f} s)"
                      f"   {pl.ready_s:7.2f} s   {pl.browser_cpu_s:10.2f} s ({pl.renderer_main_cpu_s:.2f} s)",
                      flush=True)
        browser.close()
    for name, loads in rows.items():
        def med(f, loads=loads) -> float:
            return statistics.median(f(pl) for pl in loads)

        print(f"  median {name}: load {med(lambda pl: pl.load_average):.1f}; first chart "
              f"{med(lambda pl: pl.first_chart_s):.2f} s (painted {med(lambda pl: pl.first_paint_s):.2f} s); "
              f"up to date {med(lambda pl: pl.ready_s):.2f} s; browser CPU to first chart "
              f"{med(lambda pl: pl.browser_cpu_s):.2f} s (main {med(lambda pl: pl.renderer_main_cpu_s):.2f} s); "
              f"errors {sum(len(pl.console_errors) + len(pl.failed_requests) for pl in loads)}")
    print(f"  ({os.cpu_count()} CPUs; CPU times are Chromium's, started by this script)")


if __name__ == "__main__":
    main()
