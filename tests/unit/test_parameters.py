"""The parameter registry: every parameter stated once, in range, with traceable provenance."""

from __future__ import annotations

import re

import pytest

from alliance.model import parameters as P
from alliance.model.parameters import PARAMS

EPISODES = {"K1", "KN", "KI", "K2", "G1", "U1", "Z1", "UG6", "UG9", "B1", "A1", "M0"}


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_default_inside_range_with_unit_and_description(name):
    p = PARAMS[name]
    assert p.low <= p.default <= p.high
    assert p.low < p.high
    assert p.unit and p.description and p.provenance
    if p.integer:
        assert float(p.default) == int(p.default)


def test_source_copies_equal_the_shared_originals(shared):
    from tests.conftest import shared_dir

    originals = shared_dir()
    if originals is None:
        pytest.skip("no shared/ folder beside the checkout to compare the copies with")
    for name in ("briefing.txt", "episodes.md", "episodes-more.md"):
        assert (shared / name).read_bytes() == (originals / name).read_bytes(), name


def test_every_quote_in_provenance_is_in_the_briefing(shared):
    briefing = _norm((shared / "briefing.txt").read_text(encoding="utf-8"))
    quotes = 0
    for p in PARAMS.values():
        for quote in re.findall(r'"([^"]{12,})"', p.provenance):
            assert _norm(quote) in briefing, f"{p.name}: quote not in the briefing: {quote!r}"
            quotes += 1
    assert quotes >= 20


def test_every_provenance_names_a_source():
    """A briefing quote, an episode id, a dated [S] fact, a reference, or a flagged assumption."""
    for p in PARAMS.values():
        prov = p.provenance
        has_quote = '"' in prov
        has_episode = any(re.search(rf"\b{e}\b", prov) for e in EPISODES)
        has_tag = any(tag in prov for tag in ("[S", "[E]", "[A", "19", "20"))
        assert has_quote or has_episode or has_tag, f"{p.name}: provenance names no source: {prov!r}"


def test_episode_ids_cited_exist_in_episodes_md(shared):
    text = (shared / "episodes.md").read_text(encoding="utf-8")
    cited = {e for p in PARAMS.values() for e in EPISODES if re.search(rf"\b{e}\b", p.provenance)}
    assert cited, "no parameter cites an episode"
    for e in cited:
        assert f"| {e} |" in text


def test_basing_ceiling_is_zero_by_default():
    assert PARAMS["balancer.ceiling.basing"].default == 0.0
    assert "out of the question" in PARAMS["balancer.ceiling.basing"].provenance


def test_cross_check_catches_unordered_thresholds():
    values = P.defaults()
    assert P.cross_check(values) == []
    values["hegemon.threshold.economic"] = 0.4
    assert any("diplomatic < economic < military" in e for e in P.cross_check(values))


def test_check_value_messages():
    assert P.check_value("hegemon.threshold.economic", 0.5) is None
    assert "outside its range" in P.check_value("hegemon.threshold.economic", 1.5)
    assert "unknown parameter" in P.check_value("hegemon.nonsense", 0.5)
    assert "whole number" in P.check_value("partner.patience_months", 2.5)
