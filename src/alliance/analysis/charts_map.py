"""Charts of ``alliance map`` and ``alliance sensitivity`` (pure functions: tables in, Figures out).

The tipping map marks the scenario's own point, states how far the contour lies from it, draws the
contour and the two edges of its bootstrap band in distinct styles, and suggests a zoom when the
contour's neighbourhood covers under a fifth of the map. Invalid cells (parameter values the model
rejects) are serialised as JSON ``null`` — never ``NaN``, which is not JSON and breaks the browser.
Sensitivity bars are clipped to [0, 1] and an index whose interval is wider than itself is flagged
"not resolved: raise --samples".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from alliance.analysis import labels, style
from alliance.analysis.tipping import contour_points

ZOOM_SHARE = 0.2
"""Suggest a zoom when the contour's neighbourhood covers less than this share of the map."""


def _nulls(a: np.ndarray) -> list:
    """A 2-D float array as nested lists with ``None`` for NaN (JSON ``null``)."""
    return [[None if not np.isfinite(v) else float(v) for v in row] for row in np.asarray(a, dtype=float)]


@dataclass(frozen=True)
class MapReading:
    """What a map says about its scenario's point.

    Attributes:
        text: sentences for the page and the terminal (distance to the contour, suggested zoom).
        nearest: (x, y) of the contour point nearest the scenario's point, or None.
        zoom: ((x_lo, x_hi), (y_lo, y_hi)) suggested ranges, or None.
    """

    text: list[str]
    nearest: tuple[float, float] | None
    zoom: tuple[tuple[float, float], tuple[float, float]] | None


def read_map(frame: pd.DataFrame, x: str, y: str, level: float, point: tuple[float, float] | None) -> MapReading:
    """Distance from ``point`` to the ``level`` contour (in each parameter's unit and as a share of the
    map's width/height), and a zoom when the contour and its band span under ``ZOOM_SHARE`` of the map."""
    xs, ys = np.sort(frame["x"].unique()), np.sort(frame["y"].unique())
    grid = frame.set_index(["y", "x"])

    def z(col: str) -> np.ndarray:
        return grid[col].unstack("x").reindex(index=ys, columns=xs).to_numpy(dtype=float)

    p, lo, hi = z("p"), z("p_lo"), z("p_hi")
    pts = contour_points(xs, ys, p, level)
    width, height = float(xs[-1] - xs[0]) or 1.0, float(ys[-1] - ys[0]) or 1.0
    text: list[str] = []
    nearest = None
    xl, yl = labels.param_label(x), labels.param_label(y)
    if not len(pts):
        finite = p[np.isfinite(p)]
        where = "below" if len(finite) and finite.max() < level else "above"
        text.append(f"The {labels.sig(level)} contour is not in this map: the estimate stays {where} it "
                    f"everywhere (from {labels.sig(float(finite.min()))} to {labels.sig(float(finite.max()))})."
                    if len(finite) else "No valid cell in this map.")
    elif point is not None:
        d = np.hypot((pts["x"].to_numpy() - point[0]) / width, (pts["y"].to_numpy() - point[1]) / height)
        i = int(np.argmin(d))
        nearest = (float(pts["x"].iloc[i]), float(pts["y"].iloc[i]))
        dx, dy = nearest[0] - point[0], nearest[1] - point[1]
        text.append(f"The scenario's point ({xl} {labels.sig(point[0])}, {yl} {labels.sig(point[1])}) lies "
                    f"{labels.sig(float(d[i]) * 100)} % of the map from the {labels.sig(level)} contour; the "
                    f"nearest contour point is at {xl} {labels.sig(nearest[0])} ({labels.sig(dx, signed=True)} "
                    f"{labels.param_unit(x)}), {yl} {labels.sig(nearest[1])} ({labels.sig(dy, signed=True)} "
                    f"{labels.param_unit(y)}).")
    zoom = None
    band = (lo <= level) & (level <= hi) & np.isfinite(p)
    X, Y = np.meshgrid(xs, ys)
    bx = np.concatenate([X[band], pts["x"].to_numpy()])
    by = np.concatenate([Y[band], pts["y"].to_numpy()])
    if len(bx):
        sx = (xs[1] - xs[0]) if len(xs) > 1 else 0.0
        sy = (ys[1] - ys[0]) if len(ys) > 1 else 0.0
        zx = (max(xs[0], bx.min() - 2 * sx), min(xs[-1], bx.max() + 2 * sx))
        zy = (max(ys[0], by.min() - 2 * sy), min(ys[-1], by.max() + 2 * sy))
        share = (zx[1] - zx[0]) * (zy[1] - zy[0]) / (width * height)
        if share < ZOOM_SHARE:
            zoom = (zx, zy)
            text.append(f"The contour and its band cover {labels.sig(100 * share)} % of the map: zoom in with "
                        f"--x-range {labels.sig(zx[0])}:{labels.sig(zx[1])} "
                        f"--y-range {labels.sig(zy[0])}:{labels.sig(zy[1])}.")
    return MapReading(text, nearest, zoom)


def tipping_chart(frame: pd.DataFrame, x: str, y: str, title: str, level: float = 0.5,
                  binary: bool = True, point: tuple[float, float] | None = None,
                  outcome_title: str | None = None, subtitle: str = "") -> go.Figure:
    """Heatmap of an outcome's probability (or mean) over two parameters, with the ``level`` contour
    (solid black), the contours of its bootstrap 5 % bound (dashed) and 95 % bound (dotted), and the
    scenario's own point (a star) when ``point`` is given.

    ``frame`` has columns x, y, p, p_lo, p_hi (one row per grid cell; NaN where no run was possible,
    drawn blank and serialised as null).
    """
    xs = np.sort(frame["x"].unique())
    ys = np.sort(frame["y"].unique())
    grid = frame.set_index(["y", "x"])

    def z(col: str) -> np.ndarray:
        return grid[col].unstack("x").reindex(index=ys, columns=xs).to_numpy(dtype=float)

    p, lo, hi = z("p"), z("p_lo"), z("p_hi")
    finite = p[np.isfinite(p)]
    zmin, zmax = (0.0, 1.0) if binary or not len(finite) else (float(finite.min()), float(finite.max()))
    xl, yl = labels.param_title(x), labels.param_title(y)
    what = outcome_title or ("P" if binary else "mean")
    fmt = ".3p" if binary else ".3g"
    fig = style.new_figure()
    fig.add_trace(go.Heatmap(
        x=xs, y=ys, z=_nulls(p), zmin=zmin, zmax=zmax, colorscale="RdBu_r",
        customdata=[[[a, b] for a, b in zip(r1, r2, strict=True)] for r1, r2 in zip(_nulls(lo), _nulls(hi), strict=True)],
        colorbar={"title": {"text": "P" if binary else "mean"}, "tickformat": ".0%" if binary else None},
        name="estimate", hoverongaps=False,
        hovertemplate=(f"{labels.param_label(x)}: %{{x:.3g}}<br>{labels.param_label(y)}: %{{y:.3g}}<br>"
                       f"{what}: %{{z:{fmt}}} [%{{customdata[0]:{fmt}}}, %{{customdata[1]:{fmt}}}]<extra></extra>"),
    ))
    invalid = ~np.isfinite(p)
    if invalid.any():
        fig.add_trace(go.Heatmap(x=xs, y=ys, z=[[1.0 if b else None for b in row] for row in invalid],
                                 colorscale=[[0, "#e4e4e4"], [1, "#e4e4e4"]], showscale=False, hoverinfo="skip",
                                 name="rejected values (grey)", showlegend=True, hoverongaps=False))
    contour = {"start": level, "end": level, "size": 1.0, "coloring": "none", "showlabels": False}
    for arr, name, colour, dash, width in (
            (p, f"{labels.sig(level)} contour (estimate)", "black", "solid", 3),
            (lo, "band edge: 5 % bound", "#5a2d82", "dash", 2),
            (hi, "band edge: 95 % bound", "#1b7837", "dot", 2.5)):
        if np.isfinite(arr).any() and np.nanmin(arr) <= level <= np.nanmax(arr):
            fig.add_trace(go.Contour(x=xs, y=ys, z=_nulls(arr), contours=contour, showscale=False, name=name,
                                     line={"color": colour, "width": width, "dash": dash}, hoverinfo="skip",
                                     showlegend=True))
    if point is not None:
        fig.add_trace(go.Scatter(
            x=[point[0]], y=[point[1]], mode="markers", name="the scenario's values",
            marker={"symbol": "star", "size": 18, "color": "white", "line": {"color": "black", "width": 2}},
            hovertemplate=(f"the scenario: {labels.param_label(x)} %{{x:.3g}}, {labels.param_label(y)} "
                           "%{y:.3g}<extra></extra>"), meta={"role": "scenario point"}))
    fig.update_layout(height=600, hovermode="closest", title={"text": title, "subtitle": {"text": subtitle}},
                      xaxis_title=xl, yaxis_title=yl,
                      legend={"orientation": "h", "y": -0.16, "x": 0})
    return fig


def sensitivity_flags(table: pd.DataFrame, method: str) -> pd.Series:
    """Per row: "not resolved: raise --samples" where an index's 95 % interval half-width exceeds
    the index itself (S1 or ST for Sobol, μ* for Morris), else ""."""
    pairs = (("ST", "ST_conf"), ("S1", "S1_conf")) if method == "sobol" else (("mu_star", "mu_star_conf"),)
    bad = np.zeros(len(table), dtype=bool)
    for col, conf in pairs:
        if col in table and conf in table:
            v, c = table[col].to_numpy(dtype=float), table[conf].to_numpy(dtype=float)
            bad |= c > np.abs(v)
    return pd.Series(np.where(bad, "not resolved: raise --samples", ""), index=table.index)


def sensitivity_chart(table: pd.DataFrame, method: str, title: str = "") -> go.Figure:
    """Ranked horizontal bars of sensitivity indices with their 95 % intervals, labelled by the
    parameters' labels. Sobol indices and their error bars are clipped to [0, 1]; an index whose
    interval is wider than itself is drawn hollow and named "not resolved" in its hover."""
    flags = sensitivity_flags(table, method)
    if method == "sobol":
        t = table.assign(_flag=flags).sort_values("ST", ascending=True)
        bars = (("ST", "ST_conf", "total (ST)", style.PALETTE[0]), ("S1", "S1_conf", "first-order (S1)", style.PALETTE[1]))
        xtitle, clip = "Sobol index (share of variance)", (0.0, 1.0)
    else:
        t = table.assign(_flag=flags).sort_values("mu_star", ascending=True)
        bars = (("mu_star", "mu_star_conf", "μ* (mean |elementary effect|)", style.PALETTE[0]),)
        xtitle, clip = "Morris μ* (outcome units per unit range)", (0.0, np.inf)
    names = [labels.param_label(p) for p in t["parameter"]]
    fig = style.new_figure()
    for col, conf, name, c in bars:
        v = t[col].to_numpy(dtype=float)
        cf = t[conf].to_numpy(dtype=float)
        shown = np.clip(v, *clip)
        up = np.clip(v + cf, *clip) - shown
        down = shown - np.clip(v - cf, *clip)
        unresolved = cf > np.abs(v)
        fig.add_trace(go.Bar(
            y=names, x=shown, orientation="h", name=name,
            marker={"color": [style.rgba(c, 0.25) if u else c for u in unresolved],
                    "line": {"color": c, "width": 1.5}},
            error_x={"type": "data", "symmetric": False, "array": up, "arrayminus": down},
            customdata=[[float(a), float(b), "not resolved: raise --samples" if u else ""]
                        for a, b, u in zip(v, cf, unresolved, strict=True)],
            hovertemplate=f"%{{y}}<br>{name}: %{{customdata[0]:.3f}} ± %{{customdata[1]:.3f}}<br>%{{customdata[2]}}<extra></extra>",
            meta={"index": col}))
    n_bad = int((t["_flag"] != "").sum())
    note = (f"{n_bad} of {len(t)} parameters not resolved: raise --samples (interval wider than "
            "the index; hollow bars)") if n_bad else ""
    fig.update_layout(height=140 + 30 * len(t) * len(bars), hovermode="closest", barmode="group",
                      title={"text": title or f"Sensitivity ({method})", "subtitle": {"text": note}}, xaxis_title=xtitle,
                      legend={"orientation": "h", "y": -0.12, "x": 0})
    if method == "sobol":
        fig.update_xaxes(range=[0, 1.02])
    return fig


__all__ = ["ZOOM_SHARE", "MapReading", "read_map", "sensitivity_chart", "sensitivity_flags", "tipping_chart"]
