"""YAML → frozen, validated Scenario (pydantic v2, unknown keys rejected).

The actor blocks of the schema are generated from the parameter registry (``parameters.py``), so
each parameter's range, unit and provenance are stated once and the schema, the JSON Schema
(``alliance schema``) and ``docs/scenarios.md`` follow from them.

A scenario may ``extends:`` another (a shipped name or a path relative to its own folder): mappings
are merged key by key, the child's ``events`` are appended to the parent's, and every other value
in the child replaces the parent's.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from .expected import Expected, check_against
from .outcomes import TRAJECTORY_OUTCOMES
from .parameters import (
    ACTORS,
    DEFAULT_NAMES,
    DOMAINS,
    INTEGRATION_LEVELS,
    LEVEL_PARAMS,
    PARAMS,
    check_value,
    cross_check,
    defaults,
    integration_level,
)
from .uncertainty import Sweep, Uncertainties, range_errors
from .yamlio import InputError, line_for, read_yaml

Domain = Literal[
    "humanitarian", "peacekeeping", "energy", "military_technical", "basing", "integration"
]
NAME_RE = r"^[a-z][a-z0-9_]{0,63}$"
MAX_HORIZON = 600


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------ named integration levels
def _accept_level_names(schema: dict[str, Any]) -> None:
    """JSON Schema hook: a number field that may also be written as a named integration level."""
    names = {"type": "string", "enum": list(INTEGRATION_LEVELS),
             "description": "a named level of the integration scale"}
    if "anyOf" in schema:
        schema["anyOf"].insert(-1, names)
    else:
        number = {k: schema.pop(k) for k in ("type", "minimum", "maximum") if k in schema}
        schema["anyOf"] = [number, names]


def resolve_integration_levels(data: Any) -> Any:
    """Raw scenario data with every named integration level replaced by its number.

    Names are accepted where a value sits on the integration scale: the actor parameters in
    ``LEVEL_PARAMS`` (``initial: {integration: ipap}``, ``red_line``, ``economic_line``, ``ceiling``,
    ``offer``), an event's ``level`` in the ``integration`` domain, and a ``set`` event's ``value``
    for one of those parameters. Raises ``ValueError`` naming the field, with a "did you mean".
    """
    if not isinstance(data, dict):
        return data
    out = dict(data)

    def level(where: str, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return integration_level(value)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None

    actors = out.get("actors")
    if isinstance(actors, dict):
        actors = out["actors"] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in actors.items()}
        for name in LEVEL_PARAMS:
            actor, group, domain = name.split(".")
            block = actors.get(actor)
            if isinstance(block, dict) and isinstance(block.get(group), dict) and domain in block[group]:
                block[group] = {**block[group], domain: level(name, block[group][domain])}
    events = out.get("events")
    if isinstance(events, list):
        out["events"] = events = [dict(ev) if isinstance(ev, dict) else ev for ev in events]
        for i, ev in enumerate(events):
            if not isinstance(ev, dict):
                continue
            if isinstance(ev.get("level"), str):
                if ev.get("domain") != "integration":
                    raise ValueError(f"events[{i}].level: {ev['level']!r} is a named integration level; "
                                     f"in domain {ev.get('domain')!r} give a number (share, 0 to 1)")
                ev["level"] = level(f"events[{i}].level", ev["level"])
            if ev.get("kind") == "set" and isinstance(ev.get("value"), str):
                if ev.get("param") not in LEVEL_PARAMS:
                    raise ValueError(f"events[{i}].value: {ev['value']!r} is a named integration level; "
                                     f"{ev.get('param')} takes a number")
                ev["value"] = level(f"events[{i}].value", ev["value"])
    return out


# ------------------------------------------------------------------ actor blocks from the registry
def _field(name: str) -> Any:
    p = PARAMS[name]
    typ: Any = int if p.integer else float
    return (
        typ | None,
        Field(None, ge=p.low, le=p.high,
              description=f"{p.description}. Unit: {p.unit}; range [{p.low}, {p.high}]; "
                          f"default {p.default}. Provenance: {p.provenance}",
              json_schema_extra=_accept_level_names if name in LEVEL_PARAMS else None),
    )


def _actor_model(actor: str) -> type[BaseModel]:
    scalars: dict[str, Any] = {}
    groups: dict[str, list[str]] = {}
    for name, p in PARAMS.items():
        if p.actor != actor:
            continue
        rest = name.split(".", 1)[1]
        if p.domain is not None:
            groups.setdefault(rest.rsplit(".", 1)[0], []).append(name)
        elif "." in rest:
            head = rest.split(".", 1)[0]
            groups.setdefault(head, []).append(name)
        else:
            scalars[rest] = _field(name)
    fields: dict[str, Any] = {
        "name": (str | None, Field(None, min_length=1, max_length=60,
                                   description=f"display name (default {DEFAULT_NAMES[actor]})")),
        **scalars,
    }
    for group, names in groups.items():
        sub = create_model(  # type: ignore[call-overload]
            f"{actor.title()}{group.title().replace('_', '')}",
            __base__=_Strict,
            **{n.rsplit(".", 1)[1]: _field(n) for n in names},
        )
        fields[group] = (sub | None, Field(None, description=f"{actor}.{group}.*"))
    return create_model(f"{actor.title()}Params", __base__=_Strict, **fields)  # type: ignore[call-overload]


BalancerParams = _actor_model("balancer")
PartnerParams = _actor_model("partner")
HegemonParams = _actor_model("hegemon")


class Actors(_Strict):
    balancer: BalancerParams = Field(default_factory=BalancerParams)  # type: ignore[valid-type]
    partner: PartnerParams = Field(default_factory=PartnerParams)  # type: ignore[valid-type]
    hegemon: HegemonParams = Field(default_factory=HegemonParams)  # type: ignore[valid-type]


# ------------------------------------------------------------------ events
class Condition(_Strict):
    """Fire the event in each replication the first month this holds (on last month's state)."""

    outcome: str = Field(description="a trajectory outcome, e.g. threat, coop_energy, escalation")
    above: float | None = Field(None, description="fires when the outcome is at or above this")
    below: float | None = Field(None, description="fires when the outcome is at or below this")
    after_month: int = Field(0, ge=0, le=MAX_HORIZON, description="not before this month")

    @field_validator("outcome")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in TRAJECTORY_OUTCOMES:
            raise ValueError(f"unknown outcome {v!r}; known: {', '.join(TRAJECTORY_OUTCOMES)}")
        return v

    @model_validator(mode="after")
    def _one(self) -> "Condition":
        if (self.above is None) == (self.below is None):
            raise ValueError("give exactly one of 'above' or 'below'")
        return self


class _Event(_Strict):
    month: int | None = Field(None, ge=1, le=MAX_HORIZON, description="month it happens (1 = first)")
    when: Condition | None = Field(None, description="or: a condition checked every month")
    announce_months: int = Field(0, ge=0, le=24,
                                 description="months ahead the hegemon sees it coming (U1)")
    label: str = Field("", max_length=200, description="what happens, in words")

    @model_validator(mode="after")
    def _timing(self) -> "_Event":
        if (self.month is None) == (self.when is None):
            raise ValueError("give exactly one of 'month' or 'when'")
        if self.announce_months and self.month is None:
            raise ValueError("'announce_months' needs a fixed 'month'")
        if self.month is not None and self.announce_months >= self.month + 24:
            raise ValueError("announced too far ahead")
        return self


class RequestEvent(_Event):
    """The partner asks the balancer for cooperation ``level`` in ``domain``."""

    kind: Literal["request"]
    domain: Domain
    level: float = Field(ge=0.0, le=1.0, json_schema_extra=_accept_level_names,
                         description="cooperation asked for (share; a named level in integration)")
    intensity: float = Field(1.0, ge=0.0, le=1.0, description="how hard the partner pushes")


class ForceEvent(_Event):
    """The balancer is made to comply: cooperation in ``domain`` is held at least at ``level``."""

    kind: Literal["force"]
    domain: Domain
    level: float = Field(ge=0.0, le=1.0, json_schema_extra=_accept_level_names,
                         description="floor on cooperation (share; a named level in integration)")


class LoseAlternativeEvent(_Event):
    """The partner loses regional footholds (Uzbekistan 2005, the Kyrgyz base)."""

    kind: Literal["lose_alternative"]
    amount: float = Field(gt=0.0, le=1.0, description="share of footholds lost")


class HardenEvent(_Event):
    """The hegemon's posture hardens (positive) or softens (negative): thresholds shift down."""

    kind: Literal["harden"]
    amount: float = Field(ge=-0.5, le=0.5, description="shift subtracted from every threshold")


class SetEvent(_Event):
    """Any parameter changes to a new value."""

    kind: Literal["set"]
    param: str = Field(description="dotted parameter name, e.g. hegemon.threshold.economic")
    value: float = Field(json_schema_extra=_accept_level_names,
                         description="the new value (a named integration level for integration-scale parameters)")

    @model_validator(mode="after")
    def _param(self) -> "SetEvent":
        msg = check_value(self.param, self.value)
        if msg:
            raise ValueError(msg)
        return self


Event = Annotated[
    RequestEvent | ForceEvent | LoseAlternativeEvent | HardenEvent | SetEvent,
    Field(discriminator="kind"),
]


# ------------------------------------------------------------------ the scenario
class Scenario(_Strict):
    """A validated scenario. Build one with ``load_scenario`` or ``Scenario.model_validate``."""

    name: str = Field(pattern=NAME_RE, description="snake_case; equals the file stem")
    description: str = Field(min_length=10, max_length=4000,
                             description="the question the scenario asks")
    extends: str | None = Field(None, description="scenario this one builds on (name or path)")
    horizon_months: int = Field(36, ge=1, le=MAX_HORIZON, description="months simulated")
    replications: int = Field(1000, ge=1, le=1_000_000, description="replications per run")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="seed of the counter-based generator")
    actors: Actors = Field(default_factory=Actors)
    events: list[Event] = Field(default_factory=list)
    uncertainties: Uncertainties | None = Field(
        None, description="parameters stated as distributions or value lists, for studies "
                          "(alliance batch); see alliance.model.uncertainty")
    sweep: Sweep | None = Field(
        None, description="a full-factorial grid: parameter → list of values or {low, high, steps}")
    expected: Expected | None = Field(
        None, description="hindcast episodes only: what history says followed the trigger")

    @model_validator(mode="before")
    @classmethod
    def _named_levels(cls, data: Any) -> Any:
        return resolve_integration_levels(data)

    @model_validator(mode="after")
    def _cross(self) -> "Scenario":
        values = self.params()
        errors = cross_check(values)
        for i, ev in enumerate(self.events):
            if ev.month is not None and ev.month > self.horizon_months:
                errors.append(f"events[{i}].month: month {ev.month} is after the horizon "
                              f"(horizon_months = {self.horizon_months})")
            if isinstance(ev, ForceEvent):
                ceiling = values[f"balancer.ceiling.{ev.domain}"]
                if ev.level > ceiling:
                    errors.append(f"events[{i}].level: forced {ev.domain} level {ev.level} is above "
                                  f"balancer.ceiling.{ev.domain} = {ceiling}")
        if self.expected is not None:
            errors.extend(check_against(self.expected, self.events, self.horizon_months))
        if not errors and (self.uncertainties or self.sweep):
            errors.extend(range_errors(values, self.uncertainties, self.sweep))
        if errors:
            raise ValueError("; ".join(errors))
        return self

    # -- derived views ------------------------------------------------------------------
    def params(self) -> dict[str, float]:
        """Every parameter's value: defaults overridden by this scenario's actor blocks."""
        values = defaults()
        for actor in ACTORS:
            block = getattr(self.actors, actor).model_dump(exclude_none=True)
            block.pop("name", None)
            for key, val in block.items():
                if isinstance(val, dict):
                    for sub, v in val.items():
                        values[f"{actor}.{key}.{sub}"] = float(v)
                else:
                    values[f"{actor}.{key}"] = float(val)
        return values

    def names(self) -> dict[str, str]:
        return {a: getattr(self.actors, a).name or DEFAULT_NAMES[a] for a in ACTORS}

    def with_params(self, updates: Mapping[str, float]) -> "Scenario":
        """A new, re-validated scenario with parameters (dotted names) or top-level keys set."""
        data = self.model_dump(exclude_none=True)
        for name, value in updates.items():
            if name in ("horizon_months", "replications", "seed"):
                data[name] = int(value)
                continue
            msg = check_value(name, float(value))
            if msg:
                raise ValueError(msg)
            parts = name.split(".")
            node = data.setdefault("actors", {}).setdefault(parts[0], {})
            for part in parts[1:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = value
        return Scenario.model_validate(data)


# ------------------------------------------------------------------ loading
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


def resolve_path(ref: str | Path, base: Path | None = None) -> Path:
    """A scenario reference (file path or shipped name) → file path."""
    p = Path(ref)
    if p.suffix in (".yaml", ".yml"):
        if not p.is_absolute() and base is not None:
            p = base / p  # an 'extends:' path is relative to the extending file's folder
        return p
    if base is not None and (base / f"{ref}.yaml").exists():
        return base / f"{ref}.yaml"
    shipped = shipped_scenarios()
    if str(ref) in shipped:
        return shipped[str(ref)]
    for sub in scenarios_dir().rglob(f"{ref}.yaml"):
        return sub
    raise InputError(None, f"no scenario named {str(ref)!r}; shipped: {', '.join(shipped)}",
                     field="scenario")


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


Origins = dict[tuple[Any, ...], tuple[Path, int]]
"""Key path in the merged data → (file, line) it came from, across the ``extends`` chain."""


def _raw(path: Path, chain: tuple[Path, ...]) -> tuple[dict, Origins]:
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
        raise InputError(path, "'extends' must be a scenario name or file", line, "extends")
    try:
        parent_path = resolve_path(parent_ref, base=path.parent)
    except InputError as exc:
        raise InputError(path, exc.message, line, "extends") from None
    here = chain + (path.resolve(),)
    if parent_path.resolve() in here:
        names = " → ".join(p.name for p in here + (parent_path.resolve(),))
        raise InputError(path, f"cycle in 'extends': {names}", line, "extends")
    if not parent_path.is_file():
        raise InputError(path, f"no scenario file {str(parent_path)!r}", line, "extends")
    parent, parent_origins = _raw(parent_path, here)
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


def _first_error(exc: ValidationError, path: Path, origins: Origins) -> InputError:
    errors = exc.errors()
    # a misspelt key explains the errors it causes ("field required"): report it first
    err = next((e for e in errors if e.get("type") == "extra_forbidden"), errors[0])
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
        msg += f" (got {value!r})"
    more = len(errors) - 1
    if more:
        msg += f" (and {more} more error{'s' if more > 1 else ''})"
    if Path(file) != path:
        msg += f" (reached through 'extends' from {path})"
    return InputError(file, msg, line=line, field=field)


_KINDS = ("request", "force", "lose_alternative", "harden", "set")


def load_scenario(ref: str | Path, updates: Mapping[str, float] | None = None) -> Scenario:
    """Load and validate a scenario from a file path or a shipped name.

    Raises ``InputError`` naming the file, line and field on any problem.
    """
    path = resolve_path(ref)
    data, origins = _raw(path, ())
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc, path, origins) from None
    if updates:
        try:
            sc = sc.with_params(updates)
        except (ValueError, ValidationError) as exc:
            msg = str(exc)
            if isinstance(exc, ValidationError):
                err = exc.errors()[0]
                msg = str(err["msg"]).removeprefix("Value error, ")
                loc = ".".join(str(x) for x in err.get("loc", ()))
                if loc and not isinstance(err.get("input"), dict):
                    msg = f"{loc.removeprefix('actors.')} = {err.get('input')!r}: {msg}"
            raise InputError(path, msg, field="--set") from None
    return sc


def parse_assignments(items: list[str]) -> dict[str, float]:
    """``["hegemon.threshold.economic=0.6", …]`` → dict; raises InputError on bad syntax."""
    out: dict[str, float] = {}
    for item in items:
        if "=" not in item:
            raise InputError(None, f"--set expects path=value, got {item!r}", field="--set")
        key, _, raw = item.partition("=")
        key = key.strip()
        if key not in PARAMS and key not in ("horizon_months", "replications", "seed"):
            hint = (f"; did you mean {key.removeprefix('actors.')!r}?"
                    if key.removeprefix("actors.") in PARAMS else " (see `alliance params`)")
            raise InputError(None, f"unknown parameter {key!r}{hint}", field="--set")
        try:
            out[key] = float(raw)
        except ValueError:
            if key not in LEVEL_PARAMS:
                raise InputError(None, f"{key}: {raw!r} is not a number", field="--set") from None
            try:  # a named integration level
                out[key] = integration_level(raw)
            except ValueError as exc:
                raise InputError(None, f"{key}: {exc}", field="--set") from None
        if key in ("horizon_months", "replications", "seed") and not out[key].is_integer():
            raise InputError(None, f"{key}: {raw.strip()!r} must be a whole number", field="--set")
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file, for editors."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "alliance-balancing scenario"
    return schema


__all__ = [
    "DOMAINS", "Scenario", "load_scenario", "resolve_integration_levels", "parse_assignments", "json_schema",
    "shipped_scenarios", "scenarios_dir", "InputError",
]
