"""A fall in bloc commitment hardens the hegemon (rules.defection_hardening; ODD 7.2).

The alliance security dilemma (Snyder 1984): a patron answers an ally's defection as it answers a
move toward the rival. Only a fall counts (a loss against the status quo), by the weight
``hegemon.defection_weight``, in the numpy rules, the ensemble and the scalar peer alike.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from alliance.model import load_scenario, simulate
from alliance.model import scalar_rules as sr
from alliance.model.rules import defection_hardening
from alliance.model.scenario_files import scenarios_dir

UZ12 = scenarios_dir() / "episodes" / "uz12_uzbekistan_2012.yaml"


@pytest.mark.parametrize(("before", "after", "weight", "expected"), [
    (0.5, 0.3, 0.5, 0.1), (0.9, 0.5, 0.25, 0.1), (0.3, 0.5, 0.5, 0.0), (0.0, 0.0, 1.0, 0.0), (0.8, 0.0, 0.0, 0.0),
])
def test_only_a_fall_hardens_by_its_weight(before, after, weight, expected) -> None:
    got = defection_hardening(np.array([before]), after, np.array([weight]))
    assert got[0] == pytest.approx(expected, abs=1e-15)
    assert sr.defection_hardening(before, after, weight) == pytest.approx(expected, abs=1e-15)


def _max_rung(sc, weight: float, reps: int = 300) -> np.ndarray:
    sc = sc.with_params({"hegemon.defection_weight": weight})
    return simulate(sc, replications=reps, seed=7).summary["max_escalation"].to_numpy()


def test_a_defection_draws_a_reaction_that_its_weight_explains() -> None:
    """UZ12 (Uzbekistan suspends its CSTO membership): at weight 0 the hegemon cannot read the move;
    at the default it protests in a share of runs; more weight, never less reaction."""
    sc = load_scenario(UZ12)
    shares = [(_max_rung(sc, w) >= 1).mean() for w in (0.0, 0.25, 0.5, 1.0)]
    assert shares[0] < 0.05, shares
    assert shares[2] > shares[0] + 0.2, shares
    assert all(b >= a for a, b in itertools.pairwise(shares)), shares


def test_a_rise_in_commitment_does_not_soften_the_hegemon(tmp_path) -> None:
    """The same file with the commitment rising instead: the weight changes nothing."""
    raw = UZ12.read_text(encoding="utf-8").replace("value: 0.3 ", "value: 0.7 ")
    assert "value: 0.7 " in raw
    path = tmp_path / "uz12_rising.yaml"
    path.write_text(raw, encoding="utf-8")
    sc = load_scenario(path)
    np.testing.assert_array_equal(_max_rung(sc, 0.0), _max_rung(sc, 1.0))
