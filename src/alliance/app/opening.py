"""The opening charts in the page's first HTML: drawn before Solara's front end boots, then taken over.

A new page always opens on the same state: the configured scenario's untuned result, which
``live.untuned`` computes once and shares (``page.warm`` computes it before the server listens).
Solara's front end (its Vuetify bundle, the websocket and kernel, the widget tree, Vue's template
compiler) takes seconds of browser CPU before the first live chart can draw. So the page's HTML
already carries that state: the headline cards and the four charts' figure JSON — the very strings
the live page will send for it — and a script that draws them with plotly.js before Solara's bundle
runs. Solara shows this pre-rendered HTML until its app mounts (its ``pre_rendered_html``).

When a live chart (``plotly_chart.vue``) mounts, it takes over the pre-drawn plot of the same name
if that plot was drawn from exactly the figure JSON the live chart holds (string equality), and
draws it again otherwise; only then does it report the figure drawn, so "up to date" still means
the live charts show the current state. The pre-rendered page's status line never says "up to
date". The HTML is built per request from the current scenario file, so it is never stale: a
changed file is a new untuned result.

``install`` hooks this into Solara's page rendering (``solara.server.server.read_root``, whose
``render_kwargs`` override the template's ``pre_rendered_html``); ``alliance app`` serves
``alliance.app.server``, which installs it.
"""

from __future__ import annotations

import html
import json
import logging
from typing import Any

from alliance.app.assets import partial_bundle_dir
from alliance.app.live import Computed
from alliance.app.page import CHART_HEIGHTS, CHARTS, CSS, TITLE, opening
from alliance.model.yamlio import InputError

log = logging.getLogger(__name__)

DRAW_JS = """
(function () {
  var specs = %(specs)s;
  var names = Object.keys(specs);
  var P = window.Plotly;
  window.alliancePlotlyLib = P;
  window.alliancePlotly = Promise.resolve(P);
  window.allianceOpening = {};
  names.forEach(function (name) {
    var entry = {gd: document.querySelector('.opening-chart[data-chart="' + name + '"]'),
                 spec: specs[name], taken: false};
    entry.done = new Promise(function (resolve) { entry.resolve = resolve; });
    window.allianceOpening[name] = entry;
  });
  // The first chart now, each next one in a task of its own once the previous one is drawn, so
  // the browser can paint in between. done resolves to true once the chart is drawn, to false if
  // it was not (the live chart took its place first, or the page went on without it).
  function draw(k) {
    if (k >= names.length) { return; }
    var entry = window.allianceOpening[names[k]];
    var drawing = Promise.resolve(false);
    if (!entry.taken && entry.gd && entry.gd.isConnected) {
      var fig = JSON.parse(entry.spec);
      drawing = P.newPlot(entry.gd, fig.data, fig.layout, {responsive: true, displaylogo: false})
        .then(function () { return true; });
    }
    drawing.catch(function (e) { console.error(e); return false; }).then(function (drawn) {
      entry.resolve(drawn);
      setTimeout(function () { draw(k + 1); }, 0);
    });
  }
  draw(0);
})();
"""


def _js_literal(obj: Any) -> str:
    """``obj`` as a JavaScript literal that is safe inside ``<script>`` (no ``</script>``)."""
    return json.dumps(obj).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _cards(state: Computed) -> str:
    out = []
    for c in state.cards:
        ci = (f'<span class="card-ci">95% interval {c.text(c.tuned_ci[0])} – {c.text(c.tuned_ci[1])}</span>'
              if c.tuned_ci is not None else "")
        out.append(f'<div class="headline-card opening-card card-{c.name}"><span class="card-label">'
                   f'{html.escape(c.label)}</span><span class="card-value">{c.text(c.tuned)}</span>{ci}</div>')
    return f'<div class="headline-cards opening-cards">{"".join(out)}</div>'


OVERLAY_CSS = """
#alliance-opening { position: fixed; inset: 0; z-index: 1000; background: #fff; overflow-y: auto; }
.opening-cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.opening-card { padding: 16px; border-radius: 4px;
  box-shadow: 0 2px 1px -1px rgba(0,0,0,.2), 0 1px 1px 0 rgba(0,0,0,.14), 0 1px 3px 0 rgba(0,0,0,.12); }
"""
MOVE_JS = """
// Solara's Vue app mounts on #app and replaces what is inside: keep the opening page and its style
// beside it
document.head.appendChild(document.getElementById("alliance-opening-css"));
document.body.appendChild(document.getElementById("alliance-opening"));
window.allianceOpeningRelease = function () {
  var all = window.allianceOpening || {};
  if (Object.keys(all).every(function (name) { return all[name].taken; })) {
    var el = document.getElementById("alliance-opening");
    if (el) { el.remove(); }
  }
};
"""


def vue_compiler_preload(jupyter_root_path: str) -> str:
    """A ``<link rel=preload>`` for jupyter-vue's template compiler chunk (``nodeps-vue-sfc.js``),
    which the page otherwise requests only once its widgets start rendering, then waits for; empty
    if Solara's nbextension list does not name jupyter-vue."""
    from solara.server import server

    try:
        _, hashes = server.get_nbextensions()
        version = hashes["jupyter-vue/extension"]
    except (AttributeError, KeyError, OSError) as exc:
        log.warning("no preload of the Vue template compiler: %s", exc)
        return ""
    url = f"{jupyter_root_path}/nbextensions/jupyter-vue/nodeps-vue-sfc.js?{version}"
    return f'<link rel="preload" as="script" fetchpriority="low" href="{html.escape(url)}">'


def opening_html(root_path: str = "") -> str:
    """The pre-rendered page: title, status, headline cards and the four charts of the opening
    state, with the script that draws them (plotly.js's cartesian bundle if cached, as the page's).

    It covers the page (Solara's loader, then its live page boot under it) until the live charts
    have taken over every pre-drawn chart (``window.allianceOpeningRelease``)."""
    sc, reps, state = opening()
    plotly_js = "plotly-cartesian.min.js" if partial_bundle_dir() is not None else "plotly.min.js"
    charts = "".join(f'<div class="opening-chart" data-chart="{n}" style="min-height: {CHART_HEIGHTS[n]}px">'
                     "</div>" for n in CHARTS)
    specs = {n: state.json[n] for n in CHARTS}
    return (
        f'<style id="alliance-opening-css">{CSS}{OVERLAY_CSS}</style>'
        '<div id="alliance-opening"><div class="app-layout">'
        f'<div class="controls"><div class="alliance-title">{html.escape(TITLE)}</div>'
        f'<div class="scenario-description">{html.escape(sc.description)}</div>'
        '<div class="opening-note" style="color: #777">loading the controls…</div></div>'
        f'<div class="charts"><div class="opening-status">{reps} replications × '
        f"{sc.horizon_months} months, seed {sc.seed} · loading the controls…</div>"
        f"{_cards(state)}{charts}</div></div></div>"
        f"<script>{MOVE_JS}</script>"
        f'<script src="{html.escape(root_path)}/static/assets/{plotly_js}"></script>'
        f"<script>{DRAW_JS % {'specs': _js_literal(specs)}}</script>")


def install() -> None:
    """Make Solara's page carry ``opening_html`` (idempotent). A scenario that no longer loads is
    left to the live page, which reports it; the page is then served without pre-rendered charts."""
    from solara.server import server

    if getattr(server.read_root, "alliance_opening", False):
        return
    original = server.read_root

    def read_root(path: str, root_path: str = "", jupyter_root_path: str | None = None,
                  render_kwargs: dict | None = None, *args: Any, **kwargs: Any) -> str | None:
        extra = dict(render_kwargs or {})
        if "pre_rendered_html" not in extra:
            try:
                extra["pre_rendered_html"] = opening_html(root_path) + vue_compiler_preload(
                    f"{root_path}/jupyter" if jupyter_root_path is None else jupyter_root_path)
            except (InputError, OSError) as exc:
                log.warning("no pre-rendered opening charts: %s", exc)
        return original(path, root_path, jupyter_root_path, extra, *args, **kwargs)

    read_root.alliance_opening = True  # type: ignore[attr-defined]
    server.read_root = read_root


__all__ = ["install", "opening_html"]
