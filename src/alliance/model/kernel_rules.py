"""The pieces of the fused engine that its two kernels share (``kernel.py``, ``lanes.py``).

numba (unless ``ALLIANCE_NO_JIT`` is set), the on-disk cache keyed on the engine's sources
(``kernel_cache.py``), the scalar rules of ``scalar_rules.py`` compiled for inlining, the layout of
the packed parameter table (``kernel.pack``) and of the record (and the lane kernel's copy of its
buffered months into it, ``flush``), and the counter hash of ``rng.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import numpy as np

from . import kernel_cache, rng
from . import scalar_rules as sr
from .outcomes import TRAJECTORY_OUTCOMES
from .parameters import DOMAINS

try:
    if os.environ.get("ALLIANCE_NO_JIT", "").strip() not in ("", "0"):
        raise ImportError("ALLIANCE_NO_JIT is set")
    import numba
except ImportError:  # the engine still runs, on the numpy path
    numba = None  # type: ignore[assignment]

AVAILABLE = numba is not None
"""Whether the compiled kernel is used (numba importable and ALLIANCE_NO_JIT unset)."""


_HERE = Path(__file__).parent
KERNELS = (_HERE / "kernel.py", _HERE / "lanes.py")
"""The modules whose compiled functions are cached on disk."""
_CACHE = numba is not None and kernel_cache.install_locators(
    KERNELS, (*KERNELS, Path(__file__), Path(sr.__file__), Path(rng.__file__)))


def jit(f: Callable[..., Any], **options: Any) -> Any:
    """``f`` compiled (lazily, at its first call), cached on disk where a cache directory is writable."""
    if numba is None:
        return f
    try:
        return numba.njit(cache=_CACHE, nogil=True, error_model="numpy", **options)(f)
    except RuntimeError:  # no writable cache directory anywhere: compile once per process
        return numba.njit(nogil=True, error_model="numpy", **options)(f)


def rule(f: Callable[..., Any], inline: Literal["always", "never"] = "always") -> Any:
    """A scalar rule, inlined into the kernel (one compilation unit compiles faster), or a stage
    of the lane kernel compiled on its own (``inline="never"``: compiles faster there)."""
    if numba is None:
        return f
    return numba.njit(nogil=True, inline=inline, error_model="numpy")(f)


# one compiled function per scalar rule
partner_interest = rule(sr.partner_interest)
partner_offer = rule(sr.partner_offer)
request_reward = rule(sr.request_reward)
judge_request = rule(sr.judge_request)
threat_of = rule(sr.threat_of)
perceived_threat = rule(sr.perceived_threat)
effective_threshold = rule(sr.effective_threshold)
economic_line_crossed = rule(sr.economic_line_crossed)
line_pull_of = rule(sr.line_pull_of)
escalate = rule(sr.escalate)
inducement_chance = rule(sr.inducement_chance)
offer_inducement = rule(sr.offer_inducement)
update_belief = rule(sr.update_belief)
alignment = rule(sr.alignment)
retaliation = rule(sr.retaliation)
marginal_utility = rule(sr.marginal_utility)
choose_cooperation = rule(sr.choose_cooperation)
domain_welfare = rule(sr.domain_welfare)
welfare = rule(sr.welfare)

D = len(DOMAINS)
SCALARS = (
    "partner.base_interest", "partner.substitution", "partner.alternatives", "partner.ambition_cap",
    "partner.interest_rate", "partner.refusal_penalty", "partner.patience_months", "partner.request_reward",
    "balancer.entrapment_aversion", "balancer.effort_cost", "balancer.commitment_cost",
    "balancer.bloc_commitment", "balancer.export_share_via_russia", "balancer.hedging_weight",
    "balancer.learning_rate", "balancer.quiet_margin", "balancer.warning_gap", "balancer.belief_spread",
    "balancer.risk_aversion", "balancer.inertia", "balancer.max_change", "hegemon.presence_weight",
    "hegemon.sanction_severity", "hegemon.military_severity", "hegemon.inducement_value",
    "hegemon.anticipation", "hegemon.noise_sd", "hegemon.hardening", "hegemon.tolerance_margin",
    "hegemon.cost_weight", "hegemon.trade_share_with_balancer", "hegemon.hysteresis",
    "hegemon.long_measure_probability", "hegemon.long_duration_min", "hegemon.long_duration_max",
    "hegemon.inducement_min_commitment", "hegemon.inducement_propensity", "hegemon.inducement_months",
    "hegemon.line_leverage",
)
(BASE, SUBST, ALT, CAP, RATE, PENALTY, PATIENCE, REQ_REWARD,
 ENTRAP, EFFORT, COMMIT_COST, BLOC, EXPORT, HEDGING, LEARN, QUIET, WARN, SPREAD,
 RISK, INERTIA, MAX_CHANGE, PRESENCE_W,
 SANCTION_SEV, MILITARY_SEV, IND_VALUE, ANTICIPATION, NOISE_SD, HARDENING, TOL_MARGIN,
 COST_W, TRADE, HYST, LONG_P, LONG_MIN, LONG_MAX, IND_MIN_COMMIT, IND_PROP, IND_MONTHS, LEVERAGE) = range(len(SCALARS))
GROUPS = ("balancer.benefit", "balancer.treaty_weight", "balancer.ceiling", "hegemon.sensitivity",
          "hegemon.red_line", "hegemon.economic_line", "partner.offer")
_G0 = len(SCALARS)
BENEFIT, TREATY, CEILING, SENS, RED_LINE, ECON_LINE, OFFER = (_G0 + D * i for i in range(len(GROUPS)))
THRESH = _G0 + D * len(GROUPS)
N_PACKED = THRESH + 3

_OUT = {name: i for i, name in enumerate(TRAJECTORY_OUTCOMES)}
N_OUT = len(_OUT)
O_ALIGN, O_THREAT, O_ESC, O_SANC, O_IND, O_WELF, O_INT, O_BELIEF, O_RED = (
    _OUT[n] for n in ("alignment", "threat", "escalation", "sanctions", "inducement", "welfare", "interest",
                      "belief", "red_line_violation"))
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)


def _uniform(key: np.uint64, const: np.uint64) -> float:
    z = key ^ const
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    z = z ^ (z >> _S31)
    return float(np.int64(z >> _S11)) * rng._TO_UNIT  # < 2⁵³: exact as a signed conversion, which is one instruction


uniform = rule(_uniform)




stream8: Any
"""``stream8(dst, i, src, j)``: ``dst[i:i + 8] = src[j:j + 8]`` (float32), non-temporal where compiled."""
fence: Any
"""``fence()``: a full memory fence where compiled."""


def _stream8_py(dst: np.ndarray, i: int, src: np.ndarray, j: int) -> None:
    dst[i:i + 8] = src[j:j + 8]


def _fence_py() -> None:
    return None


if numba is not None:
    from llvmlite import ir
    from numba.core import types as nt
    from numba.extending import intrinsic

    @intrinsic
    def _stream8(typingctx: Any, dst: Any, i: Any, src: Any, j: Any) -> Any:
        """``dst[i:i + 8] = src[j:j + 8]`` (float32, 1-D) as one non-temporal store, which writes
        the line without reading it first; ``dst[i]`` must lie on a 32-byte boundary."""
        sig = nt.void(dst, i, src, j)

        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            d = context.make_array(sig.args[0])(context, builder, args[0])
            s = context.make_array(sig.args[2])(context, builder, args[2])
            vec = ir.VectorType(ir.FloatType(), 8).as_pointer()
            value = builder.load(builder.bitcast(builder.gep(s.data, [args[3]]), vec), align=4)
            store = builder.store(value, builder.bitcast(builder.gep(d.data, [args[1]]), vec), align=32)
            store.set_metadata("nontemporal", builder.module.add_metadata([ir.Constant(ir.IntType(32), 1)]))
            return context.get_dummy_value()
        return sig, codegen

    @intrinsic
    def _fence(typingctx: Any) -> Any:
        """A full memory fence: non-temporal stores before it are visible after it."""
        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            builder.fence("seq_cst")
            return context.get_dummy_value()
        return nt.void(), codegen

    stream8, fence = _stream8, _fence
else:
    stream8, fence = _stream8_py, _fence_py


STREAM_BYTES = 1 << 24
"""Records from this size (16 MB: beyond what the caches keep) are written with non-temporal stores."""


def _flush(B: np.ndarray, flat: np.ndarray, T1: int, R: int, t: int, months: int, g0: int, width: int,
           stream: bool) -> None:
    """Copy the buffered months ``t`` … ``t + months − 1`` of a group (its ``width`` real
    replications from ``g0``) into the record (``flat`` is it flattened). A large record
    (``stream``) takes each row's run in non-temporal stores of 8 values (32 bytes) where aligned,
    so its lines are written without first being read (a record larger than the caches would be
    read from memory only to be overwritten), and element by element at its ends."""
    at = flat.ctypes.data
    for o in range(N_OUT):
        for k in range(months):
            row = B[o, k]
            base = (o * T1 + t + k) * R + g0
            j = 0
            if stream:
                while j < width and (at + 4 * (base + j)) % 32 != 0:
                    flat[base + j] = row[j]
                    j += 1
                while j + 8 <= width:
                    stream8(flat, base + j, row, j)
                    j += 8
            while j < width:
                flat[base + j] = row[j]
                j += 1


flush = rule(_flush)
