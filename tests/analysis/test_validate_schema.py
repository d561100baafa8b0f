"""Schema of the `expected:` block: the issue's form is accepted; bad blocks are rejected clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.model.scenario_files import load_scenario
from alliance.model.yamlio import InputError

HEADER = """\
name: {name}
description: A synthetic episode for the schema tests of the expected block.
horizon_months: 24
events:
  - month: 6
    kind: request
    domain: energy
    level: 0.6
"""

GOOD_BLOCK = """\
expected:
  domain: energy           # the trigger's domain
  response: economic       # none | diplomatic | economic | military: the highest level the hegemon reaches within the window
  window_months: 12        # counted from the trigger event
  lag_months: [0, 2]       # optional: when the first measure of that level starts, relative to the trigger (negative = pre-emptive)
  outcome: held            # deepened | held | rolled_back: the balancer's cooperation in that domain at the window's end, against just before the trigger
"""


def _write(tmp_path: Path, block: str, name: str = "episode") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(HEADER.format(name=name) + block, encoding="utf-8")
    return path


def test_issue_block_is_accepted_exactly_as_written(tmp_path: Path) -> None:
    sc = load_scenario(_write(tmp_path, GOOD_BLOCK))
    assert sc.expected is not None
    assert sc.expected.domain == "energy"
    assert sc.expected.response == "economic"
    assert sc.expected.window_months == 12
    assert sc.expected.lag_months == (0.0, 2.0)
    assert sc.expected.outcome == "held"


def test_scenario_without_block_has_none() -> None:
    assert load_scenario("baseline").expected is None


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("response: economic", "response: sanctions", "expected.response", "'none'"),
        ("lag_months: [0, 2]", "lag_months: [3, 1]", "expected.lag_months", "must not exceed"),
        ("window_months: 12", "window_months: 30", "", "beyond the horizon"),
        ("outcome: held", "outcome: improved", "expected.outcome", "'deepened'"),
        ("domain: energy", "domain: trade", "expected.domain", "humanitarian"),
        ("window_months: 12", "window_months: 0", "expected.window_months", "greater than or equal"),
        ("outcome: held", "outcome: held\n  verdict: yes", "expected.verdict", "unknown key"),
    ],
)
def test_bad_block_is_rejected_with_file_and_field(
    tmp_path: Path, old: str, new: str, field: str, words: str
) -> None:
    path = _write(tmp_path, GOOD_BLOCK.replace(old, new))
    with pytest.raises(InputError) as info:
        load_scenario(path)
    err = info.value
    assert err.file == str(path)
    assert words in err.message
    if field:
        assert err.field == field
        assert err.line is not None


def test_trigger_must_exist(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_BLOCK.replace("domain: energy ", "domain: basing "))
    with pytest.raises(InputError, match="no trigger"):
        load_scenario(path)


def test_explicit_trigger_month_is_used_and_checked(tmp_path: Path) -> None:
    block = GOOD_BLOCK.replace("domain: energy ", "domain: basing ") + "  trigger_month: 10\n"
    sc = load_scenario(_write(tmp_path, block))
    assert sc.expected is not None
    assert sc.expected.trigger_month == 10
    late = GOOD_BLOCK + "  trigger_month: 13\n"  # 13 + 12 = 25 > 24
    with pytest.raises(InputError, match="beyond the horizon"):
        load_scenario(_write(tmp_path, late, "late"))


def test_window_may_end_exactly_at_the_horizon(tmp_path: Path) -> None:
    sc = load_scenario(_write(tmp_path, GOOD_BLOCK.replace("window_months: 12", "window_months: 18")))
    assert sc.expected is not None
    assert sc.expected.window_months == 18


def test_pre_emptive_lag_cannot_fall_before_month_one(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_BLOCK.replace("lag_months: [0, 2]", "lag_months: [-8, -3]"))
    with pytest.raises(InputError, match="before month 1"):
        load_scenario(path)
