"""Coherence audit: the three classes of issue 10 hunted beyond the tested cases (session 20).

    PYTHONPATH=src python3 benchmarks/coherence_audit.py                 # ~5 min on one core
    PYTHONPATH=src python3 benchmarks/coherence_audit.py --seed 7 --scale 0.2   # a quick look
    AUDIT_DUMP=case.json python3 benchmarks/coherence_audit.py   # also write an engines violation's scenario

The tests (tests/property, tests/metamorphic, tests/golden) check the classes on the shipped
scenarios at the shipped defaults and on fixed grids. This script checks them with fresh seeds on
cases the suite does not have, and prints, per class, how many cases it checked and how many
violated the class:

1. **rest** — a start that is a rest point: every shipped scenario and episode with its events
   removed, at parameter vectors drawn per replication from the plausible box of every A- and
   R-class parameter (``evidence.plausible_ranges``), from the shipped posterior
   (``data/posterior.json``) and, on the baseline, from every parameter's full admissible range;
   with the noise off and at the drawn noise: every state variable constant to 1e-9 over 120
   months. Also ``noop``: a ``set`` event that sets a parameter to the value it already has (every
   settable parameter, at random months) changes no trajectory.
2. **quiet** — no protests out of noise: in the same runs with noise, P(at least one protest) over
   120 months ≤ over 36 months + 0.02, and the median 36-month change of every domain < 0.02.
3. **coherence** — relations the theory demands:
   - ``carrot+stick``, ``unit``, ``engines`` on random valid scenarios (full-range or plausible
     parameters, 1–6 random events of every kind: requests, announced requests, forces, footholds
     lost, harden/soften, ``set`` on any parameter, ``set`` lowering ``balancer.bloc_commitment``,
     conditional events): never sanctions and an inducement in the same month; every trajectory
     unchanged when every utility parameter (and every utility ``set``) is multiplied by k ∈ {0.5,
     2, 10} (welfare scaled by k; to 1e-9 relative to the size of the welfare terms); the lane
     kernel equals its per-replication reference bit for bit, the numpy path and the scalar Mesa
     peer equal the kernel to 1e-9;
   - ``signals``: at the same threat, belief after measures ≤ after a protest or a carrot ≤ after a
     quiet month (Fearon 1997), on random inputs of the numpy rule and its scalar twin;
   - ``relations``: the metamorphic relations of issue 10 (tests/metamorphic/grid.py's paired check:
     a wrong-way step beyond 3 paired SE, or one step with > 40% of a significant effect) on
     scenarios and episodes other than the tests' and at the posterior (per-replication draws,
     common random numbers) as well as at the defaults; a seeded sample of (scenario, relation,
     source) triples (every triple of the menu at scale 1).

Every violation is listed after the counts with what reproduces it. Violations found in session 20
and what was decided about each: see the session-20 report (docs/validation.md, "Coherence audit").
Use one core: the kernel runs single-threaded here (ALLIANCE_THREADS=1 is set below).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("ALLIANCE_THREADS", "1")

import numpy as np

import alliance.model.model as model_module
from alliance.model import DOMAINS, PARAMS, AllianceModel, kernel, load_scenario, rules, scalar_rules
from alliance.model.evidence import plausible_ranges
from alliance.model.peer import ScalarModel
from alliance.model.posterior import PlausiblePrior, load_posterior
from alliance.model.scenario import (
    Condition,
    ForceEvent,
    HardenEvent,
    LoseAlternativeEvent,
    RequestEvent,
    SetEvent,
)
from alliance.model.scenario_files import scenarios_dir

ROOT = Path(__file__).resolve().parents[1]
UTILITY = sorted(n for n, p in PARAMS.items() if p.unit.split("/")[0] == "utility")
FILES = sorted(scenarios_dir().glob("*.yaml")) + sorted((scenarios_dir() / "episodes").glob("*.yaml"))
checked: Counter[str] = Counter()
found: dict[str, list[str]] = {}


def violation(cls: str, what: str) -> None:
    found.setdefault(cls, []).append(what)


def state(m: AllianceModel) -> np.ndarray:
    """Every state variable that drives the next month: (rows, R)."""
    b, h, p = m.balancer, m.hegemon, m.partner
    return np.vstack([b.coop, b.belief, p.interest, p.offers, h.threat, h.rung, h.remaining, h.inducement_on,
                      b.welfare])


def full_range(g: np.random.Generator, R: int) -> dict[str, np.ndarray]:
    """Every parameter uniform on its admissible range, repaired to the cross-field rules
    (as tests/property/strategies.py's valid_params, vectorised)."""
    v = {n: (g.integers(int(p.low), int(p.high) + 1, R).astype(float) if p.integer else g.uniform(p.low, p.high, R))
         for n, p in PARAMS.items()}
    thr = np.sort(g.uniform(0.0, 1.0, (3, R)), axis=0)
    for i, rung in enumerate(("diplomatic", "economic", "military")):
        v[f"hegemon.threshold.{rung}"] = thr[i]
    lo, hi = v["hegemon.long_duration_min"], v["hegemon.long_duration_max"]
    v["hegemon.long_duration_min"], v["hegemon.long_duration_max"] = np.minimum(lo, hi), np.maximum(lo, hi)
    for d in DOMAINS:
        v[f"balancer.initial.{d}"] = np.minimum(v[f"balancer.initial.{d}"], v[f"balancer.ceiling.{d}"])
    return v


# ------------------------------------------------------------------ classes 1 and 2
def rest_and_quiet(g: np.random.Generator, R: int, post, seed: int) -> None:
    prior = PlausiblePrior(plausible_ranges())
    cases = [(f, "plausible") for f in FILES] + [(f, "posterior") for f in FILES] + [(FILES[0], "full-range")]
    for path, source in cases:
        sc = load_scenario(path).model_copy(update={"events": []})
        ids = np.arange(R)
        params = (full_range(g, R) if source == "full-range" else
                  (prior if source == "plausible" else post).for_scenario(sc, seed, ids))
        for noise in (False, True):
            pp = dict(params) if noise else {**params, "hegemon.noise_sd": np.zeros(R)}
            m = AllianceModel(sc, replications=R, months=120, params=pp, seed=seed, collect=False)
            s0, worst = state(m), np.zeros(R)
            while m.running:
                m.step()
                worst = np.maximum(worst, np.abs(state(m) - s0).max(axis=0))
            checked["rest"] += R
            bad = np.flatnonzero(worst > 1e-9)
            if len(bad):
                violation("rest", f"{path.stem} {source} noise={'drawn' if noise else 'off'}: {len(bad)} of {R} "
                                  f"replications move (worst {worst.max():.3g}; replication {bad[0]}, seed {seed})")
            if noise:
                esc = m.outcome("escalation")
                p36, p120 = (esc[1:37] >= 1).any(axis=0).mean(), (esc[1:] >= 1).any(axis=0).mean()
                drift = max(float(np.median(np.abs(m.outcome(f"coop_{d}")[36].astype(float) - m.outcome(f"coop_{d}")[0])))
                            for d in DOMAINS)
                checked["quiet"] += 1
                if p120 > p36 + 0.02 or drift >= 0.02:
                    violation("quiet", f"{path.stem} {source}: P(protest) 36 m {p36:.3f}, 120 m {p120:.3f}; "
                                       f"median drift {drift:.3g}")
            m.release()


def noop_events(g: np.random.Generator, R: int, post, seed: int) -> None:
    """A set event to the value a parameter already has is no event."""
    names = list(PARAMS)
    for path in [FILES[i] for i in g.choice(len(FILES), 6, replace=False)]:
        sc = load_scenario(path)
        params = {k: v[:1].repeat(R) for k, v in post.for_scenario(sc, seed, np.arange(1)).items()}
        values = {**sc.params(), **{k: float(v[0]) for k, v in params.items()}}
        ref = AllianceModel(sc, replications=R, months=48, params=params, seed=seed, collect=False).run()
        want = ref.record.copy()
        ref.release()
        touched = {e.param for e in sc.events if isinstance(e, SetEvent)}  # "its value" changes there
        touched |= {"hegemon.hardening"} if any(isinstance(e, HardenEvent) or (isinstance(e, SetEvent) and
                                                 e.param == "balancer.bloc_commitment") for e in sc.events) else set()
        touched |= {"partner.alternatives"} if any(isinstance(e, LoseAlternativeEvent) for e in sc.events) else set()
        free = [n for n in names if n not in touched]
        for name in [free[i] for i in g.choice(len(free), 12, replace=False)]:
            ev = SetEvent(kind="set", month=int(g.integers(1, 48)), param=name, value=values[name])
            other = sc.model_copy(update={"events": [*sc.events, ev]})
            m = AllianceModel(other, replications=R, months=48, params=params, seed=seed, collect=False).run()
            checked["noop"] += 1
            diff = float(np.abs(m.record - want).max())
            if diff > 1e-6:  # the record is float32
                violation("noop", f"{path.stem}: set {name} = {values[name]:.6g} (its value) at month {ev.month} "
                                  f"moves the record by {diff:.3g}")
            m.release()


# ------------------------------------------------------------------ class 3: random scenarios
def random_events(g: np.random.Generator, vals: dict[str, float], horizon: int) -> list:
    events: list = []
    for _ in range(int(g.integers(1, 7))):
        kind = g.choice(["request", "request", "force", "lose", "harden", "set", "set", "bloc"])
        month = int(g.integers(1, horizon + 1))
        d = str(g.choice(DOMAINS))
        if kind == "request":
            events.append(RequestEvent(kind="request", month=month, domain=d, level=float(g.uniform()),
                                       intensity=float(g.uniform()),
                                       announce_months=int(g.integers(0, 4)) if g.random() < 0.4 else 0))
        elif kind == "force":
            events.append(ForceEvent(kind="force", month=month, domain=d,
                                     level=float(g.uniform(0.0, vals[f"balancer.ceiling.{d}"]))))
        elif kind == "lose":
            events.append(LoseAlternativeEvent(kind="lose_alternative", month=month, amount=float(g.uniform(0.01, 1))))
        elif kind == "harden":
            events.append(HardenEvent(kind="harden", month=month, amount=float(g.uniform(-0.5, 0.5))))
        elif kind == "bloc":  # a defection (rules.defection_hardening)
            events.append(SetEvent(kind="set", month=month, param="balancer.bloc_commitment",
                                   value=float(g.uniform(0.0, vals["balancer.bloc_commitment"]))))
        else:
            name = str(g.choice(list(PARAMS)))
            p = PARAMS[name]
            value = float(g.integers(int(p.low), int(p.high) + 1)) if p.integer else float(g.uniform(p.low, p.high))
            timing = ({"when": Condition(outcome="threat", above=float(g.uniform()))} if g.random() < 0.3
                      else {"month": month})
            events.append(SetEvent(kind="set", param=name, value=value, **timing))
    return events


def trajectory(sc, R: int, months: int, params=None) -> tuple[AllianceModel, np.ndarray]:
    m = AllianceModel(sc, replications=R, months=months, params=params, collect=False)
    out = [state(m)]
    while m.running:
        m.step()
        out.append(state(m))
    return m, np.array(out)


def random_scenarios(g: np.random.Generator, n: int, R: int) -> None:
    base = load_scenario("baseline")
    box = plausible_ranges()
    real_check = model_module.check_value
    for case in range(n):
        if case % 2 == 0:
            vals = {k: float(v[0]) for k, v in full_range(g, 1).items()}
        else:
            vals = {**base.params(), **{k: float(g.integers(int(lo), int(hi) + 1)) if PARAMS[k].integer
                                        else float(g.uniform(lo, hi)) for k, (lo, hi) in box.items()}}
            for d in DOMAINS:
                vals[f"balancer.initial.{d}"] = min(vals[f"balancer.initial.{d}"], vals[f"balancer.ceiling.{d}"])
            t = [vals[f"hegemon.threshold.{r}"] for r in ("diplomatic", "economic", "military")]
            if not t[0] < t[1] < t[2]:
                continue
        horizon = int(g.integers(12, 61))
        sc = base.with_params(vals).model_copy(update={"events": random_events(g, vals, horizon),
                                                        "horizon_months": horizon})
        tag = f"random case {case} (audit seed): {[(e.kind, e.month) for e in sc.events]}"
        m, S = trajectory(sc, R, horizon)
        checked["carrot+stick"] += R
        both = (m.outcome("sanctions") > 0.5) & (m.outcome("inducement") > 0.5)
        if both.any():
            violation("carrot+stick", f"{tag}: {int(both.sum())} replication-months")
        # utility unit: welfare/k compared relative to the size of its terms (the status-quo term
        # can be ~1e9 where 1 − s c is near 0, and welfare is a difference of such terms)
        size = 1.0 + np.abs(m.balancer.status_quo).sum(axis=0)
        model_module.check_value = lambda name, value: None  # scaled values may leave their ranges
        try:
            for k in (0.5, 2.0, 10.0):
                evs = [ev.model_copy(update={"value": ev.value * k}) if isinstance(ev, SetEvent) and ev.param in UTILITY
                       else ev for ev in sc.events]
                _, Sk = trajectory(sc.model_copy(update={"events": evs}), R, horizon, {n: vals[n] * k for n in UTILITY})
                Sk[:, -1] /= k
                diff = np.abs(Sk - S)
                diff[:, -1] /= size
                checked["unit"] += R
                if diff.max() > 1e-9:
                    t, row, r = np.unravel_index(diff.argmax(), diff.shape)
                    violation("unit", f"{tag}: k={k} moves the state by {diff.max():.3g} (month {t}, state row "
                                      f"{row}, replication {r}: {S[t, row, r]:.12g} vs {Sk[t, row, r]:.12g})")
        finally:
            model_module.check_value = real_check
        # engines: lanes == reference bit for bit; numpy path and the scalar peer to 1e-9
        lane_month = kernel.month
        kernel.month = kernel.reference
        try:
            _, Sr = trajectory(sc, R, horizon)
        finally:
            kernel.month = lane_month
        kernel.AVAILABLE, available = False, kernel.AVAILABLE
        try:
            _, Sn = trajectory(sc, R, horizon)
        finally:
            kernel.AVAILABLE = available
        checked["engines"] += R
        if not np.array_equal(Sr, S):
            violation("engines", f"{tag}: lane kernel ≠ reference (by {np.abs(Sr - S).max():.3g})")
        if np.abs(Sn - S).max() > 1e-9:
            if os.environ.get("AUDIT_DUMP"):
                Path(os.environ["AUDIT_DUMP"]).write_text(sc.model_dump_json(), encoding="utf-8")
            t, row, r = np.unravel_index(np.abs(Sn - S).argmax(), S.shape)
            violation("engines", f"{tag}: numpy path ≠ kernel (by {np.abs(Sn - S).max():.3g}; month {t}, "
                                 f"state row {row}, replication {r}: {Sn[t, row, r]:.12g} vs {S[t, row, r]:.12g}; size of the "
                                 f"status-quo terms there {size[r]:.3g})")
        for r in (0, R - 1):
            p = ScalarModel(sc, replication=r, months=horizon)
            while p.running:
                p.step()
            mine = np.array([*p.balancer.coop, p.balancer.belief, p.hegemon.threat, p.hegemon.rung, p.balancer.welfare])
            theirs = np.array([*m.balancer.coop[:, r], m.balancer.belief[r], m.hegemon.threat[r], m.hegemon.rung[r],
                               m.balancer.welfare[r]])
            if np.abs(mine - theirs).max() > 1e-9:
                violation("engines", f"{tag}: scalar peer ≠ kernel, replication {r}")
        m.release()


def signal_order(g: np.random.Generator, n: int) -> None:
    b, t, lr = g.uniform(0, 1, n), g.uniform(0, 1, n), g.uniform(0, 1, n)
    quiet, gap = g.uniform(0, 0.5, n), g.uniform(0, 0.5, n)

    def after(rung: int, carrot: bool) -> np.ndarray:
        return rules.update_belief(b, np.full(n, rung, np.int8), np.full(n, carrot), t, lr, quiet, gap)

    sanctioned, protest, carrot, silence = after(2, False), after(1, False), after(0, True), after(0, False)
    bad = (sanctioned > protest) | (protest > silence) | (carrot != protest)
    checked["signals"] += n
    for i in np.flatnonzero(bad)[:3]:
        violation("signals", f"belief {b[i]:.3f}, threat {t[i]:.3f}, quiet_margin {quiet[i]:.3f}, warning_gap "
                             f"{gap[i]:.3f}: after measures {sanctioned[i]:.3f}, protest {protest[i]:.3f}, "
                             f"silence {silence[i]:.3f}")
    if bad.sum() > 3:
        violation("signals", f"... {int(bad.sum())} of {n} inputs in all")
    for i in range(200):  # the scalar twin (the kernel's and the peer's rule) agrees
        args = (b[i], 1, False, t[i], lr[i], quiet[i], gap[i])
        checked["signals"] += 1
        if scalar_rules.update_belief(*args) != protest[i]:
            violation("signals", f"scalar update_belief differs from numpy at {args}")


# ------------------------------------------------------------------ class 3: metamorphic relations
def relations(g: np.random.Generator, n: int, R: int, post, seed: int) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.metamorphic.grid import ever, final, relation, run_grid, time_mean

    def peak(outcome: str):
        return lambda m: m.outcome(outcome)[1:].astype(np.float64).max(axis=0)

    menu = []
    for path in FILES:
        sc = load_scenario(path)
        forced = {e.domain for e in sc.events if isinstance(e, ForceEvent)}
        reqs = [e for e in sc.events if isinstance(e, RequestEvent) and e.domain not in forced]
        for name in ("harden", "footholds", "defection"):
            menu.append((path, name, None))
        for e in reqs[:1]:
            for name in ("exposure", "bloc", "risk", "severity", "hedging", "reward", "risk_sanctions",
                         "hedging_sanctions", "sensitivity_forced"):
                menu.append((path, name, e))
    picks = [menu[i] for i in g.choice(len(menu), min(n, len(menu)), replace=False)]
    grids = {"exposure": ("balancer.export_share_via_russia", np.linspace(0.3, 0.95, 7), -1),
             "bloc": ("balancer.bloc_commitment", np.linspace(0.0, 1.0, 11), -1),
             "risk": ("balancer.risk_aversion", np.linspace(0.0, 3.0, 13), -1),
             "severity": ("hegemon.sanction_severity", np.linspace(0.0, 3.0, 13), -1),
             "hedging": ("balancer.hedging_weight", np.linspace(0.0, 2.0, 9), -1)}
    for path, name, req in picks:
        sc = load_scenario(path)
        source = "posterior" if g.random() < 0.5 else "defaults"
        draws = post.for_scenario(sc, seed, np.arange(R)) if source == "posterior" else {}

        def with_(param: str | None, draws=draws):
            rest = {k: v for k, v in draws.items() if k != param}
            return lambda x: {**rest, param: x} if param else dict(rest)

        def check(label, grid, values, direction, strict=False, where=f"{path.stem} [{source}]"):
            checked["relations"] += 1
            try:
                relation(f"{where}: {label}", list(grid), values, direction, strict=strict)
            except AssertionError as exc:
                violation("relations", str(exc).split("\n")[0])

        kw = {"months": 36, "replications": R, "seed": seed}
        if name in grids:
            param, grid, direction = grids[name]
            check(f"{param} ↑ ⇒ peak coop_{req.domain} ↓", grid,
                  run_grid(sc, list(grid), peak(f"coop_{req.domain}"), params=with_(param), **kw), direction)
        elif name == "reward":
            grid = np.linspace(0.25, 3.0, 12)
            values = run_grid(sc, list(grid), time_mean(f"coop_{req.domain}"), params=with_("partner.request_reward"), **kw)
            check(f"request reward ↑ ⇒ coop_{req.domain} ↑", grid, values, +1)
            without = sc.model_copy(update={"events": [e for e in sc.events if e is not req]})
            none = run_grid(without, [0.0], time_mean(f"coop_{req.domain}"), params=with_("partner.request_reward"), **kw)[0]
            diff = values - none
            se = diff.std(axis=1, ddof=1) / np.sqrt(R)
            checked["relations"] += 1
            if not (diff.mean(axis=1) >= -3.0 * se - 1e-12).all():
                i = int(np.argmin(diff.mean(axis=1) + 3.0 * se))
                violation("relations", f"{path.stem} [{source}]: a request with reward {grid[i]:.3g} leaves "
                                       f"coop_{req.domain} {diff.mean(axis=1)[i]:+.4f} (SE {se[i]:.4f}) below no request")
        elif name in ("risk_sanctions", "hedging_sanctions"):
            param, grid, _ = grids[name.split("_")[0]]
            check(f"{param} ↑ ⇒ P(sanctions) not ↑", grid,
                  run_grid(sc, list(grid), ever("sanctions"), params=with_(param), **kw), -1)
        elif name == "sensitivity_forced":
            level = min(req.level, sc.params()[f"balancer.ceiling.{req.domain}"])
            forced = sc.model_copy(update={"events": [ForceEvent(kind="force", month=req.month, domain=req.domain,
                                                                 level=level) if e is req else e for e in sc.events]})
            grid = np.linspace(0.4, 1.0, 13)
            check(f"forced {req.domain}: sensitivity ↑ ⇒ P(sanctions) not ↓", grid,
                  run_grid(forced, list(grid), ever("sanctions"), params=with_(f"hegemon.sensitivity.{req.domain}"),
                           **kw), +1)
        elif name == "harden":
            grid = np.linspace(0.0, 0.3, 13)
            check("hardening ↑ ⇒ escalation ↑", grid, run_grid(
                sc, list(grid), time_mean("escalation"), params=with_(None), **kw,
                build=lambda x, sc=sc: sc.model_copy(update={"events": [
                    *sc.events, HardenEvent(kind="harden", month=3, amount=x)]}) if x else sc), +1)
        elif name == "footholds":
            left = sc.params()["partner.alternatives"]
            if draws:
                left = float(np.min(draws.get("partner.alternatives", left)))
            grid = np.linspace(0.0, 0.8 * left, 9)  # footholds that are there to lose
            check("footholds lost ↑ ⇒ partner interest ↑", grid, run_grid(
                sc, list(grid), final("interest"), params=with_(None), **kw,
                build=lambda x, sc=sc: sc.model_copy(update={"events": [
                    *sc.events, LoseAlternativeEvent(kind="lose_alternative", month=6, amount=x)]}) if x else sc), +1)
        elif name == "defection":
            b0 = sc.params()["balancer.bloc_commitment"]
            grid = np.linspace(0.0, b0, 9)
            kept = {k: v for k, v in draws.items() if k != "balancer.bloc_commitment"}  # the start: b0
            check("bloc commitment lowered ↑ ⇒ escalation not ↓", grid, run_grid(
                sc, list(grid), time_mean("escalation"), params=lambda x, kept=kept: dict(kept), **kw,
                build=lambda x, sc=sc, b0=b0: sc.model_copy(update={"events": [
                    *sc.events, SetEvent(kind="set", month=3, param="balancer.bloc_commitment", value=b0 - x)]})
                if x else sc), +1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every case count (0.2: a quick look)")
    ap.add_argument("--posterior", type=Path, default=ROOT / "data" / "posterior.json")
    ap.add_argument("--show", type=int, default=8, help="violations listed per class")
    args = ap.parse_args()
    g = np.random.default_rng(args.seed)
    post = load_posterior(args.posterior)
    s = args.scale
    timings = {}
    for label, fn in (("rest+quiet", lambda: rest_and_quiet(g, max(8, int(400 * s)), post, args.seed)),
                      ("noop", lambda: noop_events(g, max(4, int(64 * s)), post, args.seed)),
                      ("signals", lambda: signal_order(g, max(1000, int(200_000 * s)))),
                      ("random scenarios", lambda: random_scenarios(g, max(4, int(600 * s)), 32)),
                      ("relations", lambda: relations(g, max(2, int(400 * s)), 1000, post, args.seed))):
        t0 = time.perf_counter()
        fn()
        timings[label] = time.perf_counter() - t0
    print(f"coherence audit, seed {args.seed}, scale {s:g}, Python {sys.version.split()[0]}, "
          f"kernel {'on' if kernel.AVAILABLE else 'off'}; seconds: "
          + ", ".join(f"{k} {v:.0f}" for k, v in timings.items()))
    print(f"{'class':<14}{'cases':>10}{'violations':>12}")
    for cls in ("rest", "noop", "quiet", "carrot+stick", "unit", "engines", "signals", "relations"):
        print(f"{cls:<14}{checked[cls]:>10}{len(found.get(cls, [])):>12}")
    for cls, items in found.items():
        print(f"\n{cls}:")
        for what in items[: args.show]:
            print(f"  - {what}")
        if len(items) > args.show:
            print(f"  ... and {len(items) - args.show} more")


if __name__ == "__main__":
    main()
