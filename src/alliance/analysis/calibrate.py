"""Likelihood-free Bayesian calibration (ABC-SMC) of parameters against an episode set.

The method (Beaumont et al. 2009, "Adaptive approximate Bayesian computation"; Toni et al. 2009),
written out in numpy so that every simulation goes through the project's one ensemble runner and
executors (``study.ensemble.map_ensembles``: in-process, ``--workers``, Dask), every draw is a
function of (seed, generation, batch), and a run resumes from its last finished generation:

- **Prior**: uniform on each parameter's plausible range (``model.evidence.plausible_ranges``).
- **Simulation** of a particle θ: every episode's ensemble of ``replications`` runs at θ (θ replaces
  defaults only; an episode's own stated values stay), giving a predictive distribution of its
  response rung and outcome. All particles of a batch run as one vectorised ensemble per episode.
- **Distance**: the mean over episodes of the Brier score of the predicted response plus that of
  the predicted outcome (a proper score of the categories history records).
- **Generation 0**: ``particles`` draws from the prior, all accepted. **Generation t**: the
  tolerance ε_t is the ``quantile`` of generation t−1's distances; proposals are a weighted
  ancestor plus Gaussian noise with twice the weighted covariance, redrawn until inside the prior
  box; batches of ``particles`` proposals run until ``particles`` have distance ≤ ε_t (at most
  ``max_batches``; then the best ``particles`` are kept and ε_t is their largest distance). A kept
  θ gets weight ∝ prior(θ) / Σ_j w_j K(θ | θ_j) (the box truncation of K is ignored).
- **Checkpoint**: after each generation the state is written to ``<out>.checkpoint.json``; a run
  with the same settings and episode set continues from it.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from alliance.analysis.hindcast import EpisodeSet
from alliance.analysis.validate import Window, classify_outcome, response_levels
from alliance.model import Scenario
from alliance.model.ensemble import run_ensemble
from alliance.model.evidence import plausible_ranges
from alliance.model.expected import OUTCOME_LEVELS, RESPONSES
from alliance.model.parameters import PARAMS
from alliance.model.posterior import Posterior, episode_hash, stated_names
from alliance.study.ensemble import map_ensembles
from alliance.study.progress import Progress, as_progress


@dataclass(frozen=True)
class Settings:
    """ABC-SMC settings (the docs' recommended ones are ``RECOMMENDED``)."""

    particles: int = 200
    replications: int = 40
    generations: int = 5
    quantile: float = 0.5
    max_batches: int = 6
    seed: int = 0


RECOMMENDED = Settings()


def prior_box(names: Sequence[str] | None = None) -> dict[str, tuple[float, float]]:
    """Name → plausible range of the A- and R-class parameters (or of ``names``)."""
    ranges = plausible_ranges(("A", "R"))
    if names is None:
        return ranges
    for n in names:
        if n not in PARAMS or PARAMS[n].plausible is None:
            raise ValueError(f"{n}: not a parameter with a plausible range")
    return {n: tuple(PARAMS[n].plausible) for n in names}  # type: ignore[misc]


def _episode_counts(sc: Scenario, win: Window, domain: str, names: list[str], thetas: np.ndarray,
                    reps: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(particles, 4) response and (particles, 3) outcome counts of one episode."""
    n = len(thetas)
    skip = stated_names(sc)
    params = {}
    for j, name in enumerate(names):
        if name not in skip:
            col = np.repeat(thetas[:, j], reps)
            params[name] = np.rint(col) if PARAMS[name].integer else col
    esc, coop = run_ensemble(sc, lambda m: (m.outcome("escalation").copy(),
                                            m.outcome(f"coop_{domain}").copy()),
                             seed=seed, replication_ids=np.arange(n * reps), params=params,
                             months=win.end)
    levels = response_levels(esc, win).reshape(n, reps)
    codes = classify_outcome(coop[win.reference], coop[win.end]).reshape(n, reps)
    resp = np.stack([(levels == k).sum(axis=1) for k in range(len(RESPONSES))], axis=1)
    out = np.stack([(codes == k).sum(axis=1) for k in range(len(OUTCOME_LEVELS))], axis=1)
    return resp, out


def simulate(eps: EpisodeSet, names: list[str], thetas: np.ndarray, reps: int, seed: int,
             **executor: Any) -> tuple[np.ndarray, np.ndarray]:
    """Predicted shares per (episode, particle, category): responses and outcomes."""
    tasks = [(s, w, s.expected.domain, names, thetas, reps, seed)
             for s, w in zip(eps.scenarios, eps.windows, strict=True)]
    res = map_ensembles(_episode_counts, tasks, **executor)
    return (np.stack([r[0] for r in res]) / reps, np.stack([r[1] for r in res]) / reps)


def distances(pr: np.ndarray, po: np.ndarray, yr: np.ndarray, yo: np.ndarray) -> np.ndarray:
    """Per particle: mean over episodes of response Brier + outcome Brier."""
    def _b(p: np.ndarray, y: np.ndarray) -> np.ndarray:
        onehot = np.eye(p.shape[2])[y][:, None, :]
        return ((p - onehot) ** 2).sum(axis=2).mean(axis=0)
    return _b(pr, yr) + _b(po, yo)


def _kernel_logdens(x: np.ndarray, centres: np.ndarray, chol: np.ndarray) -> np.ndarray:
    """log N(x_i; centre_j, L Lᵀ) up to a constant, as (len(x), len(centres))."""
    diff = x[:, None, :] - centres[None, :, :]
    z = np.linalg.solve(chol, diff.reshape(-1, x.shape[1]).T).T.reshape(diff.shape)
    return -0.5 * (z ** 2).sum(axis=2)


def _propose(gen_rng: np.random.Generator, parts: np.ndarray, w: np.ndarray, chol: np.ndarray,
             lo: np.ndarray, hi: np.ndarray, n: int) -> np.ndarray:
    out = np.empty((n, parts.shape[1]))
    todo = np.arange(n)
    for _ in range(1000):
        anc = gen_rng.choice(len(parts), size=len(todo), p=w)
        cand = parts[anc] + gen_rng.standard_normal((len(todo), parts.shape[1])) @ chol.T
        ok = ((cand >= lo) & (cand <= hi)).all(axis=1)
        out[todo[ok]] = cand[ok]
        todo = todo[~ok]
        if not len(todo):
            return out
    out[todo] = np.clip(parts[gen_rng.choice(len(parts), size=len(todo), p=w)], lo, hi)
    return out


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("alliance-balancing", "numpy", "mesa"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def calibrate(eps: EpisodeSet, settings: Settings = RECOMMENDED, names: Sequence[str] | None = None,
              checkpoint: Path | None = None, progress: Progress | None = None,
              log: Callable[[str], None] | None = None, **executor: Any) -> Posterior:
    """ABC-SMC posterior of the parameters ``names`` (default: every A- and R-class one)."""
    box = prior_box(names)
    names_l = list(box)
    lo = np.array([box[n][0] for n in names_l])
    hi = np.array([box[n][1] for n in names_l])
    yr, yo = eps.observed()
    digest = episode_hash(eps.files)
    key = {"settings": settings.__dict__, "parameters": names_l, "episode_hash": digest}
    state: dict[str, Any] = {"key": key, "generations": []}
    if checkpoint is not None and checkpoint.exists():
        saved = json.loads(checkpoint.read_text(encoding="utf-8"))
        if saved.get("key") == key:
            state = saved
    prog = as_progress(progress)
    n = settings.particles
    prog.start(settings.generations * n, len(state["generations"]) * n, "calibration")
    try:
        while len(state["generations"]) < settings.generations:
            g = len(state["generations"])
            gen_rng = np.random.default_rng([settings.seed, g])
            if g == 0:
                thetas = lo + gen_rng.random((n, len(names_l))) * (hi - lo)
                pr, po = simulate(eps, names_l, thetas, settings.replications,
                                  settings.seed * 1000 + g * 100, **executor)
                d = distances(pr, po, yr, yo)
                gen = {"particles": thetas.tolist(), "weights": [1.0 / n] * n,
                       "distances": d.tolist(), "epsilon": float("inf"), "simulated": n}
            else:
                gen = _generation(state["generations"][-1], settings, names_l, lo, hi, eps,
                                  yr, yo, gen_rng, g, executor)
            state["generations"].append(gen)
            if checkpoint is not None:
                tmp = checkpoint.with_name(checkpoint.name + ".tmp")
                tmp.write_text(json.dumps(state), encoding="utf-8")
                tmp.replace(checkpoint)
            prog.advance(n)
            if log is not None:
                log(f"generation {g}: epsilon {gen['epsilon']:.4f}, median distance "
                    f"{np.median(gen['distances']):.4f}, {gen['simulated']} particles simulated")
    finally:
        prog.stop()
    last = state["generations"][-1]
    meta = {"episodes": [s.name for s in eps.scenarios], "seed": settings.seed,
            "settings": settings.__dict__, "versions": _versions(),
            "generations": [{"epsilon": gi["epsilon"], "simulated": gi["simulated"],
                             "median_distance": float(np.median(gi["distances"]))}
                            for gi in state["generations"]],
            "distances": last["distances"],
            "prior": {nm: list(box[nm]) for nm in names_l}}
    return Posterior(names_l, np.array(last["particles"]), np.array(last["weights"]), digest, meta)


def _generation(prev: dict[str, Any], settings: Settings, names: list[str], lo: np.ndarray,
                hi: np.ndarray, eps: EpisodeSet, yr: np.ndarray, yo: np.ndarray,
                gen_rng: np.random.Generator, g: int, executor: dict[str, Any]) -> dict[str, Any]:
    parts, w = np.array(prev["particles"]), np.array(prev["weights"])
    w = w / w.sum()
    epsilon = float(np.quantile(prev["distances"], settings.quantile))
    mean = w @ parts
    cov = 2.0 * ((parts - mean).T * w) @ (parts - mean) + np.diag(((hi - lo) * 1e-4) ** 2)
    chol = np.linalg.cholesky(cov)
    n = settings.particles
    kept_t: list[np.ndarray] = []
    kept_d: list[np.ndarray] = []
    simulated = 0
    for b in range(settings.max_batches):
        thetas = _propose(gen_rng, parts, w, chol, lo, hi, n)
        pr, po = simulate(eps, names, thetas, settings.replications,
                          settings.seed * 1000 + g * 100 + b, **executor)
        d = distances(pr, po, yr, yo)
        simulated += n
        kept_t.append(thetas)
        kept_d.append(d)
        if int((np.concatenate(kept_d) <= epsilon).sum()) >= n:
            break
    all_t, all_d = np.concatenate(kept_t), np.concatenate(kept_d)
    order = np.argsort(all_d, kind="stable")[:n]
    thetas, d = all_t[order], all_d[order]
    epsilon = max(epsilon, float(d.max())) if (all_d <= epsilon).sum() < n else epsilon
    logk = _kernel_logdens(thetas, parts, chol)
    m = logk.max(axis=1, keepdims=True)
    denom = np.log((np.exp(logk - m) * w).sum(axis=1)) + m[:, 0]
    new_w = np.exp(-(denom - denom.min()))
    return {"particles": thetas.tolist(), "weights": (new_w / new_w.sum()).tolist(),
            "distances": d.tolist(), "epsilon": epsilon, "simulated": simulated}
