"""alliance-balancing: how a small state balances between rival powers (Mesa ABM)."""

__version__ = "0.1.0"
