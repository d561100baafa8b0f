"""What ``alliance app`` serves: the page, warmed before the server accepts a connection.

``solara run alliance.app.server:Page`` imports this module before it listens, so the compiled
kernel is loaded and the opening scenario's untuned ensemble and figures are computed
(``page.warm``) by the time the server answers: the first page that connects only renders.
``solara run alliance.app.page:Page`` serves the same page without the warm-up.
"""

from __future__ import annotations

from alliance.app.opening import install
from alliance.app.page import Page, warm

warm()
install()

__all__ = ["Page"]
