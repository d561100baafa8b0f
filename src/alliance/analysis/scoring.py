"""Proper scores and reference predictors for categorical hindcasts (numpy only).

A prediction of one episode's response (4 rungs) or outcome (3 levels) is a probability vector;
what happened is one category. The definitions, stated once:

- **Brier score** (multi-category): ``sum_k (p_k - [k happened])^2``; 0 perfect, 2 worst; a uniform
  guess scores ``1 - 1/K`` (0.75 for responses, 0.67 for outcomes).
- **Log score**: ``-ln p'_y`` of the category ``y`` that happened (lower is better; a uniform
  guess scores ``ln K``), where ``p'`` smooths a share of ``n`` counts by the Krichevsky–Trofimov
  rule ``(p n + 1/2) / (n + K/2)`` so an unseen category never costs infinity. The model's shares
  count replications; the base rates count the other episodes.
- **Skill** against a reference: ``1 - mean score / mean reference score`` (Brier skill score;
  > 0 beats the reference).

Reference predictors (all on the same episodes, none fitted to them):

- **majority class**: the category most common among the *other* episodes (leave-one-out), as a
  certain prediction;
- **base rates**: the shares of each category among the other episodes (leave-one-out);
- **bloc rule** (``rule_prediction``), fixed before any score was seen, from the alliance-dependence
  argument of ``shared/THEORY.md``: a balancer outside the hegemon's blocs (``bloc_commitment`` <
  0.5 at the trigger) that moves in a domain the hegemon cares about most (sensitivity ≥ 0.8:
  energy, basing, integration) draws **economic** measures, any other move **diplomatic** ones; a
  balancer outside the blocs **deepens**, one inside them **rolls back**.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

RULE_BLOC_LINE = 0.5
"""``balancer.bloc_commitment`` below which the bloc rule calls a balancer 'outside the blocs'."""
RULE_SENSITIVE = 0.8
"""``hegemon.sensitivity.<domain>`` at or above which the bloc rule calls a domain 'sensitive'."""


def one_hot(y: Sequence[int], k: int) -> np.ndarray:
    """(n, k) matrix with a 1 in each row's category."""
    out = np.zeros((len(y), k))
    out[np.arange(len(y)), np.asarray(y, dtype=int)] = 1.0
    return out


def brier(p: np.ndarray, y: Sequence[int]) -> np.ndarray:
    """Per-row multi-category Brier score of probabilities ``p`` (n, K) against categories ``y``."""
    p = np.asarray(p, dtype=float)
    return ((p - one_hot(y, p.shape[1])) ** 2).sum(axis=1)


def smooth(p: np.ndarray, n: np.ndarray | float) -> np.ndarray:
    """Krichevsky–Trofimov smoothing of shares ``p`` (n_rows, K) of ``n`` counts per row."""
    p = np.asarray(p, dtype=float)
    k = p.shape[1]
    counts = np.broadcast_to(np.asarray(n, dtype=float).reshape(-1, 1), p.shape)
    return (p * counts + 0.5) / (counts + k / 2.0)


def log_score(p: np.ndarray, y: Sequence[int], n: np.ndarray | float) -> np.ndarray:
    """Per-row negative log probability of what happened, after ``smooth`` (lower is better)."""
    ps = smooth(p, n)
    return -np.log(ps[np.arange(len(ps)), np.asarray(y, dtype=int)])


def loo_base_rates(y: Sequence[int], k: int, alpha: float = 0.0) -> np.ndarray:
    """(n, k): each row the category shares among the other rows (leave-one-out), with add-
    ``alpha`` (0: the plain shares of the reference predictor; ½: the smoothed base rates a
    forecast is pooled with, ``model.discrepancy.base_rates`` of the other rows)."""
    oh = one_hot(y, k)
    n = len(oh)
    if n < 2:
        return np.full((n, k), 1.0 / k)
    return (oh.sum(axis=0, keepdims=True) - oh + alpha) / (n - 1 + k * alpha)


def modal(p: np.ndarray) -> np.ndarray:
    """Index of each row's most probable category (ties: the earlier category)."""
    p = np.asarray(p, dtype=float)
    best = p.max(axis=1, keepdims=True)
    return (p >= best - 1e-12).argmax(axis=1)


def loo_majority(y: Sequence[int], k: int) -> np.ndarray:
    """(n, k) one-hot: each row the category most common among the other rows."""
    return one_hot(modal(loo_base_rates(y, k)), k)


def skill(score: np.ndarray, reference: np.ndarray) -> float:
    """``1 - mean(score) / mean(reference)``: > 0 when the scores beat the reference."""
    ref = float(np.mean(reference))
    return float("nan") if ref == 0 else 1.0 - float(np.mean(score)) / ref


def discrepancy_weight(p: np.ndarray, reference: np.ndarray, y: Sequence[int], step: float = 0.01) -> float:
    """Structural discrepancy: the weight δ in [0, 1] (on a grid of ``step``) minimising the mean
    Brier score of ``(1 − δ) p + δ reference`` on the rows given (ties: the smaller δ).

    A linear pool of the model with a reference that knows only how often each category happens:
    δ is the probability, estimated from these rows, that an episode lies outside what the
    model's structure can produce (Kennedy and O'Hagan 2001 on model discrepancy; Gneiting and
    Raftery 2007 on proper scores). It must be fitted on rows other than the one it predicts.
    """
    grid = np.round(np.arange(0.0, 1.0 + step / 2, step), 10)
    p = np.asarray(p, dtype=float)
    ref = np.asarray(reference, dtype=float)
    scores = [float(brier((1.0 - d) * p + d * ref, y).mean()) for d in grid]
    return float(grid[int(np.argmin(scores))])


def rule_prediction(domain: str, bloc_commitment: float, sensitivity: float) -> tuple[str, str]:
    """The bloc rule's (response, outcome) for a trigger (see the module docstring)."""
    outside = bloc_commitment < RULE_BLOC_LINE
    response = "economic" if outside and sensitivity >= RULE_SENSITIVE else "diplomatic"
    return response, ("deepened" if outside else "rolled_back")


def binned_reliability(pred: np.ndarray, happened: np.ndarray, bins: int = 5,
                       level: float = 0.95) -> list[dict[str, float]]:
    """Equal-width bins of predicted probability: count, mean prediction, observed events, and
    whether the observed count lies in the central ``level`` binomial interval of a calibrated
    forecaster (``Binomial(count, mean prediction)``)."""
    pred = np.asarray(pred, dtype=float)
    happened = np.asarray(happened, dtype=float)
    idx = np.clip(np.digitize(pred, np.linspace(0, 1, bins + 1)[1:-1]), 0, bins - 1)
    rows = []
    for b in range(bins):
        sel = idx == b
        n = int(sel.sum())
        if n == 0:
            continue
        pbar = float(pred[sel].mean())
        k = int(happened[sel].sum())
        lo, hi = stats.binom.interval(level, n, pbar)
        rows.append({"bin": b, "count": n, "predicted": pbar, "observed": k / n,
                     "events": k, "low": float(lo), "high": float(hi),
                     "within": bool(lo <= k <= hi)})
    return rows
