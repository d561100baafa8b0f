"""A study's plan: its scenarios, their designs, run ids and chunks; its manifest and static tables.

A run is (scenario s, sample j, replication r); its ``run_id`` is its position in that order over
the whole study, so ids follow from the plan alone. Chunks are consecutive runs of one scenario.
``plan_study`` validates everything and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import yaml

from alliance.errors import UserError
from alliance.model.columns import column_dictionary
from alliance.model.outcomes import OUTCOMES
from alliance.model.posterior import Posterior, posterior_from_json
from alliance.model.scenario import Scenario
from alliance.model.scenario_files import load_scenario, resolve_path
from alliance.study import integrity, store
from alliance.study.fileio import atomic_write
from alliance.study.sampling import MAX_SAMPLES, SAMPLERS, has_design, sample

DEFAULT_CHUNK_RUN_MONTHS = 375_000
"""A chunk holds about this many run-months (10,000 runs of 36 months, ~25 MB of model record):
small enough for the model's arrays to stay in cache and to balance work over workers, large
enough that the per-step cost is paid once for many runs."""

# ------------------------------------------------------------------ the plan
@dataclass
class ScenarioPlan:
    index: int
    scenario: Scenario
    yaml: str
    source: str
    design: pd.DataFrame  # one row per sample; columns = varied parameters (maybe none)
    replications: int
    seed: int
    run_id_start: int

    @property
    def samples(self) -> int:
        return len(self.design)

    @property
    def runs(self) -> int:
        return self.samples * self.replications

    @property
    def sha256(self) -> str:
        return scenario_sha(self.scenario)


@dataclass
class Plan:
    scenarios: list[ScenarioPlan]
    sampler: str
    samples: int | None
    sample_seed: int
    seed: int | None
    chunk_runs: int
    trajectories: bool
    chunks: list[dict[str, Any]] = field(default_factory=list)
    posterior: Posterior | None = None

    @property
    def total_runs(self) -> int:
        return sum(s.runs for s in self.scenarios)

    @property
    def run_months(self) -> int:
        return sum(s.runs * s.scenario.horizon_months for s in self.scenarios)

    @property
    def names(self) -> list[str]:
        return [s.scenario.name for s in self.scenarios]

    @property
    def parameters(self) -> list[str]:
        return list(dict.fromkeys(c for s in self.scenarios for c in s.design.columns))


def scenario_sha(sc: Scenario) -> str:
    """sha256 of the scenario's resolved, validated content (parents of ``extends`` included)."""
    text = json.dumps(sc.model_dump(mode="json", exclude_none=True), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_ref(ref: str | Path | Scenario) -> tuple[Scenario, str, str]:
    if isinstance(ref, Scenario):
        data = ref.model_dump(mode="json", exclude_none=True)
        return ref, yaml.safe_dump(data, sort_keys=False), "<python object>"
    sc = load_scenario(ref)
    path = resolve_path(ref)
    return sc, path.read_text(encoding="utf-8"), str(path)


def _chunks(scen: list[ScenarioPlan], chunk_runs: int) -> list[dict[str, Any]]:
    out = []
    for s in scen:
        for start in range(0, s.runs, chunk_runs):
            stop = min(start + chunk_runs, s.runs)
            out.append({"id": len(out), "scenario": s.index, "start": start, "stop": stop,
                        "run_id_start": s.run_id_start + start, "status": "pending"})
    return out


def plan_study(
    scenarios: Sequence[str | Path | Scenario],
    samples: int | None = None,
    replications: int | None = None,
    sampler: str = "lhs",
    seed: int | None = None,
    chunk_runs: int | None = None,
    trajectories: bool = True,
) -> Plan:
    """Validate a study and draw its designs; writes nothing. Raises InputError/UserError."""
    if sampler not in SAMPLERS:
        raise UserError(f"unknown sampler {sampler!r}; use one of {', '.join(SAMPLERS)}")
    if not scenarios:
        raise UserError("give at least one scenario")
    if replications is not None and not 1 <= int(replications) <= 1_000_000:
        raise UserError(f"--replications must be between 1 and 1,000,000, got {replications}")
    if samples is not None and not 1 <= int(samples) <= MAX_SAMPLES:  # checked even where a scenario has no design
        raise UserError(f"--samples must be between 1 and {MAX_SAMPLES:,}, got {samples}")
    if seed is not None and not 0 <= int(seed) < 2**63:
        raise UserError(f"--seed must be between 0 and 2**63 - 1, got {seed}")
    if chunk_runs is not None and not 1 <= int(chunk_runs) <= 10_000_000:
        raise UserError(f"--chunk-runs must be between 1 and 10,000,000, got {chunk_runs}")
    sample_seed = 0 if seed is None else int(seed)
    plans: list[ScenarioPlan] = []
    start = 0
    for i, ref in enumerate(scenarios):
        sc, text, source = load_ref(ref)
        if sc.name in [p.scenario.name for p in plans]:
            raise UserError(f"scenario {sc.name!r} is given twice")
        if has_design(sc):
            design = sample(sc, samples, sampler, sample_seed)
        else:
            design = pd.DataFrame(index=pd.RangeIndex(1, name="sample"))
        R = int(replications if replications is not None else sc.replications)
        plan = ScenarioPlan(i, sc, text, source, design, R, int(sc.seed if seed is None else seed), start)
        plans.append(plan)
        start += plan.runs
    longest = max(p.scenario.horizon_months for p in plans)
    k = int(chunk_runs) if chunk_runs is not None else max(1000, DEFAULT_CHUNK_RUN_MONTHS // (longest + 1))
    p = Plan(plans, sampler, samples, sample_seed, seed, k, trajectories)
    p.chunks = _chunks(plans, k)
    return p


def dict_col(index: int, n: int, names: tuple[str, ...]) -> pa.DictionaryArray:
    """The ``scenario`` column: int8 codes into the study's scenario names (same in every file)."""
    return pa.DictionaryArray.from_arrays(pa.array(np.full(n, index, dtype=np.int8)), pa.array(list(names)))


# ------------------------------------------------------------------ manifest and static tables
def _versions() -> dict[str, str]:
    import platform
    from importlib import metadata

    out = {"python": platform.python_version(), "platform": platform.platform()}
    for pkg in ("alliance-balancing", "mesa", "numpy", "pandas", "pyarrow", "scipy", "pydantic"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "unknown"
    return out


def _git_commit() -> str | None:
    here = Path(__file__).resolve().parent
    try:
        res = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout.strip() or None if res.returncode == 0 else None


def new_manifest(plan: Plan, name: str) -> dict[str, Any]:
    return {
        "format": integrity.FORMAT, "format_version": integrity.FORMAT_VERSION, "name": name,
        "created": store.now(), "updated": store.now(),
        "scenarios": [
            {"index": s.index, "name": s.scenario.name, "source": s.source, "yaml": s.yaml,
             "resolved": s.scenario.model_dump(mode="json", exclude_none=True), "sha256": s.sha256,
             "samples": s.samples, "replications": s.replications, "seed": s.seed,
             "horizon_months": s.scenario.horizon_months, "runs": s.runs,
             "run_id_start": s.run_id_start, "parameters": list(s.design.columns)}
            for s in plan.scenarios
        ],
        "sampler": plan.sampler, "samples": plan.samples, "sample_seed": plan.sample_seed,
        "seed": plan.seed, "chunk_runs": plan.chunk_runs, "trajectories": plan.trajectories,
        "total_runs": plan.total_runs, "run_months": plan.run_months,
        "parameters": plan.parameters,
        "random_streams": "common random numbers: replication r uses counter-based stream r of "
                          "the scenario's seed in every sample",
        "cross_field_samples": "rejected at sampling time (the study is refused)",
        "dtypes": {"trajectory outcomes": "float32 (discrete: int8)", "summary outcomes": "model's"},
        "columns": column_dictionary([*store.KEYS, "month", *OUTCOMES, *plan.parameters]),
        "versions": _versions(), "git_commit": _git_commit(),
        "chunks": plan.chunks,
        "posterior": None if plan.posterior is None else plan.posterior.to_json(),
    }


def static_tables(plan: Plan) -> tuple[pa.Table, Iterator[pa.Table]]:
    names = tuple(plan.names)
    cols = plan.parameters
    sample_parts = []
    for s in plan.scenarios:
        fixed = s.scenario.params()
        data: dict[str, Any] = {"scenario": dict_col(s.index, s.samples, names),
                                "sample": pa.array(np.arange(s.samples, dtype=np.int32))}
        for c in cols:
            v = s.design[c].to_numpy(np.float64) if c in s.design else np.full(s.samples, float(fixed[c]))
            data[c] = pa.array(v)
        sample_parts.append(pa.Table.from_pydict(data))
    samples = pa.concat_tables(sample_parts)

    def runs() -> Iterator[pa.Table]:
        for s, part in zip(plan.scenarios, sample_parts, strict=False):
            R = s.replications
            step = max(1, 2_000_000 // R) * R
            for a in range(0, s.runs, step):
                idx = np.arange(a, min(a + step, s.runs), dtype=np.int64)
                j = idx // R
                data = {"run_id": pa.array(s.run_id_start + idx),
                        "scenario": dict_col(s.index, len(idx), names),
                        "sample": pa.array(j.astype(np.int32)),
                        "replication": pa.array((idx % R).astype(np.int32))}
                for c in cols:
                    data[c] = pa.array(part.column(c).to_numpy()[j])
                yield pa.Table.from_pydict(data)

    return samples, runs()


def write_runs(path: Path, tables: Iterator[pa.Table]) -> None:
    import pyarrow.parquet as pq

    def _w(tmp: Path) -> None:
        writer = None
        try:
            for t in map(store.annotate, tables):
                if writer is None:
                    writer = pq.ParquetWriter(tmp, t.schema, **store.PARQUET_OPTIONS)
                writer.write_table(t)
        finally:
            if writer is not None:
                writer.close()

    atomic_write(path, _w)


# ------------------------------------------------------------------ resume
def plan_from_manifest(folder: Path, m: dict[str, Any]) -> Plan:
    samples = store.to_pandas(integrity.read_table(folder / "samples.parquet"))
    plans = []
    for s in m["scenarios"]:
        try:
            sc = Scenario.model_validate(s["resolved"])
        except Exception as exc:
            raise UserError(f"{folder / store.MANIFEST}: scenario {s['name']!r} no longer validates "
                            f"with this version: {exc}") from None
        rows = samples[samples["scenario"].astype(str) == s["name"]].sort_values("sample")
        design = rows[list(s["parameters"])].reset_index(drop=True)
        design.index.name = "sample"
        plans.append(ScenarioPlan(s["index"], sc, s["yaml"], s["source"], design, s["replications"],
                                  s["seed"], s["run_id_start"]))
    plan = Plan(plans, m["sampler"], m["samples"], m["sample_seed"], m["seed"], m["chunk_runs"],
                m["trajectories"])
    plan.chunks = m["chunks"]
    if m.get("posterior") is not None:
        plan.posterior = posterior_from_json(m["posterior"], folder / store.MANIFEST)
    return plan


