"""`alliance compare`, `alliance map`, `alliance sensitivity` and `alliance report`.

Each command reads its inputs, runs the analysis modules (compare, tipping, sensitivity, report),
prints a short table, and writes its files atomically. Bad input (not a study, unknown outcome or
parameter, a grid over the limit without --force) prints one message and exits with code 2.
"""

from __future__ import annotations

import html
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import typer
from rich.table import Table

from alliance.analysis.measures import known_measures, parse_measure, parse_measures
from alliance.cli.common import MAX_SEED, console, err_console, raw_probabilities_note, styled, user_errors
from alliance.errors import UserError
from alliance.model.assignments import parse_assignments
from alliance.model.scenario_files import load_scenario
from alliance.study.fileio import atomic_write, check_writable

_OUTCOME_HELP = "outcome: a summary outcome, X_by:N (e.g. sanctions_by:24) or NAME>=V (repeatable)"


def _workers(n: int | None, scheduler: str | None = None, dask_local: int | None = None) -> int | None:
    """Local processes: as given, else none on a Dask cluster, else up to 2."""
    if n is None and (scheduler is not None or dask_local is not None):
        return None
    return max(1, min(2, os.cpu_count() or 1)) if n is None else n


_SCHEDULER_HELP = "run the ensembles on the Dask scheduler at tcp://HOST:PORT"
_DASK_LOCAL_HELP = "run the ensembles on a local Dask cluster of N workers"


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A transient progress bar on stderr, updated by ``tick(done, total)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield tick


def _option(option: str, parse: Callable[..., object], *args: object) -> Any:
    """``parse(*args)``, with a refusal naming the ``option`` it came from."""
    try:
        return parse(*args)
    except UserError as exc:
        raise UserError(f"{option}: {exc}") from None


def _csv(df: pd.DataFrame, path: Path) -> None:
    atomic_write(path, lambda tmp: df.to_csv(tmp, index=False))


def _check_posterior(results: list[Path], posterior: Path) -> None:
    """Every study in ``results`` ran with the posterior in ``posterior`` (else UserError)."""
    from alliance.model.posterior import load_posterior
    from alliance.study.store import read_manifest

    want = load_posterior(posterior).to_json()
    for folder in results:
        got = read_manifest(folder).get("posterior")
        if got != want:
            raise UserError(f"{folder}: this study was not run with --posterior {posterior} "
                            f"({'no posterior' if got is None else 'another posterior'}); "
                            "rerun it with alliance batch --posterior")


@user_errors
def compare(
    results: list[Path] = typer.Argument(..., help="results folders (studies) to compare"),
    reference: str | None = typer.Option(None, "--reference", help="reference scenario or folder "
                                            "(default: the first scenario)"),
    outcome: list[str] = typer.Option([], "--outcome", help=_OUTCOME_HELP),
    out: Path = typer.Option(Path("comparison"), "--out", "-o", help="folder for comparison.csv and .html"),
    boot: int = typer.Option(2000, "--boot", min=100, max=100_000, help="bootstrap resamples"),
    seed: int = typer.Option(0, "--seed", min=0, max=MAX_SEED, help="seed of the bootstrap"),
    posterior: Path | None = typer.Option(None, "--posterior", help="require every study to have "
                                          "drawn its parameters from this posterior (batch --posterior)"),
) -> None:
    """Compare scenarios: key findings, outcomes with intervals, differences from a reference."""
    if posterior is not None:
        _check_posterior(results, posterior)
        from alliance.model.posterior import load_posterior

        err_console.print(raw_probabilities_note(load_posterior(posterior), posterior), highlight=False,
                          soft_wrap=True)
    from alliance.analysis.compare import load_studies, measure_values, outcome_table, resolve_reference
    from alliance.analysis.findings import key_findings
    from alliance.analysis.page import write_page
    from alliance.analysis.report_parts import compare_page

    check_writable(out, folder=True)
    measures = parse_measures(outcome or ["sanctions_ever", "sanctions_by:24", "military_ever",
                                          "final_alignment", "final_coop_energy"])
    comb = load_studies(results)
    ref = resolve_reference(reference, comb.scenarios, comb.folder_of)
    values = measure_values(comb.summary, measures, comb.trajectories)
    table = outcome_table(values, measures, ref, n_boot=boot, seed=seed)
    multi = len(comb.scenarios) > 1
    console.print(styled((f"{len(comb.summary):,} runs; reference {ref}", "bold")), highlight=False)
    for line in key_findings(table, ref if multi else None):
        console.print(f"- {line}", highlight=False)
    print_outcomes(table, ref if multi else None)
    page = compare_page(comb, table, ref)
    _csv(table, out / "comparison.csv")
    write_page(page, out / "comparison.html")
    console.print(f"wrote {out / 'comparison.csv'} and {out / 'comparison.html'}", highlight=False)


def print_outcomes(table: pd.DataFrame, reference: str | None) -> None:
    """One narrow table per outcome (scenarios as rows), so nothing wraps at 80 columns."""
    from rich import box

    from alliance.analysis import labels
    from alliance.analysis.findings import events_k

    for o in dict.fromkeys(table["outcome"]):
        part = table[table["outcome"] == o]
        t = Table(title=str(part["title"].iloc[0]), box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
        t.add_column("scenario", no_wrap=True)
        t.add_column("estimate\n[95 % interval]", no_wrap=True)
        if reference is not None:
            t.add_column(f"vs {reference}" + (" (points)" if bool(part["binary"].iloc[0]) else "")
                         + "\n[95 % interval]", no_wrap=True)
        for r in part.itertuples(index=False):
            k = events_k(r) if r.binary else None
            cells = [str(r.scenario), labels.estimate_text(r.estimate, r.lo, r.hi, bool(r.binary), k, int(r.n))
                     .replace(" [", "\n[")]
            if reference is not None:
                scale = 100 if r.binary else 1
                cells.append("reference" if r.scenario == reference else
                             f"{labels.sig(scale * r.diff, signed=True)}" + (" *" if r.significant else "")
                             + f"\n[{labels.sig(scale * r.diff_lo, signed=True)}, {labels.sig(scale * r.diff_hi, signed=True)}]")
            t.add_row(*cells)
        console.print(t)


@user_errors
def map_(
    scenario: str = typer.Argument(..., help="scenario file or shipped name"),
    x: str = typer.Option(..., "--x", help="parameter on the x axis (dotted name)"),
    y: str = typer.Option(..., "--y", help="parameter on the y axis (dotted name)"),
    grid: str = typer.Option("40x40", "--grid", help="grid points NXxNY"),
    replications: int = typer.Option(200, "--replications", "-r", min=2, max=100_000),
    outcome: str = typer.Option("sanctions_ever", "--outcome", help=_OUTCOME_HELP),
    x_range: str | None = typer.Option(None, "--x-range", help="LOW:HIGH (default: the scenario's "
                                          "uncertainty range, else the parameter's range)"),
    y_range: str | None = typer.Option(None, "--y-range", help="LOW:HIGH"),
    level: float = typer.Option(0.5, "--level", help="contour level (a probability for 0/1 outcomes)"),
    seed: int | None = typer.Option(None, "--seed", min=0, max=MAX_SEED),
    set_: list[str] = typer.Option([], "--set", help="override a parameter: path=value (repeatable)"),
    workers: int | None = typer.Option(None, "--workers", min=1, max=64, help="local processes (default 2)"),
    scheduler: str | None = typer.Option(None, "--scheduler", help=_SCHEDULER_HELP),
    dask_local: int | None = typer.Option(None, "--dask-local", help=_DASK_LOCAL_HELP),
    force: bool = typer.Option(False, "--force", help="allow a grid over the size limit"),
    refine: int = typer.Option(0, "--refine", min=0, max=4, help="rounds of halving the grid spacing, "
                               "running only the new points next to the boundary"),
    out: Path | None = typer.Option(None, "--out", "-o", help="folder for map.csv and map.html"),
    png: Path | None = typer.Option(None, "--png", help="also write map.png into this folder"),
) -> None:
    """Tipping-point map: probability of an outcome over a grid of two parameters."""
    from alliance.analysis.page import Page, write_page, write_pngs
    from alliance.analysis.tipping import axis_values, parse_grid, parse_range, tipping_map

    measure = parse_measure(outcome)
    sc = load_scenario(scenario, parse_assignments(set_))
    folder = out or Path("maps") / f"{sc.name}__{x}__{y}"
    check_writable(folder, folder=True)
    check_writable(png, folder=True)
    nx, ny = parse_grid(grid)
    axis_values(sc, x, 2, None)
    axis_values(sc, y, 2, None)
    x_bounds, y_bounds = (_option(opt, parse_range, text, name)
                          for opt, text, name in (("--x-range", x_range, x), ("--y-range", y_range, y)))
    t0 = time.perf_counter()
    with _progress("map chunks") as tick:
        m = tipping_map(sc, x, y, (nx, ny), replications, measure, seed, x_bounds, y_bounds, level=level,
                        workers=_workers(workers, scheduler, dask_local), force=force, refine=refine,
                        progress=tick, scheduler=scheduler, dask_local=dask_local)
    secs = time.perf_counter() - t0
    if not np.isfinite(m.p).any():
        from alliance.model.parameters import cross_check

        why = cross_check({**sc.params(), x: float(m.xs[0]), y: float(m.ys[0])})
        raise UserError(f"{sc.name}: every one of the {m.p.size} cells of the map breaks a cross-field rule of "
                        f"the model{f' (e.g. {why[0]})' if why else ''}, so nothing was run or written; "
                        "narrow --x-range/--y-range")
    runs = int((m.computed & np.isfinite(m.p)).sum()) * replications if m.computed is not None else \
        int(np.isfinite(m.p).sum()) * replications
    console.print(f"{sc.name}: {m.p.shape[1]}x{m.p.shape[0]} grid × {replications} replications = "
                  f"{runs:,} runs in {secs:.1f} s", highlight=False)
    if m.invalid:
        console.print(f"{m.invalid} cell(s) left blank: their values break a cross-field rule "
                      f"(e.g. thresholds out of order)")
    pts = m.contour()
    finite = m.p[np.isfinite(m.p)]
    lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (np.nan, np.nan)
    console.print(f"{measure.title}: from {lo:.3f} to {hi:.3f}; "
                  f"{len(pts)} grid edges cross the {level:g} contour; {m.band_share():.1%} of cells "
                  f"lie in its bootstrap band", highlight=False)
    from alliance.analysis import labels
    from alliance.analysis.charts_map import read_map

    values = sc.params()
    point = (float(values[x]), float(values[y]))
    frame = m.frame()
    reading = read_map(frame, x, y, level, point)
    for line in reading.text:
        console.print(line, highlight=False)
    xl, yl = labels.param_label(x), labels.param_label(y)
    from alliance.analysis import charts  # plotly: imported when a chart is drawn

    fig = charts.tipping_chart(frame, x, y, m.title, level, m.binary, point=point, outcome_title=measure.title,
                               subtitle=f"over {xl} × {yl}; {m.detail}")
    _csv(frame, folder / "map.csv")
    page = Page(f"{m.title} over {xl} × {yl}")
    page.text("<p class='lead'>" + " ".join(html.escape(t) for t in reading.text) + "</p>")
    page.text(f"<p class='note'>{html.escape(m.detail)}. Parameters: {html.escape(x)} (x), {html.escape(y)} (y). "
              "See also <code>alliance sensitivity</code> for which parameters matter most.</p>")
    page.figure(fig, "Solid black: the contour of the estimate; dashed purple and dotted green: the contours "
                "of its bootstrap 5 % and 95 % bounds (the boundary lies between them). Star: the scenario's "
                "own values. Grey cells: parameter values the model rejects (e.g. thresholds out of order).")
    write_page(page, folder / "map.html")
    console.print(f"wrote {folder / 'map.csv'} and {folder / 'map.html'}")
    if png is not None:
        for p in write_pngs([fig], png, ["map"]):
            console.print(f"wrote {p}")


@user_errors
def sensitivity(
    scenario: str = typer.Argument(..., help="scenario file or shipped name (with an uncertainties: block)"),
    method: str = typer.Option("sobol", "--method", help="sobol or morris"),
    outcome: str = typer.Option("sanctions_ever", "--outcome", help=_OUTCOME_HELP),
    samples: int = typer.Option(256, "--samples", "-n", min=2, max=1_000_000,
                                help="Sobol base sample (a power of 2) or Morris trajectories"),
    replications: int = typer.Option(50, "--replications", "-r", min=1, max=100_000,
                                     help="replications averaged per sample"),
    param: list[str] = typer.Option([], "--param", help="uncertain parameter NAME=LOW:HIGH (uniform; "
                                    "adds to or replaces the scenario's uncertainties)"),
    seed: int | None = typer.Option(None, "--seed", min=0, max=MAX_SEED),
    workers: int | None = typer.Option(None, "--workers", min=1, max=64),
    scheduler: str | None = typer.Option(None, "--scheduler", help=_SCHEDULER_HELP),
    dask_local: int | None = typer.Option(None, "--dask-local", help=_DASK_LOCAL_HELP),
    out: Path | None = typer.Option(None, "--out", "-o", help="folder for indices.csv and sensitivity.html"),
) -> None:
    """Global sensitivity analysis (SALib) over the scenario's uncertainties."""
    from alliance.analysis.page import Page, write_page
    from alliance.analysis.sensitivity import METHODS, parse_param_ranges, run_sensitivity

    if method not in METHODS:
        raise UserError(f"--method {method!r}: use sobol or morris")
    parse_measure(outcome)
    sc = load_scenario(scenario)
    extra = parse_param_ranges(param)
    folder = out or Path("sensitivity") / f"{sc.name}__{method}"
    check_writable(folder, folder=True)
    t0 = time.perf_counter()
    res = run_sensitivity(sc, method, outcome, samples, replications, seed, extra,
                          _workers(workers, scheduler, dask_local), scheduler=scheduler, dask_local=dask_local)
    from alliance.analysis.charts_map import sensitivity_flags

    flags = sensitivity_flags(res.table, method)
    t = Table(title=f"{sc.name}: {method} indices of {res.title} ({res.samples:,} samples × "
              f"{replications} replications, {time.perf_counter() - t0:.1f} s)")
    for c in res.table.columns:
        t.add_column(str(c), justify="left" if c == "parameter" else "right")
    t.add_column("note")
    for row, flag in zip(res.table.itertuples(index=False), flags, strict=True):
        t.add_row(*[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row], flag)
    console.print(t)
    n_bad = int((flags != "").sum())
    if n_bad:
        console.print(f"{n_bad} of {len(flags)} parameters not resolved (interval wider than the index): "
                      f"raise --samples (now {samples})", highlight=False)
    _csv(res.table.assign(note=flags.to_numpy()), folder / "indices.csv")
    page = Page(f"Sensitivity of {res.title}: {sc.name} ({method})")
    from alliance.analysis import labels

    shown = res.table.assign(parameter=[labels.param_label(p) for p in res.table["parameter"]],
                             note=flags.to_numpy(), name=res.table["parameter"])
    from alliance.analysis import charts  # plotly: imported when a chart is drawn

    page.figure(charts.sensitivity_chart(res.table, method, f"{method.capitalize()} indices of {res.title}"))
    page.table(shown.round(3), "Indices with 95 % confidence half-widths (bootstrap). See also "
               "'alliance map' over the two most influential parameters shows where the outcome tips.")
    write_page(page, folder / "sensitivity.html")
    console.print(f"wrote {folder / 'indices.csv'} and {folder / 'sensitivity.html'}")


@user_errors
def report(
    results: Path = typer.Argument(..., help="results folder (a study)"),
    compare_with: list[Path] = typer.Option([], "--compare", help="other results folders to compare with"),
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="the HTML file to write"),
    png: Path | None = typer.Option(None, "--png", help="also export every chart as PNG into this folder"),
) -> None:
    """Write one self-contained HTML report (works offline) of a study."""
    from alliance.analysis.report import write_report

    if out.suffix.lower() not in (".html", ".htm"):
        raise UserError(f"{out}: the report must be an .html file")
    check_writable(out)
    check_writable(png, folder=True)
    t0 = time.perf_counter()
    n, pngs = write_report([results, *compare_with], out, png)
    console.print(f"wrote {out} ({n} charts, {out.stat().st_size / 1e6:.1f} MB) in "
                  f"{time.perf_counter() - t0:.1f} s")
    if pngs:
        console.print(f"wrote {len(pngs)} PNG files into {png}")


__all__ = ["compare", "known_measures", "map_", "report", "sensitivity"]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `alliance` application."""
    app.command()(compare)
    app.command(name="map")(map_)
    app.command()(sensitivity)
    app.command()(report)
