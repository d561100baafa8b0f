"""The typer application shared by every `alliance` command module, and its error handling.

User errors (``InputError``, bad values) print one line naming the file, line and field, and exit
with code 2; no traceback, no output file. Command modules register with ``@app.command()``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from alliance.model.yamlio import InputError

from .fileio import atomic_write  # noqa: F401 - re-exported for the command modules

app = typer.Typer(
    name="alliance",
    help="Simulate how a small state balances between rival powers (Kazakhstan, NATO, Russia).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USER_ERROR = 2


class UserError(Exception):
    """A problem with what the user asked for, reported without a traceback (exit code 2)."""


def fail(message: str) -> "typer.Exit":
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_USER_ERROR)


def user_errors(fn: F) -> F:
    """Decorator: turn user errors into one clear message and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            raise fail(exc.format()) from None
        except UserError as exc:
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            err_console.print("interrupted")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


