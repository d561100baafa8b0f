"""Partner rules: strategic interest and offers (balance of threat from the partner's side)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .common import EPS, Array


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


def judge_requests(active: NDArray[np.bool_], age: Array, patience: Array, coop: Array, level: Array,
                   base: Array) -> tuple[NDArray[np.bool_], Array, NDArray[np.bool_]]:
    """The partner's judgement of its open requests: (still open, level asked, refused now).

    A request is judged once it has waited ``patience`` months (``age`` counts them). It is met
    when cooperation stands at 90% of the level asked or more. Short of that, the partner judges
    the balancer's take-up, not the clock alone: a balancer that has moved above ``base``, the
    cooperation it stood at in that domain when the request opened (the status quo of ODD 5 for a
    request made from a steady start), has taken up part of the request, and the partner banks
    it — it keeps the request open at the level taken up rather than walking away from a partial
    deal (the partner's interest and patience follow what it gains, THEORY.md "The partner"; a
    partial step beats a refusal for a partner with few alternatives: accession and association
    tracks stayed open while the applicant moved, SE22, FI22, UZ01). Cooperation it already gave
    before the request (an earlier request banked, an offer taken) is not take-up of this one.
    Only a balancer that has taken up nothing refuses: the request closes and counts as refused
    (``partner_interest`` then cools the partner). Shapes (D, R).
    """
    due = active & (age >= patience)
    short = due & (coop < 0.9 * level)
    took = short & (coop > base + EPS)
    refused = short & ~took
    return active & ~refused, np.where(took, coop, level), refused
