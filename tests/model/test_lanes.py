"""The lane-blocked kernel (``model/lanes.py``, ``kernel.month``) equals the per-replication kernel
(``kernel.reference``, the scalar rules of ``scalar_rules.py`` compiled) bit for bit: the record
and every state array, on every shipped scenario and episode, with per-replication parameters
(the plausible prior over every A- and R-class parameter: P with R columns, posture arrays), and
whatever the block, the lane or the padding of a partial last block."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from alliance.model import AllianceModel, kernel, lanes, load_scenario
from alliance.model.evidence import plausible_ranges
from alliance.model.outcomes import TRAJECTORY_OUTCOMES
from alliance.model.posterior import PlausiblePrior

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "scenarios" / "episodes").glob("*.yaml"))

pytestmark = pytest.mark.skipif(not kernel.AVAILABLE, reason="numba unavailable or ALLIANCE_NO_JIT set")

R = 2 * lanes.L + 3  # two full blocks and a partial one


def state(m: AllianceModel) -> dict[str, np.ndarray]:
    """Everything the kernel writes, copied."""
    b, h, pa = m.balancer, m.hegemon, m.partner
    out = {"record": m.record, "coop": b.coop, "belief": b.belief, "welfare": b.welfare, "loss": b.loss,
           "cumulative_loss": b.cumulative_loss, "align": b.align, "threat": h.threat, "rung": h.rung,
           "remaining": h.remaining, "inducement_left": h.inducement_left, "inducement_on": h.inducement_on,
           "inducement_new": h.inducement_new, "crossed": h.crossed, "interest": pa.interest, "offers": pa.offers,
           "refusals": pa.refusals, "request_level": pa.request_level, "request_age": pa.request_age,
           "request_active": pa.request_active}
    return {k: np.array(v, copy=True) for k, v in out.items()}


def both(monkeypatch: pytest.MonkeyPatch, sc: object, **kw: object) -> tuple[dict[str, np.ndarray], ...]:
    runs = []
    for month in (kernel.month, kernel.reference):
        with monkeypatch.context() as mp:
            mp.setattr(kernel, "month", month)
            runs.append(state(AllianceModel(sc, collect=False, **kw).run()))  # type: ignore[arg-type]
    return tuple(runs)


def assert_identical(lane: dict[str, np.ndarray], ref: dict[str, np.ndarray], what: str) -> None:
    different = [k for k in ref if not np.array_equal(lane[k], ref[k])]
    assert not different, f"{what}: the lane kernel differs from the reference in {different}"


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_lanes_equal_the_reference_bit_for_bit(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sc = load_scenario(path)
    lane, ref = both(monkeypatch, sc, replications=R)
    assert_identical(lane, ref, path.stem)


def test_lanes_equal_the_reference_with_per_replication_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plausible prior varies every A- and R-class parameter per replication (so the packed
    table has R columns, and the hegemon's posture is an array)."""
    prior = PlausiblePrior(plausible_ranges(("A", "R")))
    seen = {"requests": False, "inducement": False, "sanctions": False, "red line": False}
    for name in ("baseline", "nato_base_request", "riga_expansion", "energy_support_georgia_ukraine"):
        sc = load_scenario(name)
        ids = np.arange(5 * lanes.L + 1)
        params = prior.for_scenario(sc, 7, ids)
        params["hegemon.red_line.energy"] = np.linspace(0.1, 0.9, len(ids))  # some cross a red line
        assert "hegemon.hardening" in params
        lane, ref = both(monkeypatch, sc, replication_ids=ids, params=params)
        assert_identical(lane, ref, name)
        rec, names = ref["record"], list(TRAJECTORY_OUTCOMES)
        seen["requests"] |= bool(ref["request_age"].any())
        seen["inducement"] |= bool(rec[names.index("inducement")].any())
        seen["sanctions"] |= bool(rec[names.index("sanctions")].any())
        seen["red line"] |= bool(rec[names.index("red_line_violation")].any())
    assert all(seen.values()), f"the comparison never exercised {[k for k, v in seen.items() if not v]}"


@pytest.mark.parametrize("n", [1, lanes.L - 1, lanes.L, lanes.L + 1])
def test_a_replication_does_not_depend_on_its_block_or_lane(n: int) -> None:
    """Replications 5 … 5 + n − 1 alone (one partial or full block, other lanes) equal the same
    replications inside a larger run, bit for bit, with events (requests) and per-run parameters."""
    sc = load_scenario("nato_base_request")
    whole_ids = np.arange(40)
    params = {"hegemon.threshold.economic": np.linspace(0.55, 0.9, 40), "hegemon.hardening": np.linspace(-0.2, 0.2, 40)}
    whole = AllianceModel(sc, replication_ids=whole_ids, params=params, collect=False).run()
    part_ids = whole_ids[5:5 + n]
    part = AllianceModel(sc, replication_ids=part_ids, collect=False,
                         params={k: v[5:5 + n] for k, v in params.items()}).run()
    assert np.array_equal(whole.record[:, :, 5:5 + n], part.record)
    assert np.array_equal(whole.balancer.cumulative_loss[5:5 + n], part.balancer.cumulative_loss)


def test_lanes_equal_the_reference_across_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    """More replications than a group of ``G`` blocks holds (two full groups and a partial one)."""
    sc = load_scenario("riga_expansion")
    ids = np.arange(2 * lanes.G * lanes.L + 5)
    params = PlausiblePrior(plausible_ranges(("A", "R"))).for_scenario(sc, 11, ids)
    lane, ref = both(monkeypatch, sc, replication_ids=ids, params=params)
    assert_identical(lane, ref, "riga_expansion")


@pytest.mark.parametrize("n", [2400, 2405])
def test_lanes_equal_the_reference_on_a_streamed_record(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A record of at least ``lanes.STREAM_BYTES`` is written with non-temporal stores (rows on a
    32-byte boundary for 2400 replications; for 2405 each row starts elsewhere in its line, so
    both ends of a run are stored element by element), with events and per-replication parameters."""
    sc = load_scenario("nato_base_request")
    ids = np.arange(n)
    params = PlausiblePrior(plausible_ranges(("A", "R"))).for_scenario(sc, 3, ids)
    assert len(TRAJECTORY_OUTCOMES) * (120 + 1) * n * 4 >= lanes.STREAM_BYTES
    lane, ref = both(monkeypatch, sc, replication_ids=ids, params=params, months=120)
    assert_identical(lane, ref, f"{n} replications")
    base = both(monkeypatch, load_scenario("baseline"), replications=n, months=120)
    assert_identical(*base, f"baseline, {n} replications")
    monkeypatch.setenv("ALLIANCE_THREADS", "2")  # chunks whose ends share a cache line, two threads
    monkeypatch.setattr(kernel, "CHUNKS", 3)
    assert kernel.threads(n, 120) == 2
    threaded = state(AllianceModel(sc, replication_ids=ids, params=params, months=120, collect=False).run())
    assert_identical(threaded, ref, f"{n} replications on two threads")
