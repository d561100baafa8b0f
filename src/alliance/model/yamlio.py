"""Safe YAML reading with line numbers: no Python objects, no duplicate keys, bounded size.

``read_yaml`` returns the plain data (dicts, lists, scalars) and a map from each key path to
the line it stands on, so validation errors can name the file, the line and the field.
Every failure raises ``InputError``, which the CLI turns into one clear message and exit code 2.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000
"""Largest scenario file accepted (1 MB); real scenarios are a few kB."""

MAX_NODES = 100_000
"""Most YAML nodes (after aliases expand) accepted; real scenarios have a few hundred."""

PathKey = tuple[Any, ...]


class InputError(Exception):
    """A user's input is wrong: names the file, the line where known, and the field."""

    def __init__(self, file: str | Path | None, message: str, line: int | None = None,
                 field: str | None = None) -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        self.message = message
        super().__init__(self.format())

    def format(self) -> str:
        """One line: ``file, line N: field 'f': message`` (parts that are unknown are left out)."""
        where = self.file or ""
        if self.file and self.line is not None:
            where += f", line {self.line}"
        field = f"field '{self.field}': " if self.field else ""
        return f"{where}: {field}{self.message}" if where else f"{field}{self.message}"


MAX_LISTED = 6
"""Mistakes spelt out in one message (a scenario file's, ``--set``'s, a posterior file's); the rest
are counted, so a user fixes them all in one go and a broken file does not print pages."""


def listed(parts: Sequence[str], total: int | None = None, noun: str = "error") -> str:
    """``"a; also b; also c (and 4 more errors)"``: the first ``MAX_LISTED`` of ``total`` (default:
    all of ``parts``) mistakes, the rest counted."""
    total = len(parts) if total is None else total
    msg = "; also ".join(parts[:MAX_LISTED])
    if total > MAX_LISTED:
        more = total - MAX_LISTED
        msg += f" (and {more} more {noun}{'s' if more > 1 else ''})"
    return msg


MAX_INT_DIGITS = 30
"""Longest integer accepted (digits); no scenario value comes near it, and Python refuses to read
or print integers of more than 4,300 digits."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys, non-finite and over-long numbers, and values its
    constructors cannot read (``!!int abc``, ``!!timestamp 2001-99-99``), each with its line."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, OverflowError, TypeError, ArithmeticError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value {_short(node)} as {_tag(node)}: "
                f"{_short_text(str(exc))}", node.start_mark) from None


def _short_text(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n] + f"… ({len(text):,} characters)"


def _short(node: yaml.Node) -> str:
    value = node.value if isinstance(node, yaml.ScalarNode) else type(node).__name__
    return repr(_short_text(str(value)))


def _tag(node: yaml.Node) -> str:
    return str(node.tag).replace("tag:yaml.org,2002:", "!!")


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    text = str(node.value).replace("_", "").lstrip("+-")
    digits = len(text[2:] if text[:2].lower() in ("0x", "0o", "0b") else text)
    if digits > MAX_INT_DIGITS:  # hexadecimal too: 0xfff… has no conversion limit of its own
        raise yaml.constructor.ConstructorError(
            None, None, f"a whole number of {digits:,} digits is too large "
            f"(at most {MAX_INT_DIGITS} digits)", node.start_mark)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    value = yaml.SafeLoader.construct_yaml_float(loader, node)
    if not math.isfinite(value):
        raise yaml.constructor.ConstructorError(
            None, None, f"{_short(node)} is not a finite number; scenario files take finite numbers "
            "only (no .nan, .inf or values beyond ±1.8e308)", node.start_mark)
    return value


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


class _DuplicateKey(yaml.constructor.ConstructorError):
    def __init__(self, key: Any, first_line: int, mark: yaml.Mark) -> None:
        super().__init__(None, None, f"duplicate key {key!r} (first on line {first_line})", mark)
        self.key = key


class _TooManyNodes(Exception):
    pass


_MERGE = "tag:yaml.org,2002:merge"


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    """A mapping with each key written once; merge keys (``<<: *anchor``) work as YAML defines them
    (the mapping's own keys override the merged ones, so only its own keys are checked)."""
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == _MERGE:
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            first = seen.get(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a list or mapping used as a key", key_node.start_mark) from None
        if first is not None:
            raise _DuplicateKey(key, first + 1, key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


MAX_DEPTH = 64
"""Deepest nesting accepted; a scenario nests five or six levels."""


def _line_map(root: yaml.Node, out: dict[PathKey, int],
              at: dict[tuple[int, int], PathKey] | None = None) -> None:
    """Fill ``out`` with key path → line, and ``at`` with each node's (line, column) → its key path
    (so a value the loader refuses can be named); raises _TooManyNodes past MAX_NODES (alias bombs)."""
    stack: list[tuple[yaml.Node, PathKey]] = [(root, ())]
    visited = 0
    while stack:
        node, path = stack.pop()
        visited += 1
        if visited > MAX_NODES:
            raise _TooManyNodes
        if len(path) > MAX_DEPTH:
            raise RecursionError  # reported as "nested too deeply", whatever the interpreter's limit
        out.setdefault(path, node.start_mark.line + 1)
        if at is not None:
            at.setdefault((node.start_mark.line, node.start_mark.column), path)
        children: list[tuple[yaml.Node, PathKey]] = []
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else str(k)
                out[(*path, key)] = k.start_mark.line + 1
                if at is not None and isinstance(k, yaml.ScalarNode):
                    at.setdefault((k.start_mark.line, k.start_mark.column), (*path, key))
                children.append((v, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            children = [(v, (*path, i)) for i, v in enumerate(node.value)]
        stack.extend(reversed(children))  # visited in document order: an anchor before its aliases


def parse_yaml(text: str, file: str | Path | None = None) -> tuple[Any, dict[PathKey, int]]:
    """Parse YAML text safely; returns (data, line map)."""
    at: dict[tuple[int, int], PathKey] = {}
    try:
        loader = _Loader(text)
        try:  # parse once: the node tree gives the lines, then the data
            node = loader.get_single_node()
            lines: dict[PathKey, int] = {}
            data = None
            if node is not None:
                _line_map(node, lines, at)
                data = loader.construct_document(node)
        finally:
            loader.dispose()
    except _TooManyNodes:
        raise InputError(file, f"more than {MAX_NODES:,} YAML nodes once aliases are expanded; "
                         "a scenario has a few hundred") from None
    except RecursionError:
        raise InputError(file, f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)") from None
    except _DuplicateKey as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        raise InputError(file, exc.problem or "duplicate key", line=line, field=str(exc.key)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        if problem.startswith("could not determine a constructor for the tag"):
            tag = problem.rsplit(" ", 1)[-1].replace("tag:yaml.org,2002:", "!!")
            raise InputError(file, f"YAML tag {tag} is not allowed: scenario files hold plain "
                             "data only (no Python objects)", line=line) from None
        if isinstance(exc, yaml.constructor.ConstructorError) and exc.context is None:
            path = at.get((mark.line, mark.column)) if mark is not None else None
            field = ".".join(str(p) for p in path) if path else None
            raise InputError(file, problem, line=line, field=field) from None  # a value this loader refuses
        if exc.context and exc.context_mark is not None and mark is not exc.context_mark:
            problem = f"{exc.context} (line {exc.context_mark.line + 1}): {problem}"
        raise InputError(file, f"malformed YAML: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(file, f"malformed YAML: {_short_text(str(exc), 200)}") from None
    except (ValueError, OverflowError, TypeError, ArithmeticError) as exc:  # a constructor's own
        raise InputError(file, f"cannot read the YAML: {_short_text(str(exc), 200)}") from None
    return data, lines


def read_yaml(path: str | Path) -> tuple[Any, dict[PathKey, int]]:
    """Read a YAML file: size-limited, UTF-8 only, safe, duplicate keys rejected."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError(p, "file not found") from None
    except OSError as exc:
        raise InputError(p, f"cannot read file: {exc.strerror}") from None
    if not p.is_file():
        raise InputError(p, "not a file")
    if size > MAX_BYTES:
        raise InputError(p, f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(p, f"cannot read file: {exc.strerror}") from None
    return parse_yaml(decode_utf8(raw, p), p)


def decode_utf8(raw: bytes, file: str | Path | None = None) -> str:
    """``raw`` as UTF-8 text, else ``InputError`` naming the line and the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(file, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", line=line) from None


def read_json(path: str | Path, what: str, field: str | None = None) -> Any:
    """Read a JSON file the tool wrote (a posterior, a study manifest or plan, a checkpoint).

    Every failure is an ``InputError`` naming the file (and ``field``, and the line where the JSON
    breaks): missing, a folder, unreadable, not UTF-8, malformed, nested too deeply for the parser,
    or holding a number Python refuses to read (more than 4,300 digits). ``NaN`` and ``Infinity``
    are read as Python writes them; each reader checks its own values.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(p, f"no such {what}", field=field) from None
    except IsADirectoryError:
        raise InputError(p, f"is a folder, not a {what}", field=field) from None
    except OSError as exc:
        raise InputError(p, f"cannot read the {what} ({exc.strerror})", field=field) from None
    try:
        text = decode_utf8(raw, p)
    except InputError as exc:
        raise InputError(p, f"not a JSON {what}: {exc.message}", exc.line, field) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(p, f"not a JSON {what} ({exc.msg}, column {exc.colno})", exc.lineno, field) from None
    except RecursionError:
        raise InputError(p, f"not a {what}: the JSON is nested too deeply", field=field) from None
    except ValueError as exc:  # an integer of more than 4,300 digits: Python will not read it
        long = re.search(rf"\d{{{sys.get_int_max_str_digits() + 1},}}", text)
        if long is None:
            raise InputError(p, f"not a {what}: {_short_text(str(exc), 120)}", field=field) from None
        raise InputError(p, f"not a {what}: a number of {len(long[0]):,} digits is too large to read",
                         text.count("\n", 0, long.start()) + 1, field) from None


def line_for(lines: dict[PathKey, int], loc: tuple[Any, ...]) -> tuple[int | None, PathKey]:
    """Best line for a validation error location: the deepest key path present in the file."""
    path: PathKey = ()
    best = lines.get(())
    for part in loc:
        if (*path, part) in lines:
            path = (*path, part)
            best = lines[path]
    return best, path
