"""Pure decision rules on numpy arrays: no Mesa, no I/O, no global state.

Every rule takes state arrays over replications, shape ``(R,)``, or over domains and
replications, shape ``(D, R)`` with D the six domains (domain-major, so that each domain's row is
contiguous and sums over domains are row additions), plus parameters that broadcast against them:
a parameter is either one value for all replications (a 0-d array, or ``(D, 1)`` per domain) or
one value per replication (``(R,)``, or ``(D, R)`` per domain). Rules return new arrays. Stochastic rules
take their pre-drawn uniforms or normals as arguments, so the caller owns the randomness (see
``rng.py``). Each docstring names the theory the rule encodes; ``docs/ODD.md`` section 7
(Submodels) describes the same rules in prose.

Each rule declares its traits in ``RULE_TRAITS`` (deterministic or not, which inputs carry noise);
``tests/unit/test_rules.py`` checks each declaration against behaviour.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

NONE, DIPLOMATIC, ECONOMIC, MILITARY = 0, 1, 2, 3

RULE_TRAITS: dict[str, dict[str, object]] = {
    "interest_target": {"stochastic": False},
    "partner_interest": {"stochastic": False},
    "partner_offers": {"stochastic": False},
    "perceived_threat": {"stochastic": True, "noise": "noise"},
    "tolerated_thresholds": {"stochastic": False},
    "economic_line_crossed": {"stochastic": False},
    "escalate": {"stochastic": True, "noise": ("u_kind", "u_length")},
    "offer_inducement": {"stochastic": True, "noise": "u"},
    "update_belief": {"stochastic": False},
    "resting_belief": {"stochastic": False},
    "marginal_utility": {"stochastic": False},
    "status_quo_term": {"stochastic": False},
    "choose_cooperation": {"stochastic": False},
    "alignment": {"stochastic": False},
    "welfare": {"stochastic": False},
}

_EPS = 1e-9
"""Tolerance for 'beyond what the hegemon has accepted' (floating-point noise is not a move)."""


def interest_target(base: Array, substitution: Array, alternatives: Array, cap: Array) -> Array:
    """The partner's interest at rest: ``min(base + substitution × (1 − alternatives), cap)``.

    Substitution between footholds (briefing: "NATO has lost out in Uzbekistan … so cooperation
    with Kazakstan is growing"): the value of the balancer to the partner rises one for one with
    the share of regional alternatives lost, times ``substitution``, up to the ambition ``cap``
    ("It would be foolish to suggest that NATO has any kind of expansionist interests").
    The partner starts at this target (ODD 5), so its interest moves only when something changes.
    """
    return np.minimum(base + substitution * (1.0 - alternatives), cap)


def partner_interest(
    interest: Array,
    base: Array,
    substitution: Array,
    alternatives: Array,
    cap: Array,
    rate: Array,
    refusals: Array,
    refusal_penalty: Array,
) -> Array:
    """Partner's strategic interest after one month.

    Substitution between footholds: the value of the balancer to the partner rises as the
    partner's regional alternatives fall away (briefing: "NATO has lost out in Uzbekistan …
    so cooperation with Kazakstan is growing"). Interest moves a share ``rate`` of the way to
    ``base + substitution × (1 − alternatives)``, never above the ambition ``cap``, and drops by
    ``refusal_penalty`` for each request the balancer refused this month (a reaction to refusals).
    """
    target = interest_target(base, substitution, alternatives, cap)
    new = interest + rate * (target - interest) - refusal_penalty * refusals
    return np.clip(new, 0.0, cap)


def partner_offers(interest: Array, offer: Array, cap: Array) -> Array:
    """What the partner offers per domain: its willingness scaled by interest, capped by ambition.

    Shapes: interest (R,), offer (D, R) or (D, 1), cap (R,) or () → (D, R).
    """
    return np.minimum(interest * offer, cap)


def threat_of(coop: Array, sensitivity: Array, presence: Array) -> Array:
    """Noise-free threat the hegemon reads into cooperation ``coop`` (D, R) and partner presence.

    Balance of threat (Walt 1985): a threat is judged by offensive capability and proximity, so
    each domain counts by its sensitivity; any one highly sensitive move suffices, hence a
    noisy-or: ``1 − (1 − presence) × Π_d (1 − s_d c_d)``. Result in [0, 1].
    """
    safe = np.prod(1.0 - sensitivity * coop, axis=0)
    return 1.0 - (1.0 - presence) * safe


def perceived_threat(
    coop: Array,
    anticipated: Array,
    sensitivity: Array,
    red_line: Array,
    presence: Array,
    anticipation: Array,
    noise_sd: Array,
    noise: Array,
    accepted: Array | None = None,
) -> tuple[Array, NDArray[np.bool_]]:
    """The hegemon's perceived threat and whether a red line is crossed.

    Announced moves (``anticipated``, the level the hegemon expects in each domain once a
    scheduled event happens) count with weight ``anticipation`` before they happen, which lets the
    hegemon act pre-emptively (episode U1). Perception carries an error ``noise_sd × noise``: the
    caller passes one standard normal draw per replication that persists for the whole run, so the
    error is a standing misreading of the balancer (Russia never states the link between trigger
    and response, episodes.md), not a monthly whim: with nothing new, nothing new is perceived.

    Crossing a red line in any domain sets the threat to 1. A red line the status quo already
    stands beyond (``accepted``, the cooperation the hegemon has lived with, e.g. coalition bases
    after 9/11 in UZ01) is crossed only by a move beyond that level.

    Returns (threat in [0, 1], red_line_crossed).
    """
    seen = np.maximum(coop, anticipation * anticipated)
    base = threat_of(seen, sensitivity, presence)
    line = red_line if accepted is None else np.maximum(red_line, accepted + _EPS)
    crossed = np.any(coop > line + 1e-12, axis=0)
    threat = np.minimum(np.maximum(base + noise_sd * noise, 0.0), 1.0)
    return np.where(crossed, 1.0, threat), crossed


def tolerated_thresholds(thresholds: Array, tolerance: Array, margin: Array) -> Array:
    """The escalation thresholds of a hegemon that has accepted the status quo.

    Revealed preference and reference dependence (Levy 1997, prospect theory in IR): the hegemon
    did not act against the status quo it lived with, so the threat it perceived then
    (``tolerance``) is its reference point, and only a rise above it is news. The ladder
    (thresholds (3, R) or (3, 1), lowest first) slides up, all rungs together, just far enough for
    its first rung to sit ``margin`` above the tolerated threat; a hegemon whose status quo is well
    below its first rung keeps its thresholds. So the hegemon reacts to change, never to a status
    quo that nothing has changed.
    """
    shift = np.maximum(tolerance + margin - thresholds[0], 0.0)
    return thresholds + shift


def economic_line_crossed(coop: Array, anticipated: Array, anticipation: Array,
                          economic_line: Array, accepted: Array | None = None) -> NDArray[np.bool_]:
    """Whether cooperation, seen or announced, reaches a domain's economic line.

    Some moves draw economic measures whatever the rest of the relationship looks like: in the
    episodes, steps toward membership or association drew Russian economic measures nearly every
    time (G1, UG9, M0, A1), pre-emptively when the step was announced (U1). A line per domain is
    the rung below the red line (Kahn 1965: a threshold per rung). Where the status quo already
    stands at or beyond the line (``accepted``), only a further step counts (the hegemon reacts
    to moves, see ``tolerated_thresholds``).
    """
    seen = np.maximum(coop, anticipation * anticipated)
    hit = seen >= economic_line - 1e-12
    if accepted is not None:
        hit &= seen > accepted + _EPS
    return np.any(hit, axis=0)


def escalate(
    rung: NDArray[np.int8],
    remaining: Array,
    threat: Array,
    thresholds: Array,
    hysteresis: Array,
    long_probability: Array,
    long_min: Array,
    long_max: Array,
    u_kind: Array,
    u_length: Array,
    min_rung: NDArray[np.int8] | int = 0,
    own_cost: Array | float = 0.0,
) -> tuple[NDArray[np.int8], Array]:
    """One month on the escalation ladder (Kahn 1965), each rung a choice of benefit against cost.

    ``thresholds`` (3, R) or (3, 1) are the diplomatic, economic and military thresholds (already
    shifted by any hardening and by the tolerated status quo). The benefit of a rung is the threat
    above its threshold that the measure is meant to deter; economic and military measures also
    cost the hegemon ``own_cost`` (threat-index units: the trade it forgoes with the balancer,
    Drezner 1999 on the costs of coercion to the sender), so the hegemon climbs to the highest rung
    whose benefit covers its cost, at once (reactive lags of 0–0.5 months in the episodes). A new
    economic or military measure lasts at least one month, or with probability ``long_probability``
    a long time drawn uniformly from [long_min, long_max] months (durations are bimodal: days–weeks
    or 1.5–7 years). Once a measure's minimum duration has run out, the hegemon steps down to the
    highest rung it would still choose with ``hysteresis`` of slack (easier to stay than to climb).

    ``min_rung`` raises the target where a line has been reached (``economic_line_crossed``).

    Returns (new rung, months the current measure still has to run after this one).
    """
    cost = np.asarray(own_cost, dtype=np.float64)
    add = np.stack([np.zeros_like(cost), cost, cost])
    bar = thresholds + (add.reshape(3, 1) if cost.ndim == 0 else add)
    target = np.maximum((threat >= bar).sum(axis=0, dtype=np.int8), min_rung).astype(np.int8)
    hold = np.maximum((threat >= bar - hysteresis).sum(axis=0, dtype=np.int8), min_rung)
    climbing = target > rung
    long = u_kind < long_probability
    length = np.floor(long_min + u_length * (long_max - long_min + 1.0))
    new_duration = np.where(long & (target >= ECONOMIC), length, 1.0)
    locked = (~climbing) & (remaining > 0)
    stepped = np.maximum(np.minimum(rung, hold), target).astype(np.int8)
    new_rung = np.where(climbing, target, np.where(locked, rung, stepped)).astype(np.int8)
    new_remaining = np.where(climbing, new_duration - 1.0, np.where(locked, remaining - 1.0, 0.0))
    return new_rung, new_remaining


def offer_inducement(
    remaining: Array,
    threat: Array,
    threshold_diplomatic: Array,
    commitment: Array,
    min_commitment: Array,
    propensity: Array,
    duration: Array,
    u: Array,
    rung: NDArray[np.int8] | None = None,
) -> tuple[Array, NDArray[np.bool_]]:
    """Carrots as well as sticks: (months an inducement still runs after this one, active now).

    A hegemon that finds a bloc ally's moves threatening (threat at or above the diplomatic
    threshold) may prefer the cheaper instrument and offer a deal (a pipeline, a loan) that the
    ally forfeits by further sensitive cooperation (Z1, K1; Drezner 1999). The monthly probability
    is ``propensity × min(1, commitment / min_commitment)``: full for allies at least as committed
    as ``min_commitment``, falling in proportion below it and zero outside the blocs, with no jump.
    Carrot or stick, never both: no deal is offered, and a running one is withdrawn, while the
    hegemon imposes economic or military measures (``rung``).
    """
    share = np.minimum(1.0, commitment / np.maximum(min_commitment, 1e-12))
    share = np.where(min_commitment > 0, share, 1.0)
    stick = np.zeros(np.shape(u), dtype=bool) if rung is None else rung >= ECONOMIC
    eligible = (remaining <= 0) & (threat >= threshold_diplomatic) & ~stick
    new = eligible & (u < propensity * share)
    running = (remaining > 0) & ~stick
    active = new | running
    left = np.where(new, duration - 1.0, np.where(running, remaining - 1.0, 0.0))
    return np.maximum(left, 0.0), active


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
    can only raise it. The belief moves a share ``learning_rate`` toward what the signal implies.
    """
    sanctioned = rung >= ECONOMIC
    warned = (rung == DIPLOMATIC) | (inducement & ~sanctioned)
    implied = np.where(
        sanctioned,
        np.minimum(belief, expected_threat),
        np.where(
            warned,
            expected_threat + warning_gap,
            np.maximum(belief, expected_threat + quiet_margin),
        ),
    )
    return np.clip(belief + learning_rate * (implied - belief), 0.0, 1.0)


def resting_belief(belief: Array, expected_threat: Array, quiet_margin: Array) -> Array:
    """The belief a balancer holds after a quiet status quo: ``max(belief, T + quiet_margin)``.

    The fixed point of ``update_belief`` for quiet months at threat T (Fearon 1997: silence is a
    signal too). The balancer starts here (ODD 5), so the status quo teaches it nothing new.
    """
    return np.minimum(np.maximum(belief, expected_threat + quiet_margin), 1.0)


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
               − hedging_weight × fallback × T(c)²          hedging: do not provoke, keep the fallback
               − risk_aversion × P_next(T(c)) × cost_next    anticipated retaliation
               − inducement_penalty × Σ_d s_d (c_d − accepted_d)⁺   a deal forfeited by new moves

    ``a_d`` is the status-quo term (``status_quo_term``); T(c) = ``threat_of(c)``. Hedging as Kuik
    (2008) means it: the risk-contingency side of the balancer's strategy is to avoid provoking the
    hegemon and to keep its eastern fallback (``fallback``, its structural tie: bloc commitment and
    exposure), so the cost rises with the threat the hegemon reads, more than in proportion (the
    risk of a rupture grows faster than the irritation), and with what a break would lose; its
    slope is never negative, so it never pulls cooperation toward the partner. P_next is the believed probability of the
    next rung up: economic measures (cost ``sanction_cost``) while none are in force, otherwise
    armed pressure (``military_cost``), believed to start halfway between the belief and 1. It is
    logistic in (T(c) − belief) / spread, so anticipated retaliation holds the balancer back before
    any sanction is imposed (episode K1). An inducement on the table is forfeited by cooperation
    beyond what the hegemon had accepted (``accepted``, the status quo), so it pulls the balancer
    back to the status quo, not below it: a kink that ``choose_cooperation`` handles, so with
    ``accepted`` given the forfeit is left out of the slope here.

    Returns (∂U/∂c_d, curvature): −∂²U/∂c_d², counting the anticipated cost only where it is convex
    (T is linear in each c_d, so the hedging term adds ``2 × hedging_weight × fallback × (∂T/∂c_d)²``).
    Both scale with the utility unit; their ratio does not. ``threat`` may pass T(c) when the
    caller has it already.
    """
    # (D, R) temporaries are updated in place: fresh large arrays cost page faults on every call
    safe_d = sensitivity * coop
    np.subtract(1.0, safe_d, out=safe_d)
    if threat is None:
        threat = 1.0 - (1.0 - presence) * np.prod(safe_d, axis=0)
    np.maximum(safe_d, 1e-9, out=safe_d)
    dthreat = np.divide(1.0 - threat, safe_d, out=safe_d)
    dthreat *= sensitivity
    sanctioned = rung >= ECONOMIC
    believed = np.where(sanctioned, belief + 0.5 * (1.0 - belief), belief)
    cost_next = np.where(sanctioned, military_cost, sanction_cost)
    p = _logistic((threat - believed) / spread)
    dp = p * (1.0 - p) / spread
    d2p = dp * (1.0 - 2.0 * p) / spread
    fear = risk_aversion * cost_next
    hedge = 2.0 * hedging_weight * fallback
    grad = kappa * coop
    np.subtract(gain, grad, out=grad)
    grad -= (hedge * threat + fear * dp) * dthreat
    if accepted is None:  # without a status quo to return to, the forfeit is linear
        grad -= inducement_penalty * sensitivity
    curv = dthreat * dthreat
    curv *= hedge + np.maximum(fear * d2p, 0.0)
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
            better = v > top + 1e-15
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
    ``hedging_weight × fallback × threat²``), less the measures in force, plus an inducement
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
    net -= hedging_weight * fallback * threat * threat
    loss = np.where(rung >= ECONOMIC, sanction_cost, 0.0) + np.where(rung >= MILITARY, military_cost, 0.0)
    return net - loss + np.where(inducement_on, inducement_value, 0.0), loss
