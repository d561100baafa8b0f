"""A bad posterior file names every problem at once, with its field (and its line for bad JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alliance.model.posterior import FORMAT, load_posterior
from alliance.model.yamlio import MAX_LISTED, InputError


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "post.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_every_problem_is_named_with_its_field(tmp_path: Path) -> None:
    data = {"format": FORMAT, "parameters": ["hegemon.noise_sd", "no.such"],
            "samples": [[0.05, 1.0], [9.0, 1.0]], "weights": [1.0, -2.0]}  # and no episode_hash
    with pytest.raises(InputError) as info:
        load_posterior(_write(tmp_path, data))
    err = info.value
    assert err.file is not None
    assert err.file.endswith("post.json")
    assert err.field == "episode_hash"
    for part in ("missing field 'episode_hash'", "field 'parameters': unknown parameter 'no.such'",
                 "field 'samples': sample 1: hegemon.noise_sd = 9.0 is outside its domain",
                 "field 'weights': weight 1 must be a finite number ≥ 0"):
        assert part in err.message, err.message


def test_a_file_broken_row_by_row_is_counted_not_listed_whole(tmp_path: Path) -> None:
    rows = [["x"] for _ in range(1000)]
    data = {"format": FORMAT, "parameters": ["hegemon.noise_sd"], "samples": rows,
            "weights": [1.0] * 1000, "episode_hash": "abc"}
    with pytest.raises(InputError) as info:
        load_posterior(_write(tmp_path, data))
    msg = info.value.message
    assert msg.count("is not a finite number") == MAX_LISTED
    assert "more problem" in msg
    assert len(msg) < 2000


def test_bad_json_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "post.json"
    path.write_text('{\n "format": 1,\n "samples": [1, 2,,]\n}\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_posterior(path)
    assert info.value.line == 3
    assert info.value.field == "posterior"
