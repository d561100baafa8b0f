"""Every file in scenarios/ (and scenarios/episodes/) loads, validates, and runs."""

from __future__ import annotations

import pytest

from alliance.model import simulate
from alliance.model.scenario_files import load_scenario, scenarios_dir

FILES = sorted(scenarios_dir().rglob("*.yaml"))
REQUIRED = {"baseline", "energy_support_georgia_ukraine", "nato_base_request", "riga_expansion",
            "kyrgyz_base_closure", "russia_hardline"}


def test_required_scenarios_shipped():
    assert {f.stem for f in FILES} >= REQUIRED


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_loads_and_runs(path):
    sc = load_scenario(path)
    assert sc.name == path.stem, "file stem must equal the scenario's name"
    if path.parent == scenarios_dir():
        assert "?" in sc.description, "the description states the question the scenario asks"
    res = simulate(sc, replications=20)
    assert len(res.summary) == 20
