"""Proper scores and reference predictors against values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alliance.analysis import scoring


def test_brier_by_hand() -> None:
    p = np.array([[0.7, 0.2, 0.1], [0.0, 0.0, 1.0]])
    # row 0, happened 0: 0.3² + 0.2² + 0.1² = 0.14; row 1, happened 1: 0 + 1 + 1 = 2
    assert scoring.brier(p, [0, 1]).tolist() == pytest.approx([0.14, 2.0])


def test_log_score_smooths_by_counts() -> None:
    p = np.array([[0.5, 0.5, 0.0]])
    # 10 counts, K = 3: (0 * 10 + 0.5) / (10 + 1.5)
    assert scoring.log_score(p, [2], 10)[0] == pytest.approx(-math.log(0.5 / 11.5))
    assert scoring.log_score(p, [0], 10)[0] == pytest.approx(-math.log(5.5 / 11.5))


def test_leave_one_out_base_rates_and_majority() -> None:
    y = [0, 0, 1, 2]
    base = scoring.loo_base_rates(y, 3)
    assert base[0].tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3])
    assert base[2].tolist() == pytest.approx([2 / 3, 0, 1 / 3])
    maj = scoring.loo_majority(y, 3)
    assert maj.argmax(axis=1).tolist() == [0, 0, 0, 0]


def test_skill() -> None:
    assert scoring.skill(np.array([0.25]), np.array([0.5])) == pytest.approx(0.5)
    assert scoring.skill(np.array([0.75]), np.array([0.5])) == pytest.approx(-0.5)


def test_bloc_rule() -> None:
    assert scoring.rule_prediction("integration", 0.0, 0.95) == ("economic", "deepened")
    assert scoring.rule_prediction("peacekeeping", 0.0, 0.12) == ("diplomatic", "deepened")
    assert scoring.rule_prediction("energy", 0.8, 0.8) == ("diplomatic", "rolled_back")


def test_binned_reliability_interval() -> None:
    pred = np.array([0.9] * 10 + [0.1] * 10)
    happened = np.array([1] * 9 + [0] + [0] * 10)
    rows = scoring.binned_reliability(pred, happened)
    assert [r["within"] for r in rows] == [True, True]
    bad = scoring.binned_reliability(pred, np.array([0] * 10 + [1] * 10))
    assert not any(r["within"] for r in bad)


def test_discrepancy_weight_by_hand() -> None:
    """δ minimises the mean Brier score of (1 − δ) model + δ reference (hand-computed cases)."""
    right = np.array([[1.0, 0.0], [0.0, 1.0]])
    half = np.full((2, 2), 0.5)
    assert scoring.discrepancy_weight(right, half, [0, 1]) == 0.0  # a perfect model keeps δ = 0
    assert scoring.discrepancy_weight(right, half, [1, 0]) == 1.0  # always wrong: trust the reference
    # certain of category 0 on three rows, right on two: mean Brier = δ² + 2(1 − δ/2)² over 3,
    # whose derivative (3δ − 2)/3 vanishes at δ = 2/3; the grid's nearest point is 0.67
    certain = np.tile([1.0, 0.0], (3, 1))
    assert scoring.discrepancy_weight(certain, np.full((3, 2), 0.5), [0, 0, 1]) == pytest.approx(0.67)
    # a reference equal to the model leaves every δ equally good: the smallest is returned
    assert scoring.discrepancy_weight(half, half, [0, 1]) == 0.0
