"""The scalar peer (``model/peer.py``) is a test oracle: replication by replication, month by month,
its state equals the vectorised ensemble's on every shipped scenario and episode (to 1e-9)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from alliance.model import AllianceModel, load_scenario
from alliance.model.outcomes import TRAJECTORY_OUTCOMES
from alliance.model.peer import ScalarModel

ROOT = Path(__file__).resolve().parents[2] / "scenarios"
FILES = sorted(ROOT.glob("*.yaml")) + sorted((ROOT / "episodes").glob("*.yaml"))
REPLICATIONS = [0, 5, 17]
MONTHS = 48  # long enough for every shipped event (the latest is due before month 48)


def ensemble_state(m: AllianceModel, j: int) -> np.ndarray:
    b, h, pa = m.balancer, m.hegemon, m.partner
    return np.array([*b.coop[:, j], b.belief[j], b.welfare[j], b.cumulative_loss[j], b.align[j], h.threat[j],
                     h.rung[j], h.remaining[j], h.inducement_on[j], h.inducement_left[j], h.crossed[j],
                     pa.interest[j], *pa.offers[:, j], *b.floor[:, j]], dtype=np.float64)


def peer_state(m: ScalarModel) -> np.ndarray:
    b, h, pa = m.balancer, m.hegemon, m.partner
    return np.array([*b.coop, b.belief, b.welfare, b.cumulative_loss, b.align, h.threat, h.rung, h.remaining,
                     h.inducement_on, h.inducement_left, h.crossed, pa.interest, *pa.offers, *b.floor],
                    dtype=np.float64)


def test_every_shipped_file_is_checked() -> None:
    assert len(FILES) >= 25
    assert {f.stem for f in FILES} >= {"baseline", "nato_base_request", "k1_kazakhstan_2006"}


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_peer_equals_ensemble(path: Path) -> None:
    sc = load_scenario(path)
    months = min(sc.horizon_months, MONTHS)
    ens = AllianceModel(sc, replication_ids=REPLICATIONS, months=months, collect=False)
    peers = [ScalarModel(sc, replication=r, months=months) for r in REPLICATIONS]
    for t in range(months + 1):
        for j, peer in enumerate(peers):
            np.testing.assert_allclose(peer_state(peer), ensemble_state(ens, j), rtol=0, atol=1e-9,
                                       err_msg=f"{path.stem}: replication {REPLICATIONS[j]}, month {t}")
        ens.step()
        for peer in peers:
            peer.step()
    record = ens.record
    for j, peer in enumerate(peers):
        frame = peer.datacollector.get_model_vars_dataframe()
        assert list(frame.columns) == list(TRAJECTORY_OUTCOMES)
        np.testing.assert_allclose(frame.to_numpy(dtype=np.float64).astype(np.float32).T, record[:, :, j],
                                   rtol=0, atol=1e-6)


def test_oracle_sees_a_difference() -> None:
    """The comparison can fail: another replication's trajectory differs."""
    sc = load_scenario("nato_base_request")
    ens = AllianceModel(sc, replication_ids=[0], months=24, collect=False).run()
    peer = ScalarModel(sc, replication=1, months=24)
    peer.run_model()
    assert not np.allclose(peer_state(peer), ensemble_state(ens, 0), atol=1e-9)
