"""`alliance validate`: run hindcast episodes, print the scored table, and (``--chart``) write a calibration chart."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import numpy as np
import typer
from rich.table import Table

from alliance.analysis.defaults import CV_SETTINGS, DEFAULT_HONEST_REPLICATIONS, DEFAULT_SEEDS, Settings
from alliance.cli.calibrate import MAX_FIT_SEED, run_cross_validation
from alliance.cli.common import MAX_SEED, console, styled, user_errors
from alliance.errors import UserError
from alliance.model.evidence import plausible_ranges
from alliance.model.expected import OUTCOME_LEVELS, RESPONSES
from alliance.model.posterior import PlausiblePrior, fitted_split, load_posterior
from alliance.model.scenario_files import scenarios_dir
from alliance.study.fileio import atomic_write, check_writable

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from alliance.analysis.hindcast import EpisodeSet

# alliance.analysis.hindcast and .validate (scipy.stats, plotly) are imported when the command
# runs, not when the command line starts (see alliance.cli.calibrate).


def parse_min_score(text: str, maximum: int) -> float:
    """``--min-score``: points (e.g. ``18``) or a share of the maximum (``75%``)."""
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100.0 * maximum if raw.endswith("%") else float(raw)
    except ValueError:
        raise UserError(f"--min-score: {text!r} is not a number of points or a percentage") from None
    if not math.isfinite(value):
        raise UserError(f"--min-score: {text!r} is not a finite number of points or percentage")
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


def _table_rows(eps: EpisodeSet, runs: list, summary: dict) -> pd.DataFrame:
    import pandas as pd

    from alliance.analysis.hindcast import pooled_lag, probs
    from alliance.analysis.validate import lag_matches

    rows = []
    for i, (s, w) in enumerate(zip(eps.scenarios, eps.windows, strict=True)):
        e = s.expected
        pr, po = probs(runs[i], "response"), probs(runs[i], "outcome")
        r_hat, o_hat = RESPONSES[int(np.argmax(pr >= pr.max() - 1e-12))], \
            OUTCOME_LEVELS[int(np.argmax(po >= po.max() - 1e-12))]
        level = RESPONSES.index(e.response) or RESPONSES.index(r_hat)
        lag = pooled_lag(runs[i], level)
        ctrl = summary.get("predictions", {})
        row = {
            "episode": s.name, "domain": e.domain, "trigger_month": w.trigger,
            "window_months": e.window_months,
            "expected_response": e.response, "predicted_response": r_hat,
            "p_response": float(pr.max()), "p_expected_response": float(pr[RESPONSES.index(e.response)]),
            "expected_lag": "" if e.lag_months is None else f"{e.lag_months[0]:g}…{e.lag_months[1]:g}",
            "predicted_lag": lag, "lag_match": lag_matches(lag, e.lag_months),
            "expected_outcome": e.outcome, "predicted_outcome": o_hat,
            "p_outcome": float(po.max()), "p_expected_outcome": float(po[OUTCOME_LEVELS.index(e.outcome)]),
            "response_match": r_hat == e.response, "outcome_match": o_hat == e.outcome,
            "points": int(r_hat == e.response) + int(o_hat == e.outcome),
            "rule_response": summary["rules"][i][0], "rule_outcome": summary["rules"][i][1],
            "impossible": " ".join(summary["flagged"].get(s.name, [])),
            "runs": summary["runs_per_episode"],
        }
        fc = ctrl.get("response", {})
        if "forecast" in fc:
            fr = np.asarray(fc["forecast"][i])
            fo = np.asarray(ctrl["outcome"]["forecast"][i])
            row["forecast_response"] = RESPONSES[int(np.argmax(fr >= fr.max() - 1e-12))]
            row["p_forecast_response"] = float(fr.max())
            row["p_forecast_expected_response"] = float(fr[RESPONSES.index(e.response)])
            row["forecast_outcome"] = OUTCOME_LEVELS[int(np.argmax(fo >= fo.max() - 1e-12))]
            row["p_forecast_outcome"] = float(fo.max())
            row["p_forecast_expected_outcome"] = float(fo[OUTCOME_LEVELS.index(e.outcome)])
        if "control" in ctrl.get("response", {}):
            cr = np.asarray(ctrl["response"]["control"][i])
            co = np.asarray(ctrl["outcome"]["control"][i])
            row["control_response"] = RESPONSES[int(np.argmax(cr >= cr.max() - 1e-12))]
            row["control_outcome"] = OUTCOME_LEVELS[int(np.argmax(co >= co.max() - 1e-12))]
        rows.append(row)
    return pd.DataFrame(rows)


def _kind_line(entry: dict, kind: str) -> str:
    k = entry[kind]
    log = f", log {k['log']:.3f}" if "log" in k else ""
    return f"{kind} {k['points']} pts, Brier {k['brier']:.3f}{log}"


def _forecast_lines(summary: dict) -> None:
    """The forecast of a posterior with a structural discrepancy, scored like the model."""
    e, mx = summary["forecast"], summary["max_points"]
    d = summary["forecast_discrepancy"]
    within = [b["within"] for v in summary["extra_reliability"]["forecast"].values() for b in v]
    console.print(styled(("forecast", "bold"), " (the probabilities the tool stands behind: the model pooled with "
                  f"the posterior's base rates, δ response {d['delta']['response']:.2f}, outcome "
                  f"{d['delta']['outcome']:.2f}, estimated on its {d['episodes']} calibration episodes): "
                  f"{e['points']} / {mx} points; {_kind_line(e, 'response')}; {_kind_line(e, 'outcome')}"),
                  highlight=False)
    for kind in ("response", "outcome"):
        console.print(f"  {kind}: Brier skill vs leave-one-out base rates {e[kind]['brier_skill']:+.3f}, "
                      f"log-score skill {e[kind]['log_skill']:+.3f}", highlight=False)
    console.print(f"  forecast calibration bins within their 95% binomial intervals: "
                  f"{sum(within)} of {len(within)}", highlight=False)
    if summary.get("forecast_in_sample"):
        console.print("  in sample: the posterior and its δ were fitted to every one of these episodes, so "
                      "both rows flatter the model; --cross-validate measures episodes not fitted to",
                      highlight=False)


def print_summary(summary: dict, wall: float | None = None) -> None:
    """The honest-scoring lines under the table (also used by --cross-validate)."""
    m, mx = summary["model"], summary["max_points"]
    lo, hi = m["seed_points"]
    raw = "raw model (parameter draws only, no discrepancy)" if "forecast" in summary else "model"
    console.print(f"{raw}: {m['points']} / {mx} points (pooled over {summary['seeds']} seeds × "
                  f"{summary['runs_per_episode'] // summary['seeds']} replications; per seed {lo}–{hi}); "
                  f"{_kind_line(m, 'response')}; {_kind_line(m, 'outcome')}", highlight=False)
    for kind in ("response", "outcome"):
        iv = m[kind]["seed_interval"]
        console.print(f"  {kind}: Brier skill vs leave-one-out base rates {m[kind]['brier_skill']:+.3f}, "
                      f"log-score skill {m[kind]['log_skill']:+.3f}; over seeds Brier "
                      f"{iv['brier'][0]:.3f}–{iv['brier'][1]:.3f}, log {iv['log'][0]:.3f}–{iv['log'][1]:.3f}",
                      highlight=False)
    if "control" in summary:
        c, t = summary["control"], summary["trigger_earns"]
        console.print(f"no-trigger control: {c['points']} / {mx} points; the trigger earns {t['points']:+d} "
                      f"points, Brier {t['brier_response']:+.3f} (response), {t['brier_outcome']:+.3f} "
                      "(outcome)", highlight=False)
    for name, label in (("majority", "majority class (LOO)"), ("base_rates", "base rates (LOO)"),
                        ("rule", "bloc rule"), ("uniform", "uniform")):
        e = summary[name]
        console.print(f"reference {label}: {e['points']} / {mx}; {_kind_line(e, 'response')}; "
                      f"{_kind_line(e, 'outcome')}", highlight=False)
    if "discrepancy" in summary:
        e, bins_d = summary["discrepancy"], summary["extra_reliability"]["discrepancy"]
        ws = summary.get("discrepancy_weights", [])
        span = "".join(f"; δ {k} {min(w[k] for w in ws):.2f}–{max(w[k] for w in ws):.2f}"
                       for k in ("response", "outcome") if ws)
        within = [b["within"] for v in bins_d.values() for b in v]
        console.print(f"model with structural discrepancy (pooled with the base rates, δ fitted on each "
                      f"fold's other episodes{span}): {e['points']} / {mx}; {_kind_line(e, 'response')}, "
                      f"skill {e['response']['brier_skill']:+.3f}; {_kind_line(e, 'outcome')}, skill "
                      f"{e['outcome']['brier_skill']:+.3f}; bins within {sum(within)} of {len(within)}",
                      highlight=False)
    if summary["flagged"]:
        flagged = ", ".join(f"{k} ({'/'.join(v)} impossible)" for k, v in summary["flagged"].items())
        console.print(f"flagged (outcome category impossible by construction): {flagged}", highlight=False)
        for label in ("open", "flagged_only"):
            if label in summary:
                o = summary[label]
                console.print(f"  outcomes on {label.replace('_only', '')} episodes ({o['episodes']}): "
                              f"{o['outcome']['points']} pts, Brier {o['outcome']['brier']:.3f} "
                              f"(base rates {o['outcome_base_rates']['brier']:.3f})", highlight=False)
    bins = [b for v in summary["reliability"].values() for b in v]
    console.print(f"{'raw model ' if 'forecast' in summary else ''}calibration bins within their 95% "
                  f"binomial intervals: {sum(b['within'] for b in bins)} of {len(bins)}", highlight=False)
    if "forecast" in summary:
        _forecast_lines(summary)
    if wall is not None:
        console.print(f"wall time: {wall:.1f} s", highlight=False)


def _write_json(path: Path, data: dict) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(json.dumps(data, indent=1, default=float),
                                                  encoding="utf-8"))


@user_errors
def validate(
    files: Annotated[list[Path] | None, typer.Argument(
        help="episode files or folders (default: the shipped scenarios/episodes)")] = None,
    replications: Annotated[int, typer.Option(
        "--replications", "-r", min=1, max=1_000_000, help="replications per episode and seed")
    ] = DEFAULT_HONEST_REPLICATIONS,
    seeds: Annotated[int, typer.Option("--seeds", min=1, max=100,
                                       help="seeds per episode (intervals are over these)")] = DEFAULT_SEEDS,
    min_score: Annotated[str | None, typer.Option(
        "--min-score", help="exit 1 if the score is below this many points "
                            "(or a percentage of the maximum, e.g. 75%)")] = None,
    chart: Annotated[Path | None, typer.Option(
        "--chart", help="calibration chart file (.html, .json, or an image via kaleido)")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="write the table to FILE.csv and every score to FILE.json")] = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, max=MAX_SEED, help="first seed for every episode "
                                             "(default: each file's own)")] = None,
    control: Annotated[bool, typer.Option("--control/--no-control",
                                          help="also run each episode without its trigger")] = True,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="local worker processes")] = None,
    posterior: Annotated[Path | None, typer.Option(
        "--posterior", help="draw each run's parameters from this posterior (alliance calibrate) and "
                            "also score its forecast: the model pooled with the posterior's base rates "
                            "by its structural discrepancy δ")] = None,
    prior: Annotated[bool, typer.Option(
        "--prior", help="draw each run's A- and R-class parameters uniformly from their plausible "
                        "ranges (the prediction before any episode is seen)")] = False,
    cross_validate: Annotated[bool, typer.Option(
        "--cross-validate", help="also score each episode with a posterior fitted without it")] = False,
    cv_particles: Annotated[int, typer.Option("--cv-particles", min=4)] = CV_SETTINGS.particles,
    cv_replications: Annotated[int, typer.Option("--cv-replications", min=1)] = CV_SETTINGS.replications,
    cv_generations: Annotated[int, typer.Option("--cv-generations", min=1)] = CV_SETTINGS.generations,
    cv_seed: Annotated[int, typer.Option(
        "--cv-seed", min=0, max=MAX_FIT_SEED, help="seed of the fold fits (--seed varies the scoring runs only); "
                                 "another value measures the fits' own noise")] = CV_SETTINGS.seed,
) -> None:
    """Hindcast: run each episode, compare with what happened, score it against reference predictors."""
    from alliance.analysis.hindcast import (
        EpisodeSet,
        calibration_points_from,
        probs,
        run_predictions,
        summarize,
    )
    from alliance.analysis.validate import calibration_figure

    if chart is not None and chart.suffix.lower() not in (".html", ".json", ".png", ".svg", ".pdf"):
        raise UserError(f"{chart}: --chart must end in .html, .json, .png, .svg or .pdf")
    if out is not None and out.suffix.lower() != ".csv":
        raise UserError(f"{out}: --out must end in .csv")
    derived = [] if out is None else [out.with_suffix(".json")]
    if out is not None and cross_validate:
        derived.append(out.with_name(out.stem + "_calibration.html"))
    check_writable(out, *derived, chart)
    if out is not None and cross_validate:
        check_writable(out.with_name(out.stem + "_folds"), folder=True)
    paths = list(files) if files else [scenarios_dir() / "episodes"]
    if min_score is not None:
        parse_min_score(min_score, 0)  # syntax check before the runs
    t0 = time.perf_counter()
    eps = EpisodeSet.load(paths)
    if prior and posterior is not None:
        raise UserError("--prior and --posterior: give one source of parameter draws, not both")
    post = (PlausiblePrior(plausible_ranges(("A", "R"))) if prior
            else None if posterior is None else load_posterior(posterior))
    split = None if prior or posterior is None else fitted_split(post, posterior, eps.files)
    disc = getattr(post, "discrepancy", None)
    if posterior is not None and disc is None:
        console.print(styled(("note:", "yellow"), f" {posterior} has no structural discrepancy (format "
                      "alliance-posterior/1, written before it): every probability below is the raw "
                      "model's, over-confident on episodes it was not fitted to; refit it with "
                      "alliance calibrate"), highlight=False)
    runs = run_predictions(eps, replications, seeds, seed, posterior=post, workers=workers)
    ctrl = (run_predictions(eps, replications, seeds, seed, control=True, posterior=post,
                            workers=workers) if control else None)
    extra = None if disc is None else {
        "forecast": {kind: disc.pool(kind, np.array([probs(r, kind) for r in runs]))
                     for kind in ("response", "outcome")}}
    summary = summarize(eps, runs, ctrl, extra=extra)
    if disc is not None:
        summary["forecast_discrepancy"] = disc.to_json()
        summary["forecast_in_sample"] = split is not None and not split[1]
    frame = _table_rows(eps, runs, summary)
    points, maximum = summary["model"]["points"], summary["max_points"]

    t = Table(title=f"hindcast: {len(frame)} episodes × {seeds} seeds × {replications} replications")
    t.add_column("episode", overflow="fold")
    fcol = "; forecast (p)" if disc is not None else ""
    t.add_column(f"response: expected → {'raw model' if disc is not None else 'predicted'} (p){fcol}")
    t.add_column("lag: expected / predicted")
    t.add_column(f"outcome: expected → {'raw model' if disc is not None else 'predicted'} (p){fcol}")
    t.add_column("match", justify="right")
    for r in frame.itertuples(index=False):
        lag = "–" if r.predicted_lag != r.predicted_lag else f"{r.predicted_lag:+.0f}"
        flag = f" [{r.impossible} impossible]" if r.impossible else ""
        fr = "" if disc is None else f"; {r.forecast_response} ({r.p_forecast_response:.2f})"
        fo = "" if disc is None else f"; {r.forecast_outcome} ({r.p_forecast_outcome:.2f})"
        t.add_row(
            r.episode,
            f"{r.expected_response} → {r.predicted_response} ({r.p_response:.2f}){fr}",
            f"{r.expected_lag or '–'} / {lag} {_yes(r.lag_match)}",
            f"{r.expected_outcome} → {r.predicted_outcome} ({r.p_outcome:.2f}){fo}{flag}",
            f"{_yes(r.response_match)}{_yes(r.outcome_match)} {r.points}/2",
        )
    console.print(t)
    summary["wall_seconds"] = time.perf_counter() - t0
    print_summary(summary, summary["wall_seconds"])
    if split is not None and posterior is not None:
        _print_fit_split(eps, summary, split, posterior)
    if cross_validate:
        cv = Settings(cv_particles, cv_replications, cv_generations, CV_SETTINGS.quantile,
                      CV_SETTINGS.max_batches, cv_seed)
        oos = run_cross_validation(eps, cv, replications, seeds, seed, out, workers=workers)
        summary["out_of_sample"] = oos
        summary["wall_seconds"] = time.perf_counter() - t0
        console.print(styled(("out of sample", "bold"), f" (leave-one-episode-out posteriors, {cv_particles} "
                              f"particles × {cv_replications} runs × {cv_generations} generations):"))
        print_summary(oos, summary["wall_seconds"])
        if out is not None:
            cv_chart = out.with_name(out.stem + "_calibration.html")
            _write_chart(calibration_figure(calibration_points_from(oos),
                                            "Out-of-sample hindcast calibration (raw model)"), cv_chart)
            fc_chart = out.with_name(out.stem + "_calibration_forecast.html")
            _write_chart(calibration_figure(calibration_points_from(oos, "discrepancy"),
                                            "Out-of-sample hindcast calibration of the forecast "
                                            "(model pooled with the base rates by each fold's δ)"), fc_chart)
            console.print(f"wrote {cv_chart} and {fc_chart}")
    if chart is not None:
        cal = calibration_points_from(summary)
        which = " (raw model, without the structural discrepancy)" if disc is not None else ""
        _write_chart(calibration_figure(cal, f"Hindcast calibration{which}: {points}/{maximum} points"), chart)
        console.print(f"wrote {chart}")
    if out is not None:
        atomic_write(out, lambda tmp: frame.to_csv(tmp, index=False))
        _write_json(out.with_suffix(".json"), summary)
        console.print(f"wrote {out} and {out.with_suffix('.json')}")
    if min_score is not None:
        needed = parse_min_score(min_score, maximum)
        if points < needed - 1e-9:
            console.print(styled((f"score {points} is below --min-score {min_score}", "bold red")))
            raise typer.Exit(1)


def _print_fit_split(eps: EpisodeSet, summary: dict, split: tuple[list[str], list[str]],
                     path: Path) -> None:
    """Which episodes the posterior was fitted to, and (when both kinds are here) the scores of
    each group: an in-sample point is not an out-of-sample point."""
    from alliance.analysis.hindcast import kind_scores

    inside, outside = split
    summary["posterior_fit"] = {"in_sample": inside, "out_of_sample": outside}
    shown = ", ".join(outside[:6]) + (f" and {len(outside) - 6} more" if len(outside) > 6 else "")
    console.print(f"posterior {path}: {len(inside)} of these {len(inside) + len(outside)} episodes are "
                  f"in its fit (in sample), {len(outside)} are not (out of sample"
                  f"{': ' + shown if outside else ''})", highlight=False)
    if not (inside and outside):
        return
    files = [f.name for f in eps.files]
    observed = [np.asarray(o) for o in summary["observed"]]
    for label, names in (("in sample", set(inside)), ("out of sample", set(outside))):
        idx = [i for i, name in enumerate(files) if name in names]
        scores = {kind: kind_scores(np.asarray(summary["predictions"][kind]["model"], dtype=float)[idx],
                                    y[idx], None)
                  for kind, y in zip(("response", "outcome"), observed, strict=True)}
        pts = sum(s["points"] for s in scores.values())
        parts = [f"{kind} Brier {s['brier']:.3f}" for kind, s in scores.items()]
        summary["posterior_fit"][label.replace(" ", "_") + "_points"] = pts
        console.print(f"  {label} ({len(idx)} episodes): {pts} / {2 * len(idx)} points; "
                      + ", ".join(parts), highlight=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `alliance` application."""
    app.command()(validate)
