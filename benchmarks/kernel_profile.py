"""Where the engine's time goes, per run-month (prints numbers; issue 14).

1. Components of one `baseline` ensemble (10,000 × 120, one thread, CPU time, best and median of
   --repeat): building the model, the page faults of a fresh record, the kernel, the DataFrames;
   then the core (build, run, release) with a fresh record each time (as before the record pool)
   and with the released record reused (``model/record_pool.py``), interleaved.
2. Ablations: the kernel recompiled (in this process, not cached) without the record's stores,
   with the counter hashes stubbed, without the log of welfare, run interleaved with the
   unchanged kernel in the same process so that the machine's load hits all alike. An ablation
   changes what is computed (its results are wrong); it only says what a part costs.
3. The same kernel for R = 64 and R = 10,000: equal costs mean compute-bound, not memory-bound.

For the split inside the compiled code use perf: ``perf record -p PID`` while this runs shows
the share of libm's tanh (``__expm1_fma``, ``__tanh``) and log against the JIT code.
Usage: python benchmarks/kernel_profile.py [--repeat 5] [--no-ablations]
"""

from __future__ import annotations

import argparse
import os
import re
import time
import types
from pathlib import Path

os.environ.setdefault("ALLIANCE_THREADS", "1")

import numpy as np

from alliance.model import AllianceModel, kernel, load_scenario, record_pool
from alliance.model import scalar_rules as sr

R, T = 10_000, 120


def cpu(fn) -> float:
    c = time.process_time()
    fn()
    return time.process_time() - c


def variant(name: str, subs: tuple[tuple[str, str], ...], rule_subs: tuple[tuple[str, str], ...] = ()):
    """The kernel module compiled afresh with source substitutions (not cached)."""
    rules_src = Path(sr.__file__).read_text()
    for a, b in rule_subs:
        rules_src = rules_src.replace(a, b)
    rules = types.ModuleType(f"alliance.model.sr_{name}")
    rules.__file__ = sr.__file__
    exec(compile(rules_src, f"sr_{name}", "exec"), rules.__dict__)
    src = Path(kernel.__file__).read_text().replace("from . import scalar_rules as sr", "")
    src = src.replace("SEEDED = _CACHE and kernel_cache.seed_from_shipped(month)", "SEEDED = False")
    src = src.replace("numba.njit(cache=_CACHE,", "numba.njit(")
    for a, b in subs:
        new = re.sub(a, b, src, flags=re.MULTILINE)
        if new == src:
            raise SystemExit(f"kernel source changed: {a!r} not found")
        src = new
    mod = types.ModuleType(f"alliance.model.k_{name}")
    mod.__package__, mod.__file__ = "alliance.model", kernel.__file__
    mod.__dict__["sr"] = rules
    exec(compile(src, f"k_{name}", "exec"), mod.__dict__)
    return mod


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
        "no record stores": variant("norec", ((r"^(\s+)(rec\[)", r"\1if t < 0: \2"),)),
        "hashes stubbed": variant("norng", ((r"return float\(z >> _S11\) \* rng._TO_UNIT", "return 0.5"),)),
        "no log in welfare": variant("nolog", (), (("-math.log(max(1.0 - threat, 1e-300))", "(1.0 - threat)"),)),
    }
    times: dict[str, list[float]] = {k: [] for k in variants}
    models = {}
    for k, mod in variants.items():
        models[k] = AllianceModel(sc, replications=R, months=T, collect=False)
        mod.advance(models[k], 1, T + 1)
    for _ in range(a.repeat):
        for k, mod in variants.items():
            times[k].append(cpu(lambda mod=mod, k=k: mod.advance(models[k], 1, T + 1)))
    base = np.median(times["unchanged"])
    for k, v in times.items():
        print(f"ablation {k:>18}: median {np.median(v) / rm * 1e9:6.1f} ns CPU per run-month "
              f"({(np.median(v) - base) / rm * 1e9:+.1f})")
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
