"""How long work tells its caller how far it is, without printing anything itself.

The library reports to a ``Progress`` (start, advance, note, stop); the command line passes one
that draws a rich progress bar on stderr (``alliance.cli.common.RichProgress``); everything else
gets ``SILENT``. ``as_progress`` turns the ``progress=`` argument of the public functions
(a ``Progress``, or ``None``/``False`` for silence) into one.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Where long work reports: runs done out of a total, and one-line notes."""

    def start(self, total: int, done: int, where: str) -> None:
        """Work of ``total`` units begins, ``done`` of them already finished, running ``where``."""

    def advance(self, n: int) -> None:
        """``n`` more units are finished."""

    def note(self, message: str) -> None:
        """A one-line message for the user (a redone chunk, a cluster's dashboard address)."""

    def stop(self) -> None:
        """The work ended (finished, failed or interrupted)."""


class Silent:
    """A ``Progress`` that shows nothing."""

    def start(self, total: int, done: int, where: str) -> None:
        pass

    def advance(self, n: int) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def stop(self) -> None:
        pass


SILENT = Silent()


def as_progress(progress: Progress | bool | None) -> Progress:
    """The ``Progress`` to report to: the one given, or ``SILENT`` for ``None``, ``False`` or ``True``.

    ``True`` is accepted for callers written when the library drew its own bar; the library
    prints nothing, so only a ``Progress`` object (the CLI's) shows anything.
    """
    if progress is None or isinstance(progress, bool):
        return SILENT
    return progress
