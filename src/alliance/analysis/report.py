"""The offline report: one self-contained HTML file that answers first, then shows the evidence.

``build_report(study_paths)`` reads one study (and optionally others to compare with) and returns
the HTML text, in this order: key findings (generated sentences: what changes P(sanctions) and by
how much, with 95 % intervals and risk ratios), a sorted forest plot of the headline outcomes, the
pivoted outcome table; each scenario's question and events in words; per-scenario panels with each
scenario's own thresholds (sampled ones as bands), escalation, distributions; the outcome against
each sampled parameter in uncertainty studies; then the scenario texts, parameters with their
provenance, and an appendix with versions, seeds and hashes. plotly.js is embedded once, so the
file opens with no network.
"""

from __future__ import annotations

import html
import json
import platform
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import plotly
import plotly.graph_objects as go

from alliance.analysis import charts, style
from alliance.analysis.compare import Combined, load_studies, measure_values, outcome_table
from alliance.analysis.measures import parse_measures
from alliance.analysis.page import Page, write_pngs
from alliance.analysis.report_parts import (
    answer_section,
    distribution_charts,
    parameter_table,
    scenario_objects,
    scenarios_section,
    trajectory_charts,
    uncertainty_section,
)
from alliance.model.outcomes import TRAJECTORY_OUTCOMES
from alliance.model.yamlio import InputError
from alliance.study.fileio import atomic_write

TABLE_MEASURES = ("sanctions_ever", "sanctions_by:12", "sanctions_by:24", "military_ever", "red_line_ever",
                  "max_escalation>=1", "first_sanctions_month", "final_alignment", "final_coop_energy",
                  "cumulative_welfare_loss")
TRAJ_COLUMNS = ("escalation", "threat", "alignment", "coop_energy", "coop_military_technical",
                "coop_peacekeeping", "coop_basing", "interest", "welfare", "belief")


def _scenario_entries(study: Any) -> list[dict[str, Any]]:
    entries = study.manifest.get("scenarios") or []
    return [e if isinstance(e, dict) else {"name": str(e)} for e in entries]


def build_report(paths: Sequence[Path | str], title: str | None = None,
                 measures: Sequence[str] = TABLE_MEASURES, n_boot: int = 1000) -> tuple[str, list[go.Figure], list[str]]:
    """HTML text of the report on ``paths[0]`` (compared with the others), its figures and their names."""
    t0 = time.perf_counter()
    comb: Combined = load_studies(paths)
    main = comb.studies[0]
    names = comb.scenarios
    reference = names[0] if len(names) > 1 else None
    colors = style.palette(names)
    page = Page(title or f"Study {Path(main.path).name}: report")
    summary = comb.summary
    for study in comb.studies:
        if not getattr(study, "complete", True):
            page.text(f"<p class='note sig'>Study {html.escape(str(study.path))} is incomplete: "
                      f"{study.runs_done:,} of {study.runs_total:,} runs done (resume it with "
                      f"alliance batch --resume {html.escape(str(study.path))}); this report covers the finished runs.</p>")
    page.text(f'<p class="note">{len(summary):,} runs in {len(names)} scenario(s): '
              f'{html.escape(", ".join(names))}' + (f"; reference {html.escape(reference)}" if reference else "")
              + f". Built {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.</p>")

    scen_objs, entries = scenario_objects(comb)

    fig_names: list[str] = []

    def add(fig: go.Figure, name: str, caption: str = "") -> None:
        page.figure(fig, caption)
        fig_names.append(name)

    ms = parse_measures(list(measures))
    try:
        values = measure_values(summary, ms, comb.trajectories)
    except InputError:
        ms = [m for m in ms if m.trajectory is None]
        values = measure_values(summary, ms, None)
    table = outcome_table(values, ms, reference, n_boot=n_boot)
    answer_section(page, table, reference, colors, add)
    scenarios_section(page, names, scen_objs)

    page.section("charts", "Charts")
    try:
        traj = comb.trajectories([c for c in TRAJ_COLUMNS if c in TRAJECTORY_OUTCOMES])
    except InputError as exc:
        traj = None
        page.text(f"<p class='note'>No trajectory charts: {html.escape(exc.message)}</p>")
    if traj is not None and len(traj):
        trajectory_charts(page, traj, reference, colors, scen_objs, add)
    distribution_charts(page, summary, colors, add)
    if reference is not None:
        add(charts.difference_chart(table, reference, colors), "differences",
            "Each panel on its own scale; filled diamonds: differences larger than their uncertainty.")
    uncertainty_section(page, comb, scen_objs, colors, add)

    page.section("scenario-text", "Scenario text")
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
