"""The tuning app's files: save as scenario (confined, validated, reproducible), uploads, CSV,
the scenario picker's sources, the `alliance app` command's checks and the offline assets."""

from __future__ import annotations

import io
import socket
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from alliance.app import assets as app_assets
from alliance.app.files import (
    MAX_UPLOAD_BYTES,
    FileRejected,
    accept_upload,
    check_name,
    confined_path,
    results_csv,
    save_tuned,
    scenario_sources,
)
from alliance.app.state import run_ensemble, tuned_scenario
from alliance.cli import app
from alliance.model import load_scenario, simulate
from alliance.model.scenario_files import shipped_scenarios
from alliance.model.yamlio import InputError

runner = CliRunner()
TUNED = {"hegemon.threshold.economic": 0.55, "balancer.ceiling.energy": 0.6,
         "partner.patience_months": 4.0}


@pytest.fixture
def original():
    return load_scenario("energy_support_georgia_ukraine"), shipped_scenarios()["energy_support_georgia_ukraine"]


def test_saved_scenario_extends_the_original_with_nested_overrides(tmp_path, original):
    sc, path = original
    saved, loaded = save_tuned(tmp_path, "tuned_energy", sc, path, TUNED, 80, 11)
    assert saved == tmp_path.resolve() / "tuned_energy.yaml"
    doc = yaml.safe_load(saved.read_text())
    assert doc["extends"] == "energy_support_georgia_ukraine"
    assert doc["actors"] == {"hegemon": {"threshold": {"economic": 0.55}},
                             "balancer": {"ceiling": {"energy": 0.6}},
                             "partner": {"patience_months": 4}}
    assert isinstance(doc["actors"]["partner"]["patience_months"], int)
    assert (doc["replications"], doc["seed"]) == (80, 11)
    again = load_scenario(saved)
    assert again == loaded
    tuned = tuned_scenario(sc, TUNED, 80, 11)
    assert again.params() == tuned.params()
    assert again.events == sc.events
    assert [p.name for p in tmp_path.iterdir()] == ["tuned_energy.yaml"]  # no temporary left


def test_saved_scenario_reproduces_the_apps_numbers_through_alliance_run(tmp_path, original):
    sc, path = original
    saved, _ = save_tuned(tmp_path, "tuned_cli", sc, path, TUNED, 50, 5)
    ens = run_ensemble(tuned_scenario(sc, TUNED, 50, 5))
    out = tmp_path / "out" / "res.csv"
    result = runner.invoke(app, ["run", str(saved), "--seed", "5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    summ = pd.read_csv(out.with_name("res_summary.csv"))
    np.testing.assert_array_equal(summ["sanctions_ever"], ens.summary["sanctions_ever"])
    np.testing.assert_allclose(summ["final_coop_energy"], ens.summary["final_coop_energy"], rtol=1e-6)
    traj = pd.read_csv(out)
    p = traj.groupby("month")["sanctions"].mean().to_numpy()
    np.testing.assert_allclose(p, ens.sanctions_probability(), atol=1e-12)


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", "Bad_Name", "has space", "x.yaml", "",
                                  "1starts_with_digit", "a" * 65, "/etc/passwd", "name\n"])
def test_bad_names_are_refused_and_nothing_is_written(tmp_path, original, name):
    sc, path = original
    folder = tmp_path / "mine"
    with pytest.raises(FileRejected):
        save_tuned(folder, name, sc, path, TUNED, 20, 0)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == []


def test_confined_path_stays_in_the_folder(tmp_path):
    assert confined_path(tmp_path, "ok_name").parent == tmp_path.resolve()
    with pytest.raises(FileRejected):
        check_name("../../x")


def test_an_existing_file_is_never_overwritten(tmp_path, original):
    sc, path = original
    save_tuned(tmp_path, "once", sc, path, TUNED, 20, 0)
    before = (tmp_path / "once.yaml").read_bytes()
    with pytest.raises(FileRejected, match="already exists"):
        save_tuned(tmp_path, "once", sc, path, {"hegemon.threshold.economic": 0.6}, 20, 0)
    assert (tmp_path / "once.yaml").read_bytes() == before


def test_a_user_scenario_can_be_tuned_and_saved_beside_itself(tmp_path, original):
    sc, path = original
    first, _ = save_tuned(tmp_path, "first", sc, path, TUNED, 20, 0)
    base = load_scenario(first)
    with pytest.raises(FileRejected, match="being tuned"):
        save_tuned(tmp_path, "first", base, first, {}, 20, 0)
    second, loaded = save_tuned(tmp_path, "second", base, first, {"hegemon.hardening": 0.1}, 20, 0)
    assert yaml.safe_load(second.read_text())["extends"] == "first.yaml"
    assert loaded.params()["hegemon.hardening"] == 0.1
    assert loaded.params()["hegemon.threshold.economic"] == 0.55


def test_a_user_file_shadowing_a_shipped_name_is_not_mistaken_for_it(tmp_path, original):
    sc, path = original
    (tmp_path / "energy_support_georgia_ukraine.yaml").write_text(
        "name: energy_support_georgia_ukraine\ndescription: a different scenario of the same name\n")
    saved, loaded = save_tuned(tmp_path, "tuned", sc, path, TUNED, 20, 0)
    assert yaml.safe_load(saved.read_text())["extends"] != "energy_support_georgia_ukraine"
    assert loaded.events == sc.events


def test_scenario_sources_list_shipped_then_user_files(tmp_path, original):
    sc, path = original
    save_tuned(tmp_path, "mine", sc, path, TUNED, 20, 0)
    sources = scenario_sources(tmp_path)
    assert "baseline" in sources
    assert "user: mine" in sources
    assert sources["user: mine"].path == tmp_path / "mine.yaml"
    extra = tmp_path / "elsewhere" / "other.yaml"
    extra.parent.mkdir()
    extra.write_text("name: other\ndescription: a scenario outside both folders\n")
    assert scenario_sources(tmp_path, extra)["file: other.yaml"].path == extra


# ------------------------------------------------------------------ uploads
GOOD = b"name: uploaded_one\ndescription: an uploaded scenario for the test\nextends: baseline\n" \
       b"actors:\n  hegemon:\n    threshold: {economic: 0.6}\n"


def test_a_valid_upload_is_stored_under_its_name(tmp_path):
    path, sc = accept_upload(tmp_path, "whatever.yaml", len(GOOD), GOOD)
    assert path == tmp_path.resolve() / "uploaded_one.yaml"
    assert sc.params()["hegemon.threshold.economic"] == 0.6
    assert load_scenario(path) == sc


@pytest.mark.parametrize(("data", "size", "error", "fragment"), [
    (b"x" * (MAX_UPLOAD_BYTES + 1), None, FileRejected, "limited"),
    (GOOD, MAX_UPLOAD_BYTES * 10, FileRejected, "limited"),
    (b"name: x\n\xff\xfe not utf-8", None, InputError, r"not UTF-8 text \(byte 0xff\)"),
    (b"name: [unclosed\n", None, InputError, "malformed YAML"),
    (b"- a list\n", None, InputError, "mapping"),
    (b"name: ../../evil\ndescription: path traversal attempt\n", None, FileRejected, "snake_case"),
    (b"name: baseline\ndescription: shadowing a shipped scenario\n", None, FileRejected, "shipped"),
    (b"name: typo_one\ndescription: an upload with a misspelt key\nhorizon_monts: 12\n", None, InputError,
     "unknown key"),
    (b"name: bad_range\ndescription: an upload with a bad value\nactors:\n  hegemon:\n"
     b"    threshold: {economic: 7}\n", None, InputError, "less than or equal"),
])
def test_bad_uploads_are_refused_with_a_message_and_leave_nothing(tmp_path, data, size, error, fragment):
    with pytest.raises(error, match=fragment) as info:
        accept_upload(tmp_path, "up.yaml", size, data)
    if error is InputError:
        assert info.value.file == "up.yaml"
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_bad_upload_error_names_the_line(tmp_path):
    data = b"name: bad_line\ndescription: an upload with a bad value\nactors:\n  hegemon:\n" \
           b"    threshold: {economic: 7}\n"
    with pytest.raises(InputError) as info:
        accept_upload(tmp_path, "up.yaml", None, data)
    assert info.value.line == 5
    assert "economic" in (info.value.field or "")


# ------------------------------------------------------------------ CSV
def test_csv_download_matches_alliance_run(tmp_path):
    sc = tuned_scenario(load_scenario("baseline"), {"hegemon.threshold.economic": 0.6}, 15, 2)
    df = pd.read_csv(io.BytesIO(results_csv(sc)))
    want = simulate(sc).trajectories
    assert len(df) == len(want)
    assert set(want.columns) <= set(df.columns)
    np.testing.assert_allclose(df["threat"], want["threat"], rtol=1e-6)
    summ = pd.read_csv(io.BytesIO(results_csv(sc, "summary")))
    assert len(summ) == 15
    assert (summ["scenario"] == "baseline").all()


# ------------------------------------------------------------------ `alliance app` checks
def test_app_command_rejects_a_bad_scenario_with_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ndescription: has an unknown key here\nfoo: 1\n")
    res = runner.invoke(app, ["app", str(bad), "--port", "1"])
    assert res.exit_code == 2
    assert "bad.yaml" in res.output
    assert "foo" in res.output
    res = runner.invoke(app, ["app", "no_such_scenario"])
    assert res.exit_code == 2
    assert "no scenario named" in res.output


def test_app_command_reports_a_busy_port_with_exit_2():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        res = runner.invoke(app, ["app", "baseline", "--port", str(port)])
    assert res.exit_code == 2
    assert f"--port {port}" in res.output


def test_server_command_binds_the_given_host_in_production_mode():
    from alliance.cli.webapp import DEFAULT_HOST, server_command

    assert DEFAULT_HOST == "127.0.0.1"
    cmd = server_command("127.0.0.1", 9000)
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    assert "--production" in cmd
    assert "alliance.app.server:Page" in cmd  # the page, warmed before the server listens


def test_offline_assets_are_read_from_the_solara_template(tmp_path):
    specs = app_assets.required_packages()
    assert any(s.startswith("requirejs@") for s in specs)
    assert any("solara-vuetify" in s for s in specs)
    assert app_assets.missing(tmp_path) == specs
    (tmp_path / specs[0]).mkdir(parents=True)
    assert specs[0] not in app_assets.missing(tmp_path)


def test_the_cartesian_plotly_bundle_matches_plotly_and_is_found_only_when_cached(tmp_path):
    from plotly.offline import get_plotlyjs_version

    spec = app_assets.partial_bundle_spec()
    assert spec == f"plotly.js-cartesian-dist-min@{get_plotlyjs_version()}"
    assert spec in app_assets.required_packages()
    assert app_assets.partial_bundle_dir(tmp_path) is None
    (tmp_path / spec).mkdir()
    assert app_assets.partial_bundle_dir(tmp_path) is None  # an empty folder is not the bundle
    (tmp_path / spec / app_assets.PARTIAL_BUNDLE_FILE).write_text("/* plotly.js */")
    assert app_assets.partial_bundle_dir(tmp_path) == tmp_path / spec


def test_stale_temporary_files_are_not_listed(tmp_path):
    (tmp_path / ".half.written.yaml").write_text("name: half\n")
    assert not any("half" in k for k in scenario_sources(tmp_path))


def test_user_dir_may_not_exist_yet(tmp_path):
    assert all(not k.startswith("user:") for k in scenario_sources(tmp_path / "nope"))
    assert not Path(tmp_path / "nope").exists()


def test_saved_scenario_runs_unchanged_through_alliance_batch(tmp_path, original):
    sc, path = original
    saved, _ = save_tuned(tmp_path / "mine", "tuned_batch", sc, path, TUNED, 40, 3)
    ens = run_ensemble(tuned_scenario(sc, TUNED, 40, 3))
    out = tmp_path / "study"
    result = runner.invoke(app, ["batch", str(saved), "--out", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    stored = pd.read_parquet(out / "summary").sort_values("replication")
    assert len(stored) == 40
    assert set(stored["scenario"]) == {"tuned_batch"}
    np.testing.assert_array_equal(stored["sanctions_ever"], ens.summary["sanctions_ever"])
    np.testing.assert_allclose(stored["final_coop_energy"], ens.summary["final_coop_energy"], rtol=1e-6)
