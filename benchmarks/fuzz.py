"""Fuzz the scenario loader: 20,000 seeded mutants of the shipped scenarios and episodes (prints counts).

1. Each mutant (structural or byte-level, tests/fuzz/mutants.py) is written to a file and loaded
   in-process; the outcome is counted: loaded, refused (the project's own error, naming the file),
   unnamed (the project's error without the file name) or uncaught (any other exception).
2. A sample of the refused mutants goes through the command line,
   ``alliance run FILE -r 2 --out X.csv``: each must exit 2, print no traceback and write no file.
3. A sample of the loaded mutants is run (8 replications) and every recorded value is checked
   against its declared outcome range (model/outcomes.py).

Target (issue 13): 0 uncaught, 0 unnamed, 0 CLI failures, 0 values outside their declared range.
Each CLI call starts a fresh interpreter (about 5 s of imports on an idle machine, three times that
on a loaded one), so the calls run ``--jobs`` at a time, each writing to its own ``--out`` path.
Usage: python benchmarks/fuzz.py [--n 20000] [--seed 13] [--cli 300] [--runs 300] [--jobs N]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzz.harness import fuzz, outside_ranges  # noqa: E402


def _cli(path: Path, out: Path) -> tuple[str, str]:
    import alliance  # the CLI runs the same package the in-process fuzz loaded

    src = str(Path(alliance.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    try:
        proc = subprocess.run([sys.executable, "-m", "alliance", "run", str(path), "-r", "2", "--out", str(out)],
                              capture_output=True, text=True, env=env, timeout=600, check=False)
    except subprocess.TimeoutExpired:
        return "no answer in 600 s", ""
    written = out.exists() or out.with_name(out.stem + "_summary.csv").exists()
    if "Traceback" in proc.stderr or "Traceback" in proc.stdout:
        return "traceback", proc.stderr[-400:]
    if proc.returncode != 2:
        return f"exit {proc.returncode}", proc.stderr[-400:]
    if written:
        return "file written", ""
    if path.name not in proc.stderr.replace("\n", ""):
        return "message without the file", proc.stderr[-400:]
    return "ok", ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--cli", type=int, default=300, help="refused mutants tried through the CLI")
    ap.add_argument("--runs", type=int, default=300, help="loaded mutants run and range-checked")
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1),
                    help="CLI calls run at once (each is its own process)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        rep = fuzz(args.n, args.seed, folder / "m", keep_loaded=True, keep_refused=args.cli)
        dt = time.perf_counter() - t0
        print(f"{args.n:,} mutants in {dt:.1f} s (seed {args.seed})")
        for outcome in ("loaded", "refused", "unnamed", "uncaught"):
            print(f"  {outcome:9s} {rep.counts[outcome]:7,d}")
        by_class = Counter(kind for kind, _, _ in rep.uncaught)
        for kind, n in by_class.most_common():
            print(f"    uncaught in {kind}: {n}")
        for kind, _, detail in rep.uncaught[:5]:
            print(f"    e.g. {kind}: {detail.splitlines()[0]}")
        for kind, detail in rep.unnamed[:5]:
            print(f"    unnamed e.g. {kind}: {detail[:160]}")

        rng = random.Random(args.seed)
        sample = rng.sample(rep.refused, min(args.cli, len(rep.refused)))
        cli = Counter()
        bad: list[str] = []
        t0 = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            results = pool.map(lambda ip: _cli(ip[1], folder / f"out{ip[0]}.csv"), enumerate(sample))
            for path, (result, detail) in zip(sample, results, strict=True):
                cli[result] += 1
                if result != "ok" and len(bad) < 5:
                    bad.append(f"{path.name}: {result}: {detail}")
        print(f"CLI (alliance run FILE -r 2 --out X.csv) on {len(sample)} refused mutants "
              f"in {time.perf_counter() - t0:.0f} s ({args.jobs} at a time): "
              + ", ".join(f"{k} {v}" for k, v in sorted(cli.items())))
        for line in bad:
            print("   ", line)

        runs = rng.sample(rep.loaded, min(args.runs, len(rep.loaded)))
        violations = Counter()
        worst: dict[str, tuple[float, float]] = {}
        for path in runs:
            for name, lo, hi in outside_ranges(path, replications=8):
                violations[name] += 1
                w = worst.get(name, (lo, hi))
                worst[name] = (min(w[0], lo), max(w[1], hi))
        print(f"ran {len(runs)} loaded mutants (8 replications): "
              f"{sum(violations.values())} with a value outside its declared range")
        for name, n in violations.items():
            print(f"    {name}: {n} runs, values reach [{worst[name][0]:g}, {worst[name][1]:g}]")


if __name__ == "__main__":
    main()
