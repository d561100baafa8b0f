"""The offline report: one self-contained HTML file with every chart and the evidence behind it.

``build_report(study_paths)`` reads one study (and optionally others to compare with) and returns
the HTML text: the question each scenario asks, its YAML text and hash, its parameters with their
provenance, every chart (fans, escalation, distributions, comparison), summary tables with
intervals, and an appendix with versions, seeds and hashes. plotly.js is embedded once
(``include_plotlyjs=True`` on the first chart only), so the file opens with no network.
``write_page`` is the same page machinery for the other commands' HTML outputs; ``write_pngs``
exports figures through kaleido (headless Chromium).
"""

from __future__ import annotations

import html
import json
import platform
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import plotly
import plotly.graph_objects as go
import yaml

from alliance.analysis import charts, style
from alliance.analysis.compare import Combined, format_table, load_studies, measure_values, outcome_table
from alliance.analysis.measures import parse_measures
from alliance.analysis.page import Page, write_pngs
from alliance.analysis.tables import summary_table
from alliance.model.outcomes import OUTCOMES, TRAJECTORY_OUTCOMES
from alliance.model.parameters import PARAMS, RUNGS, defaults
from alliance.model.scenario import Scenario
from alliance.model.scenario_files import load_scenario
from alliance.model.thresholds import effective_thresholds
from alliance.model.yamlio import InputError
from alliance.study.fileio import atomic_write

FAN_OUTCOMES = ("threat", "alignment", "coop_energy", "coop_military_technical", "coop_peacekeeping",
                "coop_basing", "interest", "welfare", "belief")
DIST_OUTCOMES = ("first_sanctions_month", "max_escalation", "months_sanctioned", "final_alignment",
                 "final_coop_energy", "cumulative_welfare_loss")
TABLE_MEASURES = ("sanctions_ever", "sanctions_by:12", "sanctions_by:24", "military_ever", "red_line_ever",
                  "max_escalation>=1", "first_sanctions_month", "final_alignment", "final_coop_energy",
                  "cumulative_welfare_loss")
# ------------------------------------------------------------------ scenario details
def _scenario_entries(study: Any) -> list[dict[str, Any]]:
    entries = study.manifest.get("scenarios") or []
    return [e if isinstance(e, dict) else {"name": str(e)} for e in entries]


def scenario_of(entry: dict[str, Any]) -> Scenario | None:
    """The validated scenario recorded in a manifest entry (its resolved form, else its YAML text)."""
    for key in ("resolved", "data"):
        if isinstance(entry.get(key), dict):
            try:
                return Scenario.model_validate(entry[key])
            except Exception:
                pass
    text = entry.get("yaml") or entry.get("text")
    if isinstance(text, str):
        try:
            data = yaml.safe_load(text)
            if isinstance(data, dict) and "extends" not in data:
                return Scenario.model_validate(data)
        except Exception:
            pass
    try:
        return load_scenario(str(entry.get("name")))
    except InputError:
        return None


def parameter_table(sc: Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(parameters set or sampled by the scenario, every parameter) with unit, range and provenance."""
    vals, base = sc.params(), defaults()
    unc = dict(sc.uncertainties or {})
    rows = []
    for name, p in PARAMS.items():
        dist = unc.get(name)
        rows.append({
            "parameter": name, "value": f"{vals[name]:g}",
            "uncertainty": "" if dist is None else json.dumps(dist.model_dump(exclude_none=True)),
            "default": f"{base[name]:g}", "unit": p.unit, "range": f"[{p.low:g}, {p.high:g}]",
            "provenance": p.provenance, "changed": vals[name] != base[name] or dist is not None,
        })
    df = pd.DataFrame(rows)
    changed = df[df["changed"]].drop(columns="changed")
    return changed, df.drop(columns="changed")


# ------------------------------------------------------------------ the report
def threshold_lines(scenarios: Mapping[str, Scenario | None],
                    colors: Mapping[str, str]) -> dict[str, tuple[float, str]]:
    """Label → (value, colour) of each scenario's effective escalation thresholds.

    Scenarios with the same thresholds share one line per rung (labelled with all their names);
    scenarios whose file is unknown draw none. With no scenario known, the defaults are drawn.
    """
    groups: dict[tuple[float, ...], list[str]] = {}
    for name, sc in scenarios.items():
        if sc is not None:
            groups.setdefault(tuple(effective_thresholds(sc.params()).values()), []).append(name)
    if not groups:
        groups[tuple(effective_thresholds(defaults()).values())] = ["defaults"]
    lines: dict[str, tuple[float, str]] = {}
    for values, names in groups.items():
        colour = colors.get(names[0], "#444")
        for rung, value in zip(RUNGS[1:], values, strict=True):
            lines[f"{rung} threshold ({', '.join(names)})"] = (value, colour)
    return lines


def build_report(paths: Sequence[Path | str], title: str | None = None,
                 measures: Sequence[str] = TABLE_MEASURES, n_boot: int = 1000) -> tuple[str, list[go.Figure], list[str]]:
    """HTML text of the report on ``paths[0]`` (compared with the others), its figures and their names."""
    t0 = time.perf_counter()
    comb: Combined = load_studies(paths)
    main = comb.studies[0]
    names = comb.scenarios
    reference = names[0]
    colors = style.palette(names)
    page = Page(title or f"Study {Path(main.path).name}: report")
    summary = comb.summary
    for study in comb.studies:
        if not getattr(study, "complete", True):
            page.text(f"<p class='note sig'>Study {html.escape(str(study.path))} is incomplete: "
                      f"{study.runs_done:,} of {study.runs_total:,} runs done (resume it with "
                      f"alliance batch --resume {html.escape(str(study.path))}); this report covers the finished runs.</p>")
    page.text(f'<p class="note">{len(summary):,} runs in {len(names)} scenario(s): '
              f'{html.escape(", ".join(names))}. Built {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.</p>')

    scen_objs: dict[str, Scenario | None] = {}
    entries: dict[str, dict[str, Any]] = {}
    for study, labels in zip(comb.studies, comb.labels, strict=False):
        by_name = {e.get("name"): e for e in _scenario_entries(study)}
        for n, label in labels.items():
            entries[label] = by_name.get(n, {"name": n})
            scen_objs[label] = scenario_of(entries[label])

    page.section("question", "The question")
    for label in names:
        sc = scen_objs[label]
        desc = sc.description if sc is not None else "(scenario text not recorded)"
        page.text(f"<h3>{html.escape(label)}</h3><p>{html.escape(desc)}</p>")

    page.section("scenarios", "Scenario text")
    for label in names:
        e = entries[label]
        text = e.get("yaml") or e.get("text") or "(not recorded)"
        sha = e.get("sha256", "")
        page.text(f"<h3>{html.escape(label)}</h3><p class='note'>sha256 {html.escape(str(sha))}</p>"
                  f"<pre>{html.escape(str(text))}</pre>")

    page.section("parameters", "Parameters and their provenance")
    for label in names:
        sc = scen_objs[label]
        if sc is None:
            continue
        changed, full = parameter_table(sc)
        page.text(f"<h3>{html.escape(label)}</h3>")
        if len(changed):
            page.table(changed, "Parameters this scenario sets or samples (others at their defaults):")
        else:
            page.text("<p class='note'>Every parameter at its default.</p>")
        page.text(f"<details><summary>All {len(full)} parameters</summary>{full.to_html(index=False, border=0)}</details>")

    page.section("tables", "Summary tables")
    ms = parse_measures(list(measures))
    try:
        values = measure_values(summary, ms, comb.trajectories)
    except InputError:
        ms = [m for m in ms if m.trajectory is None]
        values = measure_values(summary, ms, None)
    table = outcome_table(values, ms, reference if len(names) > 1 else None, n_boot=n_boot)
    page.table(format_table(table), "Estimates with 95 % intervals (Wilson for probabilities, bootstrap for "
               f"means); differences from {reference} with bootstrap 95 % intervals, * = larger than its "
               "uncertainty.")
    for label in names:
        st = summary_table(summary[summary["scenario"] == label])
        page.text(f"<details><summary>{html.escape(label)}: headline numbers</summary>"
                  + pd.DataFrame({"outcome": list(st), "value": list(st.values())}).to_html(index=False, border=0)
                  + "</details>")

    fig_names: list[str] = []

    def add(fig: go.Figure, name: str, caption: str = "") -> None:
        page.figure(fig, caption)
        fig_names.append(name)

    page.section("charts", "Charts")
    try:
        traj = comb.trajectories([c for c in ("escalation", *FAN_OUTCOMES) if c in TRAJECTORY_OUTCOMES])
    except InputError as exc:
        traj = None
        page.text(f"<p class='note'>No trajectory charts: {html.escape(exc.message)}</p>")
    if traj is not None and len(traj):
        add(charts.fan_chart(traj, "threat", colors, thresholds=threshold_lines(scen_objs, colors)),
            "fan_threat", "Dotted lines: each scenario's escalation thresholds (threshold minus "
            "hardening), in the scenario's colour.")
        add(charts.escalation_chart(traj), "escalation")
        for o in FAN_OUTCOMES[1:]:
            add(charts.fan_chart(traj, o, colors), f"fan_{o}")
    for o in DIST_OUTCOMES:
        if summary[o].notna().any():
            add(charts.distribution_chart(summary, o, colors), f"dist_{o}")
        else:
            page.text(f"<p class='note'>No run in any scenario has a value of "
                      f"'{html.escape(OUTCOMES[o].label)}' (e.g. no sanctions at all): no distribution to draw.</p>")
    if len(names) > 1:
        page.section("comparison", f"Comparison with {reference}")
        add(charts.estimate_chart(table, colors), "estimates")
        add(charts.difference_chart(table, reference, colors), "differences")
        if traj is not None and len(traj):
            for o in ("threat", "alignment", "coop_energy"):
                add(charts.small_multiples(traj, o, reference, colors), f"multiples_{o}")

    page.section("appendix", "Appendix: versions, seeds and hashes")
    for study in comb.studies:
        man = {k: v for k, v in study.manifest.items() if k not in ("chunks", "scenarios")}
        man["scenarios"] = [{k: v for k, v in e.items() if k in ("name", "sha256", "seed", "replications",
                                                                  "samples", "horizon_months")}
                            for e in _scenario_entries(study)]
        man["chunks_done"] = f"{len(getattr(study, 'done_chunks', []))} of {len(study.manifest.get('chunks', []))}"
        page.text(f"<h3>{html.escape(str(study.path))}</h3><pre>{html.escape(json.dumps(man, indent=2, default=str))}</pre>")
    page.text(f"<p class='note'>Report built with Python {platform.python_version()}, plotly {plotly.__version__}, "
              f"pandas {pd.__version__} in {time.perf_counter() - t0:.1f} s.</p>")
    return page.render(), page.figures, fig_names


def write_report(paths: Sequence[Path | str], out: Path, png_dir: Path | None = None) -> tuple[int, list[Path]]:
    """Build the report, write it atomically, and optionally export every chart as PNG."""
    text, figures, names = build_report(paths)
    atomic_write(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    pngs = write_pngs(figures, png_dir, names) if png_dir is not None else []
    return len(figures), pngs
