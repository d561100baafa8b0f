"""`alliance calibrate`: ABC-SMC posterior of the A- and R-class parameters against episodes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from alliance.analysis.defaults import CV_SETTINGS, RECOMMENDED, Settings
from alliance.cli.common import MAX_SEED, RichProgress, console, user_errors
from alliance.errors import UserError
from alliance.model.posterior import save_posterior
from alliance.study.fileio import check_writable

MAX_FIT_SEED = MAX_SEED // 1000
"""Largest ``--seed`` of a fit: generation g, batch b simulates with seed × 1000 + 100 g + b."""

if TYPE_CHECKING:  # pragma: no cover
    from alliance.analysis.hindcast import EpisodeSet

# The analysis modules (scipy.stats, the ensemble machinery) are imported when a command runs,
# not when the command line starts: `alliance run` does not pay for `calibrate` and `validate`.
__all__ = ["CV_SETTINGS", "MAX_FIT_SEED", "calibrate_cmd", "register", "run_cross_validation"]


def run_cross_validation(eps: EpisodeSet, settings: Settings, replications: int, seeds: int,
                         seed: int | None, out: Path | None, **executor: object) -> dict:
    """Leave-one-episode-out predictions, summarised like the in-sample ones (with references)."""
    from alliance.analysis.crossval import cross_validate
    from alliance.analysis.hindcast import summarize

    checkpoints = None
    if out is not None:
        checkpoints = out.with_name(out.stem + "_folds")
        checkpoints.mkdir(parents=True, exist_ok=True)
    cv = cross_validate(eps, settings, replications, seeds, seed, checkpoints=checkpoints,
                        log=lambda m: console.print(m, highlight=False), **executor)
    summary = summarize(eps, cv.runs, None, extra={"discrepancy": cv.pooled()})
    summary["discrepancy_weights"] = cv.discrepancy
    return summary


@user_errors
def calibrate_cmd(
    episodes: Annotated[Path, typer.Argument(help="folder (or file) of episode files")],
    out: Annotated[Path, typer.Option("--out", help="posterior file to write (.json)")],
    particles: Annotated[int, typer.Option("--particles", min=4)] = RECOMMENDED.particles,
    replications: Annotated[int, typer.Option("--replications", "-r", min=1,
                                              help="runs per particle and episode")] = RECOMMENDED.replications,
    generations: Annotated[int, typer.Option("--generations", min=1, max=50)] = RECOMMENDED.generations,
    quantile: Annotated[float, typer.Option("--quantile", min=0.05, max=0.95)] = RECOMMENDED.quantile,
    seed: Annotated[int, typer.Option("--seed", min=0, max=MAX_FIT_SEED)] = RECOMMENDED.seed,
    param: Annotated[list[str] | None, typer.Option(
        "--param", help="calibrate only these parameters (default: every A- and R-class one)")] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="local worker processes")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address")] = None,
    dask_local: Annotated[int | None, typer.Option("--dask-local", min=1,
                                                   help="start a local Dask cluster")] = None,
) -> None:
    """Fit a posterior (ABC-SMC) to an episode set; resumes from OUT.checkpoint.json."""
    from alliance.analysis.calibrate import calibrate, prior_box
    from alliance.analysis.hindcast import EpisodeSet

    if out.suffix.lower() != ".json":
        raise UserError(f"{out}: --out must end in .json")
    try:
        prior_box(param or None)
    except ValueError as exc:
        raise UserError(f"--param: {exc}") from None
    checkpoint = out.with_name(out.stem + ".checkpoint.json")
    check_writable(out, checkpoint)
    eps = EpisodeSet.load([episodes])
    settings = Settings(particles, replications, generations, quantile, RECOMMENDED.max_batches, seed)
    t0 = time.perf_counter()
    post = calibrate(eps, settings, names=param or None, checkpoint=checkpoint,
                     progress=RichProgress(), log=lambda m: console.print(m, highlight=False),
                     workers=workers, scheduler=scheduler, dask_local=dask_local)
    wall = time.perf_counter() - t0
    post.meta["wall_seconds"] = wall
    save_posterior(post, out)
    checkpoint.unlink(missing_ok=True)  # finished: nothing left to resume
    console.print(f"wrote {out}: {len(post.names)} parameters, {len(post.weights)} particles, "
                  f"{len(eps.scenarios)} episodes; wall time {wall:.1f} s", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `alliance` application."""
    app.command(name="calibrate")(calibrate_cmd)
