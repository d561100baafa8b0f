"""``--set`` mistakes are all named in one message, not only the first."""

from __future__ import annotations

import pytest

from alliance.model import load_scenario
from alliance.model.assignments import parse_assignments
from alliance.model.yamlio import MAX_LISTED, InputError


def test_every_syntax_and_range_mistake_is_listed() -> None:
    items = ["nope=1", "balancer.max_change=abc", "hegemon.threshold.economic=7", "seed=1.5e400",
             "hegemon.noise_sd=0.05"]
    with pytest.raises(InputError) as info:
        parse_assignments(items)
    msg = info.value.message
    assert info.value.field == "--set"
    for part in ("'nope'", "'abc' is not a number", "hegemon.threshold.economic = 7.0 is outside",
                 "seed: '1.5e400' is not a finite number"):
        assert part in msg, msg
    assert "noise_sd" not in msg  # a good assignment is not reported


def test_many_mistakes_are_counted_beyond_the_listed_ones() -> None:
    items = [f"nope{i}=1" for i in range(MAX_LISTED + 3)]
    with pytest.raises(InputError) as info:
        parse_assignments(items)
    msg = info.value.message
    assert msg.count("unknown parameter") == MAX_LISTED
    assert msg.endswith("(and 3 more errors)"), msg


def test_range_mistakes_alone_name_the_scenario_file_and_each_value() -> None:
    updates = parse_assignments(["hegemon.threshold.economic=7", "hegemon.noise_sd=-1"])
    with pytest.raises(InputError) as info:
        load_scenario("baseline", updates)
    err = info.value
    assert err.file is not None
    assert err.file.endswith("baseline.yaml")
    assert "hegemon.threshold.economic = 7.0" in err.message
    assert "hegemon.noise_sd = -1.0" in err.message


def test_schema_mistakes_of_top_level_keys_are_all_named() -> None:
    updates = parse_assignments(["horizon_months=-3", "replications=0"])
    with pytest.raises(InputError) as info:
        load_scenario("baseline", updates)
    assert "horizon_months = -3" in info.value.message
    assert "replications = 0" in info.value.message
