"""`alliance results schema STUDY`: what every column of a stored study means."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from alliance.cli.batch import results_app
from alliance.cli.common import console, user_errors


@user_errors
def results_schema(
    name: str = typer.Argument(..., help="study folder, or its name under results/"),
    as_json: bool = typer.Option(False, "--json", help="print the dictionary as JSON"),
) -> None:
    """Print the column dictionary of a stored study: label, unit, range, codes, description.

    The same dictionary is in manifest.json ("columns") and in every Parquet file's schema
    metadata ("alliance.columns"); studies written before it existed get it from this version.
    """
    from alliance.model.columns import column_dictionary
    from alliance.study.store import KEYS, load_results

    study = load_results(name, skip_corrupt=True)
    m = study.manifest
    cols = m.get("columns") or column_dictionary(
        [*KEYS, "month", *(m.get("parameters") or []), *_outcome_names()])
    if as_json:
        print(json.dumps(cols, indent=1, ensure_ascii=False))
        return
    t = Table(title=f"{study.path}: columns (tables join on run_id)", show_lines=False)
    for c in ("column", "label", "unit", "range", "codes", "description"):
        t.add_column(c, overflow="fold")
    for n, i in cols.items():
        rng = "–" if "range" not in i else f"[{i['range'][0]:g}, {i['range'][1]:g}]"
        codes = ", ".join(f"{k} {v}" for k, v in i.get("codes", {}).items()) or "–"
        desc = i.get("description", "") + (" May be missing." if i.get("nullable") else "")
        t.add_row(n, i.get("label", ""), i.get("unit", ""), rng, codes, desc)
    console.print(t)


def _outcome_names() -> list[str]:
    from alliance.model.outcomes import OUTCOMES

    return list(OUTCOMES)


def register(app: typer.Typer) -> None:
    """Add `results schema` to the `alliance results` group."""
    results_app.command("schema")(results_schema)
