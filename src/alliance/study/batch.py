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

The plan and the manifest live in ``plan.py``, one chunk's run in ``chunks.py``, the executors in
``executors.py`` and the store in ``store.py``; this module drives a study through them.

Executors: in-process (default), local processes (``workers=N``), Dask distributed
(``scheduler="tcp://host:port"`` or a ``distributed.Client``, or ``dask_local=N``). Workers
return Parquet bytes; only the driver writes files, so Dask workers need no shared disk.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from alliance.errors import UserError
from alliance.model.posterior import Posterior
from alliance.model.scenario import Scenario
from alliance.study import recovery, store
from alliance.study.chunks import (
    ChunkTask,
    chunk_tasks,
    encode_result,
    execute_chunk,
    run_chunk,
    run_local,
    warm_worker,
)
from alliance.study.executors import InProcess, check_options, make_executor
from alliance.study.fileio import DiskFull, check_writable
from alliance.study.plan import (
    Plan,
    load_ref,
    new_manifest,
    plan_from_manifest,
    plan_study,
    scenario_sha,
    static_tables,
    write_runs,
)
from alliance.study.progress import Progress, as_progress


def _check_resume(folder: Path, m: dict[str, Any], scenarios: Sequence[Any], **given: Any) -> None:
    if scenarios:
        have = {s["name"]: s["sha256"] for s in m["scenarios"]}
        new = []
        for ref in scenarios:
            sc, _, _ = load_ref(ref)
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


def _prepare_out(out: Path, overwrite: bool, note: Callable[[str], None]) -> None:
    if out.exists():
        if out.is_file():
            raise UserError(f"{out} is a file, not a results folder")
        if recovery.interrupted_setup(out):
            note(f"{out}: replacing what an interrupted setup left (no run had finished)")
            return
        if any(out.iterdir()):
            if not overwrite:
                raise UserError(f"{out} already exists; continue it with --resume {out} or replace "
                                "it with --overwrite")
            if not recovery.replaceable(out):
                raise UserError(f"{out} is not empty and not a study; refusing to delete it")


def _setup(folder: Path, plan: Plan) -> dict[str, Any]:
    """Write a new study into a hidden folder, then rename it into place: atomic."""
    tmp = recovery.setup_folder(folder)
    try:
        m = new_manifest(plan, folder.name)
        samples_tab, runs_tabs = static_tables(plan)
        store.write_table(tmp / "samples.parquet", samples_tab)
        write_runs(tmp / "runs.parquet", runs_tabs)
        (tmp / "summary").mkdir()
        if plan.trajectories:
            (tmp / "trajectories").mkdir()
        m["files"] = recovery.static_records(tmp)
        recovery.write_plan(tmp, m)
        store.write_manifest(tmp, m)
        recovery.commit_setup(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return m


def _resume_checks(folder: Path, m: dict[str, Any], plan: Plan, note: Callable[[str], None]) -> None:
    """Check every file resuming relies on; rebuild runs.parquet, mark damaged chunks pending."""
    for cid, problem in store.Study(folder, m).check(read=True):
        if cid is not None:
            note(f"redoing chunk {cid}: {problem}")
            m["chunks"][cid]["status"] = "pending"
        elif "runs.parquet" in problem.split(":", 1)[0]:
            note(f"rebuilding runs.parquet: {problem}")
            write_runs(folder / "runs.parquet", static_tables(plan)[1])
            m["files"] = recovery.static_records(folder)
        else:
            raise UserError(f"cannot resume: {problem}; the study's design is lost, start it again "
                            "with --overwrite")


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
    progress: Progress | bool | None = None,
    trajectories: bool = True,
    on_chunk: Callable[[dict[str, Any]], None] | None = None,
    posterior: Posterior | None = None,
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
        progress: where to report runs done and notes (the CLI passes a rich bar); None: silent.
        trajectories: store per-month trajectories (summaries and runs are always stored).
        on_chunk: called with each finished chunk's manifest entry (for tests and notebooks).
        posterior: draw every parameter the design and the scenario leave at its default from
            this posterior, per replication (kept in the manifest; a resume reuses it).
    """
    if isinstance(scenarios, (str, Path, Scenario)):
        scenarios = [scenarios]
    scenarios = list(scenarios or [])
    check_options(workers, scheduler, dask_local)
    report = as_progress(progress)
    if resume:
        if out is None:
            raise UserError("--resume needs the study folder")
        folder = Path(out)
        m = recovery.open_manifest(folder, report.note)
        _check_resume(folder, m, scenarios, sampler=sampler, samples=samples, sample_seed=seed,
                      chunk_runs=chunk_runs)
        sample_problem = recovery.static_problems(folder, m).get("samples.parquet")
        if sample_problem:
            raise UserError(f"cannot resume: {sample_problem}; the study's design is lost, start "
                            "it again with --overwrite")
        plan = plan_from_manifest(folder, m)
        if posterior is not None and (plan.posterior is None
                                      or plan.posterior.to_json() != posterior.to_json()):
            raise UserError(f"{folder} was made with another posterior (or none); resume without "
                            "--posterior or with the same file")
        if replications is not None and any(s.replications != replications for s in plan.scenarios):
            raise UserError(f"{folder} was made with other replications; resume with the same settings")
        executor = make_executor(workers, scheduler, dask_local, note=report.note, warm=warm_worker)
        for stray in list(folder.glob(".*.tmp")) + list(folder.glob("*/.*.tmp")):
            stray.unlink(missing_ok=True)
        _resume_checks(folder, m, plan, report.note)
    else:
        plan = plan_study(scenarios, samples, replications, sampler or "lhs", seed, chunk_runs, trajectories)
        plan.posterior = posterior
        folder = Path(out) if out is not None else default_out(plan.names)
        check_writable(folder.parent, folder=True, named=folder)  # the study is set up beside it, then renamed
        _prepare_out(folder, overwrite, report.note)
        executor = make_executor(workers, scheduler, dask_local, note=report.note, warm=warm_worker)  # fails before anything is written
        try:
            m = _setup(folder, plan)
        except BaseException:
            executor.close()
            raise
    todo = [c["id"] for c in m["chunks"] if c["status"] != "done"]
    done_runs = sum(c["stop"] - c["start"] for c in m["chunks"] if c["status"] == "done")
    # in-process: encoding and writing overlap the next chunk's model run (a writer thread);
    # elsewhere the workers encode and the driver only writes bytes
    fn = run_local if isinstance(executor, InProcess) else execute_chunk
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alliance-writer")
    session = {"started": store.now(), "executor": executor.describe(), "chunks": len(todo),
               "runs": sum(m["chunks"][i]["stop"] - m["chunks"][i]["start"] for i in todo), "seconds": None}
    m.setdefault("sessions", []).append(session)
    t_start = time.perf_counter()
    try:
        report.start(plan.total_runs, done_runs, executor.describe())
        try:

            def finish(res: dict[str, Any]) -> None:
                encode_result(res)
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
                report.advance(entry["stop"] - entry["start"])
                if on_chunk is not None:
                    on_chunk(entry)

            writing: Future | None = None
            for res in executor.imap_unordered(fn, chunk_tasks(plan, todo)):
                if writing is not None:
                    writing.result()  # at most one chunk waits to be written: memory stays flat
                writing = writer.submit(finish, res)
            if writing is not None:
                writing.result()
        finally:
            report.stop()
        session["seconds"] = round(time.perf_counter() - t_start, 3)
        store.write_manifest(folder, m)
    except KeyboardInterrupt:
        report.note(f"interrupted; finished chunks are kept. Continue with: alliance batch --resume {folder}")
        raise
    except DiskFull as exc:
        raise UserError(f"{exc} Finished chunks are kept; free some space and continue with: "
                        f"alliance batch --resume {folder}") from None
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
    res = execute_chunk(next(chunk_tasks(probe, [0])))
    per_run_month = res["seconds"] / (n * s.scenario.horizon_months)
    bytes_per_run = (len(res["summary"]) + len(res.get("trajectories", b""))) / n
    scale = sum(p.runs * (p.scenario.horizon_months + 1) for p in plan.scenarios) / max(
        1, plan.total_runs * (s.scenario.horizon_months + 1))
    eff = 1.0 if workers <= 1 else 0.85 * workers
    return {"runs": plan.total_runs, "run_months": plan.run_months, "chunks": len(plan.chunks),
            "seconds": plan.run_months * per_run_month / eff,
            "bytes": bytes_per_run * plan.total_runs * scale + 40 * plan.total_runs}


__all__ = [
    "ChunkTask",
    "Plan",
    "default_out",
    "estimate",
    "execute_chunk",
    "plan_study",
    "run_batch",
    "run_chunk",
    "scenario_sha",
]
