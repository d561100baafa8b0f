"""Signals are ordered (Fearon 1997): at the same threat, a harsher signal from the hegemon never
leaves the balancer believing it more tolerant than a milder one does, whatever ``warning_gap`` and
``quiet_margin`` are: belief after measures ≤ after a protest or a carrot ≤ after a quiet month.

Found by ``benchmarks/coherence_audit.py`` (session 20): with ``warning_gap`` > ``quiet_margin``
(half the plausible box and of the shipped posterior) a protest reassured the balancer more than
silence, so a warned balancer pressed further than an unwarned one. Checked on the numpy rule and
its scalar twin (which the kernel and the peer run).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.model import rules, scalar_rules

unit = st.floats(0.0, 1.0, allow_nan=False)
half = st.floats(0.0, 0.5, allow_nan=False)


def _numpy(belief, rung, inducement, threat, lr, quiet, gap) -> float:
    out = rules.update_belief(np.array([belief]), np.array([rung], np.int8), np.array([inducement]),
                              np.array([threat]), np.array(lr), np.array(quiet), np.array(gap))
    return float(out[0])


@settings(max_examples=300, deadline=None)
@given(belief=unit, threat=unit, lr=unit, quiet=half, gap=half)
def test_harsher_signals_never_reassure_more(belief, threat, lr, quiet, gap):
    for rule in (_numpy, scalar_rules.update_belief):
        sanctioned = rule(belief, 2, False, threat, lr, quiet, gap)
        protest = rule(belief, 1, False, threat, lr, quiet, gap)
        carrot = rule(belief, 0, True, threat, lr, quiet, gap)
        silence = rule(belief, 0, False, threat, lr, quiet, gap)
        assert sanctioned <= protest <= silence, (rule, sanctioned, protest, silence)
        assert carrot == protest
    assert _numpy(belief, 1, False, threat, lr, quiet, gap) == scalar_rules.update_belief(
        belief, 1, False, threat, lr, quiet, gap)


def test_a_protest_with_a_wide_gap_is_not_read_as_slack():
    """The reduced case: belief 0.5, a protest at threat 0.45, quiet margin 0.05, warning gap 0.25.
    Silence would teach 'at least 0.5' (no change); the protest must not teach 0.7."""
    after = _numpy(0.5, 1, False, 0.45, 1.0, 0.05, 0.25)
    assert after == 0.5
    # where the gap is the smaller, the protest still says 'about gap above the threat'
    assert _numpy(0.6, 1, False, 0.4, 1.0, 0.15, 0.1) == 0.5
