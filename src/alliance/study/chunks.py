"""One chunk of a study: one AllianceModel over many runs, its tables, and their Parquet bytes.

Per-run parameter values go in through ``params={name: array}`` and random streams through
``replication_ids=r`` (common random numbers: replication r of every sample sees the same draws).
The model's generator is counter-based and its arithmetic element-wise over runs, so each run's
numbers are the same bit for bit whatever the executor, worker count, chunk size or resumption.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from alliance.model.ensemble import run_ensemble
from alliance.model.model import AllianceModel
from alliance.model.outcomes import TRAJECTORY_OUTCOMES
from alliance.model.posterior import Posterior
from alliance.model.scenario import Scenario
from alliance.study import store
from alliance.study.executors import tune_malloc
from alliance.study.plan import Plan, dict_col


# ------------------------------------------------------------------ one chunk
@dataclass(frozen=True)
class ChunkTask:
    """Everything a worker needs to run one chunk (picklable, no open files)."""

    chunk_id: int
    scenario_index: int
    names: tuple[str, ...]
    scenario: Scenario
    seed: int
    replications: int
    start: int
    stop: int
    run_id_start: int
    sample_start: int
    params: dict[str, np.ndarray]  # design values of samples sample_start … (inclusive range)
    trajectories: bool
    posterior: Posterior | None = None  # other parameters drawn per replication (alliance calibrate)


def run_chunk(task: ChunkTask) -> tuple[pa.Table, pa.Table | None, float]:
    """Run one chunk as one model; returns (summary table, trajectories table or None, seconds)."""
    t0 = time.perf_counter()
    R = task.replications
    idx = np.arange(task.start, task.stop, dtype=np.int64)
    j = idx // R
    rep = idx % R
    params = {k: v[j - task.sample_start] for k, v in task.params.items()}
    if task.posterior is not None:  # the design's own parameters win over the posterior's draws
        drawn = task.posterior.for_scenario(task.scenario, task.seed, rep)
        params = {**{k: v for k, v in drawn.items() if k not in params}, **params}
    params = params or None
    summary, traj = run_ensemble(task.scenario, lambda model: _tables(task, model, idx, j, rep),
                                 seed=task.seed, replication_ids=rep, params=params)
    return summary, traj, time.perf_counter() - t0


def _tables(task: ChunkTask, model: AllianceModel, idx: np.ndarray, j: np.ndarray,
            rep: np.ndarray) -> tuple[pa.Table, pa.Table | None]:
    """A finished chunk model's summary and (optionally) trajectory tables with the run keys."""
    n = len(idx)
    keys = {
        "run_id": pa.array(task.run_id_start + (idx - task.start)),
        "scenario": dict_col(task.scenario_index, n, task.names),
        "sample": pa.array(j.astype(np.int32)),
        "replication": pa.array(rep.astype(np.int32)),
    }
    summ = model.summary().drop(columns=["replication"])
    summary = pa.Table.from_pydict({**keys, **{c: pa.array(summ[c]) for c in summ.columns}})
    traj = None
    if task.trajectories:
        T = model.month + 1
        cols: dict[str, Any] = {
            "run_id": pa.array(np.repeat(task.run_id_start + (idx - task.start), T)),
            "scenario": dict_col(task.scenario_index, n * T, task.names),
            "sample": pa.array(np.repeat(j.astype(np.int32), T)),
            "replication": pa.array(np.repeat(rep.astype(np.int32), T)),
            "month": pa.array(np.tile(np.arange(T, dtype=np.int16), n)),
        }
        for name, o in TRAJECTORY_OUTCOMES.items():
            a = model.outcome(name).T  # (R, T)
            cols[name] = pa.array(np.ascontiguousarray(a, dtype=np.int8 if o.discrete else np.float32).reshape(-1))
        traj = pa.Table.from_pydict(cols)
    return summary, traj


def execute_chunk(task: ChunkTask, encode: bool = True) -> dict[str, Any]:
    """Run a chunk; with ``encode`` its tables come back as Parquet bytes (what a worker sends)."""
    tune_malloc()
    summary, traj, seconds = run_chunk(task)
    out: dict[str, Any] = {"id": task.chunk_id, "seconds": seconds, "rows": summary.num_rows,
                           "summary": summary}
    if traj is not None:
        out["trajectories"] = traj
        out["trajectory_rows"] = traj.num_rows
    return encode_result(out) if encode else out


def encode_result(res: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    for kind in ("summary", "trajectories"):
        if isinstance(res.get(kind), pa.Table):
            res[kind] = store.encode(res[kind])
    res["encode_seconds"] = res.get("encode_seconds", 0.0) + time.perf_counter() - t0
    return res


def warm_worker() -> int:
    """Run once in each worker before its first chunk: this module (and the model) are imported
    by unpickling this function; Dask's malloc setting is undone. Returns the worker's pid."""
    tune_malloc()
    return os.getpid()


def run_local(task: ChunkTask) -> dict[str, Any]:
    return execute_chunk(task, encode=False)


def chunk_tasks(plan: Plan, chunk_ids: Iterable[int]) -> Iterator[ChunkTask]:
    names = tuple(plan.names)
    for cid in chunk_ids:
        c = plan.chunks[cid]
        s = plan.scenarios[c["scenario"]]
        j0, j1 = c["start"] // s.replications, (c["stop"] - 1) // s.replications
        params = {k: s.design[k].to_numpy(dtype=np.float64)[j0 : j1 + 1].copy() for k in s.design.columns}
        yield ChunkTask(cid, s.index, names, s.scenario, s.seed, s.replications, c["start"], c["stop"],
                        c["run_id_start"], j0, params, plan.trajectories, plan.posterior)


