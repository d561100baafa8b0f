"""The ``uncertainties:`` and ``sweep:`` blocks of a scenario: parameter ranges for studies.

An ``uncertainties:`` block states what the analyst does not know as distributions over model
parameters (dotted names from ``parameters.PARAMS``); the samplers (``analysis/sampling.py``), the
sensitivity analysis and the app's sliders all read their ranges from it. A ``sweep:`` block lists
the values of a full-factorial grid. Example::

    uncertainties:
      hegemon.threshold.economic: {dist: uniform, low: 0.6, high: 0.8}
      balancer.export_share_via_russia: {dist: triangular, low: 0.5, mode: 0.75, high: 0.9}
      hegemon.noise_sd: {dist: normal, mean: 0.05, sd: 0.02, low: 0.0, high: 0.15}
      partner.patience_months: {dist: choice, values: [3, 6, 12], weights: [1, 2, 1]}
      hegemon.long_measure_probability: [0.2, 0.35, 0.5]     # a value list: equally likely
    sweep:
      balancer.risk_aversion: [0.5, 1.5, 3.0]
      hegemon.hardening: {low: -0.2, high: 0.2, steps: 5}

Every value a distribution can produce must lie inside the parameter's [low, high]; an interval
given in reverse, an unknown distribution, a parameter named twice or unknown is rejected. Integer
parameters (months) drawn from a continuous distribution are rounded to the nearest whole number.
This module is pure data and validation: no sampling; a truncated normal is probed with scipy
only to check that the sampler can draw from it.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from .parameters import PARAMS, check_value, cross_check

DISTRIBUTIONS: tuple[str, ...] = ("uniform", "normal", "triangular", "choice")
"""Distribution names accepted in ``dist:`` (``normal`` is truncated to [low, high])."""

MAX_SWEEP_POINTS = 1_000_000
"""Largest full-factorial grid a ``sweep:`` block may describe."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _param(name: str) -> Any:
    p = PARAMS.get(name)
    if p is None:
        raise ValueError(f"unknown parameter {name!r} (see `alliance params`)")
    return p


def _inside(name: str, value: float, what: str) -> None:
    p = _param(name)
    if not (p.low <= value <= p.high):
        raise ValueError(f"{what} {value:g} is outside the range of {name}, "
                         f"[{p.low:g}, {p.high:g}] ({p.unit})")


class Uniform(_Strict):
    """Uniform on [low, high]."""

    dist: Literal["uniform"]
    low: float = Field(description="lower bound (inside the parameter's range)")
    high: float = Field(description="upper bound (inside the parameter's range), above low")

    @model_validator(mode="after")
    def _order(self) -> "Uniform":
        if not self.low < self.high:
            raise ValueError(f"bounds reversed or empty: low {self.low:g} must be below high {self.high:g}")
        return self

    def support(self) -> tuple[float, float]:
        """The interval (low, high) the distribution's values lie in."""
        return (self.low, self.high)


class TruncNormal(_Strict):
    """Normal(mean, sd) truncated to [low, high] (default: the parameter's whole range)."""

    dist: Literal["normal"]
    mean: float = Field(description="mean before truncation")
    sd: float = Field(gt=0, description="standard deviation before truncation (> 0)")
    low: float | None = Field(None, description="truncation below (default: the parameter's low)")
    high: float | None = Field(None, description="truncation above (default: the parameter's high)")

    @model_validator(mode="after")
    def _order(self) -> "TruncNormal":
        if not (math.isfinite(self.mean) and math.isfinite(self.sd)):
            raise ValueError("mean and sd must be finite numbers")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"bounds reversed or empty: low {self.low:g} must be below high {self.high:g}")
        return self

    def support(self) -> tuple[float, float]:
        """The interval (low, high) the distribution's values lie in."""
        # low/high are filled in from the parameter by Uncertainties._check
        return (float(self.low if self.low is not None else -math.inf),
                float(self.high if self.high is not None else math.inf))


class Triangular(_Strict):
    """Triangular on [low, high] with its peak at ``mode``."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _order(self) -> "Triangular":
        if not self.low < self.high:
            raise ValueError(f"bounds reversed or empty: low {self.low:g} must be below high {self.high:g}")
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"mode {self.mode:g} must lie between low {self.low:g} and high {self.high:g}")
        return self

    def support(self) -> tuple[float, float]:
        """The interval (low, high) the distribution's values lie in."""
        return (self.low, self.high)


class Choice(_Strict):
    """One of ``values``, with probabilities proportional to ``weights`` (default: equal)."""

    dist: Literal["choice"]
    values: list[float] = Field(min_length=1, max_length=10_000)
    weights: list[float] | None = Field(None, description="relative probabilities, one per value")

    @model_validator(mode="after")
    def _weights(self) -> "Choice":
        if len(set(self.values)) != len(self.values):
            raise ValueError("values must be distinct")
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(f"{len(self.weights)} weights for {len(self.values)} values")
            if any(w < 0 or not math.isfinite(w) for w in self.weights) or sum(self.weights) <= 0:
                raise ValueError("weights must be non-negative and not all zero")
        return self

    def support(self) -> tuple[float, float]:
        """The interval (low, high) the distribution's values lie in."""
        return (min(self.values), max(self.values))

    def probabilities(self) -> list[float]:
        """Each value's probability: the weights normalised (equal without weights)."""
        w = self.weights or [1.0] * len(self.values)
        total = float(sum(w))
        return [x / total for x in w]


_KINDS: dict[str, type[BaseModel]] = {
    "uniform": Uniform, "normal": TruncNormal, "triangular": Triangular, "choice": Choice,
}


def _first(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(x) for x in err.get("loc", ()))
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    if err.get("type") == "extra_forbidden":
        msg = f"unknown key {loc!r} (misspelt?)"
    elif loc:
        msg = f"{loc}: {msg}"
    return msg


def _dispatch(value: Any) -> Any:
    """Build the distribution named by ``dist:``; a bare list is an equally likely choice."""
    if isinstance(value, BaseModel):
        return value
    if isinstance(value, (list, tuple)):
        value = {"dist": "choice", "values": list(value)}
    if not isinstance(value, dict):
        raise ValueError("expected a mapping with 'dist:' or a list of values")
    dist = value.get("dist")
    if dist is None:
        raise ValueError(f"give 'dist:' (one of {', '.join(DISTRIBUTIONS)}) or a list of values")
    kind = _KINDS.get(dist) if isinstance(dist, str) else None
    if kind is None:
        raise ValueError(f"unknown distribution {dist!r}; known: {', '.join(DISTRIBUTIONS)}")
    try:
        return kind.model_validate(value)
    except ValidationError as exc:
        raise ValueError(f"{dist}: {_first(exc)}") from None


Uncertainty = Annotated[
    Uniform | TruncNormal | Triangular | Choice,
    BeforeValidator(_dispatch, json_schema_input_type=Uniform | TruncNormal | Triangular | Choice | list[float]),
]
"""One parameter's distribution (or a list of values, read as an equally likely choice)."""


PROBES = (0.0, 1e-9, 1e-3, 0.1, 0.25, 0.5, 0.75, 0.9, 1 - 1e-3, 1 - 1e-9, 1.0)
"""Quantiles at which a truncated normal is evaluated when a scenario is checked."""


def _check_truncnorm(name: str, u: "TruncNormal") -> None:
    """Refuse a truncated normal the sampler cannot draw from: its inverse CDF at ``PROBES`` must be
    finite, inside [low, high] and increasing (``mean: 1e300`` with ``sd: 1`` gives NaN; an ``sd``
    of 1e300 gives values far outside the bounds)."""
    from scipy import stats  # only scenarios with a normal pay for the import

    lo, hi = float(u.low), float(u.high)  # type: ignore[arg-type]
    a, b = (lo - u.mean) / u.sd, (hi - u.mean) / u.sd
    with np.errstate(all="ignore"):
        q = stats.truncnorm.ppf(np.asarray(PROBES), a, b, loc=u.mean, scale=u.sd)
    span = hi - lo
    tol = 1e-9 * span
    if (not np.all(np.isfinite(q)) or np.any(q < lo - tol) or np.any(q > hi + tol)
            or np.any(np.diff(q) < -tol)):
        raise ValueError(f"{name}: normal(mean {u.mean:g}, sd {u.sd:g}) truncated to [{lo:g}, {hi:g}] "
                         "cannot be sampled: its quantiles are not finite numbers inside the bounds; "
                         "put the mean near the bounds and the sd on their scale")


def check_uncertainties(block: dict[str, Any]) -> dict[str, Any]:
    """Check names and supports against the registry; fill a truncated normal's default bounds."""
    out: dict[str, Any] = {}
    for name, u in block.items():
        p = _param(name)
        if isinstance(u, TruncNormal):
            low = p.low if u.low is None else u.low
            high = p.high if u.high is None else u.high
            if not low < high:
                raise ValueError(f"{name}: bounds reversed or empty: low {low:g} must be below high {high:g}")
            u = u.model_copy(update={"low": low, "high": high})
            _check_truncnorm(name, u)
        if isinstance(u, Choice):
            for v in u.values:
                msg = check_value(name, float(v))
                if msg:
                    raise ValueError(msg)
        else:
            lo, hi = u.support()
            _inside(name, lo, "low")
            _inside(name, hi, "high")
            if p.integer and math.ceil(lo) > math.floor(hi):
                raise ValueError(f"{name} is a whole number of {p.unit}; [{lo:g}, {hi:g}] holds none")
        out[name] = u
    return out


class SweepRange(_Strict):
    """``steps`` evenly spaced values from ``low`` to ``high`` inclusive."""

    low: float
    high: float
    steps: int = Field(ge=2, le=10_000)

    @model_validator(mode="after")
    def _order(self) -> "SweepRange":
        if not self.low < self.high:
            raise ValueError(f"bounds reversed or empty: low {self.low:g} must be below high {self.high:g}")
        return self

    def values(self) -> list[float]:
        """The ``steps`` evenly spaced values from low to high, both included."""
        step = (self.high - self.low) / (self.steps - 1)
        return [self.low + i * step for i in range(self.steps - 1)] + [self.high]


def _sweep_item(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        if not value:
            raise ValueError("a sweep needs at least one value")
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in value):
            raise ValueError("sweep values must be numbers")
        return [float(x) for x in value]
    if isinstance(value, dict):
        if "dist" in value:
            raise ValueError("a sweep takes a list of values or {low, high, steps}; "
                             "distributions belong in 'uncertainties:'")
        try:
            return SweepRange.model_validate(value)
        except ValidationError as exc:
            raise ValueError(_first(exc)) from None
    if isinstance(value, SweepRange):
        return value
    raise ValueError("a sweep takes a list of values or {low, high, steps}")


SweepItem = Annotated[list[float] | SweepRange, BeforeValidator(_sweep_item)]


def sweep_values(block: dict[str, Any]) -> dict[str, list[float]]:
    """Each swept parameter's list of values, in the order given."""
    return {k: (v.values() if isinstance(v, SweepRange) else [float(x) for x in v])
            for k, v in block.items()}


def check_sweep(block: dict[str, Any]) -> dict[str, Any]:
    """Check names, values against each parameter's range, duplicates and the grid's size."""
    size = 1
    for name, vals in sweep_values(block).items():
        p = _param(name)
        if len(set(vals)) != len(vals):
            raise ValueError(f"{name}: values must be distinct")
        for v in vals:
            msg = check_value(name, v)
            if msg:
                raise ValueError(msg)
        if p.integer and isinstance(block[name], SweepRange):
            raise ValueError(f"{name} is a whole number of {p.unit}: list its values instead of steps")
        size *= len(vals)
    if size > MAX_SWEEP_POINTS:
        raise ValueError(f"the sweep's grid has {size:,} points; the limit is {MAX_SWEEP_POINTS:,}")
    return block


Uncertainties = Annotated[dict[str, Uncertainty], AfterValidator(check_uncertainties)]
"""Type of the ``uncertainties:`` block (parameter name → distribution)."""

Sweep = Annotated[dict[str, SweepItem], AfterValidator(check_sweep)]
"""Type of the ``sweep:`` block (parameter name → values)."""


def range_errors(values: dict[str, float], uncertainties: dict[str, Any] | None,
                 sweep: dict[str, Any] | None) -> list[str]:
    """Cross-field problems a scenario's ranges are sure to cause.

    A parameter may not be both uncertain and swept. Each varied parameter is also moved alone to
    the ends of its range (others at the scenario's values): a range that crosses a fixed bound
    (e.g. ``hegemon.threshold.economic`` reaching below the diplomatic threshold) is reported here,
    at load time. Combinations of several varied parameters are checked sample by sample when a
    study is drawn (``analysis.sampling``).
    """
    errors: list[str] = []
    unc = uncertainties or {}
    swp = sweep_values(sweep or {})
    for name in sorted(set(unc) & set(swp)):
        errors.append(f"{name} is both in 'uncertainties:' and in 'sweep:'; keep one")
    ends: dict[str, tuple[float, ...]] = {k: u.support() for k, u in unc.items()}
    ends.update({k: (min(v), max(v)) for k, v in swp.items()})
    for name, pair in ends.items():
        for end in pair:
            trial = dict(values)
            trial[name] = float(end)
            msgs = cross_check(trial)
            if msgs:
                block = "sweep" if name in swp else "uncertainties"
                errors.append(f"{block}: {name} reaches {end:g}, where {msgs[0]}")
                break
    return errors


__all__ = [
    "DISTRIBUTIONS",
    "Choice",
    "Sweep",
    "SweepItem",
    "SweepRange",
    "Triangular",
    "TruncNormal",
    "Uncertainties",
    "Uncertainty",
    "Uniform",
    "check_sweep",
    "check_uncertainties",
    "range_errors",
    "sweep_values",
]
