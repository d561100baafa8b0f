"""Bandwagoning under coercion (``rules.coercion_tilt``; Walt 1987, Snyder 1984).

Hand-computed values of the rule, its effect on one month's move, and its effect on whole
sanctioned episodes: a coerced balancer that is tied to the hegemon and held out little by the
partner concedes; one whose protection outweighs its ties is left as it was (the rule never
pushes toward the partner).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from alliance.analysis.validate import load_episode, window_of
from alliance.model import rules
from alliance.model.ensemble import run_ensemble
from alliance.model.parameters import PARAMS

D = 6
EPISODES = Path(__file__).resolve().parents[2] / "scenarios" / "episodes"


def col(values):
    return np.asarray(values, dtype=float).reshape(-1, 1)


def test_tilt_is_weight_times_protection_minus_fallback_only_under_measures():
    rung = np.array([0, 1, 2, 3], np.int8)
    tilt = rules.coercion_tilt(rung, np.array([0.1, 0.1, 0.1, 0.1]), np.array([0.7, 0.7, 0.7, 0.4]),
                               np.array(2.0))
    # no measure, a protest: nothing; sanctions: 2 × (0.1 − 0.7); armed pressure: 2 × (0.1 − 0.4)
    assert tilt == pytest.approx([0.0, 0.0, -1.2, -0.6])
    # protection at or above the fallback: no push either way (balancing is left to the request)
    assert rules.coercion_tilt(rung, 0.5, 0.2, np.array(2.0)).tolist() == [0.0] * 4
    # per-replication weights broadcast, and a zero weight switches the rule off
    assert rules.coercion_tilt(rung, 0.1, 0.7, np.array([0.0, 1.0, 0.0, 3.0])) == pytest.approx([0, 0, 0, -1.8])


def _move(tilt: float, rung: int = 2) -> np.ndarray:
    s = col([0.05, 0.12, 0.8, 0.6, 1.0, 0.95])
    c = col([0.5, 0.4, 0.2, 0.3, 0.0, 0.3])
    grad, curv = rules.marginal_utility(
        c, col([0.3] * D), col([1.0] * D), np.array(0.4), np.array(0.2), s, np.array(0.1),
        np.array([0.8]), np.array(0.06), np.array([rung], np.int8), np.array(1.0), np.array(0.2),
        np.array(2.0), np.array(0.0), col([0.0] * D), None, np.array([tilt]))
    return rules.choose_cooperation(c, col([0] * D), col([1] * D), grad, curv, np.array(0.5), np.array(0.1))


def test_tilt_moves_the_alliance_track_only():
    base = _move(0.0)
    up, down = _move(0.4), _move(-0.4)
    # balancing: integration moves toward the partner; bandwagoning: away from it
    assert up[5, 0] > base[5, 0] > down[5, 0]
    # the slope added is tilt × sensitivity (0.95): with curvature ≥ 1 the best response moves by
    # at most 0.38, half of it this month (inertia 0.5)
    assert 0.0 < up[5, 0] - base[5, 0] <= 0.5 * 0.4 * 0.95 + 1e-12
    # no other domain moves, however sensitive (energy 0.8, military-technical 0.6)
    assert np.array_equal(up[:5], base[:5])
    assert np.array_equal(down[:5], base[:5])
    # without measures in force the tilt is not applied by the caller (coercion_tilt gives 0)
    assert rules.coercion_tilt(np.array([1], np.int8), 1.0, 0.0, np.array(2.0))[0] == 0.0


def _integration_change(name: str, weight: float) -> float:
    sc = load_episode(EPISODES / f"{name}.yaml")
    win = window_of(sc)
    esc, coop = run_ensemble(sc, lambda m: (m.outcome("escalation").copy(), m.outcome("coop_integration").copy()),
                             seed=sc.seed, replications=60, months=win.end,
                             params={"balancer.coercion_weight": weight})
    assert (esc[win.start:win.end + 1] >= 2).any(axis=0).mean() >= 0.9  # coerced in (almost) every run
    return float(np.median(coop[win.end] - coop[win.reference]))


def test_a_tied_target_without_protection_concedes_and_a_protected_one_is_left_alone():
    """Armenia 2013 as encoded (CSTO 0.9, exposure 0.5, an association offer: protection below
    fallback) gives up more of the integration it had the stronger the rule; at the default weight
    it ends below where it stood. Georgia 2006 (outside the blocs, exposure 0.2, NATO's
    membership perspective: protection above fallback) is not moved at any weight."""
    weights = (0.0, 1.0, PARAMS["balancer.coercion_weight"].default, 4.0)
    a1 = [_integration_change("a1_armenia_2013", w) for w in weights]
    assert all(b < a for a, b in itertools.pairwise(a1))
    assert a1[0] > 0.05 > 0.0 > a1[2]
    g1 = [_integration_change("g1_georgia_2006", w) for w in weights]
    assert g1 == pytest.approx([g1[0]] * len(weights), abs=1e-12)
    assert g1[0] == pytest.approx(0.10, abs=1e-3)  # the request level, met and no more
