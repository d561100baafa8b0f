"""Fuzz: 2,000 seeded mutants of the shipped scenarios and episodes meet the project's own error.

Each mutant (tests/fuzz/mutants.py: structural and byte-level, including patterns and non-strings
in ``extends:``, NUL bytes, over-long names, integers beyond 4,300 digits, NaN/inf, odd tagged
values and unsampleable distributions) either loads or raises ``InputError`` naming the file;
anything else fails the test. ``FUZZ_SEED`` picks another seed; benchmarks/fuzz.py runs 20,000.
"""

from __future__ import annotations

import math
import os
import random
from collections import Counter
from pathlib import Path

from alliance.model.scenario_files import load_scenario

from .harness import fuzz
from .mutants import mutant

N = 2_000
SEED = int(os.environ.get("FUZZ_SEED", "13"))


def test_mutants_meet_only_the_projects_error(tmp_path: Path) -> None:
    rep = fuzz(N, SEED, tmp_path, keep_loaded=True)
    assert sum(rep.counts.values()) == N
    detail = "\n\n".join(f"{k} {p}\n{d}" for k, p, d in rep.uncaught[:3])
    assert rep.counts["uncaught"] == 0, f"{rep.counts}\n{detail}"
    assert rep.counts["unnamed"] == 0, rep.unnamed[:5]
    # the fuzz is not vacuous: most mutants are refused, some still load
    assert rep.counts["refused"] > N // 2
    assert rep.counts["loaded"] > 0
    # every number a loaded mutant holds is finite (NaN and inf are refused wherever read)
    for path in rep.loaded:
        sc = load_scenario(path)
        assert all(math.isfinite(v) for v in sc.params().values()), path
        for ev in sc.events:
            when = getattr(ev, "when", None)
            if when is not None:
                assert math.isfinite(when.above if when.above is not None else when.below)
        if sc.expected is not None and sc.expected.lag_months is not None:
            assert all(math.isfinite(x) for x in sc.expected.lag_months)


def test_mutation_classes_are_all_exercised() -> None:
    rng = random.Random(SEED)
    kinds = Counter(mutant(rng)[2] for _ in range(N))
    for kind in ("structural:value", "structural:extends", "structural:number", "structural:uncertain",
                 "structural:when", "huge_int_text", "bytes:flip", "bytes:insert", "bytes:token",
                 "bytes:truncate", "bytes:delete"):
        assert kinds[kind] >= 20, kinds
