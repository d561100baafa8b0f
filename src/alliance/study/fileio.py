"""Atomic file writing: write to a temporary file in the same folder, then rename.

Every result file the tool writes goes through ``atomic_write``, so no reader ever sees a
half-written file and an interrupted write leaves nothing behind.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from alliance.errors import UserError

_UMASK = os.umask(0)
os.umask(_UMASK)


class DiskFull(UserError):
    """The disk (or the user's quota) is full: nothing half-written was left behind."""


FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary path beside ``path``, then rename it into place.

    A full disk raises ``DiskFull`` (a ``UserError``) naming the file; the temporary file is removed.
    """
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; results are meant to be shared
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in FULL:
            raise DiskFull(f"{path}: cannot write it, the disk is full ({exc.strerror}); nothing "
                           "half-written was left behind") from None
        raise
