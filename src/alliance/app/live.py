"""What the app shows, free of any UI: the tuned ensemble with its figures and their JSON.

``compute`` turns new parameters into finished figures (``benchmarks/app.py`` times it);
``untuned`` keeps each scenario's untuned result, which every page opens on and every tuned chart
overlays, once per server for all sessions.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from solara.util import CancelledError

from alliance.app import figures as figs
from alliance.app.chart import figure_json
from alliance.app.compare import Headline, Pin, headlines
from alliance.app.state import (
    DEFAULT_REPLICATIONS,
    POSTERIOR_ENV,
    Ensemble,
    run_ensemble,
    thresholds,
    tuned_scenario,
)


@dataclass(frozen=True)
class Computed:
    """One state of a session (``key``): its ensemble, figures, headline cards and figures' JSON."""

    key: tuple
    ensemble: Ensemble
    figures: dict[str, Any]
    cards: list[Headline]
    json: dict[str, str]


def compute(key: tuple, base_sc: Any, overrides: dict, reps: int, base_ens: Ensemble,
            cancel: threading.Event | None = None, pins: tuple[Pin, ...] = ()) -> Computed:
    """New parameters → tuned ensemble → finished figures and their JSON for the browser (what
    ``benchmarks/app.py`` times). Without overrides the tuned scenario is the base scenario, and
    its ensemble is ``base_ens``: nothing is run again."""
    sc = tuned_scenario(base_sc, overrides, reps, base_sc.seed)
    ens = base_ens if sc == base_ens.scenario else run_ensemble(sc)
    if cancel is not None and cancel.is_set():
        raise CancelledError()
    out = {
        "sanctions": figs.sanctions_probability(ens, base_ens, pins),
        "threat": figs.threat_fan(ens, base_ens, thresholds(ens.params), thresholds(base_ens.params)),
        "cooperation": figs.cooperation_fans(ens, base_ens),
        "summary": figs.outcome_summary(ens, base_ens),
    }
    return Computed(key, ens, out, headlines(ens, base_ens), {k: figure_json(f) for k, f in out.items()})


_UNTUNED: OrderedDict[tuple, Computed] = OrderedDict()
_UNTUNED_LOCK = threading.Lock()
UNTUNED_CACHE = 8
"""Untuned results kept (scenario contents × replications); each holds one ensemble's arrays."""


def untuned(base_sc: Any, reps: int, key: tuple = ("untuned",)) -> Computed:
    """The scenario's untuned ensemble with its figures, computed once per scenario contents,
    replications and posterior and shared by every session: each page opens on it, and it is the
    overlay of every tuned chart. ``key`` is the asking session's state key."""
    cache_key = (base_sc.model_dump_json(), reps, os.environ.get(POSTERIOR_ENV, ""))
    with _UNTUNED_LOCK:
        hit = _UNTUNED.get(cache_key)
        if hit is not None:
            _UNTUNED.move_to_end(cache_key)
    if hit is None:
        ens = run_ensemble(tuned_scenario(base_sc, {}, reps, base_sc.seed))
        hit = compute(("untuned",), base_sc, {}, reps, ens)
        ens.record.setflags(write=False)  # shared by every session: nobody may write into it
        with _UNTUNED_LOCK:
            _UNTUNED[cache_key] = hit
            while len(_UNTUNED) > UNTUNED_CACHE:
                _UNTUNED.popitem(last=False)
    return dataclasses.replace(hit, key=key)


def opening_replications(sc: Any) -> int:
    """Replications a page opens with: the scenario's, at most ``DEFAULT_REPLICATIONS``."""
    return min(sc.replications, DEFAULT_REPLICATIONS)


__all__ = ["Computed", "compute", "opening_replications", "untuned"]
