"""Tipping-point maps: the probability of an outcome over a grid of two parameters.

Every grid cell runs ``replications`` replications; the cells are packed into a few large
``AllianceModel`` ensembles (one value of each swept parameter per replication, at most
``chunk_runs`` runs per model), never one model per run. Every cell uses replication ids
0 … R−1 (common random numbers), so neighbouring cells differ by their parameters, not their
noise, and the result is the same whatever the chunking or the number of worker processes.

The uncertainty of the map comes from a bootstrap over replications: the same resample of
replication ids is applied to every cell, giving per-cell 5 % and 95 % bounds; the ``level``
contours of those bounds enclose the band where the boundary may lie.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliance.analysis.measures import Measure, parse_measure
from alliance.errors import UserError
from alliance.model.ensemble import run_ensemble
from alliance.model.parameters import PARAMS, check_value, cross_check
from alliance.model.scenario import Scenario
from alliance.study.ensemble import map_ensembles

MAX_CELLS = 10_000
"""Largest grid (cells) without ``force``: 100 × 100."""
MAX_RUNS = 4_000_000
"""Largest number of runs (cells × replications) without ``force``."""
CHUNK_RUNS = 40_000
"""Runs per model ensemble (bounded memory; the step's cost is paid once per chunk)."""

Runner = Callable[[dict[str, np.ndarray], np.ndarray], np.ndarray]
"""(parameter arrays of length n, replication ids of length n) → per-run outcome values."""


@dataclass(frozen=True)
class TippingMap:
    """A computed map. ``p``, ``p_lo``, ``p_hi`` have shape (len(ys), len(xs)); NaN = invalid cell."""

    scenario: str
    x: str
    y: str
    xs: np.ndarray
    ys: np.ndarray
    outcome: str
    title: str
    binary: bool
    replications: int
    seed: int
    level: float
    p: np.ndarray
    p_lo: np.ndarray
    p_hi: np.ndarray
    invalid: int
    computed: np.ndarray | None = None
    detail: str = ""

    def frame(self) -> pd.DataFrame:
        """Tidy table: one row per cell with x, y, p, p_lo, p_hi and computed (False: interpolated)."""
        X, Y = np.meshgrid(self.xs, self.ys)
        computed = np.ones(self.p.shape, dtype=bool) if self.computed is None else self.computed
        return pd.DataFrame({"x": X.ravel(), "y": Y.ravel(), "p": self.p.ravel(),
                             "p_lo": self.p_lo.ravel(), "p_hi": self.p_hi.ravel(),
                             "computed": computed.ravel()})

    def contour(self, which: str = "p") -> pd.DataFrame:
        """Points (x, y) where the ``level`` contour of ``p`` (or ``p_lo``/``p_hi``) crosses grid edges."""
        return contour_points(self.xs, self.ys, getattr(self, which), self.level)

    def band_share(self) -> float:
        """Share of valid cells whose bootstrap interval contains the level."""
        ok = np.isfinite(self.p)
        inside = (self.p_lo <= self.level) & (self.level <= self.p_hi) & ok
        return float(inside.sum() / max(1, ok.sum()))


def parse_grid(text: str) -> tuple[int, int]:
    """``"40x40"`` → (nx, ny)."""
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not m:
        raise UserError(f"--grid {text!r}: expected NXxNY, e.g. 40x40")
    nx, ny = int(m[1]), int(m[2])
    if nx < 2 or ny < 2:
        raise UserError(f"--grid {text!r}: at least 2 points per axis")
    return nx, ny


def parse_range(text: str | None, name: str) -> tuple[float, float] | None:
    """``"0.4:0.9"`` → (0.4, 0.9), checked against the parameter's range."""
    if text is None:
        return None
    m = re.fullmatch(r"\s*([-+0-9.eE]+)\s*:\s*([-+0-9.eE]+)\s*", text)
    try:
        lo, hi = (float(m[1]), float(m[2])) if m else (math.nan, math.nan)
    except ValueError:
        lo = hi = math.nan
    if not (lo < hi):
        raise UserError(f"range {text!r} for {name}: expected LOW:HIGH, two finite numbers with LOW < HIGH")
    for v in (lo, hi):
        msg = check_value(name, v)
        if msg:
            raise UserError(msg)
    return lo, hi


def axis_values(scenario: Scenario, name: str, n: int, bounds: tuple[float, float] | None) -> np.ndarray:
    """Grid values of one parameter: ``bounds``, else the scenario's uncertainty range, else the
    parameter's whole range; whole numbers for integer parameters."""
    if name not in PARAMS:
        raise UserError(f"unknown parameter {name!r} (see `alliance params`)")
    p = PARAMS[name]
    if bounds is None:
        unc = (scenario.uncertainties or {}).get(name)
        bounds = unc.support() if unc is not None else (p.low, p.high)
    vals = np.linspace(bounds[0], bounds[1], n)
    if p.integer:
        vals = np.unique(np.round(vals))
    return vals


def contour_points(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, level: float) -> pd.DataFrame:
    """Marching-squares edge crossings of ``z == level`` (linear interpolation along grid edges)."""
    pts: list[tuple[float, float]] = []
    d = z - level
    # along x (rows of constant y)
    a, b = d[:, :-1], d[:, 1:]
    i, j = np.nonzero(np.isfinite(a) & np.isfinite(b) & ((a >= 0) != (b >= 0)))
    t = a[i, j] / (a[i, j] - b[i, j])
    pts += list(zip(xs[j] + t * (xs[j + 1] - xs[j]), ys[i], strict=False))
    a, b = d[:-1, :], d[1:, :]
    i, j = np.nonzero(np.isfinite(a) & np.isfinite(b) & ((a >= 0) != (b >= 0)))
    t = a[i, j] / (a[i, j] - b[i, j])
    pts += list(zip(xs[j], ys[i] + t * (ys[i + 1] - ys[i]), strict=False))
    return pd.DataFrame(pts, columns=["x", "y"], dtype=np.float64)


# ------------------------------------------------------------------ model runner (picklable)
def model_chunk(scenario: Scenario, spec: str, seed: int, params: dict[str, np.ndarray],
                rep_ids: np.ndarray) -> np.ndarray:
    """One ensemble (``study.ensemble.run_ensemble``): the measure ``spec`` per run (float32)."""
    measure = parse_measure(spec)
    return run_ensemble(scenario, lambda model: measure.evaluate(
        model.summary(), lambda name: model.outcome(name).T).astype(np.float32),
        seed=seed, replication_ids=rep_ids, params=params)


def run_grid(cells: dict[str, np.ndarray], replications: int, job: Callable[[dict[str, np.ndarray], np.ndarray],
             tuple] | None, runner: Runner | None = None, chunk_runs: int = CHUNK_RUNS, workers: int | None = 1,
             progress: Callable[[int, int], None] | None = None, scheduler: Any = None,
             dask_local: int | None = None) -> np.ndarray:
    """Values (cells, replications) for parameter values per cell.

    With ``job`` (arguments of ``model_chunk`` for a chunk's parameters and replication ids) the
    chunks run through ``study.ensemble.map_ensembles``: in-process, in ``workers`` processes or
    on a Dask cluster (``scheduler``/``dask_local``), with the same numbers whichever. ``runner``
    (a synthetic model for tests) runs in-process.
    """
    n_cells = len(next(iter(cells.values())))
    per = max(1, chunk_runs // replications)
    rep = np.arange(replications, dtype=np.int64)
    chunks = []
    for s in range(0, n_cells, per):
        e = min(n_cells, s + per)
        params = {k: np.repeat(v[s:e], replications) for k, v in cells.items()}
        chunks.append((params, np.tile(rep, e - s)))
    out: list[np.ndarray] = []
    if runner is not None:
        for k, (params, ids) in enumerate(chunks):
            out.append(runner(params, ids))
            if progress:
                progress(k + 1, len(chunks))
    elif job is not None:
        out = map_ensembles(model_chunk, [job(p, i) for p, i in chunks], workers=workers,
                            scheduler=scheduler, dask_local=dask_local, progress=progress)
    else:
        raise ValueError("run_grid needs a job (the model) or a runner")
    return np.concatenate(out).reshape(n_cells, replications)


def bootstrap_bounds(values: np.ndarray, n_boot: int, seed: int, q: tuple[float, float] = (0.05, 0.95)
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Per-row quantiles of the bootstrap mean, resampling columns (replications) jointly for all rows."""
    _n_cells, R = values.shape
    rng = np.random.default_rng(seed)
    counts = np.stack([np.bincount(rng.integers(0, R, R), minlength=R) for _ in range(n_boot)])
    boot = values.astype(np.float64) @ counts.T.astype(np.float64) / R  # (cells, B)
    return np.quantile(boot, q[0], axis=1), np.quantile(boot, q[1], axis=1)


def tipping_map(scenario: Scenario, x: str, y: str, grid: tuple[int, int] = (40, 40), replications: int = 200,
                outcome: str | Measure = "sanctions_ever", seed: int | None = None,
                x_range: tuple[float, float] | None = None, y_range: tuple[float, float] | None = None,
                level: float = 0.5, n_boot: int = 200, workers: int | None = 1, chunk_runs: int = CHUNK_RUNS,
                force: bool = False, runner: Runner | None = None, refine: int = 0,
                progress: Callable[[int, int], None] | None = None, scheduler: Any = None,
                dask_local: int | None = None) -> TippingMap:
    """Compute the map of ``outcome`` over ``x`` × ``y`` (see the module docstring).

    ``runner`` replaces the model (for tests with a synthetic outcome); cells whose parameter
    values break a cross-field rule (e.g. thresholds out of order) are left NaN. ``refine`` rounds
    each halve the grid spacing, running only the new points next to the boundary (a neighbour
    inside the bootstrap band, or neighbours on both sides of the level) and interpolating the
    others from their neighbours (``computed`` marks which is which). ``workers``, ``scheduler``
    or ``dask_local`` run the chunks in local processes or on a Dask cluster (same numbers).
    """
    if x == y:
        raise UserError("--x and --y must be different parameters")
    measure = parse_measure(outcome) if isinstance(outcome, str) else outcome
    if replications < 2:
        raise UserError("--replications must be at least 2 (the bootstrap needs them)")
    if not 0 <= refine <= 4:
        raise UserError("--refine takes 0 to 4 rounds")
    if not math.isfinite(level):
        raise UserError(f"--level {level} is not a finite number")
    if measure.binary and not 0 < level < 1:
        raise UserError(f"--level {level:g}: {measure.spec} is a 0/1 outcome, so the level is a probability "
                        "strictly between 0 and 1 (e.g. 0.5)")
    xs = axis_values(scenario, x, grid[0], x_range)
    ys = axis_values(scenario, y, grid[1], y_range)
    if refine and (PARAMS[x].integer or PARAMS[y].integer):
        raise UserError("--refine needs two continuous parameters (a whole-number axis cannot be halved)")
    n_cells = len(xs) * len(ys)
    if not force and (n_cells > MAX_CELLS or n_cells * replications > MAX_RUNS):
        raise UserError(f"grid {len(xs)}x{len(ys)} × {replications} replications = {n_cells * replications:,} "
                        f"runs; the limit is {MAX_CELLS:,} cells and {MAX_RUNS:,} runs (use --force)")
    base = scenario.params()
    seed_value = int(scenario.seed if seed is None else seed)

    def job(params: dict[str, np.ndarray], ids: np.ndarray) -> tuple:
        return (scenario, measure.spec, seed_value, params, ids)

    def evaluate(px: np.ndarray, py: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(p, lo, hi, valid) at points; NaN where the values break a cross-field rule."""
        valid = np.array([not cross_check({**base, x: float(a), y: float(b)}) for a, b in zip(px, py, strict=True)],
                         dtype=bool)
        p = np.full(len(px), np.nan)
        lo, hi = p.copy(), p.copy()
        if valid.any():
            vals = run_grid({x: px[valid], y: py[valid]}, replications, job if runner is None else None, runner,
                            chunk_runs, workers, progress, scheduler, dask_local)
            finite = np.isfinite(vals)
            p[valid] = np.where(finite, vals, 0).sum(axis=1) / np.maximum(1, finite.sum(axis=1))
            lo[valid], hi[valid] = bootstrap_bounds(np.where(finite, vals, p[valid][:, None]), n_boot, seed_value)
        return p, lo, hi, valid

    X, Y = np.meshgrid(xs, ys)
    p, lo, hi, valid = evaluate(X.ravel(), Y.ravel())
    shape = (len(ys), len(xs))
    p, lo, hi, valid = p.reshape(shape), lo.reshape(shape), hi.reshape(shape), valid.reshape(shape)
    computed = np.ones(shape, dtype=bool)
    for _ in range(refine):
        xs, ys, p, lo, hi, valid, computed = _refine(xs, ys, p, lo, hi, valid, computed, level, evaluate)
    extra = f", refined {refine}×: {int(computed.sum()):,} of {computed.size:,} points run" if refine else ""
    title = f"{scenario.name}: {measure.title}"
    detail = f"{replications} replications per point, seed {seed_value}{extra}"
    return TippingMap(scenario.name, x, y, xs, ys, measure.spec, title, measure.binary, replications,
                      seed_value, level, p, lo, hi, int((~valid).sum()), computed, detail)


def _refine(xs: np.ndarray, ys: np.ndarray, p: np.ndarray, lo: np.ndarray, hi: np.ndarray, valid: np.ndarray,
            computed: np.ndarray, level: float, evaluate: Callable) -> tuple:
    """One refinement round: midpoints added on both axes; new points near the boundary are run,
    the rest interpolated (mean of their old neighbours)."""
    ny, nx = p.shape
    xs2 = np.empty(2 * nx - 1)
    xs2[0::2], xs2[1::2] = xs, (xs[:-1] + xs[1:]) / 2
    ys2 = np.empty(2 * ny - 1)
    ys2[0::2], ys2[1::2] = ys, (ys[:-1] + ys[1:]) / 2
    shape = (2 * ny - 1, 2 * nx - 1)
    P, LO, HI = (np.full(shape, np.nan) for _ in range(3))
    V, C = np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool)
    P[0::2, 0::2], LO[0::2, 0::2], HI[0::2, 0::2] = p, lo, hi
    V[0::2, 0::2], C[0::2, 0::2] = valid, computed
    band = (lo <= level) & (level <= hi)
    new_i, new_j, run = [], [], []
    for i in range(shape[0]):
        for j in range(shape[1]):
            if i % 2 == 0 and j % 2 == 0:
                continue
            nb = [(a, b) for a in {i // 2, (i + 1) // 2} for b in {j // 2, (j + 1) // 2}]
            vals = np.array([p[a, b] for a, b in nb])
            near = (not np.isfinite(vals).all() or any(band[a, b] for a, b in nb)
                    or (vals.min() < level <= vals.max()))
            new_i.append(i)
            new_j.append(j)
            run.append(near)
            if not near:
                P[i, j] = vals.mean()
                LO[i, j] = np.mean([lo[a, b] for a, b in nb])
                HI[i, j] = np.mean([hi[a, b] for a, b in nb])
                V[i, j] = True
    ii, jj, rr = np.array(new_i), np.array(new_j), np.array(run, dtype=bool)
    if rr.any():
        pr, lr, hr, vr = evaluate(xs2[jj[rr]], ys2[ii[rr]])
        P[ii[rr], jj[rr]], LO[ii[rr], jj[rr]], HI[ii[rr], jj[rr]] = pr, lr, hr
        V[ii[rr], jj[rr]], C[ii[rr], jj[rr]] = vr, True
    return xs2, ys2, P, LO, HI, V, C
