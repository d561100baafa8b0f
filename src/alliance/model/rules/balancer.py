"""Balancer rules: belief about the hegemon, marginal utility, best response, welfare."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .common import DIPLOMATIC, ECONOMIC, MILITARY, Array, truncated_normal


def update_belief(
    belief: Array,
    rung: NDArray[np.int8],
    inducement: NDArray[np.bool_],
    expected_threat: Array,
    learning_rate: Array,
    quiet_margin: Array,
    warning_gap: Array,
) -> Array:
    """The balancer learns the hegemon's tolerance from its signals (Fearon 1997).

    ``belief`` is the threat level at which the balancer expects economic measures. Observed
    economic or military measures at expected threat T mean the threshold is at most T; a protest
    or the offer of an inducement (``inducement``: offered this month; a deal already running says
    nothing new) means it is about ``warning_gap`` above T, whichever side of the belief that is
    (a protest without sanctions at T also says the line is above T); a quiet month means there is
    at least ``quiet_margin`` of slack above T. Measures can only lower the belief; quiet months
    can only raise it. A harsher signal never implies more tolerance than a milder one at the same
    T (Fearon 1997: a protest or a carrot reveals resolve, it cannot reassure more than silence):
    what a warning implies is capped by what a quiet month would, so sanctioned ≤ warned ≤ quiet
    whatever ``warning_gap`` and ``quiet_margin`` are. The belief moves a share ``learning_rate``
    toward what the signal implies.
    """
    sanctioned = rung >= ECONOMIC
    warned = (rung == DIPLOMATIC) | (inducement & ~sanctioned)
    quiet = np.maximum(belief, expected_threat + quiet_margin)
    implied = np.where(
        sanctioned,
        np.minimum(belief, expected_threat),
        np.where(warned, np.minimum(expected_threat + warning_gap, quiet), quiet),
    )
    return np.clip(belief + learning_rate * (implied - belief), 0.0, 1.0)


def resting_belief(prior_mean: Array, prior_sd: Array, z: Array, expected_threat: Array,
                   quiet_margin: Array) -> Array:
    """The belief a balancer holds after a quiet status quo, drawn once per replication.

    A quiet month at threat T tells the balancer the hegemon's line is at least ``quiet_margin``
    above T (``update_belief``; Fearon 1997: silence is a signal too), so after a quiet status quo
    its belief is at least L = T + ``quiet_margin``: every such belief is a fixed point of
    ``update_belief`` for quiet months, and the balancer starts there (ODD 5). What Astana believed
    is not on record: the analyst's prior is normal (``prior_mean``, ``prior_sd``), and the
    standard normal draw ``z`` is carried to that prior conditioned on the fact, i.e. truncated
    to [L, 1] (``truncated_normal``), not censored onto L (which would give most replications one
    and the same belief). With ``prior_sd`` = 0: ``max(prior_mean, L)``. Result in [0, 1].
    """
    low = np.minimum(expected_threat + quiet_margin, 1.0)
    sd = np.asarray(prior_sd, dtype=np.float64)
    safe = np.maximum(sd, 1e-300)
    drawn = prior_mean + sd * truncated_normal(z, (low - prior_mean) / safe, (1.0 - prior_mean) / safe)
    belief = np.where(sd > 0.0, np.maximum(drawn, low), np.maximum(prior_mean, low))
    return np.clip(belief, 0.0, 1.0)


def alignment(coop: Array, weights: Array, east: Array) -> Array:
    """Alignment index in [−1, 1]: weighted cooperation with the partner minus ties to the hegemon.

    ``weights`` (D, R) weigh domains by significance (the hegemon's sensitivity); ``east`` (R,) in
    [0, 1] is the balancer's structural tie to the hegemon (bloc commitment and exposure).
    """
    west = (weights * coop).sum(axis=0) / np.maximum(weights.sum(axis=0), 1e-12)
    return west - east


def _logistic(x: Array) -> Array:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def marginal_utility(
    coop: Array,
    gain: Array,
    kappa: Array,
    hedging_weight: Array,
    fallback: Array,
    sensitivity: Array,
    presence: Array,
    belief: Array,
    spread: Array,
    rung: NDArray[np.int8],
    risk_aversion: Array,
    sanction_cost: Array,
    military_cost: Array,
    inducement_penalty: Array,
    accepted: Array | None = None,
    threat: Array | None = None,
) -> tuple[Array, Array]:
    """Slope and curvature, per domain, of the balancer's expected utility (without its status-quo term).

    Expected utility per month (hedging, Kuik 2008; the alliance security dilemma, Snyder 1984;
    the sanctions paradox, Drezner 1999)::

        U(c) = Σ_d (gain_d + a_d) c_d − ½ Σ_d kappa_d c_d²   returns, effort and commitment costs
               − hedging_weight × fallback × H(c)           hedging: do not provoke, keep the fallback
               − risk_aversion × P_next(T(c)) × cost_next    anticipated retaliation (summed over
                                                             measures coming or staying)
               − inducement_penalty × Σ_d s_d (c_d − accepted_d)⁺   a deal forfeited by new moves

    ``a_d`` is the status-quo term (``status_quo_term``); T(c) = ``threat_of(c)``. Hedging as Kuik
    (2008) means it: the risk-contingency side of the balancer's strategy is to avoid provoking the
    hegemon and to keep its eastern fallback (``fallback``, its structural tie: bloc commitment and
    exposure), so the cost rises with the threat the hegemon reads, more than in proportion, and
    with what a break would lose. It is counted on the threat hazard H(c) = −ln(1 − T(c)) =
    −ln(1 − presence) − Σ_d ln(1 − s_d c_d), which adds up over domains: each move costs by its own
    domain's sensitivity and level, convex in each (1/(1 − s_d c_d) rises), never cheaper because
    another domain already provokes. (A cost convex in T itself, such as T², would not do: the
    noisy-or T saturates, so above T = ½ a rise in one domain would make every other domain's
    marginal hedging cost fall, and hedging would pull cooperation toward the partner relative to
    the revealed-preference start.) Its slope is never negative, so it never pulls cooperation
    toward the partner, and its cross-partials are zero. The anticipated cost is that of economic
    measures (``sanction_cost``) with P_next logistic in (T(c) − belief) / spread, so anticipated
    retaliation holds the balancer back before any sanction is imposed (episode K1); while measures
    are in force the same term is the chance that they stay (coercion works through the pain still
    to come, and the hegemon steps down when the threat falls: Schelling 1966), so the balancer does
    not forget what it had feared once the feared thing happens (which, the status-quo term having
    priced that fear in, would pull it west the harder the sanctions), and armed pressure
    (``military_cost``, believed to start halfway between the belief and 1) is added. An inducement
    on the table is forfeited by cooperation
    beyond what the hegemon had accepted (``accepted``, the status quo), so it pulls the balancer
    back to the status quo, not below it: a kink that ``choose_cooperation`` handles, so with
    ``accepted`` given the forfeit is left out of the slope here.

    Returns (∂U/∂c_d, curvature): −∂²U/∂c_d², counting the anticipated cost only where it is convex
    (T is linear in each c_d; the hedging term adds ``hedging_weight × fallback × (∂H/∂c_d)²``, with
    ∂H/∂c_d = s_d / (1 − s_d c_d), exactly).
    Both scale with the utility unit; their ratio does not. ``threat`` may pass T(c) when the
    caller has it already.
    """
    # (D, R) temporaries are updated in place: fresh large arrays cost page faults on every call
    safe_d = sensitivity * coop
    np.subtract(1.0, safe_d, out=safe_d)
    if threat is None:
        threat = 1.0 - (1.0 - presence) * np.prod(safe_d, axis=0)
    np.maximum(safe_d, 1e-9, out=safe_d)
    dhazard = np.divide(sensitivity, safe_d, out=safe_d)
    dthreat = dhazard * (1.0 - threat)
    p = _logistic((threat - belief) / spread)
    dp = p * (1.0 - p) / spread
    d2p = dp * (1.0 - 2.0 * p) / spread
    fear = risk_aversion * sanction_cost
    fear_dp, fear_d2p = fear * dp, fear * d2p
    sanctioned = rung >= ECONOMIC
    if np.any(sanctioned):  # measures in force: they stay (above), and armed pressure may come
        pm = _logistic((threat - (belief + 0.5 * (1.0 - belief))) / spread)
        dpm = pm * (1.0 - pm) / spread
        d2pm = dpm * (1.0 - 2.0 * pm) / spread
        fear_m = np.where(sanctioned, risk_aversion * military_cost, 0.0)
        fear_dp, fear_d2p = fear_dp + fear_m * dpm, fear_d2p + fear_m * d2pm
    hedge = hedging_weight * fallback
    grad = kappa * coop
    np.subtract(gain, grad, out=grad)
    grad -= hedge * dhazard + fear_dp * dthreat
    if accepted is None:  # without a status quo to return to, the forfeit is linear
        grad -= inducement_penalty * sensitivity
    curv = dthreat * dthreat
    curv *= np.maximum(fear_d2p, 0.0)
    curv += hedge * dhazard * dhazard
    curv += kappa
    return grad, curv


def status_quo_term(grad: Array, coop: Array, floor: Array, ceiling: Array) -> Array:
    """Revealed preference: the per-domain utility intercept that makes the observed start optimal.

    What the model cannot observe (domestic interests, other partners, the value of the status
    quo itself) is inferred from what it can: the starting cooperation is taken to be the
    balancer's best response under the status quo, as in structural models of choice (revealed
    preference). Given the slope ``grad`` of the rest of its utility at the start ``coop``, the
    term is ``−grad`` in an interior domain (first-order condition) and, where a bound binds,
    the smallest term that satisfies the Karush–Kuhn–Tucker condition: a domain at its floor
    needs slope ≤ 0, one at its ceiling slope ≥ 0, one pinned at both (floor = ceiling) nothing.
    """
    at_low = coop <= floor + 1e-12
    at_high = coop >= ceiling - 1e-12
    a = -grad
    a = np.where(at_low & (grad <= 0.0), 0.0, a)
    a = np.where(at_high & (grad >= 0.0), 0.0, a)
    return np.where(at_low & at_high, 0.0, a)


def _kinked_value(x: Array, coop: Array, grad: Array, curv: Array,
                  kinks: list[tuple[Array | float, Array | float]]) -> Array:
    value = grad * (x - coop) - 0.5 * curv * (x - coop) ** 2
    for level, weight in kinks:
        value = value + weight * np.maximum(x - level, 0.0)
    return value


def choose_cooperation(
    coop: Array,
    floor: Array,
    ceiling: Array,
    grad: Array,
    curvature: Array,
    inertia: Array,
    max_change: Array,
    reward: Array | float = 0.0,
    reward_level: Array | float = 0.0,
    forfeit: Array | float = 0.0,
    accepted: Array | float = 0.0,
) -> Array:
    """The balancer's monthly move: partial adjustment toward its best response.

    The best response in each domain is estimated on the local quadratic model of expected
    utility, ``grad × (x − c) − ½ curvature × (x − c)²`` (a Newton step, exact where utility is
    quadratic; ``marginal_utility`` plus the status-quo term give grad and curvature), plus two
    kinks: an open request pays ``reward`` per unit of cooperation up to the level asked
    (``reward_level``), and an inducement on the table is forfeited at ``forfeit`` per unit of
    cooperation beyond what the hegemon had accepted (``accepted``). Both kinks keep utility
    concave, so the best response is the best of a few candidates: the stationary point of each
    piece, the kinks and the bounds [floor, ceiling]. The balancer moves a share ``1 − inertia`` of
    the way there (partial adjustment: policy moves slowly), at most ``max_change`` per domain, and
    stays within [floor, ceiling] (the ceiling wins: red lines are never crossed). Because grad,
    curvature, reward and forfeit are all in utility units, multiplying every utility parameter by
    the same factor leaves the move unchanged.
    """
    curv = curvature
    has_reward = np.any(reward)
    has_forfeit = np.any(forfeit)
    if not (has_reward or has_forfeit):
        best = np.divide(grad, curv)
        best += coop
    else:
        g = grad + reward
        kinks = [(reward_level, -reward), (accepted, -forfeit)]
        slopes = [g, g - reward, g - forfeit, g - reward - forfeit]
        cands = [coop + sl / curv for sl in slopes]
        cands += [np.broadcast_to(reward_level, coop.shape), np.broadcast_to(accepted, coop.shape),
                  floor, ceiling]
        best = coop
        top = np.full(coop.shape, -np.inf)
        for cand in cands:
            x = np.minimum(np.maximum(cand, floor), ceiling)
            v = _kinked_value(x, coop, g, curv, kinks)
            better = v > top + 1e-15 * curv  # a tie in share², not in utility: unit-free
            best = np.where(better, x, best)
            top = np.where(better, v, top)
    # in place on temporaries: fresh large arrays cost page faults on every call
    step = np.maximum(best, floor)
    np.minimum(step, ceiling, out=step)
    step -= coop
    step *= 1.0 - inertia
    np.maximum(step, -max_change, out=step)
    np.minimum(step, max_change, out=step)
    step += coop
    np.maximum(step, floor, out=step)
    np.minimum(step, ceiling, out=step)
    return step


def welfare(
    coop: Array,
    gain: Array,
    status_quo: Array,
    kappa: Array,
    hedging_weight: Array,
    fallback: Array,
    threat: Array,
    rung: NDArray[np.int8],
    sanction_cost: Array,
    military_cost: Array,
    inducement_value: Array,
    inducement_on: NDArray[np.bool_],
    reward: Array | float = 0.0,
    reward_level: Array | float = 0.0,
) -> tuple[Array, Array]:
    """The balancer's welfare this month and the part of it lost to the hegemon's measures.

    Returns (welfare, loss): the deterministic part of ``marginal_utility``'s U at ``coop``
    (returns and status-quo term, effort and commitment costs, the hedging cost
    ``hedging_weight × fallback × −ln(1 − threat)``), less the measures in force, plus an inducement
    received and the reward for requests (``reward × min(c, reward_level)``). Sanctions cost the balancer in proportion to its exposure (``sanction_cost``
    already includes it); armed pressure costs ``military_cost`` on top.
    """
    u = kappa * coop
    u *= -0.5
    u += gain
    u += status_quo
    u *= coop
    if np.any(reward):
        u += reward * np.minimum(coop, reward_level)
    net = u.sum(axis=0)
    net -= hedging_weight * fallback * -np.log(np.maximum(1.0 - threat, 1e-300))
    loss = np.where(rung >= ECONOMIC, sanction_cost, 0.0) + np.where(rung >= MILITARY, military_cost, 0.0)
    return net - loss + np.where(inducement_on, inducement_value, 0.0), loss
