"""The fused engine: compiled kernels compute a whole month of every rule, for many replications.

``AllianceModel.step()`` keeps its face (events, agents, DataCollector) and, where numba is
available, computes the month here instead of with ~40 numpy calls on (D, R) arrays.
``run()`` without events computes the whole horizon in one call. Large calls are split into
chunks of replications that ``threads`` threads take in turn (the kernels release the GIL);
worker processes of a batch use one thread each.

Two kernels with the same arguments and bit-identical results:

- ``month`` (used): the lane-blocked kernel of ``lanes.py``. Replications go in blocks of
  ``lanes.L`` = 8 lanes, groups of ``lanes.G`` blocks month by month; each stage of a month is one
  branch-free loop over the lanes that LLVM vectorises (AVX2: packed ``vmulpd``/``vdivpd``/
  ``vmaxpd``…; ``benchmarks/kernel_profile.py`` prints the count and that there is no FMA), the
  tanh of ``retaliation`` and the log of ``welfare`` in scalar loops calling libm as before
  (skipped where a lane's argument repeats last month's: the value is reused). Its
  rules are those of ``scalar_rules.py`` written in lane form (the rare full
  ``choose_cooperation`` of an open request or inducement calls the scalar rule itself).
- ``reference``: one replication at a time, calling the scalar rules of ``scalar_rules.py``
  (compiled by numba, the same functions the scalar peer ``peer.py`` runs in Python); compiled
  only when called (tests).

So a change to a rule is made in ``rules/``, mirrored in ``scalar_rules.py`` AND in ``lanes.py``:
``tests/model/test_lanes.py`` compares ``month`` with ``reference`` bit for bit on every shipped
scenario and episode and with per-replication parameters, ``test_scalar_oracle.py`` the peer with
the ensemble, ``test_kernel.py`` the kernel with the numpy path.

Random numbers are the counter-based draws of ``rng.py`` (the hash is exact integer arithmetic,
so the kernel draws bit-for-bit the same uniforms); the month-0 normals are drawn by numpy when
the model is built. Arithmetic is exact IEEE (no fastmath, no FMA contraction: packed and scalar
operations give the same bits, and a replication's result does not depend on its block, lane,
thread or chunk; a partial last block computes copies in its spare lanes and discards them);
``error_model="numpy"`` only drops the zero-division checks. Results equal the numpy path to
rounding (``tests/model/test_kernel.py``) and are bit-identical across blocks, threads, chunks
and replays.

Cold start. Compiling the lane kernel costs ~12 s of CPU (the per-replication one ~7 s), almost
all in numba's type inference and LLVM. Measured alternatives for a fresh install: the numpy path
while the cache is cold is *not* identical (equal to rounding only), so a run would change once
the cache is warm and ``--replay`` would not reproduce it; the kernel interpreted by Python is
bit-identical but takes ~160 µs per run-month. So the compiled kernel is built at install and
shipped (``kernel_cache.py``, ``hatch_build.py``); where it does not match, the first call
compiles once and numba caches the result on disk. Set ``ALLIANCE_NO_JIT=1`` (or run where numba
is missing) to use the numpy path.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np

from . import kernel_cache, lanes, rng
from .kernel_rules import (
    ALT,
    ANTICIPATION,
    AVAILABLE,
    BASE,
    BENEFIT,
    BLOC,
    CAP,
    CEILING,
    COMMIT_COST,
    COST_W,
    ECON_LINE,
    EFFORT,
    ENTRAP,
    EXPORT,
    GROUPS,
    HARDENING,
    HEDGING,
    HYST,
    IND_MIN_COMMIT,
    IND_MONTHS,
    IND_PROP,
    IND_VALUE,
    INERTIA,
    LEARN,
    LEVERAGE,
    LONG_MAX,
    LONG_MIN,
    LONG_P,
    MAX_CHANGE,
    MILITARY_SEV,
    N_PACKED,
    NOISE_SD,
    O_ALIGN,
    O_BELIEF,
    O_ESC,
    O_IND,
    O_INT,
    O_RED,
    O_SANC,
    O_THREAT,
    O_WELF,
    OFFER,
    PATIENCE,
    PENALTY,
    PRESENCE_W,
    QUIET,
    RATE,
    RED_LINE,
    REQ_REWARD,
    RISK,
    SANCTION_SEV,
    SCALARS,
    SENS,
    SPREAD,
    SUBST,
    THRESH,
    TOL_MARGIN,
    TRADE,
    TREATY,
    WARN,
    D,
    alignment,
    choose_cooperation,
    domain_welfare,
    economic_line_crossed,
    effective_threshold,
    escalate,
    inducement_chance,
    jit,
    judge_request,
    line_pull_of,
    marginal_utility,
    offer_inducement,
    partner_interest,
    partner_offer,
    perceived_threat,
    request_reward,
    retaliation,
    threat_of,
    uniform,
    update_belief,
    welfare,
)

if TYPE_CHECKING:  # pragma: no cover
    from .model import AllianceModel

def pack(model: AllianceModel) -> np.ndarray:
    """Every parameter the kernel reads, one row each: (N_PACKED, 1), or (N_PACKED, R) when
    replications differ (a sampler's values or a masked event)."""
    rows = [model.p(n) for n in SCALARS]
    rows += [model.g(g)[d] for g in GROUPS for d in range(D)]
    rows += [model.g("hegemon.threshold")[k] for k in range(3)]
    width = max(np.size(r) for r in rows)
    out = np.empty((N_PACKED, width))
    for i, r in enumerate(rows):
        out[i] = r
    return out


def stream_constants(t0: int, t1: int) -> np.ndarray:
    """The per-month halves of the hash for the kernel's three uniform streams (``rng.uniform``),
    months t0 … t1 − 1: shape (t1 − t0, 3)."""
    out = np.empty((t1 - t0, 3), dtype=np.uint64)
    for t in range(t0, t1):
        for i, s in enumerate(("duration_kind", "duration_length", "inducement")):
            out[t - t0, i] = rng.uniform1_constant(t, rng.STREAMS[s])
    return out



def _month(r0: int, r1: int, t0: int, t1: int, consts: np.ndarray, keys: np.ndarray, P: np.ndarray, anticipated: np.ndarray,
           coop: np.ndarray, floor: np.ndarray, status_quo: np.ndarray, belief: np.ndarray, welf: np.ndarray,
           loss: np.ndarray, cum_loss: np.ndarray, align: np.ndarray, interest: np.ndarray, offers: np.ndarray,
           refusals: np.ndarray, req_level: np.ndarray, req_int: np.ndarray, req_age: np.ndarray,
           req_active: np.ndarray, req_base: np.ndarray, threat: np.ndarray, rung: np.ndarray, remaining: np.ndarray,
           ind_left: np.ndarray, ind_on: np.ndarray, ind_new: np.ndarray, crossed: np.ndarray,
           misreading: np.ndarray, accepted: np.ndarray, tolerance: np.ndarray, posture: np.ndarray,
           rec: np.ndarray) -> None:
    """Months ``t0`` to ``t1 − 1`` for replications ``r0`` to ``r1 − 1``, in the model's step order (partner,
    balancer, hegemon, welfare, record); state arrays are updated in place, outcomes written to
    ``rec[:, t]``. Replication-major: one replication's state stays in cache for all its months
    (``consts[t − t0]`` holds month t's stream constants; ``anticipated`` is the same for all)."""
    varies = P.shape[1] > 1
    gain, reward, kappa = np.empty(D), np.empty(D), np.empty(D)
    c, acc, sens, red, econ = np.empty(D), np.empty(D), np.empty(D), np.empty(D), np.empty(D)
    q = np.empty(P.shape[0])
    for r in range(r0, r1):
        # scratch copies (no array views in the loop: a view costs reference counting)
        if varies or r == r0:
            for k in range(P.shape[0]):
                q[k] = P[k, r if varies else 0]
            for d in range(D):
                sens[d], red[d], econ[d] = q[SENS + d], q[RED_LINE + d], q[ECON_LINE + d]
        for d in range(D):
            c[d], acc[d] = coop[d, r], accepted[d, r]
        for t in range(t0, t1):
            u0, u1, u2 = consts[t - t0, 0], consts[t - t0, 1], consts[t - t0, 2]
            # 2. the partner judges requests, moves interest and offers
            ref = 0.0
            for d in range(D):
                if req_active[d, r]:
                    req_age[d, r] += 1.0
                    still, lvl = judge_request(req_age[d, r], q[PATIENCE], coop[d, r], req_level[d, r], req_base[d, r])
                    req_level[d, r] = lvl
                    if not still:
                        req_active[d, r] = False
                        ref += 1.0
            refusals[r] = ref
            it = partner_interest(interest[r], q[BASE], q[SUBST], q[ALT], q[CAP], q[RATE], ref, q[PENALTY])
            interest[r] = it
            for d in range(D):
                offers[d, r] = partner_offer(it, q[OFFER + d], q[CAP])
                gain[d] = q[BENEFIT + d] * offers[d, r]
                kappa[d] = q[EFFORT] + (q[COMMIT_COST] * q[BLOC]) * q[TREATY + d]
                reward[d] = request_reward(req_active[d, r], q[REQ_REWARD], req_int[d, r], q[ENTRAP], sens[d])
            # 3. the balancer learns, then moves toward its best response
            presence = q[PRESENCE_W] * q[ALT]
            expected = threat_of(c, sens, presence)
            b = update_belief(belief[r], rung[r], ind_new[r], expected, q[LEARN], q[QUIET], q[WARN])
            belief[r] = b
            east = 0.5 * (q[BLOC] + q[EXPORT])
            sanction_cost = q[EXPORT] * q[SANCTION_SEV]
            hedge = q[HEDGING] * east
            fear_dp, fear_d2p = retaliation(expected, b, q[SPREAD], rung[r], q[RISK], sanction_cost, q[MILITARY_SEV])
            on = ind_on[r]
            for d in range(D):
                g, cv = marginal_utility(c[d], gain[d], kappa[d], hedge, sens[d], expected, fear_dp, fear_d2p)
                g += status_quo[d, r]
                forfeit = q[IND_VALUE] * sens[d] if on else 0.0
                c[d] = choose_cooperation(c[d], floor[d, r], q[CEILING + d], g, cv, q[INERTIA], q[MAX_CHANGE],
                                          reward[d], req_level[d, r], forfeit, acc[d])
            # 4. the hegemon perceives, climbs or leaves the ladder, may offer a deal
            th, cr = perceived_threat(c, anticipated, sens, red, acc, presence,
                                      q[ANTICIPATION], q[NOISE_SD], misreading[r])
            pos = posture[r if posture.shape[0] > 1 else 0]
            first = q[THRESH]
            e1 = effective_threshold(first, first, q[HARDENING], pos, tolerance[r], q[TOL_MARGIN])
            e2 = effective_threshold(q[THRESH + 1], first, q[HARDENING], pos, tolerance[r], q[TOL_MARGIN])
            e3 = effective_threshold(q[THRESH + 2], first, q[HARDENING], pos, tolerance[r], q[TOL_MARGIN])
            line = economic_line_crossed(c, anticipated, q[ANTICIPATION], econ, acc)
            new_rung, rem = escalate(int(rung[r]), remaining[r], th, e1, e2, e3, q[HYST], q[LONG_P], q[LONG_MIN],
                                     q[LONG_MAX], uniform(keys[r], u0), uniform(keys[r], u1),
                                     line_pull_of(line, q[LEVERAGE], q[EXPORT]), q[COST_W] * q[TRADE])
            rung[r] = new_rung
            remaining[r] = rem
            chance = inducement_chance(q[BLOC], q[IND_MIN_COMMIT], q[IND_PROP])
            left, now = offer_inducement(ind_left[r], th, e1, chance, q[IND_MONTHS], uniform(keys[r], u2),
                                         new_rung)
            ind_left[r] = left
            ind_new[r] = now and not on
            ind_on[r] = now
            threat[r] = th
            crossed[r] = cr
            # 5. welfare after the hegemon's answer, then the record
            net = 0.0
            for d in range(D):
                net += domain_welfare(c[d], gain[d], status_quo[d, r], kappa[d], reward[d], req_level[d, r])
            w, lo = welfare(net, q[HEDGING], east, threat_of(c, sens, presence), new_rung, sanction_cost,
                            q[MILITARY_SEV], q[IND_VALUE], now)
            welf[r] = w
            loss[r] = lo
            cum_loss[r] += lo
            al = alignment(c, sens, east)
            align[r] = al
            for d in range(D):
                coop[d, r] = c[d]
                rec[d, t, r] = c[d]
            rec[O_ALIGN, t, r] = al
            rec[O_THREAT, t, r] = th
            rec[O_ESC, t, r] = new_rung
            rec[O_SANC, t, r] = 1.0 if new_rung >= 2 else 0.0
            rec[O_IND, t, r] = 1.0 if now else 0.0
            rec[O_WELF, t, r] = w
            rec[O_INT, t, r] = it
            rec[O_BELIEF, t, r] = b
            rec[O_RED, t, r] = 1.0 if cr else 0.0


reference = jit(_month)
"""The per-replication kernel (compiled on first use): the lane kernel's reference in tests."""

month = jit(lanes.month)

SEEDED = AVAILABLE and kernel_cache.seed_from_shipped(month)
"""Whether this process copied the install-time cache into numba's (empty) cache directory."""


def threads(R: int, months: int) -> int:
    """Threads for a kernel call over R replications × months: up to the CPUs this process may
    use (or ``ALLIANCE_THREADS``), at least ``MIN_PER_THREAD`` run-months each; one thread in a
    worker process or off the main thread (the caller already runs in parallel there)."""
    if mp.parent_process() is not None or threading.current_thread() is not threading.main_thread():
        return 1
    env = os.environ.get("ALLIANCE_THREADS", "").strip()
    cpus = int(env) if env.isdigit() and int(env) > 0 else len(os.sched_getaffinity(0))
    return max(1, min(cpus, R * months // MIN_PER_THREAD))


MIN_PER_THREAD = 100_000


def advance(model: AllianceModel, t0: int, t1: int) -> None:
    """Compute months t0 … t1 − 1 for every replication in place (events of month t0 already
    applied; several months at once only where no event can fire in between).

    Large calls are split into chunks of whole groups of replications (``CHUNKS`` per thread),
    which the threads take in turn (the kernel releases the GIL); a replication is computed by the
    same operations whatever its chunk, so the results do not depend on the threads or the split."""
    b, h, pa = model.balancer, model.hegemon, model.partner
    if model._packed is None:
        model._packed = pack(model)
    posture = np.atleast_1d(np.asarray(h.posture, dtype=np.float64))
    args: tuple[Any, ...] = (t0, t1, stream_constants(t0, t1), model.keys, model._packed, np.ascontiguousarray(h.anticipated[:, 0]),
            b.coop, b.floor, b.status_quo, b.belief, b.welfare, b.loss, b.cumulative_loss, b.align,
            pa.interest, pa.offers, pa.refusals, pa.request_level, pa.request_intensity, pa.request_age,
            pa.request_active, pa.request_base, h.threat, h.rung, h.remaining, h.inducement_left, h.inducement_on,
            h.inducement_new, h.crossed, h.misreading, h.accepted, h.tolerance, posture, model._rec)
    R = len(model.keys)
    n = threads(R, t1 - t0)
    if n == 1:
        month(0, R, *args)
        return
    # chunks of whole groups, CHUNKS per thread, taken in turn by whichever thread is free: on a
    # shared machine one thread may be slowed, and a fixed half each would leave the other idle
    group = lanes.G * lanes.L
    step = -(-R // (n * CHUNKS * group)) * group
    todo = iter(range(0, R, step))
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                r0 = next(todo, R)
            if r0 >= R:
                return
            month(r0, min(r0 + step, R), *args)

    # a pool per call (~0.1 ms against ≥ 20 ms of work): no idle threads outlive it, so a later
    # fork (worker processes) never copies a multi-threaded process; this thread works too
    with ThreadPoolExecutor(max_workers=n - 1, thread_name_prefix="alliance-kernel") as pool:
        futures = [pool.submit(work) for _ in range(n - 1)]
        work()
        for f in futures:
            f.result()


CHUNKS = 8
"""Chunks of replications per thread in a threaded kernel call."""


__all__ = ["AVAILABLE", "SEEDED", "advance", "month", "pack", "threads"]
