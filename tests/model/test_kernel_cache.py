"""The install-time kernel cache (``kernel_cache.build_cache``, run by ``hatch_build.py``): a process with
an empty numba cache directory loads the compiled kernel from it instead of compiling."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from alliance.model import AllianceModel, kernel, kernel_cache

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not kernel.AVAILABLE, reason="numba unavailable or ALLIANCE_NO_JIT set")

PROBE = """
import json, sys
from alliance.model import AllianceModel, kernel, kernel_cache
m = AllianceModel("baseline", replications=5, months=3).run()
stats = kernel.month.stats
print(json.dumps({"seeded": bool(kernel.SEEDED), "hits": sum(stats.cache_hits.values()),
                  "misses": sum(stats.cache_misses.values())}))
"""


def build_cache(out: Path) -> list[Path]:
    return kernel_cache.build_cache(kernel.month, AllianceModel("baseline", replications=2, months=2).run, out)


def probe(shipped: Path, numba_cache: Path) -> dict[str, object]:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(numba_cache), "ALLIANCE_KERNEL_CACHE": str(shipped),
           "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_empty_numba_cache_loads_the_install_time_cache(tmp_path: Path) -> None:
    AllianceModel("baseline", replications=2, months=2).run()  # compiled or loaded in this process
    shipped = tmp_path / "shipped"
    files = build_cache(shipped)
    assert {f.suffix for f in files} == {".nbi", ".nbc"}
    result = probe(shipped, tmp_path / "numba")
    assert result == {"seeded": True, "hits": 1, "misses": 0}
    again = probe(shipped, tmp_path / "numba")  # numba's own cache now: nothing copied, still no compile
    assert again == {"seeded": False, "hits": 1, "misses": 0}


@pytest.mark.parametrize("damage", ["corrupt", "other_version"])
def test_unusable_cache_is_not_copied_and_the_kernel_compiles(tmp_path: Path, damage: str) -> None:
    shipped = tmp_path / "shipped"
    files = build_cache(shipped)
    index = next(f for f in files if f.suffix == ".nbi")
    if damage == "corrupt":
        index.write_bytes(index.read_bytes()[:40])
    else:  # an index written by another numba
        body = index.read_bytes()
        version = pickle.loads(body)
        index.write_bytes(pickle.dumps(version + ".other", protocol=-1) + body[len(pickle.dumps(version, protocol=-1)):])
    result = probe(shipped, tmp_path / "numba")
    assert result == {"seeded": False, "hits": 0, "misses": 1}
