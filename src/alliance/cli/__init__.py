"""The `alliance` command line. Nothing else in the package imports it.

Each module holds one command group and adds it in ``register(app)``; the list below is the
whole command line, in the order ``alliance --help`` shows it.
"""

from __future__ import annotations

import typer

from alliance.cli import analysis, batch, calibrate, columns, core, validate, webapp

app = typer.Typer(
    name="alliance",
    help="Simulate how a small state balances between rival powers (Kazakhstan, NATO, Russia).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _group in (core, batch, columns, analysis, validate, calibrate, webapp):
    _group.register(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="alliance")


__all__ = ["app", "main"]
