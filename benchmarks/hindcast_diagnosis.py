"""Where the hindcast loses its points and its Brier score: per episode, per kind (issue 11).

    python benchmarks/hindcast_diagnosis.py                          # defaults, posterior, prior
    python benchmarks/hindcast_diagnosis.py --cv cv.json             # and the out-of-sample run
    python benchmarks/hindcast_diagnosis.py --particles 200 -r 20 --workers 2

For every episode and kind (response, outcome) it prints the probability each predictor puts on
what history records, and the modal category with its probability:

- ``defaults``: the shipped point defaults (``-r`` × ``--particles`` runs);
- ``posterior``: per-run draws from ``--posterior`` (in sample: it was fitted to these episodes);
- ``prior``: per-run draws, every A- and R-class parameter uniform on its plausible range (a
  Latin hypercube of ``--particles`` points, ``-r`` runs each): what the model can say before
  seeing any episode;
- ``reach``: the share of prior points at which the recorded category is the modal one, and the
  largest share of runs any prior point gives it: whether the model *can* produce it;
- ``bayes_loo``: the exact Bayesian leave-one-out predictive, by importance sampling the prior
  points: episode i is predicted by the prior points weighted by their likelihood on the other
  episodes (each episode's categories Krichevsky–Trofimov-smoothed over its ``-r`` runs), so no
  ABC tolerance decides how concentrated the posterior is (the effective sample size is printed);
- ``cv``: the out-of-sample prediction read from ``alliance validate --cross-validate --out
  FILE.csv``'s ``FILE.json``.

A miss of the cross-validated (else the posterior's) modal category is labelled
**structural** when fewer than 1% of the prior points make the recorded category modal and the
prior predictive gives it less than 5% (no plausible parameters make the model expect it),
**over-confident** when the modal category got p > 0.8 though some prior points produce the
recorded one, and **near** otherwise. The totals are printed at the end: points lost and Brier
score lost (the Brier score of the episode minus that of the leave-one-out base rates) by label.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from scipy.stats import qmc

from alliance.analysis import scoring as sc_
from alliance.analysis.calibrate import prior_box, simulate
from alliance.analysis.hindcast import EpisodeSet
from alliance.model.expected import OUTCOME_LEVELS, RESPONSES
from alliance.model.parameters import PARAMS
from alliance.model.posterior import load_posterior
from alliance.model.scenario_files import scenarios_dir

SHORT = {"none": "none", "diplomatic": "dipl", "economic": "econ", "military": "mil",
         "deepened": "deep", "held": "held", "rolled_back": "roll"}


def _fmt(p: np.ndarray, order: tuple[str, ...], y: int) -> str:
    m = int(np.argmax(p))
    return f"{p[y]:.2f} [{SHORT[order[m]]} {p[m]:.2f}]"


def _bayes_loo(pr: np.ndarray, po: np.ndarray, yr: np.ndarray, yo: np.ndarray,
               reps: int) -> tuple[tuple[np.ndarray, np.ndarray], list[float]]:
    """Importance-sampled Bayesian leave-one-out predictive from prior points' shares (E, N, K)."""
    loglik = np.zeros(pr.shape[:2])
    for shares, y in ((pr, yr), (po, yo)):
        k = shares.shape[2]
        hit = shares[np.arange(len(y)), :, y] * reps
        loglik += np.log((hit + 0.5) / (reps + k / 2))
    total = loglik.sum(axis=0)
    out_r, out_o, ess = [], [], []
    for i in range(len(yr)):
        w = total - loglik[i]
        w = np.exp(w - w.max())
        w /= w.sum()
        ess.append(float(1.0 / np.sum(w**2)))
        out_r.append(w @ pr[i])
        out_o.append(w @ po[i])
    return (np.array(out_r), np.array(out_o)), ess


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--episodes", type=Path, default=scenarios_dir() / "episodes")
    ap.add_argument("--posterior", type=Path, default=Path("data/posterior.json"))
    ap.add_argument("--cv", type=Path, default=None, help="the .json of validate --cross-validate --out")
    ap.add_argument("--particles", type=int, default=200)
    ap.add_argument("-r", "--replications", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    eps = EpisodeSet.load([args.episodes])
    yr, yo = eps.observed()
    box = prior_box()
    names = list(box)
    lo = np.array([box[n][0] for n in names])
    hi = np.array([box[n][1] for n in names])
    n, reps = args.particles, args.replications
    prior_pts = qmc.scale(qmc.LatinHypercube(d=len(names), seed=args.seed).random(n), lo, hi)
    defaults = np.array([[PARAMS[nm].default for nm in names]])
    preds = {}
    pr, po = simulate(eps, names, prior_pts, reps, args.seed, workers=args.workers)
    preds["prior"] = (pr.mean(axis=1), po.mean(axis=1))
    reach = {"response": (pr, yr), "outcome": (po, yo)}
    preds["bayes_loo"], ess = _bayes_loo(pr, po, yr, yo, reps)
    dr, do = simulate(eps, names, defaults, reps * n, args.seed, workers=args.workers)
    preds["defaults"] = (dr[:, 0], do[:, 0])
    post = load_posterior(args.posterior) if args.posterior.is_file() else None
    if post is not None:
        idx = np.random.default_rng(args.seed).choice(len(post.weights), size=n, p=post.weights)
        cols = [post.names.index(nm) if nm in post.names else -1 for nm in names]
        thetas = np.array([[post.samples[i, c] if c >= 0 else PARAMS[nm].default
                            for c, nm in zip(cols, names, strict=True)] for i in idx])
        qr, qo = simulate(eps, names, thetas, reps, args.seed, workers=args.workers)
        preds["posterior"] = (qr.mean(axis=1), qo.mean(axis=1))
    if args.cv is not None:
        cv = json.loads(args.cv.read_text(encoding="utf-8"))["out_of_sample"]
        if cv["names"] != [s.name for s in eps.scenarios]:
            raise SystemExit(f"{args.cv}: its episodes are not those of {args.episodes}")
        preds["cv"] = (np.array(cv["predictions"]["response"]["model"]),
                       np.array(cv["predictions"]["outcome"]["model"]))
    judged = "cv" if "cv" in preds else ("posterior" if "posterior" in preds else "defaults")
    base = {"response": sc_.loo_base_rates(yr, len(RESPONSES)),
            "outcome": sc_.loo_base_rates(yo, len(OUTCOME_LEVELS))}
    cols_ = [c for c in ("defaults", "posterior", "prior", "bayes_loo", "cv") if c in preds]
    print(f"p(recorded) [modal p] per predictor; {n} prior points x {reps} runs; judged: {judged}")
    print("episode            kind     recorded | " + " | ".join(f"{c:<15}" for c in cols_)
          + " | reach (modal share, max) | label")
    lost: dict[str, list[float]] = {"structural": [0, 0.0], "over-confident": [0, 0.0],
                                    "near": [0, 0.0], "hit": [0, 0.0]}
    for i, s in enumerate(eps.scenarios):
        for k, (kind, order) in enumerate((("response", RESPONSES), ("outcome", OUTCOME_LEVELS))):
            shares, y = reach[kind]
            yi = int(y[i])
            modal_share = float((np.argmax(shares[i], axis=1) == yi).mean())
            max_share = float(shares[i][:, yi].max())
            p_prior = float(preds["prior"][k][i][yi])
            p = preds[judged][k][i]
            m = int(np.argmax(p))
            if m == yi:
                label = "hit"
            elif modal_share < 0.01 and p_prior < 0.05:
                label = "structural"
            elif p[m] > 0.8:
                label = "over-confident"
            else:
                label = "near"
            b = float(sc_.brier(p[None, :], [yi])[0] - sc_.brier(base[kind][i][None, :], [yi])[0])
            lost[label][0] += int(label != "hit")
            lost[label][1] += b
            cells = " | ".join(f"{_fmt(preds[c][k][i], order, yi):<15}" for c in cols_)
            print(f"{s.name:<18} {kind:<8} {SHORT[order[yi]]:<8} | {cells} | "
                  f"{modal_share:.2f}, {max_share:.2f}{'':<12} | {label}")
    total = len(eps.scenarios)
    print(f"\nbayes_loo: effective sample size per fold median {np.median(ess):.0f}, min {min(ess):.0f} "
          f"of {n} prior points")
    print("predictor: points / max, mean Brier (response, outcome), Brier skill vs LOO base rates")
    for c in cols_:
        pts, line = 0, []
        for k, (kind, y) in enumerate((("response", yr), ("outcome", yo))):
            p = preds[c][k]
            pts += int((sc_.modal(p) == y).sum())
            b = float(sc_.brier(p, y).mean())
            line.append(f"{b:.3f} ({sc_.skill(sc_.brier(p, y), sc_.brier(base[kind], y)):+.2f})")
        print(f"  {c:<10} {pts:>2} / {2 * total}, Brier {', '.join(line)}")
    print(f"\n{judged}: points lost and Brier lost against the LOO base rates (sum over the "
          f"{2 * total} episode-kinds; divide by {total} for the per-kind mean difference):")
    for label, (pts, b) in lost.items():
        print(f"  {label:<15} {pts:>3} points lost, Brier − base-rate Brier summed {b:+.2f}")


if __name__ == "__main__":
    main()
