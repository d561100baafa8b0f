"""HTML pages for every command's output: one self-contained file, plotly.js inlined once.

``Page`` collects headings, text, tables and figures in order; ``render`` embeds plotly.js with the
first figure only (``include_plotlyjs=True``, no CDN), so every page opens with no network.
``write_page`` writes atomically; ``write_pngs`` exports figures through kaleido (headless Chromium).
``cards`` is the row of headline numbers that opens a page (the answer first).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from alliance.analysis import style
from alliance.study.fileio import atomic_write

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

_CSS = """
body{font-family:FONT;max-width:1200px;margin:0 auto;padding:1em 2em;
color:#222;line-height:1.45}
h1{font-size:1.7em;border-bottom:2px solid ACCENT}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.88em;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 7px;
text-align:left;vertical-align:top}th{background:#f3f3f3}pre{background:#f7f7f7;padding:.8em;overflow:auto;
font-size:.85em}.note{color:#555;font-size:.9em}.chart{margin:1em 0 2em 0}.sig{font-weight:bold}
nav a{margin-right:1em}details{margin:.5em 0}
.cards{display:flex;flex-wrap:wrap;gap:.7em;margin:.6em 0}.card{border:1px solid #ddd;border-left:4px solid ACCENT;
padding:.4em .8em;min-width:12em;flex:1}.card-label{font-size:.85em;color:#555}.card-value{font-size:1.35em;
font-weight:600}.card-detail{font-size:.8em;color:#555}.findings li{margin:.25em 0}.lead{font-size:1.05em}
""".replace("ACCENT", style.ACCENT).replace("FONT", style.FONT_FAMILY)


@dataclass
class Page:
    """An HTML page under construction: sections of HTML and figures, in order."""

    title: str
    parts: list[str] = field(default_factory=list)
    figures: list[go.Figure] = field(default_factory=list)
    nav: list[tuple[str, str]] = field(default_factory=list)

    def section(self, anchor: str, heading: str) -> None:
        self.nav.append((anchor, heading))
        self.parts.append(f'<h2 id="{anchor}">{html.escape(heading)}</h2>')

    def text(self, raw_html: str) -> None:
        self.parts.append(raw_html)

    def figure(self, fig: go.Figure, caption: str = "") -> None:
        k = len(self.figures)
        self.figures.append(fig)
        self.parts.append(f"\x00FIG{k}\x00" + (f'<p class="note">{html.escape(caption)}</p>' if caption else ""))

    def table(self, df: pd.DataFrame, caption: str = "") -> None:
        if caption:
            self.parts.append(f'<p class="note">{html.escape(caption)}</p>')
        self.parts.append(df.to_html(index=False, border=0, escape=True, na_rep="–"))

    def render(self) -> str:
        """The whole page; plotly.js is embedded with the first figure only."""
        fig_html = [
            f'<div class="chart">{fig.to_html(full_html=False, include_plotlyjs=(k == 0), div_id=f"chart-{k}", config=PLOTLY_CONFIG)}</div>'
            for k, fig in enumerate(self.figures)
        ]
        pieces = "\n".join(self.parts).split("\x00")
        body = "".join(fig_html[int(p[3:])] if p.startswith("FIG") and p[3:].isdigit() else p for p in pieces)
        nav = " ".join(f'<a href="#{a}">{html.escape(h)}</a>' for a, h in self.nav)
        return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                f"<title>{html.escape(self.title)}</title><style>{_CSS}</style></head><body>"
                f"<h1>{html.escape(self.title)}</h1><nav>{nav}</nav>\n{body}\n</body></html>\n")


def write_page(page: Page, path: Path) -> None:
    """Write a page atomically (temporary file, then rename)."""
    text = page.render()
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_pngs(figures: Sequence[go.Figure], folder: Path, names: Sequence[str]) -> list[Path]:
    """Export figures as PNG through kaleido (one Chromium session for all)."""
    import plotly.io as pio

    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{n}.png" for n in names]
    tmp = [p.with_name(f".{p.name}.tmp.png") for p in paths]
    try:
        pio.write_images(list(figures), tmp, format="png", width=1100,
                         height=[int(f.layout.height or 500) for f in figures])
    except Exception as exc:  # kaleido/Chromium missing or failing: a clear message, no traceback
        for t in tmp:
            t.unlink(missing_ok=True)
        from alliance.errors import UserError

        raise UserError(f"PNG export through kaleido failed: {exc}") from None
    for t, p in zip(tmp, paths, strict=False):
        t.replace(p)
    return paths



def cards(items: Sequence[tuple[str, str, str]]) -> str:
    """HTML of headline cards: (label, value, detail) each, in one row that wraps."""
    return '<div class="cards">' + "".join(
        f'<div class="card"><div class="card-label">{html.escape(label)}</div>'
        f'<div class="card-value">{html.escape(value)}</div>'
        f'<div class="card-detail">{html.escape(detail)}</div></div>' for label, value, detail in items) + "</div>"


__all__ = ["PLOTLY_CONFIG", "Page", "cards", "write_page", "write_pngs"]
