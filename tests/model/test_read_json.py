"""``yamlio.read_json`` (posteriors, manifests, plans, checkpoints) names the file for every failure,
and the Python API names the argument it refuses (session 20 audit, benchmarks/cli_audit.py)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from alliance.model import simulate
from alliance.model.posterior import load_posterior
from alliance.model.yamlio import InputError, read_json


@pytest.mark.parametrize(("content", "says", "line"), [
    (None, "no such thing", None),
    ("DIR", "is a folder, not a thing", None),
    (b'{"a": "caf\xe9"}', "not UTF-8", 1),
    ("{\n\n  oops", "not a JSON thing", 3),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply", None),
    ('{"a": 1,\n "b": ' + "7" * 5000 + "}", "5,000 digits is too large", 2),
    ("LOOP", "cannot read the thing", None),
], ids=["missing", "folder", "latin-1", "malformed", "deep", "5000-digits", "symlink-loop"])
def test_every_failure_names_the_file(tmp_path: Path, content: object, says: str, line: int | None) -> None:
    p = tmp_path / "x.json"
    if content == "DIR":
        p.mkdir()
    elif content == "LOOP":
        os.symlink("y.json", p)
        os.symlink("x.json", tmp_path / "y.json")
    elif isinstance(content, bytes):
        p.write_bytes(content)
    elif content is not None:
        p.write_text(str(content), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_json(p, "thing", "f")
    err = info.value
    assert err.file == str(p)
    assert err.field == "f"
    assert says in err.message
    assert err.line == line


def test_nan_and_infinity_are_read_as_python_writes_them(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text('{"e": Infinity, "n": NaN}', encoding="utf-8")
    got = read_json(p, "thing")
    assert got["e"] == float("inf")
    assert got["n"] != got["n"]


def test_load_posterior_takes_a_string_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such posterior file"):
        load_posterior(str(tmp_path / "none.json"))  # type: ignore[arg-type]


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"seed": -1}, "seed"), ({"seed": 2**63}, "seed"), ({"seed": True}, "seed"),
    ({"replications": 0}, "replications"), ({"replications": -3}, "replications"),
    ({"params": {"hegemon.noise_sd": "0.1x"}}, "hegemon.noise_sd"),
    ({"params": {"hegemon.noise_sd": np.array([0.1, 0.2])}, "replications": 3}, "hegemon.noise_sd"),
], ids=["seed-negative", "seed-2-63", "seed-bool", "replications-zero", "replications-negative",
        "value-text", "value-wrong-length"])
def test_simulate_names_the_argument_it_refuses(kwargs: dict, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        simulate("baseline", months=2, **{"replications": 2, **kwargs})
