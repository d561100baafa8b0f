"""A coherent hegemon (issue 10): carrot or stick, never both in the same month, in every shipped
scenario and episode; its measures cost it something, so escalation is a choice."""

from __future__ import annotations

import itertools

import pytest

from alliance.model import AllianceModel, load_scenario
from alliance.model.scenario_files import scenarios_dir

ALL = sorted(scenarios_dir().glob("*.yaml")) + sorted((scenarios_dir() / "episodes").glob("*.yaml"))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_never_sanctions_and_inducement_in_the_same_month(path):
    m = AllianceModel(load_scenario(path), replications=500, collect=False).run()
    both = (m.outcome("sanctions") > 0.5) & (m.outcome("inducement") > 0.5)
    assert not both.any(), f"{path.stem}: {int(both.sum())} replication-months with carrot and stick"


def test_the_stick_costs_the_hegemon_so_a_costlier_stick_is_used_less():
    """Drezner 1999: with more of its own trade at stake, the hegemon sanctions less for the same move."""
    sc = load_scenario("energy_support_forced")
    shares = [0.0, 0.05, 0.1, 0.2]
    p = [AllianceModel(sc, replications=1000, months=36, collect=False,
                       params={"hegemon.trade_share_with_balancer": s}).run().outcome("sanctions")[1:].mean()
         for s in shares]
    assert all(a >= b for a, b in itertools.pairwise(p)), p
    assert p[0] > p[-1] + 0.1, p
