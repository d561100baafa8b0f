"""The lane-blocked month: the fused kernel's rules for ``L`` replications side by side.

``kernel.month`` is this function compiled. Replications go in blocks of ``L`` lanes; a block's
state and parameters are copied into one small scratch table (a row per quantity, the lane
contiguous), its months are computed there, and its state is written back. Within a month each
stage is one short loop over the lanes, branch-free (``a if c else b`` and ``min``/``max`` become
selects), so LLVM turns it into packed AVX instructions (``benchmarks/kernel_profile.py`` prints
the packed and fused operations of the compiled code). The two transcendental calls (the tanh of
``retaliation``, the log of ``welfare``) and the rare full ``choose_cooperation`` (an open request or
inducement) run in their own scalar loops over the lanes; a lane whose tanh or log argument is
last month's, bit for bit (a run at rest), reuses last month's value. A group's record is
buffered 8 months and copied out by ``kernel_rules.flush`` (non-temporal stores for a large record).

Bit-identical to the per-replication kernel (``kernel.reference``): every lane performs the same
IEEE operations in the same order as the rules of ``scalar_rules.py`` (packed or scalar, +, −, ×, ÷,
compares and selects give the same bits; there is no fastmath and LLVM contracts nothing into FMA),
and values constant over a call (thresholds, presence, costs) are computed once per block by the
same expressions. A partial last block fills its spare lanes with copies of its last replication
and discards them, so every replication goes through the same code whatever its block, lane,
thread or chunk. The rules here are ``scalar_rules`` written in lane form: a change to a rule there
must be mirrored here; ``tests/model/test_lanes.py`` compares the two kernels bit for bit.
"""

from __future__ import annotations

import math

import numpy as np

from . import kernel_rules as kr
from .kernel_rules import (
    N_OUT,
    N_PACKED,
    SENS,
    STREAM_BYTES,
    D,
    choose_cooperation,
    effective_threshold,
    fence,
    flush,
    inducement_chance,
    rule,
    uniform,
)

L = 8
"""Lanes per block (two AVX2 registers of float64)."""
G = 8
"""Blocks per group: a group's months are computed in step (its scratch tables stay in L2)."""
MB = 8
"""Months of a group's record buffered before they are copied into the record."""

EPS = 1e-9
# rows of the scratch table: per-domain quantities take D rows
_PER_DOMAIN = ("c", "acc", "floor", "sq", "ract", "rage", "rlvl", "rbase", "reward_on", "offer", "gain",
               "kappa", "reward", "forfeit", "crlim", "econlim", "acceps", "ant", "g", "cv", "newc")
_PER_LANE = ("interest", "belief", "rung", "rem", "ileft", "ion", "inew", "mis", "ref", "welf", "loss", "cum",
             "align", "th", "cr", "expected", "x", "fdp", "fd2p", "u0", "u1", "u2", "it", "b", "target", "omp",
             "east", "scost", "hedge", "b1", "b2", "b3", "pull", "h3", "e1", "chance", "dur", "lspan",
             "denm", "inertia1", "net", "sanc", "slow", "tanh_x", "tanh_y", "log_x", "log_y", "xm",
             "tanhm_x", "tanhm_y")
_ROW = {name: N_PACKED + D * i for i, name in enumerate(_PER_DOMAIN)}
_ROW.update({name: N_PACKED + D * len(_PER_DOMAIN) + i for i, name in enumerate(_PER_LANE)})
ROWS = N_PACKED + D * len(_PER_DOMAIN) + len(_PER_LANE)
(C_, ACC_, FLOOR_, SQ_, RACT_, RAGE_, RLVL_, RBASE_, RWON_, OFFER_, GAIN_, KAPPA_, REW_, FORF_, CRLIM_,
 ECONLIM_, ACCEPS_, ANT_, G_, CV_, NEWC_) = (_ROW[n] * L for n in _PER_DOMAIN)
(INT_, BEL_, RUNG_, REM_, ILEFT_, ION_, INEW_, MIS_, REF_, WELF_, LOSS_, CUM_, ALIGN_, TH_, CR_, EXP_, X_,
 FDP_, FD2P_, U0_, U1_, U2_, IT_, B_, TARGET_, OMP_, EAST_, SCOST_, HEDGE_, B1_, B2_, B3_, PULL_, H3_,
 E1_, CHANCE_, DUR_, LSPAN_, DENM_, INERTIA1_, NET_, SANC_, SLOW_, TANH_X_, TANH_Y_, LOG_X_, LOG_Y_, XM_,
 TANHM_X_, TANHM_Y_) = (
    _ROW[n] * L for n in _PER_LANE)



def month(r0: int, r1: int, t0: int, t1: int, consts: np.ndarray, keys: np.ndarray, P: np.ndarray,
          anticipated: np.ndarray, coop: np.ndarray, floor: np.ndarray, status_quo: np.ndarray,
          belief: np.ndarray, welf: np.ndarray, loss: np.ndarray, cum_loss: np.ndarray, align: np.ndarray,
          interest: np.ndarray, offers: np.ndarray, refusals: np.ndarray, req_level: np.ndarray,
          req_int: np.ndarray, req_age: np.ndarray, req_active: np.ndarray, req_base: np.ndarray,
          threat: np.ndarray, rung: np.ndarray, remaining: np.ndarray, ind_left: np.ndarray,
          ind_on: np.ndarray, ind_new: np.ndarray, crossed: np.ndarray, misreading: np.ndarray,
          accepted: np.ndarray, tolerance: np.ndarray, posture: np.ndarray, rec: np.ndarray) -> None:
    """Months ``t0`` to ``t1 − 1`` for replications ``r0`` to ``r1 − 1`` (the arguments of
    ``kernel.reference``): groups of ``G`` blocks of ``L`` lanes, month by month within a group
    (so each month's record of a group is ``G × L`` contiguous values, not ``L``)."""
    S = np.empty((G, ROWS * L))
    K = np.empty((G, L), dtype=np.uint64)
    B = np.empty((N_OUT, MB, G * L), dtype=np.float32)
    varies = P.shape[1] > 1
    flat = rec.reshape(rec.size)
    stream = rec.size * 4 >= STREAM_BYTES
    for g0 in range(r0, r1, G * L):
        nb = min(G, (r1 - g0 + L - 1) // L)
        for g in range(nb):
            b0 = g0 + g * L
            _gather(S, K, g, b0, min(L, r1 - b0), varies, keys, P, anticipated, coop, floor, status_quo, belief,
                    cum_loss, interest, req_level, req_int, req_age, req_active, req_base, rung, remaining,
                    ind_left, ind_on, ind_new, misreading, accepted, tolerance, posture)
        width = min(G * L, r1 - g0)
        for t in range(t0, t1):
            k = (t - t0) % MB
            for g in range(nb):
                _step(S, K, g, consts[t - t0, 0], consts[t - t0, 1], consts[t - t0, 2])
                _record(S, g, B, k)
            if k == MB - 1 or t == t1 - 1:
                flush(B, flat, rec.shape[1], rec.shape[2], t - k, k + 1, g0, width, stream)
        for g in range(nb):
            b0 = g0 + g * L
            _scatter(S, g, b0, min(L, r1 - b0), coop, belief, welf, loss, cum_loss, align, interest, offers,
                     refusals, req_level, req_age, req_active, threat, rung, remaining, ind_left, ind_on, ind_new,
                     crossed)
    fence()  # the record's non-temporal stores are visible to every thread after this


def _record(S: np.ndarray, g: int, B: np.ndarray, k: int) -> None:
    """The month's outcomes of block ``g`` into row ``k`` of the group's record buffer ``B`` (every
    lane: a spare lane's copy is never flushed)."""
    for d in range(D):
        _put(B, d, k, g, S, C_ + d * L)
    _put(B, kr.O_ALIGN, k, g, S, ALIGN_)
    _put(B, kr.O_THREAT, k, g, S, TH_)
    _put(B, kr.O_ESC, k, g, S, RUNG_)
    _put(B, kr.O_SANC, k, g, S, SANC_)
    _put(B, kr.O_IND, k, g, S, ION_)
    _put(B, kr.O_WELF, k, g, S, WELF_)
    _put(B, kr.O_INT, k, g, S, INT_)
    _put(B, kr.O_BELIEF, k, g, S, BEL_)
    _put(B, kr.O_RED, k, g, S, CR_)


def _put(B: np.ndarray, o: int, k: int, g: int, S: np.ndarray, row: int) -> None:
    for j in range(L):
        B[o, k, g * L + j] = S[g, row + j]


def _scatter(S: np.ndarray, g: int, b0: int, n: int, coop: np.ndarray, belief: np.ndarray, welf: np.ndarray,
             loss: np.ndarray, cum_loss: np.ndarray, align: np.ndarray, interest: np.ndarray, offers: np.ndarray,
             refusals: np.ndarray, req_level: np.ndarray, req_age: np.ndarray, req_active: np.ndarray,
             threat: np.ndarray, rung: np.ndarray, remaining: np.ndarray, ind_left: np.ndarray,
             ind_on: np.ndarray, ind_new: np.ndarray, crossed: np.ndarray) -> None:
    """Write a block's state back (its ``n`` real lanes)."""
    for j in range(n):
        r = b0 + j
        for d in range(D):
            coop[d, r] = S[g, C_ + d * L + j]
            offers[d, r] = S[g, OFFER_ + d * L + j]
            req_level[d, r] = S[g, RLVL_ + d * L + j]
            req_age[d, r] = S[g, RAGE_ + d * L + j]
            req_active[d, r] = S[g, RACT_ + d * L + j] != 0.0
        belief[r], welf[r], loss[r], cum_loss[r] = S[g, BEL_ + j], S[g, WELF_ + j], S[g, LOSS_ + j], S[g, CUM_ + j]
        align[r], interest[r], refusals[r], threat[r] = S[g, ALIGN_ + j], S[g, INT_ + j], S[g, REF_ + j], S[g, TH_ + j]
        rung[r] = np.int8(S[g, RUNG_ + j])
        remaining[r], ind_left[r] = S[g, REM_ + j], S[g, ILEFT_ + j]
        ind_on[r], ind_new[r], crossed[r] = S[g, ION_ + j] != 0.0, S[g, INEW_ + j] != 0.0, S[g, CR_ + j] != 0.0

def _gather(S: np.ndarray, K: np.ndarray, g: int, b0: int, n: int, varies: bool, keys: np.ndarray, P: np.ndarray,
            anticipated: np.ndarray, coop: np.ndarray, floor: np.ndarray, status_quo: np.ndarray,
            belief: np.ndarray, cum_loss: np.ndarray, interest: np.ndarray, req_level: np.ndarray,
            req_int: np.ndarray, req_age: np.ndarray, req_active: np.ndarray, req_base: np.ndarray,
            rung: np.ndarray, remaining: np.ndarray, ind_left: np.ndarray, ind_on: np.ndarray,
            ind_new: np.ndarray, misreading: np.ndarray, accepted: np.ndarray, tolerance: np.ndarray,
            posture: np.ndarray) -> None:
    """Copy a block's state and parameters into the lanes (spare lanes: its last replication), and
    the values that stay constant over the call, by the rules' own expressions."""
    for j in range(L):
        r = b0 + min(j, n - 1)
        K[g, j] = keys[r]
        for k in range(N_PACKED):
            S[g, k * L + j] = P[k, r if varies else 0]
        for d in range(D):
            i = d * L + j
            S[g, C_ + i], S[g, ACC_ + i], S[g, FLOOR_ + i], S[g, SQ_ + i] = coop[d, r], accepted[d, r], floor[d, r], status_quo[d, r]
            S[g, RACT_ + i] = 1.0 if req_active[d, r] else 0.0
            S[g, RAGE_ + i], S[g, RLVL_ + i], S[g, RBASE_ + i] = req_age[d, r], req_level[d, r], req_base[d, r]
            sens = S[g, (SENS + d) * L + j]
            S[g, RWON_ + i] = S[g, kr.REQ_REWARD * L + j] * req_int[d, r] * max(1.0 - S[g, kr.ENTRAP * L + j] * sens, 0.0)
            S[g, KAPPA_ + i] = S[g, kr.EFFORT * L + j] + (S[g, kr.COMMIT_COST * L + j] * S[g, kr.BLOC * L + j]) * S[g, (kr.TREATY + d) * L + j]
            S[g, FORF_ + i] = S[g, kr.IND_VALUE * L + j] * sens
            S[g, CRLIM_ + i] = max(S[g, (kr.RED_LINE + d) * L + j], accepted[d, r] + EPS) + 1e-12
            S[g, ECONLIM_ + i] = S[g, (kr.ECON_LINE + d) * L + j] - 1e-12
            S[g, ACCEPS_ + i] = accepted[d, r] + EPS
            S[g, ANT_ + i] = S[g, kr.ANTICIPATION * L + j] * anticipated[d]
        S[g, INT_ + j], S[g, BEL_ + j], S[g, CUM_ + j] = interest[r], belief[r], cum_loss[r]
        S[g, RUNG_ + j], S[g, REM_ + j], S[g, ILEFT_ + j] = float(rung[r]), remaining[r], ind_left[r]
        S[g, ION_ + j] = 1.0 if ind_on[r] else 0.0
        S[g, INEW_ + j] = 1.0 if ind_new[r] else 0.0
        S[g, MIS_ + j] = misreading[r]
        S[g, TANH_X_ + j], S[g, LOG_X_ + j], S[g, TANHM_X_ + j] = np.nan, np.nan, np.nan  # nothing remembered yet
        S[g, TARGET_ + j] = min(S[g, kr.BASE * L + j] + S[g, kr.SUBST * L + j] * (1.0 - S[g, kr.ALT * L + j]), S[g, kr.CAP * L + j])
        presence = S[g, kr.PRESENCE_W * L + j] * S[g, kr.ALT * L + j]
        S[g, OMP_ + j] = 1.0 - presence
        east = 0.5 * (S[g, kr.BLOC * L + j] + S[g, kr.EXPORT * L + j])
        S[g, EAST_ + j], S[g, SCOST_ + j], S[g, HEDGE_ + j] = east, S[g, kr.EXPORT * L + j] * S[g, kr.SANCTION_SEV * L + j], S[g, kr.HEDGING * L + j] * east
        pos, tol, first = posture[r if posture.shape[0] > 1 else 0], tolerance[r], S[g, kr.THRESH * L + j]
        e1 = effective_threshold(first, first, S[g, kr.HARDENING * L + j], pos, tol, S[g, kr.TOL_MARGIN * L + j])
        e2 = effective_threshold(S[g, (kr.THRESH + 1) * L + j], first, S[g, kr.HARDENING * L + j], pos, tol, S[g, kr.TOL_MARGIN * L + j])
        e3 = effective_threshold(S[g, (kr.THRESH + 2) * L + j], first, S[g, kr.HARDENING * L + j], pos, tol, S[g, kr.TOL_MARGIN * L + j])
        own = S[g, kr.COST_W * L + j] * S[g, kr.TRADE * L + j]
        b1, b2, b3 = e1 + 0.0, e2 + own, e3 + own
        S[g, E1_ + j], S[g, B1_ + j], S[g, B2_ + j], S[g, B3_ + j] = e1, b1, b2, b3
        hy = S[g, kr.HYST * L + j]
        S[g, PULL_ + j] = S[g, kr.LEVERAGE * L + j] * S[g, kr.EXPORT * L + j]  # line_pull_of where crossed
        S[g, H3_ + j] = b3 - hy
        S[g, CHANCE_ + j] = inducement_chance(S[g, kr.BLOC * L + j], S[g, kr.IND_MIN_COMMIT * L + j], S[g, kr.IND_PROP * L + j])
        S[g, DUR_ + j] = max(S[g, kr.IND_MONTHS * L + j] - 1.0, 0.0)
        S[g, LSPAN_ + j] = S[g, kr.LONG_MAX * L + j] - S[g, kr.LONG_MIN * L + j] + 1.0
        den = 0.0
        for d in range(D):
            den += S[g, (SENS + d) * L + j]
        S[g, DENM_ + j] = max(den, 1e-12)
        S[g, INERTIA1_ + j] = 1.0 - S[g, kr.INERTIA * L + j]


def _step(S: np.ndarray, K: np.ndarray, g: int, u0: np.uint64, u1: np.uint64, u2: np.uint64) -> None:
    """One month of a block, in the model's step order; each loop over the lanes is one stage."""
    # the counter draws of escalate and offer_inducement
    for j in range(L):
        S[g, U0_ + j], S[g, U1_ + j], S[g, U2_ + j] = uniform(K[g, j], u0), uniform(K[g, j], u1), uniform(K[g, j], u2)
    # 2. the partner judges requests (judge_request), moves interest (partner_interest), offers
    for j in range(L):
        ref = 0.0
        for d in range(D):
            i = d * L + j
            act = S[g, RACT_ + i] != 0.0
            age0, lvl, c = S[g, RAGE_ + i], S[g, RLVL_ + i], S[g, C_ + i]
            age = age0 + 1.0
            keep = (age < S[g, kr.PATIENCE * L + j]) | (c >= 0.9 * lvl)
            up = c > S[g, RBASE_ + i] + EPS
            still = keep | up
            S[g, RAGE_ + i] = age if act else age0
            S[g, RLVL_ + i] = c if act & (not keep) & up else lvl
            S[g, RACT_ + i] = 1.0 if act & still else 0.0
            ref = ref + 1.0 if act & (not still) else ref
        S[g, REF_ + j] = ref
        it0, cap = S[g, INT_ + j], S[g, kr.CAP * L + j]
        new = it0 + S[g, kr.RATE * L + j] * (S[g, TARGET_ + j] - it0) - S[g, kr.PENALTY * L + j] * ref
        it = min(max(new, 0.0), cap)
        S[g, INT_ + j] = it
        slow = S[g, ION_ + j] != 0.0  # this lane needs the full choose_cooperation (below)
        for d in range(D):
            i = d * L + j
            off = min(it * S[g, (kr.OFFER + d) * L + j], cap)
            S[g, OFFER_ + i] = off
            S[g, GAIN_ + i] = S[g, (kr.BENEFIT + d) * L + j] * off
            reward_on = S[g, RWON_ + i]  # every load unconditional: a select, not a masked load
            reward = reward_on if S[g, RACT_ + i] != 0.0 else 0.0
            S[g, REW_ + i] = reward
            slow |= reward != 0.0
        S[g, SLOW_ + j] = 1.0 if slow else 0.0
    # 3. the balancer learns (update_belief), fears retaliation (retaliation), moves (marginal_utility,
    #    choose_cooperation)
    for j in range(L):
        safe = 1.0
        for d in range(D):
            safe *= 1.0 - S[g, (SENS + d) * L + j] * S[g, C_ + d * L + j]
        expected = 1.0 - S[g, OMP_ + j] * safe
        bel, rg = S[g, BEL_ + j], S[g, RUNG_ + j]
        signal = (rg == 1.0) | (S[g, INEW_ + j] != 0.0)
        warn, quiet = S[g, kr.WARN * L + j], S[g, kr.QUIET * L + j]
        still = max(bel, expected + quiet)  # what a quiet month implies; a warning never implies more
        implied = min(bel, expected) if rg >= 2.0 else (min(expected + warn, still) if signal else still)
        b = min(max(bel + S[g, kr.LEARN * L + j] * (implied - bel), 0.0), 1.0)
        S[g, BEL_ + j], S[g, EXP_ + j] = b, expected
        spread = S[g, kr.SPREAD * L + j]
        S[g, X_ + j] = 0.5 * ((expected - b) / spread)
        S[g, XM_ + j] = 0.5 * ((expected - (b + 0.5 * (1.0 - b))) / spread)
    for j in range(L):  # libm, scalar; the same argument as last month: the same value
        x = S[g, X_ + j]
        if x == S[g, TANH_X_ + j] and x != 0.0:  # the same bits (±0 would compare equal)
            S[g, X_ + j] = S[g, TANH_Y_ + j]
        else:
            S[g, TANH_X_ + j], S[g, X_ + j] = x, math.tanh(x)
            S[g, TANH_Y_ + j] = S[g, X_ + j]
        if S[g, RUNG_ + j] >= 2.0:  # measures in force: armed pressure may come (rare: only then)
            x = S[g, XM_ + j]
            if x == S[g, TANHM_X_ + j] and x != 0.0:
                S[g, XM_ + j] = S[g, TANHM_Y_ + j]
            else:
                S[g, TANHM_X_ + j], S[g, XM_ + j] = x, math.tanh(x)
                S[g, TANHM_Y_ + j] = S[g, XM_ + j]
    for j in range(L):
        spread = S[g, kr.SPREAD * L + j]
        p = 0.5 * (1.0 + S[g, X_ + j])
        dp = p * (1.0 - p) / spread
        d2p = dp * (1.0 - 2.0 * p) / spread
        risk = S[g, kr.RISK * L + j]
        fear = risk * S[g, SCOST_ + j]  # economic measures coming, or staying while in force
        fdp, fd2p = fear * dp, fear * d2p
        pm = 0.5 * (1.0 + S[g, XM_ + j])
        dpm = pm * (1.0 - pm) / spread
        d2pm = dpm * (1.0 - 2.0 * pm) / spread
        fear_m = risk * S[g, kr.MILITARY_SEV * L + j]
        sanctioned = S[g, RUNG_ + j] >= 2.0
        S[g, FDP_ + j] = fdp + fear_m * dpm if sanctioned else fdp
        S[g, FD2P_ + j] = fd2p + fear_m * d2pm if sanctioned else fd2p
    for j in range(L):
        expected, hedge, fdp, fd2p = S[g, EXP_ + j], S[g, HEDGE_ + j], S[g, FDP_ + j], S[g, FD2P_ + j]
        on = S[g, ION_ + j] != 0.0
        inertia1, step_max = S[g, INERTIA1_ + j], S[g, kr.MAX_CHANGE * L + j]
        for d in range(D):
            i = d * L + j
            sens, c, kappa = S[g, (SENS + d) * L + j], S[g, C_ + i], S[g, KAPPA_ + i]
            dhazard = sens / max(1.0 - sens * c, 1e-9)
            dthreat = dhazard * (1.0 - expected)
            grad = (S[g, GAIN_ + i] - kappa * c) - (hedge * dhazard + fdp * dthreat)
            curv = dthreat * dthreat * max(fd2p, 0.0) + hedge * dhazard * dhazard + kappa
            gq = grad + S[g, SQ_ + i]
            forfeit_on = S[g, FORF_ + i]
            forfeit = forfeit_on if on else 0.0
            lo, hi = S[g, FLOOR_ + i], S[g, (kr.CEILING + d) * L + j]
            best = gq / curv + c
            step = (min(max(best, lo), hi) - c) * inertia1
            step = min(max(step, -step_max), step_max) + c
            S[g, NEWC_ + i] = min(max(step, lo), hi)
            S[g, G_ + i], S[g, CV_ + i] = gq, curv
    for j in range(L):  # an open request or inducement: the full rule, scalar
        if S[g, SLOW_ + j] == 0.0:
            continue
        on = S[g, ION_ + j] != 0.0
        for d in range(D):
            i = d * L + j
            forfeit = S[g, FORF_ + i] if on else 0.0
            if S[g, REW_ + i] != 0.0 or forfeit != 0.0:
                S[g, NEWC_ + i] = choose_cooperation(
                    S[g, C_ + i], S[g, FLOOR_ + i], S[g, (kr.CEILING + d) * L + j], S[g, G_ + i], S[g, CV_ + i],
                    S[g, kr.INERTIA * L + j], S[g, kr.MAX_CHANGE * L + j], S[g, REW_ + i], S[g, RLVL_ + i], forfeit, S[g, ACC_ + i])
    for i in range(D * L):
        S[g, C_ + i] = S[g, NEWC_ + i]
    # 4. the hegemon perceives (perceived_threat, economic_line_crossed), climbs or leaves the ladder
    #    (escalate), may offer a deal (offer_inducement)
    for j in range(L):
        safe, cr, line = 1.0, False, False
        for d in range(D):
            i = d * L + j
            c = S[g, C_ + i]
            seen = max(c, S[g, ANT_ + i])
            safe *= 1.0 - S[g, (SENS + d) * L + j] * seen
            cr |= c > S[g, CRLIM_ + i]
            line |= (seen >= S[g, ECONLIM_ + i]) & (seen > S[g, ACCEPS_ + i])
        base = 1.0 - S[g, OMP_ + j] * safe
        noise_sd, mis = S[g, kr.NOISE_SD * L + j], S[g, MIS_ + j]
        th = 1.0 if cr else min(max(base + noise_sd * mis, 0.0), 1.0)
        b2 = S[g, B2_ + j] - (S[g, PULL_ + j] if line else 0.0)  # the line pulls the economic bar down
        b1 = min(S[g, B1_ + j], b2)
        b3, hy, h3 = S[g, B3_ + j], S[g, kr.HYST * L + j], S[g, H3_ + j]
        target = (1.0 if th >= b1 else 0.0) + (1.0 if th >= b2 else 0.0) + (1.0 if th >= b3 else 0.0)
        hold = (1.0 if th >= b1 - hy else 0.0) + (1.0 if th >= b2 - hy else 0.0) + (1.0 if th >= h3 else 0.0)
        rg, rem = S[g, RUNG_ + j], S[g, REM_ + j]
        lmin = S[g, kr.LONG_MIN * L + j]
        long_rem = np.floor(lmin + S[g, U1_ + j] * S[g, LSPAN_ + j]) - 1.0
        is_long = (S[g, U0_ + j] < S[g, kr.LONG_P * L + j]) & (target >= 2.0)
        up = target > rg
        running = rem > 0.0
        new_rung = target if up else (rg if running else max(min(rg, hold), target))
        S[g, REM_ + j] = (long_rem if is_long else 0.0) if up else (rem - 1.0 if running else 0.0)
        left, dur = S[g, ILEFT_ + j], S[g, DUR_ + j]
        deal = (th >= S[g, E1_ + j]) & (S[g, U2_ + j] < S[g, CHANCE_ + j])
        calm = new_rung < 2.0
        S[g, ILEFT_ + j] = 0.0 if not calm else (max(left - 1.0, 0.0) if left > 0.0 else (dur if deal else 0.0))
        now = calm & ((left > 0.0) | deal)
        S[g, INEW_ + j] = 1.0 if now & (S[g, ION_ + j] == 0.0) else 0.0
        S[g, ION_ + j] = 1.0 if now else 0.0
        S[g, RUNG_ + j], S[g, TH_ + j], S[g, CR_ + j] = new_rung, th, 1.0 if cr else 0.0
        S[g, SANC_ + j] = 0.0 if calm else 1.0
    # 5. welfare (domain_welfare, welfare) after the hegemon's answer, and alignment
    for j in range(L):
        safe, net, num = 1.0, 0.0, 0.0
        for d in range(D):
            i = d * L + j
            sens, c, reward, level = S[g, (SENS + d) * L + j], S[g, C_ + i], S[g, REW_ + i], S[g, RLVL_ + i]
            safe *= 1.0 - sens * c
            u = (S[g, KAPPA_ + i] * c * -0.5 + S[g, GAIN_ + i] + S[g, SQ_ + i]) * c
            net += u + reward * min(c, level) if reward != 0.0 else u
            num += sens * c
        S[g, NET_ + j] = net
        S[g, X_ + j] = max(1.0 - (1.0 - S[g, OMP_ + j] * safe), 1e-300)
        S[g, ALIGN_ + j] = num / S[g, DENM_ + j] - S[g, EAST_ + j]
    for j in range(L):  # libm, scalar, remembered as tanh above
        x = S[g, X_ + j]
        if x == S[g, LOG_X_ + j] and x != 0.0:
            S[g, X_ + j] = S[g, LOG_Y_ + j]
        else:
            S[g, LOG_X_ + j], S[g, X_ + j] = x, math.log(x)
            S[g, LOG_Y_ + j] = S[g, X_ + j]
    for j in range(L):
        rg, sanction, military, value = S[g, RUNG_ + j], S[g, SCOST_ + j], S[g, kr.MILITARY_SEV * L + j], S[g, kr.IND_VALUE * L + j]
        net = S[g, NET_ + j] - S[g, HEDGE_ + j] * -S[g, X_ + j]
        lo = (sanction if rg >= 2.0 else 0.0) + (military if rg >= 3.0 else 0.0)
        S[g, WELF_ + j] = net - lo + (value if S[g, ION_ + j] != 0.0 else 0.0)
        S[g, LOSS_ + j] = lo
        S[g, CUM_ + j] += lo


_gather = rule(_gather, inline="never")
_step = rule(_step, inline="never")
_put = rule(_put)
_record = rule(_record)
_scatter = rule(_scatter)
