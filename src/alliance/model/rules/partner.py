"""Partner rules: strategic interest and offers (balance of threat from the partner's side)."""

from __future__ import annotations

import numpy as np

from .common import Array


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
