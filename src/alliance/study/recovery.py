"""Studies that always recover: atomic setup, interrupted setups, damaged manifests, static files.

* Setup is atomic: a new study is written into a hidden sibling folder (``.NAME.setup-PID``) and
  renamed into place once its manifest is written, so a folder named like a study either has its
  manifest or was never made. ``plan.json`` (the manifest as planned, written once) is kept beside
  ``manifest.json``.
* A folder left by an older version's interrupted setup (no manifest, no finished chunk) is
  recognised: a rerun or ``--overwrite`` replaces it, and ``--resume`` says to rerun.
* A damaged or missing ``manifest.json`` is rebuilt from ``plan.json`` and the chunk files (each
  checked: readable, page checksums, the rows and run ids its chunk should hold).
* ``samples.parquet`` and ``runs.parquet`` are checked against the manifest (size recorded at
  setup, footer, row count); a damaged ``runs.parquet`` is rebuilt on resume from the plan.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alliance.errors import UserError
from alliance.model.yamlio import InputError, read_json
from alliance.study import store
from alliance.study.fileio import atomic_write
from alliance.study.integrity import STATIC, check_manifest, read_table, static_problems, static_records

PLAN = "plan.json"
"""The manifest as planned at setup (every chunk pending); never rewritten."""

_SETUP_PARTS = {*STATIC, "summary", "trajectories", PLAN}


# ------------------------------------------------------------------ setup
def setup_folder(folder: Path) -> Path:
    """A fresh hidden folder beside ``folder`` to build a study in (stale ones are removed)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    for old in folder.parent.glob(f".{folder.name}.setup-*"):
        pid = old.name.rsplit("-", 1)[-1]
        if not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(old, ignore_errors=True)
    tmp = folder.parent / f".{folder.name}.setup-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    return tmp


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own earlier attempt
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def commit_setup(tmp: Path, folder: Path) -> None:
    """Move a finished setup into place (replacing an empty folder or an interrupted setup)."""
    if folder.exists():
        if any(folder.iterdir()):
            shutil.rmtree(folder)
        else:
            folder.rmdir()
    os.replace(tmp, folder)


def write_plan(folder: Path, manifest: dict[str, Any]) -> None:
    """``plan.json``: the manifest as planned (every chunk pending); used to rebuild manifest.json."""
    text = json.dumps(manifest, indent=1)
    atomic_write(folder / PLAN, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))


def interrupted_setup(folder: Path) -> bool:
    """True for a folder an interrupted setup left: no manifest, no plan, no finished chunk file."""
    if not folder.is_dir() or (folder / store.MANIFEST).exists() or (folder / PLAN).exists():
        return False
    names = {p.name for p in folder.iterdir() if not p.name.startswith(".")}
    if not names or not names <= _SETUP_PARTS:
        return False
    return not any(p.name.endswith(".parquet") for sub in ("summary", "trajectories")
                   if (folder / sub).is_dir() for p in (folder / sub).iterdir())


def replaceable(folder: Path) -> bool:
    """A study (manifest or plan present) or an interrupted setup: ``--overwrite`` may delete it."""
    return store.is_study(folder) or (folder / PLAN).is_file() or interrupted_setup(folder)


def open_manifest(folder: Path, note: Callable[[str], None]) -> dict[str, Any]:
    """The manifest for ``--resume``: read it, or rebuild it from plan.json and the chunk files."""
    if interrupted_setup(folder):
        raise UserError(f"{folder}: its setup was interrupted before any run finished, so there is "
                        "nothing to resume; run the same `alliance batch` command again without "
                        "--resume (the half-made folder is replaced)")
    try:
        return store.read_manifest(folder)
    except InputError as exc:
        if not (folder / PLAN).is_file():
            raise
        problem = exc.message
    m, done = rebuild_manifest(folder)
    store.write_manifest(folder, m)
    note(f"{folder / store.MANIFEST}: {problem}; rebuilt from {PLAN} and the chunk files "
         f"({done} of {len(m['chunks'])} chunks finished and intact)")
    return m


def read_plan(folder: Path) -> dict[str, Any]:
    path = folder / PLAN
    data = read_json(path, "study plan")
    check_manifest(data, path)
    return data


def rebuild_manifest(folder: Path) -> tuple[dict[str, Any], int]:
    """A manifest from plan.json, with each chunk whose files are intact marked done."""
    m = copy.deepcopy(read_plan(folder))
    horizon = {s["index"]: int(s["horizon_months"]) for s in m["scenarios"]}
    done = 0
    for c in m["chunks"]:
        n = c["stop"] - c["start"]
        entry: dict[str, Any] = {}
        kinds = ["summary", *(["trajectories"] if m.get("trajectories", True) else [])]
        for kind in kinds:
            f = folder / kind / store.chunk_name(c["id"])
            per_run = 1 if kind == "summary" else horizon[c["scenario"]] + 1
            info = _chunk_file(f, c["run_id_start"], n, per_run)
            if info is None:
                break
            entry[kind] = info
        else:
            c.update(entry, status="done", seconds=None, finished=None, rebuilt=True)
            done += 1
            continue
        c["status"] = "pending"
    m.setdefault("sessions", []).append({"started": store.now(), "rebuilt_manifest": True})
    return m, done


def _chunk_file(f: Path, run_id_start: int, n: int, per_run: int) -> dict[str, Any] | None:
    """File entry of an intact chunk file holding runs [start, start + n), or None."""
    try:
        size = f.stat().st_size
        table = read_table(f, columns=["run_id"])
    except (OSError, InputError):
        return None
    ids = table.column("run_id").to_numpy()
    if len(ids) != n * per_run or ids.min() != run_id_start or ids.max() != run_id_start + n - 1:
        return None
    return {"file": f.name, "rows": len(ids), "bytes": int(size)}


__all__ = [  # static_problems and static_records are re-exported: batch calls them through this module
    "PLAN", "commit_setup", "interrupted_setup", "open_manifest", "read_plan", "rebuild_manifest", "replaceable",
    "setup_folder", "static_problems", "static_records", "write_plan",
]
