"""Seeded mutants of the shipped scenario and episode files, structural and byte-level.

``mutant(rng)`` returns (file name, bytes, mutation class). Structural mutants parse a shipped file,
change one node (a value replaced by a hostile one, a key dropped or misspelt, ``extends`` pointed
at a pattern, a number made non-finite or huge, an ``uncertainties:`` distribution that samples
outside the parameter's range) and write YAML again; byte-level mutants flip, insert, delete or
truncate bytes, or splice in hostile YAML tokens. Shared by tests/fuzz and benchmarks/fuzz.py.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


def sources() -> list[Path]:
    """Every shipped scenario and episode file."""
    return sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "episodes").glob("*.yaml"))


HUGE_INT = "9" * 5000
HOSTILE_VALUES: list[Any] = [
    None, True, False, 0, -1, 1, 2**53 + 1, 10**30, -(10**30), 0.5, -0.5, 1e300, -1e300, 1e-300,
    float("nan"), float("inf"), float("-inf"), "", "x", "nan", "inf", "1e999", "0x10", "1_000",
    "∞", "NaN", "\x00", "a" * 5000, [], [1, 2], {}, {"a": 1}, "*", "**/*.yaml", "/etc/passwd",
    "../../../../etc/hosts", "baseline", "energy_support_uncertain", "ipap", "military",
]
EXTENDS_VALUES: list[Any] = [
    "*", "**", "**/*.yaml", "*.yaml", "/*.yaml", "/tmp/*", "/etc/*/*.yaml", "base*", "[ab]aseline",
    "baseline?", "a\x00b", "x" * 300, "x" * 5000, "/" + "y" * 5000 + ".yaml", 3, 3.5, True, False,
    [], ["baseline"], {"name": "baseline"}, "", ".", "..", "/", "/etc/passwd", "/etc/hosts.yaml",
    "../baseline", "baseline.yaml", "nonexistent_name", "episodes", "~/x.yaml", "\\\\server\\x",
]
TOKENS: list[bytes] = [
    b"\x00", b"\xff\xfe", b"\xe2\x80", b"!!int abc", b"!!float x", b"!!python/object:os.system",
    b"!!binary AAAA", b"!!timestamp 2001-99-99", b".nan", b".inf", b"-.inf", b"1e999", b"-1e999",
    HUGE_INT.encode(), b"-" + HUGE_INT.encode(), b"0x" + b"f" * 4000, b"&a [*a, *a]", b"*undefined",
    b"{", b"}", b"[", b"]", b": :", b"\t", b"? ", b"- ", b"%YAML 9.9\n", b"---\n", b"...\n",
    b"extends: '*'\n", b"extends: '**/*.yaml'\n", b"extends: /etc/*\n", b"extends: 12\n",
    b"extends: [a, b]\n", b"extends: true\n", b"extends: \"a\\0b\"\n", b"seed: " + HUGE_INT.encode() + b"\n",
    b"seed: 9007199254740993\n", b"horizon_months: .nan\n", b"replications: 1e9\n",
    b"'\\u0000'", b"\"\\x00\"", b"0o777", b"0b101", b"+.5", b"1_0", b"1__0",
]
NUMERIC_PATHS = [  # dotted fields whose number is read somewhere
    ("expected", "lag_months", 0), ("expected", "lag_months", 1), ("expected", "window_months"),
    ("expected", "trigger_month"), ("horizon_months",), ("replications",), ("seed",),
]


def _walk(node: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _walk(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _walk(v, (*path, i))
    return out


def _set(data: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    node = data
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    return data


def _get(data: Any, path: tuple) -> Any:
    for p in path:
        data = data[p]
    return data


def _dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def _hostile(rng: random.Random) -> Any:
    return rng.choice(HOSTILE_VALUES)


def _structural(data: Any, rng: random.Random) -> tuple[bytes, str]:
    paths = [p for p in _walk(data) if p]
    kind = rng.choice(["value", "value", "drop", "misspell", "extends", "number", "uncertain",
                       "when", "duplicate_event", "params", "huge_int_text"])
    if kind == "value" and paths:
        data = _set(data, rng.choice(paths), _hostile(rng))
    elif kind == "drop" and paths:
        p = rng.choice(paths)
        parent = _get(data, p[:-1])
        del parent[p[-1]]
    elif kind == "misspell" and paths:
        p = rng.choice([q for q in paths if isinstance(q[-1], str)] or paths)
        parent = _get(data, p[:-1])
        if isinstance(parent, dict):
            parent[str(p[-1]) + rng.choice(["_", "s", "x"])] = parent.pop(p[-1])
    elif kind == "extends":
        data["extends"] = rng.choice(EXTENDS_VALUES)
    elif kind == "number":
        value = rng.choice([float("nan"), float("inf"), float("-inf"), 1e300, -1e300, 2**53 + 1,
                            10**40, -(10**40), 2**63, -1, 0])
        nums = [p for p in paths if isinstance(_get(data, p), (int, float))
                and not isinstance(_get(data, p), bool)]
        cands = [p for p in NUMERIC_PATHS if _has(data, p)] + nums
        if cands:
            data = _set(data, rng.choice(cands), value)
    elif kind == "uncertain":
        name = rng.choice(["hegemon.noise_sd", "hegemon.threshold.economic", "balancer.risk_aversion",
                           "balancer.export_share_via_russia", "hegemon.sensitivity.energy"])
        dist = rng.choice([
            {"dist": "normal", "mean": 1e300, "sd": 1},
            {"dist": "normal", "mean": 0.5, "sd": 1e300},
            {"dist": "normal", "mean": float("nan"), "sd": 0.1},
            {"dist": "normal", "mean": 5.0, "sd": 0.1},
            {"dist": "normal", "mean": 0.05, "sd": 0.02, "low": -1e300, "high": 1e300},
            {"dist": "uniform", "low": -1e300, "high": 1e300},
            {"dist": "uniform", "low": float("-inf"), "high": 0.5},
            {"dist": "triangular", "low": 0.1, "mode": float("nan"), "high": 0.9},
            {"dist": "choice", "values": [0.1, float("inf")]},
            {"dist": "choice", "values": [0.1, 0.2], "weights": [1e308, 1e308]},
            [0.1, float("nan")],
        ])
        data.setdefault("uncertainties", {})
        if not isinstance(data["uncertainties"], dict):
            data["uncertainties"] = {}
        data["uncertainties"][name] = dist
    elif kind == "when":
        ev = {"kind": "harden", "amount": 0.1,
              "when": {"outcome": rng.choice(["threat", "welfare", "escalation"]),
                       rng.choice(["above", "below"]): rng.choice(
                           [float("nan"), float("inf"), 1e308, "nan", HUGE_INT[:50]]),
                       "after_month": rng.choice([0, float("nan"), 2**70])}}
        data.setdefault("events", [])
        if isinstance(data["events"], list):
            data["events"].append(ev)
    elif kind == "duplicate_event" and isinstance(data.get("events"), list) and data["events"]:
        data["events"] = data["events"] * rng.choice([2, 50])
    elif kind == "params":
        actor = rng.choice(["balancer", "partner", "hegemon"])
        data.setdefault("actors", {})
        if isinstance(data["actors"], dict):
            block = data["actors"].setdefault(actor, {})
            if isinstance(block, dict):
                block[rng.choice(["risk_aversion", "noise_sd", "threshold", "initial", "ceiling"])] = \
                    _hostile(rng)
    elif kind == "huge_int_text":
        text = _dump(data)
        return text.replace(b"36", HUGE_INT.encode(), 1) + b"\nseed: " + HUGE_INT.encode() + b"\n", kind
    return _dump(data), f"structural:{kind}"


def _has(data: Any, path: tuple) -> bool:
    try:
        _get(data, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def _bytes(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    b = bytearray(raw)
    kind = rng.choice(["flip", "insert", "delete", "truncate", "token", "token", "line_swap"])
    n = len(b)
    if kind == "flip" and n:
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(n)
            b[i] = rng.randrange(256)
    elif kind == "insert":
        i = rng.randrange(n + 1)
        b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    elif kind == "delete" and n:
        i = rng.randrange(n)
        del b[i:i + rng.randint(1, 64)]
    elif kind == "truncate":
        b = b[: rng.randrange(n + 1)]
    elif kind == "token":
        tok = rng.choice(TOKENS)
        lines = bytes(b).split(b"\n")
        j = rng.randrange(len(lines))
        line = lines[j]
        if b":" in line and rng.random() < 0.7:  # replace a value
            head = line.split(b":", 1)[0]
            lines[j] = head + b": " + tok
        else:
            lines.insert(j, tok)
        b = bytearray(b"\n".join(lines))
    elif kind == "line_swap":
        lines = bytes(b).split(b"\n")
        if len(lines) > 2:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        b = bytearray(b"\n".join(lines))
    return bytes(b), f"bytes:{kind}"


_CACHE: dict[Path, tuple[bytes, Any]] = {}


def _source(path: Path) -> tuple[bytes, Any]:
    if path not in _CACHE:
        raw = path.read_bytes()
        _CACHE[path] = (raw, yaml.safe_load(raw))
    return _CACHE[path]


def mutant(rng: random.Random) -> tuple[str, bytes, str]:
    """One mutant: (file name to write it under, its bytes, its mutation class)."""
    src = rng.choice(sources())
    raw, parsed = _source(src)
    if rng.random() < 0.5:
        data = copy.deepcopy(parsed)
        try:
            out, kind = _structural(data, rng)
        except (ValueError, OverflowError):  # yaml cannot dump some values: fall back to bytes
            out, kind = _bytes(raw, rng)
    else:
        out, kind = _bytes(raw, rng)
    return src.name, out, kind
