"""The core `alliance` commands: run, scenarios, check, params, schema."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import typer
from rich.table import Table

from alliance.analysis.tables import summary_table
from alliance.cli.common import (
    EXIT_USER_ERROR,
    MAX_SEED,
    console,
    discrepancy_line,
    err_console,
    raw_probabilities_note,
    styled,
    user_errors,
)
from alliance.errors import UserError
from alliance.model import DOMAINS, PARAMS, check_params, simulate
from alliance.model.assignments import parse_assignments
from alliance.model.posterior import load_posterior
from alliance.model.scenario import json_schema
from alliance.model.scenario_files import load_scenario, shipped_scenarios
from alliance.study.fileio import atomic_write, check_writable


def _write_frame(df: pd.DataFrame, path: Path) -> None:
    if path.suffix == ".parquet":
        atomic_write(path, lambda tmp: df.to_parquet(tmp, index=False))
    elif path.suffix == ".csv":
        atomic_write(path, lambda tmp: df.to_csv(tmp, index=False))
    else:  # pragma: no cover - checked before running
        raise UserError(f"{path}: --out must end in .parquet or .csv")


def _summary_path(out: Path) -> Path:
    """Where ``run --out FILE`` writes the per-replication summary beside the trajectories."""
    return out.with_name(out.stem + "_summary" + out.suffix)


@user_errors
def run(
    scenario: str = typer.Argument(..., help="scenario file or shipped name"),
    replications: int | None = typer.Option(None, "--replications", "-r", min=1, max=1_000_000),
    seed: int | None = typer.Option(None, "--seed", min=0, max=MAX_SEED),
    months: int | None = typer.Option(None, "--months", min=1, max=600),
    set_: list[str] = typer.Option([], "--set", help="override a parameter: path=value (repeatable)"),
    out: Path | None = typer.Option(None, "--out", help="write results to FILE.parquet or FILE.csv"),
    replay: int | None = typer.Option(None, "--replay", min=0, max=MAX_SEED,
                                         help="replay replication R alone and print its months"),
    chart: Path | None = typer.Option(None, "--chart", help="also write a one-page answer (headline numbers, "
                                      "sanctions curve, cooperation, events) to FILE.html; works offline"),
    posterior: Path | None = typer.Option(None, "--posterior",
                                          help="draw each replication's parameters from this posterior"),
) -> None:
    """Run a scenario; print a summary table and optionally write the results and a chart page."""
    if out is not None and out.suffix not in (".parquet", ".csv"):
        raise UserError(f"{out}: --out must end in .parquet or .csv")
    if chart is not None and chart.suffix.lower() not in (".html", ".htm"):
        raise UserError(f"{chart}: --chart must end in .html")
    if chart is not None and replay is not None:
        raise UserError("--chart draws the whole ensemble; leave out --replay")
    summary_out = None if out is None or replay is not None else _summary_path(out)
    check_writable(out, summary_out, chart)
    if len({p.absolute() for p in (out, summary_out, chart) if p is not None}) < sum(
            p is not None for p in (out, summary_out, chart)):
        raise UserError("--out and --chart name the same file; give each its own")
    sc = load_scenario(scenario, parse_assignments(set_))
    varied = [*(sc.uncertainties or {}), *(sc.sweep or {})]
    if varied:
        err_console.print(styled(("note:", "yellow"), f" {sc.name} declares uncertainties/sweep for {len(varied)} "
                          f"parameter(s) ({', '.join(varied[:4])}{', …' if len(varied) > 4 else ''}); "
                          "`alliance run` ignores them and uses the scenario's fixed values — "
                          f"`alliance batch {scenario}` samples them"), highlight=False, soft_wrap=True)
    post = None if posterior is None else load_posterior(posterior)
    if post is not None:
        err_console.print(raw_probabilities_note(post, posterior), highlight=False, soft_wrap=True)
    run_seed = sc.seed if seed is None else seed

    def _draw(ids: list[int]) -> dict | None:
        return None if post is None else post.for_scenario(sc, run_seed, ids)

    if replay is not None:
        res = simulate(sc, seed=seed, months=months, replication_ids=[replay], params=_draw([replay]))
        traj = res.trajectories
        t = Table(title=f"{sc.name}: replication {replay} (seed {res.seed})")
        cols = ["month", *[f"coop_{d}" for d in DOMAINS], "threat", "escalation", "belief", "welfare"]
        for c in cols:
            t.add_column(c.replace("coop_", ""), justify="right")
        for row in traj[cols].itertuples(index=False):
            t.add_row(*[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row])
        console.print(t)
        if out is not None:
            _write_frame(traj.assign(seed=res.seed), out)
            console.print(f"wrote {out}")
        return
    n_reps = sc.replications if replications is None else replications
    res = simulate(sc, replications=replications, seed=seed, months=months,
                   params=_draw(list(range(n_reps))))
    console.print(styled((sc.name, "bold"), f": {sc.description}"), highlight=False)
    tab = summary_table(res.summary)
    t = Table(title=f"{len(res.summary)} replications × {res.trajectories.month.max()} months, seed {res.seed}")
    t.add_column("outcome")
    t.add_column("value", justify="right")
    for name, value in tab.items():
        t.add_row(name, value)
    console.print(t)
    if out is not None:
        _write_frame(res.trajectories, out)
        summ = _summary_path(out)
        _write_frame(res.summary, summ)
        console.print(f"wrote {out} and {summ}")
    if chart is not None:
        from alliance.analysis.runpage import write_run_chart

        write_run_chart(sc, res.summary, res.trajectories, res.seed, chart)
        console.print(f"wrote {chart}", highlight=False)


@user_errors
def scenarios() -> None:
    """List the shipped scenarios with the question each asks."""
    t = Table(title="shipped scenarios")
    t.add_column("name")
    t.add_column("question")
    for name, path in shipped_scenarios().items():
        sc = load_scenario(path)
        t.add_row(name, sc.description)
    console.print(t)


@user_errors
def check(
    files: list[Path] = typer.Argument(None, help="scenario files (or shipped names) to validate"),
    set_: list[str] = typer.Option([], "--set", help="also check these values: path=value (repeatable), "
                                   "on each scenario given, or on the parameter defaults"),
) -> None:
    """Validate scenario files, and/or parameter values given with --set, without running anything.

    Every problem is listed (unknown names with the nearest known names, ranges, whole numbers,
    cross-field rules); the exit code is 2 when there is any.
    """
    if not files and not set_:
        raise UserError("give scenario files to check, or parameter values with --set path=value")
    values: dict[str, str] = {}
    for item in set_:
        key, eq, raw = item.partition("=")
        if not eq:
            raise UserError(f"--set expects path=value, got {item!r}")
        values[key.strip()] = raw
    bases: list[Path | None] = list(files) if files else [None]
    failed = False
    for f in bases:
        where = str(f) if f is not None else "parameter defaults"
        sc = load_scenario(f) if f is not None else None
        problems = check_params(values, sc) if values else []
        if problems:
            failed = True
            for msg in problems:
                err_console.print(styled(("error:", "bold red"), f" {where}: --set {msg}"), highlight=False,
                                  soft_wrap=True)
        elif sc is not None:
            extra = f", --set {len(values)} value(s) ok" if values else ""
            console.print(f"{f}: ok ({sc.name}, {sc.horizon_months} months, {len(sc.events)} events{extra})")
        else:
            console.print(f"--set: {len(values)} value(s) ok on the parameter defaults")
    if failed:
        raise typer.Exit(EXIT_USER_ERROR)


@user_errors
def params(
    actor: str | None = typer.Option(None, help="only this actor: balancer, partner or hegemon"),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
    posterior: Path | None = typer.Option(None, "--posterior", help="also show each parameter's posterior "
                                          "median and 90% interval in this posterior file"),
) -> None:
    """Print every parameter with default, unit, range, evidence class (E/R/A), plausible range
    and provenance (and, with --posterior, what the calibration made of it)."""
    rows = [p for p in PARAMS.values() if actor is None or p.actor == actor]
    if actor is not None and not rows:
        raise UserError(f"unknown actor {actor!r}; use balancer, partner or hegemon")
    post = None if posterior is None else load_posterior(posterior)
    fitted = {} if post is None else post.quantiles()
    if as_json:
        console.print_json(json.dumps([{**p.__dict__, **({"posterior_q05_q50_q95": fitted[p.name]}
                                                         if p.name in fitted else {})} for p in rows]))
        return
    t = Table(title="parameters (class: E evidence, R reasoned judgement, A free constant)", show_lines=False)
    for c in ("name", "default", "unit", "range", "class", "plausible", *(["posterior"] if fitted else []),
              "provenance"):
        t.add_column(c, overflow="fold")
    for p in rows:
        plausible = f"[{p.plausible[0]:g}, {p.plausible[1]:g}]" if p.plausible else "–"
        q = fitted.get(p.name)
        shown = [] if not fitted else [f"{q[1]:.3g} [{q[0]:.3g}, {q[2]:.3g}]" if q else "–"]
        t.add_row(p.name, f"{p.default:g}", p.unit, f"[{p.low:g}, {p.high:g}]", p.evidence or "?",
                  plausible, *shown, p.provenance)
    console.print(t)
    if post is not None:
        console.print(discrepancy_line(post, posterior), highlight=False, soft_wrap=True)


@user_errors
def schema(out: Path | None = typer.Option(None, "--out", help="write to this file")) -> None:
    """Write the JSON Schema of scenario files (for editors)."""
    text = json.dumps(json_schema(), indent=2)
    if out is None:
        print(text)
    else:
        atomic_write(out, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
        console.print(f"wrote {out}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `alliance` application."""
    app.command()(run)
    app.command()(scenarios)
    app.command()(check)
    app.command()(params)
    app.command()(schema)
