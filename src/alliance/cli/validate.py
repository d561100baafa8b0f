"""`alliance validate`: run hindcast episodes, print the scored table, and (``--chart``) write a calibration chart."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from alliance.analysis.validate import (
    DEFAULT_REPLICATIONS,
    brier_scores,
    calibration_figure,
    calibration_points,
    results_frame,
    score,
    validate_files,
)
from alliance.cli.common import console, user_errors
from alliance.errors import UserError
from alliance.model.scenario_files import scenarios_dir
from alliance.study.fileio import atomic_write


def parse_min_score(text: str, maximum: int) -> float:
    """``--min-score``: points (e.g. ``18``) or a share of the maximum (``75%``)."""
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100.0 * maximum if raw.endswith("%") else float(raw)
    except ValueError:
        raise UserError(f"--min-score: {text!r} is not a number of points or a percentage") from None
    if value < 0:
        raise UserError(f"--min-score: {text!r} must not be negative")
    return value


def _write_chart(fig: object, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".html":
        atomic_write(path, lambda tmp: fig.write_html(tmp, include_plotlyjs=True))  # type: ignore[attr-defined]
    elif suffix == ".json":
        atomic_write(path, lambda tmp: tmp.write_text(fig.to_json(), encoding="utf-8"))  # type: ignore[attr-defined]
    else:
        atomic_write(path, lambda tmp: fig.write_image(tmp, format=suffix[1:]))  # type: ignore[attr-defined]


def _yes(flag: object) -> str:
    return "–" if flag is None else ("✓" if flag else "✗")


@user_errors
def validate(
    files: Annotated[list[Path] | None, typer.Argument(
        help="episode files or folders (default: the shipped scenarios/episodes)")] = None,
    replications: Annotated[int, typer.Option(
        "--replications", "-r", min=1, max=1_000_000, help="replications per episode")
    ] = DEFAULT_REPLICATIONS,
    min_score: Annotated[str | None, typer.Option(
        "--min-score", help="exit 1 if the score is below this many points "
                            "(or a percentage of the maximum, e.g. 75%)")] = None,
    chart: Annotated[Path | None, typer.Option(
        "--chart", help="also write the calibration chart to this file (.html, .json, or an image "
                        "via kaleido); nothing is written without it")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="also write the table to FILE.csv")] = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, help="override every episode's seed")] = None,
) -> None:
    """Hindcast: run each episode, compare with what happened, print the score."""
    if chart is not None and chart.suffix.lower() not in (".html", ".json", ".png", ".svg", ".pdf"):
        raise UserError(f"{chart}: --chart must end in .html, .json, .png, .svg or .pdf")
    if out is not None and out.suffix.lower() != ".csv":
        raise UserError(f"{out}: --out must end in .csv")
    paths = list(files) if files else [scenarios_dir() / "episodes"]
    if min_score is not None:
        parse_min_score(min_score, 0)  # syntax check before the runs
    results = validate_files(paths, replications=replications, seed=seed)
    frame = results_frame(results)
    points, maximum = score(results)

    t = Table(title=f"hindcast: {len(results)} episodes × {replications} replications")
    t.add_column("episode", overflow="fold")
    t.add_column("response: expected → predicted (p)")
    t.add_column("lag: expected / predicted")
    t.add_column("outcome: expected → predicted (p)")
    t.add_column("match", justify="right")
    for r in frame.itertuples(index=False):
        lag = "–" if r.predicted_lag != r.predicted_lag else f"{r.predicted_lag:+.0f}"
        t.add_row(
            r.episode,
            f"{r.expected_response} → {r.predicted_response} ({r.p_response:.2f})",
            f"{r.expected_lag or '–'} / {lag} {_yes(r.lag_match)}",
            f"{r.expected_outcome} → {r.predicted_outcome} ({r.p_outcome:.2f})",
            f"{_yes(r.response_match)}{_yes(r.outcome_match)} {r.points}/2",
        )
    console.print(t)
    cal = calibration_points(results)
    brier = brier_scores(cal)
    console.print(f"score: {points} / {maximum} points "
                  f"(response {int(frame.response_match.sum())}/{len(frame)}, "
                  f"outcome {int(frame.outcome_match.sum())}/{len(frame)}); "
                  f"Brier: response {brier['response']:.3f}, outcome {brier['outcome']:.3f}",
                  highlight=False)
    if chart is not None:
        _write_chart(calibration_figure(cal, f"Hindcast calibration: {points}/{maximum} points"), chart)
        console.print(f"wrote {chart}")
    if out is not None:
        atomic_write(out, lambda tmp: frame.to_csv(tmp, index=False))
        console.print(f"wrote {out}")
    if min_score is not None:
        needed = parse_min_score(min_score, maximum)
        if points < needed - 1e-9:
            console.print(f"[bold red]score {points} is below --min-score {min_score}[/]")
            raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `alliance` application."""
    app.command()(validate)
