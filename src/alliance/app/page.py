"""The threshold-tuning app (Solara): a thin page over ``state``, ``files``, ``compare``, ``live``.

Start it with ``alliance app [SCENARIO]`` (which serves ``alliance.app.server:Page``: this page,
warmed by ``warm`` before the server listens; ``solara run alliance.app.page:Page`` skips that). The
scenario to open and the user's scenarios folder come from the environment variables
``ALLIANCE_APP_SCENARIO`` and ``ALLIANCE_APP_USER_DIR`` that ``alliance app`` sets. Every state
here is per browser session; every computation lives in the modules above, the panels in
``panels.py``, and charts go through ``chart.PlotlyChart`` (plotly.js loaded once per page).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import solara
from solara.util import CancelledError

from alliance.analysis.style import ACCENT, FONT_FAMILY
from alliance.analysis.tables import summary_table
from alliance.app.chart import PlotlyChart, serve_plotly_js
from alliance.app.compare import add_pin, pin_of
from alliance.app.files import (
    MAX_UPLOAD_BYTES,
    FileRejected,
    accept_upload,
    label_for,
    results_csv,
    save_tuned,
    scenario_sources,
)
from alliance.app.live import Computed, compute, opening_replications, untuned
from alliance.app.panels import (
    GROUPS,
    HeadlineCards,
    Note,
    PinsPanel,
    ReplayPanel,
    TippingPanel,
    html_table,
    tipping_figure,
)
from alliance.app.state import (
    MAX_REPLICATIONS,
    MIN_REPLICATIONS,
    Control,
    EditRejected,
    apply_edit,
    check_replications,
    tuned_scenario,
)
from alliance.model import load_scenario
from alliance.model.scenario_files import resolve_path
from alliance.model.yamlio import InputError

serve_plotly_js()

TITLE = "Alliance balancing: threshold tuning"
DEBOUNCE_S = 0.15
"""Quiet time after the last change before the ensemble is recomputed (dragging stays smooth)."""
CHARTS = ("sanctions", "threat", "cooperation", "summary")
CHART_HEIGHTS = {"sanctions": 380, "threat": 380, "cooperation": 460, "summary": 340}
NO_MESSAGE = ("", "", "")
GROUP_LABELS = {g: g.replace(".", " · ").replace("_", " ") for g in GROUPS}
"""Readable names of the parameter groups (``hegemon.threshold`` → ``hegemon · threshold``)."""

CSS = f"""
body, .v-application {{ font-family: {FONT_FAMILY}; }}
.alliance-title {{ font-size: 1.35em; font-weight: 600; color: {ACCENT}; margin: 4px 0 0 0; }}
.app-layout {{ display: grid; grid-template-columns: minmax(360px, 1fr) 2fr; column-gap: 18px;
               align-items: start; padding: 0 8px; }}
.controls {{ position: sticky; top: 0; max-height: 100vh; overflow-y: auto; padding: 4px 6px 4px 0; }}
.charts {{ min-width: 0; }}
.param-row {{ display: grid; grid-template-columns: 9.5em 1fr 4.6em 5em; align-items: center;
              column-gap: 6px; min-height: 34px; }}
.param-row .param-label {{ font-size: 0.85em; overflow: hidden; text-overflow: ellipsis;
                           white-space: nowrap; cursor: help; }}
.param-row.tuned .param-label {{ font-weight: 700; }}
.param-row .param-unit {{ font-size: 0.75em; color: #666; white-space: nowrap; overflow: hidden; }}
.param-row .v-input {{ margin-top: 0 !important; padding-top: 0 !important; }}
.param-row .v-input__slot {{ margin-bottom: 0 !important; }}
.param-row .v-messages, .param-row .v-text-field__details {{ display: none !important; }}
.param-row .param-input input {{ font-size: 0.85em; text-align: right; }}
.scenario-description {{ font-size: 0.8em; color: #555; display: -webkit-box; -webkit-line-clamp: 3;
                         -webkit-box-orient: vertical; overflow: hidden; }}
.pin-chip, .pin-button {{ text-transform: none !important; letter-spacing: normal !important; }}
.headline-card {{ min-width: 200px; flex: 1; }}
.card-label {{ font-size: 0.85em; color: #444; }}
.card-value {{ font-size: 1.8em; font-weight: 600; display: block; }}
.card-ci, .card-change {{ font-size: 0.8em; display: block; }}
.app-table {{ border-collapse: collapse; font-size: 0.85em; margin: 8px 0; }}
.app-table th, .app-table td {{ border-bottom: 1px solid #e5e5e5; padding: 2px 8px; text-align: left; }}
/* Solara's "This website runs on Solara" banner sits over the charts' bottom-right corner */
div:has(> b > a[href="https://solara.dev"]) {{ display: none !important; }}
"""


@dataclass(frozen=True)
class Config:
    scenario: Path
    user_dir: Path


def read_config() -> Config:
    ref = os.environ.get("ALLIANCE_APP_SCENARIO", "baseline")
    user_dir = Path(os.environ.get("ALLIANCE_APP_USER_DIR", "user_scenarios")).expanduser()
    return Config(resolve_path(ref), user_dir)


def opening() -> tuple[Any, int, Computed]:
    """The state every new page opens on: the configured scenario (read now), its replications and
    its shared untuned result (computed once per scenario contents, see ``live.untuned``)."""
    sc = load_scenario(read_config().scenario)
    reps = opening_replications(sc)
    return sc, reps, untuned(sc, reps)


def warm() -> None:
    """Before the server accepts a page (``alliance app`` serves ``alliance.app.server``, which
    calls this): load the compiled kernel and compute the opening scenario's untuned ensemble and
    figures, so the first page draws without waiting for either."""
    opening()


def _fmt(c: Control, value: float) -> str:
    return str(int(value)) if c.integer else f"{value:g}"


@solara.component
def ParamControl(c: Control, value: float, changed: bool, on_edit: Callable[[str, Any], None],
                 message: tuple[str, str, str]):
    """One compact row: label (help on hover), slider, number box, unit; its message below it."""
    css = "param-" + c.name.replace(".", "-")
    leaf = c.label.rsplit(" (", 1)[0]
    with solara.Div(classes=[css, "param-control"]):
        with solara.Div(classes=["param-row", "tuned" if changed else "untuned"]):
            with solara.Tooltip(c.help):
                solara.Text(leaf + (" •" if changed else ""), classes=["param-label"])
            if c.integer:
                solara.SliderInt("", value=int(value), min=int(c.low), max=int(c.high), step=1,
                                 on_value=lambda v: on_edit(c.name, v))
            else:
                solara.SliderFloat("", value=float(value), min=c.low, max=c.high, step=c.step,
                                   on_value=lambda v: on_edit(c.name, v))
            solara.InputText("", value=_fmt(c, value), on_value=lambda t: on_edit(c.name, t),
                             dense=True, continuous_update=False, classes=["param-input"])
            solara.Text(c.unit, classes=["param-unit"])
        Note(message, c.name)


@solara.component
def Page():
    cfg = solara.use_memo(read_config, [])
    sources_version, set_sources_version = solara.use_state(0)
    sources = solara.use_memo(lambda: scenario_sources(cfg.user_dir, cfg.scenario), [sources_version])
    label, set_label = solara.use_state(label_for(sources, cfg.scenario))
    base_sc = solara.use_memo(lambda: load_scenario(sources[label].path), [label, sources_version])
    overrides, set_overrides = solara.use_state({})
    reps, set_reps = solara.use_state(opening_replications(base_sc))
    message, set_message = solara.use_state(NO_MESSAGE)
    rejected, set_rejected = solara.use_state(0)
    group, set_group = solara.use_state(next(iter(GROUPS)))
    save_name, set_save_name = solara.use_state("")
    pins, set_pins = solara.use_state(())
    drawn, set_drawn = solara.use_state({})

    base_ens = solara.use_memo(lambda: untuned(base_sc, reps).ensemble, [label, sources_version, reps])
    key = (label, sources_version, tuple(sorted(overrides.items())), reps, pins)
    at_start = not overrides and not pins  # the shared untuned result: no thread, no debounce

    def work(cancel: threading.Event) -> Computed:
        if at_start:
            return untuned(base_sc, reps, key)
        time.sleep(DEBOUNCE_S)  # debounce: a newer change cancels this run before it starts
        if cancel.is_set():
            raise CancelledError()
        return compute(key, base_sc, overrides, reps, base_ens, cancel, pins)

    result = solara.use_thread(work, dependencies=[key], intrusive_cancel=False)
    done: Computed | None = result.value
    if at_start and (done is None or done.key != key):
        done = untuned(base_sc, reps, key)
    computing = done is None or done.key != key
    rev = str(hash(done.key)) if done is not None else ""
    busy = computing or any(drawn.get(n) != rev for n in CHARTS)
    below = solara.use_ref(False)  # the panels below the charts wait until the charts first drew:
    below.current = below.current or not busy  # the browser renders them after, not before, those
    values = {**base_sc.params(), **overrides}

    def say(where: str, kind: str, text: str) -> None:
        set_message((where, kind, text))

    def on_edit(name: str, raw: Any) -> None:
        try:
            new = apply_edit(base_sc, overrides, name, raw)
        except EditRejected as exc:
            say(name, "error", f"{exc} — kept {name} = {values[name]:g}")
            set_rejected(lambda n: n + 1)
            return
        set_message(NO_MESSAGE)
        set_overrides(new)

    def on_reps(raw: Any) -> None:
        try:
            set_reps(check_replications(raw))
            set_message(NO_MESSAGE)
        except EditRejected as exc:
            say("replications", "error", f"{exc} — kept {reps}")
            set_rejected(lambda n: n + 1)

    def choose(new_label: str) -> None:
        try:
            sc = load_scenario(sources[new_label].path)
        except InputError as exc:
            say("scenario", "error", exc.format())
            return
        set_label(new_label)
        set_overrides({})
        set_reps(opening_replications(sc))
        set_message(NO_MESSAGE)

    def save() -> None:
        try:
            path, _ = save_tuned(cfg.user_dir, save_name, base_sc, sources[label].path, overrides,
                                 reps, base_sc.seed)
        except (FileRejected, InputError) as exc:
            say("save", "error", exc.format() if isinstance(exc, InputError) else str(exc))
            return
        set_sources_version(sources_version + 1)
        say("save", "success", f"saved {path}; `alliance run {path} --seed {base_sc.seed}` "
                               "reproduces these numbers")

    def upload(info: Any) -> None:
        try:
            head = info["file_obj"].read(MAX_UPLOAD_BYTES + 1)
            path, _sc = accept_upload(cfg.user_dir, info["name"], info.get("size"), head)
        except (FileRejected, InputError) as exc:
            say("upload", "error", exc.format() if isinstance(exc, InputError) else str(exc))
            return
        set_sources_version(sources_version + 1)
        say("upload", "success", f"uploaded {info['name']} as {path.name}; pick it from the list")

    def pin() -> None:
        if done is None or computing:
            return
        try:
            set_pins(tuple(add_pin(pins, pin_of(done.ensemble, label))))
        except EditRejected as exc:
            say("pin", "error", str(exc))
            return
        say("pin", "success", f"pinned run #{len(pins) + 1}: overlaid on the sanctions chart")

    def unpin(i: int) -> None:
        set_pins(tuple(p for k, p in enumerate(pins) if k != i))
        set_message(NO_MESSAGE)

    def on_drawn(name: str) -> Callable[[str], None]:
        return lambda r: set_drawn(lambda d: {**d, name: r})

    tuned = tuned_scenario(base_sc, overrides, reps, base_sc.seed)

    solara.Title(TITLE)
    solara.Style(CSS)
    with solara.Div(classes=["app-layout"]):  # a grid: the sticky sidebar needs no scrolling parent
        with solara.Column(classes=["controls"], gap="4px"):
            solara.Text(TITLE, classes=["alliance-title"])
            solara.Select("scenario", values=list(sources), value=label, on_value=choose)
            Note(message, "scenario")
            solara.Text(base_sc.description, classes=["scenario-description"])
            with solara.Row(style={"align-items": "center"}):
                solara.Button("Reset to the scenario's values", classes=["reset"], small=True,
                              on_click=lambda: (set_overrides({}), set_message(NO_MESSAGE)))
            with solara.Div(classes=["replications-control"]).key(f"reps-{rejected}"):
                with solara.Div(classes=["param-row"]):
                    solara.Text("replications", classes=["param-label"])
                    solara.SliderInt("", value=reps, min=MIN_REPLICATIONS, max=MAX_REPLICATIONS,
                                     step=10, on_value=on_reps)
                    solara.InputText("", value=str(reps), on_value=on_reps, dense=True,
                                     continuous_update=False, classes=["reps-input", "param-input"])
                    solara.Text("runs", classes=["param-unit"])
                Note(message, "replications")
            solara.Select("parameter group", values=list(GROUP_LABELS.values()), value=GROUP_LABELS[group],
                          on_value=lambda v: set_group(next(g for g, lab in GROUP_LABELS.items() if lab == v)))
            with solara.Column(gap="0px").key(f"group-{group}-{rejected}"):
                for c in GROUPS[group]:
                    ParamControl(c, values[c.name], c.name in overrides, on_edit, message).key(
                        f"{c.name}-{rejected}")
            with solara.Card("Save and export"):
                solara.InputText("new scenario name (snake_case)", value=save_name,
                                 on_value=set_save_name, continuous_update=True, classes=["save-name"])
                solara.Button("Save as scenario", on_click=save, classes=["save-button"])
                Note(message, "save")
                solara.Text(f"saves into {cfg.user_dir.resolve()}", style={"font-size": "0.8em"})
                solara.FileDownload(lambda: results_csv(tuned), filename=f"{tuned.name}_tuned.csv",
                                    label="Download trajectories (CSV)")
                solara.FileDownload(lambda: results_csv(tuned, "summary"),
                                    filename=f"{tuned.name}_tuned_summary.csv",
                                    label="Download per-replication summary (CSV)")
                solara.FileDrop(label=f"Drop a scenario YAML here (≤ {MAX_UPLOAD_BYTES // 1000} kB)",
                                on_file=upload, lazy=True)
                Note(message, "upload")
        with solara.Column(classes=["charts"]):
            status = "computing…" if computing else ("drawing…" if busy else "up to date")
            solara.Text(f"{reps} replications × {base_sc.horizon_months} months, seed {base_sc.seed} "
                        f"· {status}", classes=["status", "busy" if busy else "ready"])
            if result.error is not None:
                solara.Error(f"computation failed: {result.error}")
            HeadlineCards(done.cards if done is not None else None)
            PinsPanel(list(pins), pin, unpin, message, can_pin=not computing)
            for name in CHARTS:
                PlotlyChart(done.json[name] if done is not None else None, rev=rev,
                            on_drawn=on_drawn(name), placeholder=name,
                            height=CHART_HEIGHTS[name]).key(f"chart-{name}")
            if not below.current:
                solara.Text("The summary table, the replay and the tipping-point map follow once the "
                            "charts are drawn.", classes=["below-pending"], style={"color": "#777"})
            else:
                if done is not None:
                    tab_t = summary_table(done.ensemble.summary)
                    tab_b = summary_table(base_ens.summary)
                    solara.HTML(unsafe_innerHTML=html_table(
                        [{"outcome": k, "tuned": v, "untuned": tab_b[k]} for k, v in tab_t.items()],
                        "summary-table"))
                ReplayPanel(done.ensemble if done is not None else None)
                TippingPanel(tuned)


__all__ = ["Page", "compute", "opening", "tipping_figure", "warm"]
