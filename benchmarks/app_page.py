"""Shared by ``benchmarks/app.py`` and ``benchmarks/screens_app.py``: serve ``alliance app`` on a free
port and load its page in Debian's Chromium (Playwright), measuring what a page load costs.

CPU times come from ``/proc`` (Linux; elsewhere they are reported as NaN): the browser's processes
(Chromium started by this process), the renderer's main thread (where the page's scripts, layout and
plotly run) and the server's process tree. On a shared machine they are steadier than wall times,
which stretch with the load average.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = os.environ.get("ALLIANCE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 900}
FIRST_CHART = "document.querySelector('.js-plotly-plot .main-svg') !== null"
FIRST_PAINT = """(() => {
  // in the page, from navigation start: the animation frame after the first chart's SVG appeared,
  // i.e. the frame that shows it (the driver's poll can run later, when the page is busy)
  const seen = () => document.querySelector('.js-plotly-plot .main-svg') !== null;
  new MutationObserver((records, observer) => {
    if (!seen()) { return; }
    observer.disconnect();
    requestAnimationFrame(() => { window.__allianceFirstChartPaint = performance.now(); });
  }).observe(document, {childList: true, subtree: true});
})();"""


SERVER_PIDS: dict[str, int] = {}
"""Process id of the server behind each URL that ``serve`` yields (for its CPU time)."""
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _processes() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds so far) for every process ``/proc`` shows."""
    out = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                out[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK)
    return out


def _tree(procs: dict[int, tuple[int, float]], root: int) -> set[int]:
    pids, grown = {root}, True
    while grown:
        grown = False
        for pid, (parent, _) in procs.items():
            if parent in pids and pid not in pids:
                pids.add(pid)
                grown = True
    return pids


def _renderer_main_threads(pids: set[int]) -> dict[int, float]:
    """CPU seconds of each renderer process's main thread among ``pids``."""
    out = {}
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            if b"--type=renderer" in Path(f"/proc/{pid}/cmdline").read_bytes():
                fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                out[pid] = (int(fields[11]) + int(fields[12])) / _TICK
    return out


@dataclass
class CpuClock:
    """CPU seconds used since ``start()`` by the browser (this process's descendants but itself and
    the Playwright driver: Chromium), the renderer's main threads, and the server's process tree."""

    server_pid: int | None
    _procs: dict[int, tuple[int, float]] | None = None
    _main: dict[int, float] | None = None

    def _browser(self, procs: dict[int, tuple[int, float]]) -> set[int]:
        mine = _tree(procs, os.getpid()) - {os.getpid()}
        return {p for p in mine if _is_chromium(p)}

    def start(self) -> None:
        self._procs = _processes()
        self._main = _renderer_main_threads(self._browser(self._procs))

    def read(self) -> tuple[float, float, float]:
        """(browser, renderer main threads, server) CPU seconds since ``start``; NaN without /proc."""
        now = _processes()
        if not now or self._procs is None or self._main is None:
            return math.nan, math.nan, math.nan
        browser = self._browser(now)

        def used(pids: set[int]) -> float:
            return sum(now[p][1] - self._procs.get(p, (0, 0.0))[1] for p in pids if p in now)

        main = _renderer_main_threads(browser)
        renderer = sum(v - self._main.get(p, 0.0) for p, v in main.items())
        server = used(_tree(now, self.server_pid)) if self.server_pid in now else math.nan
        return used(browser), renderer, server


def _is_chromium(pid: int) -> bool:
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return False
    return name.startswith(("chrom", "headless"))


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
            SERVER_PIDS[url] = proc.pid
            yield url
        finally:
            SERVER_PIDS.pop(url, None)
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
    (as the driver's 50 ms poll first sees it, and as the page's frame that shows it), time to
    "up to date", CPU seconds up to the first chart (browser, its renderer's main thread, server),
    the 1-minute load average when it began, console errors, failed requests and the plotly.js file
    the page loaded."""

    ws_bytes_received: int
    ws_bytes_sent: int
    first_chart_s: float
    ready_s: float
    console_errors: list[str]
    failed_requests: list[str]
    browser_cpu_s: float = math.nan
    renderer_main_cpu_s: float = math.nan
    server_cpu_s: float = math.nan
    load_average: float = math.nan
    plotly_js: list[str] = field(default_factory=list)
    first_paint_s: float = math.nan


def _size(payload: object) -> int:
    return len(payload.encode() if isinstance(payload, str) else payload)  # type: ignore[arg-type]


def load_page(browser, url: str, timeout_s: float = 120) -> tuple[PageLoad, object]:
    """Open ``url`` in a fresh context (empty cache), wait for the first chart and "up to date"."""
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.add_init_script(FIRST_PAINT)
    page = ctx.new_page()
    page.goto("about:blank")  # the browser's own start is not the page's cost
    got, sent = [0], [0]
    errors: list[str] = []
    failed: list[str] = []
    plotly_js: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfinished", lambda r: plotly_js.append(r.url.rsplit("/", 1)[-1])
            if "plotly" in r.url.rsplit("/", 1)[-1] and r.url.endswith(".js") else None)

    def on_ws(ws) -> None:
        ws.on("framereceived", lambda f: got.__setitem__(0, got[0] + _size(f)))
        ws.on("framesent", lambda f: sent.__setitem__(0, sent[0] + _size(f)))

    page.on("websocket", on_ws)
    clock = CpuClock(SERVER_PIDS.get(url))
    clock.start()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(FIRST_CHART, timeout=timeout_s * 1000, polling=50)
    t1 = time.perf_counter()
    cpu = clock.read()
    page.wait_for_selector(".status.ready", timeout=timeout_s * 1000)
    t2 = time.perf_counter()
    page.wait_for_timeout(500)  # let late frames and requests arrive
    painted = page.evaluate("window.__allianceFirstChartPaint")
    painted_s = painted / 1000 if isinstance(painted, (int, float)) else math.nan
    return PageLoad(got[0], sent[0], t1 - t0, t2 - t0, errors, failed, *cpu, load, plotly_js,
                    painted_s), page
