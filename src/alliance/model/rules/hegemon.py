"""Hegemon rules: threat perception, the tolerated status quo, the escalation ladder, inducements."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .common import ECONOMIC, EPS, Array, truncated_normal


def presence_of(weight: Array, alternatives: Array) -> Array:
    """Threat the hegemon reads into the partner's regional footholds (Walt 1985: proximity):
    ``presence_weight × alternatives``."""
    return weight * alternatives


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
    line = red_line if accepted is None else np.maximum(red_line, accepted + EPS)
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


def tolerated_misreading(z: Array, status_quo_threat: Array, threshold_diplomatic: Array,
                         margin: Array, noise_sd: Array) -> Array:
    """The hegemon's standing misreading (in units of ``noise_sd``), given that it tolerated the status quo.

    The analyst cannot know how Moscow reads the balancer (``noise_sd``: Russia never states the
    link between trigger and response), but knows one fact: the hegemon lived with the status quo
    without acting (Levy 1997; KN). So the standard normal draw ``z`` is conditioned on it: the
    misreading e = ``noise_sd`` × result leaves the perceived status quo at least ``margin`` below
    the first rung, ``e ≤ threshold_diplomatic − margin − status_quo_threat`` (the rung as slid by
    the noise-free status quo, so the bound is ≥ 0). Conditioning (a truncated normal) rather than
    sliding the ladder by the misreading, which would cancel the misreading in every replication
    whose status quo sits near the first rung and leave them all with one reading of every move.
    With ``noise_sd`` = 0 the draw is returned as it is (it is multiplied by 0).
    """
    sd = np.asarray(noise_sd, dtype=np.float64)
    room = np.maximum(threshold_diplomatic - margin - status_quo_threat, 0.0)
    bound = np.where(sd > 0.0, room / np.maximum(sd, 1e-300), np.inf)
    return truncated_normal(z, -np.inf, bound)


def economic_line_crossed(coop: Array, anticipated: Array, anticipation: Array,
                          economic_line: Array, accepted: Array | None = None) -> NDArray[np.bool_]:
    """Whether cooperation, seen or announced, reaches a domain's economic line.

    Some moves make economic measures worth their cost to the hegemon: in the episodes, steps
    toward membership or association drew Russian economic measures nearly every time (G1, UG9,
    M0, A1), pre-emptively when the step was announced (U1), but not every time (GE14, SE22:
    protests only). A line per domain is the rung below the red line (Kahn 1965: a threshold per
    rung); crossing it raises the benefit of the economic rung (``line_pull``, weighed in
    ``escalate``), it does not impose the rung. Where the status quo already stands at or beyond
    the line (``accepted``), only a further step counts (the hegemon reacts to moves, see
    ``tolerated_thresholds``).
    """
    seen = np.maximum(coop, anticipation * anticipated)
    hit = seen >= economic_line - 1e-12
    if accepted is not None:
        hit &= seen > accepted + EPS
    return np.any(hit, axis=0)


def line_pull_of(crossed: NDArray[np.bool_], leverage: Array, exposure: Array) -> Array:
    """The benefit an economic line adds to the economic rung: ``leverage × exposure`` where
    crossed, else 0 (threat-index units).

    The sanctions paradox (Drezner 1999, 2003): a sender coerces for the concessions it expects,
    and those grow with what the target stands to lose, its exposure to the sender
    (``balancer.export_share_via_russia``); the sender's own loss is the mirror term
    (``own_cost`` = cost_weight × trade share). So a move past the line draws sanctions where
    the hegemon has leverage (Moldova, Ukraine, Armenia) and may draw only protests where it has
    little (a balancer that hardly trades with it).
    """
    return np.where(crossed, leverage * exposure, 0.0)


def defection_hardening(before: Array, after: Array | float, weight: Array) -> Array:
    """How far a fall in the balancer's bloc commitment hardens the hegemon: ``weight × max(0,
    before − after)`` (threat-index units, subtracted from every rung like any hardening).

    The alliance security dilemma (Snyder 1984): a patron's fear is abandonment, and an ally that
    loosens its tie to the bloc (suspends its membership, freezes its participation) is a loss the
    patron answers as it answers a move toward the rival, the mirror of a rise in cooperation. A
    loss, not a gain, is news (Levy 1997, reference dependence): a rise in commitment does not
    soften the hegemon, and the commitment it started with is the status quo it tolerated. Only a
    change counts, so a balancer that was never in the bloc is not read as a defector.
    """
    return weight * np.maximum(np.asarray(before, dtype=np.float64) - after, 0.0)


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
    line_pull: Array | float = 0.0,
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

    ``line_pull`` (threat-index units, ≥ 0) is the extra benefit of the economic rung where a move
    has crossed an economic line (``economic_line_crossed``; ``line_pull_of``): the economic bar
    falls by it, still weighed against ``own_cost``, so a line raises the pressure toward
    sanctions without imposing them (Drezner 1999: coercion is chosen for its expected benefit
    against the sender's own cost). A hegemon willing to sanction is willing to protest, so the
    diplomatic bar never lies above the economic one.

    Returns (new rung, months the current measure still has to run after this one).
    """
    cost = np.asarray(own_cost, dtype=np.float64)
    add = np.stack([np.zeros_like(cost), cost, cost])
    bar = thresholds + (add.reshape(3, 1) if cost.ndim == 0 else add)
    economic = bar[1] - line_pull
    bar = np.stack(np.broadcast_arrays(np.minimum(bar[0], economic), economic, bar[2]))
    target = (threat >= bar).sum(axis=0, dtype=np.int8)
    hold = (threat >= bar - hysteresis).sum(axis=0, dtype=np.int8)
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
