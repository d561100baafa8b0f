"""Uploads cannot read server files, hostile files give a message (never a traceback), and no save
shadows a shipped scenario."""

from __future__ import annotations

import pytest

from alliance.app.files import FileRejected, accept_upload, save_tuned
from alliance.model import load_scenario
from alliance.model.scenario_files import scenarios_dir, shipped_scenarios
from alliance.model.yamlio import InputError

HEAD = b"name: hostile\ndescription: a hostile upload for the test\n"

BAD_UPLOADS = {
    "extends /etc/passwd": HEAD + b"extends: /etc/passwd\n",
    "extends a server yaml by path": HEAD + b"extends: ../scenarios/baseline.yaml\n",
    "extends a glob": HEAD + b"extends: '*'\n",
    "extends a number": HEAD + b"extends: 3\n",
    "extends a list": HEAD + b"extends: [baseline]\n",
    "extends an episode": HEAD + b"extends: k1_kazakhstan_2006\n",
    "huge integer": HEAD + b"seed: " + b"9" * 5000 + b"\n",
    "!!int abc": HEAD + b"seed: !!int abc\n",
    "!!float junk": HEAD + b"seed: !!float x1\n",
    "python object tag": HEAD + b"seed: !!python/object/apply:os.system ['true']\n",
    "nan threshold": HEAD + b"extends: baseline\nactors:\n  hegemon:\n    threshold: {economic: .nan}\n",
}


def _server_strings() -> list[str]:
    root = scenarios_dir().resolve()
    return [str(root), str(root.parent), "/etc/passwd", "root:"]


@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_bad_upload_gives_a_message_naming_only_the_upload(tmp_path, case):
    folder = tmp_path / "user"
    with pytest.raises((FileRejected, InputError)) as info:
        accept_upload(folder, "up.yaml", None, BAD_UPLOADS[case])
    exc = info.value
    msg = exc.format() if isinstance(exc, InputError) else str(exc)
    assert msg.strip()
    if isinstance(exc, InputError):
        assert exc.file == "up.yaml"
    for s in _server_strings():
        assert s not in msg, (case, msg)
    assert not folder.exists() or [p for p in folder.rglob("*") if p.is_file()] == []


def test_extends_may_name_only_shipped_scenarios(tmp_path):
    folder = tmp_path / "user"
    folder.mkdir()
    (folder / "mine.yaml").write_text("name: mine\ndescription: a user scenario in the folder\n")
    with pytest.raises(FileRejected, match="shipped scenario"):
        accept_upload(folder, "up.yaml", None, HEAD + b"extends: mine\n")
    _path, sc = accept_upload(folder, "up.yaml", None, HEAD + b"extends: energy_support_forced\n")
    assert sc.events == load_scenario("energy_support_forced").events


def test_a_shadowing_file_makes_extends_ambiguous(tmp_path):
    (tmp_path / "baseline.yaml").write_text("name: baseline\ndescription: a file shadowing the shipped one\n")
    with pytest.raises(FileRejected, match="ambiguous"):
        accept_upload(tmp_path, "up.yaml", None, HEAD + b"extends: baseline\n")


def test_an_error_met_in_the_shipped_parent_names_neither_its_path_nor_line(tmp_path):
    # economic below the shipped parent's diplomatic threshold: the cross-field rule fails on the merge
    data = HEAD + b"extends: baseline\nactors:\n  hegemon:\n    threshold: {economic: 0.01}\n"
    with pytest.raises(InputError) as info:
        accept_upload(tmp_path, "up.yaml", None, data)
    msg = info.value.format()
    assert info.value.file == "up.yaml"
    assert "diplomatic" in msg
    for s in _server_strings():
        assert s not in msg


@pytest.mark.parametrize("name", sorted(shipped_scenarios())[:3])
def test_saving_under_a_shipped_name_is_refused(tmp_path, name):
    path = shipped_scenarios()["baseline"]
    sc = load_scenario(path)
    with pytest.raises(FileRejected, match="shipped"):
        save_tuned(tmp_path, name, sc, path, {"hegemon.hardening": 0.1}, 10, 0)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FileRejected, match="shipped"):
        save_tuned(scenarios_dir(), "baseline", sc, path, {}, 10, 0)
