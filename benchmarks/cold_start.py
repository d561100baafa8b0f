"""How long `alliance run baseline` takes on a fresh install (prints numbers; issue 14).

A fresh install is simulated by an empty numba cache directory (``NUMBA_CACHE_DIR``):

1. with the install-time kernel cache (``alliance/model/_kernel_cache``, built by ``hatch_build.py``
   when the package is installed): the kernel is copied into numba's cache and loaded;
2. without it (``ALLIANCE_KERNEL_CACHE`` pointed at an empty folder): the kernel is compiled;
3. with numba's cache warm (the second run of case 1), for reference, and the same through
   ``alliance.cli.main`` with the interpreter's normal shutdown (what the console script skips).

Each is a new process running the console script's entry point (``alliance.cli.console``) and timed from
outside: wall and CPU (user + system) seconds. Target: ≤ 5 s wall on a fresh install. The machine
is shared: compare CPU seconds when the load is high.
Usage: python benchmarks/cold_start.py [--scenario baseline] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

from alliance.model import kernel_cache

# exactly what the installed ``alliance`` script runs: its entry point, read from the package metadata
CODE = ("import sys; from importlib.metadata import entry_points; "
        "(ep,) = entry_points(group='console_scripts', name='alliance'); script = ep.load(); "
        "sys.argv = ['alliance', 'run', sys.argv[1]]; script()")
# the same command through ``alliance.cli.main``, which leaves by the interpreter's normal shutdown
# (what the console script skips: ``alliance.cli.console``)
CODE_SHUTDOWN = "import sys; from alliance.cli import main; sys.argv = ['alliance', 'run', sys.argv[1]]; main()"


def timed_run(scenario: str, env: dict[str, str], code: str = CODE) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, scenario], env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    print(f"python {sys.version.split()[0]}, load (uptime): {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")
    shipped = sorted(p.name for p in kernel_cache.SHIPPED.glob(f"*.py{sys.version_info.major}{sys.version_info.minor}*"))
    print(f"install-time cache: {kernel_cache.SHIPPED} ({', '.join(shipped) or 'none for this Python'})")
    cases = {"fresh install, install-time cache": False, "fresh install, no install-time cache (compiles)": True}
    for label, no_shipped in cases.items():
        for _ in range(a.repeat):
            with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as empty:
                env = {**os.environ, "NUMBA_CACHE_DIR": cache}
                if no_shipped:
                    env["ALLIANCE_KERNEL_CACHE"] = empty
                w, c = timed_run(a.scenario, env)
                print(f"alliance run {a.scenario}, {label}: {w:.2f} s wall, {c:.2f} s CPU")
                if not no_shipped:
                    w, c = timed_run(a.scenario, env)
                    print(f"alliance run {a.scenario}, numba cache warm (second run): {w:.2f} s wall, {c:.2f} s CPU")
                    w, c = timed_run(a.scenario, env, CODE_SHUTDOWN)
                    print(f"alliance run {a.scenario}, numba cache warm, normal interpreter shutdown "
                          f"(alliance.cli.main): {w:.2f} s wall, {c:.2f} s CPU")
    print("target: ≤ 5 s wall on a fresh install")


if __name__ == "__main__":
    main()
