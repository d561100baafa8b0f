"""Sensitivity: the SALib pipeline recovers the Ishigami function's known Sobol indices and a linear
function's Morris effects, then runs on a real scenario (API and CLI)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from alliance.analysis import charts
from alliance.analysis.sensitivity import morris_indices, run_sensitivity, sobol_indices
from alliance.cli import app
from alliance.model import load_scenario

# Ishigami (a = 7, b = 0.1) on [−π, π]^3: analytic indices (Sobol' & Levitan 1999; Saltelli et al. 2008)
A, B = 7.0, 0.1
_V = A**2 / 8 + B * np.pi**4 / 5 + B**2 * np.pi**8 / 18 + 0.5
_V1 = 0.5 * (1 + B * np.pi**4 / 5) ** 2
_V2 = A**2 / 8
_V13 = B**2 * np.pi**8 / 18 - B**2 * np.pi**8 / 50
S1_TRUE = np.array([_V1 / _V, _V2 / _V, 0.0])
ST_TRUE = np.array([(_V1 + _V13) / _V, _V2 / _V, _V13 / _V])


def ishigami(X: np.ndarray) -> np.ndarray:
    return np.sin(X[:, 0]) + A * np.sin(X[:, 1]) ** 2 + B * X[:, 2] ** 4 * np.sin(X[:, 0])


PROBLEM = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}


def test_analytic_values_are_the_published_ones() -> None:
    np.testing.assert_allclose(S1_TRUE, [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(ST_TRUE, [0.5576, 0.4424, 0.2437], atol=1e-4)


@pytest.mark.parametrize("seed", [1, 2])
def test_sobol_recovers_ishigami(seed: int) -> None:
    t = sobol_indices(PROBLEM, ishigami, n=4096, seed=seed).set_index("parameter").loc[["x1", "x2", "x3"]]
    np.testing.assert_allclose(t["S1"], S1_TRUE, atol=0.04)
    np.testing.assert_allclose(t["ST"], ST_TRUE, atol=0.04)
    assert (t["S1_conf"] > 0).all()
    assert (t["ST_conf"] < 0.1).all()
    # ranked by total index: x1, x2, x3
    assert list(sobol_indices(PROBLEM, ishigami, n=1024, seed=seed)["parameter"]) == ["x1", "x2", "x3"]


def test_morris_recovers_linear_effects() -> None:
    prob = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0, 1]] * 3}
    t = morris_indices(prob, lambda X: 2.0 * X[:, 0] - 0.5 * X[:, 1], trajectories=20, seed=3)
    t = t.set_index("parameter")
    np.testing.assert_allclose(t.loc[["a", "b", "c"], "mu_star"], [2.0, 0.5, 0.0], atol=1e-9)
    np.testing.assert_allclose(t.loc[["a", "b", "c"], "mu"], [2.0, -0.5, 0.0], atol=1e-9)
    np.testing.assert_allclose(t["sigma"], 0.0, atol=1e-9)


SCENARIO = """\
name: {name}
description: A forced energy move with stated uncertainties, for the sensitivity tests.
extends: energy_support_forced
horizon_months: 24
uncertainties:
  hegemon.threshold.economic: {{dist: uniform, low: 0.55, high: 0.8}}
  hegemon.noise_sd: {{dist: normal, mean: 0.05, sd: 0.02, low: 0.0, high: 0.15}}
  balancer.risk_aversion: {{dist: triangular, low: 0.2, mode: 1.5, high: 3.0}}
  partner.patience_months: {{dist: choice, values: [3, 6, 12]}}
"""


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    p = tmp_path / "sens_case.yaml"
    p.write_text(SCENARIO.format(name="sens_case"))
    return p


def test_runs_on_a_real_scenario(scenario_file: Path) -> None:
    sc = load_scenario(scenario_file)
    res = run_sensitivity(sc, "sobol", "max_escalation>=2", n=32, replications=8, seed=5)
    assert res.samples == 32 * (4 + 2)
    assert set(res.table["parameter"]) == set(sc.uncertainties)
    assert np.isfinite(res.table[["S1", "ST", "S1_conf", "ST_conf"]].to_numpy()).all()
    again = run_sensitivity(sc, "sobol", "max_escalation>=2", n=32, replications=8, seed=5)
    pd.testing.assert_frame_equal(res.table, again.table)  # same seed, same indices
    mor = run_sensitivity(sc, "morris", "final_alignment", n=6, replications=8, seed=5)
    assert mor.samples == 6 * 5
    assert (mor.table["mu_star"] >= 0).all()
    # the economic threshold moves the probability of sanctions: it has a visible effect
    assert res.table.set_index("parameter").loc["hegemon.threshold.economic", "ST"] > 0.05
    fig = charts.sensitivity_chart(res.table, "sobol")
    st = next(t for t in fig.data if t.meta["index"] == "ST")
    assert list(st.x) == sorted(st.x)  # ranked bars (largest at the top)


runner = CliRunner()


def test_cli_writes_indices(scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "s"
    res = runner.invoke(app, ["sensitivity", str(scenario_file), "--method", "morris", "-n", "4", "-r", "5",
                              "--outcome", "sanctions_by:24", "--out", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out / "indices.csv")
    assert set(table["parameter"]) == {"hegemon.threshold.economic", "hegemon.noise_sd",
                                       "balancer.risk_aversion", "partner.patience_months"}
    assert "Plotly.newPlot" in (out / "sensitivity.html").read_text()


@pytest.mark.parametrize(("args", "message"), [
    (["baseline"], "no 'uncertainties:' block"),
    (["{file}", "--method", "fast"], "use sobol or morris"),
    (["{file}", "--outcome", "nonsense"], "unknown outcome 'nonsense'"),
    (["{file}", "-n", "100"], "power of 2"),
    (["baseline", "--param", "hegemon.nope=0:1"], "unknown parameter 'hegemon.nope'"),
    (["baseline", "--param", "hegemon.noise_sd=0.2:0.1"], "LOW must be below HIGH"),
    (["baseline", "--param", "hegemon.threshold.economic=0.55:0.8", "--param",
      "hegemon.threshold.military=0.7:0.95", "-n", "8", "-r", "2"], "break a cross-field rule"),
])
def test_cli_bad_input_exits_2(args: list[str], message: str, scenario_file: Path, tmp_path: Path) -> None:
    args = [a.replace("{file}", str(scenario_file)) for a in args]
    res = runner.invoke(app, ["sensitivity", *args, "--out", str(tmp_path / "s")])
    assert res.exit_code == 2, res.output
    assert message in " ".join(res.output.split())
    assert not (tmp_path / "s").exists()
