"""The one ensemble runner: the same numbers in-process, in local processes and on Dask."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.analysis.sensitivity import parse_param_ranges, run_sensitivity
from alliance.analysis.tipping import model_chunk, tipping_map
from alliance.model.ensemble import run_ensemble
from alliance.model.model import AllianceModel
from alliance.model.scenario_files import load_scenario
from alliance.study.ensemble import map_ensembles


def test_run_ensemble_equals_the_model_run_directly():
    sc = load_scenario("baseline")
    direct = AllianceModel(sc, replications=30, seed=5, months=24).run()
    want = direct.outcome("threat").copy()
    direct.release()
    got = run_ensemble(sc, lambda m: m.outcome("threat").copy(), replications=30, seed=5, months=24)
    np.testing.assert_array_equal(got, want)


def test_map_ensembles_keeps_task_order_and_numbers_across_executors():
    sc = load_scenario("russia_hardline").with_params({"horizon_months": 36})
    tasks = [(sc, "sanctions_ever", 3, {"hegemon.threshold.economic": np.full(20, v)}, np.arange(20))
             for v in (0.5, 0.6, 0.7, 0.8)]
    here = map_ensembles(model_chunk, tasks)
    procs = map_ensembles(model_chunk, tasks, workers=2)
    assert len(here) == 4
    for a, b in zip(here, procs, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.slow
def test_tipping_map_is_the_same_in_process_in_processes_and_on_dask():
    pytest.importorskip("distributed")
    sc = load_scenario("baseline").with_params({"horizon_months": 36})
    kw = {"grid": (3, 3), "replications": 20, "seed": 1, "n_boot": 20}
    one = tipping_map(sc, "hegemon.threshold.economic", "balancer.ceiling.energy", **kw)
    two = tipping_map(sc, "hegemon.threshold.economic", "balancer.ceiling.energy", workers=2, **kw)
    dask = tipping_map(sc, "hegemon.threshold.economic", "balancer.ceiling.energy", workers=None,
                       dask_local=2, **kw)
    np.testing.assert_array_equal(one.p, two.p)
    np.testing.assert_array_equal(one.p, dask.p)


@pytest.mark.slow
def test_sensitivity_runs_on_dask_with_the_same_indices():
    pytest.importorskip("distributed")
    pytest.importorskip("SALib")
    sc = load_scenario("baseline").with_params({"horizon_months": 24})
    extra = parse_param_ranges(["hegemon.threshold.economic=0.6:0.8", "balancer.ceiling.energy=0.4:0.9"])
    kw = {"method": "morris", "n": 4, "replications": 10, "seed": 2, "extra": extra}
    here = run_sensitivity(sc, **kw)
    dask = run_sensitivity(sc, workers=None, dask_local=2, **kw)
    assert here.table.equals(dask.table)


def test_every_shipped_scenario_pickles_for_worker_processes():
    """Tasks carry their Scenario to worker processes and Dask workers: it must pickle (the
    per-domain and threshold sub-models are created at import time; before the layers issue
    ``russia_hardline`` could not be sent to a worker)."""
    import pickle

    from alliance.model.scenario_files import shipped_scenarios

    for name in shipped_scenarios():
        sc = load_scenario(name)
        assert pickle.loads(pickle.dumps(sc)) == sc, name
