"""Hand-computed cases for the rules added by issue 10: a steady start, a tolerated status quo,
a hegemon that pays for its measures and never offers carrot and stick together."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.model import rules

D = 6


def col(values):
    return np.asarray(values, dtype=float).reshape(-1, 1)


def test_interest_target_and_cap():
    # 0.25 + 0.6 × (1 − 0.5) = 0.55; losing 0.4 more footholds: 0.79, below the cap 0.8
    assert rules.interest_target(0.25, 0.6, 0.5, 0.8) == pytest.approx(0.55)
    assert rules.interest_target(0.25, 0.6, 0.1, 0.8) == pytest.approx(0.79)
    assert rules.interest_target(0.25, 0.6, 0.0, 0.8) == pytest.approx(0.8)


def test_status_quo_term_first_order_and_kkt():
    grad = col([0.3, -0.2, 0.4, -0.1, 0.5, 0.2])
    coop = col([0.5, 0.0, 0.0, 0.7, 0.0, 0.3])
    floor = col([0] * D)
    ceiling = col([1, 1, 1, 0.7, 0, 0.3])
    a = rules.status_quo_term(grad, coop, floor, ceiling)
    # interior: −grad; at the floor with grad < 0: nothing; at the floor with grad > 0: −grad;
    # at the ceiling with grad < 0: −grad; pinned (floor = ceiling): nothing; at ceiling, grad > 0: nothing
    assert a[:, 0] == pytest.approx([-0.3, 0.0, -0.4, 0.1, 0.0, 0.0])


def test_a_start_with_its_status_quo_term_is_a_fixed_point():
    s = col([0.05, 0.12, 0.8, 0.6, 1.0, 0.95])
    c = col([0.55, 0.4, 0.15, 0.25, 0.0, 0.05])
    args = dict(gain=col([0.3, 0.4, 0.3, 0.2, 0.0, 0.05]), kappa=col([0.6, 0.7, 0.96, 1.32, 1.8, 1.8]),
                hedging_weight=np.array(0.4), fallback=np.array(0.775), sensitivity=s,
                presence=np.array(0.125), belief=np.array([0.6]), spread=np.array(0.06),
                rung=np.array([0], np.int8), risk_aversion=np.array(1.0), sanction_cost=np.array(0.375),
                military_cost=np.array(2.0), inducement_penalty=np.array(0.0))
    grad, curv = rules.marginal_utility(c, **args)
    a = rules.status_quo_term(grad, c, col([0] * D), col([1, 0.8, 1, 0.7, 0, 0.3]))
    new = rules.choose_cooperation(c, col([0] * D), col([1, 0.8, 1, 0.7, 0, 0.3]), grad + a, curv,
                                   np.array(0.6), np.array(0.1))
    assert np.array_equal(new, c)


def test_hedging_never_pulls_toward_the_partner():
    """Kuik 2008: the hedging term's slope is ≤ 0 in every domain, at any cooperation."""
    rng = np.random.default_rng(1)
    s = col([0.05, 0.12, 0.8, 0.6, 1.0, 0.95])
    for _ in range(50):
        c = rng.uniform(0, 1, (D, 1))
        kw = dict(gain=col([0.0] * D), kappa=col([0.0] * D), sensitivity=s, presence=np.array(0.1),
                  belief=np.array([0.6]), spread=np.array(0.06), rung=np.array([0], np.int8),
                  risk_aversion=np.array(0.0), sanction_cost=np.array(0.0), military_cost=np.array(0.0),
                  inducement_penalty=np.array(0.0), fallback=np.array(0.8))
        g0, _ = rules.marginal_utility(c, hedging_weight=np.array(0.0), **kw)
        g1, _ = rules.marginal_utility(c, hedging_weight=np.array(1.0), **kw)
        assert (g1 <= g0 + 1e-15).all()


def test_resting_belief_is_the_quiet_fixed_point():
    # without spread: max(prior, T + quiet_margin)
    b = rules.resting_belief(np.array([0.5, 0.7]), np.array(0.0), np.array([1.3, -0.4]),
                             np.array([0.42, 0.42]), np.array(0.15))
    assert b == pytest.approx([0.57, 0.7])
    # with spread: the prior N(0.6, 0.05²) truncated to [0.57, 1]; every belief a quiet fixed point
    z = np.linspace(-3, 3, 61)
    b = rules.resting_belief(np.array(0.6), np.array(0.05), z, np.full(61, 0.42), np.array(0.15))
    assert (b >= 0.57).all()
    assert (b <= 1.0).all()
    assert (np.diff(b) > 0).all()  # one belief per draw: no pile-up at the bound
    again = rules.update_belief(b, np.zeros(61, np.int8), np.zeros(61, bool), np.full(61, 0.42),
                                np.array(0.35), np.array(0.15), np.array(0.15))
    assert np.array_equal(again, b)


def test_resting_belief_is_the_conditioned_prior():
    """The draws follow the prior conditioned on a quiet status quo (a truncated normal), not a
    censored one: mean and spread match scipy's truncnorm."""
    from scipy import stats

    z = np.random.default_rng(3).standard_normal(200_000)
    b = rules.resting_belief(np.array(0.6), np.array(0.05), z, np.array(0.42), np.array(0.15))
    lo, hi = (0.57 - 0.6) / 0.05, (1.0 - 0.6) / 0.05
    assert b.mean() == pytest.approx(0.6 + 0.05 * stats.truncnorm.mean(lo, hi), abs=1e-3)
    assert b.std() == pytest.approx(0.05 * stats.truncnorm.std(lo, hi), abs=1e-3)


def test_truncated_normal_transport():
    z = np.linspace(-4, 4, 81)
    assert rules.truncated_normal(z, -np.inf, np.inf) == pytest.approx(z, abs=1e-9)
    for lo, hi in ((0.6, np.inf), (-np.inf, 0.0), (3.0, np.inf), (-np.inf, -3.0), (-1.0, 1.0)):
        x = rules.truncated_normal(z, lo, hi)
        assert (x >= lo).all()
        assert (x <= hi).all()
        assert (np.diff(x) >= 0).all()


def test_tolerated_misreading_keeps_the_status_quo_below_the_first_rung():
    """Conditioned on a tolerated status quo: perceived status quo + margin ≤ first rung, every
    replication distinct (no atom at the bound), untouched where the status quo is far below."""
    z = np.linspace(-3, 3, 61)
    sd, margin = np.array(0.05), np.array(0.02)
    # status quo at the edge: the ladder slid to 0.4804 + 0.02, so every misreading ≤ 0
    e = sd * rules.tolerated_misreading(z, np.array(0.4804), np.array(0.5004), margin, sd)
    assert (0.4804 + e + 0.02 <= 0.5004 + 1e-12).all()
    assert (np.diff(e) > 0).all()
    # status quo far below its first rung: the draw is (almost) the prior's
    far = rules.tolerated_misreading(z, np.array(0.2), np.array(0.5), margin, sd)
    assert far == pytest.approx(z, abs=1e-5)  # bound 5.6 sd away
    # no noise: the draw passes through (it is multiplied by 0)
    assert rules.tolerated_misreading(z, np.array(0.48), np.array(0.5), margin, np.array(0.0)) == pytest.approx(z)


def test_hedging_is_separable_across_domains():
    """Kuik 2008: the hedging slope of one domain does not fall when another domain provokes more
    (no pull toward the partner relative to the start); with T² it would above T = ½."""
    s = col([0.05, 0.12, 0.8, 0.6, 1.0, 0.95])
    kw = dict(gain=col([0.0] * D), kappa=col([0.0] * D), sensitivity=s, presence=np.array(0.125),
              belief=np.array([0.6]), spread=np.array(0.06), rung=np.array([0], np.int8),
              risk_aversion=np.array(0.0), sanction_cost=np.array(0.0), military_cost=np.array(0.0),
              inducement_penalty=np.array(0.0), fallback=np.array(0.8), hedging_weight=np.array(1.0))
    low = col([0.55, 0.4, 0.15, 0.25, 0.0, 0.05])
    high = low.copy()
    high[2] = 0.8  # energy provokes: T rises well above ½
    g_low, c_low = rules.marginal_utility(low, **kw)
    g_high, c_high = rules.marginal_utility(high, **kw)
    others = [0, 1, 3, 4, 5]
    assert g_high[others] == pytest.approx(g_low[others])
    assert c_high[others] == pytest.approx(c_low[others])
    assert g_high[2, 0] < g_low[2, 0]  # its own marginal cost rises (convex)


def test_tolerated_thresholds_slide_only_above_the_status_quo():
    thr = np.array([[0.5], [0.64], [0.93]])
    out = rules.tolerated_thresholds(thr, np.array([0.42, 0.6]), np.array(0.02))
    assert out[:, 0] == pytest.approx([0.5, 0.64, 0.93])           # 0.44 < 0.5: unchanged
    assert out[:, 1] == pytest.approx([0.62, 0.76, 1.05])          # slid up by 0.12


def test_lines_count_only_moves_beyond_what_was_accepted():
    line = col([1, 1, 1, 1, 1, 0.12])
    red = col([1, 1, 1, 1, 0.05, 0.7])
    zero = col([0] * D)
    accepted = col([0, 0, 0, 0, 0.4, 0.15])
    c = col([0, 0, 0, 0, 0.4, 0.15])
    assert not rules.economic_line_crossed(c, zero, np.array(1.0), line, accepted)[0]
    assert rules.economic_line_crossed(c + col([0, 0, 0, 0, 0, 0.01]), zero, np.array(1.0), line, accepted)[0]
    _, crossed = rules.perceived_threat(c, zero, col([0.1] * D), red, 0.0, np.array(1.0), 0.0,
                                        np.array([0.0]), accepted)
    assert not crossed[0]
    _, crossed = rules.perceived_threat(c + col([0, 0, 0, 0, 0.05, 0]), zero, col([0.1] * D), red, 0.0,
                                        np.array(1.0), 0.0, np.array([0.0]), accepted)
    assert crossed[0]


def test_escalation_weighs_the_hegemons_own_cost():
    thr = np.array([[0.5], [0.64], [0.93]])

    def rung(threat, cost):
        r, _ = rules.escalate(np.array([0], np.int8), np.array([0.0]), np.array([threat]), thr,
                              np.array(0.05), np.array(0.0), np.array(18.0), np.array(84.0),
                              np.array([0.9]), np.array([0.0]), 0, np.array(cost))
        return int(r[0])

    assert rung(0.66, 0.0) == 2
    assert rung(0.66, 0.03) == 1       # deterrence worth 0.02 does not pay for 0.03 of trade
    assert rung(0.68, 0.03) == 2
    assert rung(0.55, 0.5) == 1        # a protest costs nothing


def test_inducement_smooth_in_commitment_and_never_with_sanctions():
    def prob(commitment):
        hits = 0
        for u in np.linspace(0.0, 0.999, 1000):
            _, on = rules.offer_inducement(np.array([0.0]), np.array([0.6]), np.array(0.5),
                                           np.array(commitment), np.array(0.5), np.array(0.5),
                                           np.array(12.0), np.array([u]))
            hits += int(on[0])
        return hits / 1000

    assert prob(0.0) == 0.0
    assert prob(0.25) == pytest.approx(0.25, abs=0.002)
    assert prob(0.49) == pytest.approx(0.49, abs=0.002)
    assert prob(0.51) == pytest.approx(0.5, abs=0.002)
    # sanctions in force: no new deal, and a running deal is withdrawn
    rem, on = rules.offer_inducement(np.array([0.0, 5.0]), np.array([0.7, 0.7]), np.array(0.5),
                                     np.array(0.8), np.array(0.5), np.array(1.0), np.array(12.0),
                                     np.array([0.0, 0.0]), np.array([2, 2], np.int8))
    assert not on.any()
    assert (rem == 0).all()


def test_a_protest_without_sanctions_above_the_belief_raises_it():
    """Fearon 1997: a protest at threat 0.7 with no sanctions says the line is near 0.7 + gap."""
    out = rules.update_belief(np.array([0.6]), np.array([1], np.int8), np.array([False]),
                              np.array([0.7]), np.array(0.5), np.array(0.15), np.array(0.1))
    assert out == pytest.approx([0.7])
