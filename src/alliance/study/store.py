"""The results store of a study: a Parquet dataset plus a JSON manifest, readable without this tool.

Layout of ``results/NAME/``::

    plan.json                  the manifest as planned, written once (rebuilds a damaged manifest)
    manifest.json              the study: scenarios (YAML text, resolved form, sha256), sampler,
                               seeds, versions, git commit, and every chunk's status
    samples.parquet            scenario, sample + one column per varied parameter
    runs.parquet               run_id, scenario, sample, replication + the varied parameters
    summary/part-NNNNNN.parquet       one row per run: run_id, scenario, sample, replication and
                                      every summary outcome
    trajectories/part-NNNNNN.parquet  one row per run-month: run_id, scenario, sample,
                                      replication, month and every trajectory outcome

All tables join on ``run_id``. Trajectory outcomes are stored as float32 (discrete ones as int8);
summary outcomes keep the model's dtypes. Every file is written under a temporary name starting
with ``.`` (which pyarrow's dataset readers skip) and renamed when complete; the manifest is
replaced the same way after each chunk, so a reader never sees a half-written file. Parquet page
checksums are written and verified, so a damaged chunk is reported by name.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from alliance.model.columns import column_dictionary, nullable_integers
from alliance.model.outcomes import SUMMARY_OUTCOMES, TRAJECTORY_OUTCOMES
from alliance.model.yamlio import InputError, read_json
from alliance.study.fileio import atomic_write
from alliance.study.integrity import check_manifest, static_problems
from alliance.study.integrity import read_table as _read

MANIFEST = "manifest.json"
KEYS = ("run_id", "scenario", "sample", "replication")
PARQUET_OPTIONS: dict[str, Any] = {"compression": "zstd", "compression_level": 1,
                                   "write_page_checksum": True,
                                   # min/max statistics where filters use them (keys), not on outcomes
                                   "write_statistics": ["run_id", "scenario", "sample", "replication",
                                                        "month"]}
_DICTIONARY = ("scenario", "month", *[n for n, o in TRAJECTORY_OUTCOMES.items() if o.discrete])
"""Columns worth dictionary encoding; continuous floats are not (it costs time and gains nothing)."""




def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def chunk_name(chunk_id: int) -> str:
    return f"part-{chunk_id:06d}.parquet"


def write_bytes(path: Path, data: bytes | memoryview) -> int:
    """Write ``data`` atomically (temp file, fsync, rename); returns its size."""

    def _w(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())

    atomic_write(path, _w)
    return len(data)


COLUMNS_KEY = b"alliance.columns"
"""Schema metadata key holding the JSON column dictionary (label, unit, range, codes, description)."""


def annotate(table: pa.Table) -> pa.Table:
    """``table`` with its column dictionary in the schema metadata (``alliance.columns``, JSON) and
    each field's label, unit, description and codes in the field metadata, for any Parquet reader."""
    info = column_dictionary(table.column_names)
    fields = []
    for f in table.schema:
        i = info.get(f.name)
        meta = {} if i is None else {k: (v if isinstance(v, str) else json.dumps(v)).encode()
                                     for k, v in i.items() if k in ("label", "unit", "description", "codes", "range")}
        fields.append(f.with_metadata(meta or None))
    meta = {**(table.schema.metadata or {}), COLUMNS_KEY: json.dumps(info, sort_keys=True).encode()}
    # pandas metadata, so plain pandas (pd.read_parquet) reads nullable integer columns as Int16
    empty = table.slice(0, 0).to_pandas()
    for name, dtype in nullable_integers().items():
        if name in empty.columns:
            empty[name] = empty[name].astype(dtype)
    meta.update(pa.Schema.from_pandas(empty, preserve_index=False).metadata or {})
    return table.cast(pa.schema(fields, metadata=meta))


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """A stored table as pandas, with integer columns that may be missing as nullable integers
    (``first_sanctions_month`` is ``Int16``, not float)."""
    df = table.to_pandas()
    for name, dtype in nullable_integers().items():
        if name in df.columns and str(df[name].dtype) != dtype:
            df[name] = df[name].astype(dtype)
    return df


def encode(table: pa.Table) -> pa.Buffer:
    """A table as Parquet bytes (same options for every chunk, so output is reproducible)."""
    table = annotate(table)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, use_dictionary=[c for c in table.column_names if c in _DICTIONARY],
                   **PARQUET_OPTIONS)
    return sink.getvalue()


def write_table(path: Path, table: pa.Table) -> int:
    """Write one table atomically as Parquet; returns the file's size in bytes."""
    buf = encode(table)
    return write_bytes(path, memoryview(buf))


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    manifest["updated"] = now()
    text = json.dumps(manifest, indent=1, sort_keys=False)
    atomic_write(folder / MANIFEST, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a study folder; InputError naming the folder when it is not a study."""
    folder = Path(folder)
    path = folder / MANIFEST
    if not folder.is_dir():
        raise InputError(folder, "no such study folder", field="results")
    if not path.is_file():
        raise InputError(folder, f"not a study folder (no {MANIFEST}; `alliance batch` makes one)",
                         field="results")
    try:
        data = read_json(path, "study manifest")
        check_manifest(data, path)
    except InputError as exc:
        if (folder / "plan.json").is_file():  # recovery.PLAN
            exc.message += f"; `alliance batch --resume {folder}` rebuilds it from plan.json and the chunks"
            raise InputError(exc.file, exc.message, exc.line, exc.field) from None
        raise
    return data


def is_study(folder: Path) -> bool:
    try:
        read_manifest(folder)
    except InputError:
        return False
    return True


@dataclass
class Study:
    """A stored study. Tables are read lazily from Parquet and returned as pandas DataFrames.

    Attributes:
        path: the study folder.
        manifest: the parsed ``manifest.json``.
        problems: chunk files skipped as corrupted (only with ``skip_corrupt=True``).
    """

    path: Path
    manifest: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    skip_corrupt: bool = False
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    # -------------------------------------------------------------- descriptive
    @property
    def name(self) -> str:
        return str(self.manifest.get("name", self.path.name))

    @property
    def scenarios(self) -> list[str]:
        return [s["name"] for s in self.manifest["scenarios"]]

    @property
    def done_chunks(self) -> list[dict[str, Any]]:
        return [c for c in self.manifest["chunks"] if c["status"] == "done"]

    @property
    def complete(self) -> bool:
        return all(c["status"] == "done" for c in self.manifest["chunks"])

    @property
    def runs_done(self) -> int:
        return sum(c["stop"] - c["start"] for c in self.done_chunks)

    @property
    def runs_total(self) -> int:
        return int(self.manifest["total_runs"])

    def _files(self, kind: str) -> list[Path]:
        out = []
        for c in self.done_chunks:
            if kind in c:
                out.append(self.path / kind / c[kind]["file"])
        return out

    def check(self, read: bool = True) -> list[tuple[int | None, str]]:
        """Check every done chunk file: present, size as recorded and (``read``) readable with valid
        page checksums; also samples.parquet and runs.parquet (size, footer, rows; chunk id None).
        Returns (chunk id, problem) pairs; empty when the study is sound."""
        problems: list[tuple[int | None, str]] = [
            (None, msg) for msg in static_problems(self.path, self.manifest, read=read).values()]
        for c in self.done_chunks:
            for kind in ("summary", "trajectories"):
                if kind not in c:
                    continue
                f = self.path / kind / c[kind]["file"]
                try:
                    size = f.stat().st_size
                except OSError:
                    problems.append((c["id"], f"{f}: chunk file missing"))
                    continue
                if size != c[kind]["bytes"]:
                    problems.append((c["id"], f"{f}: corrupted chunk file ({size} bytes, the manifest "
                                              f"says {c[kind]['bytes']})"))
                    continue
                if read:
                    try:
                        _read(f)
                    except InputError as exc:
                        problems.append((c["id"], exc.format()))
        return problems

    def _concat(self, kind: str, columns: list[str] | None = None, filters: Any = None,
                run_ids: list[int] | None = None) -> pd.DataFrame:
        tables = []
        files = self._files(kind)
        if run_ids is not None:  # only chunks whose run-id range holds a wanted run
            import bisect

            keep = []
            for c, f in zip([c for c in self.done_chunks if kind in c], files, strict=True):
                lo = c["run_id_start"]
                hi = lo + c["stop"] - c["start"]
                i = bisect.bisect_left(run_ids, lo)
                if i < len(run_ids) and run_ids[i] < hi:
                    keep.append(f)
            files = keep
        for f in files:
            try:
                tables.append(_read(f, columns, filters))
            except InputError as exc:
                if not self.skip_corrupt:
                    raise
                if exc.format() not in self.problems:
                    self.problems.append(exc.format())
        if not tables:
            schema_cols = columns or list(KEYS)
            return pd.DataFrame({c: [] for c in schema_cols})
        table = pa.concat_tables(tables, promote_options="permissive")
        return to_pandas(table)

    # -------------------------------------------------------------- tables
    @property
    def samples(self) -> pd.DataFrame:
        """One row per (scenario, sample) with the varied parameters' values."""
        if "samples" not in self._cache:
            self._cache["samples"] = to_pandas(_read(self.path / "samples.parquet"))
        return self._cache["samples"]

    @property
    def runs(self) -> pd.DataFrame:
        """run_id, scenario, sample, replication and one column per varied parameter (all runs)."""
        if "runs" not in self._cache:
            self._cache["runs"] = to_pandas(_read(self.path / "runs.parquet"))
        return self._cache["runs"]

    @property
    def summary(self) -> pd.DataFrame:
        """run_id, scenario, sample, replication + every summary outcome, for the finished runs."""
        if "summary" not in self._cache:
            self._cache["summary"] = self._concat("summary")
        return self._cache["summary"]

    def trajectories(self, columns: Iterable[str] | None = None,
                     scenarios: Iterable[str] | None = None,
                     run_ids: Iterable[int] | None = None) -> pd.DataFrame:
        """run_id, scenario, sample, replication, month + trajectory outcomes.

        Args:
            columns: trajectory outcomes to read (default: all).
            scenarios: only these scenarios (default: all).
            run_ids: only these runs (default: all); chunks that cannot hold them are skipped.
        """
        if not self.manifest.get("trajectories", True):
            raise InputError(self.path, "this study was run without trajectories (--no-trajectories)")
        cols = None
        if columns is not None:
            wanted = list(columns)
            unknown = [c for c in wanted if c not in TRAJECTORY_OUTCOMES]
            if unknown:
                raise InputError(self.path, f"unknown trajectory outcome(s) {unknown}; known: "
                                 f"{', '.join(TRAJECTORY_OUTCOMES)}", field="columns")
            cols = [*KEYS, "month", *wanted]
        filters = None
        if scenarios is not None:
            names = list(scenarios)
            unknown = [s for s in names if s not in self.scenarios]
            if unknown:
                raise InputError(self.path, f"no scenario {unknown} in this study; it has "
                                 f"{', '.join(self.scenarios)}", field="scenarios")
            filters = [("scenario", "in", names)]
        if run_ids is not None:
            ids = sorted({int(i) for i in run_ids})
            filters = (filters or []) + [("run_id", "in", ids)]
            return self._concat("trajectories", cols, filters, run_ids=ids)
        return self._concat("trajectories", cols, filters)


def load_results(path: str | Path, skip_corrupt: bool = False) -> Study:
    """Open a stored study.

    Args:
        path: the study folder (``results/NAME``) or a name under ``results/``.
        skip_corrupt: skip damaged chunk files (listed in ``study.problems``) instead of raising.

    Raises ``InputError`` naming the folder when it is not a study, or naming the chunk file when
    one is damaged (unless ``skip_corrupt``).
    """
    p = Path(path)
    if not p.exists() and not p.is_absolute() and (Path("results") / p).exists():
        p = Path("results") / p
    manifest = read_manifest(p)
    study = Study(path=p, manifest=manifest, skip_corrupt=skip_corrupt)
    for name, rec in manifest.get("files", {}).items():  # samples.parquet, runs.parquet
        f = p / name
        size = f.stat().st_size if f.is_file() else -1
        if isinstance(rec, dict) and size != rec.get("bytes"):
            msg = f"{f}: " + ("missing" if size < 0 else f"{size} bytes, the manifest says "
                              f"{rec.get('bytes')} (truncated or damaged)")
            if not skip_corrupt:
                raise InputError(f, msg.split(": ", 1)[1])
            study.problems.append(msg)
    for c in study.done_chunks:
        for kind in ("summary", "trajectories"):
            if kind not in c:
                continue
            f = p / kind / c[kind]["file"]
            try:
                size = f.stat().st_size
            except OSError:
                size = -1
            if size != c[kind]["bytes"]:
                msg = (f"{f}: chunk file missing" if size < 0 else
                       f"{f}: corrupted chunk file ({size} bytes, the manifest says {c[kind]['bytes']})")
                if not skip_corrupt:
                    raise InputError(f, msg.split(": ", 1)[1])
                study.problems.append(msg)
    return study


def list_studies(root: str | Path = "results") -> list[Study]:
    """Every study folder directly under ``root``."""
    root = Path(root)
    return [s for s in _scan(root) if isinstance(s, Study)]


def damaged_studies(root: str | Path = "results") -> list[InputError]:
    """Why each folder under ``root`` that has a manifest (or a folder in its place) cannot be read."""
    return [s for s in _scan(root) if isinstance(s, InputError)]


def _scan(root: str | Path) -> list[Study | InputError]:
    out: list[Study | InputError] = []
    for d in sorted(Path(root).iterdir()) if Path(root).is_dir() else []:
        try:
            out += [Study(path=d, manifest=read_manifest(d))] if os.path.lexists(d / MANIFEST) else []
        except InputError as exc:
            out.append(exc)
    return out


__all__ = [
    "KEYS",
    "SUMMARY_OUTCOMES",
    "Study",
    "annotate",
    "chunk_name",
    "damaged_studies",
    "encode",
    "is_study",
    "list_studies",
    "load_results",
    "read_manifest",
    "to_pandas",
    "write_bytes",
    "write_manifest",
    "write_table",
]
