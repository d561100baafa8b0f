"""What the app shows before any UI: the shared untuned result, the warm-up before the server
listens, reuse of the untuned ensemble, and figures the browser's plotly.js bundle can draw."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from alliance.app import figures as figs
from alliance.app import live
from alliance.app.chart import PARTIAL_BUNDLE_TRACES
from alliance.app.compare import pin_of
from alliance.app.live import compute, untuned
from alliance.app.state import Replay, run_ensemble, tuned_scenario
from alliance.model import load_scenario

REPS = 40
ECONOMIC = "hegemon.threshold.economic"


@pytest.fixture(scope="module")
def forced():
    return load_scenario("energy_support_forced").with_params({"horizon_months": 18})


@pytest.fixture
def counted(monkeypatch):
    """Count the ensembles ``live`` runs."""
    calls: list[int] = []
    real = live.run_ensemble

    def counting(sc):
        calls.append(sc.replications)
        return real(sc)

    monkeypatch.setattr(live, "run_ensemble", counting)
    monkeypatch.setattr(live, "_UNTUNED", type(live._UNTUNED)())
    return calls


def test_the_untuned_result_is_computed_once_per_scenario_and_shared(forced, counted):
    first = untuned(forced, REPS, ("session", 1))
    again = untuned(forced, REPS, ("session", 2))
    assert counted == [REPS]
    assert again.ensemble is first.ensemble
    assert again.json == first.json
    assert (first.key, again.key) == (("session", 1), ("session", 2))  # each session's own key
    assert not first.ensemble.record.flags.writeable  # shared: nobody writes into it
    untuned(forced, REPS + 10)  # other replications
    untuned(forced.with_params({ECONOMIC: 0.6}), REPS)  # other contents, same name
    assert counted == [REPS, REPS + 10, REPS]


def test_the_untuned_result_equals_computing_it_afresh(forced, counted):
    cached = untuned(forced, REPS)
    fresh = compute(("k",), forced, {}, REPS, run_ensemble(tuned_scenario(forced, {}, REPS, forced.seed)))
    assert cached.json == fresh.json
    assert [c.tuned for c in cached.cards] == [c.tuned for c in fresh.cards]


def test_the_untuned_cache_is_bounded(forced, counted):
    for i in range(live.UNTUNED_CACHE + 3):
        untuned(forced, 10 + i)
    assert len(live._UNTUNED) == live.UNTUNED_CACHE
    untuned(forced, 10)  # the oldest was dropped: computed again
    assert counted[-1] == 10
    assert len(counted) == live.UNTUNED_CACHE + 4


def test_compute_reuses_the_untuned_ensemble_and_runs_a_tuned_one(forced, counted):
    base_ens = untuned(forced, REPS).ensemble
    same = compute(("a",), forced, {}, REPS, base_ens)
    assert same.ensemble is base_ens
    tuned = compute(("b",), forced, {ECONOMIC: 0.55}, REPS, base_ens)
    assert counted == [REPS, REPS]
    assert tuned.ensemble is not base_ens
    assert tuned.ensemble.params[ECONOMIC] == 0.55


def test_warm_computes_the_opening_scenario_before_any_page(monkeypatch, tmp_path, counted):
    from alliance.app import page

    path = tmp_path / "opening.yaml"
    path.write_text("name: opening\nextends: energy_support_forced\nhorizon_months: 12\nreplications: 30\n")
    monkeypatch.setenv("ALLIANCE_APP_SCENARIO", str(path))
    page.warm()
    assert counted == [30]
    untuned(load_scenario(path), page.opening_replications(load_scenario(path)))
    assert counted == [30]  # the page opens on the warmed result


def test_the_served_module_warms_when_imported_and_the_page_module_does_not(tmp_path):
    """In a fresh interpreter, as ``solara run`` imports them: the page runs nothing at import, the
    served module (``alliance app``'s entry point) computes the opening scenario before returning."""
    path = tmp_path / "opening.yaml"
    path.write_text("name: opening\nextends: energy_support_forced\nhorizon_months: 12\nreplications: 30\n")
    code = ("import alliance.app.page, alliance.app.live as live; print(len(live._UNTUNED)); "
            "import alliance.app.server; print(len(live._UNTUNED)); "
            "print(next(iter(live._UNTUNED.values())).ensemble.record.shape[2])")
    env = {**os.environ, "ALLIANCE_APP_SCENARIO": str(path), "ALLIANCE_APP_USER_DIR": str(tmp_path)}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.split() == ["0", "1", "30"]


def test_every_app_figure_uses_only_trace_types_of_the_cartesian_bundle(forced):
    """The browser loads plotly.js's cartesian partial bundle: a trace type outside it would not draw."""
    from alliance.app.panels import tipping_figure

    base_ens = untuned(forced, REPS).ensemble
    pins = (pin_of(base_ens, "forced"),)
    out = compute(("t",), forced, {ECONOMIC: 0.55}, REPS, base_ens, pins=pins)
    rp = Replay(out.ensemble.scenario, 1)
    rp.to_end()
    tuned = tuned_scenario(forced, {ECONOMIC: 0.55}, 20, forced.seed)
    figures = [*out.figures.values(), figs.replay_chart(rp.trajectory(), out.ensemble.replication(1), 1,
                                                        scenario=rp.scenario),
               tipping_figure(tuned, ECONOMIC, "balancer.ceiling.energy")]
    types = {t.type or "scatter" for f in figures for t in f.data}
    assert types <= PARTIAL_BUNDLE_TRACES, types - PARTIAL_BUNDLE_TRACES
    assert {"scatter", "bar", "heatmap"} <= types
    assert np.isfinite(out.ensemble.record).all()
