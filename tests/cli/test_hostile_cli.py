"""Hostile input found by benchmarks/cli_audit.py (session 20): each class meets one message naming
the file, line or option, exit code 2, and nothing written; every case fails before any run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.model.posterior import FORMAT

runner = CliRunner()
PLAIN = "name: plain\ndescription: a plain scenario\nextends: baseline\nhorizon_months: 3\nreplications: 2\n"
MAP = ["map", "baseline", "--x", "hegemon.threshold.economic", "--y", "hegemon.noise_sd", "--grid", "2x2",
       "-r", "2", "--out", "m"]


def _refused(args: list[str], *says: str) -> str:
    r = runner.invoke(app, args)
    assert r.exit_code == 2, (r.output, r.exception)
    text = r.stderr.replace("\n", "")
    assert "Traceback" not in text
    for s in says:
        assert s in text, text
    return text


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---- rich markup in what users write is printed as it is, never parsed ----------------------

def test_markup_in_a_description_is_printed_as_written(here: Path) -> None:
    (here / "plain.yaml").write_text(PLAIN.replace("a plain scenario", "'a [/bold] b [red]c'"), encoding="utf-8")
    r = runner.invoke(app, ["run", "plain.yaml", "-r", "2"])
    assert r.exit_code == 0, (r.output, r.exception)
    assert "a [/bold] b [red]c" in r.stdout.replace("\n", "")


@pytest.mark.parametrize(("args", "says"), [
    (["run", "plain.yaml", "--set", "[/x]=1"], "'[/x]'"),
    (["run", "plain.yaml", "--set", "hegemon.noise_sd=[/x]"], "'[/x]'"),
    (["run", "a[/x]b.yaml"], "a[/x]b.yaml"),
    (["run", "[red]x.yaml"], "[red]x.yaml"),
    ([*MAP, "--outcome", "[/x]"], "'[/x]'"),
    (["results", "show", "[/x]"], "[/x]"),
], ids=["set-key", "set-value", "closing-tag-in-path", "style-in-path", "outcome", "study-name"])
def test_markup_in_an_error_is_named_not_parsed(here: Path, args: list[str], says: str) -> None:
    (here / "plain.yaml").write_text(PLAIN, encoding="utf-8")
    _refused(args, says)


def test_markup_in_a_scenario_value_is_named(here: Path) -> None:
    (here / "plain.yaml").write_text(PLAIN + "'[/x]': 1\n", encoding="utf-8")
    _refused(["run", "plain.yaml"], "plain.yaml, line 6", "'[/x]'")


# ---- yes/no where a number stands -------------------------------------------------------------

@pytest.mark.parametrize(("extra", "field", "says"), [
    ("horizon_months: 3", "horizon_months: yes", "true is not a value a scenario takes"),
    ("replications: 2", "replications: off", "(got False); YAML reads yes/no/on/off as true/false"),
], ids=["horizon", "replications"])
def test_yes_no_is_not_read_as_a_number(here: Path, extra: str, field: str, says: str) -> None:
    (here / "plain.yaml").write_text(PLAIN.replace(extra, field), encoding="utf-8")
    key = field.split(":")[0]
    _refused(["run", "plain.yaml", "--out", "o.csv"], "plain.yaml, line", f"field '{key}'", says)
    assert not (here / "o.csv").exists()


def test_yes_no_inside_an_actor_block_and_a_sweep_is_named(here: Path) -> None:
    (here / "p.yaml").write_text(PLAIN + "actors:\n  hegemon: {noise_sd: on}\n", encoding="utf-8")
    _refused(["check", "p.yaml"], "p.yaml, line 7", "field 'actors.hegemon.noise_sd'", "true")
    (here / "s.yaml").write_text(PLAIN + "sweep:\n  hegemon.noise_sd: [0.1, true]\n", encoding="utf-8")
    _refused(["check", "s.yaml"], "s.yaml, line 7", "field 'sweep.hegemon.noise_sd'")


# ---- options out of range ---------------------------------------------------------------------

@pytest.mark.parametrize(("args", "says"), [
    (["run", "baseline", "-r", "2", "--seed", str(2**63)], "--seed"),
    (["run", "baseline", "-r", "2", "--seed", "9" * 40], "--seed"),
    (["run", "baseline", "--replay", str(2**63)], "--replay"),
    (["calibrate", "x", "--out", "p.json", "--seed", str(2**63 // 1000 + 1)], "--seed"),
    (["validate", "--min-score", "nan"], "--min-score"),
    (["validate", "--min-score", "inf%"], "--min-score"),
    ([*MAP, "--level", "-1"], "--level -1: sanctions_ever is a 0/1 outcome"),
    ([*MAP, "--level", "1"], "strictly between 0 and 1"),
    ([*MAP, "--outcome", "sanctions_by:99999999999999999999"], "1 to 600 months"),
    ([*MAP, "--outcome", "sanctions_by:" + "9" * 5000], "1 to 600 months"),
    ([*MAP, "--x-range", "0.9:0.1"], "--x-range: range '0.9:0.1'"),
    ([*MAP, "--y-range", "5:9"], "--y-range: hegemon.noise_sd"),
], ids=["seed-2-63", "seed-40-digits", "replay-2-63", "calibrate-seed", "min-score-nan", "min-score-inf",
        "level-negative", "level-one", "by-huge", "by-5000-digits", "x-range-reversed", "y-range-outside"])
def test_out_of_range_option_is_refused(here: Path, args: list[str], says: str) -> None:
    _refused(args, says)
    assert os.listdir(here) == []


# ---- derived outputs are checked before the run, so none is left half-done ------------------

def test_run_checks_its_summary_file_before_running(here: Path) -> None:
    (here / "o_summary.csv").mkdir()
    _refused(["run", "baseline", "-r", "2", "--months", "3", "--out", "o.csv"], "o_summary.csv", "is a folder")
    assert not (here / "o.csv").exists()


def test_run_refuses_one_file_for_out_and_chart(here: Path) -> None:
    _refused(["run", "baseline", "-r", "2", "--out", "o.html", "--chart", "o.html"], "o.html")


def test_validate_checks_its_json_file_before_running(here: Path) -> None:
    (here / "v.json").mkdir()
    _refused(["validate", "--out", "v.csv", "-r", "1", "--seeds", "1"], "v.json", "is a folder")
    assert not (here / "v.csv").exists()


def test_map_checks_its_png_folder_before_running(here: Path) -> None:
    (here / "p").write_text("x", encoding="utf-8")
    _refused([*MAP, "--png", "p"], "p")
    assert not (here / "m").exists()


# ---- JSON inputs: posterior files and study manifests ----------------------------------------

def _posterior(**changes: object) -> str:
    data = {"format": FORMAT, "parameters": ["balancer.initial_belief"], "samples": [[0.5], [0.6]],
            "weights": [1, 1], "episode_hash": ""}
    return json.dumps({**data, **changes})


@pytest.mark.parametrize(("text", "says"), [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    (_posterior().replace("[[0.5]", "[[" + "9" * 5000), "line 1"),
    (_posterior(weights=[1e308, 1e308]), "field 'weights'"),
    (_posterior(samples=[[True], [0.6]]), "field 'samples'"),
    (_posterior(parameters=[], samples=[[], []]), "no parameters listed"),
    ("DIR", "is a folder"),
], ids=["deep", "5000-digits", "weights-overflow", "bool-sample", "no-parameters", "folder"])
def test_bad_posterior_file_is_named(here: Path, text: str, says: str) -> None:
    if text == "DIR":
        (here / "p.json").mkdir()
    else:
        (here / "p.json").write_text(text, encoding="utf-8")
    _refused(["params", "--posterior", "p.json"], "p.json", says)


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from alliance.study.batch import run_batch

    folder = tmp_path_factory.mktemp("hostile") / "st"
    scen = folder.parent / "s.yaml"
    scen.write_text(PLAIN + "uncertainties:\n  hegemon.noise_sd: {dist: uniform, low: 0.05, high: 0.1}\n",
                    encoding="utf-8")
    run_batch([str(scen)], samples=2, replications=2, out=folder, seed=1, progress=False)
    return folder


@pytest.mark.parametrize(("edit", "says"), [
    (lambda text, m: "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    (lambda text, m: text.replace('"seed": 1', '"seed": 1' + "0" * 5000), "too large to read"),
    (lambda text, m: json.dumps({**m, "samples": -5}), "field 'samples'"),
    (lambda text, m: json.dumps({**m, "seed": float("nan")}), "field 'seed'"),
    (lambda text, m: json.dumps({**m, "total_runs": True}), "field 'total_runs'"),
    (lambda text, m: json.dumps({**m, "scenarios": [{**m["scenarios"][0], "replications": -1}]}),
     "field 'scenarios[0].replications'"),
], ids=["deep", "5000-digits", "negative-samples", "nan-seed", "bool-runs", "negative-replications"])
def test_damaged_manifest_is_named(study: Path, tmp_path: Path, edit, says: str) -> None:
    import shutil

    copy = tmp_path / "st"
    shutil.copytree(study, copy)
    text = (copy / "manifest.json").read_text(encoding="utf-8")
    (copy / "manifest.json").write_text(edit(text, json.loads(text)), encoding="utf-8")
    _refused(["results", "show", str(copy)], "manifest.json", says)


def test_a_map_with_every_cell_invalid_is_refused_not_drawn(here: Path) -> None:
    # x = 0 and 1: below the diplomatic threshold, above the military one; no cell is admissible
    _refused(MAP, "every one of the 4 cells", "cross-field rule", "--x-range")
    assert os.listdir(here) == []


def test_results_list_names_damaged_studies_and_refuses_a_file_as_root(here: Path) -> None:
    (here / "r" / "bad").mkdir(parents=True)
    (here / "r" / "bad" / "manifest.json").write_text("{", encoding="utf-8")
    r = runner.invoke(app, ["results", "list", "--root", "r"])
    assert r.exit_code == 0, (r.output, r.exception)
    assert "damaged: r/bad/manifest.json, line 1: not a JSON study manifest" in r.stdout.replace("\n", "")
    (here / "f").write_text("x", encoding="utf-8")
    _refused(["results", "list", "--root", "f"], "--root f: not a folder")
