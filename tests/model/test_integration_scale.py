"""The one integration scale (issue 10, item 7): named levels in scenario files, and every shipped
scenario and episode coded on it, with lines and red lines consistent with ``shared/episodes.md``."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from alliance.model.assignments import parse_assignments
from alliance.model.parameters import INTEGRATION_LEVELS as L
from alliance.model.parameters import LEVEL_PARAMS, PARAMS, defaults, integration_level
from alliance.model.scenario import json_schema
from alliance.model.scenario_files import load_scenario, scenarios_dir, shipped_scenarios
from alliance.model.yamlio import InputError, parse_yaml

NAMED = """\
name: named_levels
description: integration levels written as names
extends: baseline
actors:
  balancer:
    initial: {integration: ipap}
    ceiling: {integration: membership}
  partner:
    offer: {integration: association_agreement}
  hegemon:
    red_line: {integration: candidate}
    economic_line: {integration: intensified_dialogue}
events:
  - {month: 3, kind: request, domain: integration, level: map}
  - {month: 4, kind: force, domain: integration, level: action_plan}
  - {month: 5, kind: set, param: hegemon.economic_line.integration, value: association_agreement}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "named_levels.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_scale_is_ordered_and_inside_the_unit_interval():
    values = list(L.values())
    assert values == sorted(values)
    assert len(set(values)) == len(values)
    assert values[0] == 0.0
    assert values[-1] == 1.0
    assert list(L)[:3] == ["none", "partnership", "ipap"]
    assert L["membership"] == 1.0


def test_named_levels_load_as_their_numbers(tmp_path):
    sc = load_scenario(_write(tmp_path, NAMED))
    p = sc.params()
    assert p["balancer.initial.integration"] == L["ipap"] == 0.15
    assert p["balancer.ceiling.integration"] == L["membership"]
    assert p["partner.offer.integration"] == L["association_agreement"]
    assert p["hegemon.red_line.integration"] == L["candidate"]
    assert p["hegemon.economic_line.integration"] == L["intensified_dialogue"]
    assert [e.level for e in sc.events[:2]] == [L["map"], L["action_plan"]]
    assert sc.events[2].value == L["association_agreement"]


def test_named_levels_satisfy_the_editor_json_schema():
    data, _ = parse_yaml(NAMED, "named")
    errors = [e.message for e in jsonschema.Draft202012Validator(json_schema()).iter_errors(data)]
    assert not errors, errors


@pytest.mark.parametrize(("old", "new", "line", "field", "hint"), [
    ("level: map}", "level: mapp}", 14, "events.0.level", "did you mean 'map'"),
    ("initial: {integration: ipap}", "initial: {integration: ipapp}", 6,
     "actors.balancer.initial.integration", "did you mean 'ipap'"),
    ("red_line: {integration: candidate}", "red_line: {integration: candiate}", 11,
     "actors.hegemon.red_line.integration", "did you mean 'candidate'"),
    ("value: association_agreement}", "value: asociation_agreement}", 16, "events.2.value",
     "did you mean 'association_agreement'"),
])
def test_unknown_level_names_are_clear_errors(tmp_path, old, new, line, field, hint):
    path = _write(tmp_path, NAMED.replace(old, new))
    with pytest.raises(InputError) as info:
        load_scenario(path)
    err = info.value
    assert err.line == line, (err.line, err.field, err.message)
    assert err.field == field, (err.line, err.field, err.message)
    assert hint in err.message
    assert "known levels" in err.message
    assert str(path) in str(err)


def test_level_names_only_where_the_integration_scale_applies(tmp_path):
    path = _write(tmp_path, NAMED.replace("domain: integration, level: map", "domain: energy, level: map"))
    with pytest.raises(InputError, match=r"named integration level; in domain 'energy' give a number"):
        load_scenario(path)
    path = _write(tmp_path, NAMED.replace("param: hegemon.economic_line.integration",
                                          "param: hegemon.threshold.economic"))
    with pytest.raises(InputError, match=r"hegemon\.threshold\.economic takes a number"):
        load_scenario(path)
    # a benefit or a sensitivity in the integration domain is not a level on the scale
    assert "balancer.benefit.integration" not in LEVEL_PARAMS
    assert "hegemon.sensitivity.integration" not in LEVEL_PARAMS
    path = _write(tmp_path, NAMED.replace("ceiling: {integration: membership}",
                                          "benefit: {integration: membership}"))
    with pytest.raises(InputError):
        load_scenario(path)


def test_set_option_accepts_level_names():
    assert parse_assignments(["balancer.initial.integration=ipap"]) == {"balancer.initial.integration": 0.15}
    with pytest.raises(InputError, match="did you mean 'ipap'"):
        parse_assignments(["balancer.initial.integration=ipapp"])
    with pytest.raises(InputError, match="not a number"):
        parse_assignments(["hegemon.threshold.economic=ipap"])


def test_integration_level_function():
    assert integration_level(0.4) == 0.4
    assert integration_level("Intensified Dialogue") == L["intensified_dialogue"]
    with pytest.raises(ValueError, match="did you mean 'association_agreement'"):
        integration_level("association")
    with pytest.raises(ValueError, match="level"):
        integration_level(True)


# ------------------------------------------------------------------ shipped inputs on the scale
def test_kazakhstan_starts_at_its_ipap():
    """K1 / episodes.md: first IPAP in Central Asia, January 2006 — ipap on the scale."""
    assert PARAMS["balancer.initial.integration"].default == L["ipap"]
    for name in shipped_scenarios():
        assert load_scenario(name).params()["balancer.initial.integration"] == L["ipap"], name


def test_lines_follow_the_order_the_episodes_fix():
    """episodes.md: partnership (PfP, IPAP) drew no more than rhetoric; Intensified Dialogue, action
    plans, association and MAP drew economic measures (G1, UG6, M0, U1, A1, UG9); force followed a
    membership promise (Georgia 2008), not a MAP request (UG9). So
    ipap < economic line ≤ intensified_dialogue and map < red line ≤ candidate, in the defaults and
    across each line's plausible range."""
    d = defaults()
    econ, red = PARAMS["hegemon.economic_line.integration"], PARAMS["hegemon.red_line.integration"]
    for v in (d[econ.name], *econ.plausible):
        assert L["ipap"] < v <= L["intensified_dialogue"], v
    for v in (d[red.name], *red.plausible):
        assert L["map"] < v <= L["candidate"] + 0.15, v
    assert d[red.name] == L["candidate"]
    # Kazakhstan's own limit: no membership track (below a membership dialogue), above its IPAP
    assert L["ipap"] <= d["balancer.ceiling.integration"] < L["intensified_dialogue"]


def test_basing_red_line_is_consistent_with_z1():
    """Z1: coalition bases were tolerated after 9/11 (Uzbekistan's Karshi-Khanabad, coded 0.4) and
    pushed out by diplomacy and money; the default red line lies above that and below the NATO
    presence that nato_base_request asks for (0.5)."""
    z1 = load_scenario(scenarios_dir() / "episodes" / "z1_uzbekistan_2005.yaml").params()
    base = load_scenario("nato_base_request")
    nato_base = next(e.level for e in base.events if getattr(e, "domain", None) == "basing")
    for v in (PARAMS["hegemon.red_line.basing"].default, *PARAMS["hegemon.red_line.basing"].plausible):
        assert z1["balancer.initial.basing"] < v < nato_base, v
    assert z1["hegemon.red_line.basing"] == PARAMS["hegemon.red_line.basing"].default  # one scale
    assert PARAMS["balancer.ceiling.basing"].default == 0.0  # "out of the question": Kazakhstan's own limit


def test_no_anachronistic_provenance():
    """The model's defaults are Kazakhstan in late 2006: no rule adopted later is cited as a source
    (e.g. the CSTO basing-consent decision of 20 Dec 2011)."""
    bad = [p.name for p in PARAMS.values() if "2011" in p.provenance and "CSTO" in p.provenance]
    assert not bad, bad


EPISODE_LEVELS = {
    # episode: (integration at the start, the integration level the trigger asks for)
    "a1_armenia_2013": ("action_plan", "association_agreement"),
    "b1_belarus_2009": (None, "partnership"),
    "g1_georgia_2006": ("ipap", "intensified_dialogue"),
    "m0_moldova_2006": ("partnership", "action_plan"),
    "u1_ukraine_2013": ("action_plan", "association_agreement"),
    "ug6_ukraine_2006": ("ipap", "intensified_dialogue"),
    "ug9_ukraine_2009": ("intensified_dialogue", "map"),
    "z1_uzbekistan_2005": ("partnership", None),
}


@pytest.mark.parametrize("episode", sorted(EPISODE_LEVELS))
def test_episodes_write_their_integration_steps_as_named_levels(episode):
    """The files name the level (so the scale, not a loose number, is what they encode)."""
    path = scenarios_dir() / "episodes" / f"{episode}.yaml"
    data, _ = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    start, step = EPISODE_LEVELS[episode]
    if start is not None:
        assert data["actors"]["balancer"]["initial"]["integration"] == start
    if step is not None:
        levels = [e["level"] for e in data["events"] if e.get("domain") == "integration"]
        assert levels == [step]
    sc = load_scenario(path)
    for e in sc.events:
        if getattr(e, "domain", None) == "integration":
            assert e.level in L.values()
