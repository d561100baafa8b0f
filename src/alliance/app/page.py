"""The threshold-tuning app (Solara): a thin UI over ``app_state``, ``app_files``, ``app_figures``.

Start it with ``alliance app [SCENARIO]`` (or ``solara run alliance.app.page:Page``). The
scenario to open and the user's scenarios folder come from the environment variables
``ALLIANCE_APP_SCENARIO`` and ``ALLIANCE_APP_USER_DIR`` that ``alliance app`` sets. Every state
here is per browser session; every computation lives in the modules above.
"""

from __future__ import annotations

import html
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import solara
from solara.util import CancelledError

from alliance.analysis.tables import summary_table
from alliance.app import figures as figs
from alliance.app.files import (
    MAX_UPLOAD_BYTES,
    FileRejected,
    accept_upload,
    label_for,
    results_csv,
    save_tuned,
    scenario_sources,
)
from alliance.app.state import (
    DEFAULT_REPLICATIONS,
    MAX_REPLICATIONS,
    MIN_REPLICATIONS,
    Control,
    EditRejected,
    Ensemble,
    Replay,
    apply_edit,
    check_replications,
    control_groups,
    run_ensemble,
    thresholds,
    tuned_scenario,
)
from alliance.model import PARAMS, load_scenario
from alliance.model.scenario_files import resolve_path
from alliance.model.yamlio import InputError

DEBOUNCE_S = 0.15
"""Quiet time after the last change before the ensemble is recomputed (dragging stays smooth)."""
GROUPS = control_groups()


@dataclass(frozen=True)
class Config:
    scenario: Path
    user_dir: Path


def read_config() -> Config:
    ref = os.environ.get("ALLIANCE_APP_SCENARIO", "baseline")
    user_dir = Path(os.environ.get("ALLIANCE_APP_USER_DIR", "user_scenarios")).expanduser()
    return Config(resolve_path(ref), user_dir)


@dataclass(frozen=True)
class Computed:
    key: tuple
    ensemble: Ensemble
    figures: dict[str, Any]


def compute(key: tuple, base_sc: Any, overrides: dict, reps: int, base_ens: Ensemble,
            cancel: threading.Event | None = None) -> Computed:
    """New parameters → tuned ensemble → finished figures (what ``benchmarks/app.py`` times)."""
    sc = tuned_scenario(base_sc, overrides, reps, base_sc.seed)
    ens = run_ensemble(sc)
    if cancel is not None and cancel.is_set():
        raise CancelledError()
    out = {
        "sanctions": figs.sanctions_probability(ens, base_ens),
        "threat": figs.threat_fan(ens, base_ens, thresholds(ens.params), thresholds(base_ens.params)),
        "cooperation": figs.cooperation_fans(ens, base_ens),
        "summary": figs.outcome_summary(ens, base_ens),
    }
    return Computed(key, ens, out)


def _fmt(c: Control, value: float) -> str:
    return str(int(value)) if c.integer else f"{value:g}"


@solara.component
def ParamControl(c: Control, value: float, changed: bool, on_edit: Callable[[str, Any], None]):
    """A slider and a number box for one parameter; label, range, unit and help from PARAMS."""
    css = "param-" + c.name.replace(".", "-")
    with solara.Column(gap="0px", classes=[css, "param-control"], style={"margin-bottom": "6px"}):
        weight = "bold" if changed else "normal"
        with solara.Tooltip(c.help):
            solara.Text(f"{c.name}{' (tuned)' if changed else ''}", style={"font-weight": weight})
        if c.integer:
            solara.SliderInt("", value=int(value), min=int(c.low), max=int(c.high), step=1,
                             on_value=lambda v: on_edit(c.name, v))
        else:
            solara.SliderFloat("", value=float(value), min=c.low, max=c.high, step=c.step,
                               on_value=lambda v: on_edit(c.name, v))
        solara.InputText(c.label, value=_fmt(c, value), on_value=lambda t: on_edit(c.name, t),
                         dense=True, continuous_update=False,
                         classes=["param-input"], message=f"[{c.low:g}, {c.high:g}] {c.unit} · {PARAMS[c.name].description}")


def _md_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(html.escape(str(r[c])) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


@solara.component
def ReplayPanel(ens: Ensemble | None):
    """Pick a replication and step through it month by month as a one-replication model."""
    replay = solara.use_ref(None)
    batch_row = solara.use_ref(None)
    tick, set_tick = solara.use_state(0)
    rep_text, set_rep_text = solara.use_state("")
    error, set_error = solara.use_state("")

    def start(r: int | None) -> None:
        if ens is None:
            return
        if r is None:
            set_error("no replication ended in sanctions with these parameters")
            return
        try:
            row = ens.replication(r)
            replay.current = Replay(ens.scenario, r)
        except EditRejected as exc:
            set_error(str(exc))
            return
        batch_row.current = row
        set_rep_text(str(r))
        set_error("")
        set_tick(tick + 1)

    def start_typed() -> None:
        try:
            start(int(rep_text.strip()))
        except ValueError:
            set_error(f"replication: {rep_text!r} is not a whole number")

    def move(fn: Callable[[Replay], None]) -> None:
        if replay.current is not None:
            fn(replay.current)
            set_tick(tick + 1)

    with solara.Card("Replay one replication", classes=["replay-panel"]):
        with solara.Row():
            solara.InputText("replication", value=rep_text, on_value=set_rep_text, dense=True,
                             continuous_update=True, classes=["replay-rep"])
            solara.Button("Replay", on_click=start_typed, classes=["replay-start"])
            solara.Button("First with sanctions", classes=["replay-first-sanctions"],
                          on_click=lambda: start(ens.first_sanctioned() if ens else None))
        if error:
            solara.Error(error, classes=["replay-error"])
        rp: Replay | None = replay.current
        if rp is None:
            solara.Text("Choose a replication to step through it month by month.")
            return
        with solara.Row():
            solara.Button("◀ month", on_click=lambda: move(Replay.back), classes=["replay-back"])
            solara.Button("month ▶", on_click=lambda: move(Replay.forward), classes=["replay-forward"])
            solara.Button("to the end »", on_click=lambda: move(Replay.to_end), classes=["replay-end"])
            solara.Text(f"replication {rp.replication} · month {rp.position} of {rp.horizon}",
                        classes=["replay-position"])
        solara.FigurePlotly(figs.replay_chart(rp.trajectory(), batch_row.current, rp.replication))
        solara.Markdown(_md_table(rp.decisions().to_dict("records")))


TIPPING_GRID = (16, 16)
TIPPING_REPLICATIONS = 60


def tipping_figure(tuned: Any, x: str, y: str) -> Any:
    """Tipping-point map of P(sanctions) over two parameters around their current values, with the
    current point marked (``tipping.tipping_map`` and ``charts.tipping_chart`` of the analysis)."""
    from alliance.analysis.charts import tipping_chart
    from alliance.analysis.tipping import tipping_map

    values = tuned.params()

    def around(name: str) -> tuple[float, float]:
        p = PARAMS[name]
        half = 0.25 * (p.high - p.low)
        return max(p.low, values[name] - half), min(p.high, values[name] + half)

    tm = tipping_map(tuned, x, y, grid=TIPPING_GRID, replications=TIPPING_REPLICATIONS,
                     x_range=around(x), y_range=around(y), n_boot=100)
    fig = tipping_chart(tm.frame(), x, y, tm.title, level=tm.level)
    fig.add_scatter(x=[values[x]], y=[values[y]], mode="markers", name="current tuning",
                    marker={"symbol": "x", "size": 14, "color": "black"})
    fig.update_layout(meta="tipping")
    return fig


@solara.component
def TippingPanel(tuned: Any):
    """Optional: P(sanctions) over two chosen parameters, computed on request."""
    names = [c.name for group in GROUPS.values() for c in group]
    x, set_x = solara.use_state("hegemon.threshold.economic")
    y, set_y = solara.use_state("balancer.ceiling.energy")
    request, set_request = solara.use_state(None)

    def work() -> Any:
        if request is None:
            return None
        return tipping_figure(*request)

    result = solara.use_thread(work, dependencies=[request], intrusive_cancel=False)
    with solara.Details("Tipping-point map (optional)", expand=False):
        with solara.Row():
            solara.Select("x parameter", values=names, value=x, on_value=set_x)
            solara.Select("y parameter", values=names, value=y, on_value=set_y)
            solara.Button("Compute map", on_click=lambda: set_request((tuned, x, y)),
                          disabled=x == y, classes=["tipping-compute"])
        solara.Text(f"{TIPPING_GRID[0]} × {TIPPING_GRID[1]} cells × {TIPPING_REPLICATIONS} replications, "
                    "around the current values")
        if result.error is not None:
            solara.Error(str(result.error))
        elif result.state in (solara.ResultState.RUNNING, solara.ResultState.STARTING):
            solara.ProgressLinear(True)
        if result.value is not None:
            solara.FigurePlotly(result.value)


@solara.component
def Page():
    cfg = solara.use_memo(read_config, [])
    sources_version, set_sources_version = solara.use_state(0)
    sources = solara.use_memo(lambda: scenario_sources(cfg.user_dir, cfg.scenario), [sources_version])
    label, set_label = solara.use_state(label_for(sources, cfg.scenario))
    base_sc = solara.use_memo(lambda: load_scenario(sources[label].path), [label, sources_version])
    overrides, set_overrides = solara.use_state({})
    reps, set_reps = solara.use_state(min(base_sc.replications, DEFAULT_REPLICATIONS))
    message, set_message = solara.use_state(("", ""))
    rejected, set_rejected = solara.use_state(0)
    group, set_group = solara.use_state(next(iter(GROUPS)))
    save_name, set_save_name = solara.use_state("")

    base_ens = solara.use_memo(lambda: run_ensemble(tuned_scenario(base_sc, {}, reps, base_sc.seed)),
                               [label, sources_version, reps])
    key = (label, sources_version, tuple(sorted(overrides.items())), reps)

    def work(cancel: threading.Event) -> Computed:
        time.sleep(DEBOUNCE_S)  # debounce: a newer change cancels this run before it starts
        if cancel.is_set():
            raise CancelledError()
        return compute(key, base_sc, overrides, reps, base_ens, cancel)

    result = solara.use_thread(work, dependencies=[key], intrusive_cancel=False)
    done: Computed | None = result.value
    busy = done is None or done.key != key
    values = {**base_sc.params(), **overrides}

    def reject(text: str) -> None:
        set_message(("error", text))
        set_rejected(lambda n: n + 1)

    def on_edit(name: str, raw: Any) -> None:
        try:
            new = apply_edit(base_sc, overrides, name, raw)
        except EditRejected as exc:
            reject(f"{exc} — kept {name} = {values[name]:g}")
            return
        set_message(("", ""))
        set_overrides(new)

    def on_reps(raw: Any) -> None:
        try:
            set_reps(check_replications(raw))
            set_message(("", ""))
        except EditRejected as exc:
            reject(f"{exc} — kept {reps}")

    def choose(new_label: str) -> None:
        try:
            sc = load_scenario(sources[new_label].path)
        except InputError as exc:
            reject(exc.format())
            return
        set_label(new_label)
        set_overrides({})
        set_reps(min(sc.replications, DEFAULT_REPLICATIONS))
        set_message(("", ""))

    def save() -> None:
        try:
            path, _ = save_tuned(cfg.user_dir, save_name, base_sc, sources[label].path, overrides,
                                 reps, base_sc.seed)
        except (FileRejected, InputError) as exc:
            set_message(("error", exc.format() if isinstance(exc, InputError) else str(exc)))
            return
        set_sources_version(sources_version + 1)
        set_message(("success", f"saved {path}; `alliance run {path} --seed {base_sc.seed}` "
                                "reproduces these numbers"))

    def upload(info: Any) -> None:
        try:
            head = info["file_obj"].read(MAX_UPLOAD_BYTES + 1)
            path, _sc = accept_upload(cfg.user_dir, info["name"], info.get("size"), head)
        except (FileRejected, InputError) as exc:
            set_message(("error", exc.format() if isinstance(exc, InputError) else str(exc)))
            return
        set_sources_version(sources_version + 1)
        set_message(("success", f"uploaded {info['name']} as {path.name}; pick it from the list"))

    tuned = tuned_scenario(base_sc, overrides, reps, base_sc.seed)

    solara.Title("alliance: threshold tuning")
    with solara.Columns([1, 2]):
        with solara.Column(classes=["controls"]):
            solara.Select("scenario", values=list(sources), value=label, on_value=choose)
            solara.Text(base_sc.description, style={"font-size": "0.85em"})
            kind, text = message
            if kind == "error":
                solara.Error(text, classes=["app-message"])
            elif kind == "success":
                solara.Success(text, classes=["app-message"])
            with solara.Row():
                solara.Button("Reset to the scenario's values", classes=["reset"],
                              on_click=lambda: (set_overrides({}), set_message(("", ""))))
            with solara.Column(gap="0px", classes=["replications-control"]).key(f"reps-{rejected}"):
                solara.SliderInt("replications", value=reps, min=MIN_REPLICATIONS, max=MAX_REPLICATIONS,
                                 step=10, on_value=on_reps)
                solara.InputText("replications", value=str(reps), on_value=on_reps, dense=True,
                                 classes=["reps-input"])
            solara.Select("parameter group", values=list(GROUPS), value=group, on_value=set_group)
            with solara.Column(gap="2px").key(f"group-{group}-{rejected}"):
                for c in GROUPS[group]:
                    ParamControl(c, values[c.name], c.name in overrides, on_edit).key(
                        f"{c.name}-{rejected}")
            if overrides:
                solara.Markdown("**Tuned:** " + ", ".join(
                    f"`{k} = {v:g}`" for k, v in sorted(overrides.items())))
            with solara.Card("Save and export"):
                solara.InputText("new scenario name (snake_case)", value=save_name,
                                 on_value=set_save_name, continuous_update=True, classes=["save-name"])
                solara.Button("Save as scenario", on_click=save, classes=["save-button"])
                solara.Text(f"saves into {cfg.user_dir.resolve()}", style={"font-size": "0.8em"})
                solara.FileDownload(lambda: results_csv(tuned), filename=f"{tuned.name}_tuned.csv",
                                    label="Download trajectories (CSV)")
                solara.FileDownload(lambda: results_csv(tuned, "summary"),
                                    filename=f"{tuned.name}_tuned_summary.csv",
                                    label="Download per-replication summary (CSV)")
                solara.FileDrop(label=f"Drop a scenario YAML here (≤ {MAX_UPLOAD_BYTES // 1000} kB)",
                                on_file=upload, lazy=True)
        with solara.Column(classes=["charts"]):
            status = "computing…" if busy else "up to date"
            solara.Text(f"{reps} replications × {base_sc.horizon_months} months, seed {base_sc.seed} "
                        f"· {status}", classes=["status", "busy" if busy else "ready"])
            if result.error is not None:
                solara.Error(f"computation failed: {result.error}")
            if done is not None:
                for name in ("sanctions", "threat", "cooperation", "summary"):
                    solara.FigurePlotly(done.figures[name])
                tab_t = summary_table(done.ensemble.summary)
                tab_b = summary_table(base_ens.summary)
                solara.Markdown(_md_table([{"outcome": k, "tuned": v, "untuned": tab_b[k]}
                                           for k, v in tab_t.items()]))
            ReplayPanel(done.ensemble if done is not None else None)
            TippingPanel(tuned)
