"""A calibration checkpoint is read field by field: a damaged one is named (file and field) before any
simulation, never half-used or blamed on --param; another calibration's checkpoint is said and replaced."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance.analysis.calibrate import Settings, calibrate
from alliance.analysis.hindcast import EpisodeSet
from alliance.model.scenario_files import scenarios_dir
from alliance.model.yamlio import InputError

PARAM = "balancer.initial_belief"
SETTINGS = Settings(particles=4, replications=1, generations=1, quantile=0.5, max_batches=6, seed=3)
EPISODES = ("k1_kazakhstan_2006", "b1_belarus_2009")


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """An episode folder and the state of a finished one-generation calibration."""
    folder = tmp_path_factory.mktemp("ck") / "eps"
    folder.mkdir()
    for name in EPISODES:
        shutil.copy(scenarios_dir() / "episodes" / f"{name}.yaml", folder)
    ck = folder.parent / "ck.json"
    calibrate(EpisodeSet.load([folder]), SETTINGS, names=[PARAM], checkpoint=ck)
    return folder, json.loads(ck.read_text(encoding="utf-8"))


def _damage(state: dict, how: str) -> str:
    gen = state["generations"][0]
    if how == "not-json":
        return "{oops"
    if how == "list":
        return "[1, 2]"
    if how == "deep":
        return "[" * 100_000 + "]" * 100_000
    if how == "no-epsilon":
        del gen["epsilon"]
    elif how == "nan-particle":
        gen["particles"][0] = [float("nan")]
    elif how == "outside-prior":
        gen["particles"][0] = [5.0]
    elif how == "short-weights":
        gen["weights"] = [1.0]
    elif how == "generations-text":
        state["generations"] = "abc"
    return json.dumps(state)


@pytest.mark.parametrize(("how", "field"), [
    ("not-json", "checkpoint"), ("list", "key"), ("deep", "checkpoint"), ("no-epsilon", "generations[0]"),
    ("nan-particle", "generations[0].particles"), ("outside-prior", "generations[0].particles"),
    ("short-weights", "generations[0].weights"), ("generations-text", "generations"),
])
def test_damaged_checkpoint_is_named_before_any_run(saved, tmp_path: Path, how: str, field: str) -> None:
    folder, state = saved
    ck = tmp_path / "ck.json"
    ck.write_text(_damage(json.loads(json.dumps(state)), how), encoding="utf-8")
    with pytest.raises(InputError) as info:
        calibrate(EpisodeSet.load([folder]), SETTINGS, names=[PARAM], checkpoint=ck)
    assert info.value.field == field
    assert info.value.file == str(ck)


def test_another_calibrations_checkpoint_is_said_and_replaced(saved, tmp_path: Path) -> None:
    folder, state = saved
    ck = tmp_path / "ck.json"
    ck.write_text(json.dumps(state), encoding="utf-8")
    other = Settings(**{**SETTINGS.__dict__, "seed": 4})
    said: list[str] = []
    calibrate(EpisodeSet.load([folder]), other, names=[PARAM], checkpoint=ck, log=said.append)
    assert any("another calibration" in m for m in said), said
    assert json.loads(ck.read_text(encoding="utf-8"))["key"]["settings"]["seed"] == 4


@pytest.mark.parametrize("how", ["folder", "not-json"])
def test_cli_names_the_checkpoint_not_param(saved, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            how: str) -> None:
    from alliance.cli import app

    folder, _ = saved
    monkeypatch.chdir(tmp_path)
    if how == "folder":
        Path("p.checkpoint.json").mkdir()
    else:
        Path("p.checkpoint.json").write_text("{oops", encoding="utf-8")
    r = CliRunner().invoke(app, ["calibrate", str(folder), "--out", "p.json", "--particles", "4", "-r", "1",
                                 "--generations", "1", "--seed", "3", "--param", PARAM])
    assert r.exit_code == 2, (r.output, r.exception)
    text = r.stderr.replace("\n", "")
    assert "p.checkpoint.json" in text
    assert "--param" not in text
    assert not Path("p.json").exists()
