"""Run studies: many scenarios × samples × replications, in chunks, into a resumable Parquet store.

A study is planned once (``plan_study``): each scenario's design (``sampling.sample``; a scenario
without an ``uncertainties:``/``sweep:`` block is one sample), ``R`` replications per sample, and
the runs cut into chunks of ``chunk_runs`` consecutive runs of one scenario. A run is
(scenario s, sample j, replication r); its ``run_id`` is its position in that order over the
whole study, so ids are fixed by the plan alone.

Each chunk runs as ONE ``AllianceModel`` whose per-run parameter values come in through
``params={name: array}`` and whose random streams come from ``replication_ids=r`` (common random
numbers: replication r of every sample and scenario sees the same draws). Because the model's
generator is counter-based and its arithmetic is element-wise over runs, every run's numbers are
the same bit for bit whatever the executor, worker count, chunk size or resumption.

Executors: in-process (default), local processes (``workers=N``), Dask distributed
(``scheduler="tcp://host:port"`` or a ``distributed.Client``, or ``dask_local=N``). Workers
return Parquet bytes; only the driver writes files, so Dask workers need no shared disk.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import yaml

from alliance.model.model import AllianceModel
from alliance.model.outcomes import TRAJECTORY_OUTCOMES
from alliance.model.scenario import Scenario, load_scenario, resolve_path

from . import store
from .cli_app import UserError
from .executors import InProcess, check_options, make_executor, tune_malloc
from .sampling import SAMPLERS, has_design, sample

DEFAULT_CHUNK_RUN_MONTHS = 375_000
"""A chunk holds about this many run-months (10,000 runs of 36 months, ~25 MB of model record):
small enough for the model's arrays to stay in cache and to balance work over workers, large
enough that the per-step cost is paid once for many runs."""

_MODEL_KW = {"collect": False} if "collect" in AllianceModel.__init__.__code__.co_varnames else {}


# ------------------------------------------------------------------ the plan
@dataclass
class ScenarioPlan:
    index: int
    scenario: Scenario
    yaml: str
    source: str
    design: pd.DataFrame  # one row per sample; columns = varied parameters (maybe none)
    replications: int
    seed: int
    run_id_start: int

    @property
    def samples(self) -> int:
        return len(self.design)

    @property
    def runs(self) -> int:
        return self.samples * self.replications

    @property
    def sha256(self) -> str:
        return scenario_sha(self.scenario)


@dataclass
class Plan:
    scenarios: list[ScenarioPlan]
    sampler: str
    samples: int | None
    sample_seed: int
    seed: int | None
    chunk_runs: int
    trajectories: bool
    chunks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total_runs(self) -> int:
        return sum(s.runs for s in self.scenarios)

    @property
    def run_months(self) -> int:
        return sum(s.runs * s.scenario.horizon_months for s in self.scenarios)

    @property
    def names(self) -> list[str]:
        return [s.scenario.name for s in self.scenarios]

    @property
    def parameters(self) -> list[str]:
        return list(dict.fromkeys(c for s in self.scenarios for c in s.design.columns))


def scenario_sha(sc: Scenario) -> str:
    """sha256 of the scenario's resolved, validated content (parents of ``extends`` included)."""
    text = json.dumps(sc.model_dump(mode="json", exclude_none=True), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load(ref: str | Path | Scenario) -> tuple[Scenario, str, str]:
    if isinstance(ref, Scenario):
        data = ref.model_dump(mode="json", exclude_none=True)
        return ref, yaml.safe_dump(data, sort_keys=False), "<python object>"
    sc = load_scenario(ref)
    path = resolve_path(ref)
    return sc, path.read_text(encoding="utf-8"), str(path)


def _chunks(scen: list[ScenarioPlan], chunk_runs: int) -> list[dict[str, Any]]:
    out = []
    for s in scen:
        for start in range(0, s.runs, chunk_runs):
            stop = min(start + chunk_runs, s.runs)
            out.append({"id": len(out), "scenario": s.index, "start": start, "stop": stop,
                        "run_id_start": s.run_id_start + start, "status": "pending"})
    return out


def plan_study(
    scenarios: Sequence[str | Path | Scenario],
    samples: int | None = None,
    replications: int | None = None,
    sampler: str = "lhs",
    seed: int | None = None,
    chunk_runs: int | None = None,
    trajectories: bool = True,
) -> Plan:
    """Validate a study and draw its designs; writes nothing. Raises InputError/UserError."""
    if sampler not in SAMPLERS:
        raise UserError(f"unknown sampler {sampler!r}; use one of {', '.join(SAMPLERS)}")
    if not scenarios:
        raise UserError("give at least one scenario")
    if replications is not None and not 1 <= int(replications) <= 1_000_000:
        raise UserError(f"--replications must be between 1 and 1,000,000, got {replications}")
    if seed is not None and not 0 <= int(seed) < 2**63:
        raise UserError(f"--seed must be between 0 and 2**63 - 1, got {seed}")
    if chunk_runs is not None and not 1 <= int(chunk_runs) <= 10_000_000:
        raise UserError(f"--chunk-runs must be between 1 and 10,000,000, got {chunk_runs}")
    sample_seed = 0 if seed is None else int(seed)
    plans: list[ScenarioPlan] = []
    start = 0
    for i, ref in enumerate(scenarios):
        sc, text, source = _load(ref)
        if sc.name in [p.scenario.name for p in plans]:
            raise UserError(f"scenario {sc.name!r} is given twice")
        if has_design(sc):
            design = sample(sc, samples, sampler, sample_seed)
        else:
            design = pd.DataFrame(index=pd.RangeIndex(1, name="sample"))
        R = int(replications if replications is not None else sc.replications)
        plan = ScenarioPlan(i, sc, text, source, design, R, int(sc.seed if seed is None else seed), start)
        plans.append(plan)
        start += plan.runs
    longest = max(p.scenario.horizon_months for p in plans)
    k = int(chunk_runs) if chunk_runs is not None else max(1000, DEFAULT_CHUNK_RUN_MONTHS // (longest + 1))
    p = Plan(plans, sampler, samples, sample_seed, seed, k, trajectories)
    p.chunks = _chunks(plans, k)
    return p


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


def _dict_col(index: int, n: int, names: tuple[str, ...]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(np.full(n, index, dtype=np.int8)), pa.array(list(names)))


def run_chunk(task: ChunkTask) -> tuple[pa.Table, pa.Table | None, float]:
    """Run one chunk as one model; returns (summary table, trajectories table or None, seconds)."""
    t0 = time.perf_counter()
    R = task.replications
    idx = np.arange(task.start, task.stop, dtype=np.int64)
    n = len(idx)
    j = idx // R
    rep = idx % R
    params = {k: v[j - task.sample_start] for k, v in task.params.items()} or None
    model = AllianceModel(task.scenario, seed=task.seed, replication_ids=rep, params=params, **_MODEL_KW)
    model.run()
    keys = {
        "run_id": pa.array(task.run_id_start + (idx - task.start)),
        "scenario": _dict_col(task.scenario_index, n, task.names),
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
            "scenario": _dict_col(task.scenario_index, n * T, task.names),
            "sample": pa.array(np.repeat(j.astype(np.int32), T)),
            "replication": pa.array(np.repeat(rep.astype(np.int32), T)),
            "month": pa.array(np.tile(np.arange(T, dtype=np.int16), n)),
        }
        for name, o in TRAJECTORY_OUTCOMES.items():
            a = model.outcome(name).T  # (R, T)
            cols[name] = pa.array(np.ascontiguousarray(a, dtype=np.int8 if o.discrete else np.float32).reshape(-1))
        traj = pa.Table.from_pydict(cols)
    model._rec = np.empty((0, 0, 0), dtype=np.float32)  # free the record now (Mesa keeps models)
    return summary, traj, time.perf_counter() - t0


def execute_chunk(task: ChunkTask, encode: bool = True) -> dict[str, Any]:
    """Run a chunk; with ``encode`` its tables come back as Parquet bytes (what a worker sends)."""
    tune_malloc()
    summary, traj, seconds = run_chunk(task)
    out: dict[str, Any] = {"id": task.chunk_id, "seconds": seconds, "rows": summary.num_rows,
                           "summary": summary}
    if traj is not None:
        out["trajectories"] = traj
        out["trajectory_rows"] = traj.num_rows
    return _encode(out) if encode else out


def _encode(res: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    for kind in ("summary", "trajectories"):
        if isinstance(res.get(kind), pa.Table):
            res[kind] = store.encode(res[kind])
    res["encode_seconds"] = res.get("encode_seconds", 0.0) + time.perf_counter() - t0
    return res


def _run_local(task: ChunkTask) -> dict[str, Any]:
    return execute_chunk(task, encode=False)


def _tasks(plan: Plan, chunk_ids: Iterable[int]) -> Iterator[ChunkTask]:
    names = tuple(plan.names)
    for cid in chunk_ids:
        c = plan.chunks[cid]
        s = plan.scenarios[c["scenario"]]
        j0, j1 = c["start"] // s.replications, (c["stop"] - 1) // s.replications
        params = {k: s.design[k].to_numpy(dtype=np.float64)[j0 : j1 + 1].copy() for k in s.design.columns}
        yield ChunkTask(cid, s.index, names, s.scenario, s.seed, s.replications, c["start"], c["stop"],
                        c["run_id_start"], j0, params, plan.trajectories)


# ------------------------------------------------------------------ manifest and static tables
def _versions() -> dict[str, str]:
    import platform
    from importlib import metadata

    out = {"python": platform.python_version(), "platform": platform.platform()}
    for pkg in ("alliance-balancing", "mesa", "numpy", "pandas", "pyarrow", "scipy", "pydantic"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "unknown"
    return out


def _git_commit() -> str | None:
    here = Path(__file__).resolve().parent
    try:
        res = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout.strip() or None if res.returncode == 0 else None


def new_manifest(plan: Plan, name: str) -> dict[str, Any]:
    return {
        "format": store.FORMAT, "format_version": store.FORMAT_VERSION, "name": name,
        "created": store.now(), "updated": store.now(),
        "scenarios": [
            {"index": s.index, "name": s.scenario.name, "source": s.source, "yaml": s.yaml,
             "resolved": s.scenario.model_dump(mode="json", exclude_none=True), "sha256": s.sha256,
             "samples": s.samples, "replications": s.replications, "seed": s.seed,
             "horizon_months": s.scenario.horizon_months, "runs": s.runs,
             "run_id_start": s.run_id_start, "parameters": list(s.design.columns)}
            for s in plan.scenarios
        ],
        "sampler": plan.sampler, "samples": plan.samples, "sample_seed": plan.sample_seed,
        "seed": plan.seed, "chunk_runs": plan.chunk_runs, "trajectories": plan.trajectories,
        "total_runs": plan.total_runs, "run_months": plan.run_months,
        "parameters": plan.parameters,
        "random_streams": "common random numbers: replication r uses counter-based stream r of "
                          "the scenario's seed in every sample",
        "cross_field_samples": "rejected at sampling time (the study is refused)",
        "dtypes": {"trajectory outcomes": "float32 (discrete: int8)", "summary outcomes": "model's"},
        "versions": _versions(), "git_commit": _git_commit(),
        "chunks": plan.chunks,
    }


def _static_tables(plan: Plan) -> tuple[pa.Table, Iterator[pa.Table]]:
    names = tuple(plan.names)
    cols = plan.parameters
    sample_parts = []
    for s in plan.scenarios:
        fixed = s.scenario.params()
        data: dict[str, Any] = {"scenario": _dict_col(s.index, s.samples, names),
                                "sample": pa.array(np.arange(s.samples, dtype=np.int32))}
        for c in cols:
            v = s.design[c].to_numpy(np.float64) if c in s.design else np.full(s.samples, float(fixed[c]))
            data[c] = pa.array(v)
        sample_parts.append(pa.Table.from_pydict(data))
    samples = pa.concat_tables(sample_parts)

    def runs() -> Iterator[pa.Table]:
        for s, part in zip(plan.scenarios, sample_parts, strict=False):
            R = s.replications
            step = max(1, 2_000_000 // R) * R
            for a in range(0, s.runs, step):
                idx = np.arange(a, min(a + step, s.runs), dtype=np.int64)
                j = idx // R
                data = {"run_id": pa.array(s.run_id_start + idx),
                        "scenario": _dict_col(s.index, len(idx), names),
                        "sample": pa.array(j.astype(np.int32)),
                        "replication": pa.array((idx % R).astype(np.int32))}
                for c in cols:
                    data[c] = pa.array(part.column(c).to_numpy()[j])
                yield pa.Table.from_pydict(data)

    return samples, runs()


def _write_runs(path: Path, tables: Iterator[pa.Table]) -> None:
    import pyarrow.parquet as pq

    def _w(tmp: Path) -> None:
        writer = None
        try:
            for t in tables:
                if writer is None:
                    writer = pq.ParquetWriter(tmp, t.schema, **store.PARQUET_OPTIONS)
                writer.write_table(t)
        finally:
            if writer is not None:
                writer.close()

    store._atomic(path, _w)


# ------------------------------------------------------------------ resume
def _plan_from_manifest(folder: Path, m: dict[str, Any]) -> Plan:
    samples = store._read(folder / "samples.parquet").to_pandas()
    plans = []
    for s in m["scenarios"]:
        try:
            sc = Scenario.model_validate(s["resolved"])
        except Exception as exc:  # noqa: BLE001 - reported as a user error naming the file
            raise UserError(f"{folder / store.MANIFEST}: scenario {s['name']!r} no longer validates "
                            f"with this version: {exc}") from None
        rows = samples[samples["scenario"].astype(str) == s["name"]].sort_values("sample")
        design = rows[list(s["parameters"])].reset_index(drop=True)
        design.index.name = "sample"
        plans.append(ScenarioPlan(s["index"], sc, s["yaml"], s["source"], design, s["replications"],
                                  s["seed"], s["run_id_start"]))
    plan = Plan(plans, m["sampler"], m["samples"], m["sample_seed"], m["seed"], m["chunk_runs"],
                m["trajectories"])
    plan.chunks = m["chunks"]
    return plan


def _check_resume(folder: Path, m: dict[str, Any], scenarios: Sequence[Any], **given: Any) -> None:
    if scenarios:
        have = {s["name"]: s["sha256"] for s in m["scenarios"]}
        new = []
        for ref in scenarios:
            sc, _, _ = _load(ref)
            new.append((sc.name, scenario_sha(sc)))
        if [n for n, _ in new] != list(have) or any(have.get(n) != h for n, h in new):
            raise UserError(
                f"{folder} was made from a different scenario: it holds "
                f"{', '.join(f'{n} (sha256 {h[:12]})' for n, h in have.items())}, you gave "
                f"{', '.join(f'{n} (sha256 {h[:12]})' for n, h in new)}. Start a new study "
                "(another --out) or replace it with --overwrite"
            )
    for key, value in given.items():
        if value is not None and m.get(key) != value:
            raise UserError(f"{folder} was made with {key} = {m.get(key)!r}, not {value!r}; "
                            "resume with the same settings or start a new study")


# ------------------------------------------------------------------ the batch
def default_out(names: Sequence[str]) -> Path:
    stem = "_".join(names) if len(names) <= 2 else f"{names[0]}_and_{len(names) - 1}_more"
    return Path("results") / stem[:100]


def _prepare_out(out: Path, overwrite: bool) -> None:
    if out.exists():
        if out.is_file():
            raise UserError(f"{out} is a file, not a results folder")
        if any(out.iterdir()):
            if not overwrite:
                raise UserError(f"{out} already exists; continue it with --resume {out} or replace "
                                "it with --overwrite")
            if not store.is_study(out):
                raise UserError(f"{out} is not empty and not a study; refusing to delete it")


def run_batch(
    scenarios: Sequence[str | Path | Scenario] | str | Path | Scenario | None,
    samples: int | None = None,
    replications: int | None = None,
    sampler: str | None = None,
    out: str | Path | None = None,
    seed: int | None = None,
    workers: int | None = None,
    scheduler: Any = None,
    dask_local: int | None = None,
    chunk_runs: int | None = None,
    overwrite: bool = False,
    resume: bool = False,
    progress: bool = True,
    trajectories: bool = True,
    on_chunk: Callable[[dict[str, Any]], None] | None = None,
) -> store.Study:
    """Run a study (or resume one) and return it as a ``Study``.

    Args:
        scenarios: scenario names, files or Scenario objects (optional with ``resume``).
        samples: samples per scenario (see ``sampling.sample``).
        replications: runs per sample (default: each scenario's ``replications``).
        sampler: ``lhs`` (default), ``sobol``, ``mc`` or ``grid``.
        out: results folder (default ``results/<scenario names>``).
        seed: seed for the sampler and the model (default: sampler 0, model: each scenario's).
        workers: local worker processes (None or 1: in-process).
        scheduler: a Dask scheduler address (``tcp://host:port``) or a ``distributed.Client``.
        dask_local: start a local Dask cluster with this many worker processes.
        chunk_runs: runs per chunk (default: ~375,000 run-months per chunk).
        overwrite: replace an existing study at ``out``.
        resume: continue the study at ``out``; finished chunks are kept.
        progress: show a progress bar with rate and ETA (stderr).
        trajectories: store per-month trajectories (summaries and runs are always stored).
        on_chunk: called with each finished chunk's manifest entry (for tests and notebooks).
    """
    if isinstance(scenarios, (str, Path, Scenario)):
        scenarios = [scenarios]
    scenarios = list(scenarios or [])
    check_options(workers, scheduler, dask_local)
    if resume:
        if out is None:
            raise UserError("--resume needs the study folder")
        folder = Path(out)
        m = store.read_manifest(folder)
        _check_resume(folder, m, scenarios, sampler=sampler, samples=samples, sample_seed=seed,
                      chunk_runs=chunk_runs)
        plan = _plan_from_manifest(folder, m)
        if replications is not None and any(s.replications != replications for s in plan.scenarios):
            raise UserError(f"{folder} was made with other replications; resume with the same settings")
        executor = make_executor(workers, scheduler, dask_local)
        for stray in list(folder.glob(".*.tmp")) + list(folder.glob("*/.*.tmp")):
            stray.unlink(missing_ok=True)
        for cid, problem in store.Study(folder, m).check(read=True):
            print(f"redoing chunk {cid}: {problem}", file=sys.stderr)
            m["chunks"][cid]["status"] = "pending"
    else:
        plan = plan_study(scenarios, samples, replications, sampler or "lhs", seed, chunk_runs, trajectories)
        folder = Path(out) if out is not None else default_out(plan.names)
        _prepare_out(folder, overwrite)
        executor = make_executor(workers, scheduler, dask_local)  # fails before anything is written
        created = not folder.exists()
        try:
            if folder.exists() and overwrite and store.is_study(folder):
                shutil.rmtree(folder)
                created = True
            folder.mkdir(parents=True, exist_ok=True)
            m = new_manifest(plan, folder.name)
            samples_tab, runs_tabs = _static_tables(plan)
            store.write_table(folder / "samples.parquet", samples_tab)
            _write_runs(folder / "runs.parquet", runs_tabs)
            (folder / "summary").mkdir(exist_ok=True)
            if plan.trajectories:
                (folder / "trajectories").mkdir(exist_ok=True)
            store.write_manifest(folder, m)
        except BaseException:
            executor.close()
            if created:
                shutil.rmtree(folder, ignore_errors=True)
            raise
    todo = [c["id"] for c in m["chunks"] if c["status"] != "done"]
    done_runs = sum(c["stop"] - c["start"] for c in m["chunks"] if c["status"] == "done")
    # in-process: encoding and writing overlap the next chunk's model run (a writer thread);
    # elsewhere the workers encode and the driver only writes bytes
    fn = _run_local if isinstance(executor, InProcess) else execute_chunk
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alliance-writer")
    session = {"started": store.now(), "executor": executor.describe(), "chunks": len(todo),
               "runs": sum(m["chunks"][i]["stop"] - m["chunks"][i]["start"] for i in todo), "seconds": None}
    m.setdefault("sessions", []).append(session)
    t_start = time.perf_counter()
    try:
        with _Progress(progress, plan.total_runs, done_runs, executor.describe()) as bar:

            def finish(res: dict[str, Any]) -> None:
                _encode(res)
                entry = m["chunks"][res["id"]]
                fname = store.chunk_name(res["id"])
                entry["summary"] = {"file": fname, "rows": res["rows"], "bytes": store.write_bytes(
                    folder / "summary" / fname, memoryview(res["summary"]))}
                if "trajectories" in res:
                    entry["trajectories"] = {"file": fname, "rows": res["trajectory_rows"], "bytes": store.write_bytes(
                        folder / "trajectories" / fname, memoryview(res["trajectories"]))}
                entry.update(status="done", seconds=round(res["seconds"], 3),
                             encode_seconds=round(res["encode_seconds"], 3), finished=store.now())
                store.write_manifest(folder, m)
                bar.advance(entry["stop"] - entry["start"])
                if on_chunk is not None:
                    on_chunk(entry)

            writing: Future | None = None
            for res in executor.imap_unordered(fn, _tasks(plan, todo)):
                if writing is not None:
                    writing.result()  # at most one chunk waits to be written: memory stays flat
                writing = writer.submit(finish, res)
            if writing is not None:
                writing.result()
        session["seconds"] = round(time.perf_counter() - t_start, 3)
        store.write_manifest(folder, m)
    except KeyboardInterrupt:
        print(f"interrupted; finished chunks are kept. Continue with: alliance batch --resume {folder}",
              file=sys.stderr)
        raise
    finally:
        writer.shutdown(wait=True)
        executor.close()
    return store.load_results(folder)


def estimate(plan: Plan, workers: int = 1, calibrate_runs: int = 2000) -> dict[str, float]:
    """Estimated seconds and bytes of a plan, from a small calibration chunk run in-process."""
    s = plan.scenarios[0]
    n = min(calibrate_runs, s.runs)
    c = {"id": 0, "scenario": 0, "start": 0, "stop": n, "run_id_start": 0, "status": "pending"}
    probe = Plan(plan.scenarios, plan.sampler, plan.samples, plan.sample_seed, plan.seed, n,
                 plan.trajectories, [c])
    res = execute_chunk(next(_tasks(probe, [0])))
    per_run_month = res["seconds"] / (n * s.scenario.horizon_months)
    bytes_per_run = (len(res["summary"]) + len(res.get("trajectories", b""))) / n
    scale = sum(p.runs * (p.scenario.horizon_months + 1) for p in plan.scenarios) / max(
        1, plan.total_runs * (s.scenario.horizon_months + 1))
    eff = 1.0 if workers <= 1 else 0.85 * workers
    return {"runs": plan.total_runs, "run_months": plan.run_months, "chunks": len(plan.chunks),
            "seconds": plan.run_months * per_run_month / eff,
            "bytes": bytes_per_run * plan.total_runs * scale + 40 * plan.total_runs}


class _Progress:
    """A rich progress bar over runs (rate and ETA), or nothing."""

    def __init__(self, enabled: bool, total: int, done: int, where: str) -> None:
        self.enabled, self.total, self.done, self.where = enabled, total, done, where
        self._p: Any = None

    def __enter__(self) -> "_Progress":
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                ProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.text import Text

            from .cli_app import err_console

            class Rate(ProgressColumn):
                def render(self, task: Any) -> Text:
                    return Text(f"{task.speed:,.0f} runs/s" if task.speed else "… runs/s")

            self._p = Progress(TextColumn("[bold]runs"), BarColumn(), MofNCompleteColumn(), Rate(),
                               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                               console=err_console, transient=False)
            self._p.start()
            self._t = self._p.add_task(self.where, total=self.total, completed=self.done)
        return self

    def advance(self, n: int) -> None:
        if self._p is not None:
            self._p.advance(self._t, n)

    def __exit__(self, *exc: Any) -> None:
        if self._p is not None:
            self._p.stop()


__all__ = ["run_batch", "plan_study", "estimate", "run_chunk", "execute_chunk", "ChunkTask", "Plan",
           "scenario_sha", "default_out"]
