"""The tuning app in a real browser: Debian's Chromium driven by Playwright.

One ``alliance app`` server on a free port and one page serve the whole module; each test first
resets the app (and unpins). The page-load test opens its own fresh page. When a test
fails, a screenshot goes to ``test-artifacts/``. Without Chromium or Playwright these tests fail
when ``CI=true`` and are skipped with the reason elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alliance.app.state import run_ensemble, tuned_scenario
from alliance.model import load_scenario

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("ALLIANCE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
APP_SCENARIO = "energy_support_forced"
"""A scenario whose sanctions answer the economic threshold: since issue 10 the hegemon tolerates
an unchanged status quo (baseline) whatever its thresholds, so the slider would move nothing there."""
REPS = 1000  # the app's default for APP_SCENARIO; the numbers below are recomputed at this size
ECONOMIC = "hegemon.threshold.economic"
SHARE = "tuned: under sanctions that month"
FIRST_CHART_S = 15.0
"""Loose bound on navigation → first drawn chart on an idle machine, stretched by the load average
per CPU when the machine is busier (the browser then gets that fraction of a core). The target is
3 s when idle and ``benchmarks/app.py`` measures it exactly; this is no benchmark: it catches a page
that draws nothing, or draws only after a long time."""
WS_BYTES = 6_000_000
IN_VIEW = """(el) => { const r = el.getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight
         && r.right <= window.innerWidth; }"""
JS_DATA = """(meta) => {
  const d = Array.from(document.querySelectorAll('.js-plotly-plot'))
      .find(d => d.layout && d.layout.meta === meta);
  return d ? JSON.stringify(d.data.map(t => [t.name, Array.from(t.y || [])])) : null;
}"""


try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the fixtures skip (or fail in CI) with the reason
    PlaywrightTimeout = TimeoutError



def drawn(econ: float, scenario: str = APP_SCENARIO) -> float:
    """The economic threshold line the app draws for a stated ``hegemon.threshold.economic``: the
    effective threshold (tolerated status quo, issue 10), from ``model.thresholds``."""
    from alliance.model.thresholds import effective_thresholds

    return effective_thresholds({**load_scenario(scenario).params(), ECONOMIC: econ})["economic"]

def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def playwright_api():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install playwright)")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        yield p


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from alliance.app.assets import ensure_assets

    try:
        ensure_assets()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"Solara's front-end assets are not available offline: {exc}")
    user_dir = tmp_path_factory.mktemp("user_scenarios")
    port = _free_port()
    log = open(tmp_path_factory.mktemp("log") / "server.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from alliance.cli import main; main()", "app", APP_SCENARIO,
         "--port", str(port), "--scenarios-dir", str(user_dir)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 90
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            log.seek(0)
            os.killpg(proc.pid, signal.SIGTERM) if proc.poll() is None else None
            pytest.fail(f"alliance app did not start on port {port}:\n{log.read()[-3000:]}")
        time.sleep(0.3)
    yield {"url": url, "port": port, "user_dir": user_dir, "pid": proc.pid}
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


@pytest.fixture(scope="module")
def page(playwright_api, server):
    browser = playwright_api.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    pg = browser.new_page(viewport={"width": 1500, "height": 1200})
    pg.set_default_timeout(60_000)
    pg.goto(server["url"])
    pg.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 4", timeout=90_000)
    pg.wait_for_selector(".status.ready", timeout=60_000)
    yield pg
    browser.close()


@pytest.fixture(autouse=True)
def screenshot_on_failure(request):
    failed_before = request.session.testsfailed
    yield
    if request.session.testsfailed > failed_before and "page" in request.fixturenames:
        ARTIFACTS.mkdir(exist_ok=True)
        pg = request.getfixturevalue("page")
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)


# ------------------------------------------------------------------ helpers
def chart(pg, meta: str) -> dict[str, list[float]]:
    raw = pg.evaluate(JS_DATA, meta)
    assert raw is not None, f"no chart {meta!r} on the page"
    return {name: y for name, y in json.loads(raw)}


def wait_ready(pg) -> None:
    pg.wait_for_selector(".status.ready", timeout=30_000)


def wait_until(pg, meta: str, predicate, timeout_s: float = 30) -> dict:
    deadline = time.time() + timeout_s
    while True:
        raw = pg.evaluate(JS_DATA, meta)  # None until the browser has drawn the chart
        data = {} if raw is None else {name: y for name, y in json.loads(raw)}
        if raw is not None and predicate(data):
            return data
        if time.time() > deadline:
            assert raw is not None, f"no chart {meta!r} on the page after {timeout_s} s"
            brief = {k: (v if len(v) <= 2 else [*v[:3], "…"]) for k, v in data.items()}
            raise AssertionError(f"chart {meta!r} did not reach the expected state: {brief}")
        time.sleep(0.2)


def reset(pg) -> None:
    for _ in range(20):  # unpin everything (a click during a re-render may be lost: retry)
        n = pg.locator("button.pin-chip").count()
        if n == 0:
            break
        pg.locator("button.pin-chip").first.click()
        with contextlib.suppress(PlaywrightTimeout):
            pg.wait_for_function(f"document.querySelectorAll('button.pin-chip').length < {n}",
                                 timeout=10_000)
    assert pg.locator("button.pin-chip").count() == 0
    pg.locator("button.reset").click()
    wait_until(pg, "threat", lambda d: d["economic threshold"] == d["economic threshold (untuned)"])
    wait_ready(pg)


def type_value(pg, name: str, text: str) -> None:
    box = pg.locator(f".param-{name.replace('.', '-')} input[type=text]")
    box.fill(text)
    box.press("Enter")


def pick_scenario(pg, label: str) -> None:
    pg.locator(".controls .v-select").first.click()
    pg.locator(".v-overlay .v-list-item", has_text=label).first.click()


def expected_probability(economic: float | None) -> np.ndarray:
    base = load_scenario(APP_SCENARIO)
    overrides = {} if economic is None else {ECONOMIC: economic}
    return run_ensemble(tuned_scenario(base, overrides, REPS, base.seed)).sanctions_probability()


# ------------------------------------------------------------------ tests
def test_app_starts_on_a_free_port_bound_to_localhost(page, server):
    metas = page.evaluate("Array.from(document.querySelectorAll('.js-plotly-plot')).map(d => d.layout.meta)")
    assert {"sanctions", "threat", "cooperation", "summary"} <= set(metas)
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if Path(table).exists():
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                addr, port = local.rsplit(":", 1)
                if state == "0A" and int(port, 16) == server["port"]:
                    listening.append(addr)
    assert listening and all(a == "0100007F" for a in listening), listening  # 127.0.0.1 only


def test_moving_the_slider_changes_the_sanctions_chart_and_moves_the_threshold_line(page):
    reset(page)
    before = chart(page, "sanctions")
    np.testing.assert_allclose(before[SHARE], expected_probability(None), atol=1e-6)
    values = load_scenario(APP_SCENARIO).params()
    default = values[ECONOMIC]
    target = round(max(values["hegemon.threshold.diplomatic"] + 0.02, default - 0.12), 2)
    css = f".param-{ECONOMIC.replace('.', '-')}"
    box = page.locator(f"{css} input[type=text]")
    value = default
    while value > target + 1e-9:  # keyboard steps of 0.01; each one reaches the server (debounced)
        page.locator(f"{css} [role=slider]").focus()
        page.keyboard.press("ArrowLeft")
        value = round(value - 0.01, 2)
        page.wait_for_function("([el, v]) => el.value === v", arg=[box.element_handle(), f"{value:g}"],
                               timeout=15_000)
    threat = wait_until(page, "threat", lambda d: abs(d["economic threshold"][0] - drawn(target)) < 1e-9)
    assert threat["economic threshold"] == pytest.approx([drawn(target)] * 2)
    assert threat["economic threshold (untuned)"] == pytest.approx([drawn(default)] * 2)
    after = wait_until(page, "sanctions", lambda d: d[SHARE] != before[SHARE])
    assert after["untuned"] == pytest.approx(before["untuned"])
    np.testing.assert_allclose(after[SHARE], expected_probability(target), atol=1e-6)
    assert max(after["tuned"]) > max(before["tuned"])
    assert page.locator(f".param-{ECONOMIC.replace('.', '-')} input[type=text]").input_value() == f"{target:g}"


@pytest.mark.parametrize("text, fragment", [
    ("abc", "is not a number"),
    ("1.5", "outside its range"),
    ("0.95", "diplomatic < economic < military"),
])
def test_a_bad_number_shows_a_message_and_keeps_the_last_valid_state(page, text, fragment):
    reset(page)
    type_value(page, ECONOMIC, "0.6")
    wait_until(page, "threat", lambda d: d["economic threshold"][0] == pytest.approx(drawn(0.6)))
    wait_ready(page)
    sanctions = chart(page, "sanctions")
    type_value(page, ECONOMIC, text)
    message = page.locator(".app-message")
    message.wait_for(timeout=15_000)
    assert fragment in message.inner_text()
    assert "kept hegemon.threshold.economic = 0.6" in message.inner_text()
    box = page.locator(f".param-{ECONOMIC.replace('.', '-')} input[type=text]")
    page.wait_for_function("(el) => el.value === '0.6'", arg=box.element_handle(), timeout=10_000)
    time.sleep(0.6)  # longer than the debounce: a recomputation would have shown by now
    wait_ready(page)
    assert chart(page, "sanctions") == sanctions
    assert chart(page, "threat")["economic threshold"] == pytest.approx([drawn(0.6)] * 2)
    assert page.locator(f".param-{ECONOMIC.replace('.', '-')} [role=slider]").get_attribute(
        "aria-valuenow") == "0.6"


def test_save_as_scenario_reproduces_the_apps_numbers_through_alliance_run(page, server, tmp_path):
    reset(page)
    type_value(page, ECONOMIC, "0.57")
    shown = wait_until(page, "threat", lambda d: d["economic threshold"][0] == pytest.approx(drawn(0.57)))
    wait_ready(page)
    shown = chart(page, "sanctions")
    name_box = page.locator(".save-name input")
    name_box.fill("../escape")
    page.locator("button.save-button").click()
    page.locator(".app-message").wait_for()
    assert "not a valid scenario name" in page.locator(".app-message").inner_text()
    name_box.fill("tuned_in_browser")
    page.locator("button.save-button").click()
    page.wait_for_function("() => document.querySelector('.app-message')?.innerText.includes('saved')")
    saved = server["user_dir"] / "tuned_in_browser.yaml"
    assert saved.exists()
    assert sorted(p.name for p in server["user_dir"].iterdir()) == ["tuned_in_browser.yaml"]
    assert not list(server["user_dir"].parent.rglob("escape*"))  # the refused name wrote nothing
    sc = load_scenario(saved)
    assert sc.params()[ECONOMIC] == 0.57
    assert sc.extends == APP_SCENARIO
    out = tmp_path / "res.csv"
    run = subprocess.run(
        [sys.executable, "-c", "from alliance.cli import main; main()", "run", str(saved),
         "--seed", str(sc.seed), "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    traj = pd.read_csv(out)
    assert traj["replication"].nunique() == REPS
    np.testing.assert_allclose(traj.groupby("month")["sanctions"].mean(), shown[SHARE], atol=1e-6)
    # the saved scenario is now in the picker; opened, it is the new untuned reference
    pick_scenario(page, "user: tuned_in_browser")
    threat = wait_until(page, "threat", lambda d: d["economic threshold (untuned)"][0] == pytest.approx(drawn(0.57)))
    assert threat["economic threshold"] == pytest.approx([drawn(0.57)] * 2)
    wait_ready(page)
    np.testing.assert_allclose(chart(page, "sanctions")["untuned"], shown["tuned"], atol=1e-6)
    pick_scenario(page, APP_SCENARIO)
    wait_until(page, "threat", lambda d: d["economic threshold (untuned)"][0] == pytest.approx(
        drawn(load_scenario(APP_SCENARIO).params()[ECONOMIC])))


def test_replay_opens_at_the_first_sanctions_month_and_matches_the_batch(page):
    reset(page)
    type_value(page, ECONOMIC, "0.55")
    wait_until(page, "threat", lambda d: d["economic threshold"][0] == pytest.approx(drawn(0.55)))
    wait_ready(page)
    base = load_scenario(APP_SCENARIO)
    ens = run_ensemble(tuned_scenario(base, {ECONOMIC: 0.55}, REPS, base.seed))
    r = ens.first_sanctioned()
    month = ens.first_sanctions_month(r)
    page.locator("button.replay-first-sanctions").click()
    page.wait_for_function(f"() => document.querySelector('.replay-position')?.innerText"
                           f".includes('replication {r} · month {month} of 36')")
    opened = wait_until(page, "replay", lambda d: len(d["replay: Hegemon's perceived threat"]) == month + 1)
    assert opened["replay: Escalation"][-1] >= 2  # opens where the sanctions begin
    page.locator("button.replay-end").click()
    page.wait_for_function("() => document.querySelector('.replay-position').innerText.includes('month 36 of 36')")
    data = wait_until(page, "replay", lambda d: len(d["replay: Hegemon's perceived threat"]) == 37)
    batch = ens.replication(r)
    for name, label in (("threat", "Hegemon's perceived threat"),
                        ("coop_energy", "Cooperation with the partner: energy"), ("escalation", "Escalation")):
        np.testing.assert_allclose(data[f"replay: {label}"], batch[name], atol=1e-6)
        assert data[f"replay: {label}"] == data[f"ensemble: {label}"]
    assert "escalation step" in data  # the months the hegemon escalated are marked
    table = page.locator(".replay-panel").inner_text()
    assert "Russia (hegemon)" in table and "Kazakhstan (balancer)" in table
    assert "Cooperation with the partner: energy" in table and "coop_energy" not in table


def test_download_gives_the_tuned_results_as_csv(page, tmp_path):
    reset(page)
    type_value(page, ECONOMIC, "0.6")
    wait_until(page, "threat", lambda d: d["economic threshold"][0] == pytest.approx(drawn(0.6)))
    wait_ready(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_text("Download per-replication summary (CSV)").click()
    path = tmp_path / "summary.csv"
    info.value.save_as(path)
    got = pd.read_csv(path)
    base = load_scenario(APP_SCENARIO)
    ens = run_ensemble(tuned_scenario(base, {ECONOMIC: 0.6}, REPS, base.seed))
    assert len(got) == REPS
    np.testing.assert_array_equal(got["sanctions_ever"], ens.summary["sanctions_ever"])
    np.testing.assert_allclose(got["final_coop_energy"], ens.summary["final_coop_energy"], rtol=1e-6)


def test_page_load_draws_the_first_chart_quickly_with_no_errors_and_little_websocket_traffic(
        playwright_api, server):
    """Fresh browser, empty cache: plotly.js comes once as a static file, never over the websocket."""
    browser = playwright_api.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        pg = browser.new_page(viewport={"width": 1400, "height": 900})
        errors, failed, ws_bytes, scripts = [], [], [0], []
        pg.on("requestfinished", lambda r: scripts.append(r.url.rsplit("/", 1)[-1].split("?")[0]))
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
        pg.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        pg.on("websocket", lambda ws: ws.on("framereceived", lambda f: ws_bytes.__setitem__(
            0, ws_bytes[0] + len(f if isinstance(f, bytes) else f.encode()))))
        load = max(os.getloadavg()[0] / (os.cpu_count() or 1), 1.0)
        t0 = time.perf_counter()
        pg.goto(server["url"], wait_until="commit")
        pg.wait_for_function("document.querySelector('.js-plotly-plot .main-svg') !== null",
                             timeout=max(90, 2 * FIRST_CHART_S * load) * 1000, polling=50)
        first = time.perf_counter() - t0
        pg.wait_for_selector(".status.ready", timeout=60_000)
        pg.wait_for_timeout(1000)
        drawn = pg.evaluate("document.querySelectorAll('.js-plotly-plot .main-svg').length")
        print(f"first chart after {first:.2f} s; websocket {ws_bytes[0] / 1e6:.2f} MB; "
              f"load average {os.getloadavg()[0]:.1f} (bound {FIRST_CHART_S * load:.0f} s)")
        assert errors == []
        assert failed == []
        assert drawn >= 4 * 2  # four charts drawn ("up to date" only after they are)
        assert pg.locator(".chart-placeholder").count() == 0
        # the panels below the charts follow once the charts are drawn
        assert pg.locator(".replay-panel").count() == 1
        assert pg.locator(".below-pending").count() == 0
        assert ws_bytes[0] <= WS_BYTES
        # plotly.js's cartesian bundle, never the full one: it is what the first chart waits for
        assert "plotly-cartesian.min.js" in scripts
        assert "plotly.min.js" not in scripts
        assert first <= FIRST_CHART_S * load
    finally:
        browser.close()


FIRST_CHART_STATE = """(() => {
  // when the first chart's SVG enters the page (a microtask after the mutation): where it is
  new MutationObserver((records, observer) => {
    const svg = document.querySelector('.js-plotly-plot .main-svg');
    if (!svg) { return; }
    observer.disconnect();
    const gd = svg.closest('.js-plotly-plot');
    const overlay = document.getElementById('alliance-opening');
    window.__firstChart = {
      meta: gd.layout && gd.layout.meta, pre_rendered: !!(overlay && overlay.contains(gd)),
      status: overlay ? overlay.innerText : '', ready: !!document.querySelector('.status.ready'),
      data: gd.data.map(t => [t.name, Array.from(t.y || [])])};
  }).observe(document, {childList: true, subtree: true});
})();"""


def test_the_first_charts_come_drawn_in_the_pages_html_and_the_live_charts_take_them_over(
        playwright_api, server):
    """The opening state's charts are drawn from the page's first HTML before Solara's front end
    boots: the real computed result, never called "up to date"; the live charts then take over those
    very plots (no second drawing), and "up to date" follows."""
    browser = playwright_api.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        ctx.add_init_script(FIRST_CHART_STATE)
        pg = ctx.new_page()
        errors: list[str] = []
        compiler: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.on("request", lambda r: compiler.append(r.url) if "nodeps-vue-sfc.js" in r.url else None)
        pg.goto(server["url"], wait_until="commit")
        pg.wait_for_function("window.__firstChart !== undefined", timeout=90_000)
        first = pg.evaluate("window.__firstChart")
        assert first["pre_rendered"], first
        assert first["meta"] == "sanctions"
        assert not first["ready"]
        assert "loading the controls" in first["status"] and "up to date" not in first["status"]
        pre = dict(first["data"])
        np.testing.assert_allclose(pre[SHARE], expected_probability(None), atol=1e-6)
        pg.wait_for_selector(".status.ready", timeout=90_000)
        assert pg.locator("#alliance-opening").count() == 0
        taken = pg.evaluate("""() => Array.from(document.querySelectorAll('.alliance-chart'))
            .filter(c => c.querySelector('.opening-chart.js-plotly-plot .main-svg'))
            .map(c => c.querySelector('.js-plotly-plot').layout.meta)""")
        assert sorted(taken) == sorted(["sanctions", "threat", "cooperation", "summary"])
        assert chart(pg, "sanctions") == pre
        assert errors == []
        assert len(compiler) == 1, compiler  # preloaded by the page's HTML, fetched once
    finally:
        browser.close()


def test_the_tipping_map_draws_its_cells(page):
    reset(page)
    page.locator("button.tipping-compute").click()
    page.wait_for_function("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .some(d => d.layout && d.layout.meta === 'tipping' && d.querySelector('.heatmaplayer image'))""",
                           timeout=240_000)
    cells = page.evaluate("""() => { const d = Array.from(document.querySelectorAll('.js-plotly-plot'))
        .find(d => d.layout && d.layout.meta === 'tipping');
      const h = d.data.find(t => t.type === 'heatmap');
      return Array.from(h.z).flatMap(row => Array.from(row)); }""")
    assert len(cells) == 16 * 16
    assert sum(isinstance(v, (int, float)) for v in cells) >= 128  # most cells carry a probability


def test_pinning_two_runs_overlays_them_labelled_by_their_difference(page):
    reset(page)
    page.locator("button.pin-button").click()
    page.locator("button.pin-chip").wait_for()
    wait_ready(page)  # the pin re-renders the controls: type into the new input, not the old one
    type_value(page, ECONOMIC, "0.55")
    wait_until(page, "threat", lambda d: d["economic threshold"][0] == pytest.approx(drawn(0.55)))
    wait_ready(page)
    page.locator("button.pin-button").click()
    default = load_scenario(APP_SCENARIO).params()[ECONOMIC]
    first = f"#1 hegemon threshold: economic = {default:g}"
    second = "#2 hegemon threshold: economic = 0.55"
    data = wait_until(page, "sanctions", lambda d: first in d and second in d)
    base = load_scenario(APP_SCENARIO)
    for label, econ in ((first, None), (second, 0.55)):
        ens = run_ensemble(tuned_scenario(base, {} if econ is None else {ECONOMIC: econ}, REPS, base.seed))
        ever = np.maximum.accumulate(ens.outcome("sanctions") > 0.5, axis=0).mean(axis=1)
        np.testing.assert_allclose(data[label], ever, atol=1e-9)
    assert data[second][-1] > data[first][-1]
    assert page.locator("button.pin-chip").count() == 2


def _visible_after(page, click, fragment: str) -> None:
    """Click, wait for the message containing ``fragment``, and require it inside the viewport."""
    click()
    msg = page.locator(".app-message", has_text=fragment)
    msg.wait_for(timeout=20_000)
    page.wait_for_function(IN_VIEW, arg=msg.element_handle(), timeout=5_000)


def test_every_message_is_visible_in_the_viewport_after_the_click_that_caused_it(page):
    reset(page)
    page.locator(".alliance-title").scroll_into_view_if_needed()
    _visible_after(page, lambda: type_value(page, ECONOMIC, "abc"), "is not a number")
    name_box = page.locator(".save-name input")
    name_box.fill("../bad name")
    _visible_after(page, lambda: page.locator("button.save-button").click(), "not a valid scenario name")
    page.locator(".alliance-title").scroll_into_view_if_needed()
    wait_ready(page)
    _visible_after(page, lambda: page.locator("button.pin-button").click(), "pinned run #1")
    wait_ready(page)
    _visible_after(page, lambda: page.locator("button.pin-button").click(), "already pinned")
    reps = page.locator(".reps-input input")
    _visible_after(page, lambda: (reps.fill("7"), reps.press("Enter")), "replications = 7")


def test_the_sidebar_stays_on_screen_while_the_charts_scroll(page):
    reset(page)
    page.locator(".tipping-panel").scroll_into_view_if_needed()
    page.wait_for_function(IN_VIEW, arg=page.locator(".tipping-panel").element_handle())
    assert not page.evaluate(IN_VIEW, page.locator(".status").element_handle())  # the charts scrolled
    for css in (".alliance-title", f".param-{ECONOMIC.replace('.', '-')} input[type=text]"):
        assert page.evaluate(IN_VIEW, page.locator(css).element_handle()), css
    rows = page.locator(".param-row").all()
    heights = [r.bounding_box()["height"] for r in rows]
    assert max(heights) <= 60  # compact rows: label, slider, value and unit on one line
