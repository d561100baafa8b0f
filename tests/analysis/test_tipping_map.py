"""Tipping-point maps: the 50 % contour of a synthetic outcome lands within one grid cell of its known
boundary; results do not depend on chunking or worker processes; bad input exits with code 2."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from alliance.analysis import charts
from alliance.analysis.labels import param_title
from alliance.analysis.tipping import bootstrap_bounds, contour_points, tipping_map
from alliance.cli import app
from alliance.model import load_scenario

X, Y = "balancer.export_share_via_russia", "hegemon.noise_sd"  # no cross-field rule between them


def boundary(y: np.ndarray) -> np.ndarray:
    """The known boundary of the synthetic outcome: P = 0.5 on x = 0.3 + 2 y."""
    return 0.3 + 2.0 * y


def synthetic_runner(seed: int = 7):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)

    def run(params: dict[str, np.ndarray], ids: np.ndarray) -> np.ndarray:
        x, y = params[X], params[Y]
        p = 1.0 / (1.0 + np.exp(-(x - boundary(y)) / 0.04))
        return (rng.random(len(ids)) < p).astype(np.float64)

    return run


def test_contour_within_one_cell_of_known_boundary() -> None:
    sc = load_scenario("baseline")
    m = tipping_map(sc, X, Y, grid=(30, 25), replications=300, runner=synthetic_runner(), n_boot=100)
    dx = m.xs[1] - m.xs[0]
    pts = m.contour()
    assert len(pts) >= 25  # the boundary crosses every row of the grid
    err = np.abs(pts.x.to_numpy() - boundary(pts.y.to_numpy()))
    assert err.max() <= dx, f"contour {err.max():.4f} from the boundary; one cell is {dx:.4f}"
    # every row's crossing exists and the bootstrap band contains the estimate
    assert (m.p_lo <= m.p + 1e-12).all()
    assert (m.p <= m.p_hi + 1e-12).all()
    assert 0 < m.band_share() < 0.5
    # the chart draws the heatmap and the three contours (estimate, 5 % and 95 % bounds)
    fig = charts.tipping_chart(m.frame(), m.x, m.y, m.title, m.level, m.binary)
    assert [t.type for t in fig.data] == ["heatmap", "contour", "contour", "contour"]
    assert fig.layout.xaxis.title.text == param_title(X)  # the label and unit, not the code name


def test_refinement_runs_only_near_the_boundary() -> None:
    sc = load_scenario("baseline")
    m = tipping_map(sc, X, Y, grid=(12, 10), replications=300, runner=synthetic_runner(), n_boot=100, refine=2)
    assert m.p.shape == (37, 45)
    assert m.computed is not None
    assert m.computed[0::4, 0::4].all()  # the coarse grid was run
    assert m.computed.sum() < 0.5 * m.computed.size  # most fine points interpolated, far from the line
    dx = m.xs[1] - m.xs[0]
    pts = m.contour()
    err = np.abs(pts.x.to_numpy() - boundary(pts.y.to_numpy()))
    assert len(pts) >= 37
    assert err.max() <= dx, f"contour {err.max():.4f} from the boundary; one cell {dx:.4f}"
    # every fine point next to the boundary was run, not interpolated
    near = np.abs(np.meshgrid(m.xs, m.ys)[0] - boundary(np.meshgrid(m.xs, m.ys)[1])) < dx / 2
    assert m.computed[near].all()


def test_contour_points_of_linear_field() -> None:
    xs, ys = np.linspace(0, 1, 11), np.linspace(0, 1, 6)
    z = np.tile(xs, (len(ys), 1))  # z = x; level 0.55 crosses at x = 0.55 on every row
    pts = contour_points(xs, ys, z, 0.55)
    assert len(pts) == len(ys)
    np.testing.assert_allclose(pts.x, 0.55)


def test_bootstrap_bounds_bracket_the_mean() -> None:
    rng = np.random.default_rng(0)
    v = (rng.random((50, 200)) < np.linspace(0.05, 0.95, 50)[:, None]).astype(float)
    lo, hi = bootstrap_bounds(v, 300, 1)
    mean = v.mean(axis=1)
    assert (lo <= mean).all()
    assert (mean <= hi).all()
    width = hi - lo  # ~ 2·1.645·sqrt(p(1−p)/200): widest in the middle
    assert width[25] > width[0]
    assert 0.05 < width[25] < 0.2


def test_result_independent_of_chunking_and_workers() -> None:
    sc = load_scenario("baseline")
    kw = dict(grid=(4, 3), replications=20, x_range=(0.55, 0.9), outcome="max_escalation>=1", n_boot=50)
    a = tipping_map(sc, "hegemon.threshold.economic", X, chunk_runs=45, workers=1, **kw)
    b = tipping_map(sc, "hegemon.threshold.economic", X, chunk_runs=100_000, workers=2, **kw)
    c = tipping_map(sc, "hegemon.threshold.economic", X, chunk_runs=60, workers=2, **kw)
    np.testing.assert_array_equal(a.p, b.p)
    np.testing.assert_array_equal(a.p, c.p)
    np.testing.assert_array_equal(a.p_lo, c.p_lo)


def test_real_map_sanctions_fall_with_the_threshold() -> None:
    # a move the hegemon answers (since issue 10 it tolerates an unchanged status quo)
    sc = load_scenario("energy_support_forced")
    m = tipping_map(sc, "hegemon.threshold.economic", X, grid=(5, 3), replications=60,
                    x_range=(0.55, 0.9), outcome="sanctions_ever", n_boot=50)
    assert m.invalid == 0
    assert np.isfinite(m.p).all()
    assert ((m.p >= 0) & (m.p <= 1)).all()
    # a higher sanctions threshold never makes sanctions much likelier (common random numbers)
    assert (m.p[:, 0] >= m.p[:, -1]).all()
    # at full exposure a forced balancer also creeps over the integration line, which draws
    # measures whatever the threshold, so the high-threshold column is judged on its mean
    assert m.p[:, 0].mean() > 0.3
    assert m.p[:, -1].mean() < 0.1


def test_invalid_cells_left_blank() -> None:
    sc = load_scenario("baseline")
    # the economic threshold must stay above the diplomatic one (0.5): low x values are invalid
    m = tipping_map(sc, "hegemon.threshold.economic", X, grid=(5, 2), replications=5, x_range=(0.3, 0.9),
                    n_boot=20)
    assert m.invalid == 4
    assert np.isnan(m.p[:, :2]).all()
    assert np.isfinite(m.p[:, 2:]).all()


runner = CliRunner()


@pytest.mark.parametrize(("args", "message"), [
    (["--x", "nope.param", "--y", Y], "unknown parameter 'nope.param'"),
    (["--x", X, "--y", Y, "--outcome", "sanctions_soon"], "unknown outcome 'sanctions_soon'"),
    (["--x", X, "--y", Y, "--outcome", "bogus_by:12"], "unknown outcome 'bogus_by:12'"),
    (["--x", X, "--y", Y, "--grid", "101x100"], "use --force"),
    (["--x", X, "--y", Y, "--grid", "50x50", "-r", "2000"], "use --force"),
    (["--x", X, "--y", Y, "--grid", "forty"], "expected NXxNY"),
    (["--x", X, "--y", Y, "--x-range", "0.9:0.1"], "LOW < HIGH"),
    (["--x", X, "--y", X], "different parameters"),
    (["--x", X, "--y", "partner.patience_months", "--refine", "1"], "continuous parameters"),
])
def test_map_bad_input_exits_2(args: list[str], message: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = runner.invoke(app, ["map", "baseline", *args, "--out", str(tmp_path / "m")])
    assert res.exit_code == 2, res.output
    assert message in " ".join(res.output.split())
    assert "Traceback" not in res.output
    assert not (tmp_path / "m").exists()


def test_map_cli_writes_csv_and_html(tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = runner.invoke(app, ["map", "baseline", "--x", "hegemon.threshold.economic", "--y", X, "--grid", "4x3",
                              "-r", "10", "--x-range", "0.55:0.9", "--outcome", "sanctions_by:24",
                              "--workers", "1", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "map.csv").stat().st_size > 0
    text = (tmp_path / "map.html").read_text()
    assert "plotly" in text
    assert "Plotly.newPlot" in text


def test_invalid_cells_serialise_as_null_and_the_point_is_marked() -> None:
    """NaN is not JSON: the browser's JSON.parse fails on it and the app's map never drew."""
    from alliance.analysis.charts_map import read_map

    sc = load_scenario("baseline")
    # economic threshold below the diplomatic one breaks a cross-field rule: those cells are invalid
    rng = np.random.default_rng(3)

    def runner(params: dict[str, np.ndarray], ids: np.ndarray) -> np.ndarray:
        return (rng.random(len(ids)) < params["hegemon.threshold.economic"]).astype(np.float64)

    m = tipping_map(sc, "hegemon.threshold.economic", X, grid=(8, 5), replications=20,
                    x_range=(0.3, 0.9), runner=runner, n_boot=20)
    assert m.invalid > 0
    assert np.isnan(m.p).any()
    point = (sc.params()["hegemon.threshold.economic"], sc.params()[X])
    fig = charts.tipping_chart(m.frame(), m.x, m.y, m.title, m.level, m.binary, point=point)
    text = fig.to_json()
    assert "NaN" not in text
    assert "Infinity" not in text
    import json

    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c} in the figure"))
    star = [t for t in fig.data if (t.meta or {}).get("role") == "scenario point"]
    assert len(star) == 1
    assert (star[0].x[0], star[0].y[0]) == point
    reading = read_map(m.frame(), m.x, m.y, m.level, point)
    assert reading.text  # the contour's distance from the point, or why there is none, in words


def test_map_reading_distance_and_zoom() -> None:
    from alliance.analysis.charts_map import read_map

    sc = load_scenario("baseline")
    m = tipping_map(sc, X, Y, grid=(30, 25), replications=300, runner=synthetic_runner(), n_boot=100)
    y0 = float(m.ys[len(m.ys) // 2])
    point = (boundary(np.array(y0)).item() + 0.1, y0)  # 0.1 to the right of the known boundary
    r = read_map(m.frame(), m.x, m.y, m.level, point)
    assert r.nearest is not None
    dx = m.xs[1] - m.xs[0]
    assert abs(np.hypot(r.nearest[0] - point[0], r.nearest[1] - point[1])) <= 0.1 + dx
    assert "from the 0.500 contour" in r.text[0]
    # a steep boundary on a wide map: the contour and its band cover little of it → a zoom is suggested
    def sharp(params: dict[str, np.ndarray], ids: np.ndarray) -> np.ndarray:
        return (params[X] > 0.3 + 0.5 * params[Y]).astype(np.float64)

    wide = tipping_map(sc, X, Y, grid=(40, 10), replications=30, runner=sharp,
                       x_range=(0.0, 1.0), y_range=(0.0, 0.05), n_boot=50)
    rz = read_map(wide.frame(), wide.x, wide.y, wide.level, None)
    assert rz.zoom is not None
    (zx0, zx1), _ = rz.zoom
    assert zx0 <= 0.3
    assert zx1 >= 0.325
    assert zx1 - zx0 < 0.2
    assert any("--x-range" in t for t in rz.text)
