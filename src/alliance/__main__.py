"""``python -m alliance ...``: the same command line as the ``alliance`` script."""

from alliance.cli import main

main()
