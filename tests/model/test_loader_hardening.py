"""Hostile scenario files (issue 13): each class meets one message naming file, line and field.

``extends:`` takes a shipped name or a path, never a pattern, a number, a list, a NUL byte or an
over-long name; integers beyond Python's 4,300-digit limit, non-finite numbers (in any field,
``when.above`` and ``expected.lag_months`` included), values a YAML tag cannot build and
distributions the sampler cannot draw from are refused; ``--set seed=…`` is read exactly. Every
case goes through ``alliance run FILE -r 2 --out X.csv`` and ``alliance check``: exit 2, one line,
no traceback, nothing written.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.model.assignments import parse_assignments
from alliance.model.scenario_files import load_scenario
from alliance.model.yamlio import InputError

HEAD = "name: {name}\ndescription: a scenario written to be wrong\n"
HUGE = "9" * 5000
EPISODE = Path(__file__).resolve().parents[2] / "scenarios" / "episodes" / "k1_kazakhstan_2006.yaml"

# (id, body after the two head lines, substrings of the message, line, field)
CASES: list[tuple[str, str, tuple[str, ...], int | None, str | None]] = [
    ("extends_star", "extends: '*'\n", ("pattern",), 3, "extends"),
    ("extends_double_star", "extends: '**'\n", ("pattern",), 3, "extends"),
    ("extends_glob_path", "extends: '**/*.yaml'\n", ("pattern",), 3, "extends"),
    ("extends_absolute_glob", "extends: /etc/*/*.yaml\n", ("pattern",), 3, "extends"),
    ("extends_question_mark", "extends: baselin?\n", ("pattern",), 3, "extends"),
    ("extends_number", "extends: 12\n", ("must be a scenario name or file", "int"), 3, "extends"),
    ("extends_bool", "extends: true\n", ("must be a scenario name or file", "bool"), 3, "extends"),
    ("extends_list", "extends: [baseline]\n", ("must be a scenario name or file", "list"), 3, "extends"),
    ("extends_nul", 'extends: "base\\0line"\n', ("NUL byte",), 3, "extends"),
    ("extends_long_name", f"extends: {'x' * 5000}\n", ("too long",), 3, "extends"),
    ("extends_long_path", f"extends: /{'y' * 300}.yaml\n", ("too long",), 3, "extends"),
    ("huge_integer", f"seed: {HUGE}\n", ("5,000 digits", "too large"), 3, "seed"),
    ("huge_negative_integer", f"horizon_months: -{HUGE}\n", ("too large",), 3, "horizon_months"),
    ("huge_integer_in_list", f"events:\n  - month: {HUGE}\n", ("too large",), 4, "events.0.month"),
    ("huge_hex_integer", f"seed: 0x{'f' * 4000}\n", ("4,000 digits", "too large"), 3, "seed"),
    ("int_tag_on_text", "seed: !!int abc\n", ("cannot read the value 'abc' as !!int",), 3, "seed"),
    ("float_tag_on_text", "seed: !!float x\n", ("cannot read the value 'x' as !!float",), 3, "seed"),
    ("bad_timestamp", "seed: !!timestamp 2001-99-99\n", ("!!timestamp",), 3, "seed"),
    ("nan_value", "actors:\n  hegemon:\n    noise_sd: .nan\n", ("not a finite number",), 5,
     "actors.hegemon.noise_sd"),
    ("inf_value", "horizon_months: .inf\n", ("not a finite number",), 3, "horizon_months"),
    ("inf_through_an_alias", "horizon_months: &h .inf\nreplications: *h\n", ("not a finite number",), 3,
     "horizon_months"),
    ("overflowing_float", "actors:\n  balancer:\n    risk_aversion: 1e999\n", ("finite number",),
     5, "actors.balancer.risk_aversion"),
    ("nan_string", "actors:\n  balancer:\n    risk_aversion: 'nan'\n", ("finite",), 5,
     "actors.balancer.risk_aversion"),
    ("nan_in_when_above",
     "events:\n  - kind: harden\n    amount: 0.1\n    when: {outcome: threat, above: .nan}\n",
     ("not a finite number",), 6, "events.0.when.above"),
    ("nan_string_in_when_above",
     "events:\n  - kind: harden\n    amount: 0.1\n    when: {outcome: threat, above: 'nan'}\n",
     ("finite",), 6, "events.0.when.above"),
    ("normal_mean_1e300",
     "uncertainties:\n  hegemon.noise_sd: {dist: normal, mean: 1.0e+300, sd: 1}\n",
     ("cannot be sampled",), 3, "uncertainties"),
    ("normal_sd_1e300",
     "uncertainties:\n  hegemon.noise_sd: {dist: normal, mean: 0.5, sd: 1.0e+300}\n",
     ("cannot be sampled",), 3, "uncertainties"),
    ("when_above_beyond_range",
     "events:\n  - kind: harden\n    amount: 0.1\n    when: {outcome: threat, above: 1.0e+300}\n",
     ("outside threat's range", "never fire"), 6, "events.0.when"),
    ("when_below_beyond_range",
     "events:\n  - kind: harden\n    amount: 0.1\n    when: {outcome: coop_energy, below: 2}\n",
     ("outside coop_energy's range", "hold from the first month"), 6, "events.0.when"),
    ("events_not_a_list", "extends: baseline\nevents: 3\n", ("'events' must be a list",), 4, "events"),
]


def _write(tmp: Path, cid: str, body: str) -> Path:
    path = tmp / f"{cid}.yaml"
    path.write_text(HEAD.format(name=cid) + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(("cid", "body", "says", "line", "field"), CASES, ids=[c[0] for c in CASES])
def test_load_refuses_with_file_line_field(tmp_path: Path, cid: str, body: str, says: tuple[str, ...],
                                           line: int | None, field: str | None) -> None:
    path = _write(tmp_path, cid, body)
    with pytest.raises(InputError) as info:
        load_scenario(path)
    exc = info.value
    assert exc.file is not None
    assert Path(exc.file).name == path.name
    assert exc.line == line, exc.format()
    assert exc.field == field, exc.format()
    for s in says:
        assert s in exc.message, exc.format()
    assert len(exc.format()) < 600, "a message must not carry a huge value"


runner = CliRunner()


@pytest.mark.parametrize("command", ["run", "check"])
@pytest.mark.parametrize(("cid", "body"), [(c[0], c[1]) for c in CASES], ids=[c[0] for c in CASES])
def test_cli_exit_2_one_line_nothing_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             cid: str, body: str, command: str) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, cid, body)
    before = set(os.listdir(tmp_path))
    args = (["run", f"{cid}.yaml", "-r", "2", "--out", "X.csv"] if command == "run"
            else ["check", f"{cid}.yaml"])
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.output, result.exception)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{cid}.yaml" in lines[0]
    assert set(os.listdir(tmp_path)) == before


@pytest.mark.parametrize("ref", ["*", "**", "/etc/*", "baseline*", "a\x00b", "x" * 5000])
def test_run_argument_is_never_a_pattern(ref: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError):
        load_scenario(ref)
    result = runner.invoke(app, ["run", ref, "-r", "2", "--out", "X.csv"])
    assert result.exit_code == 2, (result.output, result.exception)
    assert "Traceback" not in result.stderr
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("lag", [".nan", ".inf", "'nan'", "1e999"])
def test_episode_lag_months_must_be_finite(tmp_path: Path, lag: str) -> None:
    text = EPISODE.read_text(encoding="utf-8").replace("lag_months: [3, 7]", f"lag_months: [{lag}, 7]")
    assert lag in text
    path = tmp_path / EPISODE.name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert info.value.file is not None
    assert EPISODE.name in info.value.format()
    assert info.value.line is not None


def test_set_seed_is_exact() -> None:
    assert parse_assignments(["seed=9007199254740993"])["seed"] == 9007199254740993
    assert load_scenario("baseline", parse_assignments(["seed=9007199254740993"])).seed == 9007199254740993
    assert parse_assignments(["seed=1e3"])["seed"] == 1000


@pytest.mark.parametrize("item", ["seed=9007199254740993.0", "seed=1e300", f"seed={HUGE}",
                                  "hegemon.noise_sd=nan", "hegemon.noise_sd=inf",
                                  "hegemon.noise_sd=-inf", "hegemon.noise_sd=1e999", "seed=0.5"])
def test_set_refuses_rounding_and_non_finite(item: str) -> None:
    with pytest.raises(InputError) as info:
        parse_assignments([item])
    assert info.value.field == "--set"
    assert len(info.value.format()) < 300


def test_a_when_bound_beyond_float32_runs_without_overflow(tmp_path: Path) -> None:
    """Found by benchmarks/fuzz.py: ``when.above: 1e300`` overflowed the float32 record (a warning,
    an error under -W error). A bounded outcome now refuses it (above); welfare is declared unbounded,
    so there the bound is legal and is compared in float64: it simply never fires."""
    from alliance.model import simulate

    path = _write(tmp_path, "big_when", "extends: baseline\nevents:\n  - kind: harden\n    amount: 0.1\n"
                  "    when: {outcome: welfare, above: 1.0e+300}\n")
    res = simulate(load_scenario(path), replications=4)
    assert len(res.trajectories) > 0
