"""Charts carry the expected traces and data: medians, band order, fixed colours, titles, no raw traces."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from alliance.analysis import charts
from alliance.model import OUTCOMES, RUNGS, simulate

R = 300


@pytest.fixture(scope="module")
def ensemble() -> tuple[pd.DataFrame, pd.DataFrame]:
    a = simulate("baseline", replications=R, seed=1)
    b = simulate("russia_hardline", replications=R, seed=1)
    traj = pd.concat([a.trajectories.assign(scenario="baseline"),
                      b.trajectories.assign(scenario="russia_hardline")], ignore_index=True)
    summ = pd.concat([a.summary.assign(scenario="baseline"),
                      b.summary.assign(scenario="russia_hardline")], ignore_index=True)
    return traj, summ


def _trace(fig, scenario: str, quantile: float):  # type: ignore[no-untyped-def]
    hits = [t for t in fig.data if (t.meta or {}).get("scenario") == scenario
            and (t.meta or {}).get("quantile") == quantile and not (t.meta or {}).get("reference")]
    assert len(hits) == 1, f"expected one {quantile} trace for {scenario}, got {len(hits)}"
    return hits[0]


@pytest.mark.parametrize("outcome", ["threat", "coop_energy", "alignment", "welfare"])
def test_fan_median_equals_independent_median(ensemble, outcome: str) -> None:
    traj, _ = ensemble
    fig = charts.fan_chart(traj, outcome)
    for name in ("baseline", "russia_hardline"):
        # independent: a (runs × months) matrix and numpy's median over runs
        wide = traj[traj.scenario == name].pivot(index="replication", columns="month", values=outcome)
        expected = np.median(wide.to_numpy(dtype=np.float64), axis=0)
        med = _trace(fig, name, 0.5)
        np.testing.assert_allclose(np.asarray(med.y, dtype=float), expected, rtol=0, atol=1e-9)
        np.testing.assert_array_equal(np.asarray(med.x), wide.columns.to_numpy())


@pytest.mark.parametrize("outcome", ["threat", "coop_energy", "belief"])
def test_fan_band_order(ensemble, outcome: str) -> None:
    traj, _ = ensemble
    fig = charts.fan_chart(traj, outcome)
    for name in ("baseline", "russia_hardline"):
        qs = [np.asarray(_trace(fig, name, q).y, dtype=float) for q in (0.05, 0.25, 0.5, 0.75, 0.95)]
        for lo, hi in itertools.pairwise(qs):
            assert (lo <= hi + 1e-12).all()
        # the bands are filled between their own edges (90 % band: q95 to q05; 50 %: q75 to q25)
        assert _trace(fig, name, 0.95).fill == "tonexty"
        assert _trace(fig, name, 0.75).fill == "tonexty"
        # at least somewhere the 90 % band is wider than the 50 % band (the data do vary)
        assert ((qs[4] - qs[0]) >= (qs[3] - qs[1]) - 1e-12).all()


def test_fan_draws_quantiles_not_raw_traces(ensemble) -> None:
    traj, _ = ensemble
    fig = charts.fan_chart(traj, "threat")
    assert len(fig.data) == 2 * 5  # five quantile traces per scenario, whatever the number of runs
    assert all(len(t.y) == traj.month.nunique() for t in fig.data)


def test_colours_fixed_per_scenario_across_charts(ensemble) -> None:
    traj, summ = ensemble
    pal = charts.palette(["russia_hardline", "baseline", "my_custom"])
    # shipped scenarios keep their colour whatever the order or company
    assert pal["baseline"] == charts.palette(["baseline"])["baseline"]
    assert pal["russia_hardline"] == charts.palette(["x", "y", "russia_hardline"])["russia_hardline"]
    assert len(set(pal.values())) == 3
    figs = [charts.fan_chart(traj, "threat", pal), charts.distribution_chart(summ, "final_alignment", pal),
            charts.small_multiples(traj, "threat", "baseline", pal),
            charts.fan_chart(traj[traj.scenario == "russia_hardline"], "alignment")]
    for fig in figs:
        for t in fig.data:
            s = (t.meta or {}).get("scenario")
            if s is None:
                continue
            colour = t.marker.color if t.type == "bar" else t.line.color
            assert colour == pal[s], (fig.layout.title.text, s)


def test_axis_titles_from_declared_outcomes(ensemble) -> None:
    traj, summ = ensemble
    fig = charts.fan_chart(traj, "threat", thresholds={"economic": 0.68})
    assert fig.layout.yaxis.title.text == OUTCOMES["threat"].title
    assert fig.layout.xaxis.title.text == "month"
    assert any(s.y0 == 0.68 for s in fig.layout.shapes)  # threshold line drawn
    d = charts.distribution_chart(summ, "final_alignment")
    assert d.layout.xaxis.title.text == OUTCOMES["final_alignment"].title


def test_escalation_shares_stack_to_one(ensemble) -> None:
    traj, _ = ensemble
    fig = charts.escalation_chart(traj)
    for name in ("baseline", "russia_hardline"):
        ys = [np.asarray(t.y, dtype=float) for t in fig.data if t.meta["scenario"] == name]
        assert len(ys) == len(RUNGS)
        np.testing.assert_allclose(np.sum(ys, axis=0), 1.0, atol=1e-12)
        sub = traj[traj.scenario == name]
        expected = (sub.escalation >= 2).groupby(sub.month).mean().to_numpy()
        got = sum(np.asarray(t.y, dtype=float) for t in fig.data
                  if t.meta["scenario"] == name and t.meta["rung"] in ("economic", "military"))
        np.testing.assert_allclose(got, expected, atol=1e-12)


def test_distribution_shares(ensemble) -> None:
    _, summ = ensemble
    fig = charts.distribution_chart(summ, "max_escalation")
    for t in fig.data:
        sub = summ[summ.scenario == t.meta["scenario"]]
        for x, y in zip(t.x, t.y, strict=False):
            assert y == pytest.approx((sub.max_escalation == x).mean())
    cont = charts.distribution_chart(summ, "final_alignment", bins=20)
    for t in cont.data:
        assert sum(t.y) == pytest.approx(1.0)  # every run in some bin


def test_comparison_and_difference_charts() -> None:
    table = pd.DataFrame({
        "scenario": ["a", "b", "a", "b"], "outcome": ["p", "p", "m", "m"], "title": ["P(x)"] * 2 + ["m (u)"] * 2,
        "binary": [True, True, False, False], "n": [10] * 4, "estimate": [0.2, 0.5, 3.0, 2.0],
        "lo": [0.1, 0.4, 2.5, 1.5], "hi": [0.3, 0.6, 3.5, 2.5], "diff": [np.nan, 0.3, np.nan, -1.0],
        "diff_lo": [np.nan, 0.1, np.nan, -2.5], "diff_hi": [np.nan, 0.5, np.nan, 0.5],
        "significant": [False, True, False, False]})
    est = charts.estimate_chart(table)
    assert len(est.data) == 4
    diff = charts.difference_chart(table, "a")
    assert [t.meta["scenario"] for t in diff.data] == ["b", "b"]
    assert [t.x[0] for t in diff.data] == [pytest.approx(30.0), -1.0]  # probabilities in percentage points
    assert diff.data[0].marker.symbol == "diamond"
    assert diff.data[1].marker.symbol == "circle-open"
