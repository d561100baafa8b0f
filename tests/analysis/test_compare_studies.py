"""Scenario comparison: estimates and differences match independent computations; derived outcomes
agree between summaries and trajectories; the commands write their files or exit 2 on bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from alliance.analysis.compare import (
    describe_differences,
    load_studies,
    measure_values,
    outcome_table,
    resolve_reference,
)
from alliance.analysis.measures import parse_measure, parse_measures
from alliance.analysis.tables import wilson_interval
from alliance.cli import app
from alliance.errors import UserError
from alliance.study.batch import run_batch

Z95 = 1.959963984540054  # standard normal 97.5 % quantile


@pytest.fixture(scope="module")
def studies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("results")
    a = root / "A"
    b = root / "B"
    run_batch(["baseline", "russia_hardline"], replications=150, out=a, progress=False)
    run_batch(["baseline"], replications=100, seed=99, out=b, progress=False)
    return a, b


def test_labels_unique_across_folders(studies) -> None:  # type: ignore[no-untyped-def]
    comb = load_studies(studies)
    assert comb.scenarios == ["A/baseline", "russia_hardline", "B/baseline"]
    assert len(comb.summary) == 400
    assert resolve_reference("B", comb.scenarios, comb.folder_of) == "B/baseline"
    assert resolve_reference("russia_hardline", comb.scenarios, comb.folder_of) == "russia_hardline"
    with pytest.raises(UserError, match="neither a scenario"):
        resolve_reference("nowhere", comb.scenarios, comb.folder_of)


def test_estimates_match_independent_computation(studies) -> None:  # type: ignore[no-untyped-def]
    comb = load_studies(studies[:1])
    ms = parse_measures(["sanctions_ever", "sanctions_by:24", "final_alignment", "max_escalation>=1"])
    values = measure_values(comb.summary, ms, comb.trajectories)
    table = outcome_table(values, ms, "baseline", n_boot=500, seed=1).set_index(["scenario", "outcome"])
    s = comb.summary
    for name in ("baseline", "russia_hardline"):
        sub = s[s.scenario == name]
        p = sub.sanctions_ever.mean()
        row = table.loc[(name, "sanctions_ever")]
        assert row.estimate == pytest.approx(p)
        assert (row.lo, row.hi) == pytest.approx(wilson_interval(int(sub.sanctions_ever.sum()), len(sub), Z95))
        first = sub.first_sanctions_month.astype("Float64").fillna(10**6)
        assert table.loc[(name, "sanctions_by:24")].estimate == pytest.approx((first <= 24).mean())
        assert table.loc[(name, "final_alignment")].estimate == pytest.approx(sub.final_alignment.mean())
        assert table.loc[(name, "max_escalation>=1")].estimate == pytest.approx((sub.max_escalation >= 1).mean())
        r = table.loc[(name, "final_alignment")]
        assert r.lo <= r.estimate <= r.hi
    d = table.loc[("russia_hardline", "final_alignment")]
    base = s[s.scenario == "baseline"].final_alignment.mean()
    assert d["diff"] == pytest.approx(s[s.scenario == "russia_hardline"].final_alignment.mean() - base)
    assert d.diff_lo <= d["diff"] <= d.diff_hi


def test_derived_outcomes_agree_between_summary_and_trajectories(studies) -> None:  # type: ignore[no-untyped-def]
    comb = load_studies(studies[:1])
    # military_by:36 reads the trajectories (escalation ≥ 3), military_ever the summary: same horizon
    ms = parse_measures(["military_by:36", "military_ever", "sanctions_by:36", "sanctions_ever", "threat"])
    v = measure_values(comb.summary, ms, comb.trajectories)
    np.testing.assert_array_equal(v["military_by:36"], v["military_ever"])
    np.testing.assert_array_equal(v["sanctions_by:36"], v["sanctions_ever"])
    traj = comb.trajectories(["threat"])
    last = traj[traj.month == traj.month.max()].set_index(["scenario", "run_id"])["threat"]
    got = v.set_index(["scenario", "run_id"])["threat"]
    np.testing.assert_allclose(got.to_numpy(), last.reindex(got.index).to_numpy(), rtol=1e-6)


def test_significance_flags() -> None:
    rng = np.random.default_rng(3)
    a = (rng.random(2000) < 0.2).astype(float)
    values = pd.DataFrame({"scenario": ["a"] * 2000 + ["b"] * 2000 + ["c"] * 2000,
                           "x": np.concatenate([a, (rng.random(2000) < 0.5).astype(float), a])})
    m = parse_measure("sanctions_ever")
    m = type(m)("x", "x", "0/1", True, None, m._fn)
    t = outcome_table(values, [m], "a", n_boot=1000, seed=0).set_index("scenario")
    assert t.loc["b", "significant"]
    assert t.loc["b", "diff_lo"] > 0.2
    assert not t.loc["c", "significant"]
    assert t.loc["c", "diff_lo"] <= 0 <= t.loc["c", "diff_hi"]
    lines = describe_differences(t.reset_index(), "a")
    assert len(lines) == 1
    assert lines[0].startswith("b:")


@pytest.mark.parametrize("spec", ["nonsense", "sanctions_by:abc", "foo_by:3", "final_alignment>>2", "nope>=1"])
def test_unknown_outcomes_rejected(spec: str) -> None:
    with pytest.raises(UserError, match="unknown outcome"):
        parse_measure(spec)


runner = CliRunner()


def test_compare_cli(studies, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = studies
    out = tmp_path / "cmp"
    res = runner.invoke(app, ["compare", str(a), str(b), "--reference", "B", "--outcome", "sanctions_by:24",
                              "--outcome", "final_alignment", "-o", str(out), "--boot", "200"])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out / "comparison.csv")
    assert set(table.scenario) == {"A/baseline", "russia_hardline", "B/baseline"}
    assert table[table.scenario == "B/baseline"]["diff"].isna().all()
    assert "Plotly.newPlot" in (out / "comparison.html").read_text()
    assert "reference B/baseline" in " ".join(res.output.split())


@pytest.mark.parametrize("command", ["compare", "report"])
def test_not_a_study_exits_2(command: str, tmp_path: Path) -> None:
    empty = tmp_path / "not_a_study"
    empty.mkdir()
    (empty / "notes.txt").write_text("hello")
    out = tmp_path / ("o" if command == "compare" else "r.html")
    res = runner.invoke(app, [command, str(empty), "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert "not_a_study" in res.output
    assert "Traceback" not in res.output
    assert not out.exists()


def test_compare_bad_outcome_and_reference_exit_2(studies, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, _ = studies
    res = runner.invoke(app, ["compare", str(a), "--outcome", "sanctions_soon", "-o", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert "unknown outcome 'sanctions_soon'" in res.output
    res = runner.invoke(app, ["compare", str(a), "--reference", "zzz", "-o", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert "zzz" in res.output
    assert not (tmp_path / "o").exists()
    res = runner.invoke(app, ["report", str(a), "-o", str(tmp_path / "r.txt")])
    assert res.exit_code == 2
    assert ".html" in res.output


def test_compare_terminal_tables_fit_80_columns_off_a_tty(tmp_path: Path) -> None:
    """Piped (not a TTY), rich falls back to 80 columns: no table line may be longer or broken."""
    import os
    import subprocess
    import sys

    study = tmp_path / "long_names"
    run_batch(["energy_support_georgia_ukraine", "energy_support_forced"], replications=40, out=study,
              progress=False)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[2] / "src"), env.get("PYTHONPATH", "")])
    out = subprocess.run([sys.executable, "-m", "alliance", "compare", str(study), "-o", str(tmp_path / "c"),
                          "--outcome", "sanctions_ever", "--outcome", "final_alignment", "--boot", "200"],
                         capture_output=True, text=True, env=env, check=True).stdout
    lines = out.splitlines()
    table_lines = [ln for ln in lines if not ln.startswith(("- ", "wrote")) and ln.strip()]
    assert max(len(ln) for ln in lines) <= 80
    # every scenario's row starts with its whole name (no name folded over two lines)
    for name in ("energy_support_georgia_ukraine", "energy_support_forced"):
        rows = [ln for ln in table_lines if ln.strip().startswith(name)]
        assert len(rows) == 2, (name, out)  # one row per outcome table
    assert "P(sanctions at any time)" in out
    assert lines[1].startswith("- ")  # the key findings come before the tables
