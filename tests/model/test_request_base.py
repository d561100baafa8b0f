"""Take-up of a request counts from where the balancer stood when that request opened, not from the
month-0 status quo: cooperation already given (an earlier request banked) is not take-up of a new
one. Checked on the rule, on the ensemble and against the scalar peer (the oracle)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.model.test_scalar_oracle import ensemble_state, peer_state

from alliance.model import AllianceModel, load_scenario, rules
from alliance.model.peer import ScalarModel

TWO_REQUESTS = """name: two_requests
description: a second, larger energy request after the first was taken up in part
extends: energy_support_georgia_ukraine
events:
  - {month: 30, kind: request, domain: energy, level: 1.0, intensity: 1.0}
"""
ENERGY = 2
REPLICATIONS = list(range(12))
MONTHS = 48


def test_rule_counts_take_up_from_the_request_base() -> None:
    """Status quo 0.2, the balancer already at 0.4 when a request for 0.9 opened: holding 0.4 is no
    take-up (refused); 0.45 is (banked at 0.45)."""
    active = np.array([[True, True]])
    age = np.array([[6.0, 6.0]])
    coop = np.array([[0.4, 0.45]])
    level = np.full((1, 2), 0.9)
    still, new_level, refused = rules.judge_requests(active, age, np.array(6.0), coop, level, np.full((1, 2), 0.4))
    assert refused.tolist() == [[True, False]]
    assert still.tolist() == [[False, True]]
    assert new_level[0, 1] == pytest.approx(0.45)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("req") / "two_requests.yaml"
    path.write_text(TWO_REQUESTS, encoding="utf-8")
    return load_scenario(path)


def test_a_second_request_without_new_take_up_is_refused(scenario) -> None:
    m = AllianceModel(scenario, replication_ids=REPLICATIONS, months=MONTHS, collect=False)
    status_quo = m.hegemon.accepted[ENERGY].copy()
    refused_above_status_quo = 0
    for _ in range(MONTHS):
        coop_before = m.balancer.coop[ENERGY].copy()
        m.step()
        pa = m.partner
        refused = pa.refusals > 0
        # a refusal while cooperation stood above the month-0 status quo: the old rule banked these
        refused_above_status_quo += int(np.sum(refused & (coop_before > status_quo + 1e-6)))
        open_ = pa.request_active[ENERGY]
        assert np.all(pa.request_base[ENERGY][open_] >= status_quo[open_] - 1e-12)
    assert refused_above_status_quo > 0


def test_peer_equals_ensemble_with_a_second_request(scenario) -> None:
    ens = AllianceModel(scenario, replication_ids=REPLICATIONS[:4], months=MONTHS, collect=False)
    peers = [ScalarModel(scenario, replication=r, months=MONTHS) for r in REPLICATIONS[:4]]
    for t in range(MONTHS + 1):
        for j, peer in enumerate(peers):
            np.testing.assert_allclose(peer_state(peer), ensemble_state(ens, j), rtol=0, atol=1e-9,
                                       err_msg=f"replication {j}, month {t}")
            assert peer.partner.base[ENERGY] == pytest.approx(ens.partner.request_base[ENERGY, j], abs=1e-12)
        ens.step()
        for peer in peers:
            peer.step()
