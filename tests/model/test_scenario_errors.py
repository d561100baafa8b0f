"""Bad scenario input: one clear message naming file, line and field; exit code 2; no output.

Each case is a small file (or a file set) written to a temporary folder and fed to
``alliance run FILE --out …`` and ``alliance check FILE`` (in-process with typer's CliRunner; a few
cases also through a real subprocess). The message must name the file, the line where the YAML
gives one, and the field; stderr must hold exactly one line and no traceback; nothing may be
written next to ``--out``. The same cases are checked on ``load_scenario`` itself, whose
``InputError`` carries the file, line and field as attributes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.model.scenario_files import load_scenario
from alliance.model.yamlio import InputError

HEAD = "name: {name}\ndescription: a scenario written to be wrong\n"


@dataclass(frozen=True)
class Case:
    """``files`` are written to a temporary folder; ``target`` is the one given to the CLI."""

    id: str
    files: dict[str, str | bytes]
    target: str
    says: tuple[str, ...]  # substrings the message must contain
    file: str | None  # the file the message must name (None: no file is involved)
    line: int | None = None
    field: str | None = None
    sets: tuple[str, ...] = ()  # --set options (run only)
    only_run: bool = False


def _one(name: str, body: str) -> dict[str, str | bytes]:
    return {f"{name}.yaml": HEAD.format(name=name) + body}


CASES: list[Case] = [
    Case("misspelt_top_level_key", _one("typo", "horizon_monhts: 24\n"), "typo.yaml",
         ("unknown key 'horizon_monhts'",), "typo.yaml", 3, "horizon_monhts"),
    Case("misspelt_key_in_actor_block",
         _one("typo_actor", "actors:\n  balancer:\n    risk_aversoin: 1.0\n"), "typo_actor.yaml",
         ("unknown key 'risk_aversoin'",), "typo_actor.yaml", 5, "actors.balancer.risk_aversoin"),
    Case("misspelt_key_in_parameter_group",
         _one("typo_group", "actors:\n  hegemon:\n    threshold:\n      economc: 0.7\n"),
         "typo_group.yaml", ("unknown key 'economc'",), "typo_group.yaml", 6,
         "actors.hegemon.threshold.economc"),
    Case("misspelt_key_in_event",
         _one("typo_event", "events:\n  - month: 3\n    kind: request\n    domian: energy\n"
                            "    level: 0.5\n"),
         "typo_event.yaml", ("unknown key 'domian'",), "typo_event.yaml", 6, "events.0.domian"),
    Case("value_out_of_range", _one("range", "actors:\n  balancer:\n    risk_aversion: 9.0\n"),
         "range.yaml", ("less than or equal to 5", "9.0"), "range.yaml", 5,
         "actors.balancer.risk_aversion"),
    Case("top_level_value_out_of_range", _one("range_top", "horizon_months: 0\n"), "range_top.yaml",
         ("greater than or equal to 1",), "range_top.yaml", 3, "horizon_months"),
    Case("unknown_actor", _one("actor", "actors:\n  china:\n    name: China\n"), "actor.yaml",
         ("unknown key 'china'",), "actor.yaml", 4, "actors.china"),
    Case("unknown_domain_in_event",
         _one("domain", "events:\n  - month: 3\n    kind: request\n    domain: space\n"
                        "    level: 0.5\n"),
         "domain.yaml", ("'space'", "energy"), "domain.yaml", 6, "events.0.domain"),
    Case("unknown_domain_in_group", _one("domain_group", "actors:\n  balancer:\n    ceiling: {space: 0.5}\n"),
         "domain_group.yaml", ("unknown key 'space'",), "domain_group.yaml", 5,
         "actors.balancer.ceiling.space"),
    Case("malformed_yaml", {"malformed.yaml": 'name: malformed\ndescription: "unclosed\nseed: [1, 2\n'},
         "malformed.yaml", ("malformed YAML", "quoted scalar", "line 2"), "malformed.yaml", 4),
    Case("malformed_indentation",
         {"indent.yaml": "name: indent\ndescription: bad indentation here\n  seed: 3\n seed: 4\n"},
         "indent.yaml", ("malformed YAML",), "indent.yaml", 3),
    Case("duplicate_key", _one("dup", "seed: 1\nseed: 2\n"), "dup.yaml",
         ("duplicate key 'seed'", "first on line 3"), "dup.yaml", 4, "seed"),
    Case("duplicate_key_nested", _one("dup2", "actors:\n  hegemon:\n    noise_sd: 0.1\n    noise_sd: 0.2\n"),
         "dup2.yaml", ("duplicate key 'noise_sd'", "first on line 5"), "dup2.yaml", 6, "noise_sd"),
    Case("event_after_horizon",
         _one("late", "horizon_months: 12\nevents:\n  - month: 20\n    kind: harden\n    amount: 0.1\n"),
         "late.yaml", ("after the horizon", "horizon_months = 12"), "late.yaml", 5, "events.0.month"),
    Case("extends_cycle",
         {"a.yaml": HEAD.format(name="a") + "extends: b\n",
          "b.yaml": HEAD.format(name="b") + "extends: a.yaml\n"},
         "a.yaml", ("cycle in 'extends'", "a.yaml → b.yaml → a.yaml"), "b.yaml", 3, "extends"),
    Case("extends_self_cycle", _one("selfref", "extends: selfref\n"), "selfref.yaml",
         ("cycle in 'extends'", "selfref.yaml → selfref.yaml"), "selfref.yaml", 3, "extends"),
    Case("extends_missing_parent", _one("orphan", "extends: no_such_parent.yaml\n"), "orphan.yaml",
         ("no scenario file", "no_such_parent.yaml"), "orphan.yaml", 3, "extends"),
    Case("error_in_parent_names_the_parent",
         {"child.yaml": HEAD.format(name="child") + "extends: parent\n",
          "parent.yaml": HEAD.format(name="parent") + "events:\n  - month: 2\n    kind: harden\n"
                                                      "    amount: 0.1\n    amout: 3\n"},
         "child.yaml", ("unknown key 'amout'", "through 'extends' from"), "parent.yaml", 7,
         "events.0.amout"),
    Case("child_event_line_after_parent_events",
         {"child2.yaml": HEAD.format(name="child2") + "extends: parent2\nevents:\n"
                         "  - {month: 2, kind: harden, amount: 0.1}\n"
                         "  - {month: 50, kind: harden, amount: 0.1}\n",
          "parent2.yaml": HEAD.format(name="parent2") + "events:\n  - {month: 1, kind: harden, amount: 0.1}\n"},
         "child2.yaml", ("month 50 is after the horizon",), "child2.yaml", 6, "events.2.month"),
    Case("not_utf8", {"latin.yaml": b"name: latin\ndescription: caf\xe9 au lait, a scenario\n"},
         "latin.yaml", ("not UTF-8", "0xe9"), "latin.yaml", 2),
    Case("unknown_event_kind", _one("kind", "events:\n  - month: 3\n    kind: invade\n"), "kind.yaml",
         ("unknown event kind 'invade'", "request, force, lose_alternative, harden, set"),
         "kind.yaml", 4, "events.0"),
    Case("event_without_kind", _one("nokind", "events:\n  - month: 3\n    amount: 0.1\n"), "nokind.yaml",
         ("needs a 'kind'",), "nokind.yaml", 4, "events.0"),
    Case("thresholds_out_of_order",
         _one("order", "actors:\n  hegemon:\n    threshold: {diplomatic: 0.7, economic: 0.6}\n"),
         "order.yaml", ("diplomatic < economic < military", "0.7 / 0.6"), "order.yaml", 5,
         "actors.hegemon.threshold"),
    Case("initial_above_ceiling",
         _one("ceil", "actors:\n  balancer:\n    ceiling: {energy: 0.1}\n"),
         "ceil.yaml", ("balancer.initial.energy = 0.15 is above balancer.ceiling.energy = 0.1",),
         "ceil.yaml", 4, "actors.balancer.initial.energy"),
    Case("forced_level_above_ceiling",
         _one("forced", "events:\n  - month: 3\n    kind: force\n    domain: integration\n    level: 0.9\n"),
         "forced.yaml", ("above balancer.ceiling.integration = 0.2",), "forced.yaml", 7,
         "events.0.level"),
    Case("set_event_unknown_parameter",
         _one("setev", "events:\n  - {month: 3, kind: set, param: hegemon.treshold, value: 0.5}\n"),
         "setev.yaml", ("unknown parameter 'hegemon.treshold'",), "setev.yaml", 4, "events.0"),
    Case("cli_set_unknown_parameter", _one("ok1", ""), "ok1.yaml",
         ("unknown parameter 'hegemon.foo'",), None, None, "--set", ("hegemon.foo=1",), True),
    Case("cli_set_actors_prefix", _one("ok2", ""), "ok2.yaml",
         ("did you mean 'hegemon.noise_sd'",), None, None, "--set", ("actors.hegemon.noise_sd=0.1",), True),
    Case("cli_set_out_of_range", _one("ok3", ""), "ok3.yaml",
         ("hegemon.noise_sd = 5.0 is outside its range [0.0, 0.3]",), "ok3.yaml", None, "--set",
         ("hegemon.noise_sd=5",), True),
    Case("cli_set_breaks_cross_check", _one("ok4", ""), "ok4.yaml",
         ("diplomatic < economic < military",), "ok4.yaml", None, "--set",
         ("hegemon.threshold.economic=0.4",), True),
    Case("cli_set_top_level_out_of_range", _one("ok5", ""), "ok5.yaml",
         ("replications = 0", "greater than or equal to 1"), "ok5.yaml", None, "--set",
         ("replications=0",), True),
    Case("cli_set_not_a_number", _one("ok6", ""), "ok6.yaml",
         ("hegemon.noise_sd: 'abc' is not a number",), None, None, "--set", ("hegemon.noise_sd=abc",), True),
    Case("cli_set_without_equals", _one("ok7", ""), "ok7.yaml",
         ("expects path=value",), None, None, "--set", ("hegemon.noise_sd",), True),
    Case("cli_set_fractional_seed", _one("ok8", ""), "ok8.yaml",
         ("seed: '1.5' must be a whole number",), None, None, "--set", ("seed=1.5",), True),
    Case("missing_file", {}, "missing.yaml", ("file not found",), "missing.yaml"),
    Case("unknown_scenario_name", {}, "no_such_scenario", ("no scenario named 'no_such_scenario'",),
         None, None, "scenario"),
    Case("list_instead_of_mapping", {"list.yaml": "- name: list\n- description: a list\n"},
         "list.yaml", ("must be a YAML mapping", "not a list"), "list.yaml", 1),
    Case("empty_file", {"empty.yaml": ""}, "empty.yaml", ("the file is empty",), "empty.yaml", 1),
    Case("missing_required_key", {"nodesc.yaml": "name: nodesc\n"}, "nodesc.yaml",
         ("Field required",), "nodesc.yaml", 1, "description"),
    Case("python_object_tag",
         {"tag.yaml": 'name: tag\ndescription: !!python/object/apply:os.system ["touch {marker}"]\n'},
         "tag.yaml", ("!!python/object/apply:os.system", "not allowed", "plain data"), "tag.yaml", 2),
    Case("python_name_tag", {"tag2.yaml": "name: tag2\ndescription: !!python/name:os.system\n"},
         "tag2.yaml", ("!!python/name:os.system", "not allowed"), "tag2.yaml", 2),
    Case("unhashable_key", {"unhash.yaml": "name: unhash\ndescription: a list as a key\n? [a, b]\n: 1\n"},
         "unhash.yaml", ("a list or mapping used as a key",), "unhash.yaml", 3),
    Case("alias_bomb", {}, "lol.yaml", ("YAML nodes once aliases are expanded",), "lol.yaml"),
    Case("nested_too_deeply",
         {"deep.yaml": "name: deep\ndescription: deep nesting\nseed: " + "[" * 600 + "]" * 600 + "\n"},
         "deep.yaml", ("nested too deeply",), "deep.yaml"),
    Case("fifty_megabytes", {}, "big.yaml", ("52,428,800 bytes", "limit is 1,000,000"), "big.yaml"),
]


def _alias_bomb() -> str:
    lines = ["name: lol", "description: a billion laughs", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    return "\n".join([*lines, "events: *a8"]) + "\n"


def _write(case: Case, folder: Path) -> Path:
    marker = folder / "PWNED"
    for name, content in case.files.items():
        p = folder / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content.replace("{marker}", str(marker)), encoding="utf-8")
    if case.id == "alias_bomb":
        (folder / "lol.yaml").write_text(_alias_bomb(), encoding="utf-8")
    if case.id == "fifty_megabytes":
        with open(folder / "big.yaml", "wb") as fh:  # sparse: instant, takes no disk space
            fh.write(b"name: big\ndescription: fifty megabytes of nothing\n")
            fh.truncate(50 * 1024 * 1024)
    return folder / case.target


def _check_message(case: Case, text: str, tmp: Path) -> None:
    assert "Traceback" not in text, text
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected one message, got:\n{text}"
    msg = lines[0]
    assert msg.startswith("error: "), msg
    for s in case.says:
        assert s in msg, f"{s!r} not in {msg!r}"
    if case.file is not None:
        assert case.file in msg, msg
    if case.line is not None:
        assert f", line {case.line}:" in msg, msg
    else:
        assert ", line " not in msg, msg
    if case.field is not None:
        assert f"field '{case.field}'" in msg, msg
    assert not (tmp / "PWNED").exists(), "a YAML tag ran a command"


runner = CliRunner()


CLI_CASES = [(c, cmd) for c in CASES for cmd in ("run", "check") if not (c.only_run and cmd == "check")]


@pytest.mark.parametrize(("case", "command"), CLI_CASES, ids=[f"{c.id}-{cmd}" for c, cmd in CLI_CASES])
def test_cli_rejects_bad_input(case: Case, command: str, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # messages name files as given: relative to here
    _write(case, tmp_path)
    before = set(os.listdir(tmp_path))
    out = tmp_path / "results" / "out.csv"
    if command == "run":
        args = ["run", case.target, "--replications", "3", "--out", str(out)]
        for s in case.sets:
            args += ["--set", s]
    else:
        args = ["check", case.target]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.stdout == "", result.stdout
    _check_message(case, result.stderr, tmp_path)
    assert not out.exists()
    assert not out.parent.exists()
    assert set(os.listdir(tmp_path)) == before, "something was written"


@pytest.mark.parametrize("case", [c for c in CASES if not c.only_run], ids=lambda c: c.id)
def test_load_scenario_error_attributes(case: Case, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _write(case, tmp_path)
    with pytest.raises(InputError) as info:
        load_scenario(case.target)
    exc = info.value
    assert exc.line == case.line
    assert exc.field == case.field
    if case.file is not None:
        assert exc.file is not None
        assert Path(exc.file).name == Path(case.file).name


def test_load_scenario_rejects_bad_updates(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(HEAD.format(name="ok"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(path, {"hegemon.noise_sd": 5.0})
    assert info.value.field == "--set"
    assert "hegemon.noise_sd" in info.value.message


@pytest.mark.parametrize("case_id", ["misspelt_key_in_event", "python_object_tag"])
def test_real_process_exit_code_and_stderr(case_id: str, tmp_path: Path) -> None:
    """The console entry point, in a fresh interpreter: exit code 2, one line, no traceback."""
    case = next(c for c in CASES if c.id == case_id)
    target = _write(case, tmp_path)
    out = tmp_path / "out.parquet"
    proc = subprocess.run(
        [sys.executable, "-c", "from alliance.cli import main; main()",
         "run", str(target), "--replications", "3", "--out", str(out)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    _check_message(case, proc.stderr, tmp_path)
    assert not out.exists()
    assert not list(tmp_path.glob(".out.parquet.*")), "a temporary output file was left behind"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that exists but cannot be read (permissions; simulated, as tests may run as root)."""
    path = tmp_path / "locked.yaml"
    path.write_text(HEAD.format(name="locked"), encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2, (result.output, result.exception)
    case = Case("unreadable", {}, "locked.yaml", ("cannot read file: Permission denied",), "locked.yaml")
    _check_message(case, result.stderr, tmp_path)


def test_every_error_of_a_file_is_named_with_its_line(tmp_path: Path) -> None:
    """A file with several mistakes names each (line and field), not only the first."""
    bad = tmp_path / "several.yaml"
    bad.write_text("name: several\ndescription: several mistakes at once\nhorizon_months: -3\n"
                   "replications: abc\nevents:\n  - month: 2\n    kind: boom\n")
    with pytest.raises(InputError) as exc:
        load_scenario(bad)
    text = exc.value.format()
    assert text.startswith(f"{bad}, line 3: field 'horizon_months'")
    assert "line 4: field 'replications'" in text
    assert "line 6: field 'events.0': unknown event kind 'boom'" in text  # the event's first line
    assert "more error" not in text


def test_a_flood_of_errors_is_counted_after_the_first_few(tmp_path: Path) -> None:
    bad = tmp_path / "flood.yaml"
    events = "".join(f"  - month: {m}\n    kind: boom\n" for m in range(1, 13))
    bad.write_text(f"name: flood\ndescription: twelve unknown events\nevents:\n{events}")
    with pytest.raises(InputError) as exc:
        load_scenario(bad)
    text = exc.value.format()
    assert text.count("unknown event kind") == 6  # the first and five more spelt out
    assert text.endswith("(and 6 more errors)")
