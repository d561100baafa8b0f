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
    "partner_interest": {"stochastic": False},
    "partner_offers": {"stochastic": False},
    "perceived_threat": {"stochastic": True, "noise": "noise"},
    "economic_line_crossed": {"stochastic": False},
    "escalate": {"stochastic": True, "noise": ("u_kind", "u_length")},
    "offer_inducement": {"stochastic": True, "noise": "u"},
    "update_belief": {"stochastic": False},
    "choose_cooperation": {"stochastic": False},
    "alignment": {"stochastic": False},
    "welfare": {"stochastic": False},
}


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
    target = np.minimum(base + substitution * (1.0 - alternatives), cap)
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
) -> tuple[Array, NDArray[np.bool_]]:
    """The hegemon's perceived threat and whether a red line is crossed.

    Announced moves (``anticipated``, the level the hegemon expects in each domain once a
    scheduled event happens) count with weight ``anticipation`` before they happen, which lets the
    hegemon act pre-emptively (episode U1). Perception is noisy (``noise_sd × noise``, noise a
    standard normal draw): Russia never states the link between trigger and response. Crossing a
    red line in any domain sets the threat to 1.

    Returns (threat in [0, 1], red_line_crossed).
    """
    seen = np.maximum(coop, anticipation * anticipated)
    base = threat_of(seen, sensitivity, presence)
    crossed = np.any(coop > red_line + 1e-12, axis=0)
    threat = np.minimum(np.maximum(base + noise_sd * noise, 0.0), 1.0)
    return np.where(crossed, 1.0, threat), crossed


def economic_line_crossed(coop: Array, anticipated: Array, anticipation: Array,
                          economic_line: Array) -> NDArray[np.bool_]:
    """Whether cooperation, seen or announced, reaches a domain's economic line.

    Some moves draw economic measures whatever the rest of the relationship looks like: in the
    episodes, steps toward membership or association drew Russian economic measures nearly every
    time (G1, UG9, M0, A1), pre-emptively when the step was announced (U1). A line per domain is
    the rung below the red line (Kahn 1965: a threshold per rung).
    """
    seen = np.maximum(coop, anticipation * anticipated)
    return np.any(seen >= economic_line - 1e-12, axis=0)


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
) -> tuple[NDArray[np.int8], Array]:
    """One month on the escalation ladder (Kahn 1965).

    ``thresholds`` (3, R) or (3, 1) are the diplomatic, economic and military thresholds (already shifted by
    any hardening). The hegemon climbs straight to the highest rung whose threshold the threat
    reaches (reactive lags of 0–0.5 months in the episodes). A new economic or military measure
    lasts at least one month, or with probability ``long_probability`` a long time drawn uniformly
    from [long_min, long_max] months (durations are bimodal: days–weeks or 1.5–7 years). Once a
    measure's minimum duration has run out, the hegemon steps down to the highest rung whose
    threshold minus ``hysteresis`` the threat still reaches (easier to stay than to climb).

    ``min_rung`` raises the target where a line has been reached (``economic_line_crossed``).

    Returns (new rung, months the current measure still has to run after this one).
    """
    target = np.maximum((threat >= thresholds).sum(axis=0, dtype=np.int8), min_rung).astype(np.int8)
    hold = np.maximum((threat >= thresholds - hysteresis).sum(axis=0, dtype=np.int8), min_rung)
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
) -> tuple[Array, NDArray[np.bool_]]:
    """Carrots as well as sticks: (months an inducement still runs after this one, active now).

    A hegemon that finds a bloc ally's moves threatening (threat at or above the diplomatic
    threshold) may prefer the cheaper instrument and offer a deal (a pipeline, a loan) that the
    ally forfeits by sensitive cooperation (Z1, K1; Drezner 1999). Offered with monthly
    probability ``propensity`` to balancers whose bloc commitment is at least ``min_commitment``.
    """
    eligible = (remaining <= 0) & (threat >= threshold_diplomatic) & (commitment >= min_commitment)
    new = eligible & (u < propensity)
    active = new | (remaining > 0)
    return np.where(new, duration - 1.0, np.maximum(remaining - 1.0, 0.0)), active


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
    or an inducement means it is about ``warning_gap`` above T; a quiet month means there is at
    least ``quiet_margin`` of slack above T. Signals can only lower the belief; quiet months
    can only raise it. The belief moves a share ``learning_rate`` toward what the signal implies.
    """
    sanctioned = rung >= ECONOMIC
    warned = (rung == DIPLOMATIC) | (inducement & ~sanctioned)
    implied = np.where(
        sanctioned,
        np.minimum(belief, expected_threat),
        np.where(
            warned,
            np.minimum(belief, expected_threat + warning_gap),
            np.maximum(belief, expected_threat + quiet_margin),
        ),
    )
    return np.clip(belief + learning_rate * (implied - belief), 0.0, 1.0)


def alignment(coop: Array, weights: Array, east: Array) -> Array:
    """Alignment index in [−1, 1]: weighted cooperation with the partner minus ties to the hegemon.

    ``weights`` (D, R) weigh domains by significance (the hegemon's sensitivity); ``east`` (R,) in
    [0, 1] is the balancer's structural tie to the hegemon (bloc commitment and exposure).
    """
    west = (weights * coop).sum(axis=0) / np.maximum(weights.sum(axis=0), 1e-12)
    return west - east


def _logistic(x: Array) -> Array:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def choose_cooperation(
    coop: Array,
    floor: Array,
    ceiling: Array,
    gain: Array,
    kappa: Array,
    hedging_weight: Array,
    east: Array,
    sensitivity: Array,
    presence: Array,
    belief: Array,
    spread: Array,
    rung: NDArray[np.int8],
    risk_aversion: Array,
    sanction_cost: Array,
    military_cost: Array,
    inducement_penalty: Array,
    inertia: Array,
    max_change: Array,
) -> Array:
    """The balancer's monthly move: a step up the gradient of expected utility, with inertia.

    Expected utility per month (hedging, Kuik 2008; the alliance security dilemma, Snyder 1984;
    the sanctions paradox, Drezner 1999)::

        U(c) = Σ_d gain_d c_d − ½ Σ_d kappa_d c_d²          returns, effort and commitment costs
               − hedging_weight × alignment(c)²             loss of options away from the centre
               − risk_aversion × P_next(c) × cost_next      anticipated retaliation
               − inducement_penalty × Σ_d s_d c_d           a hegemon's deal that would be forfeited

    P_next is the believed probability of the next rung up: economic measures (cost
    ``sanction_cost`` per month) while none are in force, otherwise armed pressure
    (``military_cost``), believed to start halfway between the belief and 1. It is logistic in
    (threat_of(c) − belief) / spread, so anticipated retaliation holds the balancer back before
    any sanction is imposed (episode K1), while sanctions already imposed are sunk and weigh less.

    The balancer moves ``(1 − inertia) × ∇U``, at most ``max_change`` per domain, then stays
    within [floor, ceiling] (the ceiling wins: red lines are never crossed).
    """
    weights = sensitivity
    wsum = np.maximum(weights.sum(axis=0), 1e-12)
    align = (weights * coop).sum(axis=0) / wsum - east
    grad = gain - kappa * coop - (2.0 * hedging_weight * align / wsum) * weights

    safe_d = 1.0 - sensitivity * coop
    threat = 1.0 - (1.0 - presence) * np.prod(safe_d, axis=0)
    sanctioned = rung >= ECONOMIC
    believed = np.where(sanctioned, belief + 0.5 * (1.0 - belief), belief)
    cost_next = np.where(sanctioned, military_cost, sanction_cost)
    p = _logistic((threat - believed) / spread)
    dp_dt = p * (1.0 - p) / spread
    dthreat = sensitivity * ((1.0 - threat) / np.maximum(safe_d, 1e-9))
    grad -= (risk_aversion * cost_next * dp_dt) * dthreat
    grad -= inducement_penalty * sensitivity

    step = np.minimum(np.maximum((1.0 - inertia) * grad, -max_change), max_change)
    return np.minimum(np.maximum(coop + step, floor), ceiling)


def welfare(
    coop: Array,
    gain: Array,
    kappa: Array,
    hedging_weight: Array,
    align: Array,
    rung: NDArray[np.int8],
    sanction_cost: Array,
    military_cost: Array,
    inducement_value: Array,
    inducement_on: NDArray[np.bool_],
) -> tuple[Array, Array]:
    """The balancer's welfare this month and the part of it lost to the hegemon's measures.

    Returns (welfare, loss). Sanctions cost the balancer in proportion to its exposure
    (``sanction_cost`` already includes it); armed pressure costs ``military_cost`` on top.
    """
    net = (gain * coop - 0.5 * kappa * coop * coop).sum(axis=0) - hedging_weight * align * align
    loss = np.where(rung >= ECONOMIC, sanction_cost, 0.0) + np.where(rung >= MILITARY, military_cost, 0.0)
    return net - loss + np.where(inducement_on, inducement_value, 0.0), loss
