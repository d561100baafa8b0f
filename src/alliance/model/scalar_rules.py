"""The decision rules of ``rules/`` for ONE replication: Python floats in, floats out.

Each function here is the scalar twin of the numpy rule of the same name in ``rules/``
(``rules.partner``, ``rules.hegemon``, ``rules.balancer``), with the same operations in the same
order, so the two agree to rounding. They serve twice:

- the idiomatic scalar Mesa model (``peer.py``) calls them on Python floats and lists;
- the fused engine (``kernel.py``) compiles the very same functions with numba and calls them on
  numpy scalars and small arrays inside one loop over replications.

So a change to a rule is made in ``rules/`` and mirrored here, one function for one function;
``tests/model/test_scalar_oracle.py`` fails if the mirror drifts. Functions here call only
``math`` (never each other), so numba can compile each on its own. Per-domain sequences
(``coop``, ``sens`` …) may be lists or 1-D arrays of the six domains.
"""

from __future__ import annotations

import math
from typing import Any

Seq = Any  # a list of floats (peer) or a 1-D float64 array (kernel)

ECONOMIC, MILITARY, DIPLOMATIC = 2, 3, 1
EPS = 1e-9


# ------------------------------------------------------------------ partner (rules.partner)
def interest_target(base: float, substitution: float, alternatives: float, cap: float) -> float:
    """``rules.interest_target``: the partner's interest at rest."""
    return min(base + substitution * (1.0 - alternatives), cap)


def partner_interest(interest: float, base: float, substitution: float, alternatives: float, cap: float,
                     rate: float, refusals: float, refusal_penalty: float) -> float:
    """``rules.partner_interest``: interest after one month (substitution, refusals)."""
    target = min(base + substitution * (1.0 - alternatives), cap)
    new = interest + rate * (target - interest) - refusal_penalty * refusals
    return min(max(new, 0.0), cap)


def partner_offer(interest: float, offer: float, cap: float) -> float:
    """``rules.partner_offers`` for one domain."""
    return min(interest * offer, cap)


def request_reward(active: bool, reward: float, intensity: float, entrapment_aversion: float,
                   sensitivity: float) -> float:
    """``Partner.request_reward`` for one domain: reward per unit of cooperation of an open request."""
    if not active:
        return 0.0
    return reward * intensity * max(1.0 - entrapment_aversion * sensitivity, 0.0)


def judge_request(age: float, patience: float, coop: float, level: float, base: float) -> tuple[bool, float]:
    """``rules.judge_requests`` for one open request: (still open, level asked)."""
    if age < patience or coop >= 0.9 * level:
        return True, level
    if coop > base + EPS:
        return True, coop
    return False, level


# ------------------------------------------------------------------ hegemon (rules.hegemon)
def threat_of(coop: Seq, sens: Seq, presence: float) -> float:
    """``rules.threat_of``: noisy-or threat ``1 − (1 − presence) Π_d (1 − s_d c_d)``."""
    safe = 1.0
    for d in range(len(coop)):
        safe *= 1.0 - sens[d] * coop[d]
    return 1.0 - (1.0 - presence) * safe


def perceived_threat(coop: Seq, anticipated: Seq, sens: Seq, red_line: Seq, accepted: Seq, presence: float,
                     anticipation: float, noise_sd: float, noise: float) -> tuple[float, bool]:
    """``rules.perceived_threat`` with a status quo: (threat in [0, 1], red line crossed)."""
    safe = 1.0
    crossed = False
    for d in range(len(coop)):
        seen = max(coop[d], anticipation * anticipated[d])
        safe *= 1.0 - sens[d] * seen
        if coop[d] > max(red_line[d], accepted[d] + EPS) + 1e-12:
            crossed = True
    base = 1.0 - (1.0 - presence) * safe
    threat = min(max(base + noise_sd * noise, 0.0), 1.0)
    return (1.0 if crossed else threat), crossed


def defection_hardening(before: float, after: float, weight: float) -> float:
    """``rules.defection_hardening``: ``weight × max(0, before − after)``."""
    return weight * max(before - after, 0.0)


def effective_threshold(threshold: float, first: float, hardening: float, posture: float, tolerance: float,
                        margin: float) -> float:
    """``thresholds.effective_threshold`` (with ``rules.tolerated_thresholds``) for one rung;
    ``first`` is the stated first rung's threshold."""
    shift = max(tolerance + margin - (first - posture), 0.0)
    return (threshold - posture) + shift - (hardening - posture)


def economic_line_crossed(coop: Seq, anticipated: Seq, anticipation: float, economic_line: Seq,
                          accepted: Seq) -> bool:
    """``rules.economic_line_crossed`` with a status quo."""
    for d in range(len(coop)):
        seen = max(coop[d], anticipation * anticipated[d])
        if seen >= economic_line[d] - 1e-12 and seen > accepted[d] + EPS:
            return True
    return False


def line_pull_of(crossed: bool, leverage: float, exposure: float) -> float:
    """``rules.line_pull_of``: the economic line's benefit to the economic rung."""
    return leverage * exposure if crossed else 0.0


def escalate(rung: int, remaining: float, threat: float, t1: float, t2: float, t3: float, hysteresis: float,
             long_probability: float, long_min: float, long_max: float, u_kind: float, u_length: float,
             line_pull: float, own_cost: float) -> tuple[int, float]:
    """``rules.escalate``: one month on the ladder; (new rung, months the measure still runs)."""
    b1, b2, b3 = t1 + 0.0, t2 + own_cost, t3 + own_cost
    b2 = b2 - line_pull
    b1 = min(b1, b2)
    target = int(threat >= b1) + int(threat >= b2) + int(threat >= b3)
    hold = int(threat >= b1 - hysteresis) + int(threat >= b2 - hysteresis) + int(threat >= b3 - hysteresis)
    if target > rung:
        if u_kind < long_probability and target >= ECONOMIC:
            return target, math.floor(long_min + u_length * (long_max - long_min + 1.0)) - 1.0
        return target, 0.0
    if remaining > 0:
        return rung, remaining - 1.0
    return max(min(rung, hold), target), 0.0


def inducement_chance(commitment: float, min_commitment: float, propensity: float) -> float:
    """The monthly probability of a deal in ``rules.offer_inducement``."""
    share = min(1.0, commitment / max(min_commitment, 1e-12)) if min_commitment > 0 else 1.0
    return propensity * share


def offer_inducement(remaining: float, threat: float, threshold_diplomatic: float, chance: float,
                     duration: float, u: float, rung: int) -> tuple[float, bool]:
    """``rules.offer_inducement``: (months the deal still runs after this one, active now)."""
    if rung >= ECONOMIC:
        return 0.0, False
    if remaining > 0:
        return max(remaining - 1.0, 0.0), True
    if threat >= threshold_diplomatic and u < chance:
        return max(duration - 1.0, 0.0), True
    return 0.0, False


# ------------------------------------------------------------------ balancer (rules.balancer)
def update_belief(belief: float, rung: int, inducement: bool, expected_threat: float, learning_rate: float,
                  quiet_margin: float, warning_gap: float) -> float:
    """``rules.update_belief``: learning the hegemon's tolerance from its signals."""
    quiet = max(belief, expected_threat + quiet_margin)
    if rung >= ECONOMIC:
        implied = min(belief, expected_threat)
    elif rung == DIPLOMATIC or inducement:
        implied = min(expected_threat + warning_gap, quiet)  # never more tolerant than silence
    else:
        implied = quiet
    return min(max(belief + learning_rate * (implied - belief), 0.0), 1.0)


def resting_belief(prior_mean: float, prior_sd: float, z: float, expected_threat: float,
                   quiet_margin: float) -> float:
    """``rules.resting_belief``: the prior belief conditioned on a quiet status quo (month 0 only;
    the peer calls it, the ensemble settles with numpy, so it may call ``truncated_normal``)."""
    low = min(expected_threat + quiet_margin, 1.0)
    if prior_sd > 0.0:
        belief = max(prior_mean + prior_sd * truncated_normal(z, (low - prior_mean) / prior_sd,
                                                              (1.0 - prior_mean) / prior_sd), low)
    else:
        belief = max(prior_mean, low)
    return min(max(belief, 0.0), 1.0)


def truncated_normal(z: float, lower: float, upper: float) -> float:
    """``rules.common.truncated_normal`` (month 0 only): ``z`` carried to [lower, upper]."""
    from scipy.special import ndtr, ndtri

    if lower >= 0.0:
        a2, b2 = ndtr(-upper), ndtr(-lower)
        x = -ndtri(a2 + ndtr(-z) * (b2 - a2))
    else:
        a, b = ndtr(lower), ndtr(upper)
        x = ndtri(a + ndtr(z) * (b - a))
    return float(min(max(x, lower), upper))


def tolerated_misreading(z: float, status_quo_threat: float, threshold_diplomatic: float, margin: float,
                         noise_sd: float) -> float:
    """``rules.tolerated_misreading`` (month 0 only): the misreading given a tolerated status quo."""
    room = max(threshold_diplomatic - margin - status_quo_threat, 0.0)
    bound = room / max(noise_sd, 1e-300) if noise_sd > 0.0 else math.inf
    return truncated_normal(z, -math.inf, bound)


def alignment(coop: Seq, weights: Seq, east: float) -> float:
    """``rules.alignment``."""
    num, den = 0.0, 0.0
    for d in range(len(coop)):
        num += weights[d] * coop[d]
        den += weights[d]
    return num / max(den, 1e-12) - east


def retaliation(threat: float, belief: float, spread: float, rung: int, risk_aversion: float,
                sanction_cost: float, military_cost: float) -> tuple[float, float]:
    """The anticipated-retaliation factors of ``rules.marginal_utility`` (shared by all domains):
    (Σ fear × P', Σ fear × P''): economic measures coming (none in force) or staying (in force),
    believed at ``belief``, plus, while they are in force, armed pressure believed halfway to 1."""
    p = 0.5 * (1.0 + math.tanh(0.5 * ((threat - belief) / spread)))
    dp = p * (1.0 - p) / spread
    d2p = dp * (1.0 - 2.0 * p) / spread
    fear = risk_aversion * sanction_cost
    fear_dp, fear_d2p = fear * dp, fear * d2p
    if rung >= ECONOMIC:
        believed = belief + 0.5 * (1.0 - belief)
        pm = 0.5 * (1.0 + math.tanh(0.5 * ((threat - believed) / spread)))
        dpm = pm * (1.0 - pm) / spread
        d2pm = dpm * (1.0 - 2.0 * pm) / spread
        fear_m = risk_aversion * military_cost
        fear_dp, fear_d2p = fear_dp + fear_m * dpm, fear_d2p + fear_m * d2pm
    return fear_dp, fear_d2p


def marginal_utility(coop: float, gain: float, kappa: float, hedge: float, sens: float, threat: float,
                     fear_dp: float, fear_d2p: float) -> tuple[float, float]:
    """``rules.marginal_utility`` for one domain (with a status quo, so no linear forfeit):
    (∂U/∂c_d, curvature); ``hedge`` = hedging_weight × fallback, on the threat hazard."""
    dhazard = sens / max(1.0 - sens * coop, 1e-9)
    dthreat = dhazard * (1.0 - threat)
    grad = (gain - kappa * coop) - (hedge * dhazard + fear_dp * dthreat)
    curv = dthreat * dthreat * max(fear_d2p, 0.0) + hedge * dhazard * dhazard + kappa
    return grad, curv


def status_quo_term(grad: float, coop: float, floor: float, ceiling: float) -> float:
    """``rules.status_quo_term`` for one domain."""
    at_low = coop <= floor + 1e-12
    at_high = coop >= ceiling - 1e-12
    if (at_low and at_high) or (at_low and grad <= 0.0) or (at_high and grad >= 0.0):
        return 0.0
    return -grad


def choose_cooperation(coop: float, floor: float, ceiling: float, grad: float, curv: float, inertia: float,
                       max_change: float, reward: float, reward_level: float, forfeit: float,
                       accepted: float) -> float:
    """``rules.choose_cooperation`` for one domain: partial adjustment toward the best response."""
    if reward == 0.0 and forfeit == 0.0:
        best = grad / curv + coop
    else:
        g = grad + reward
        best, top = coop, -math.inf
        for k in range(8):
            if k < 4:
                sl = g - (reward if k in (1, 3) else 0.0) - (forfeit if k >= 2 else 0.0)
                cand = coop + sl / curv
            else:
                cand = (reward_level, accepted, floor, ceiling)[k - 4]
            x = min(max(cand, floor), ceiling)
            v = g * (x - coop) - 0.5 * curv * ((x - coop) * (x - coop))
            v = v + -reward * max(x - reward_level, 0.0)
            v = v + -forfeit * max(x - accepted, 0.0)
            if v > top + 1e-15 * curv:  # a tie in share², not in utility: unit-free
                best, top = x, v
    step = (min(max(best, floor), ceiling) - coop) * (1.0 - inertia)
    step = min(max(step, -max_change), max_change) + coop
    return min(max(step, floor), ceiling)


def domain_welfare(coop: float, gain: float, status_quo: float, kappa: float, reward: float,
                   reward_level: float) -> float:
    """One domain's term of ``rules.welfare``: returns, status-quo term, costs and request reward."""
    u = (kappa * coop * -0.5 + gain + status_quo) * coop
    if reward != 0.0:
        u += reward * min(coop, reward_level)
    return u


def welfare(net: float, hedging_weight: float, fallback: float, threat: float, rung: int, sanction_cost: float,
            military_cost: float, inducement_value: float, inducement_on: bool) -> tuple[float, float]:
    """``rules.welfare`` given the domains' summed terms ``net``: (welfare, loss)."""
    net = net - hedging_weight * fallback * -math.log(max(1.0 - threat, 1e-300))
    loss = (sanction_cost if rung >= ECONOMIC else 0.0) + (military_cost if rung >= MILITARY else 0.0)
    return net - loss + (inducement_value if inducement_on else 0.0), loss
