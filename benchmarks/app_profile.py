"""Where the browser's time goes on one cold page load of ``alliance app`` (prints numbers).

Records a Chrome trace with the sampled CPU profile (CDP ``Tracing`` through Playwright) of one
cold load (after an untraced one, so the browser's own first start is not counted) and prints, for
the renderer's main thread, the self time per script (and for native work: ``(program)`` is HTML,
CSS, style and layout; ``(garbage collector)``; ``(idle)``) from navigation start to the frame
that shows the first chart, and to "up to date"; the time of each event; and every resource the
page fetched (size over the wire, start and end). Solara's bundles, require.js modules, fonts,
plotly.js and the Vue template compiler show up by file name.

Usage: python benchmarks/app_profile.py [--scenario baseline] [--url URL] [--trace FILE.json]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import time
from pathlib import Path

from app_page import CHROMIUM, CHROMIUM_ARGS, FIRST_CHART, FIRST_PAINT, VIEWPORT, serve

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "loading",
              "disabled-by-default-v8.cpu_profiler", "blink.user_timing", "toplevel", "netlog"]


def record(url: str, trace: Path) -> dict[str, float]:
    """One untraced and one traced cold load; returns the traced load's times (s from navigation)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for traced in (False, True):
            ctx = browser.new_context(viewport=VIEWPORT)
            ctx.add_init_script(FIRST_PAINT)
            page = ctx.new_page()
            page.goto("about:blank")
            if traced:
                browser.start_tracing(page=page, categories=CATEGORIES)
            t0 = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.wait_for_function(FIRST_CHART, timeout=120_000, polling=50)
            page.wait_for_selector(".status.ready", timeout=120_000)
            ready = time.perf_counter() - t0
            painted = page.evaluate("window.__allianceFirstChartPaint") / 1000
            if traced:
                trace.write_bytes(browser.stop_tracing())
            ctx.close()
        browser.close()
    return {"first chart painted": painted, "up to date (driver)": ready}


def main_thread(events: list[dict]) -> tuple[int, int]:
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
             if e.get("ph") == "M" and e.get("name") == "thread_name"}
    mains = {k for k, v in names.items() if v == "CrRendererMain"}
    counts = collections.Counter((e.get("pid"), e.get("tid")) for e in events
                                 if (e.get("pid"), e.get("tid")) in mains)
    return counts.most_common(1)[0][0]


def self_time(events: list[dict], pid: int, nav: float, until: float) -> collections.Counter:
    """Self time (s) per script (or native category) on ``pid``'s main thread in [nav, until]."""
    nodes, samples, deltas, t = {}, [], [], None
    for e in events:
        if e.get("pid") != pid:
            continue
        if e.get("name") == "Profile":
            t = e["args"]["data"]["startTime"]
        elif e.get("name") == "ProfileChunk":
            data = e["args"]["data"]
            for n in data.get("cpuProfile", {}).get("nodes", []):
                nodes[n["id"]] = n
            samples += data.get("cpuProfile", {}).get("samples", [])
            deltas += data.get("timeDeltas", [])
    out: collections.Counter = collections.Counter()
    for sample, dt in zip(samples, deltas, strict=False):
        t += dt
        node = nodes.get(sample)
        if node is None or not nav <= t <= until:
            continue
        frame = node["callFrame"]
        url = frame.get("url", "").rsplit("/", 1)[-1].split("?")[0]
        key = url if url else frame.get("functionName") or "(anonymous)"
        out["blob: (compiled Vue templates)" if url and len(url) == 36 and url.count("-") == 4 else key] += dt / 1e6
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--url", default=None, help="profile this running app instead of starting one")
    ap.add_argument("--trace", type=Path, default=Path("app_trace.json"), help="where the trace goes")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    with contextlib.ExitStack() as stack:
        url = args.url or stack.enter_context(serve(args.scenario))
        times = record(url, args.trace)
    raw = json.loads(args.trace.read_text())
    events = raw["traceEvents"] if isinstance(raw, dict) else raw
    pid, _ = main_thread(events)
    nav = min(e["ts"] for e in events if e.get("name") == "navigationStart" and e.get("pid") == pid)
    print(f"one cold page load of {url}, load average {load:.1f} at the start; trace in {args.trace}")
    print("  " + "; ".join(f"{k} {v:.2f} s" for k, v in times.items()))
    for label, until in (("first chart painted", times["first chart painted"]),
                         ("up to date", times["up to date (driver)"])):
        spent = self_time(events, pid, nav, nav + until * 1e6)
        busy = sum(v for k, v in spent.items() if k != "(idle)")
        print(f"renderer main thread until {label} ({until:.2f} s): busy {busy:.2f} s")
        for name, sec in spent.most_common(14):
            print(f"  {sec:6.2f} s  {name}")
    print("resources (s from navigation start, size over the wire):")
    sent = {}
    for e in events:
        data = (e.get("args") or {}).get("data") or {}
        if e.get("name") == "ResourceSendRequest" and not data.get("url", "").startswith(("blob:", "data:")):
            sent[data["requestId"]] = [data["url"], (e["ts"] - nav) / 1e6, None, 0]
        elif e.get("name") == "ResourceFinish" and data.get("requestId") in sent:
            sent[data["requestId"]][2:] = [(e["ts"] - nav) / 1e6, data.get("encodedDataLength", 0)]
    for url_, start, end, size in sorted(sent.values(), key=lambda r: r[1]):
        end_s = f"{end:6.2f}" if end is not None else "     -"
        print(f"  {start:6.2f} → {end_s}  {size / 1e3:7.0f} kB  {url_.split('?')[0][-80:]}")


if __name__ == "__main__":
    main()
