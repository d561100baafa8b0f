"""YAML merge keys (``<<: *anchor``) work as YAML defines them: the mapping's own keys override the
merged ones, a key written twice by hand is still refused, and a bad merge is named by its line."""

from __future__ import annotations

import pytest

from alliance.model.yamlio import InputError, parse_yaml


def test_merge_key_merges_and_own_keys_override() -> None:
    data, _ = parse_yaml("a: &a {x: 1, y: 2}\nb:\n  <<: *a\n  y: 3\nc:\n  <<: [*a, {z: 9}]\n")
    assert data["b"] == {"x": 1, "y": 3}
    assert data["c"] == {"x": 1, "y": 2, "z": 9}


def test_own_duplicate_beside_a_merge_is_still_refused() -> None:
    with pytest.raises(InputError) as info:
        parse_yaml("a: &a {x: 1}\nb:\n  <<: *a\n  y: 3\n  y: 4\n", "f.yaml")
    assert info.value.line == 5
    assert info.value.field == "y"


def test_merging_a_scalar_is_named_by_its_line() -> None:
    with pytest.raises(InputError) as info:
        parse_yaml("b:\n  <<: 5\n", "f.yaml")
    assert info.value.line == 2
    assert "merging" in info.value.message
