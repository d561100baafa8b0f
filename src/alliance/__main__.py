"""``python -m alliance ...``: the same command line as the ``alliance`` script."""

import alliance.cli

alliance.cli.console()
