"""Leave-one-episode-out cross-validation: each fold never sees the episode it predicts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from typer.testing import CliRunner

import alliance.analysis.crossval as crossval
import alliance.analysis.discrepancy as discrepancy
from alliance.analysis.calibrate import Settings
from alliance.analysis.hindcast import EpisodeSet
from alliance.cli import app
from alliance.model.scenario_files import scenarios_dir

NAMES = ("k1_kazakhstan_2006", "kn_kazakhstan_2010", "k2_kazakhstan_2018")


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "eps"
    folder.mkdir()
    for name in NAMES:
        (folder / f"{name}.yaml").write_bytes((scenarios_dir() / "episodes" / f"{name}.yaml").read_bytes())
    return folder


def test_each_fold_fits_without_its_episode(tmp_path: Path, monkeypatch) -> None:
    seen: list[list[str]] = []
    real = crossval.calibrate

    def spy(eps: EpisodeSet, *args, **kwargs):
        seen.append([s.name for s in eps.scenarios])
        return real(eps, *args, **kwargs)

    monkeypatch.setattr(crossval, "calibrate", spy)
    eps = EpisodeSet.load([_folder(tmp_path)])
    cv = crossval.cross_validate(eps, Settings(particles=6, replications=3, generations=1), 5, 2)
    order = [s.name for s in eps.scenarios]
    assert seen == [[n for n in order if n != left] for left in order]
    assert len(cv.runs) == 3
    assert all(len(r) == 2 for r in cv.runs)
    assert len(cv.discrepancy) == 3
    assert all(0.0 <= d[k] <= 1.0 for d in cv.discrepancy for k in ("response", "outcome"))


def test_discrepancy_is_fitted_on_the_training_episodes_only(tmp_path: Path, monkeypatch) -> None:
    """Each fold's δ sees its training episodes' predictions and outcomes, never the held-out one."""
    seen: list[list[str]] = []
    real = discrepancy.fold_discrepancy

    def spy(train: EpisodeSet, runs):
        seen.append([s.name for s in train.scenarios])
        assert len(runs) == len(train.scenarios)
        return real(train, runs)

    monkeypatch.setattr(discrepancy, "fold_discrepancy", spy)
    eps = EpisodeSet.load([_folder(tmp_path)])
    cv = crossval.cross_validate(eps, Settings(particles=6, replications=3, generations=1), 5, 1)
    order = [s.name for s in eps.scenarios]
    assert seen == [[n for n in order if n != left] for left in order]
    pooled = cv.pooled()
    for kind in ("response", "outcome"):
        assert np.allclose(pooled[kind].sum(axis=1), 1.0)


def test_cli_cross_validate_writes_chart_only_with_out(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    runner = CliRunner()
    args = ["validate", str(folder), "-r", "4", "--seeds", "1", "--no-control", "--cross-validate",
            "--cv-particles", "6", "--cv-replications", "2", "--cv-generations", "1"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "out of sample" in res.output
    assert "structural discrepancy" in res.output
    assert list(tmp_path.iterdir()) == [folder]
    out = tmp_path / "t.csv"
    res = runner.invoke(app, [*args, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "t_calibration.html").stat().st_size > 1000
    assert (tmp_path / "t_calibration_forecast.html").stat().st_size > 1000


def test_cv_seed_reaches_the_fold_fits(tmp_path: Path, monkeypatch) -> None:
    """--cv-seed sets the seed of the fold fits (so their own noise can be measured); --seed does not."""
    import alliance.cli.validate as cli_validate

    seen = []

    def fake(eps, settings, *args, **kwargs):
        seen.append(settings.seed)
        raise SystemExit(0)

    monkeypatch.setattr(cli_validate, "run_cross_validation", fake)
    base = ["validate", str(_folder(tmp_path)), "-r", "2", "--seeds", "1", "--no-control", "--cross-validate"]
    CliRunner().invoke(app, [*base, "--seed", "5"])
    CliRunner().invoke(app, [*base, "--cv-seed", "7"])
    assert seen == [0, 7]
