"""Posterior files: weighted parameter samples from ``alliance calibrate``, and per-run draws.

A posterior file is JSON::

    {"format": "alliance-posterior/2", "parameters": [dotted names], "samples": [[...], ...],
     "weights": [...], "episode_hash": "sha256…", "episodes": [...], "seed": 0,
     "versions": {...}, "settings": {...}, "generations": [...],
     "discrepancy": {"delta": {"response": δ, "outcome": δ},
                     "base_rates": {"response": [4 shares], "outcome": [3 shares]},
                     "episodes": n, "method": {...}}}

Format ``/2`` adds the **structural discrepancy** (``model.discrepancy``): the weight δ per kind
with which every category forecast made from the posterior is pooled with the calibration set's
base rates. Files of format ``/1`` (written before it) still load; they have no discrepancy
(``Posterior.discrepancy`` is None), and what prints their forecasts says so.

``Posterior.draw(seed, replication_ids)`` gives each run the parameter vector of one sample,
chosen with probability equal to its weight by a counter-based uniform of (seed, replication)
(``alliance.model.rng``), so a run with a posterior is a function of (scenario, posterior, seed,
replication) and replays bit for bit, however the ensemble is chunked. A posterior replaces
parameter *defaults*: values a scenario states itself (its actor blocks) are kept
(``stated_names``), so an episode's own facts are never overwritten.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import rng
from .discrepancy import Discrepancy, discrepancy_from_json
from .parameters import PARAMS
from .scenario import Scenario
from .yamlio import MAX_LISTED, InputError, listed, read_json

FORMAT = "alliance-posterior/2"
"""The format written when the posterior carries its structural discrepancy (as calibrate's do)."""
FORMAT_1 = "alliance-posterior/1"
"""The format before the discrepancy: still read (and written for a posterior without one)."""
_MONTH, _STREAM = 0x7FFFFFFF, 0xA5
"""The counter of the posterior draw: a 'month' no simulation reaches, its own stream."""


def episode_hash(files: Iterable[Path]) -> str:
    """sha256 over the episode files' names and bytes, in sorted name order."""
    h = hashlib.sha256()
    for f in sorted(files, key=lambda p: p.name):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def episode_digests(files: Iterable[Path]) -> dict[str, str]:
    """Per episode file, by file name: the sha256 of its bytes (a posterior's ``episode_hashes``)."""
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(files, key=lambda p: p.name)}


def fitted_split(post: Posterior, where: Path, files: Sequence[Path]) -> tuple[list[str], list[str]]:
    """File names of ``files`` the posterior was fitted to (in sample) and the others (out of sample).

    A posterior predicts any episode; what it must not do is pass off a changed episode as one it
    was fitted to. An episode whose file name is among the posterior's ``episode_hashes`` must
    have the same bytes, else InputError (field ``episode_hashes``). A posterior written before
    per-episode hashes (only the set's ``episode_hash``) can be checked only as a whole: the
    set must be the one it was fitted to, or InputError (field ``episode_hash``).
    """
    names = [f.name for f in files]
    digest = episode_hash(files)
    if post.episode_hash == digest:
        return names, []
    recorded = post.meta.get("episode_hashes")
    if not isinstance(recorded, dict):
        raise InputError(where, "fitted to a different episode set (episode_hash "
                                f"{post.episode_hash[:12]}… ≠ {digest[:12]}…), and it has no "
                                "per-episode hashes to tell which episodes it saw; refit it with "
                                "`alliance calibrate` to predict other episodes", field="episode_hash")
    now = episode_digests(files)
    changed = [n for n in names if n in recorded and recorded[n] != now[n]]
    if changed:
        raise InputError(where, listed([f"fitted to another version of {n} (its bytes changed since)"
                                        for n in changed[:MAX_LISTED]], len(changed), "changed episode"),
                         field="episode_hashes")
    return [n for n in names if n in recorded], [n for n in names if n not in recorded]


def stated_names(sc: Scenario) -> set[str]:
    """Dotted names of the parameters a scenario states in its actor blocks."""
    out: set[str] = set()
    for actor in ("balancer", "partner", "hegemon"):
        block = getattr(sc.actors, actor).model_dump(exclude_none=True)
        block.pop("name", None)
        for key, val in block.items():
            if isinstance(val, dict):
                out.update(f"{actor}.{key}.{sub}" for sub in val)
            else:
                out.add(f"{actor}.{key}")
    return out


@dataclass
class Posterior:
    """Weighted samples over named parameters, with where they came from."""

    names: list[str]
    samples: np.ndarray
    weights: np.ndarray
    episode_hash: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    discrepancy: Discrepancy | None = None

    def __post_init__(self) -> None:
        self.samples = np.asarray(self.samples, dtype=float).reshape(len(self.weights), len(self.names))
        w = np.asarray(self.weights, dtype=float)
        self.weights = w / w.sum()

    def indices(self, seed: int, replication_ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """The sample each replication runs with (deterministic in seed and replication)."""
        u = rng.uniform(rng.key(seed, np.asarray(replication_ids)), _MONTH, _STREAM)
        cdf = np.cumsum(self.weights)
        return np.minimum(np.searchsorted(cdf, u * cdf[-1], side="right"), len(cdf) - 1)

    def draw(self, seed: int, replication_ids: Sequence[int] | np.ndarray,
             skip: Iterable[str] = ()) -> dict[str, np.ndarray]:
        """Per-run values of every parameter but ``skip`` (integers rounded)."""
        idx = self.indices(seed, replication_ids)
        skipped = set(skip)
        out = {}
        for j, name in enumerate(self.names):
            if name in skipped:
                continue
            col = self.samples[idx, j]
            out[name] = np.rint(col) if PARAMS[name].integer else col
        return out

    def for_scenario(self, sc: Scenario, seed: int,
                     replication_ids: Sequence[int] | np.ndarray) -> dict[str, np.ndarray]:
        """``draw`` for a scenario: the parameters it states itself are left alone."""
        return self.draw(seed, replication_ids, stated_names(sc))

    def mean(self) -> dict[str, float]:
        """Weighted posterior mean of each parameter."""
        return {n: float(self.weights @ self.samples[:, j]) for j, n in enumerate(self.names)}

    def quantiles(self, qs: Sequence[float] = (0.05, 0.5, 0.95)) -> dict[str, tuple[float, ...]]:
        """Weighted quantiles of each parameter (the smallest sample whose cumulative weight
        reaches q): median and 90% interval by default."""
        out = {}
        for j, name in enumerate(self.names):
            order = np.argsort(self.samples[:, j], kind="stable")
            cdf = np.cumsum(self.weights[order])
            at = np.minimum(np.searchsorted(cdf, np.asarray(qs) * cdf[-1]), len(cdf) - 1)
            out[name] = tuple(float(v) for v in self.samples[order[at], j])
        return out

    def to_json(self) -> dict[str, Any]:
        """The file's JSON object."""
        out = {"format": FORMAT if self.discrepancy is not None else FORMAT_1,
               "parameters": self.names, "samples": self.samples.tolist(),
               "weights": self.weights.tolist(), "episode_hash": self.episode_hash, **self.meta}
        if self.discrepancy is not None:
            out["discrepancy"] = self.discrepancy.to_json()
        return out


@dataclass
class PlausiblePrior:
    """The analyst's prior as a parameter source: every parameter in ``box`` uniform on its range.

    Like ``Posterior.draw``, each replication draws its own values by counter-based uniforms of
    (seed, replication), one stream per parameter, so a run is reproducible bit for bit and a
    replication replays alone; values a scenario states itself are kept. ``alliance validate
    --prior`` uses it with every A- and R-class parameter on its plausible range
    (``evidence.plausible_ranges``): the model's prediction before it has seen any episode.
    """

    box: dict[str, tuple[float, float]]

    def draw(self, seed: int, replication_ids: Sequence[int] | np.ndarray,
             skip: Iterable[str] = ()) -> dict[str, np.ndarray]:
        """Per-run values of every parameter but ``skip`` (integers uniform on lo…hi)."""
        keys = rng.key(seed, np.asarray(replication_ids))
        skipped = set(skip)
        out = {}
        for j, (name, (lo, hi)) in enumerate(self.box.items()):
            if name in skipped:
                continue
            u = rng.uniform(keys, _MONTH - 1 - j // 256, j % 256)
            out[name] = (np.minimum(np.floor(lo + u * (hi - lo + 1.0)), hi) if PARAMS[name].integer
                         else lo + u * (hi - lo))
        return out

    def for_scenario(self, sc: Scenario, seed: int,
                     replication_ids: Sequence[int] | np.ndarray) -> dict[str, np.ndarray]:
        """``draw`` for a scenario: the parameters it states itself are left alone."""
        return self.draw(seed, replication_ids, stated_names(sc))


def save_posterior(post: Posterior, path: Path) -> None:
    """Write a posterior file atomically (a temporary file renamed into place)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(post.to_json(), indent=1), encoding="utf-8")
    tmp.replace(path)


class _Problems:
    """The problems found in one posterior file, raised together as one InputError."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.found: list[tuple[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.found.append((field, message))

    def need(self, data: dict[str, Any], key: str, kind: type) -> Any:
        if key not in data:
            self.add(key, f"missing field {key!r}")
        elif not isinstance(data[key], kind):
            self.add(key, f"{key!r} must be a {kind.__name__}")
        else:
            return data[key]
        return None

    def raise_if_any(self) -> None:
        if not self.found:
            return
        field = self.found[0][0]
        parts = [m if f == field else f"field '{f}': {m}" for f, m in self.found[:MAX_LISTED]]
        raise InputError(self.path, listed(parts, len(self.found), "problem"), field=field)


def _finite_number(v: Any) -> bool:
    """A JSON number (not true/false) that is finite."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _shown(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:40] + "…"


def _check_samples(names: list[Any], samples: list[Any], problems: _Problems) -> None:
    for i, row in enumerate(samples):
        if not isinstance(row, list) or len(row) != len(names):
            problems.add("samples", f"sample {i} must list {len(names)} values")
            continue
        for name, v in zip((str(n) for n in names), row, strict=True):
            if not _finite_number(v):
                problems.add("samples", f"sample {i}: {name} is not a finite number ({_shown(v)})")
                continue
            lo, hi = (PARAMS[name].low, PARAMS[name].high) if name in PARAMS else (-math.inf, math.inf)
            if not lo - 1e-9 <= v <= hi + 1e-9:
                problems.add("samples", f"sample {i}: {name} = {v} is outside its domain [{lo}, {hi}]")
        if len(problems.found) > MAX_LISTED:
            return  # enough to act on; a broken file of 10,000 rows is not listed row by row


def posterior_from_json(data: Any, where: Path) -> Posterior:
    """A posterior from its JSON object (as in a file or a study manifest), checked.

    Every problem found is named in one InputError (up to ``MAX_LISTED``, the rest counted).
    """
    if not isinstance(data, dict):
        raise InputError(where, "not a JSON object", field="posterior")
    if data.get("format") not in (FORMAT, FORMAT_1):
        raise InputError(where, f"format must be {FORMAT!r} (or the older {FORMAT_1!r})", field="format")
    problems = _Problems(where)
    names = problems.need(data, "parameters", list)
    samples = problems.need(data, "samples", list)
    weights = problems.need(data, "weights", list)
    digest = problems.need(data, "episode_hash", str)
    if names == []:
        problems.add("parameters", "no parameters listed")
    for name in names or []:
        if not isinstance(name, str) or name not in PARAMS:
            problems.add("parameters", f"unknown parameter {_shown(name)}")
    if names is not None and len({repr(n) for n in names}) != len(names):
        problems.add("parameters", "a parameter is listed twice")
    if samples is not None and weights is not None and (not samples or len(samples) != len(weights)):
        problems.add("weights", f"{len(samples)} samples but {len(weights)} weights")
    if names is not None and samples is not None:
        _check_samples(names, samples, problems)
    for i, w in enumerate(weights or []):
        if not _finite_number(w) or w < 0:
            problems.add("weights", f"weight {i} must be a finite number ≥ 0 ({_shown(w)})")
    if weights and all(_finite_number(w) for w in weights):
        total = float(sum(weights))
        if total <= 0:
            problems.add("weights", "the weights sum to 0")
        elif not math.isfinite(total):
            problems.add("weights", "the weights sum to more than the largest number (1.8e308); scale them down")
    hashes = data.get("episode_hashes")
    if hashes is not None and not (isinstance(hashes, dict) and all(
            isinstance(k, str) and isinstance(v, str) and len(v) == 64 for k, v in hashes.items())):
        problems.add("episode_hashes", "'episode_hashes' must map each episode file name to its "
                                       "sha256 (64 hex digits)")
    disc = None
    if data["format"] == FORMAT:
        if "discrepancy" not in data:
            problems.add("discrepancy", f"missing field 'discrepancy' (required by {FORMAT!r})")
        else:
            disc = discrepancy_from_json(data["discrepancy"], problems.add)
    problems.raise_if_any()
    meta = {k: v for k, v in data.items()
            if k not in ("format", "parameters", "samples", "weights", "episode_hash", "discrepancy")}
    return Posterior(list(names), np.array(samples, dtype=float), np.array(weights, dtype=float),
                     digest, meta, disc)


def load_posterior(path: str | Path) -> Posterior:
    """Read and check a posterior file; InputError naming the file and field when it is bad.
    Which episodes it may score is ``fitted_split``'s question, asked where episodes are scored."""
    path = Path(path)
    return posterior_from_json(read_json(path, "posterior file", "posterior"), path)
