"""Protests from signals, not noise (issue 10): with default noise and nothing new, the status quo
stays quiet at every horizon, and cooperation does not drift.

Target status-quo protest rate: none beyond reactions to moves, i.e. P(at least one protest in
three years of an unchanged status quo) ≈ 0, never above ``MARGIN`` more at ten years than at three.
Evidence (``shared/episodes.md``): partnership without bases drew no more than rhetoric, and that
rhetoric answered moves (K1: IPAP, the BTC accord, the Brussels visit; K2: the Caspian ports),
while the standing partnership and Afghan transit drew none (KN). See ``hegemon.noise_sd``'s
provenance and docs/ODD.md, section 7.2.
"""

from __future__ import annotations

import numpy as np

from alliance.model import DOMAINS, AllianceModel

MARGIN = 0.02
"""P(≥ 1 protest over 120 months) may exceed P(over 36 months) by at most this."""


def _ever_protest(months: int) -> float:
    m = AllianceModel("baseline", replications=1000, months=months, collect=False).run()
    return float((m.outcome("escalation")[1:] >= 1).any(axis=0).mean())


def test_protests_do_not_grow_with_the_horizon():
    p36, p120 = _ever_protest(36), _ever_protest(120)
    assert p120 <= p36 + MARGIN, (p36, p120)
    assert p36 <= 0.05, p36


def test_median_drift_over_36_months_is_small_in_every_domain():
    m = AllianceModel("baseline", replications=1000, months=36, collect=False).run()
    for d in DOMAINS:
        x = m.outcome(f"coop_{d}")
        drift = np.median(np.abs(x[-1].astype(float) - x[0].astype(float)))
        assert drift < 0.02, (d, drift)
