"""Generate the parameter reference of ``docs/scenarios.md`` from the registry (``PARAMS``).

The reference sits in ``docs/scenarios.md`` between the ``BEGIN``/``END`` marker lines below; the
rest of that page is written by hand. ``tests/unit/test_docs_scenarios.py`` fails when the page's
reference differs from what this module produces, so it cannot drift from the registry.

    python -m alliance.analysis.docgen            # print the generated reference
    python -m alliance.analysis.docgen --write    # rewrite it in docs/scenarios.md
    python -m alliance.analysis.docgen --check    # exit 1 if docs/scenarios.md is stale
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from alliance.model.parameters import (
    ACTORS,
    DEFAULT_NAMES,
    DOMAINS,
    EVIDENCE_CLASSES,
    INTEGRATION_LEVEL_EXAMPLES,
    INTEGRATION_LEVELS,
    LEVEL_PARAMS,
    PARAMS,
    Param,
)

BEGIN = "<!-- BEGIN GENERATED PARAMETER REFERENCE: python -m alliance.analysis.docgen --write -->"
END = "<!-- END GENERATED PARAMETER REFERENCE -->"

DEFAULT_DOC = Path(__file__).resolve().parents[3] / "docs" / "scenarios.md"


def _num(p: Param, value: float) -> str:
    return str(int(value)) if p.integer else f"{value:g}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _yaml_block(actor: str) -> list[str]:
    """The actor's block with every parameter at its default, in registry order."""
    lines = ["```yaml", "actors:", f"  {actor}:", f"    name: {DEFAULT_NAMES[actor]}"]
    groups: dict[str, list[Param]] = {}
    order: list[tuple[str, Param | None]] = []
    for p in PARAMS.values():
        if p.actor != actor:
            continue
        rest = p.name.split(".", 1)[1]
        if "." in rest:
            group = rest.rsplit(".", 1)[0]
            if group not in groups:
                groups[group] = []
                order.append((group, None))
            groups[group].append(p)
        else:
            order.append((rest, p))
    for key, p in order:
        if p is not None:
            lines.append(f"    {key}: {_num(p, p.default)}")
        else:
            inner = ", ".join(f"{q.name.rsplit('.', 1)[1]}: {_num(q, q.default)}" for q in groups[key])
            lines.append(f"    {key}: {{{inner}}}")
    lines.append("```")
    return lines


def parameter_reference() -> str:
    """The generated Markdown section (without the marker lines)."""
    out = [
        "## Parameter reference (generated)",
        "",
        (f"Generated from `alliance.model.parameters.PARAMS` ({len(PARAMS)} parameters); do not edit "
        "by hand, run `python -m alliance.analysis.docgen --write`. Each parameter is set in the "
        "scenario file under `actors.<actor>`, or on the command line with "
        "`--set <actor>.<key>=<value>`. Per-domain groups take one value per domain "
        f"({', '.join(f'`{d}`' for d in DOMAINS)}); a domain left out keeps its default. "
        "Provenance: a quote from the December 2006 briefing, an episode id from "
        "`shared/episodes.md` (K1, G1, …), [S] a sourced fact, [E] our arithmetic on the sources, "
        "[A] a modelling assumption."),
        "",
        ("Evidence class of each default (`alliance params` shows it): "
         + "; ".join(f"**{k}** {v}" for k, v in EVIDENCE_CLASSES.items())
         + ". Every R- and A-class parameter states a plausible range (inside its range, containing "
         "its default) that batches and calibration sample: "
         "`alliance.model.evidence.plausible_uncertainties()` gives it as an `uncertainties:` block, "
         "`plausible_problem()` as a SALib problem grouped by class."),
        "",
        "### Integration scale",
        "",
        ("Integration is coded on one scale with named levels, for every partner (NATO, EU, US, "
         "China). Wherever a value sits on that scale — "
         + ", ".join(f"`{n}`" for n in LEVEL_PARAMS)
         + ", an event's `level` in the `integration` domain, a `set` event's `value` for one of "
         "those parameters, and `--set` — a file may write the name instead of the number, e.g. "
         "`level: intensified_dialogue` or `initial: {integration: ipap}`; an unknown name is "
         "rejected with the nearest known names."),
        "",
        "| name | level | examples |",
        "|---|---|---|",
        *(f"| `{n}` | {v:.2f} | {_cell(INTEGRATION_LEVEL_EXAMPLES[n])} |" for n, v in INTEGRATION_LEVELS.items()),
    ]
    for actor in ACTORS:
        params = [p for p in PARAMS.values() if p.actor == actor]
        out += [
            "",
            f"### `actors.{actor}` (default name {DEFAULT_NAMES[actor]})",
            "",
            "Every key of the block at its default (`name` sets the display name):",
            "",
            *_yaml_block(actor),
            "",
            "| parameter (`--set` path) | default | unit | range | class | plausible | meaning | provenance |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for p in params:
            plausible = f"[{_num(p, p.plausible[0])}, {_num(p, p.plausible[1])}]" if p.plausible else "–"
            out.append(
                f"| `{p.name}` | {_num(p, p.default)} | {_cell(p.unit)} | "
                f"[{_num(p, p.low)}, {_num(p, p.high)}]{' whole' if p.integer else ''} | "
                f"{p.evidence or '?'} | {plausible} | "
                f"{_cell(p.description)} | {_cell(p.provenance)} |"
            )
    return "\n".join(out) + "\n"


def splice(doc: str, generated: str) -> str:
    """``doc`` with the text between the markers replaced by ``generated``."""
    start, end = doc.find(BEGIN), doc.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the page lacks the marker lines {BEGIN!r} … {END!r}")
    return doc[: start + len(BEGIN)] + "\n" + generated + doc[end:]


def extract(doc: str) -> str:
    """The text between the markers (what ``parameter_reference()`` produced when written)."""
    start, end = doc.find(BEGIN), doc.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the page lacks the marker lines {BEGIN!r} … {END!r}")
    return doc[start + len(BEGIN) + 1: end]


def _write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m alliance.analysis.docgen", description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="rewrite the reference in the page")
    ap.add_argument("--check", action="store_true", help="exit 1 if the page's reference is stale")
    ap.add_argument("page", nargs="?", type=Path, default=DEFAULT_DOC, help="default: docs/scenarios.md")
    args = ap.parse_args(argv)
    generated = parameter_reference()
    if not (args.write or args.check):
        sys.stdout.write(generated)
        return 0
    try:
        doc = args.page.read_text(encoding="utf-8")
        current = extract(doc)
    except (OSError, ValueError) as exc:
        print(f"error: {args.page}: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if current != generated:
            print(f"{args.page}: parameter reference is stale; run "
                  "python -m alliance.analysis.docgen --write", file=sys.stderr)
            return 1
        print(f"{args.page}: parameter reference up to date")
        return 0
    if current != generated:
        _write(args.page, splice(doc, generated))
        print(f"rewrote the parameter reference in {args.page}")
    else:
        print(f"{args.page}: parameter reference already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
