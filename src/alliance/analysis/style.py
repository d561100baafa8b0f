"""One look, stated once: the plotly template, the palette and the colours of scenarios and rungs.

The report, ``alliance run --chart``, ``compare``, ``map``, ``sensitivity`` and the app all draw with
``TEMPLATE`` (or start from ``new_figure()``) and take their colours from here, so a scenario or a
rung looks the same wherever it is drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import plotly.graph_objects as go

from alliance.model.parameters import RUNGS

SCENARIO_ORDER: tuple[str, ...] = (
    "baseline", "energy_support_georgia_ukraine", "energy_support_forced", "nato_base_request",
    "riga_expansion", "kyrgyz_base_closure", "russia_hardline",
)
"""Shipped scenarios with a fixed colour: the i-th takes ``PALETTE[i]`` in every chart."""

PALETTE: tuple[str, ...] = (
    # Okabe–Ito (colour-blind safe) first, then muted extras for studies with many scenarios.
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8C6D31",
    "#7F7F7F", "#17BECF", "#BCBD22", "#393B79", "#AD494A",
)

RUNG_COLOURS: Mapping[str, str] = dict(zip(RUNGS, ("#d9d9d9", "#d9a400", "#d35400", "#a01515"), strict=True))
"""One colour per escalation rung (none → military: grey, amber, orange, dark red)."""

TUNED = "#1f5fa8"
"""The app's tuned ensemble."""

UNTUNED = "rgba(120,120,120,0.55)"
"""The app's untuned (scenario as written) ensemble."""

ACCENT = PALETTE[0]
"""Headings and single-series bars (the first palette colour)."""


FONT_FAMILY = "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"
"""Font of every chart and page (the report's CSS uses the same stack)."""

BAND = "rgba(120,120,120,0.16)"
"""Fill of a sampled range (e.g. a threshold drawn from U(low, high)) shown as a shaded band."""

_AXIS = {"gridcolor": "#ebebeb", "zerolinecolor": "#c8c8c8", "linecolor": "#888", "ticks": "outside",
         "automargin": True, "title": {"standoff": 8}}

TEMPLATE = go.layout.Template(layout={
    "paper_bgcolor": "white", "plot_bgcolor": "white", "colorway": list(PALETTE),
    "font": {"family": FONT_FAMILY, "size": 13, "color": "#222"},
    "title": {"x": 0.01, "xanchor": "left", "xref": "container", "y": 1, "yanchor": "top", "yref": "container",
              "pad": {"t": 14}, "font": {"size": 16}, "subtitle": {"font": {"size": 12, "color": "#555"}}},
    "xaxis": _AXIS, "yaxis": _AXIS,
    "legend": {"bgcolor": "rgba(255,255,255,0.7)"},
    "hoverlabel": {"font": {"family": FONT_FAMILY}},
    "margin": {"l": 70, "r": 30, "t": 80, "b": 60},
})
"""The house plotly template (small, built once: plotly's own templates are large and deep-copied
per figure). Use ``fig.update_layout(template=TEMPLATE)`` or ``new_figure()``."""


def new_figure(**layout: object) -> go.Figure:
    """An empty figure with the house template (and any layout keys given)."""
    return go.Figure(layout={"template": TEMPLATE, **layout})


def palette(names: Iterable[str]) -> dict[str, str]:
    """One fixed colour per scenario: shipped scenarios always get the same colour; other names take
    the free colours in the order given (cycling if there are more names than colours)."""
    names = list(dict.fromkeys(names))
    out: dict[str, str] = {}
    for n in names:
        if n in SCENARIO_ORDER:
            out[n] = PALETTE[SCENARIO_ORDER.index(n)]
    free = [c for c in PALETTE if c not in out.values()] or list(PALETTE)
    k = 0
    for n in names:
        if n not in out:
            out[n] = free[k % len(free)]
            k += 1
    return out


def rgba(hex_colour: str, alpha: float) -> str:
    """``#rrggbb`` → ``rgba(r,g,b,alpha)`` (for the filled bands of fan charts)."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


__all__ = ["ACCENT", "BAND", "FONT_FAMILY", "PALETTE", "RUNG_COLOURS", "SCENARIO_ORDER", "TEMPLATE", "TUNED",
           "UNTUNED", "new_figure", "palette", "rgba"]
