"""The forest plot that opens a report and ``compare``: headline outcomes per scenario, 95 % intervals.

One panel per outcome, side by side, the scenarios as rows sorted by the first outcome (P(sanctions))
so a scenario stays on its row across panels. Each panel's axis is scaled to its own data, not to
0–1, so a one-point difference shows; when a probability's estimates span more than 20× the axis is
logarithmic (1 % and 2 % stay apart next to 100 %). The reference's estimate is a dashed line; the
hover gives the estimate, its interval, the difference from the reference and the risk ratio.
A probability that never happened sits at the left edge as an open triangle, "never (0 of n)".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from alliance.analysis import labels, style
from alliance.analysis.findings import events_k, risk_ratio

LOG_SPAN = 20.0
"""Largest ratio of positive estimates drawn on a linear axis."""


def _wrap(text: str, width: int = 26) -> str:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "<br>".join(lines)


def _hover(r: pd.Series, ref: pd.Series | None) -> str:
    b = bool(r["binary"])
    k = events_k(r) if b else None
    text = f"<b>{r['scenario']}</b><br>{r['title']}: " + labels.estimate_text(r["estimate"], r["lo"], r["hi"], b, k, int(r["n"]))
    if ref is not None and r["scenario"] != ref["scenario"] and np.isfinite(r["diff"]):
        scale = 100 if b else 1
        text += (f"<br>vs {ref['scenario']}: {labels.sig(scale * r['diff'], signed=True)}{' points' if b else ''} "
                 f"[{labels.sig(scale * r['diff_lo'], signed=True)}, {labels.sig(scale * r['diff_hi'], signed=True)}]")
        if b:
            rr = risk_ratio(events_k(r), int(r["n"]), events_k(ref), int(ref["n"]))
            if rr is not None:
                text += f"<br>risk ratio {labels.sig(rr[0])} [{labels.sig(rr[1])}, {labels.sig(rr[2])}]"
    return text


def forest_chart(table: pd.DataFrame, reference: str | None = None, colors: Mapping[str, str] | None = None,
                 outcomes: Sequence[str] | None = None) -> go.Figure:
    """Forest plot of ``compare.outcome_table`` rows (scenario, outcome, title, binary, n, estimate,
    lo, hi, diff, diff_lo, diff_hi, significant); traces carry ``meta = {scenario, outcome}``."""
    outcomes = [o for o in (outcomes or list(dict.fromkeys(table["outcome"]))) if o in set(table["outcome"])]
    first = table[table["outcome"] == outcomes[0]]
    order = list(first.sort_values("estimate", kind="stable")["scenario"])
    order += [s for s in dict.fromkeys(table["scenario"]) if s not in order]
    cols = dict(colors or {}) or style.palette(order)
    cols.update({n: c for n, c in style.palette(order).items() if n not in cols})
    titles = [_wrap(str(table.loc[table["outcome"] == o, "title"].iloc[0])) for o in outcomes]
    fig = make_subplots(figure=style.new_figure(), rows=1, cols=len(outcomes), shared_yaxes=True,
                        subplot_titles=titles, horizontal_spacing=min(0.04, 0.3 / max(1, len(outcomes))))
    for a in fig.layout.annotations:
        a.font.size = 12
    any_log = False
    for j, o in enumerate(outcomes, start=1):
        part = table[table["outcome"] == o].set_index("scenario")
        ref = part.loc[reference].copy() if reference is not None and reference in part.index else None
        if ref is not None:
            ref["scenario"] = reference
        binary = bool(part["binary"].iloc[0])
        est = part["estimate"].to_numpy(dtype=float)
        pos = est[np.isfinite(est) & (est > 0)]
        his = part["hi"].to_numpy(dtype=float)
        small_all = np.concatenate([pos, his[np.isfinite(his) & (his > 0)]])
        small = float(small_all.min()) if len(small_all) else 0.0
        log = binary and len(pos) > 0 and small > 0 and pos.max() / small > LOG_SPAN
        floor = small / 3 if log else None
        any_log = any_log or bool(log)
        for s in order:
            if s not in part.index:
                continue
            r = part.loc[s].copy()
            r["scenario"] = s
            k = events_k(r) if binary else None
            never = binary and k == 0
            x = floor if (never and log) else float(r["estimate"])
            lo = max(float(r["lo"]), floor) if log else float(r["lo"])
            fig.add_trace(go.Scatter(
                x=[x], y=[s], mode="markers",
                marker={"color": cols[s], "size": 11, "symbol": "triangle-left-open" if never else
                        ("diamond" if bool(r["significant"]) else "circle"), "line": {"color": cols[s], "width": 2}},
                error_x={"type": "data", "symmetric": False, "array": [max(0.0, float(r["hi"]) - x)],
                         "arrayminus": [max(0.0, x - lo)], "color": cols[s], "thickness": 2},
                name=s, showlegend=False, hovertemplate=_hover(r, ref) + "<extra></extra>",
                meta={"scenario": s, "outcome": o}), row=1, col=j)
        if ref is not None and np.isfinite(ref["estimate"]) and not (log and ref["estimate"] <= 0):
            fig.add_vline(x=float(ref["estimate"]), row=1, col=j, line={"color": "#666", "dash": "dash", "width": 1},
                          name=f"reference: {reference}")
        axis: dict = {"title_text": "probability" if binary else labels.outcome_title(o).split("(")[-1].rstrip(")")}
        if binary:
            axis["tickformat"] = ".2~%"
        if log:
            lo_exp, hi_exp = math.log10(floor * 0.8), math.log10(min(1.0, part["hi"].max()) * 1.25)
            ticks = [10.0 ** e for e in range(math.floor(lo_exp), math.ceil(hi_exp) + 1)
                     if lo_exp <= e <= hi_exp]
            axis.update(type="log", range=[lo_exp, hi_exp], tickvals=ticks, tickformat=".1~%")
        else:
            lo_all, hi_all = float(np.nanmin(part["lo"])), float(np.nanmax(part["hi"]))
            pad = 0.08 * (hi_all - lo_all or abs(hi_all) or 1.0)
            axis["range"] = [lo_all - pad if not (binary and lo_all - pad < 0 <= lo_all) else 0, hi_all + pad]
        fig.update_xaxes(row=1, col=j, **axis)
    ref_note = f" Dashed: {reference}." if reference else ""
    fig.update_layout(height=190 + 34 * len(order), hovermode="closest", margin={"t": 130, "l": 20},
                      title={"text": "Headline outcomes by scenario, 95 % intervals (◆ differs from the reference "
                                     "beyond its uncertainty)",
                             "subtitle": {"text": ref_note.strip() + (" Log axis where estimates span more than 20×." if any_log else "")}})
    return fig


OUTLIER = 10.0
"""A difference more than this many times the others' extent is drawn at the panel's edge."""


def difference_chart(table: pd.DataFrame, reference: str, colors: Mapping[str, str] | None = None) -> go.Figure:
    """One panel per outcome: each scenario's difference from ``reference`` with its bootstrap 95 %
    interval (probabilities in percentage points), zero marked. Each panel is scaled to the
    differences it holds; one far larger than the others (over ``OUTLIER`` × their extent, e.g. a
    forced scenario at +100 points beside +1) is drawn as an arrow at the edge with its value
    written, so the small differences stay readable."""
    part = table[table["scenario"] != reference]
    names = list(dict.fromkeys(part["scenario"]))
    cols = dict(colors or {}) or style.palette(names)
    cols.update({n: c for n, c in style.palette(names).items() if n not in cols})
    outcomes = list(dict.fromkeys(part["outcome"]))
    titles = [_wrap(str(part.loc[part["outcome"] == o, "title"].iloc[0]), 40) for o in outcomes] or ["no other scenario"]
    ncol = min(2, max(1, len(outcomes)))
    nrow = math.ceil(max(1, len(outcomes)) / ncol)
    fig = make_subplots(figure=style.new_figure(), rows=nrow, cols=ncol, subplot_titles=titles,
                        horizontal_spacing=0.2, vertical_spacing=0.3 / max(1, nrow - 1) + 0.05)
    for a in fig.layout.annotations:
        a.font.size = 12
    for i, o in enumerate(outcomes):
        sub = part[part["outcome"] == o]
        r, k = i // ncol + 1, i % ncol + 1
        scale = 100.0 if bool(sub["binary"].iloc[0]) else 1.0
        ext = np.nan_to_num(np.maximum(np.abs(sub["diff_lo"]), np.abs(sub["diff_hi"])).to_numpy(dtype=float) * scale)
        order = np.sort(ext)
        limit = None
        if len(order) > 1 and order[-2] > 0 and order[-1] > OUTLIER * order[-2]:
            limit = 1.3 * order[-2]
        for row, e in zip(sub.itertuples(index=False), ext, strict=True):
            d, lo, hi = scale * row.diff, scale * row.diff_lo, scale * row.diff_hi
            out = limit is not None and e > limit
            x = float(np.clip(d, -limit, limit)) if out else d
            unit = " points" if scale == 100 else ""
            fig.add_trace(go.Scatter(
                x=[x], y=[row.scenario], mode="markers+text" if out else "markers",
                text=[f"{labels.sig(d, signed=True)}{unit} →" if d > 0 else f"← {labels.sig(d, signed=True)}{unit}"] if out else None,
                textposition="middle left" if d > 0 else "middle right",
                marker={"color": cols[row.scenario], "size": 11,
                        "symbol": ("triangle-right" if d > 0 else "triangle-left") if out else
                        ("diamond" if row.significant else "circle-open")},
                error_x=None if out else {"type": "data", "symmetric": False, "array": [hi - d], "arrayminus": [d - lo]},
                name=row.scenario, showlegend=False, meta={"scenario": row.scenario, "outcome": o},
                hovertemplate=(f"<b>{row.scenario}</b><br>{row.title}: {labels.sig(d, signed=True)}{unit} "
                               f"[{labels.sig(lo, signed=True)}, {labels.sig(hi, signed=True)}]<extra></extra>")),
                row=r, col=k)
        title = str(sub["title"].iloc[0])
        unit = title.rsplit("(", 1)[1].rstrip(")") if title.endswith(")") and "(" in title else ""
        axis: dict = {"title_text": "difference (percentage points)" if scale == 100 else
                      (f"difference ({unit})" if unit else "difference")}
        if limit is not None:
            axis["range"] = [-limit * 1.05 if (sub["diff"] * scale).min() < 0 else -0.05 * limit, limit * 1.05]
        fig.update_xaxes(row=r, col=k, zeroline=True, zerolinecolor="#444", zerolinewidth=1.5, **axis)
    fig.update_layout(height=260 * nrow + 120, hovermode="closest", margin={"t": 110},
                      title={"text": f"Difference from {reference}, bootstrap 95 % intervals",
                             "subtitle": {"text": "◆ larger than its uncertainty, ○ not; an arrow at the edge: "
                                                  "a difference far larger than the others, its value written"}})
    return fig


__all__ = ["LOG_SPAN", "OUTLIER", "difference_chart", "forest_chart"]
