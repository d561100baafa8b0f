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
        if isinstance(exc, OSError) and exc.errno is not None:  # no such folder, no permission, read-only
            raise UserError(f"{path}: cannot write it ({exc.strerror}); nothing half-written was "
                            "left behind") from None
        raise


def check_writable(*paths: Path | None, folder: bool = False, named: Path | None = None) -> None:
    """Before any work is done, check that each output (a file, or a ``folder``) can be written.

    Creates nothing: a probe file is made and removed in the nearest folder that exists on the way
    to the output (the write itself makes the missing ones). Raises ``UserError`` naming the path,
    so a long run never ends in an error at its last step (the class of lost work the developers'
    guide forbids). ``named``: the output the message names, where the folder checked is the one
    it will be made in.
    """
    for path in paths:
        if path is None:
            continue
        try:
            _check_one(Path(path), folder, named or path, named)
        except OSError as exc:  # a name too long, a symbolic-link loop on the way
            raise UserError(f"{named or path}: cannot write it ({exc.strerror}); nothing was run") from None


_TMP_EXTRA = 16
"""Characters ``atomic_write``'s temporary name adds to a file's name (``.NAME.xxxxxxxx.tmp``)."""


def _check_one(path: Path, folder: bool, shown: Path, named: Path | None) -> None:
    if not folder and Path(path).is_dir():
        raise UserError(f"{path}: is a folder; give a file name; nothing was run")
    if folder and Path(path).exists() and not Path(path).is_dir():
        what = "is a file; give a folder" if named is None else f"cannot make it in {path}, a file"
        raise UserError(f"{shown}: {what}; nothing was run")
    where = Path(path) if folder else Path(path).parent
    there = next((p for p in (where, *where.parents) if p.exists()), Path.cwd())
    broken = next((p for p in (where, *where.parents) if there in p.parents and os.path.lexists(p)), None)
    if broken is not None:
        raise UserError(f"{shown}: cannot write it: {broken} is a broken symbolic link (or a loop); "
                        "nothing was run")
    if not there.is_dir():
        raise UserError(f"{shown}: cannot write it: {there} is a file, not a folder; nothing was run")
    name_max = os.pathconf(there, "PC_NAME_MAX")
    made = [(p.name, name_max) for p in (where, *where.parents) if p != there and there in p.parents]
    if not folder:
        made.append((path.name, name_max - _TMP_EXTRA))
    for name, longest in made:
        if len(os.fsencode(name)) > longest:
            raise UserError(f"{shown}: cannot write it: a name of {len(os.fsencode(name))} bytes is too long "
                            f"(at most {longest} here); nothing was run")
    probe: str | None = None
    try:
        fd, probe = tempfile.mkstemp(prefix=".alliance-probe.", dir=there)
        os.close(fd)
    except OSError as exc:
        raise UserError(f"{shown}: cannot write it ({exc.strerror}{'' if there == where else f' in {there}'}); "
                        "nothing was run") from None
    finally:
        if probe is not None:  # removed even when Ctrl-C or SIGTERM lands between the two calls
            Path(probe).unlink(missing_ok=True)
