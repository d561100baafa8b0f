"""Screenshots of the app (``alliance app``), so a reviewer can look without running a browser by hand.

    python3 benchmarks/screens_app.py [--out docs/img]

Starts ``alliance app energy_support_forced`` on a free port (``SCENARIO``: since issue 10 the
hegemon tolerates baseline's unchanged status quo whatever its thresholds, so there the threshold
moves nothing and no replication reaches sanctions), opens it in Debian's Chromium (Playwright) at
1400 × 900, waits until the charts are drawn and "up to date", tunes the hegemon's economic
threshold to 0.55, pins the untuned and the tuned run, opens the replay at the first sanctions month
and writes ``app.png`` (first screen) and ``app_full.png`` (whole page).

``shoot(browser, out, workdir)`` is the hook ``benchmarks/screens.py`` calls (append it to its
``EXTRA``); it returns the paths it wrote.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from app_page import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, serve

SCENARIO = "energy_support_forced"
ECONOMIC_BOX = ".param-hegemon-threshold-economic input[type=text]"


def _ready(page: Any) -> None:
    page.wait_for_selector(".status.ready", timeout=120_000)


def shoot(browser: Any, out: Path, workdir: Path | None = None) -> list[Path]:
    """Screenshot the app with two pinned runs and the replay open; returns the PNGs written."""
    out.mkdir(parents=True, exist_ok=True)
    with serve(SCENARIO) as url:
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(url)
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 4", timeout=120_000)
        _ready(page)
        page.locator("button.pin-button").click()
        page.locator("button.pin-chip").wait_for()
        _ready(page)
        box = page.locator(ECONOMIC_BOX)
        box.fill("0.55")
        box.press("Enter")
        page.wait_for_selector(".status.busy", timeout=30_000)
        _ready(page)
        page.locator("button.pin-button").click()
        page.wait_for_function("document.querySelectorAll('button.pin-chip').length == 2")
        _ready(page)
        page.locator("button.replay-first-sanctions").click()
        page.wait_for_function("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
            .some(d => d.layout && d.layout.meta === 'replay')""", timeout=60_000)
        page.locator(".status").scroll_into_view_if_needed()
        page.locator(".alliance-title").scroll_into_view_if_needed()
        time.sleep(1.0)
        first, full = out / "app.png", out / "app_full.png"
        page.screenshot(path=str(first))
        # Solara scrolls the page inside a container: grow the viewport to its height for the whole page
        height = page.evaluate(
            "Math.max(...Array.from(document.querySelectorAll('div')).map(d => d.scrollHeight))")
        page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 20, 6000)})
        time.sleep(1.5)
        page.screenshot(path=str(full))
        page.close()
    return [first, full]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    t0 = time.perf_counter()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            paths = shoot(browser, args.out)
        finally:
            browser.close()
    for path in paths:
        print(f"{path}  {path.stat().st_size / 1e3:.0f} kB")
    print(f"app screenshots in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
