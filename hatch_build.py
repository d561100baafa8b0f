"""Build hook: compile the fused kernel while the wheel is built, and ship numba's cache with it.

``pip install`` builds the wheel on the installing machine (from the sdist or the source tree),
so the cache matches that machine's CPU, Python and numba, and the first ``alliance run`` loads
the kernel instead of compiling it (~12 s of CPU). ``alliance.model.kernel`` copies the shipped
files into numba's cache directory when that is empty (docs/batch.md, "The engine"). Where the
kernel cannot be compiled here (no numba in the build environment) the wheel is built without
the cache and the first call compiles, as before.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

CACHE = "src/alliance/model/_kernel_cache"


class KernelCacheHook(BuildHookInterface):
    """Fill ``src/alliance/model/_kernel_cache`` and include it in the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or os.environ.get("ALLIANCE_NO_JIT", "").strip() not in ("", "0"):
            return
        root = Path(self.root)
        code = ("from alliance.model import AllianceModel, kernel, kernel_cache\n"
                "if not kernel.AVAILABLE: raise SystemExit('numba unavailable')\n"
                "kernel_cache.build_cache(kernel.month, AllianceModel('baseline', replications=2, months=2).run, "
                f"{str(root / CACHE)!r})")
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "NUMBA_CACHE_DIR": tmp,
                   "PYTHONPATH": os.pathsep.join(filter(None, (str(root / "src"), os.environ.get("PYTHONPATH"))))}
            try:
                done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                      timeout=900, check=False)
            except (OSError, subprocess.SubprocessError) as exc:
                self.app.display_warning(f"kernel cache not built ({exc}); the first run will compile it")
                return
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
            self.app.display_warning(f"kernel cache not built ({last}); the first run will compile it")
            return
        build_data["artifacts"].append(f"/{CACHE}/*")
        self.app.display_info("kernel cache built: the first run loads the compiled kernel")
