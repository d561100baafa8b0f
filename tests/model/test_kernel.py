"""The fused kernel (``model/kernel.py``) computes what the numpy path computes, to 1e-12, and
the engine still runs without it (``ALLIANCE_NO_JIT=1`` forces the numpy path)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from alliance.model import AllianceModel, kernel, load_scenario

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "scenarios" / "episodes").glob("*.yaml"))

pytestmark = pytest.mark.skipif(not kernel.AVAILABLE, reason="numba unavailable or ALLIANCE_NO_JIT set")


def final_state(m: AllianceModel) -> dict[str, np.ndarray]:
    b, h, pa = m.balancer, m.hegemon, m.partner
    return {"coop": b.coop, "belief": b.belief, "welfare": b.welfare, "cumulative_loss": b.cumulative_loss,
            "threat": h.threat, "rung": h.rung, "remaining": h.remaining, "inducement": h.inducement_on,
            "interest": pa.interest, "record": m.record.astype(np.float64)}


def run(sc: object, use_kernel: bool, monkeypatch: pytest.MonkeyPatch, **kw: object) -> dict[str, np.ndarray]:
    monkeypatch.setattr(kernel, "AVAILABLE", use_kernel)
    m = AllianceModel(sc, collect=False, **kw).run()  # type: ignore[arg-type]
    return {k: np.array(v, dtype=np.float64) for k, v in final_state(m).items()}


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_kernel_equals_numpy_path(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sc = load_scenario(path)
    fast = run(sc, True, monkeypatch, replications=64)
    slow = run(sc, False, monkeypatch, replications=64)
    for name in fast:
        np.testing.assert_allclose(fast[name], slow[name], rtol=0, atol=1e-12 if name != "record" else 1e-6,
                                   err_msg=name)


def test_kernel_equals_numpy_path_with_per_replication_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    sc = load_scenario("nato_base_request")
    params = {"hegemon.threshold.economic": np.linspace(0.55, 0.9, 40), "balancer.inertia": 0.7}
    fast = run(sc, True, monkeypatch, replications=40, params=params)
    slow = run(sc, False, monkeypatch, replications=40, params=params)
    for name in fast:
        np.testing.assert_allclose(fast[name], slow[name], rtol=0, atol=1e-12 if name != "record" else 1e-6,
                                   err_msg=name)
    assert len(np.unique(fast["rung"])) > 1 or len(np.unique(fast["coop"][0])) > 1


def test_chunks_are_bit_identical_on_the_kernel() -> None:
    sc = load_scenario("nato_base_request")
    whole = AllianceModel(sc, replications=50, collect=False).run().record.copy()
    part = AllianceModel(sc, replication_ids=np.arange(20, 35), collect=False).run().record
    assert np.array_equal(whole[:, :, 20:35], part)


def test_engine_runs_without_the_compiler() -> None:
    """With ALLIANCE_NO_JIT=1 the numpy path runs and gives the kernel's results (to rounding)."""
    code = ("import numpy as np, sys; from alliance.model import AllianceModel, kernel;"
            "assert not kernel.AVAILABLE;"
            "m = AllianceModel('nato_base_request', replications=30, collect=False).run();"
            "np.save(sys.argv[1], m.record)")
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"alliance_nojit_{os.getpid()}.npy"
    env = {**os.environ, "ALLIANCE_NO_JIT": "1", "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-c", code, str(out)], check=True, env=env, timeout=300)
    try:
        slow = np.load(out)
    finally:
        out.unlink(missing_ok=True)
    fast = AllianceModel("nato_base_request", replications=30, collect=False).run().record
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-6)


def test_whole_horizon_call_equals_stepping_bit_for_bit() -> None:
    """run() without events or DataCollector is one kernel call; stepping month by month is the same."""
    sc = load_scenario("baseline")
    assert not sc.events
    fast = AllianceModel(sc, replications=40, collect=False).run()
    slow = AllianceModel(sc, replications=40, collect=False)
    while slow.running:
        slow.step()
    assert np.array_equal(fast.record, slow.record)
    assert np.array_equal(fast.balancer.cumulative_loss, slow.balancer.cumulative_loss)


@pytest.mark.parametrize("n", [2, 3])
def test_threads_do_not_change_results(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Replications split into blocks, one per thread: bit-identical to one thread, with events too."""
    sc = load_scenario("nato_base_request")
    params = {"hegemon.threshold.economic": np.linspace(0.55, 0.9, 50)}
    monkeypatch.setenv("ALLIANCE_THREADS", "1")
    one = AllianceModel(sc, replications=50, params=params, collect=False).run()
    monkeypatch.setenv("ALLIANCE_THREADS", str(n))
    monkeypatch.setattr(kernel, "MIN_PER_THREAD", 1)
    assert kernel.threads(50, 1) == n
    many = AllianceModel(sc, replications=50, params=params, collect=False).run()
    assert not [t for t in threading.enumerate() if t.name.startswith("alliance-kernel")]  # none left to fork
    assert np.array_equal(one.record, many.record)
    assert np.array_equal(one.balancer.cumulative_loss, many.balancer.cumulative_loss)
    base_one = AllianceModel("baseline", replications=37, collect=False)
    monkeypatch.setenv("ALLIANCE_THREADS", "1")
    base_one.run()
    monkeypatch.setenv("ALLIANCE_THREADS", str(n))
    base_many = AllianceModel("baseline", replications=37, collect=False).run()
    assert np.array_equal(base_one.record, base_many.record)
