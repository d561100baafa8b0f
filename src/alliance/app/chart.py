"""One small chart component for the app: plotly.js loaded once per page, figures sent as JSON.

Solara's ``FigurePlotly`` wraps plotly's ``FigureWidget``, whose front-end bundle carries all of
plotly.js (about 5 MB) and is sent over the websocket once per chart. ``PlotlyChart`` instead is a
Vue template (``plotly_chart.vue``, shared by every chart) that draws each figure from a JSON string
with ``Plotly.react``; plotly.js itself is a static file, loaded once per page (and from the
browser's cache afterwards). In the served app ``static/custom.js`` starts that load as soon as the
page starts, and loads plotly.js's cartesian partial bundle (1.5 MB instead of 4.8 MB: the browser
parses it before the first chart draws) when ``python -m alliance.app.assets`` has cached it; the
app's figures use only ``PARTIAL_BUNDLE_TRACES``. Per chart only the figure's JSON crosses the
websocket. When a figure has been drawn the component reports its revision back, so the page can
say "up to date" only for charts the user can see (``benchmarks/app.py`` measures both).

``figure_json`` is the boundary where figures become JSON: numpy arrays become lists and every
non-finite number (an invalid tipping-map cell is NaN) becomes ``null``, so the browser always gets
strict JSON (``NaN`` is not JSON and made ``JSON.parse`` fail with ``Unexpected token 'N'``).
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import plotly
import solara

PLOTLY_JS_DIR = Path(plotly.__file__).parent / "package_data"
"""Folder holding ``plotly.min.js``, the plotly.js that matches the installed plotly.py."""
STATIC_DIR = Path(__file__).parent / "static"
"""The app's own static assets: ``custom.js``, which Solara's page runs first."""
PARTIAL_BUNDLE_TRACES = frozenset({
    "bar", "box", "contour", "heatmap", "histogram", "histogram2d", "histogram2dcontour", "image",
    "pie", "scatter", "scatterternary", "violin"})
"""Trace types in plotly.js's cartesian partial bundle (its README); the app draws no others."""


def serve_plotly_js() -> list[Path]:
    """Serve the app's ``custom.js``, the cached cartesian bundle (``plotly-cartesian.min.js``) and
    plotly.py's ``plotly.min.js`` under ``/static/assets/`` (Solara's static assets); returns the
    folders served.

    Idempotent; called when the page module is imported, before the first request."""
    from solara.server import settings

    from alliance.app.assets import partial_bundle_dir

    folders = [STATIC_DIR, partial_bundle_dir(), PLOTLY_JS_DIR]
    served = [f for f in folders if f is not None and f.is_dir()]
    for folder in reversed(served):  # first in the list wins a name
        if str(folder) not in settings.assets.extra_locations:
            settings.assets.extra_locations.insert(0, str(folder))
    return served


def _typed_array(spec: dict) -> np.ndarray:
    """plotly's base64 typed-array spec (``{"dtype", "bdata", "shape"}``) back to an array."""
    arr = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]))
    shape = spec.get("shape")
    if shape:
        arr = arr.reshape([int(n) for n in str(shape).split(",")])
    return arr


def plain(obj: Any) -> Any:
    """A figure's dict as plain JSON values: arrays (also plotly's base64 typed arrays) → lists,
    NaN/±inf → None, numpy scalars → Python numbers."""
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            return plain(_typed_array(obj))
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind == "f":
            out = obj.astype(object)
            out[~np.isfinite(obj)] = None
            return plain(out.tolist())
        return plain(obj.tolist())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        v = float(obj)
        return v if math.isfinite(v) else None
    if obj is None or isinstance(obj, str):
        return obj
    if hasattr(obj, "to_plotly_json"):
        return plain(obj.to_plotly_json())
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)


def figure_json(fig: Any) -> str:
    """Strict JSON (``allow_nan=False``) of a plotly figure or figure dict."""
    data = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else fig
    return json.dumps(plain(data), allow_nan=False, separators=(",", ":"))


@solara.component_vue("plotly_chart.vue", vuetify=False)
def _PlotlyChartWidget(spec: str, rev: str, title: str, height: int,
                       event_drawn: Callable[[str], None] | None = None) -> None:
    """The Vue template's traits: the figure's JSON, its revision and a placeholder's size."""


@solara.component
def PlotlyChart(fig: Any, rev: str = "", on_drawn: Callable[[str], None] | None = None,
                placeholder: str = "chart", height: int = 360) -> None:
    """Draw a plotly figure — or its ``figure_json`` string — in the browser; a placeholder of
    ``height`` px stands in while ``fig`` is None or not yet drawn.

    ``rev`` names the state the figure shows; ``on_drawn(rev)`` is called once the browser drew it."""
    spec = solara.use_memo(lambda: fig if isinstance(fig, str) or fig is None else figure_json(fig),
                           [id(fig)])

    def drawn(r: str) -> None:
        if on_drawn is not None:
            on_drawn(r)

    _PlotlyChartWidget(spec=spec or "", rev=rev or str(hash(spec)), title=placeholder,
                       height=height, event_drawn=drawn)
