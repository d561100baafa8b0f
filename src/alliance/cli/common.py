"""What every `alliance` command module shares: the consoles and the handling of user errors.

User errors (``InputError``, bad values) print one line naming the file, line and field, and exit
with code 2; no traceback, no output file. Each command module adds its commands in ``register(app)``.

The consoles print text as it is (``markup=False``): names, paths, descriptions and messages come
from users' files and arguments, and a ``[/x]`` in them must neither crash rich nor vanish. Styled
words go through ``styled``.
"""

from __future__ import annotations

import functools
import os
import signal
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from alliance.errors import UserError
from alliance.model.discrepancy import KINDS
from alliance.model.posterior import Posterior
from alliance.model.yamlio import InputError

console = Console(markup=False)
err_console = Console(stderr=True, markup=False)

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USER_ERROR = 2

MAX_SEED = 2**63 - 1
"""Largest seed or replication id an option accepts: the model keeps them as 64-bit integers (a
scenario file's ``seed`` has the same bound), so a larger one is refused, never wrapped."""


def styled(*parts: str | tuple[str, str]) -> Text:
    """Text from plain strings and (text, style) pairs, e.g. ``styled(("error:", "bold red"), " ", msg)``;
    nothing in the strings is read as markup."""
    return Text.assemble(*parts)


def discrepancy_line(post: Posterior, path: object) -> str:
    """One sentence stating a posterior's structural discrepancy δ (or that it has none)."""
    d = post.discrepancy
    if d is None:
        return (f"{path} has no structural discrepancy (format alliance-posterior/1, written before "
                "it): its category forecasts are the raw model's; refit it with alliance calibrate.")
    rates = "; ".join(", ".join(f"{c} {v:.2f}" for c, v in zip(KINDS[k], r, strict=True))
                      for k, r in d.base_rates.items())
    return (f"structural discrepancy of {path}: δ response {d.delta['response']:.2f}, outcome "
            f"{d.delta['outcome']:.2f} (estimated on its {d.episodes} calibration episodes, in sample; "
            f"a category forecast is (1 − δ) model + δ base rates: {rates}).")


def raw_probabilities_note(post: Posterior, path: object) -> Text:
    """The note of run, compare and app under ``--posterior``: their probabilities are the raw
    model's (δ is estimated for the hindcast categories only)."""
    return styled(("note:", "yellow"), " the probabilities shown are the raw model's, with parameters drawn "
                  f"from {path}: its structural discrepancy is estimated for the hindcast categories and applied "
                  "only there (alliance validate), so read them as over-confident. " + discrepancy_line(post, path))


def fail(message: str) -> "typer.Exit":
    err_console.print(styled(("error:", "bold red"), f" {message}"), highlight=False, soft_wrap=True)
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
        except KeyboardInterrupt as exc:
            err_console.print("interrupted" if not isinstance(exc, Terminated) else
                              f"stopped ({signal.Signals(exc.signum).name}); nothing half-written was left behind")
            raise typer.Exit(128 + getattr(exc, "signum", signal.SIGINT)) from None

    return wrapper  # type: ignore[return-value]


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the command is, so it ends as Ctrl-C does: temporary files
    removed (``atomic_write``), finished chunks and checkpoints kept, exit code 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def stop_on_signals() -> None:
    """Make SIGTERM and SIGHUP end the command like Ctrl-C (``Terminated``) in this process; a worker
    process forked from it keeps the default (it is stopped by its pool)."""
    main_pid = os.getpid()

    def handler(signum: int, _frame: object) -> None:
        if os.getpid() != main_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated(signum)

    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            signal.signal(sig, handler)




class RichProgress:
    """A ``alliance.study.progress.Progress`` drawn as a rich bar over runs (rate, ETA) on stderr."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or err_console
        self._bar: Any = None
        self._task: Any = None

    def start(self, total: int, done: int, where: str) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task: Any) -> Text:
                return Text(f"{task.speed:,.0f} runs/s" if task.speed else "… runs/s")

        self._bar = Progress(TextColumn("[bold]runs"), BarColumn(), MofNCompleteColumn(), Rate(),
                             TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                             console=self.console, transient=False)
        self._bar.start()
        self._task = self._bar.add_task(where, total=total, completed=done)

    def advance(self, n: int) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, n)

    def note(self, message: str) -> None:
        self.console.print(message, highlight=False, soft_wrap=True)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


class NotesOnly(RichProgress):
    """``--no-progress``: no bar, but notes (redone chunks, interruptions) still reach stderr."""

    def start(self, total: int, done: int, where: str) -> None:
        pass
