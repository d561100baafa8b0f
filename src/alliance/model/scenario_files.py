"""Scenario files → ``Scenario``: shipped names, the ``extends`` chain, errors by file and line.

A scenario may ``extends:`` another (a shipped name or a path relative to its own folder): mappings
are merged key by key, the child's ``events`` are appended to the parent's, and every other value
in the child replaces the parent's. Every problem is an ``InputError`` naming the file (the one in
the chain where the bad key was written), its line and the field.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .scenario import Scenario
from .yamlio import MAX_LISTED, InputError, line_for, listed, read_yaml


def scenarios_dir() -> Path:
    """The shipped scenarios folder (``ALLIANCE_SCENARIOS`` overrides it)."""
    env = os.environ.get("ALLIANCE_SCENARIOS")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for cand in (here.parents[3] / "scenarios", here.parents[1] / "scenarios_data"):
        if cand.is_dir():
            return cand
    return here.parents[3] / "scenarios"


def shipped_scenarios() -> dict[str, Path]:
    """Shipped scenario names → files (top level of ``scenarios/``, not the episodes)."""
    return {p.stem: p for p in sorted(scenarios_dir().glob("*.yaml"))}


MAX_REF_CHARS = 1024
"""Longest scenario reference (name or path) accepted; a path component may have 255 bytes."""

_PATTERN_CHARS = set("*?[]")


def _check_ref(ref: str) -> None:
    """Refuse references that are no name or path: patterns, NUL bytes, over-long names."""
    if "\x00" in ref:
        raise InputError(None, "a scenario name or path cannot contain a NUL byte", field="scenario")
    if len(ref) > MAX_REF_CHARS or any(len(part.encode("utf-8", "surrogatepass")) > 255
                                        for part in Path(ref).parts):
        raise InputError(None, f"scenario reference of {len(ref):,} characters is too long for a "
                         "file name or path", field="scenario")
    if _PATTERN_CHARS & set(ref):
        raise InputError(None, f"{ref!r} is a pattern; give a shipped scenario name or the path of "
                         "one file (no *, ?, [ or ])", field="scenario")
    if not ref.strip():
        raise InputError(None, "empty scenario reference; give a shipped name or a file path",
                         field="scenario")


def _is_file(p: Path) -> bool:
    try:
        return p.is_file()
    except (OSError, ValueError):
        return False


def resolve_path(ref: str | Path, base: Path | None = None) -> Path:
    """A scenario reference (file path or shipped name) → file path; never a pattern."""
    if not isinstance(ref, (str, Path)):
        raise InputError(None, f"a scenario reference is a name or a path, not a "
                         f"{type(ref).__name__}", field="scenario")
    _check_ref(str(ref))
    p = Path(ref)
    if p.suffix in (".yaml", ".yml"):
        if not p.is_absolute() and base is not None:
            p = base / p  # an 'extends:' path is relative to the extending file's folder
        return p
    if base is not None and _is_file(base / f"{ref}.yaml"):
        return base / f"{ref}.yaml"
    shipped = shipped_scenarios()
    if str(ref) in shipped:
        return shipped[str(ref)]
    for sub in sorted(scenarios_dir().rglob("*.yaml")):  # episodes/ and other sub-folders
        if sub.stem == str(ref):
            return sub
    raise InputError(None, f"no scenario named {_short(str(ref))}; shipped: {', '.join(shipped)}",
                     field="scenario")


def _short(text: str, n: int = 80) -> str:
    return repr(text if len(text) <= n else text[:n] + "…")


def _merge(parent: dict, child: dict) -> dict:
    out = dict(parent)
    for k, v in child.items():
        if k == "events":
            out[k] = list(parent.get(k) or []) + list(v or [])
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


MAX_EXTENDS = 32
"""Longest ``extends`` chain accepted (files); the shipped ones are one or two deep."""

Origins = dict[tuple[Any, ...], tuple[Path, int]]
"""Key path in the merged data → (file, line) it came from, across the ``extends`` chain."""


def read_merged(path: Path, chain: tuple[Path, ...]) -> tuple[dict, Origins]:
    """The scenario's data merged over its ``extends`` chain, and where each key came from."""
    data, lines = read_yaml(path)
    if data is None:
        raise InputError(path, "the file is empty; a scenario needs at least name and description",
                         line=1)
    if not isinstance(data, dict):
        raise InputError(path, "a scenario must be a YAML mapping (key: value lines), "
                         f"not a {type(data).__name__}", line=1)
    origins: Origins = {k: (path, v) for k, v in lines.items()}
    parent_ref = data.get("extends")
    if parent_ref is None:
        return data, origins
    line = lines.get(("extends",))
    if not isinstance(parent_ref, str):
        raise InputError(path, f"'extends' must be a scenario name or file, not a "
                         f"{type(parent_ref).__name__} ({_short(str(parent_ref), 40)})", line, "extends")
    try:
        parent_path = resolve_path(parent_ref, base=path.parent)
    except InputError as exc:
        raise InputError(path, exc.message, line, "extends") from None
    try:
        here = (*chain, path.resolve())
        parent_resolved = parent_path.resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise InputError(path, f"cannot resolve {_short(parent_ref)}: {exc}", line, "extends") from None
    if len(here) >= MAX_EXTENDS:
        raise InputError(path, f"the 'extends' chain is more than {MAX_EXTENDS} files long", line, "extends")
    if parent_resolved in here:
        names = " → ".join(p.name for p in (*here, parent_path.resolve()))
        raise InputError(path, f"cycle in 'extends': {names}", line, "extends")
    if not _is_file(parent_path):
        raise InputError(path, f"no scenario file {_short(str(parent_path))}", line, "extends")
    events = data.get("events")
    if events is not None and not isinstance(events, list):
        raise InputError(path, f"'events' must be a list of events (lines starting with '- '), not a "
                         f"{type(events).__name__}", lines.get(("events",)), "events")
    parent, parent_origins = read_merged(parent_path, here)
    parent.pop("extends", None)
    for key in ("uncertainties", "sweep", "expected"):
        if key in data:
            parent.pop(key, None)
    # the child's events are appended after the parent's: shift their indices
    shift = len(parent["events"]) if isinstance(parent.get("events"), list) else 0
    merged: Origins = dict(parent_origins)
    for kpath, where in origins.items():
        if len(kpath) > 1 and kpath[0] == "events" and isinstance(kpath[1], int):
            kpath = ("events", kpath[1] + shift, *kpath[2:])
        merged[kpath] = where
    return _merge(parent, data), merged


_MSG_FIELD = re.compile(r"^(?:events\[(\d+)\]\.([a-z_]+)|((?:balancer|partner|hegemon)(?:\.[a-z_]+)+))")


def _loc_from_message(msg: str) -> tuple[tuple[Any, ...], str]:
    """A cross-field message starting with a field (``events[2].month: …``, ``hegemon.threshold: …``
    or ``balancer.initial.energy = …``) → (its location in the data, the message)."""
    m = _MSG_FIELD.match(msg)
    if m is None:
        return (), msg
    if m.group(1) is not None:
        loc: tuple[Any, ...] = ("events", int(m.group(1)), m.group(2))
    else:
        loc = ("actors", *m.group(3).split("."))
    rest = msg[m.end():]
    return loc, rest[2:] if rest.startswith(": ") else msg


def _describe(err: Any, path: Path, origins: Origins) -> tuple[Path | str, int | None, str | None, str]:
    """One pydantic error → (file, line, field, message)."""
    loc = tuple(err.get("loc", ()))
    msg = err.get("msg", "invalid").removeprefix("Value error, ")
    if not loc:
        loc, msg = _loc_from_message(msg)
    line, matched = line_for({k: v[1] for k, v in origins.items()}, loc)
    file = origins[matched][0] if matched in origins else path
    field = ".".join(str(x) for x in loc if not (isinstance(x, str) and x in _KINDS)) or None
    value = err.get("input")
    if err.get("type") == "extra_forbidden":
        msg = f"unknown key {loc[-1]!r} (misspelt?)"
    elif err.get("type") == "union_tag_invalid":
        kind = value.get("kind") if isinstance(value, dict) else value
        msg = f"unknown event kind {kind!r}"
        msg += f"; known: {', '.join(_KINDS)}"
    elif err.get("type") == "union_tag_not_found":
        msg = f"an event needs a 'kind': one of {', '.join(_KINDS)}"
    elif err.get("type") != "missing" and isinstance(value, (str, int, float, bool)) and loc:
        msg += f" (got {_short(value, 60) if isinstance(value, str) else _value(value)})"
        if isinstance(value, bool):
            msg += "; YAML reads yes/no/on/off as true/false"
    return file, line, field, msg


def _first_error(exc: ValidationError, path: Path, origins: Origins) -> InputError:
    errors = exc.errors()
    # a misspelt key explains the errors it causes ("field required"): report it first
    first = next((e for e in errors if e.get("type") == "extra_forbidden"), errors[0])
    file, line, field, msg = _describe(first, path, origins)
    others = [e for e in errors if e is not first]  # described only as far as they are listed
    parts = [msg]
    for f, ln, fd, m in (_describe(e, path, origins) for e in others[:MAX_LISTED - 1]):
        where = (f"{f}, " if Path(f) != Path(file) else "") + (f"line {ln}: " if ln is not None else "")
        parts.append(where + (f"field '{fd}': " if fd else "") + m)
    msg = listed(parts, len(errors))
    if Path(file) != path:
        msg += f" (reached through 'extends' from {path})"
    return InputError(file, msg, line=line, field=field)


def _set_error(err: Any) -> str:
    """One pydantic error of a ``--set`` override: ``path = value: message``."""
    msg = str(err["msg"]).removeprefix("Value error, ")
    loc = ".".join(str(x) for x in err.get("loc", ()))
    if loc and not isinstance(err.get("input"), dict):
        value = err.get("input")
        msg = f"{loc.removeprefix('actors.')} = {_short(value, 60) if isinstance(value, str) else _value(value)}: {msg}"
    return msg


def _value(value: Any) -> str:
    """A number for a message: never the whole of a huge integer."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return f"a whole number of {len(str(abs(value))) if abs(value) < 10**4000 else 'over 4,000'} digits"
    return repr(value)


_KINDS = ("request", "force", "lose_alternative", "harden", "set")


def _refuse_yes_no(data: Any, origins: Origins, path: Path) -> None:
    """No scenario value is a yes/no, so ``true``/``false`` (which YAML also reads from yes, no, on
    and off) is refused where it stands, naming file, line and field, rather than read as 1 or 0."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, bool):
            line, matched = line_for({k: v[1] for k, v in origins.items()}, loc)
            file = origins[matched][0] if matched in origins else path
            raise InputError(file, f"{str(value).lower()} is not a value a scenario takes (YAML reads yes, no, "
                             "on and off as true/false too): write the number, or quote the text", line,
                             ".".join(str(p) for p in loc) or None)
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        stack.extend(reversed([((*loc, k), v) for k, v in items]))


def load_scenario(ref: str | Path, updates: Mapping[str, float] | None = None) -> Scenario:
    """Load and validate a scenario from a file path or a shipped name.

    Raises ``InputError`` naming the file, line and field on any problem.
    """
    try:
        path = resolve_path(ref)
    except InputError as exc:
        raise InputError(str(ref)[:200] if isinstance(ref, (str, Path)) else None, exc.message,
                         field=exc.field) from None
    data, origins = read_merged(path, ())
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc, path, origins) from None
    _refuse_yes_no(data, origins, path)  # after the schema: an unknown key is named as one first
    if updates:
        try:
            sc = sc.with_params(updates)
        except (ValueError, ValidationError) as exc:
            msg = str(exc)
            if isinstance(exc, ValidationError):
                errors = exc.errors()
                msg = listed([_set_error(err) for err in errors[:MAX_LISTED]], len(errors))
            raise InputError(path, msg, field="--set") from None
    return sc


__all__ = ["Origins", "load_scenario", "read_merged", "resolve_path", "scenarios_dir", "shipped_scenarios"]
