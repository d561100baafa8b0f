"""The offline report in a real browser: Debian's Chromium driven by Playwright, network disabled.

The report of a small study (compared with a second one) must open from a file with every request
other than file:/data:/blob: refused, log no console error, and draw every chart div with data.
On failure a screenshot goes to ``test-artifacts/``. Without Chromium or Playwright these tests
fail when ``CI=true`` and are skipped with the reason elsewhere.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from alliance.analysis.report import write_report
from alliance.study.batch import run_batch

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("ALLIANCE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--host-resolver-rules=MAP * ~NOTFOUND"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LOCAL = ("file:", "data:", "blob:", "about:")
JS_CHARTS = """() => {
  // count finite numbers in (possibly nested, possibly typed) arrays, as plotly.js decoded them
  const count = v => (v === null || v === undefined) ? 0
      : (ArrayBuffer.isView(v) || Array.isArray(v)) ? Array.from(v).reduce((n, e) => n + count(e), 0)
      : (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' ? 1 : 0;
  return Array.from(document.querySelectorAll('.plotly-graph-div')).map(d => ({
    id: d.id,
    drawn: d.querySelectorAll('.main-svg').length,
    traces: (d._fullData || []).length,
    points: (d._fullData || []).reduce((n, t) => n + count(t.x) + count(t.y) + count(t.z), 0),
  }));
}"""


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


def _chromium_available() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed (pip install playwright)")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("report")
    # energy_support_forced draws sanctions (since issue 10 the others may not), so the report has
    # sanctions distributions to draw rather than "never (0 of n)" notes
    a = run_batch(["baseline", "russia_hardline", "energy_support_forced"], replications=80,
                  out=root / "results" / "pair", progress=False)
    b = run_batch(["energy_support_georgia_ukraine"], replications=80, out=root / "results" / "energy",
                  progress=False)
    out = root / "report.html"
    n, _ = write_report([a.path, b.path], out)
    return {"path": out, "charts": n, "study": a}


@pytest.fixture(scope="module")
def opened(report: dict):
    _chromium_available()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000})
        refused: list[str] = []

        def guard(route) -> None:  # type: ignore[no-untyped-def]
            if route.request.url.startswith(LOCAL):
                route.continue_()
            else:
                refused.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
        page.goto(report["path"].as_uri(), wait_until="load", timeout=60_000)
        page.wait_for_function(
            f"document.querySelectorAll('.plotly-graph-div .main-svg').length >= {report['charts']}",
            timeout=60_000)
        yield {"page": page, "errors": errors, "refused": refused}
        browser.close()


@pytest.fixture(autouse=True)
def screenshot_on_failure(request):  # type: ignore[no-untyped-def]
    failed_before = request.session.testsfailed
    yield
    if request.session.testsfailed > failed_before and "opened" in request.fixturenames:
        ARTIFACTS.mkdir(exist_ok=True)
        page = request.getfixturevalue("opened")["page"]
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)


def test_every_chart_div_holds_data(opened, report) -> None:  # type: ignore[no-untyped-def]
    charts = opened["page"].evaluate(JS_CHARTS)
    assert len(charts) == report["charts"] >= 15
    empty = [c["id"] for c in charts if c["traces"] == 0 or c["points"] == 0 or c["drawn"] == 0]
    assert not empty, f"charts without data: {empty}"


def test_no_console_errors_and_no_network(opened) -> None:  # type: ignore[no-untyped-def]
    assert opened["errors"] == []
    assert opened["refused"] == [], f"the report asked the network for {opened['refused'][:5]}"


def test_report_contents(opened, report) -> None:  # type: ignore[no-untyped-def]
    text = opened["page"].inner_text("body")
    # the question, the scenario text, parameters with provenance, tables, appendix
    assert "Question: if nothing new is asked of it" in text
    assert "horizon_months: 36" in text
    assert "hegemon.threshold.economic" in text and "provenance" in text
    assert "russia_hardline" in text and "energy_support_georgia_ukraine" in text
    assert "Outcomes × scenarios: estimate [95 % interval]" in text
    # the answer comes first: key findings (with intervals) before the questions and the evidence
    body = text.split("Key findings", 2)[2]  # after the nav link and the heading
    assert body.index("95 % interval") < body.index("Question: if nothing new is asked of it")
    manifest = report["study"].manifest
    assert manifest["scenarios"][0]["sha256"] in text
    assert str(manifest["seed"]) in text or str(manifest["scenarios"][0]["seed"]) in text
    html = report["path"].read_text()
    assert html.count("<script") >= report["charts"]
    assert html.count("plotly.js v") == 1  # the library embedded once, not per chart
    assert html.count("Plotly.newPlot(") == report["charts"]
    assert 'src="http' not in html and "cdn.plot.ly/plotly" not in html.split("</script>", 1)[1]


def test_png_export(report, tmp_path: Path) -> None:
    _chromium_available()
    from alliance.analysis import charts
    from alliance.analysis.page import write_pngs

    study = report["study"]
    fig = charts.fan_chart(study.trajectories(["threat"]), "threat")
    (png,) = write_pngs([fig], tmp_path / "png", ["fan_threat"])
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
