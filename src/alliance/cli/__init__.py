"""The `alliance` command line. Nothing else in the package imports it.

Each module holds one command group and adds it in ``register(app)``; the list below is the
whole command line, in the order ``alliance --help`` shows it.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import sys
import threading

# Mesa 3.3 names its module loggers by walking the whole call stack with ``inspect`` (reading the
# source of every frame): imported first, from a shallow stack, that costs 0.1-0.2 s instead of
# 0.3-0.6 s at the bottom of the model's import chain (``python -X importtime``).
import mesa  # noqa: F401
import typer

from alliance.cli import analysis, batch, calibrate, columns, core, validate, webapp
from alliance.cli.common import stop_on_signals

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
    """The command line as a function (exits through ``SystemExit``, like any click program)."""
    app(prog_name="alliance")


def console() -> None:
    """The ``alliance`` script and ``python -m alliance``: ``main()``, then leave without tearing
    the interpreter down.

    Tearing down the modules of Mesa, pandas, numba and pyarrow one by one costs about a second after
    every command (``benchmarks/cold_start.py``), longer than many commands take. So once the command
    has finished, its exit handlers run (logging, multiprocessing, anything registered with
    ``atexit``), standard output and error are flushed and the process ends with the command's exit
    code. Every file the tool writes is closed before its command returns (``atomic_write``). If a
    non-daemon thread or a child process is still alive, the normal shutdown runs instead so it is
    waited for; an uncaught exception also takes the normal path (and its traceback).

    SIGTERM and SIGHUP end a command as Ctrl-C does (``common.stop_on_signals``): temporary files
    are removed, finished work is kept, and the exit code is 128 + the signal's number."""
    stop_on_signals()
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt as exc:  # outside a command (while starting): no traceback either
        code = 128 + int(getattr(exc, "signum", signal.SIGINT))
    others = [t for t in threading.enumerate() if t is not threading.current_thread() and not t.daemon]
    if others or multiprocessing.active_children() or not isinstance(code, (int, type(None))):
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (``alliance … | head``)
            stream.flush()
    os._exit(code or 0)


__all__ = ["app", "console", "main"]
