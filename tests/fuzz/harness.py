"""Load mutants in-process and sort each by outcome: loaded, refused with the project's error, uncaught.

Used by tests/fuzz/test_scenario_fuzz.py (a few thousand) and benchmarks/fuzz.py (20,000).
"""

from __future__ import annotations

import random
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from alliance.errors import UserError
from alliance.model.scenario_files import load_scenario
from alliance.model.yamlio import InputError

from .mutants import mutant


@dataclass
class FuzzReport:
    """Counts by outcome, plus examples of what went wrong."""
    counts: Counter = field(default_factory=Counter)
    uncaught: list[tuple[str, str, str]] = field(default_factory=list)
    unnamed: list[tuple[str, str]] = field(default_factory=list)
    loaded: list[Path] = field(default_factory=list)
    refused: list[Path] = field(default_factory=list)


def load_one(path: Path) -> tuple[str, str]:
    """(outcome, detail) of loading one file: 'loaded', 'refused', 'unnamed' or 'uncaught'."""
    try:
        load_scenario(path)
    except InputError as exc:
        text = exc.format()
        if exc.file is None or (str(path) not in text and path.name not in text):
            return "unnamed", text
        return "refused", text
    except UserError as exc:
        return ("refused" if path.name in str(exc) else "unnamed"), str(exc)
    except Exception as exc:
        return "uncaught", f"{type(exc).__name__}: {exc}"[:300] + "\n" + traceback.format_exc()[-1500:]
    return "loaded", ""


def fuzz(n: int, seed: int, folder: Path, keep_loaded: bool = False, keep_refused: int = 0) -> FuzzReport:
    """Write ``n`` seeded mutants into ``folder`` (one at a time) and load each; keep the loaded
    files (``keep_loaded``) and up to ``keep_refused`` refused ones on disk for later use."""
    rng = random.Random(seed)
    rep = FuzzReport()
    for i in range(n):
        name, data, kind = mutant(rng)
        sub = folder / f"m{i:05d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / name
        path.write_bytes(data)
        outcome, detail = load_one(path)
        rep.counts[outcome] += 1
        if outcome == "uncaught":
            rep.uncaught.append((kind, str(path), detail))
        elif outcome == "unnamed":
            rep.unnamed.append((kind, detail))
        keep = (outcome == "loaded" and keep_loaded) or (
            outcome == "refused" and len(rep.refused) < keep_refused * 20)
        if keep:
            (rep.loaded if outcome == "loaded" else rep.refused).append(path)
        else:
            path.unlink()
            sub.rmdir()
    return rep


def outside_ranges(path: Path, replications: int = 8) -> list[tuple[str, float, float]]:
    """Run a loadable scenario file briefly; (outcome, min, max) of each outcome whose recorded
    values leave its declared range (model/outcomes.py) or are not finite."""
    import numpy as np

    from alliance.model import simulate
    from alliance.model.outcomes import OUTCOMES

    res = simulate(load_scenario(path), replications=replications)
    bad = []
    for frame in (res.trajectories, res.summary):
        for name, o in OUTCOMES.items():
            if name not in frame:
                continue
            v = frame[name].to_numpy(dtype=float)
            v = v[~np.isnan(v)] if name == "first_sanctions_month" else v
            if v.size and (not np.all(np.isfinite(v)) or v.min() < o.low or v.max() > o.high):
                bad.append((name, float(np.nanmin(v)), float(np.nanmax(v))))
    return bad
