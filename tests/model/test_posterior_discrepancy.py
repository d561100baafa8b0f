"""A posterior's structural discrepancy: round trip, pooling, old files, bad fields."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from alliance.model.discrepancy import Discrepancy, base_rates
from alliance.model.posterior import FORMAT, FORMAT_1, Posterior, load_posterior, save_posterior
from alliance.model.yamlio import InputError

NAMES = ["balancer.initial_belief", "partner.patience_months"]


def _disc(dr: float = 0.3, do: float = 0.2) -> Discrepancy:
    return Discrepancy({"response": dr, "outcome": do},
                       {"response": base_rates([0, 1, 1, 3], 4), "outcome": base_rates([2, 2, 1, 0], 3)},
                       4, {"estimator": "test", "replications": 7})


def _post(disc: Discrepancy | None) -> Posterior:
    return Posterior(NAMES, np.array([[0.55, 4.0], [0.7, 9.0]]), np.array([0.4, 0.6]), "abc",
                     {"seed": 1}, disc)


def test_round_trip_keeps_the_discrepancy(tmp_path: Path) -> None:
    save_posterior(_post(_disc()), tmp_path / "p.json")
    assert json.loads((tmp_path / "p.json").read_text())["format"] == FORMAT
    back = load_posterior(tmp_path / "p.json")
    assert back.discrepancy is not None
    assert back.discrepancy.delta == {"response": 0.3, "outcome": 0.2}
    for kind in ("response", "outcome"):
        assert np.array_equal(back.discrepancy.base_rates[kind], _disc().base_rates[kind])
    assert back.discrepancy.episodes == 4
    assert back.discrepancy.method == {"estimator": "test", "replications": 7}
    assert "discrepancy" not in back.meta
    save_posterior(back, tmp_path / "q.json")
    assert (tmp_path / "q.json").read_bytes() == (tmp_path / "p.json").read_bytes()


def test_an_old_file_without_discrepancy_still_loads(tmp_path: Path) -> None:
    save_posterior(_post(None), tmp_path / "p.json")
    data = json.loads((tmp_path / "p.json").read_text())
    assert data["format"] == FORMAT_1
    assert "discrepancy" not in data
    assert load_posterior(tmp_path / "p.json").discrepancy is None


def test_pool_is_the_linear_pool_and_delta_zero_is_the_raw_model() -> None:
    p = np.array([[1.0, 0.0, 0.0, 0.0], [0.1, 0.2, 0.3, 0.4]])
    d = _disc(0.3, 0.0)
    assert np.allclose(d.pool("response", p), 0.7 * p + 0.3 * d.base_rates["response"])
    assert np.allclose(d.pool("response", p).sum(axis=1), 1.0)
    q = np.array([0.123456789, 0.5, 0.376543211])
    assert np.array_equal(d.pool("outcome", q), q)  # δ = 0: bit for bit the raw forecast


def test_base_rates_are_add_half_frequencies() -> None:
    assert np.allclose(base_rates([0, 0, 2], 3), [2.5 / 4.5, 0.5 / 4.5, 1.5 / 4.5])
    assert np.all(base_rates([1, 1], 4) > 0)  # no category gets probability 0


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (lambda d: d.pop("discrepancy"), "discrepancy", "missing field 'discrepancy'"),
        (lambda d: d["discrepancy"]["delta"].update(response=1.5), "discrepancy.delta.response",
         "must be a number in [0, 1]"),
        (lambda d: d["discrepancy"]["delta"].pop("outcome"), "discrepancy.delta.outcome",
         "must be a number in [0, 1]"),
        (lambda d: d["discrepancy"]["base_rates"].update(outcome=[0.5, 0.5]),
         "discrepancy.base_rates.outcome", "must list 3 numbers"),
        (lambda d: d["discrepancy"]["base_rates"].update(response=[1.2, -0.2, 0.0, 0.0]),
         "discrepancy.base_rates.response", "finite numbers ≥ 0"),
        (lambda d: d["discrepancy"]["base_rates"].update(response=[0.5, 0.2, 0.2, 0.2]),
         "discrepancy.base_rates.response", "must sum to 1"),
        (lambda d: d["discrepancy"].update(episodes=0), "discrepancy.episodes", "whole number ≥ 1"),
        (lambda d: d.update(discrepancy=[0.2]), "discrepancy", "must be an object"),
    ],
)
def test_bad_discrepancy_fields_are_named(tmp_path: Path, edit, field: str, words: str) -> None:
    path = tmp_path / "p.json"
    save_posterior(_post(_disc()), path)
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as info:
        load_posterior(path)
    assert info.value.field == field
    assert words in info.value.message
    assert str(info.value.file).endswith("p.json")


def test_every_discrepancy_mistake_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    save_posterior(_post(_disc()), path)
    data = json.loads(path.read_text())
    data["discrepancy"]["delta"] = {"response": -0.1, "outcome": "x"}
    data["discrepancy"]["base_rates"]["outcome"] = [0.1, 0.1, 0.1]
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as info:
        load_posterior(path)
    msg = info.value.message
    for part in ("δ response", "field 'discrepancy.delta.outcome'", "field 'discrepancy.base_rates.outcome'"):
        assert part in msg, msg
