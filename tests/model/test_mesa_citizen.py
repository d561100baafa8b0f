"""AllianceModel among Mesa's own tools: SolaraViz Reset, batch_run's params forms, the DataCollector."""

from __future__ import annotations

import inspect

import mesa
import numpy as np
import pytest

from alliance.model import AllianceModel, simulate

BATCH_ONCE = {"rng": [None]} if "rng" in inspect.signature(mesa.batch_run).parameters else {"iterations": 1}


@pytest.mark.filterwarnings("ignore:.*found despite early return:UserWarning")  # Mesa 3.3's own component
def test_solara_model_controller_reset_rebuilds_the_chosen_scenario():
    solara = pytest.importorskip("solara")
    v = pytest.importorskip("ipyvuetify")
    from mesa.visualization.solara_viz import ModelController

    model = solara.reactive(AllianceModel("energy_support_forced", replications=1, months=24))
    params = solara.reactive({"spec": "energy_support_forced", "months": 12, "seed": 3})
    _, rc = solara.render(ModelController(model, model_parameters=params, render_interval=solara.reactive(1),
                                          play_interval=solara.reactive(100),
                                          use_threads=solara.reactive(False)), handle_error=False)
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert model.value.month == 1
    first = model.value
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert model.value is not first
    assert (model.value.spec.name, model.value.month, model.value.horizon, model.value.seed_value) == (
        "energy_support_forced", 0, 12, 3)


def test_mesa_scenario_object_stands_for_the_default_scenario():
    scen = pytest.importorskip("mesa.experimental.scenarios")  # Mesa ≥ 3.5 only
    m = AllianceModel(scenario=scen.Scenario(), months=3)
    assert m.spec.name == "baseline"
    m = AllianceModel(scenario=scen.Scenario(), spec="russia_hardline", months=3)
    assert m.spec.name == "russia_hardline"
    m.run()
    assert m.month == 3


def test_params_not_a_mapping_points_to_the_list_of_dicts_form():
    with pytest.raises(ValueError, match="list of mappings") as info:
        mesa.batch_run(AllianceModel, parameters={"months": 3, "params": {"hegemon.noise_sd": [0.1, 0.2]}},
                       **BATCH_ONCE, display_progress=False)
    assert "str" in str(info.value)


def test_batch_run_grid_form_with_a_list_of_dicts():
    grid = [{"hegemon.noise_sd": x} for x in (0.05, 0.1, 0.2)]
    rows = mesa.batch_run(AllianceModel, parameters={"spec": "baseline", "replications": 1, "months": 6, "params": grid},
                          **BATCH_ONCE, display_progress=False)
    assert [r["params"]["hegemon.noise_sd"] for r in rows] == [0.05, 0.1, 0.2]
    for r in rows:
        ref = simulate("baseline", replications=1, months=6, params=r["params"]).trajectories
        assert r["threat"] == pytest.approx(float(ref[ref.month == r["Step"]]["threat"].iloc[0]), rel=1e-6)


def test_datacollector_is_on_for_any_number_of_replications():
    m = AllianceModel("baseline", replications=1500, months=5).run()
    df = m.datacollector.get_model_vars_dataframe()
    assert len(df) == 6
    np.testing.assert_allclose(df["threat"], m.outcome("threat").mean(axis=1), rtol=1e-6)
    rows = mesa.batch_run(AllianceModel, parameters={"replications": 1500, "months": 5},
                          **BATCH_ONCE, display_progress=False)
    assert len(rows) == 1
    assert set(m.datacollector.model_reporters) <= set(rows[0])
