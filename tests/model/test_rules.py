"""Hand-computed cases for every decision rule, and each rule's declared traits."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from alliance.model import rules

D = 6


def col(values):
    """A (D, 1) column: one replication's per-domain values."""
    return np.asarray(values, dtype=float).reshape(-1, 1)


def test_partner_interest_moves_toward_substitution_target_and_cap():
    # target = min(0.4 + 0.6 * (1 - 0.5), 0.8) = 0.7; interest 0.5 + 0.2 * (0.7 - 0.5) = 0.54
    out = rules.partner_interest(np.array([0.5]), 0.4, 0.6, 0.5, 0.8, 0.2, np.array([0.0]), 0.1)
    assert out == pytest.approx([0.54])
    # two refusals cost 2 × 0.1; cap binds from above
    out = rules.partner_interest(np.array([0.5]), 0.4, 0.6, 0.5, 0.8, 0.2, np.array([2.0]), 0.1)
    assert out == pytest.approx([0.34])
    out = rules.partner_interest(np.array([0.9]), 1.0, 1.0, 0.0, 0.8, 1.0, np.array([0.0]), 0.1)
    assert out == pytest.approx([0.8])


def test_judge_requests_banks_a_partial_take_up_and_refuses_none():
    """Five requests (level 0.6, status quo 0.2): not yet due; met (≥ 90% of the level); taken up
    in part (0.4: kept open at 0.4); no take-up (0.2, at the status quo: refused); not open."""
    active = np.array([[True, True, True, True, False]])
    age = np.array([[3.0, 6.0, 6.0, 7.0, 9.0]])
    coop = np.array([[0.2, 0.55, 0.4, 0.2, 0.2]])
    level = np.full((1, 5), 0.6)
    still, new_level, refused = rules.judge_requests(active, age, np.array(6.0), coop, level, np.full((1, 5), 0.2))
    assert still.tolist() == [[True, True, True, False, False]]
    assert refused.tolist() == [[False, False, False, True, False]]
    assert new_level[0] == pytest.approx([0.6, 0.6, 0.4, 0.6, 0.6])
    # the banked request is met from then on: the balancer holding 0.4 is never refused
    still2, level2, refused2 = rules.judge_requests(still, age + 1, np.array(6.0), coop, new_level,
                                                    np.full((1, 5), 0.2))
    assert still2[0, 2]
    assert not refused2[0, 2]
    assert level2[0, 2] == pytest.approx(0.4)
    # falling back to the status quo is a refusal
    _, _, refused3 = rules.judge_requests(still, age + 1, np.array(6.0), np.full((1, 5), 0.2), new_level,
                                          np.full((1, 5), 0.2))
    assert refused3[0, 2]


def test_partner_offers_scaled_by_interest_and_capped():
    out = rules.partner_offers(np.array([0.5]), col([1, 0.8, 0.6, 0.4, 0, 2]), np.array(0.7))
    assert out[:, 0] == pytest.approx([0.5, 0.4, 0.3, 0.2, 0.0, 0.7])


def test_threat_is_noisy_or_of_domains_and_presence():
    s = col([0.1, 0.2, 0.8, 0.6, 1.0, 1.0])
    c = col([0.5, 0.5, 0.5, 0.0, 0.0, 0.0])
    expected = 1 - (1 - 0.1) * (1 - 0.05) * (1 - 0.1) * (1 - 0.4)
    assert rules.threat_of(c, s, np.array(0.1)) == pytest.approx([expected])


def test_perceived_threat_anticipation_noise_and_red_lines():
    s = col([0, 0, 0.8, 0, 0, 0])
    zero = col([0] * D)
    red = col([1, 1, 1, 1, 0.05, 1])
    ant = col([0, 0, 0.5, 0, 0, 0])
    # an announced energy move at 0.5 counts fully with anticipation 1: threat = 0.4
    t, crossed = rules.perceived_threat(zero, ant, s, red, np.array(0.0), np.array(1.0),
                                        np.array(0.05), np.array([0.0]))
    assert t == pytest.approx([0.4])
    assert not crossed[0]
    # noise is added and the result clipped to [0, 1]
    t, _ = rules.perceived_threat(zero, ant, s, red, 0.0, np.array(1.0), 0.05, np.array([2.0]))
    assert t == pytest.approx([0.5])
    t, _ = rules.perceived_threat(zero, zero, s, red, 0.0, np.array(1.0), 0.05, np.array([-3.0]))
    assert t == pytest.approx([0.0])
    # crossing a red line sets the threat to 1
    basing = col([0, 0, 0, 0, 0.1, 0])
    t, crossed = rules.perceived_threat(basing, zero, s, red, 0.0, np.array(1.0), 0.0, np.array([0.0]))
    assert t == pytest.approx([1.0])
    assert crossed[0]


THR = np.array([[0.5], [0.7], [0.9]])


def esc(rung, remaining, threat, u_kind=0.9, u_length=0.0, hyst=0.05, p_long=0.3):
    r, rem = rules.escalate(
        np.array([rung], dtype=np.int8), np.array([float(remaining)]), np.array([threat]), THR,
        np.array(hyst), np.array(p_long), np.array(18.0), np.array(84.0),
        np.array([u_kind]), np.array([u_length]),
    )
    return int(r[0]), float(rem[0])


def test_escalate_climbs_to_highest_rung_reached():
    assert esc(0, 0, 0.4) == (0, 0.0)
    assert esc(0, 0, 0.55) == (1, 0.0)
    assert esc(0, 0, 0.75) == (2, 0.0)      # short measure: one month, nothing left after
    assert esc(1, 0, 0.95) == (3, 0.0)


def test_escalate_long_measures_last_their_drawn_duration():
    # u_kind < p_long → long; length = floor(18 + 0.5 × 67) = 51 months, 50 after this one
    assert esc(0, 0, 0.75, u_kind=0.1, u_length=0.5) == (2, 50.0)
    # a locked measure stays even if the threat falls, counting down
    assert esc(2, 50, 0.1) == (2, 49.0)


def test_escalate_hysteresis_then_step_down():
    assert esc(2, 0, 0.67) == (2, 0.0)   # 0.67 ≥ 0.7 − 0.05: stays on the economic rung
    assert esc(2, 0, 0.60) == (1, 0.0)   # below the band: down to the rung still reached
    assert esc(2, 0, 0.10) == (0, 0.0)


def test_offer_inducement_only_to_committed_allies_above_diplomatic_threshold():
    def ind(remaining, threat, commitment, u):
        return rules.offer_inducement(np.array([remaining]), np.array([threat]), np.array(0.5),
                                      np.array(commitment), np.array(0.5), np.array(0.5),
                                      np.array(12.0), np.array([u]))
    rem, on = ind(0.0, 0.6, 0.8, 0.1)
    assert rem[0] == 11.0
    assert on[0]
    rem, on = ind(0.0, 0.6, 0.8, 0.9)          # draw above propensity
    assert rem[0] == 0.0
    assert not on[0]
    rem, on = ind(0.0, 0.6, 0.0, 0.1)          # not a bloc ally
    assert not on[0]
    rem, on = ind(0.0, 0.4, 0.8, 0.1)          # not threatening enough
    assert not on[0]
    rem, on = ind(5.0, 0.0, 0.8, 0.9)          # a running deal continues
    assert rem[0] == 4.0
    assert on[0]


def test_update_belief_from_signals():
    b = np.array([0.6])
    lr, quiet, gap = np.array(0.5), np.array(0.15), np.array(0.1)
    # sanctions at expected threat 0.4: threshold at most 0.4 → 0.6 + 0.5 × (0.4 − 0.6) = 0.5
    out = rules.update_belief(b, np.array([2], np.int8), np.array([False]), np.array([0.4]), lr, quiet, gap)
    assert out == pytest.approx([0.5])
    # a protest at 0.4: sanctions about 0.1 higher → 0.6 + 0.5 × (0.5 − 0.6) = 0.55
    out = rules.update_belief(b, np.array([1], np.int8), np.array([False]), np.array([0.4]), lr, quiet, gap)
    assert out == pytest.approx([0.55])
    # an inducement is read like a protest
    out = rules.update_belief(b, np.array([0], np.int8), np.array([True]), np.array([0.4]), lr, quiet, gap)
    assert out == pytest.approx([0.55])
    # a quiet month at 0.5 suggests at least 0.65 → 0.625; at 0.3 it changes nothing
    out = rules.update_belief(b, np.array([0], np.int8), np.array([False]), np.array([0.5]), lr, quiet, gap)
    assert out == pytest.approx([0.625])
    out = rules.update_belief(b, np.array([0], np.int8), np.array([False]), np.array([0.3]), lr, quiet, gap)
    assert out == pytest.approx([0.6])


def test_alignment_index():
    w = col([1, 1, 0, 0, 0, 0])
    c = col([1, 0.5, 0, 0, 0, 0])
    assert rules.alignment(c, w, np.array(0.25)) == pytest.approx([0.5])


def _choose(coop, **kw):
    """One month's move: marginal utility (no status-quo term) → partial adjustment."""
    args = dict(
        gain=col([0.5] * D), kappa=col([1.0] * D),
        hedging_weight=np.array(0.0), fallback=np.array(0.0), sensitivity=col([0.0] * D),
        presence=np.array(0.0), belief=np.array([0.6]), spread=np.array(0.05),
        rung=np.array([0], np.int8), risk_aversion=np.array(1.0), sanction_cost=np.array(1.0),
        military_cost=np.array(2.0), inducement_penalty=np.array(0.0),
    )
    move = dict(floor=col([0] * D), ceiling=col([1] * D), inertia=np.array(0.5), max_change=np.array(1.0))
    for k in list(kw):
        if k in move:
            move[k] = kw.pop(k)
    args.update(kw)
    grad, curv = rules.marginal_utility(coop, **args)
    return rules.choose_cooperation(coop, move["floor"], move["ceiling"], grad, curv, move["inertia"],
                                    move["max_change"])


def test_choose_cooperation_partial_adjustment_toward_best_response():
    # best response gain / kappa = 0.5; from 0.2 the balancer moves half the way: 0.35
    out = _choose(col([0.2] * D))
    assert out[:, 0] == pytest.approx([0.35] * D)
    # kappa 2: best response 0.25, half the way from 0.2 is 0.225 (a gradient step would give 0.25)
    out = _choose(col([0.2] * D), kappa=col([2.0] * D))
    assert out[:, 0] == pytest.approx([0.225] * D)
    # the interior optimum is a fixed point
    assert _choose(col([0.5] * D))[:, 0] == pytest.approx([0.5] * D)


def test_choose_cooperation_is_independent_of_the_utility_unit():
    s = col([0.1, 0.1, 0.8, 0.6, 0, 0.9])
    c = col([0.5, 0.4, 0.5, 0.3, 0, 0.1])
    base = dict(gain=col([0.5, 0.5, 0.9, 0.5, 0.3, 0.4]), kappa=col([0.6, 0.7, 0.9, 1.5, 2.1, 2.0]),
                hedging_weight=np.array(0.4), sanction_cost=np.array(0.4), military_cost=np.array(2.0),
                inducement_penalty=np.array(0.3))
    ref = _choose(c, sensitivity=s, fallback=np.array(0.8), presence=np.array(0.1), **base)
    for k in (0.5, 2.0, 10.0):
        scaled = {n: v * k for n, v in base.items()}
        out = _choose(c, sensitivity=s, fallback=np.array(0.8), presence=np.array(0.1), **scaled)
        assert np.abs(out - ref).max() < 1e-12


def test_choose_cooperation_respects_ceiling_floor_and_max_change():
    # the best response is projected onto [floor, ceiling] first: half way to 0.25 is 0.225
    out = _choose(col([0.2] * D), ceiling=col([1, 1, 1, 1, 0, 0.25]), max_change=np.array(0.1))
    assert out[:, 0] == pytest.approx([0.3, 0.3, 0.3, 0.3, 0.0, 0.225])
    out = _choose(col([0.2] * D), floor=col([0, 0, 0.8, 0, 0, 0]), ceiling=col([1, 1, 1, 1, 0, 1]))
    assert out[2, 0] == pytest.approx(0.8)
    assert out[4, 0] == 0.0


def test_anticipated_retaliation_holds_the_balancer_back():
    s = col([0, 0, 0.8, 0, 0, 0])
    c = col([0.5, 0.5, 0.7, 0.5, 0, 0])  # threat 0.56, belief 0.6 → steep part of the logistic
    g = col([0.5, 0.5, 1.0, 0.5, 0.5, 0.5])  # without fear, energy would grow (1.0 > 0.7)
    free = _choose(c, gain=g, sensitivity=s, risk_aversion=np.array(0.0))
    fearful = _choose(c, gain=g, sensitivity=s, risk_aversion=np.array(2.0))
    assert fearful[2, 0] < c[2, 0] < free[2, 0]
    # other (insensitive) domains are unaffected
    assert fearful[0, 0] == pytest.approx(free[0, 0])
    # once sanctions are in force, the next rung (military) is believed further off: less restraint
    sanctioned = _choose(c, gain=g, sensitivity=s, risk_aversion=np.array(2.0), rung=np.array([2], np.int8))
    assert sanctioned[2, 0] > fearful[2, 0]


def test_welfare_books_sanction_and_military_costs():
    c = col([0.5] * D)
    w, loss = rules.welfare(c, col([1.0] * D), col([0.2] * D), col([1.0] * D), np.array(0.5),
                            np.array(0.8), np.array([0.4]), np.array([3], np.int8), np.array(0.3),
                            np.array(2.0), np.array(0.4), np.array([True]))
    net = 6 * (1.2 * 0.5 - 0.125) - 0.5 * 0.8 * -np.log(1 - 0.4)  # hedging on the threat hazard
    assert loss == pytest.approx([2.3])
    assert w == pytest.approx([net - 2.3 + 0.4])


@pytest.mark.parametrize("name", sorted(rules.RULE_TRAITS))
def test_declared_traits_hold(name):
    """A rule that declares itself deterministic has no noise argument; a stochastic one does."""
    fn = getattr(rules, name)
    traits = rules.RULE_TRAITS[name]
    params = set(inspect.signature(fn).parameters)
    noise = traits.get("noise")
    noise_args = {noise} if isinstance(noise, str) else set(noise or ())
    if traits["stochastic"]:
        assert noise_args
        assert noise_args <= params
    else:
        assert not ({"noise", "u", "u_kind", "u_length"} & params)


def test_stochastic_rules_ignore_noise_when_switched_off():
    zero = col([0] * D)
    s = col([0.1] * D)
    c = col([0.5] * D)
    a, _ = rules.perceived_threat(c, zero, s, col([1] * D), 0.0, np.array(1.0), np.array(0.0), np.array([1.7]))
    b, _ = rules.perceived_threat(c, zero, s, col([1] * D), 0.0, np.array(1.0), np.array(0.0), np.array([-0.3]))
    assert a == pytest.approx(b)
    # escalate with long_probability 0 ignores the duration draws
    r1 = rules.escalate(np.array([0], np.int8), np.array([0.0]), np.array([0.8]), THR, np.array(0.0),
                        np.array(0.0), np.array(18.0), np.array(84.0), np.array([0.01]), np.array([0.9]))
    r2 = rules.escalate(np.array([0], np.int8), np.array([0.0]), np.array([0.8]), THR, np.array(0.0),
                        np.array(0.0), np.array(18.0), np.array(84.0), np.array([0.5]), np.array([0.1]))
    assert r1[0] == r2[0]
    assert r1[1] == r2[1]


def test_economic_line_seen_or_announced_raises_the_benefit_of_the_economic_rung():
    line = col([1, 1, 1, 1, 1, 0.12])
    zero = col([0] * D)
    step = col([0, 0, 0, 0, 0, 0.2])
    assert rules.economic_line_crossed(step, zero, np.array(1.0), line)[0]
    assert not rules.economic_line_crossed(zero, zero, np.array(1.0), line)[0]
    # announced ahead: seen with weight `anticipation`
    assert rules.economic_line_crossed(zero, step, np.array(1.0), line)[0]
    assert not rules.economic_line_crossed(zero, step, np.array(0.5), line)[0]
    # the line's pull is leverage × exposure, and nothing where the line is not crossed
    pull = rules.line_pull_of(np.array([True, False]), np.array(1.5), np.array(0.4))
    assert pull == pytest.approx([0.6, 0.0])

    def rung(threat, pull, cost=0.0, start=0):
        r, _ = rules.escalate(np.array([start], np.int8), np.array([0.0]), np.array([threat]), THR,
                              np.array(0.05), np.array(0.0), np.array(18.0), np.array(84.0), np.array([0.9]),
                              np.array([0.0]), np.array([pull]), np.array(cost))
        return int(r[0])

    # the economic bar (0.7) falls by the pull: 0.6 draws sanctions with a pull of 0.1 or more
    assert rung(0.6, 0.0) == 1
    assert rung(0.6, 0.1) == 2
    # ... still weighed against the hegemon's own cost (Drezner 1999)
    assert rung(0.6, 0.1, cost=0.05) == 1
    assert rung(0.6, 0.15, cost=0.05) == 2
    # the line does not impose the rung: a low threat with a small pull draws nothing
    assert rung(0.1, 0.2) == 0
    # a pull that takes the economic bar below the diplomatic one: a hegemon that sanctions also
    # protests (the rungs stay ordered), and hysteresis steps down only to the economic rung
    assert rung(0.25, 0.5) == 2
    assert rung(0.1, 0.65, start=3) == 2
    assert rung(0.1, 0.5, start=3) == 0
