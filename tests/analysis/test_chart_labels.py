"""Chart acceptance (issue 12): labels, not code names; each scenario's own thresholds; sampled
thresholds as bands; answer first.

Every figure the report, ``compare``, ``map``, ``sensitivity`` and ``run --chart`` build is walked:
no title, axis title, annotation, legend entry, hover text or category tick carries a dotted
parameter name (``hegemon.threshold.economic``) or a snake_case outcome name (``coop_energy``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from alliance.analysis import charts
from alliance.analysis.compare import load_studies, measure_values, outcome_table
from alliance.analysis.findings import key_findings, pivot, risk_ratio
from alliance.analysis.labels import param_label, sig
from alliance.analysis.measures import parse_measures
from alliance.analysis.panels import threshold_ranges
from alliance.analysis.report import build_report
from alliance.analysis.report_parts import compare_page
from alliance.analysis.runpage import build_run_page
from alliance.analysis.tipping import tipping_map
from alliance.model import simulate
from alliance.model.outcomes import OUTCOMES
from alliance.model.parameters import PARAMS
from alliance.model.scenario_files import load_scenario
from alliance.model.thresholds import effective_thresholds
from alliance.study.batch import run_batch

CODE = re.compile(r"\b(?:balancer|partner|hegemon)\.[a-z_]+(?:\.[a-z_]+)?\b|\b(?:"
                  + "|".join(sorted((re.escape(n) for n in OUTCOMES if "_" in n), key=len, reverse=True)) + r")\b")


def _texts(fig: go.Figure) -> Iterator[tuple[str, str]]:
    """(where, text) of everything a reader sees: titles, axes, annotations, legend, hover, ticks."""
    lay = fig.layout
    yield "title", str(lay.title.text or "")
    yield "subtitle", str(lay.title.subtitle.text or "")
    for key in lay:
        if key.startswith(("xaxis", "yaxis")) and lay[key] is not None:
            yield key, str(lay[key].title.text or "")
            for t in lay[key].ticktext or ():
                yield f"{key} tick", str(t)
    for a in lay.annotations or ():
        yield "annotation", f"{a.text or ''} {a.hovertext or ''}"
    for tr in fig.data:
        yield "legend", str(tr.name or "")
        yield "hover", f"{getattr(tr, 'hovertemplate', '') or ''} {getattr(tr, 'hovertext', '') or ''}"
        yield "hover", " ".join(str(v) for v in np.ravel(np.asarray(getattr(tr, "text", None) or [], dtype=object)))
        cb = getattr(tr, "colorbar", None)
        if cb is not None and cb.title is not None:
            yield "colorbar", str(cb.title.text or "")
        for axis in ("x", "y"):
            vals = getattr(tr, axis, None)
            if vals is not None and len(vals) and isinstance(vals[0], str):
                yield f"{axis} category", " ".join(vals)
        cd = getattr(tr, "customdata", None)
        if cd is not None:
            yield "hover data", " ".join(str(v) for v in np.ravel(np.asarray(cd, dtype=object)) if isinstance(v, str))


def assert_no_code_names(figs: dict[str, go.Figure]) -> None:
    bad = [(name, where, m.group(0)) for name, fig in figs.items() for where, text in _texts(fig)
           for m in [CODE.search(re.sub(r"<[^>]+>", " ", text))] if m]
    assert not bad, f"code names shown to readers: {bad[:10]}"


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    root = tmp_path_factory.mktemp("labels")
    s = run_batch(["baseline", "russia_hardline", "energy_support_forced"], replications=30,
                  out=root / "pair", progress=False)
    u = run_batch(["energy_support_uncertain"], samples=24, replications=4, out=root / "unc", progress=False)
    return s, u


@pytest.fixture(scope="module")
def report(study):
    s, u = study
    _, figs, names = build_report([s.path, u.path])
    return dict(zip(names, figs, strict=True))


def test_report_figures_carry_no_code_names(report):
    assert {"forest", "fan_threat", "escalation"} <= set(report)
    assert any(n.startswith("influence_") for n in report)  # the uncertainty study's binned charts
    assert_no_code_names(report)


def test_compare_figures_carry_no_code_names(study):
    s, _ = study
    comb = load_studies([s.path])
    ms = parse_measures(["sanctions_ever", "sanctions_by:24", "final_coop_energy"])
    table = outcome_table(measure_values(comb.summary, ms, comb.trajectories), ms, "baseline", n_boot=200)
    page = compare_page(comb, table, "baseline")
    assert_no_code_names({f"compare {i}": f for i, f in enumerate(page.figures)})
    html = page.render()
    # answer first: the key findings and the forest plot come before any other chart
    assert html.index('<h2 id="findings"') < html.index('id="chart-0"') < html.index('<h2 id="scenarios"')


def test_map_sensitivity_and_run_figures_carry_no_code_names():
    sc = load_scenario("energy_support_georgia_ukraine")
    x, y = "hegemon.threshold.economic", "balancer.export_share_via_russia"

    def runner(params, ids):
        return (params[x] < 0.6 + 0.1 * params[y]).astype(float)

    m = tipping_map(sc, x, y, grid=(6, 5), replications=4, runner=runner, n_boot=10)
    figs = {"map": charts.tipping_chart(m.frame(), x, y, m.title, m.level, m.binary,
                                        point=(sc.params()[x], sc.params()[y]))}
    table = pd.DataFrame({"parameter": [x, y, "hegemon.noise_sd"], "S1": [0.5, 0.1, -0.05],
                          "S1_conf": [0.05, 0.2, 0.1], "ST": [0.7, 0.3, 1.3], "ST_conf": [0.1, 0.5, 0.2]})
    figs["sensitivity"] = charts.sensitivity_chart(table, "sobol")
    res = simulate(sc, replications=40, seed=2)
    for i, f in enumerate(build_run_page(sc, res.summary, res.trajectories, res.seed).figures):
        figs[f"run {i}"] = f
    assert_no_code_names(figs)
    # the detector itself finds a code name where there is one
    with pytest.raises(AssertionError, match=r"hegemon\.noise_sd"):
        assert_no_code_names({"bad": go.Figure(layout={"title": "effect of hegemon.noise_sd"})})
    with pytest.raises(AssertionError, match="coop_energy"):
        assert_no_code_names({"bad": go.Figure(go.Scatter(x=[1], y=[1], name="coop_energy"))})


def test_sensitivity_bars_clipped_and_unresolved_flagged():
    table = pd.DataFrame({"parameter": ["hegemon.noise_sd", "balancer.risk_aversion"], "S1": [-0.1, 0.4],
                          "S1_conf": [0.3, 0.05], "ST": [0.86, 1.2], "ST_conf": [1.27, 0.1]})
    fig = charts.sensitivity_chart(table, "sobol")
    for t in fig.data:
        x = np.asarray(t.x, dtype=float)
        assert (x >= 0).all()
        assert (x <= 1).all()
        assert (x + np.asarray(t.error_x.array, dtype=float) <= 1 + 1e-12).all()
        assert (x - np.asarray(t.error_x.arrayminus, dtype=float) >= -1e-12).all()
    assert "not resolved: raise --samples" in fig.layout.title.subtitle.text
    from alliance.analysis.charts_map import sensitivity_flags

    assert list(sensitivity_flags(table, "sobol")) == ["not resolved: raise --samples", ""]


def _shapes(fig: go.Figure, scenario: str) -> dict[str, tuple[float, float]]:
    return {s.name.split(" (")[0]: (s.y0, s.y1) for s in fig.layout.shapes
            if s.name and s.name.endswith(f"({scenario})") and "threshold" in s.name}


def test_threshold_lines_equal_each_scenarios_effective_thresholds(report):
    fig = report["fan_threat"]
    for name in ("baseline", "russia_hardline", "energy_support_forced"):
        own = effective_thresholds(load_scenario(name).params())
        lines = _shapes(fig, name)
        assert {k for k in lines if not k.endswith("band")} == {f"{r} threshold" for r in own}
        for rung, value in own.items():
            assert lines[f"{rung} threshold"][0] == pytest.approx(value)


def test_sampled_threshold_is_a_band_over_its_range(report):
    fig = report["fan_threat"]
    sc = load_scenario("energy_support_uncertain")
    shapes = _shapes(fig, "energy_support_uncertain")
    # the study samples the economic threshold U(0.55, 0.8): a shaded band, never a fixed line
    assert "economic threshold band" in shapes
    assert "economic threshold" not in shapes
    band = next(s for s in fig.layout.shapes if s.name == "economic threshold band (energy_support_uncertain)")
    assert band.type == "rect"
    assert band.fillcolor
    # every rung drawn once: a line where its effective value cannot move, a band where it can
    for rung in ("diplomatic", "economic", "military"):
        assert (f"{rung} threshold" in shapes) != (f"{rung} threshold band" in shapes)
    # independently: the effective thresholds of random draws from the sampled box lie in the band
    rng = np.random.default_rng(1)
    values = sc.params()
    box = {n: d.support() for n, d in dict(sc.uncertainties).items()}
    draws = [effective_thresholds({**values, **{n: rng.uniform(lo, hi) for n, (lo, hi) in box.items()}})
             for _ in range(400)]
    for rung in ("diplomatic", "economic", "military"):
        got = [d[rung] for d in draws]
        lo, hi = shapes.get(f"{rung} threshold band") or (shapes[f"{rung} threshold"][0],) * 2
        assert lo <= min(got) + 1e-12
        assert hi >= max(got) - 1e-12
        assert hi - lo <= 1.5 * (max(got) - min(got)) + 0.02  # tight: not the whole axis
    # the stated range reaches the band: the threshold at its low end (others as stated) is inside
    low_end = effective_thresholds({**values, "hegemon.threshold.economic": 0.55})["economic"]
    assert shapes["economic threshold band"][0] <= low_end <= shapes["economic threshold band"][1]
    assert threshold_ranges(sc)["economic"] == pytest.approx(shapes["economic threshold band"])


def test_panels_share_one_y_scale(report):
    fig = report["fan_threat"]
    ranges = {tuple(fig.layout[k].range) for k in fig.layout if k.startswith("yaxis") and fig.layout[k].range}
    matches = {fig.layout[k].matches for k in fig.layout if k.startswith("yaxis")}
    assert len(ranges) == 1 or matches <= {None, "y"}
    assert len(ranges) == 1


def test_findings_and_pivot_numbers():
    rr = risk_ratio(20, 1000, 10, 1000)
    assert rr[0] == pytest.approx(2.0)
    assert rr[1] < 2 < rr[2]
    assert risk_ratio(3, 100, 0, 100) is None
    table = pd.DataFrame({
        "scenario": ["a", "b", "c"], "outcome": ["sanctions_ever"] * 3, "title": ["P(sanctions at any time)"] * 3,
        "binary": [True] * 3, "n": [1000] * 3, "estimate": [0.012, 0.025, 0.0], "lo": [0.0069, 0.017, 0.0],
        "hi": [0.021, 0.0367, 0.0038], "diff": [np.nan, 0.013, -0.012], "diff_lo": [np.nan, 0.002, -0.019],
        "diff_hi": [np.nan, 0.024, -0.006], "significant": [False, True, True]})
    lines = key_findings(table, "a")
    assert lines[0].startswith("b raises P(sanctions at any time) from 1.20 % in a to 2.50 %: +1.30 points")
    assert "risk ratio 2.08" in lines[0]
    assert "never (0 of 1,000)" in lines[1]
    piv = pivot(table)
    assert list(piv.columns) == ["outcome", "a", "b", "c"]
    assert piv.loc[0, "a"] == "1.20 % [0.690, 2.10 %]"
    assert piv.loc[0, "c"] == "never (0 of 1,000)"
    assert sig(0.0008646) == "0.000865"
    assert param_label("hegemon.threshold.economic") == "Hegemon's economic threshold"
    assert all("." not in param_label(p) for p in PARAMS)


def test_difference_axis_shows_one_point_differences_beside_a_forced_scenario():
    """+0.8 to +1.3 points must not sit on the zero line of an axis stretched to +100."""
    table = pd.DataFrame({
        "scenario": ["ref", "a", "b", "forced"], "outcome": ["sanctions_ever"] * 4,
        "title": ["P(sanctions at any time)"] * 4, "binary": [True] * 4, "n": [1000] * 4,
        "estimate": [0.01, 0.018, 0.023, 1.0], "lo": [0.005, 0.011, 0.015, 0.996],
        "hi": [0.018, 0.028, 0.034, 1.0], "diff": [np.nan, 0.008, 0.013, 0.99],
        "diff_lo": [np.nan, 0.0, 0.004, 0.985], "diff_hi": [np.nan, 0.016, 0.022, 0.995],
        "significant": [False, False, True, True]})
    fig = charts.difference_chart(table, "ref")
    _, hi = fig.layout.xaxis.range
    assert hi < 5  # percentage points: the +0.8 and +1.3 differences fill the axis
    assert hi > 2.2  # … and their intervals stay in view
    forced = next(t for t in fig.data if t.meta["scenario"] == "forced")
    assert forced.x[0] <= hi
    assert forced.text[0].startswith("+99.0 points")  # drawn at the edge, its value written
    small = {t.meta["scenario"]: t.x[0] for t in fig.data if t.meta["scenario"] != "forced"}
    assert small == {"a": pytest.approx(0.8), "b": pytest.approx(1.3)}
    forest = charts_compare_forest(table)
    assert forest.layout.xaxis.type == "log"  # estimates spanning 1 % … 100 % on a log axis


def charts_compare_forest(table):  # type: ignore[no-untyped-def]
    from alliance.analysis.charts_compare import forest_chart

    return forest_chart(table, "ref")


def test_every_parameter_has_a_short_label():
    """A label from the table, not the fallback cut from a long description (add new parameters)."""
    from alliance.analysis.labels import _GROUPS, _SINGLE, _THRESHOLD

    missing = [n for n in PARAMS if n not in _SINGLE and n.rpartition(".")[0] not in (*_GROUPS, _THRESHOLD)]
    assert not missing, f"no short label for {missing}: add them to alliance.analysis.labels"
    assert all(len(param_label(n)) <= 45 for n in PARAMS)
