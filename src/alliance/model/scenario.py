"""The Scenario schema: a frozen, validated scenario (pydantic v2, unknown keys rejected).

Reading files (``extends``, errors located by file and line) is in ``scenario_files.py``; the
``--set path=value`` syntax in ``assignments.py``. The actor blocks of the schema are generated from the parameter registry (``parameters.py``), so
each parameter's range, unit and provenance are stated once and the schema, the JSON Schema
(``alliance schema``) and ``docs/scenarios.md`` follow from them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
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

Domain = Literal[DOMAINS]  # type: ignore[valid-type]  # the six domains, named once in parameters.DOMAINS
NAME_RE = r"^[a-z][a-z0-9_]{0,63}$"
MAX_HORIZON = 600


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


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
        globals()[sub.__name__] = sub  # importable by name, so a Scenario pickles (worker processes, Dask)
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
        declared = TRAJECTORY_OUTCOMES[self.outcome]
        for side, bound in (("above", self.above), ("below", self.below)):
            if bound is None:
                continue
            if not math.isfinite(bound):
                raise ValueError(f"{side!r} must be a finite number, not {bound}")
            if not declared.low <= bound <= declared.high:
                never = (side == "above") == (bound > declared.high)
                raise ValueError(
                    f"{side!r} {bound:g} is outside {self.outcome}'s range [{declared.low:g}, {declared.high:g}]: "
                    f"the condition would {'never fire' if never else 'hold from the first month'}")
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
        """Actor role → display name (the scenario's, or the default: Kazakhstan, NATO, Russia)."""
        return {a: getattr(self.actors, a).name or DEFAULT_NAMES[a] for a in ACTORS}

    def with_params(self, updates: Mapping[str, float]) -> "Scenario":
        """A new, re-validated scenario with parameters (dotted names) or top-level keys set."""
        data = self.model_dump(exclude_none=True)
        problems = [msg for name, value in updates.items()
                    if name not in ("horizon_months", "replications", "seed")
                    and (msg := check_value(name, float(value)))]
        if problems:  # every out-of-range value at once, not the first
            raise ValueError("; also ".join(problems))
        for name, value in updates.items():
            if name in ("horizon_months", "replications", "seed"):
                data[name] = int(value)
                continue
            parts = name.split(".")
            node = data.setdefault("actors", {}).setdefault(parts[0], {})
            for part in parts[1:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = value
        return Scenario.model_validate(data)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file, for editors."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "alliance-balancing scenario"
    return schema


__all__ = ["DOMAINS", "MAX_HORIZON", "NAME_RE", "Scenario", "json_schema"]
