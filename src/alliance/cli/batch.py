"""`alliance batch` (run or resume a study) and `alliance results list|show` (stored studies)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from alliance.cli.common import NotesOnly, RichProgress, console, styled, user_errors
from alliance.errors import UserError
from alliance.model.posterior import load_posterior

results_app = typer.Typer(help="List and summarise stored studies (results/NAME).", no_args_is_help=True)


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _human(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"  # pragma: no cover


def _duration(s: float) -> str:
    if s < 10:
        return f"{s:.1f} s"
    if s < 60:
        return f"{s:.0f} s"
    if s < 3600:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.1f} h"


@user_errors
def batch(
    scenarios: list[str] | None = typer.Argument(None, help="scenario files or shipped names"),
    samples: int | None = typer.Option(None, "--samples", "-n",
                                          help="samples per scenario (grid: levels per continuous uncertainty)"),
    replications: int | None = typer.Option(None, "--replications", "-r",
                                               help="replications per sample (default: the scenario's)"),
    sampler: str | None = typer.Option(None, "--sampler", help="lhs (default), sobol, mc or grid"),
    out: Path | None = typer.Option(None, "--out", help="results folder (default results/<scenarios>)"),
    seed: int | None = typer.Option(None, "--seed",
                                       help="seed of sampler and model (default: 0 and each scenario's)"),
    workers: int | None = typer.Option(None, "--workers", help="local worker processes"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler, tcp://HOST:PORT"),
    dask_local: int | None = typer.Option(None, "--dask-local", help="start a local Dask cluster of N workers"),
    chunk_runs: int | None = typer.Option(None, "--chunk-runs", help="runs per chunk (task)"),
    resume: Path | None = typer.Option(None, "--resume", help="continue the study in this folder"),
    overwrite: bool = typer.Option(False, "--overwrite", help="replace an existing study at --out"),
    dry_run: bool = typer.Option(False, "--dry-run", help="print runs, estimated time and disk; run nothing"),
    no_trajectories: bool = typer.Option(False, "--no-trajectories", help="store summaries only"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="show a progress bar"),
    posterior: Path | None = typer.Option(None, "--posterior", help="draw each replication's other "
                                          "parameters from this posterior (alliance calibrate)"),
) -> None:
    """Run scenarios × samples × replications as one study into a resumable Parquet store."""
    from alliance.study.batch import estimate, plan_study, run_batch

    if resume is not None and out is not None and Path(out) != Path(resume):
        raise UserError("give the study folder once: --resume FOLDER (without --out)")
    if resume is None and not scenarios:
        raise UserError("give one or more scenarios, or --resume FOLDER")
    if dry_run:
        if resume is not None:
            raise UserError("--dry-run plans a new study; it does not apply to --resume")
        plan = plan_study(scenarios or [], samples, replications, sampler or "lhs", seed, chunk_runs,
                          not no_trajectories)
        n_workers = workers or dask_local or 1
        est = estimate(plan, workers=n_workers)
        t = Table(title="dry run: nothing was run or written")
        t.add_column("scenario")
        t.add_column("samples", justify="right")
        t.add_column("replications", justify="right")
        t.add_column("runs", justify="right")
        t.add_column("months", justify="right")
        for s in plan.scenarios:
            t.add_row(s.scenario.name, f"{s.samples:,}", f"{s.replications:,}", f"{s.runs:,}",
                      str(s.scenario.horizon_months))
        console.print(t)
        console.print(f"{est['runs']:,} runs ({est['run_months']:,} run-months) in {est['chunks']:,} chunks "
                      f"of up to {plan.chunk_runs:,} runs; estimated time {_duration(est['seconds'])} "
                      f"with {n_workers} worker(s), disk about {_human(est['bytes'])}", highlight=False)
        if scheduler is not None:
            console.print("(time estimated for one local core; a cluster divides it by its workers)")
        return
    study = run_batch(
        scenarios or [], samples=samples, replications=replications, sampler=sampler,
        out=resume if resume is not None else out, seed=seed, workers=workers, scheduler=scheduler,
        dask_local=dask_local, chunk_runs=chunk_runs, overwrite=overwrite, resume=resume is not None,
        progress=RichProgress() if progress else NotesOnly(), trajectories=not no_trajectories,
        posterior=None if posterior is None else load_posterior(posterior),
    )
    console.print(f"wrote {study.path}: {study.runs_done:,} runs of {', '.join(study.scenarios)} "
                  f"({_human(_size(study.path))})", highlight=False)


@results_app.command("list")
@user_errors
def results_list(root: Path = typer.Option(Path("results"), "--root", help="folder holding studies")) -> None:
    """List the studies stored under results/."""
    from alliance.study.store import damaged_studies, list_studies

    if root.exists() and not root.is_dir():
        raise UserError(f"--root {root}: not a folder")
    studies = list_studies(root)
    for exc in damaged_studies(root):
        console.print(styled(("damaged:", "bold red"), f" {exc.format()}"), highlight=False, soft_wrap=True)
    if not studies:
        console.print(f"no studies under {root}/ (run `alliance batch`)")
        return
    t = Table(title=f"studies in {root}/", title_justify="left")
    for c in ("name", "scenarios", "sampler", "runs", "done", "created", "size"):
        t.add_column(c, justify="right" if c in ("runs", "size") else "left", overflow="fold")
    for s in studies:
        m = s.manifest
        done = "yes" if s.complete else f"{s.runs_done / max(1, s.runs_total):.0%}"
        t.add_row(s.path.name, ", ".join(s.scenarios), str(m.get("sampler")), f"{s.runs_total:,}", done,
                  str(m.get("created", ""))[:16].replace("T", " "), _human(_size(s.path)))
    console.print(t)


@results_app.command("show")
@user_errors
def results_show(
    name: str = typer.Argument(..., help="study folder, or its name under results/"),
    verify: bool = typer.Option(False, "--verify", help="read every chunk file and report damage"),
) -> None:
    """Summarise a stored study: its settings, progress and headline outcomes per scenario."""
    from alliance.analysis.tables import summary_table
    from alliance.study.store import load_results

    study = load_results(name, skip_corrupt=True)
    m = study.manifest
    console.print(styled((str(study.path), "bold"), f": {', '.join(study.scenarios)}; sampler {m['sampler']}, "
                  f"samples {m['samples']}, seed {m['seed']} (sampler seed {m['sample_seed']}); "
                  f"{study.runs_done:,} of {study.runs_total:,} runs done"
                  + ("" if study.complete else f" — continue with: alliance batch --resume {study.path}")),
                  highlight=False)
    v = m.get("versions", {})
    console.print(f"made {m.get('created')} with alliance {v.get('alliance-balancing')}, Python "
                  f"{v.get('python')}, Mesa {v.get('mesa')}, numpy {v.get('numpy')}; git "
                  f"{(m.get('git_commit') or 'unknown')[:12]}", highlight=False)
    if m.get("parameters"):
        console.print(f"varied parameters: {', '.join(m['parameters'])}", highlight=False)
    problems = [msg for _, msg in study.check()] if verify else []
    summary = study.summary
    problems = list(dict.fromkeys(study.problems + problems))
    for s in study.scenarios:
        part = summary[summary["scenario"].astype(str) == s]
        if part.empty:
            continue
        t = Table(title=f"{s}: {len(part):,} runs")
        t.add_column("outcome")
        t.add_column("value", justify="right")
        for k, val in summary_table(part).items():
            t.add_row(k, val)
        console.print(t)
    if problems:
        for p in problems:
            console.print(styled(("damaged:", "bold red"), f" {p}"), highlight=False)
        raise UserError(f"{len(problems)} damaged file(s) in {study.path}; the rest was read. "
                        f"`alliance batch --resume {study.path}` reruns damaged chunks and rebuilds "
                        "runs.parquet")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `alliance` application."""
    app.command()(batch)
    app.add_typer(results_app, name="results")
