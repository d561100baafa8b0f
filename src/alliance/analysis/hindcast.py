"""Honest hindcast scores: seeds, a no-trigger control, reference predictors, proper scores.

``validate.validate_episode`` predicts one episode at one seed. Here every episode is run at
``seeds`` consecutive seeds (its own seed, +1, …), once as written and once as its **no-trigger
control**: the same file with every fixed-month event from the trigger month on removed (the
trigger and whatever the file makes follow it; conditional events stay), judged on the same
window. What the trigger earns is the difference between the two.

The model's prediction pools the seeds (``seeds × replications`` runs); the intervals are the
range over seeds of each seed's own score. The references and the proper scores are in
``alliance.analysis.scoring``. An episode where a category is **impossible by construction** — the
cooperation just before the trigger is within ``OUTCOME_TOLERANCE`` of the floor (0: "rolled back"
cannot happen) or of the domain's ceiling ("deepened" cannot happen) in every replication — is
flagged and its outcome is scored apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alliance.analysis import scoring as sc_
from alliance.analysis.validate import (
    OUTCOME_TOLERANCE,
    Window,
    classify_outcome,
    episode_files,
    first_lags,
    load_episode,
    response_levels,
    window_of,
)
from alliance.model import Scenario
from alliance.model.ensemble import run_ensemble
from alliance.model.expected import OUTCOME_LEVELS, RESPONSES
from alliance.model.posterior import PlausiblePrior, Posterior
from alliance.study.ensemble import map_ensembles


def control_of(sc: Scenario, win: Window) -> Scenario:
    """The episode without its trigger: fixed-month events from the window's start on removed."""
    kept = [ev for ev in sc.events if ev.month is None or ev.month < win.start]
    return sc.model_copy(update={"events": kept})


def predict_counts(sc: Scenario, win: Window, domain: str, replications: int, seed: int,
                   posterior: Posterior | PlausiblePrior | None = None) -> dict[str, Any]:
    """One ensemble: counts of each response rung and outcome, and cooperation before the window."""
    ids = np.arange(replications)
    params = None if posterior is None else posterior.for_scenario(sc, seed, ids)
    esc, coop = run_ensemble(sc, lambda m: (m.outcome("escalation").copy(),
                                            m.outcome(f"coop_{domain}").copy()),
                             seed=seed, replication_ids=ids, params=params, months=win.end)
    levels = response_levels(esc, win)
    codes = classify_outcome(coop[win.reference], coop[win.end])
    lags = {lvl: first_lags(esc, win, lvl) for lvl in range(1, len(RESPONSES))}
    return {"response": np.bincount(levels, minlength=len(RESPONSES)),
            "lags": {lvl: v[~np.isnan(v)].astype(np.int16) for lvl, v in lags.items()},
            "outcome": np.bincount(codes, minlength=len(OUTCOME_LEVELS)),
            "before_min": float(coop[win.reference].min()),
            "before_max": float(coop[win.reference].max())}


def _task(sc: Scenario, win: Window, domain: str, reps: int, seed: int,
          posterior: Posterior | PlausiblePrior | None) -> dict[str, Any]:
    return predict_counts(sc, win, domain, reps, seed, posterior)


@dataclass
class EpisodeSet:
    """Loaded episodes with their windows, in file order."""

    files: list[Path]
    scenarios: list[Scenario]
    windows: list[Window] = field(default_factory=list)

    @classmethod
    def load(cls, paths: Sequence[Path]) -> EpisodeSet:
        files = episode_files(paths)
        scs = [load_episode(f) for f in files]
        return cls(files, scs, [window_of(s) for s in scs])

    def subset(self, keep: Sequence[int]) -> EpisodeSet:
        return EpisodeSet([self.files[i] for i in keep], [self.scenarios[i] for i in keep],
                          [self.windows[i] for i in keep])

    def observed(self) -> tuple[np.ndarray, np.ndarray]:
        """(response index, outcome index) that history records, per episode."""
        return (np.array([RESPONSES.index(s.expected.response) for s in self.scenarios]),
                np.array([OUTCOME_LEVELS.index(s.expected.outcome) for s in self.scenarios]))


def run_predictions(eps: EpisodeSet, replications: int, seeds: int, seed: int | None = None,
                    control: bool = False, posterior: Posterior | PlausiblePrior | None = None,
                    **executor: Any) -> list[list[dict[str, Any]]]:
    """Per episode, per seed: ``predict_counts`` (of the control when ``control``)."""
    tasks = []
    for s, w in zip(eps.scenarios, eps.windows, strict=True):
        run_sc = control_of(s, w) if control else s
        base = s.seed if seed is None else seed
        tasks += [(run_sc, w, s.expected.domain, replications, base + k, posterior) for k in range(seeds)]
    flat = map_ensembles(_task, tasks, **executor)
    return [flat[i * seeds:(i + 1) * seeds] for i in range(len(eps.scenarios))]


def probs(runs: list[dict[str, Any]], kind: str) -> np.ndarray:
    """Pooled category shares over a list of ``predict_counts`` results."""
    counts = np.sum([r[kind] for r in runs], axis=0).astype(float)
    return counts / counts.sum()


def pooled_lag(runs: list[dict[str, Any]], level: int) -> float:
    """Median lag (months from the trigger) over the runs that reach ``level`` (NaN: none)."""
    if level == 0:
        return float("nan")
    hits = np.concatenate([r["lags"][level] for r in runs])
    return float(np.median(hits)) if hits.size else float("nan")


def impossible(eps: EpisodeSet, runs: list[list[dict[str, Any]]]) -> list[list[str]]:
    """Per episode: the outcome categories its construction rules out (see the module docstring)."""
    out = []
    for s, per_seed in zip(eps.scenarios, runs, strict=True):
        ceiling = s.params().get(f"balancer.ceiling.{s.expected.domain}", 1.0)
        lo = min(r["before_min"] for r in per_seed)
        hi = max(r["before_max"] for r in per_seed)
        flags = []
        if hi < OUTCOME_TOLERANCE - 1e-12:
            flags.append("rolled_back")
        if lo > ceiling - OUTCOME_TOLERANCE + 1e-12:
            flags.append("deepened")
        out.append(flags)
    return out


def rule_of(s: Scenario, win: Window) -> tuple[str, str]:
    """The bloc rule's prediction from the file's inputs at the trigger (not its expected block)."""
    p = s.params()
    bloc = p["balancer.bloc_commitment"]
    for ev in sorted((e for e in s.events if e.month is not None and e.month <= win.trigger),
                     key=lambda e: e.month):
        if getattr(ev, "kind", "") == "set" and ev.param == "balancer.bloc_commitment":
            bloc = float(ev.value)
    return sc_.rule_prediction(s.expected.domain, bloc,
                               p.get(f"hegemon.sensitivity.{s.expected.domain}", 0.0))


def kind_scores(p: np.ndarray, y: np.ndarray, n: np.ndarray | float | None) -> dict[str, float]:
    """Points (modal = observed), mean Brier and (for counted shares) mean log score."""
    out = {"points": int((sc_.modal(p) == y).sum()), "brier": float(sc_.brier(p, y).mean())}
    if n is not None:
        out["log"] = float(sc_.log_score(p, y, n).mean())
    return out


def _per_seed(runs: list[list[dict[str, Any]]], y: np.ndarray, kind: str) -> list[dict[str, float]]:
    seeds = len(runs[0])
    out = []
    for k in range(seeds):
        p = np.array([probs([r[k]], kind) for r in runs])
        n = float(runs[0][k][kind].sum())
        out.append(kind_scores(p, y, n))
    return out


def _interval(values: Sequence[float]) -> list[float]:
    return [float(np.min(values)), float(np.max(values))]


def summarize(eps: EpisodeSet, model: list[list[dict[str, Any]]],
              control: list[list[dict[str, Any]]] | None = None,
              extra: dict[str, dict[str, np.ndarray]] | None = None) -> dict[str, Any]:
    """Every score of ``alliance validate``: the model (pooled, and per seed), the no-trigger
    control, the reference predictors, skill against the leave-one-out base rates, the flagged
    episodes scored apart, and the reliability bins with their binomial intervals.

    ``extra``: further predictors (name → kind → (n, K) probabilities), scored like the
    references, with their own skill and reliability bins (``extra_reliability``)."""
    yr, yo = eps.observed()
    kinds = {"response": (yr, len(RESPONSES)), "outcome": (yo, len(OUTCOME_LEVELS))}
    n_runs = float(sum(r["response"].sum() for r in model[0]))
    out: dict[str, Any] = {"episodes": len(eps.scenarios), "max_points": 2 * len(eps.scenarios),
                           "runs_per_episode": int(n_runs), "seeds": len(model[0])}
    rules = [rule_of(s, w) for s, w in zip(eps.scenarios, eps.windows, strict=True)]
    preds: dict[str, dict[str, np.ndarray]] = {}
    for kind, (y, k) in kinds.items():
        base = sc_.loo_base_rates(y, k)
        order = RESPONSES if kind == "response" else OUTCOME_LEVELS
        rule = sc_.one_hot([order.index(r[0 if kind == "response" else 1]) for r in rules], k)
        preds[kind] = {"model": np.array([probs(r, kind) for r in model]), "base_rates": base,
                       "majority": sc_.loo_majority(y, k), "rule": rule,
                       "uniform": np.full((len(y), k), 1.0 / k)}
        if control is not None:
            preds[kind]["control"] = np.array([probs(r, kind) for r in control])
        for name, by_kind in (extra or {}).items():
            preds[kind][name] = np.asarray(by_kind[kind], dtype=float)
    counts = {"model": n_runs, "control": n_runs, "base_rates": max(len(yr) - 1, 1),
              "uniform": 1e12, "majority": None, "rule": None,
              **{name: n_runs for name in extra or {}}}
    for name in preds["response"]:
        entry: dict[str, Any] = {}
        for kind, (y, _) in kinds.items():
            entry[kind] = kind_scores(preds[kind][name], y, counts[name])
        entry["points"] = entry["response"]["points"] + entry["outcome"]["points"]
        out[name] = entry
    for kind, (y, _) in kinds.items():
        b_model = sc_.brier(preds[kind]["model"], y)
        out["model"][kind]["brier_skill"] = sc_.skill(b_model, sc_.brier(preds[kind]["base_rates"], y))
        out["model"][kind]["log_skill"] = sc_.skill(
            sc_.log_score(preds[kind]["model"], y, n_runs),
            sc_.log_score(preds[kind]["base_rates"], y, counts["base_rates"]))
        seeds = _per_seed(model, y, kind)
        out["model"][kind]["seed_interval"] = {m: _interval([s[m] for s in seeds])
                                               for m in ("points", "brier", "log")}
    out["model"]["seed_points"] = _interval([a["points"] + b["points"] for a, b in
                                             zip(_per_seed(model, yr, "response"),
                                                 _per_seed(model, yo, "outcome"), strict=True)])
    if control is not None:
        out["trigger_earns"] = {
            "points": out["model"]["points"] - out["control"]["points"],
            **{f"brier_{k}": out["control"][k]["brier"] - out["model"][k]["brier"] for k in kinds}}
    flags = impossible(eps, model)
    flagged = [i for i, f in enumerate(flags) if f]
    open_ = [i for i, f in enumerate(flags) if not f]
    out["flagged"] = {eps.scenarios[i].name: flags[i] for i in flagged}
    for label, idx in (("open", open_), ("flagged_only", flagged)):
        if idx:
            p = preds["outcome"]["model"][idx]
            out[label] = {"episodes": len(idx), "outcome": kind_scores(p, yo[idx], n_runs),
                          "outcome_base_rates": kind_scores(preds["outcome"]["base_rates"][idx],
                                                            yo[idx], counts["base_rates"])}
    out["reliability"] = {kind: sc_.binned_reliability(preds[kind]["model"].ravel(),
                                                       sc_.one_hot(y, preds[kind]["model"].shape[1]).ravel())
                          for kind, (y, _) in kinds.items()}
    out["extra_reliability"] = {}
    for name in extra or {}:
        for kind, (y, _) in kinds.items():
            out[name][kind]["brier_skill"] = sc_.skill(sc_.brier(preds[kind][name], y),
                                                       sc_.brier(preds[kind]["base_rates"], y))
            out[name][kind]["log_skill"] = sc_.skill(
                sc_.log_score(preds[kind][name], y, counts[name]),
                sc_.log_score(preds[kind]["base_rates"], y, counts["base_rates"]))
        out["extra_reliability"][name] = {
            kind: sc_.binned_reliability(preds[kind][name].ravel(),
                                         sc_.one_hot(y, preds[kind][name].shape[1]).ravel())
            for kind, (y, _) in kinds.items()}
    out["reliability_within"] = all(b["within"] for bins in out["reliability"].values() for b in bins)
    out["predictions"] = {kind: {name: v.tolist() for name, v in d.items()} for kind, d in preds.items()}
    out["names"] = [s.name for s in eps.scenarios]
    out["observed"] = [yr.tolist(), yo.tolist()]
    out["rules"] = [list(r) for r in rules]
    return out


def calibration_points_from(summary: dict[str, Any], name: str = "model") -> pd.DataFrame:
    """``validate.calibration_points``'s frame from a ``summarize`` result's predictions."""
    rows = []
    yr, yo = summary["observed"]
    for kind, order, y in (("response", RESPONSES, yr), ("outcome", OUTCOME_LEVELS, yo)):
        for ep, p, actual in zip(summary["names"], summary["predictions"][kind][name], y, strict=True):
            for j, cat in enumerate(order):
                rows.append({"episode": ep, "kind": kind, "category": cat,
                             "predicted": float(p[j]), "happened": int(j == actual)})
    return pd.DataFrame(rows)
