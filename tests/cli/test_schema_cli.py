"""`alliance schema --out FILE` writes a valid JSON Schema that the shipped scenarios satisfy.

The written file is checked against the JSON Schema meta-schema (draft 2020-12, with the
``jsonschema`` package); every shipped scenario and hindcast episode validates against it, both as
written (what an editor sees) and merged over its ``extends:`` chain; and the schema is strict
enough to catch a misspelt key, a value out of range and an unknown event kind, as ``alliance check``
does.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.model.scenario import json_schema
from alliance.model.scenario_files import read_merged, scenarios_dir  # read_merged: the extends merge
from alliance.model.yamlio import read_yaml

SCENARIO_FILES = sorted(scenarios_dir().rglob("*.yaml"))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("schema") / "sub" / "scenario.schema.json"
    result = CliRunner().invoke(app, ["schema", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out.name) in result.stdout
    assert not list(out.parent.glob(".*.tmp")), "temporary file left behind"
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(written: dict):
    cls = jsonschema.validators.validator_for(written)
    return cls(written)


def test_written_file_is_a_valid_json_schema(written: dict) -> None:
    assert written["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    cls = jsonschema.validators.validator_for(written)
    assert cls is jsonschema.Draft202012Validator
    cls.check_schema(written)  # raises SchemaError if it does not satisfy the meta-schema
    assert written["type"] == "object"
    assert written["additionalProperties"] is False
    assert {"name", "description"} <= set(written["required"])


def test_stdout_equals_the_written_file(written: dict) -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == written == json.loads(json.dumps(json_schema()))


def test_there_are_shipped_scenarios_to_check() -> None:
    names = {p.stem for p in SCENARIO_FILES}
    assert {"baseline", "energy_support_georgia_ukraine", "nato_base_request"} <= names


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_shipped_scenario_validates_as_written_and_merged(path: Path, validator) -> None:
    data, _ = read_yaml(path)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors, errors
    merged, _ = read_merged(path, ())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(merged)]
    assert not errors, errors


def _base() -> dict:
    data, _ = read_yaml(scenarios_dir() / "energy_support_georgia_ukraine.yaml")
    return data


@pytest.mark.parametrize(
    ("what", "mutate"),
    [
        ("misspelt top-level key", lambda d: d.update(horizon_monhts=24)),
        ("misspelt actor parameter", lambda d: d.setdefault("actors", {}).update(
            hegemon={"threshold": {"economc": 0.7}})),
        ("unknown actor", lambda d: d.setdefault("actors", {}).update(china={"name": "China"})),
        ("value out of range", lambda d: d.setdefault("actors", {}).update(
            balancer={"risk_aversion": 9.0})),
        ("unknown domain", lambda d: d["events"][0].update(domain="space")),
        ("unknown event kind", lambda d: d["events"][0].update(kind="invade")),
        ("misspelt event key", lambda d: d["events"][0].update(intensty=0.5)),
        ("missing description", lambda d: d.pop("description")),
    ],
)
def test_schema_rejects_what_check_rejects(what: str, mutate, validator) -> None:
    data = _base()
    assert validator.is_valid(data)
    bad = copy.deepcopy(data)
    mutate(bad)
    assert not validator.is_valid(bad), what
