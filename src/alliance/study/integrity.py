"""Integrity checks of a study folder that the store and recovery both rely on: the manifest's
structure, the static Parquet files (size, footer, rows) and a checksum-verified Parquet reader.
Imports nothing else of the study layer, so store and recovery can both stand on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from alliance.model.yamlio import InputError

FORMAT = "alliance-study"
FORMAT_VERSION = 1
STATIC = ("samples.parquet", "runs.parquet")


def read_table(path: Path, columns: list[str] | None = None, filters: Any = None) -> pa.Table:
    """Read a Parquet file with page checksums verified; InputError when damaged."""
    try:
        return pq.read_table(path, columns=columns, filters=filters, page_checksum_verification=True,
                             partitioning=None)
    except (OSError, pa.ArrowException, ValueError) as exc:
        raise InputError(path, f"corrupted or unreadable chunk file: {exc}") from None


# ------------------------------------------------------------------ the manifest
_NEEDED: dict[str, type | tuple[type, ...]] = {
    "scenarios": list, "chunks": list, "sampler": str, "samples": (int, type(None)),
    "total_runs": int, "chunk_runs": int}
_SCENARIO_KEYS = ("index", "name", "resolved", "samples", "replications", "seed", "runs",
                  "run_id_start", "parameters", "horizon_months")
_CHUNK_KEYS = ("id", "scenario", "start", "stop", "run_id_start", "status")


_COUNTS = ("samples", "seed", "sample_seed", "total_runs", "chunk_runs")
_SCENARIO_COUNTS = ("index", "samples", "replications", "seed", "runs", "run_id_start", "horizon_months")


def _count(value: Any, none: bool = False) -> bool:
    """A whole number ≥ 0 (not true/false, not NaN), or None where ``none``."""
    return (value is None and none) or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def check_manifest(data: Any, path: Path) -> None:
    """Raise InputError naming the field when a manifest's structure is damaged."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(path, f"not a study manifest (format is not {FORMAT!r})")
    version = data.get("format_version", 0)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise InputError(path, f"written by a newer version (format {version!r})")
    for key, typ in _NEEDED.items():
        if not isinstance(data.get(key), typ):
            raise InputError(path, "damaged manifest: missing or wrong type", field=key)
    for key in _COUNTS:
        if key in data and not _count(data[key], none=True):
            raise InputError(path, f"damaged manifest: not a whole number ≥ 0 ({str(data[key])[:40]})",
                             field=key)
    for i, s in enumerate(data["scenarios"]):
        if not isinstance(s, dict) or any(k not in s for k in _SCENARIO_KEYS):
            raise InputError(path, "damaged manifest: a scenario entry lacks its fields",
                             field=f"scenarios[{i}]")
        bad = [k for k in _SCENARIO_COUNTS if not _count(s[k], none=k == "seed")]
        if bad:
            raise InputError(path, "damaged manifest: not a whole number ≥ 0", field=f"scenarios[{i}].{bad[0]}")
    for i, c in enumerate(data["chunks"]):
        if (not isinstance(c, dict) or any(not isinstance(c.get(k), int) for k in _CHUNK_KEYS[:5])
                or c.get("id") != i or c.get("status") not in ("pending", "done")
                or not 0 <= c["start"] <= c["stop"] or c["run_id_start"] < 0
                or not 0 <= c["scenario"] < len(data["scenarios"])):
            raise InputError(path, "damaged manifest: a chunk entry is malformed", field=f"chunks[{i}]")
        if c["status"] == "done":
            for kind in ("summary", *(["trajectories"] if data.get("trajectories", True) else [])):
                e = c.get(kind)
                if not (isinstance(e, dict) and isinstance(e.get("file"), str)
                        and isinstance(e.get("bytes"), int) and "/" not in e["file"]):
                    raise InputError(path, "damaged manifest: a finished chunk lacks its file entry",
                                     field=f"chunks[{i}].{kind}")


# ------------------------------------------------------------------ the static files
def static_records(folder: Path) -> dict[str, dict[str, int]]:
    """Size and rows of samples.parquet and runs.parquet, recorded in the manifest at setup."""
    out = {}
    for name in STATIC:
        f = folder / name
        out[name] = {"bytes": f.stat().st_size, "rows": pq.ParquetFile(f).metadata.num_rows}
    return out


def static_problems(folder: Path, m: dict[str, Any], read: bool = True) -> dict[str, str]:
    """File name → problem, for samples.parquet and runs.parquet (empty when both are sound)."""
    want_rows = {"samples.parquet": sum(int(s["samples"]) for s in m["scenarios"]),
                 "runs.parquet": int(m["total_runs"])}
    recorded = m.get("files", {})
    problems: dict[str, str] = {}
    for name in STATIC:
        f = folder / name
        try:
            size = f.stat().st_size
        except OSError:
            problems[name] = f"{f}: missing"
            continue
        rec = recorded.get(name, {})
        if "bytes" in rec and size != rec["bytes"]:
            problems[name] = f"{f}: {size} bytes, the manifest says {rec['bytes']} (truncated or damaged)"
            continue
        try:
            rows = pq.ParquetFile(f).metadata.num_rows
            if read:
                read_table(f)
        except InputError as exc:
            problems[name] = exc.format()
            continue
        except Exception as exc:  # pyarrow raises several kinds for a damaged footer
            problems[name] = f"{f}: unreadable Parquet footer ({type(exc).__name__}: {exc})"
            continue
        if rows != want_rows[name]:
            problems[name] = f"{f}: {rows:,} rows, the study needs {want_rows[name]:,}"
    return problems
