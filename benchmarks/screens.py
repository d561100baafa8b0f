"""Screenshots of the outputs, so a reviewer can look without running a browser by hand.

    python3 benchmarks/screens.py [--out docs/img] [--only run,report,...] [--replications 300]

Builds each output from fresh runs (small, a few minutes on two cores), opens it in headless
Chromium (Debian's /usr/bin/chromium through Playwright, network refused) at 1400 × 900 and
writes the first screen as PNG (``<name>.png``) and, for long pages, the whole page
(``<name>_full.png``). Prints one line per screenshot with its size and the time taken.

Outputs shot: ``run`` (``alliance run … --chart``), ``report`` (answer-first report of a
three-scenario study), ``compare``, ``uncertainty`` (report of an uncertainty study),
``map`` (``alliance map``) and ``sensitivity``.

Hook for the app: add a function ``shoot(browser, out, workdir) -> list[Path]`` to ``EXTRA`` below
(e.g. start ``alliance app`` on a free port, wait for the first chart, screenshot) — it is called
with the same browser after the static pages.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 900}
LOCAL = ("file:", "data:", "blob:", "about:")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screens_app import shoot as shoot_app  # noqa: E402  (the app's screenshots, benchmarks/screens_app.py)

EXTRA: list[Callable[[Any, Path, Path], list[Path]]] = [shoot_app]
"""More screenshots taken with the same browser (the app's go here)."""


def alliance(*args: str) -> None:
    """Run the ``alliance`` command of this interpreter (``python -m alliance``)."""
    subprocess.run([sys.executable, "-m", "alliance", *args], check=True, stdout=subprocess.DEVNULL)


def build(name: str, work: Path, reps: int) -> Path:
    """Produce the HTML page of one output; returns its path."""
    if name == "run":
        out = work / "energy.html"
        alliance("run", "energy_support_georgia_ukraine", "--chart", str(out))
        return out
    if name in ("report", "compare"):
        study = work / "study"
        if not study.exists():
            alliance("batch", "baseline", "energy_support_georgia_ukraine", "energy_support_forced",
                     "russia_hardline", "-r", str(reps), "--out", str(study))
        if name == "report":
            out = work / "report.html"
            alliance("report", str(study), "--out", str(out))
            return out
        alliance("compare", str(study), "--out", str(work / "comparison"))
        return work / "comparison" / "comparison.html"
    if name == "uncertainty":
        study = work / "uncertain"
        alliance("batch", "energy_support_uncertain", "-n", "64", "-r", "20", "--out", str(study))
        out = work / "uncertainty.html"
        alliance("report", str(study), "--out", str(out))
        return out
    if name == "map":
        folder = work / "map"
        alliance("map", "energy_support_georgia_ukraine", "--x", "hegemon.threshold.economic",
                 "--y", "balancer.export_share_via_russia", "--grid", "16x16", "-r", "60", "--out", str(folder))
        return folder / "map.html"
    if name == "sensitivity":
        folder = work / "sens"
        alliance("sensitivity", "energy_support_uncertain", "-n", "128", "-r", "20", "--out", str(folder))
        return folder / "sensitivity.html"
    raise SystemExit(f"unknown output {name!r}")


NAMES = ("run", "report", "compare", "uncertainty", "map", "sensitivity")
ANCHORS = {"uncertainty": "#uncertainty", "report": "#charts"}
"""Sections also shot at the top of the screen (``<name>_<anchor>.png``)."""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("docs/img"))
    ap.add_argument("--only", default=",".join(NAMES))
    ap.add_argument("--replications", type=int, default=300)
    ap.add_argument("--full", action="store_true", help="also write whole-page screenshots")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        work = Path(tmp)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name in args.only.split(","):
            t0 = time.perf_counter()
            page_path = build(name, work, args.replications)
            ctx = browser.new_context(viewport=VIEWPORT, offline=True)
            page = ctx.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort())
            page.goto(page_path.as_uri())
            page.wait_for_selector(".main-svg", timeout=30_000)
            page.wait_for_timeout(600)
            png = args.out / f"{name}.png"
            page.screenshot(path=str(png))
            shots = [png]
            if name in ANCHORS:
                page.evaluate(f"document.querySelector('{ANCHORS[name]}').scrollIntoView()")
                page.wait_for_timeout(300)
                extra = args.out / f"{name}_{ANCHORS[name].lstrip('#')}.png"
                page.screenshot(path=str(extra))
                shots.append(extra)
            if args.full:
                full = args.out / f"{name}_full.png"
                page.screenshot(path=str(full), full_page=True)
                shots.append(full)
            ctx.close()
            for s in shots:
                print(f"{s}: {s.stat().st_size / 1e3:.0f} kB ({time.perf_counter() - t0:.1f} s)")
        for shoot in EXTRA:
            for s in shoot(browser, args.out, work):
                print(f"{s}: {s.stat().st_size / 1e3:.0f} kB")
        browser.close()


if __name__ == "__main__":
    main()
