"""The tuning app's files: the scenario picker's sources, "save as scenario", uploads and CSV.

Saving is confined to one chosen folder: the name must be snake_case (no separators, no dots),
the resolved path must sit directly in that folder, an existing file is never overwritten, and the
file is written to a temporary file, validated with ``load_scenario`` and only then renamed into
place. An uploaded scenario is size-limited and goes through exactly the same validation.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from alliance.model import PARAMS, Scenario, load_scenario, simulate
from alliance.model.scenario import NAME_RE
from alliance.model.scenario_files import scenarios_dir, shipped_scenarios
from alliance.model.yamlio import InputError, decode_utf8, parse_yaml

MAX_UPLOAD_BYTES = 200_000
"""Largest uploaded scenario accepted (real scenarios are a few kB)."""
USER_PREFIX = "user: "


class FileRejected(ValueError):
    """A save or upload that was refused; the message says why."""


# ------------------------------------------------------------------ the picker's sources
@dataclass(frozen=True)
class Source:
    label: str
    path: Path


def scenario_sources(user_dir: Path | None, extra: Path | None = None) -> dict[str, Source]:
    """Picker entries: the shipped scenarios, then ``user: name`` for each file in the user folder,
    then the file given on the command line if it is in neither."""
    out = {name: Source(name, path) for name, path in shipped_scenarios().items()}
    if user_dir is not None and user_dir.is_dir():
        for path in sorted(user_dir.glob("*.yaml")):
            if not path.name.startswith("."):
                out[f"{USER_PREFIX}{path.stem}"] = Source(f"{USER_PREFIX}{path.stem}", path)
    if extra is not None:
        known = {s.path.resolve() for s in out.values()}
        if extra.resolve() not in known:
            out[f"file: {extra.name}"] = Source(f"file: {extra.name}", extra)
    return out


def label_for(sources: Mapping[str, Source], path: Path) -> str:
    for label, src in sources.items():
        if src.path.resolve() == path.resolve():
            return label
    raise KeyError(path)  # pragma: no cover - callers pass a path from the sources


# ------------------------------------------------------------------ save as scenario
def check_name(name: str) -> str:
    """A new scenario's name: snake_case, 1–64 characters, no path parts; else ``FileRejected``."""
    name = name or ""
    if not name.strip():
        raise FileRejected("give the new scenario a name")
    if not re.fullmatch(NAME_RE, name):
        raise FileRejected(
            f"{name!r} is not a valid scenario name: use snake_case (a–z, 0–9, _; starting with a "
            "letter; at most 64 characters); no slashes, dots or spaces")
    return name


def confined_path(folder: Path, name: str) -> Path:
    """``folder/name.yaml``, refusing anything that would resolve outside ``folder``."""
    root = folder.resolve()
    path = (root / f"{check_name(name)}.yaml").resolve()
    if path.parent != root:
        raise FileRejected(f"{name!r} would be saved outside {root}")
    return path


def extends_ref(original: Path, folder: Path) -> str:
    """How the saved file refers to the original: a shipped name when that is unambiguous from
    ``folder``, else a path relative to ``folder`` (or absolute when on another drive)."""
    original = original.resolve()
    shipped = shipped_scenarios()
    name = original.stem
    if name in shipped and shipped[name].resolve() == original and (
            not (folder / f"{name}.yaml").exists() or (folder / f"{name}.yaml").resolve() == original):
        return name
    try:
        return os.path.relpath(original, folder.resolve())
    except ValueError:  # pragma: no cover - Windows: different drives
        return str(original)


def _nest(overrides: Mapping[str, float]) -> dict:
    """Dotted overrides → nested actor blocks, e.g. hegemon: {threshold: {economic: 0.6}}."""
    actors: dict = {}
    for dotted in sorted(overrides):
        value = overrides[dotted]
        parts = dotted.split(".")
        node = actors
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = int(value) if PARAMS[dotted].integer else float(value)
    return actors


def scenario_yaml(name: str, original: Scenario, original_path: Path, folder: Path,
                  overrides: Mapping[str, float], replications: int, seed: int) -> str:
    """The text of a saved scenario: ``extends:`` the original, tuned parameters as overrides."""
    changed = ", ".join(f"{k} = {v:g}" for k, v in sorted(overrides.items())) or "no parameter changed"
    doc: dict = {
        "name": name,
        "description": f"Tuned in the app from {original.name}: {changed}.",
        "extends": extends_ref(original_path, folder),
        "replications": int(replications),
        "seed": int(seed),
    }
    if overrides:
        doc["actors"] = _nest(overrides)
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def _write_validated(path: Path, text: str, expected_name: str) -> Scenario:
    """Write ``text`` to a temporary ``.yaml`` file in the target folder, validate it there (so
    ``extends`` resolves exactly as it will later), then rename it into place."""
    if path.exists():
        raise FileRejected(f"{path.name} already exists in {path.parent}; choose another name")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{expected_name}.", suffix=".yaml", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.write_text(text, encoding="utf-8")
        try:
            sc = load_scenario(tmp)
        except InputError as exc:  # name the file being saved, not the temporary one
            if exc.file != str(tmp):
                raise
            raise InputError(path, exc.message, exc.line, exc.field) from None
        if sc.name != expected_name:
            raise FileRejected(f"the scenario is named {sc.name!r} but would be saved as "
                               f"{expected_name}.yaml; the name must equal the file name")
        if path.exists():
            raise FileRejected(f"{path.name} already exists in {path.parent}; choose another name")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return sc


def save_tuned(folder: Path, name: str, original: Scenario, original_path: Path,
               overrides: Mapping[str, float], replications: int, seed: int) -> tuple[Path, Scenario]:
    """Save the tuned parameters as ``folder/name.yaml``; returns the path and the loaded scenario.

    Raises ``FileRejected`` (bad name, existing file, outside the folder) or ``InputError``
    (the written scenario does not validate; nothing is left behind).
    """
    name = check_name(name)
    if name in shipped_scenarios():
        raise FileRejected(f"{name!r} is the name of a shipped scenario; saving under it would shadow it, "
                           "choose a new name")
    if name == original.name and original_path.resolve().parent == folder.resolve():
        raise FileRejected(f"{name!r} is the scenario being tuned; choose a new name")
    folder.mkdir(parents=True, exist_ok=True)
    path = confined_path(folder, name)
    text = scenario_yaml(name, original, original_path, folder, overrides, replications, seed)
    return path, _write_validated(path, text, name)


# ------------------------------------------------------------------ upload
_READ_FAILURES = (ValueError, TypeError, OverflowError, RecursionError, NotImplementedError, OSError)
"""What a hostile file can still make a parser raise; an upload turns each into a message."""


def _private(text: str, folder: Path) -> str:
    """``text`` with the server's own folders (shipped scenarios, the user folder) blanked out."""
    for root in sorted({str(scenarios_dir().resolve()), str(scenarios_dir()), str(folder.resolve()), str(folder)},
                       key=len, reverse=True):
        if root not in ("", "."):
            text = text.replace(root + os.sep, "").replace(root, "<server folder>")
    return text


def _check_extends(doc: Mapping, filename: str, folder: Path) -> None:
    """An upload may extend a shipped scenario by name, nothing else (no path, no user file)."""
    if "extends" not in doc:
        return
    ref = doc["extends"]
    shipped = shipped_scenarios()
    if not isinstance(ref, str) or ref not in shipped:
        raise FileRejected(f"{filename}: 'extends' may only name a shipped scenario "
                           f"({', '.join(shipped)}); an uploaded file cannot extend other files")
    if (folder / f"{ref}.yaml").exists():
        raise FileRejected(f"{filename}: 'extends: {ref}' is ambiguous here: the scenarios folder holds "
                           f"a file of that name; remove it or extend another scenario")


def accept_upload(folder: Path, filename: str, size: int | None, data: bytes) -> tuple[Path, Scenario]:
    """Validate an uploaded scenario like any other file and store it in ``folder``.

    The file is refused before parsing if it is larger than ``MAX_UPLOAD_BYTES``, is not UTF-8
    YAML, or its ``name`` is not a valid new name (nor a shipped scenario's); its ``extends:``, if
    any, must name a shipped scenario. It is stored as ``folder/<name>.yaml``. Every failure is a
    ``FileRejected`` or an ``InputError`` naming the uploaded file; no message names a file or
    folder on the server, nor the keys of any file but the upload.
    """
    n = len(data) if size is None else max(int(size), len(data))
    if n > MAX_UPLOAD_BYTES:
        raise FileRejected(f"{filename}: {n:,} bytes; uploads are limited to {MAX_UPLOAD_BYTES:,} bytes")
    text = decode_utf8(data, filename)
    try:
        doc, _ = parse_yaml(text, filename)
    except InputError:
        raise
    except _READ_FAILURES as exc:
        raise FileRejected(f"{filename}: not a readable scenario: {_private(str(exc), folder)[:300]}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("name"), str):
        raise InputError(filename, "a scenario must be a YAML mapping with a 'name'", line=1, field="name")
    name = check_name(doc["name"])
    if name in shipped_scenarios():
        raise FileRejected(f"{name!r} is the name of a shipped scenario; rename the upload")
    _check_extends(doc, filename, folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = confined_path(folder, name)
    try:
        return path, _write_validated(path, text, name)
    except InputError as exc:  # report the uploaded file's name, not the temporary or a shipped file's
        msg = _private(exc.message, folder)
        if exc.file is not None and Path(exc.file).name != path.name and not Path(exc.file).name.startswith(f".{name}."):
            # a problem met in the shipped scenario it extends: say so without its path or line
            raise InputError(filename, f"{msg} (in combination with 'extends: {doc.get('extends')}')",
                             None, exc.field) from None
        raise InputError(filename, msg, exc.line, exc.field) from None
    except FileRejected:
        raise
    except _READ_FAILURES as exc:
        raise FileRejected(f"{filename}: not a readable scenario: {_private(str(exc), folder)[:300]}") from None


# ------------------------------------------------------------------ CSV download
def results_csv(scenario: Scenario, which: str = "trajectories") -> bytes:
    """The tuned ensemble's results as CSV, identical to ``alliance run --out FILE.csv``."""
    res = simulate(scenario)
    df = res.trajectories if which == "trajectories" else res.summary
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8")
