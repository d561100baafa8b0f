"""The parameter registry: every parameter stated once, in range, with traceable provenance."""

from __future__ import annotations

import re

import numpy as np
import pytest

from alliance.model import evidence as E
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
    assert p.unit
    assert p.description
    assert p.provenance
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


# ------------------------------------------------------------------ evidence classes (issue 10, item 8)
@pytest.mark.parametrize("name", sorted(PARAMS))
def test_every_parameter_has_an_evidence_class(name):
    """A parameter added without a class fails here: say whether its default is E, R or A."""
    assert PARAMS[name].evidence in P.EVIDENCE_CLASSES, f"{name}: evidence class missing or unknown"


def _briefing_quotes(prov: str, briefing: str) -> list[str]:
    return [q for q in re.findall(r'"([^"]{12,})"', prov) if _norm(q) in briefing]


def test_e_class_provenance_cites_a_source_or_the_briefing(shared):
    """E: the number follows from a cited fact, so the provenance names an [S] source or quotes the
    briefing (an episode id or our own [E] arithmetic alone is not enough)."""
    briefing = _norm((shared / "briefing.txt").read_text(encoding="utf-8"))
    bad = [p.name for p in PARAMS.values() if p.evidence == "E"
           and not (re.search(r"\[S[\]:]", p.provenance) or _briefing_quotes(p.provenance, briefing))]
    assert not bad, f"E-class parameters whose provenance names no [S] source or briefing quote: {bad}"


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_plausible_range_inside_range_and_around_default(name):
    p = PARAMS[name]
    if p.evidence in ("A", "R"):
        assert p.plausible is not None, f"{name}: an {p.evidence}-class parameter needs a plausible range"
    if p.plausible is not None:
        lo, hi = p.plausible
        assert p.low <= lo < hi <= p.high, f"{name}: plausible {p.plausible} not inside [{p.low}, {p.high}]"
        assert lo <= p.default <= hi, f"{name}: plausible {p.plausible} does not contain {p.default}"
        if p.integer:
            assert float(lo).is_integer(), name
            assert float(hi).is_integer(), name


def test_plausible_problem_covers_every_a_and_r_parameter():
    problem = E.plausible_problem(("A", "R"))
    ar = [p.name for p in PARAMS.values() if p.evidence in ("A", "R")]
    assert problem["names"] == ar
    assert problem["num_vars"] == len(ar)
    assert problem["groups"] == [PARAMS[n].evidence for n in ar]
    assert problem["bounds"] == [list(PARAMS[n].plausible) for n in ar]
    assert E.plausible_problem(("A",), groups=False)["names"] == [n for n in ar if PARAMS[n].evidence == "A"]
    assert "groups" not in E.plausible_problem(("A",), groups=False)
    with pytest.raises(ValueError, match="unknown evidence class"):
        E.plausible_problem(("X",))


def test_plausible_box_respects_the_cross_checks():
    """Samples anywhere in the plausible box are valid parameter sets (thresholds stay ordered,
    initial ≤ ceiling), so batches and calibration can sample the box without rejections."""
    from scipy.stats import qmc

    problem = E.plausible_problem(("E", "R", "A"))
    lo = np.array([b[0] for b in problem["bounds"]])
    hi = np.array([b[1] for b in problem["bounds"]])
    corners = [lo, hi]
    sample = qmc.scale(qmc.Sobol(len(lo), seed=1).random(512), lo, hi)
    for row in [*corners, *sample]:
        values = {**P.defaults(), **dict(zip(problem["names"], row.tolist(), strict=True))}
        assert P.cross_check(values) == [], values


def test_plausible_uncertainties_is_a_valid_uncertainties_block():
    from alliance.model.scenario_files import load_scenario

    block = E.plausible_uncertainties()
    sc = load_scenario("baseline").model_copy()
    data = sc.model_dump(exclude_none=True)
    data["uncertainties"] = block
    validated = type(sc).model_validate(data)
    assert set(validated.uncertainties) == set(E.plausible_ranges())


def test_alliance_params_shows_class_and_plausible_range():
    import json

    from typer.testing import CliRunner

    from alliance.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["params", "--json"])
    assert res.exit_code == 0, res.output
    rows = {r["name"]: r for r in json.loads(res.output)}
    assert set(rows) == set(PARAMS)
    assert rows["balancer.effort_cost"]["evidence"] == "A"
    assert rows["balancer.effort_cost"]["plausible"] == list(PARAMS["balancer.effort_cost"].plausible)
    assert rows["hegemon.long_duration_min"]["evidence"] == "E"
    res = runner.invoke(app, ["params", "--actor", "hegemon"], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    line = next(ln for ln in res.output.splitlines() if "hegemon.threshold.economic" in ln)
    assert "│ R " in line
    assert "[0.58, 0.74]" in line
