"""Where the engine's time goes, per run-month (prints numbers; issue 14).

1. Components of one `baseline` ensemble (10,000 × 120, one thread, CPU time, best and median of
   --repeat): building the model, the page faults of a fresh record, the kernel, the DataFrames;
   then the core (build, run, release) with a fresh record each time (as before the record pool)
   and with the released record reused (``model/record_pool.py``), interleaved.
2. The same kernel for R = 64 and R = 10,000 (R = 64 pays the per-call Python work: packing,
   stream constants).
3. Vectorisation evidence: the lane kernel's month stage (``lanes._step``) compiled here, its
   packed AVX (ymm) double operations counted against scalar ones, and its FMA instructions
   (there must be none: a contracted multiply-add would change the last bits).
4. Ablations: the lane kernel recompiled (in this process, not cached) without the record's
   stores, with the record written by ordinary stores (no non-temporal streaming), with the
   counter hashes stubbed, without tanh and log, with tanh and log called every month (no reuse
   of a lane's last value at rest), and the per-replication reference kernel, run interleaved with the unchanged kernel in the same process so that the
   machine's load hits all alike. An ablation changes what is computed (its results are wrong);
   it only says what a part costs. The machine is shared (and a VM with steal time): compare
   the best (minimum) figures, quoted first.

For the split inside the compiled code use perf: ``perf record -p PID`` while this runs shows
the share of libm's tanh (``__expm1_fma``, ``__tanh``) and log against the JIT code.
Usage: python benchmarks/kernel_profile.py [--repeat 5] [--no-ablations]
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import time
import types
from pathlib import Path

os.environ.setdefault("ALLIANCE_THREADS", "1")

import numba
import numpy as np

from alliance.model import AllianceModel, kernel, lanes, load_scenario, record_pool

R, T = 10_000, 120


def cpu(fn) -> float:
    c = time.process_time()
    fn()
    return time.process_time() - c


def variant(name: str, subs: tuple[tuple[str, str], ...]):
    """The lane kernel (``model/lanes.py``) compiled afresh with source substitutions (not cached):
    returns (its month, its module)."""
    src = Path(lanes.__file__).read_text()
    for a, b in subs:
        if a not in src:
            raise SystemExit(f"lane kernel source changed: {a!r} not found")
        src = src.replace(a, b)
    mod = types.ModuleType(f"alliance.model.lanes_{name}")
    mod.__package__, mod.__file__ = "alliance.model", f"/nonexistent/lanes_{name}.py"
    exec(compile(src, f"lanes_{name}", "exec"), mod.__dict__)
    return numba.njit(nogil=True, error_model="numpy")(mod.month), mod


def asm_evidence(mod) -> None:
    """Packed AVX (ymm) and scalar double operations, and FMA, in the compiled month stage."""
    step = mod._step
    asm = step.inspect_asm(step.signatures[0])
    packed = collections.Counter(m.group(1) for m in re.finditer(r"^\s+(v\w+pd)\s+[^\n]*ymm", asm, re.M))
    scalar = collections.Counter(m.group(1) for m in re.finditer(r"^\s+(v\w+sd)\s", asm, re.M))
    fma = len(re.findall(r"^\s+vf\w*m(?:add|sub)", asm, re.M))
    print(f"vectorisation (lanes._step, compiled here): {sum(packed.values())} packed ymm double ops "
          f"({', '.join(f'{k} {v}' for k, v in packed.most_common(14))}); {sum(scalar.values())} scalar "
          f"double ops ({', '.join(f'{k} {v}' for k, v in scalar.most_common(5))}); FMA instructions: {fma}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-ablations", action="store_true")
    a = ap.parse_args()
    sc = load_scenario("baseline")
    rm = R * T
    print(f"load (uptime): {' '.join(f'{x:.2f}' for x in os.getloadavg())}; numba kernel: {kernel.AVAILABLE}")
    AllianceModel(sc, replications=10, months=2, collect=False).run()
    parts: dict[str, list[float]] = {k: [] for k in (
        "build", "fresh record faults", "kernel", "DataFrames", "core, fresh record", "core, reused record")}
    holder: dict[str, AllianceModel] = {}

    def core() -> None:
        AllianceModel(sc, replications=R, months=T, collect=False).run().release()

    for _ in range(a.repeat):
        record_pool.clear()
        parts["build"].append(cpu(lambda: holder.update(m=AllianceModel(sc, replications=R, months=T, collect=False))))
        m = holder.pop("m")
        parts["fresh record faults"].append(cpu(lambda m=m: m._rec[:, 1:].fill(0.0)))  # first touch of its pages
        parts["kernel"].append(cpu(m.run))
        parts["DataFrames"].append(cpu(lambda m=m: (m.trajectories(), m.summary())))
        m.release()
        del m
        record_pool.clear()  # as before the pool: every model maps a new record
        parts["core, fresh record"].append(cpu(core))
        core()
        parts["core, reused record"].append(cpu(core))
    for k, v in parts.items():
        print(f"{k:>22}: {min(v) / rm * 1e9:6.1f} ns CPU per run-month best, {np.median(v) / rm * 1e9:6.1f} "
              f"median of {a.repeat}")
    for n in (64, R):
        m = AllianceModel(sc, replications=n, months=T, collect=False)
        kernel.advance(m, 1, T + 1)
        loops = max(1, 20_000 // n)
        best = min(cpu(lambda m=m, loops=loops: [kernel.advance(m, 1, T + 1) for _ in range(loops)])
                   for _ in range(a.repeat)) / loops
        print(f"kernel alone, R = {n:>6}: {best / (n * T) * 1e9:6.1f} ns CPU per run-month")
    if a.no_ablations:
        return
    variants = {
        "unchanged": variant("same", ()),
        "no record stores": variant("norec", (("    for d in range(D):\n        _put(", "    return\n    for d in range(D):\n        _put("),
                                              ("flush(B, flat, rec.shape[1], rec.shape[2], t - k, k + 1, g0, width, stream)", "pass"))),
        "record, no streaming": variant("nostream", (("stream = rec.size * 4 >= STREAM_BYTES", "stream = False"),)),
        "hashes stubbed": variant("norng", (("uniform(K[g, j], u0), uniform(K[g, j], u1), uniform(K[g, j], u2)", "0.5, 0.5, 0.5"),)),
        "no tanh, no log": variant("nolibm", (("math.tanh(x)", "0.3 * x"), ("math.log(x)", "x - 1.0"))),
        "tanh, log every month": variant("nomemo", (("if x == S[g, TANH_X_ + j] and x != 0.0:", "if False:"),
                                                    ("if x == S[g, LOG_X_ + j] and x != 0.0:", "if False:"))),
        "reference kernel": (kernel.reference, None),
    }
    times: dict[str, list[float]] = {k: [] for k in variants}
    models = {}
    for k, (month, _) in variants.items():
        models[k] = AllianceModel(sc, replications=R, months=T, collect=False)
        kernel.month = month
        kernel.advance(models[k], 1, T + 1)
    asm_evidence(variants["unchanged"][1])
    for _ in range(a.repeat):
        for k, (month, _) in variants.items():
            kernel.month = month
            times[k].append(cpu(lambda k=k: kernel.advance(models[k], 1, T + 1)))
    base, best0 = np.median(times["unchanged"]), min(times["unchanged"])
    for k, v in times.items():
        print(f"ablation {k:>21}: best {min(v) / rm * 1e9:6.1f} ns CPU per run-month ({(min(v) - best0) / rm * 1e9:+.1f}), "
              f"median {np.median(v) / rm * 1e9:6.1f} ({(np.median(v) - base) / rm * 1e9:+.1f})")
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
