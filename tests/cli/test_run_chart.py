"""`alliance run SCENARIO --chart FILE.html`: one offline page, written atomically, whose first screen
states P(sanctions) with its 95 % interval and draws the sanctions curve."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from alliance.analysis import labels
from alliance.analysis.runpage import build_run_page
from alliance.analysis.tables import wilson_interval
from alliance.cli import app
from alliance.model import simulate
from alliance.model.scenario_files import load_scenario

SCEN, R, SEED = "energy_support_georgia_ukraine", 400, 3


@pytest.fixture(scope="module")
def page_html(tmp_path_factory) -> tuple[str, str]:
    out = tmp_path_factory.mktemp("chart") / "energy.html"
    res = CliRunner().invoke(app, ["run", SCEN, "-r", str(R), "--seed", str(SEED), "--chart", str(out)])
    assert res.exit_code == 0, res.output
    assert str(out) in res.output.replace("\n", "")  # the path is printed; nothing is opened
    return out.read_text(encoding="utf-8"), res.output


def _first_screen(text: str) -> str:
    """Everything before the first section heading (the page opens with the answer)."""
    return text.split("<h2", 1)[0]


def test_page_is_offline(page_html):
    text, _ = page_html
    assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", text, flags=re.I)
    assert len(re.findall(r"plotly\.js v\d", text)) == 1  # plotly.js inlined, once
    assert len(text) > 3_000_000


def test_first_screen_states_p_sanctions_with_interval(page_html):
    text, _ = page_html
    summ = simulate(SCEN, replications=R, seed=SEED).summary
    k, n = int(summ["sanctions_ever"].sum()), len(summ)
    lo, hi = wilson_interval(k, n, 1.959963984540054)
    first = _first_screen(text)
    lead = re.search(r"id='answer'>(.*?)</p>", first).group(1)
    if k:
        want = f"<b>{labels.pct(k / n)}</b> (95 % interval {labels.pct(lo)}–{labels.pct(hi)}; {k:,} of {n:,} runs)"
    else:
        want = f"never in {n:,} runs (95 % interval 0–{labels.pct(hi)})"
    assert want in lead
    assert "chart-0" in first  # the sanctions curve is on the first screen, before any section


def test_sanctions_curve_is_cumulative_p_ever_and_share_per_month():
    sc = load_scenario(SCEN)
    res = simulate(sc, replications=R, seed=SEED)
    page = build_run_page(sc, res.summary, res.trajectories, res.seed)
    fig = page.figures[0]
    by_name = {t.name: t for t in fig.data}
    cum = by_name["P(sanctioned by this month) — cumulative"]
    share = by_name["share of runs under sanctions in this month"]
    first = res.summary["first_sanctions_month"].astype("Float64").to_numpy(dtype=float, na_value=np.inf)
    months = np.asarray(cum.x)
    np.testing.assert_allclose(np.asarray(cum.y), [(first <= m).mean() for m in months])
    per_month = res.trajectories.groupby("month")["sanctions"].mean()
    np.testing.assert_allclose(np.asarray(share.y), per_month.loc[months].to_numpy())
    assert np.all(np.diff(np.asarray(cum.y)) >= 0)
    # the y axis is scaled to the data, not fixed at 0–1
    assert fig.layout.yaxis.range[1] < 1 or np.asarray(cum.y).max() > 0.8
    # the scenario's event (month 3) is marked
    assert [s.x0 for s in fig.layout.shapes] == [ev.month for ev in sc.events]
    json.loads(fig.to_json())


def test_chart_write_is_atomic(tmp_path, monkeypatch):
    out = tmp_path / "page.html"
    out.write_text("old", encoding="utf-8")

    def broken(self: Path, data: str, *a, **k):  # writes half the page, then the disk fills
        with open(self, "w", encoding="utf-8") as fh:
            fh.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", broken)
    res = CliRunner().invoke(app, ["run", SCEN, "-r", "20", "--chart", str(out)])
    assert res.exit_code != 0
    monkeypatch.undo()
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


@pytest.mark.parametrize("args", [["--chart", "x.png"], ["--chart", "x.html", "--replay", "2"]])
def test_chart_bad_options_exit_2(tmp_path, args):
    res = CliRunner().invoke(app, ["run", SCEN, "-r", "5", *args])
    assert res.exit_code == 2
    assert "--chart" in res.output
