"""The package's own error for a bad request: ``UserError``.

The library raises it (an unknown measure, a study that does not exist, options that do not fit
together); the command line reports it as one line without a traceback and exits with code 2.
File errors with a file, line and field are ``alliance.model.yamlio.InputError``.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem with what the user asked for, reported without a traceback (exit code 2)."""
