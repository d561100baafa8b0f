"""docs/scenarios.md stays in step with the scenario schema and the parameter registry.

The keys are read from ``Scenario.model_json_schema()`` (recursively, ``$defs`` included), so a
field added to the schema (an event field, an actor parameter, a new top-level block) fails here
until the page names it. The generated parameter reference must equal what
``alliance.analysis.docgen`` produces now, and every YAML example on the page must validate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from alliance.analysis import docgen
from alliance.model.parameters import INTEGRATION_LEVELS, PARAMS
from alliance.model.scenario import Scenario, json_schema
from alliance.model.scenario_files import load_scenario
from alliance.model.yamlio import parse_yaml

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenarios.md"
FENCE = re.compile(r"^```([a-z]*)\n(.*?)^```", re.DOTALL | re.MULTILINE)
TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _walk(node: Any) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def schema_keys(schema: dict) -> set[str]:
    """Every key a scenario file can contain, and every fixed word it can use as a value.

    Property names of every object (top level, actors, groups, events, conditions, the
    uncertainties/sweep/expected blocks…), discriminator tags (event kinds), constants
    (``dist: uniform``) and enumerated values (domains, response levels).
    """
    keys: set[str] = set()
    for node in _walk(schema):
        props = node.get("properties")
        if isinstance(props, dict) and all(isinstance(v, dict) for v in props.values()):
            keys.update(props)
        disc = node.get("discriminator")
        if isinstance(disc, dict):
            keys.update(disc.get("mapping", {}))
        if isinstance(node.get("const"), str):
            keys.add(node["const"])
        if isinstance(node.get("enum"), list):
            keys.update(v for v in node["enum"] if isinstance(v, str))
    return keys


def _code(text: str) -> str:
    """Everything inside fenced blocks and inline code spans."""
    fenced = [m.group(2) for m in FENCE.finditer(text)]
    rest = FENCE.sub("", text)
    inline = re.findall(r"`([^`\n]+)`", rest)
    return "\n".join(fenced + inline)


def _split(doc: str) -> tuple[str, str]:
    """(hand-written part, generated part) of the page."""
    generated = docgen.extract(doc)
    return doc.replace(generated, ""), generated


def _param_segments() -> set[str]:
    return {part for name in PARAMS for part in name.split(".")}


def missing_keys(doc: str, schema: dict) -> list[str]:
    """Schema keys the page does not name in code. Parameter names (actor blocks) and the named
    integration levels may be named by the generated reference (its parameter tables and its
    integration-scale table); every other key must be named in the hand-written part."""
    hand, _ = _split(doc)
    hand_tokens = set(TOKEN.findall(_code(hand)))
    all_tokens = set(TOKEN.findall(_code(doc)))
    params = _param_segments() | set(INTEGRATION_LEVELS)
    return sorted(k for k in schema_keys(schema)
                  if k not in hand_tokens and not (k in params and k in all_tokens))


def test_schema_keys_are_collected() -> None:
    keys = schema_keys(Scenario.model_json_schema())
    # a sample from each level, so the walker itself cannot silently collect nothing
    for k in ("horizon_months", "balancer", "threshold", "economic", "risk_aversion", "request",
              "force", "lose_alternative", "harden", "set", "announce_months", "after_month",
              "basing", "intensity"):
        assert k in keys, k


def test_every_schema_key_is_documented(doc: str) -> None:
    missing = missing_keys(doc, Scenario.model_json_schema())
    assert not missing, f"docs/scenarios.md does not name these schema keys: {missing}"


def test_a_removed_key_is_detected(doc: str) -> None:
    """The check above can fail: drop every mention of one key and it is reported."""
    stripped = re.sub(r"\bannounce_months\b", "lead_time", doc)
    assert missing_keys(stripped, Scenario.model_json_schema()) == ["announce_months"]


def test_every_top_level_key_has_a_table_row(doc: str) -> None:
    section = doc.split("## Top-level keys", 1)[1].split("\n## ", 1)[0]
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", section, re.MULTILINE))
    props = set(Scenario.model_json_schema()["properties"])
    assert props <= rows, f"top-level keys without a row: {sorted(props - rows)}"


def test_every_parameter_is_in_the_reference(doc: str) -> None:
    _, generated = _split(doc)
    missing = [n for n in PARAMS if f"`{n}`" not in generated]
    assert not missing, missing


def test_generated_reference_is_current(doc: str) -> None:
    assert docgen.extract(doc) == docgen.parameter_reference(), (
        "docs/scenarios.md is stale: run python -m alliance.analysis.docgen --write")


def test_docgen_check_and_write(doc: str, tmp_path: Path) -> None:
    page = tmp_path / "scenarios.md"
    page.write_text(doc.replace("| `hegemon.noise_sd` | 0.05 |", "| `hegemon.noise_sd` | 0.07 |"),
                    encoding="utf-8")
    assert docgen.main(["--check", str(page)]) == 1
    assert docgen.main(["--write", str(page)]) == 0
    assert page.read_text(encoding="utf-8") == doc
    assert docgen.main(["--check", str(page)]) == 0


def _yaml_examples(doc: str) -> list[str]:
    return [m.group(2) for m in FENCE.finditer(doc) if m.group(1) == "yaml"]


def test_every_event_kind_has_an_example(doc: str) -> None:
    kinds = Scenario.model_json_schema()["properties"]["events"]["items"]["discriminator"]["mapping"]
    text = "\n".join(_yaml_examples(doc))
    missing = [k for k in kinds if not re.search(rf"kind: {k}\b", text)]
    assert not missing, f"no YAML example for event kinds {missing}"


def test_every_yaml_example_validates(doc: str, tmp_path: Path) -> None:
    """Each example loads (schema and cross-checks) and satisfies the JSON Schema editors use."""
    editor_schema = jsonschema.Draft202012Validator(json_schema())
    examples = _yaml_examples(doc)
    assert len(examples) >= 10
    for i, text in enumerate(examples):
        data, _ = parse_yaml(text, f"docs/scenarios.md example {i}")
        assert isinstance(data, dict), text
        if "name" not in data:  # a fragment, e.g. an actor block of the reference
            data = {"name": f"example_{i}", "description": "a fragment of docs/scenarios.md", **data}
            text = "\n".join(f"{k}: {v!r}" for k, v in list(data.items())[:2]) + "\n" + text
        path = tmp_path / f"{data['name']}.yaml"
        path.write_text(text, encoding="utf-8")
        load_scenario(path)  # raises InputError (naming the example) if it is invalid
        errors = [e.message for e in editor_schema.iter_errors(data)]
        assert not errors, (data["name"], errors)
