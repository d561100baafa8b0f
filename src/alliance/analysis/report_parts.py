"""Sections shared by the report and ``compare``: the answer first, then the evidence.

``answer_section`` writes the key findings (generated sentences), the forest plot of the headline
outcomes and the pivoted outcome table; ``scenarios_section`` each scenario's question and its
events in words; ``trajectory_charts`` the per-scenario panels (own thresholds; sampled ones as
bands), escalation and distributions, skipping constant series with a note; ``uncertainty_section``
the outcome against each sampled parameter, ranked, with the commands to go further.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import yaml

from alliance.analysis import charts, labels, style
from alliance.analysis.charts_compare import forest_chart
from alliance.analysis.findings import key_findings, pivot
from alliance.analysis.influence import binned_outcome, influence, influence_chart
from alliance.analysis.measures import parse_measure
from alliance.analysis.page import Page
from alliance.analysis.panels import is_constant, sampled_ranges, scenario_panels, threshold_ranges
from alliance.analysis.runpage import events_html
from alliance.model.outcomes import OUTCOMES
from alliance.model.parameters import PARAMS, defaults
from alliance.model.scenario import Scenario
from alliance.model.scenario_files import load_scenario
from alliance.model.yamlio import InputError

HEADLINE = ("sanctions_ever", "sanctions_by:12", "military_ever", "final_coop_energy", "cumulative_welfare_loss")
"""Outcomes of the forest plot, in order (those present in the table)."""
PANEL_OUTCOMES = ("threat", "coop_energy", "alignment", "coop_military_technical", "coop_peacekeeping",
                  "coop_basing", "interest", "welfare", "belief")
DIST_OUTCOMES = ("first_sanctions_month", "max_escalation", "months_sanctioned", "final_alignment",
                 "final_coop_energy", "cumulative_welfare_loss")


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


def scenario_objects(comb: Any) -> tuple[dict[str, Scenario | None], dict[str, dict[str, Any]]]:
    """Label → validated scenario (None if not recoverable) and label → manifest entry, for every
    scenario of the combined studies."""
    objs: dict[str, Scenario | None] = {}
    entries: dict[str, dict[str, Any]] = {}
    for study, lab in zip(comb.studies, comb.labels, strict=False):
        raw = study.manifest.get("scenarios") or []
        by_name = {e.get("name"): e for e in (x if isinstance(x, dict) else {"name": str(x)} for x in raw)}
        for n, label in lab.items():
            entries[label] = by_name.get(n, {"name": n})
            objs[label] = scenario_of(entries[label])
    return objs, entries


def parameter_table(sc: Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(parameters set or sampled by the scenario, every parameter) with label, unit, range, provenance."""
    vals, base = sc.params(), defaults()
    unc = dict(sc.uncertainties or {})
    rows = []
    for name, p in PARAMS.items():
        dist = unc.get(name)
        rows.append({
            "parameter": labels.param_label(name), "name": name, "value": labels.sig(vals[name]),
            "uncertainty": "" if dist is None else json.dumps(dist.model_dump(exclude_none=True)),
            "default": labels.sig(base[name]), "unit": p.unit, "range": f"[{p.low:g}, {p.high:g}]",
            "provenance": p.provenance, "changed": vals[name] != base[name] or dist is not None,
        })
    df = pd.DataFrame(rows)
    changed = df[df["changed"]].drop(columns="changed")
    return changed, df.drop(columns="changed")


def answer_section(page: Page, table: pd.DataFrame, reference: str | None, colors: Mapping[str, str],
                   add: Any) -> None:
    """Key findings, forest plot, pivoted table (the first screen of the report and of compare)."""
    page.section("findings", "Key findings")
    if reference is None:
        sentences = []
        for o in [o for o in HEADLINE if o in set(table["outcome"])] or [table["outcome"].iloc[0]]:
            sentences += key_findings(table, None, main=o)
    else:
        sentences = key_findings(table, reference)
    page.text("<ul class='findings lead'>" + "".join(f"<li>{html.escape(s)}</li>" for s in sentences) + "</ul>")
    outs = [o for o in HEADLINE if o in set(table["outcome"])] or list(dict.fromkeys(table["outcome"]))[:5]
    add(forest_chart(table, reference, colors, outs), "forest",
        "Each row a scenario, sorted by the first outcome; bars are 95 % intervals (Wilson for "
        "probabilities, bootstrap for means); the hover gives the difference from the reference and the "
        "risk ratio.")
    t = table.copy()
    t.attrs["reference"] = reference
    page.table(pivot(t), "Outcomes × scenarios: estimate [95 % interval], three significant figures.")
    if reference is not None and table["scenario"].nunique() > 1:
        page.text("<details><summary>Differences from " + html.escape(reference) + " (probabilities in "
                  "percentage points; * larger than its uncertainty)</summary>"
                  + pivot(t, differences=True).to_html(index=False, border=0) + "</details>")


def scenarios_section(page: Page, names: Sequence[str], scen_objs: Mapping[str, Scenario | None]) -> None:
    """Each scenario's question and events, in words."""
    page.section("scenarios", "Scenarios and their events")
    for label in names:
        sc = scen_objs.get(label)
        desc = sc.description if sc is not None else "(scenario text not recorded)"
        page.text(f"<h3>{html.escape(label)}</h3><p>{html.escape(desc)}</p>")
        if sc is not None:
            page.text(events_html(list(sc.events)))
            ranges = sampled_ranges(sc)
            if ranges:
                page.text("<p class='note'>Sampled: " + html.escape("; ".join(
                    f"{labels.param_label(n)} {labels.sig(lo)}–{labels.sig(hi)} {labels.param_unit(n)}"
                    for n, (lo, hi) in ranges.items())) + ".</p>")


def trajectory_charts(page: Page, traj: pd.DataFrame, reference: str | None, colors: Mapping[str, str],
                      scen_objs: Mapping[str, Scenario | None], add: Any) -> None:
    """Per-scenario panels (threat with each scenario's own thresholds), escalation, other panels."""
    thresholds = {n: threshold_ranges(sc) for n, sc in scen_objs.items() if sc is not None}
    add(scenario_panels(traj, "threat", colors, reference, thresholds), "fan_threat",
        "One panel per scenario, one y-scale. Lines: each scenario's own escalation thresholds (threshold "
        "minus hardening: dotted diplomatic, dashed economic, solid military); shaded: a threshold the "
        "study samples, over its sampled range.")
    add(charts.escalation_chart(traj), "escalation")
    constant = []
    for o in PANEL_OUTCOMES[1:]:
        if o not in traj:
            continue
        value = is_constant(traj, o)
        if value is not None:
            constant.append(f"{OUTCOMES[o].label}: constant at {labels.sig(value)}")
            continue
        add(scenario_panels(traj, o, colors, reference), f"fan_{o}")
    if constant:
        page.text("<p class='note'>Not drawn (the same in every run, month and scenario): "
                  + html.escape("; ".join(constant)) + ".</p>")


def distribution_charts(page: Page, summary: pd.DataFrame, colors: Mapping[str, str], add: Any) -> None:
    """Distributions of per-run outcomes; "never (0 of n)" or "constant at X" instead of an empty chart."""
    for o in DIST_OUTCOMES:
        v = summary[o].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        finite = v[np.isfinite(v)]
        if not len(finite):
            page.text(f"<p class='note'>{html.escape(OUTCOMES[o].label)}: never (0 of {len(v):,} runs).</p>")
        elif float(finite.max() - finite.min()) < 1e-12:
            page.text(f"<p class='note'>{html.escape(OUTCOMES[o].label)}: constant at {labels.sig(float(finite[0]))} "
                      "in every run.</p>")
        else:
            add(charts.distribution_chart(summary, o, colors), f"dist_{o}")


def uncertainty_section(page: Page, comb: Any, scen_objs: Mapping[str, Scenario | None],
                        colors: Mapping[str, str], add: Any, outcome: str = "sanctions_ever") -> None:
    """For each scenario that samples parameters: the outcome against each of them, ranked."""
    measure = parse_measure(outcome)
    done = False
    for study, lab in zip(comb.studies, comb.labels, strict=False):
        runs = study.runs
        for name, label in lab.items():
            sc = scen_objs.get(label)
            sampled = [p for p in sampled_ranges(sc) if p in runs.columns] if sc is not None else []
            if not sampled:
                continue
            if not done:
                page.section("uncertainty", "What the uncertain parameters do")
                done = True
            summ = study.summary[study.summary["scenario"].astype(str) == name]
            r = runs[runs["scenario"].astype(str) == name].set_index("run_id")[sampled]
            params = r.reindex(summ["run_id"].to_numpy())
            values = measure.evaluate(summ)
            binned = binned_outcome(values, params.reset_index(drop=True), measure.binary)
            ranked = influence(binned)
            if not len(ranked):
                continue
            page.text(f"<h3 id='uncertainty-{html.escape(label)}'>{html.escape(label)}</h3>")
            add(influence_chart(binned, list(ranked["parameter"]), measure.title, measure.binary, colors.get(label)),
                f"influence_{label}".replace("/", "_"))
            top = list(ranked["parameter"][:2])
            items = "".join(f"<li>{html.escape(row.label)}: spread {labels.sig(100 * row.spread) + ' points' if measure.binary else labels.sig(row.spread)}</li>"
                            for row in ranked.itertuples(index=False))
            page.text(f"<p>Ranked by the spread of the binned estimates:</p><ol>{items}</ol>")
            if len(top) == 2:
                page.text(
                    "<p class='note'>Go further: where exactly it tips, <code>alliance map "
                    f"{html.escape(sc.name)} --x {html.escape(top[0])} --y {html.escape(top[1])}</code> "
                    f"(<a href='#uncertainty-{html.escape(label)}'>{html.escape(labels.param_label(top[0]))} × "
                    f"{html.escape(labels.param_label(top[1]))}</a>); how much of the variance each explains, "
                    f"<code>alliance sensitivity {html.escape(sc.name)}</code>.</p>")


def compare_page(comb: Any, table: pd.DataFrame, reference: str) -> Page:
    """The page of ``alliance compare``: the answer first (findings, forest plot, pivoted table), the
    scenarios' events, the differences and the threat and alignment panels."""
    multi = len(comb.scenarios) > 1
    ref = reference if multi else None
    colors = style.palette(comb.scenarios)
    scen_objs, _ = scenario_objects(comb)
    page = Page(f"Comparison: {', '.join(comb.scenarios)}")
    answer_section(page, table, ref, colors, lambda f, _n, c="": page.figure(f, c))
    scenarios_section(page, comb.scenarios, scen_objs)
    page.section("charts", "Charts")
    if ref is not None:
        page.figure(charts.difference_chart(table, ref, colors),
                    "Each panel on its own scale; filled diamonds: differences larger than their uncertainty.")
    try:
        traj = comb.trajectories(["threat", "alignment"])
    except InputError:
        traj = None
    if traj is not None and len(traj):
        thresholds = {n: threshold_ranges(sc) for n, sc in scen_objs.items() if sc is not None}
        page.figure(scenario_panels(traj, "threat", colors, ref, thresholds),
                    "Each scenario's own thresholds; shaded: sampled thresholds over their range.")
        page.figure(scenario_panels(traj, "alignment", colors, ref))
    return page


__all__ = [
    "DIST_OUTCOMES",
    "HEADLINE",
    "PANEL_OUTCOMES",
    "answer_section",
    "compare_page",
    "distribution_charts",
    "parameter_table",
    "scenario_objects",
    "scenario_of",
    "scenarios_section",
    "trajectory_charts",
    "uncertainty_section",
]
