"""The app's panels (Solara components): messages, headline cards, pinned runs, replay, tipping map.

Each panel draws what ``state``, ``compare`` and ``figures`` compute; ``page.py`` lays them out.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import solara

from alliance.app import figures as figs
from alliance.app.chart import PlotlyChart
from alliance.app.compare import Headline, Pin, param_label, pin_labels
from alliance.app.state import EditRejected, Ensemble, Replay, control_groups
from alliance.model import PARAMS

GROUPS = control_groups()
TIPPING_GRID = (16, 16)
TIPPING_REPLICATIONS = 60


@solara.component_vue("message.vue")
def Message(kind: str, text: str) -> None:
    """A success or error note, shown where the control that caused it is, scrolled into view."""


def Note(message: tuple[str, str, str], where: str) -> None:
    """Show ``message`` = (where, kind, text) if it belongs to ``where``."""
    at, kind, text = message
    if at == where and text:
        Message(kind=kind, text=text)


def html_table(rows: list[dict[str, Any]], css: str = "") -> str:
    """Rows as a plain HTML table (solara.Markdown would load mermaid and KaTeX on every page)."""
    if not rows:
        return ""
    cols = list(rows[0])
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r[c]))}</td>" for c in cols) + "</tr>"
                   for r in rows)
    return f'<table class="app-table {css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


@solara.component
def HeadlineCards(cards: list[Headline] | None):
    """P(sanctions), P(protest), final energy cooperation: tuned, untuned and the change."""
    with solara.Row(classes=["headline-cards"], style={"flex-wrap": "wrap", "gap": "10px"}):
        if cards is None:
            for _ in range(3):
                with solara.Card(classes=["headline-card", "placeholder"]):
                    solara.Text("computing…", style={"color": "#777"})
            return
        for c in cards:
            with solara.Card(classes=["headline-card", f"card-{c.name}"]):
                solara.Text(c.label, classes=["card-label"])
                solara.Text(c.text(c.tuned), classes=["card-value"])
                if c.tuned_ci is not None:
                    solara.Text(f"95% interval {c.text(c.tuned_ci[0])} – {c.text(c.tuned_ci[1])}",
                                classes=["card-ci"])
                colour = "#a01515" if c.change > 0 and c.is_probability else "#1f5fa8"
                solara.Text(f"untuned {c.text(c.untuned)} · {c.change_text()}", classes=["card-change"],
                            style={"color": colour if abs(c.change) > 0 else "#555"})


@solara.component
def PinsPanel(pins: list[Pin], on_pin: Callable[[], None], on_unpin: Callable[[int], None],
              message: tuple[str, str, str], can_pin: bool):
    """Pin the run on screen; pinned runs are overlaid on the sanctions chart, labelled by differences."""
    with solara.Row(classes=["pins"], style={"flex-wrap": "wrap", "align-items": "center"}):
        solara.Button("Pin this run", on_click=on_pin, disabled=not can_pin, classes=["pin-button"],
                      small=True)
        for i, label in enumerate(pin_labels(pins)):
            solara.Button(f"{label}  ✕", on_click=lambda i=i: on_unpin(i), small=True, text=True,
                          classes=["pin-chip"]).key(f"pin-{label}")
    Note(message, "pin")


@solara.component
def ReplayPanel(ens: Ensemble | None):
    """Pick a replication and step through it month by month as a one-replication model."""
    replay = solara.use_ref(None)
    batch_row = solara.use_ref(None)
    tick, set_tick = solara.use_state(0)
    rep_text, set_rep_text = solara.use_state("")
    error, set_error = solara.use_state("")

    def start(r: int | None, month: int | None = None) -> None:
        if ens is None:
            return
        if r is None:
            set_error("no replication ended in sanctions with these parameters")
            return
        try:
            row = ens.replication(r)
            rp = Replay(ens.scenario, r)
            if month is not None:
                rp.go_to(month)
        except EditRejected as exc:
            set_error(str(exc))
            return
        replay.current = rp
        batch_row.current = row
        set_rep_text(str(r))
        set_error("")
        set_tick(tick + 1)

    def start_typed() -> None:
        try:
            start(int(rep_text.strip()))
        except ValueError:
            set_error(f"replication: {rep_text!r} is not a whole number")

    def first_sanctions() -> None:
        r = ens.first_sanctioned() if ens else None
        start(r, None if r is None or ens is None else ens.first_sanctions_month(r))

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
                          on_click=first_sanctions)
        if error:
            Message(kind="error", text=error)
        rp: Replay | None = replay.current
        if rp is None:
            solara.Text("Choose a replication to step through it month by month; "
                        "“First with sanctions” opens at the month sanctions began.")
            return
        with solara.Row():
            solara.Button("◀ month", on_click=lambda: move(Replay.back), classes=["replay-back"])
            solara.Button("month ▶", on_click=lambda: move(Replay.forward), classes=["replay-forward"])
            solara.Button("to the end »", on_click=lambda: move(Replay.to_end), classes=["replay-end"])
            solara.Text(f"replication {rp.replication} · month {rp.position} of {rp.horizon}",
                        classes=["replay-position"])
        PlotlyChart(figs.replay_chart(rp.trajectory(), batch_row.current, rp.replication,
                                      scenario=rp.scenario), placeholder="replay", height=380)
        solara.HTML(unsafe_innerHTML=html_table(rp.decisions().to_dict("records"), "replay-table"))


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
    fig.update_layout(meta="tipping", height=520)
    return fig


@solara.component
def TippingPanel(tuned: Any):
    """Optional: P(sanctions) over two chosen parameters, computed on request."""
    names = [c.name for group in GROUPS.values() for c in group]
    labels = {param_label(n): n for n in names}
    x, set_x = solara.use_state(param_label("hegemon.threshold.economic"))
    y, set_y = solara.use_state(param_label("balancer.ceiling.energy"))
    request, set_request = solara.use_state(None)

    def work() -> Any:
        if request is None:
            return None
        return tipping_figure(*request)

    result = solara.use_thread(work, dependencies=[request], intrusive_cancel=False)
    with solara.Card("Tipping-point map", classes=["tipping-panel"]):
        with solara.Row():
            solara.Select("x parameter", values=list(labels), value=x, on_value=set_x)
            solara.Select("y parameter", values=list(labels), value=y, on_value=set_y)
            solara.Button("Compute map", on_click=lambda: set_request((tuned, labels[x], labels[y])),
                          disabled=x == y, classes=["tipping-compute"])
        solara.Text(f"P(sanctions) on {TIPPING_GRID[0]} × {TIPPING_GRID[1]} cells × "
                    f"{TIPPING_REPLICATIONS} replications around the current values (takes a while)",
                    style={"font-size": "0.85em"})
        if result.error is not None:
            Message(kind="error", text=f"map failed: {result.error}")
        elif result.state in (solara.ResultState.RUNNING, solara.ResultState.STARTING):
            solara.ProgressLinear(True)
        if result.value is not None:
            PlotlyChart(result.value, placeholder="map", height=520)
