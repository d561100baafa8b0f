"""Shared by ``benchmarks/app.py`` and ``benchmarks/screens_app.py``: serve ``alliance app`` on a free
port and load its page in Debian's Chromium (Playwright), measuring what a page load costs."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = os.environ.get("ALLIANCE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 900}
FIRST_CHART = "document.querySelector('.js-plotly-plot .main-svg') !== null"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(scenario: str = "baseline", command: list[str] | None = None) -> Iterator[str]:
    """``alliance app SCENARIO`` on a free port (its own process group, stopped on exit); yields the URL
    once the server answers (it computes the opening scenario before it listens).

    Solara's front-end packages and plotly.js's cartesian bundle are cached first, as the browser
    tests do (``python -m alliance.app.assets``)."""
    from alliance.app.assets import ensure_assets

    try:
        ensure_assets()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        raise SystemExit(f"front-end assets are not available offline: {exc}") from None
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        cmd = command or [sys.executable, "-m", "alliance"]
        log = open(Path(tmp) / "server.log", "w+")  # noqa: SIM115 - closed below
        proc = subprocess.Popen([*cmd, "app", scenario, "--port", str(port), "--scenarios-dir",
                                 str(Path(tmp) / "user")], stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.time() + 120
            while True:
                with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
                if proc.poll() is not None or time.time() > deadline:
                    log.seek(0)
                    raise SystemExit(f"alliance app did not start:\n{log.read()[-2000:]}")
                time.sleep(0.3)
            yield url
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
            log.close()


@dataclass
class PageLoad:
    """What one page load cost: bytes over the websocket (both ways), time to the first drawn chart
    and to "up to date", console errors and failed requests."""

    ws_bytes_received: int
    ws_bytes_sent: int
    first_chart_s: float
    ready_s: float
    console_errors: list[str]
    failed_requests: list[str]


def _size(payload: object) -> int:
    return len(payload.encode() if isinstance(payload, str) else payload)  # type: ignore[arg-type]


def load_page(browser, url: str, timeout_s: float = 120) -> tuple[PageLoad, object]:
    """Open ``url`` in a fresh context (empty cache), wait for the first chart and "up to date"."""
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    got, sent = [0], [0]
    errors: list[str] = []
    failed: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def on_ws(ws) -> None:
        ws.on("framereceived", lambda f: got.__setitem__(0, got[0] + _size(f)))
        ws.on("framesent", lambda f: sent.__setitem__(0, sent[0] + _size(f)))

    page.on("websocket", on_ws)
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(FIRST_CHART, timeout=timeout_s * 1000, polling=50)
    t1 = time.perf_counter()
    page.wait_for_selector(".status.ready", timeout=timeout_s * 1000)
    t2 = time.perf_counter()
    page.wait_for_timeout(500)  # let late frames and requests arrive
    return PageLoad(got[0], sent[0], t1 - t0, t2 - t0, errors, failed), page
