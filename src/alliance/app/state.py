"""The tuning app's logic, free of any UI: controls, validated edits, ensembles and replay.

``app.py`` only draws what this module computes. Everything a control shows (label, unit, range,
step, help text) is read from the parameter registry (``model/parameters.py``); nothing here
restates a default or a range. Data flows one way: base scenario + overrides → tuned ``Scenario``
→ one vectorised ``AllianceModel`` → arrays → figures (``app_figures.py``).
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from alliance.model import DOMAINS, PARAMS, TRAJECTORY_OUTCOMES, AllianceModel, Scenario
from alliance.model.ensemble import run_ensemble as run_model_ensemble
from alliance.model.parameters import Param, cross_check
from alliance.model.posterior import Posterior, load_posterior
from alliance.model.thresholds import effective_thresholds

MIN_REPLICATIONS = 10
MAX_REPLICATIONS = 5000
DEFAULT_REPLICATIONS = 1000
_OUT_INDEX = {name: i for i, name in enumerate(TRAJECTORY_OUTCOMES)}


# ------------------------------------------------------------------ controls from the registry
@dataclass(frozen=True)
class Control:
    """What one slider + number box shows, all read from a ``Param``."""

    name: str
    label: str
    unit: str
    low: float
    high: float
    step: float
    integer: bool
    help: str

    @classmethod
    def of(cls, p: Param) -> "Control":
        span = p.high - p.low
        step = 1.0 if p.integer else _nice_step(span / 100.0)
        leaf = p.name.rsplit(".", 1)[-1].replace("_", " ")
        return cls(
            name=p.name, label=f"{leaf} ({p.unit})", unit=p.unit, low=p.low, high=p.high,
            step=step, integer=p.integer,
            help=f"{p.description}. Range [{p.low:g}, {p.high:g}] {p.unit}. Source: {p.provenance}",
        )


def _nice_step(raw: float) -> float:
    """The largest of 1, 2, 5 × 10^k not above ``raw`` (slider resolution ≈ 1% of the range)."""
    exp = math.floor(math.log10(raw))
    for m in (5, 2, 1):
        if m * 10**exp <= raw + 1e-15:
            return float(m * 10**exp)
    return float(10**exp)  # pragma: no cover - unreachable


def group_of(name: str) -> str:
    """Control group of a parameter: the dotted prefix for grouped names, else the actor."""
    parts = name.split(".")
    return ".".join(parts[:-1]) if len(parts) > 2 else f"{parts[0]} (other)"


def control_groups() -> dict[str, list[Control]]:
    """Every tunable parameter's control, grouped; hegemon thresholds first."""
    groups: dict[str, list[Control]] = {}
    first = "hegemon.threshold"
    for p in PARAMS.values():
        if p.tunable and p.name != "hegemon.hardening":
            groups.setdefault(group_of(p.name), []).append(Control.of(p))
    groups[first].append(Control.of(PARAMS["hegemon.hardening"]))
    return {first: groups.pop(first), **groups}


# ------------------------------------------------------------------ validated edits
class EditRejected(ValueError):
    """A typed or dragged value that cannot be applied; the message says why."""


def parse_number(raw: Any, name: str) -> float:
    """A number box's text → float, or ``EditRejected`` with a message naming the parameter."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = float(raw)
    else:
        text = str(raw if raw is not None else "").strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise EditRejected(f"{name}: {str(raw)!r} is not a number") from None
    if not math.isfinite(value):
        raise EditRejected(f"{name}: {value} is not a finite number")
    return value


def apply_edit(base: Scenario, overrides: Mapping[str, float], name: str, raw: Any) -> dict[str, float]:
    """New overrides with ``name`` set to ``raw``; raises ``EditRejected`` and changes nothing if
    the value is not a number, outside the parameter's declared range, or breaks a cross-check."""
    p = PARAMS.get(name)
    if p is None:
        raise EditRejected(f"unknown parameter {name!r}")
    value = parse_number(raw, name)
    if p.integer:
        if value != int(value):
            raise EditRejected(f"{name} = {value:g} must be a whole number of {p.unit}")
        value = float(int(value))
    if not p.low <= value <= p.high:
        raise EditRejected(f"{name} = {value:g} is outside its range [{p.low:g}, {p.high:g}] {p.unit}")
    new = dict(overrides)
    new[name] = value
    values = {**base.params(), **new}
    errors = cross_check(values)
    if errors:
        raise EditRejected("; ".join(errors))
    if value == base.params()[name]:
        new.pop(name)
    return new


def tuned_scenario(base: Scenario, overrides: Mapping[str, float], replications: int,
                   seed: int) -> Scenario:
    """The base scenario with the overrides, replications and seed applied, re-validated."""
    updates: dict[str, float] = {**overrides, "replications": replications, "seed": seed}
    try:
        return base.with_params(updates)
    except (ValueError, ValidationError) as exc:  # pragma: no cover - apply_edit checks first
        raise EditRejected(str(exc)) from None


def check_replications(raw: Any) -> int:
    value = parse_number(raw, "replications")
    if value != int(value) or not MIN_REPLICATIONS <= value <= MAX_REPLICATIONS:
        raise EditRejected(
            f"replications = {value:g} must be a whole number in [{MIN_REPLICATIONS}, {MAX_REPLICATIONS}]")
    return int(value)


def thresholds(values: Mapping[str, float]) -> dict[str, float]:
    """Effective escalation thresholds (``alliance.model.thresholds.effective_thresholds``)."""
    return effective_thresholds(values)


# ------------------------------------------------------------------ ensembles
@dataclass(frozen=True)
class Ensemble:
    """One ensemble's recorded outcomes as arrays, with the scenario and seed that made it."""

    scenario: Scenario
    seed: int
    replication_ids: np.ndarray
    record: np.ndarray  # (outcomes, months + 1, R), in TRAJECTORY_OUTCOMES order
    summary: pd.DataFrame
    params: dict[str, float] = field(default_factory=dict)

    def outcome(self, name: str) -> np.ndarray:
        """(months + 1, R) values of a trajectory outcome."""
        return self.record[_OUT_INDEX[name]]

    @property
    def months(self) -> np.ndarray:
        return np.arange(self.record.shape[1])

    def sanctions_probability(self) -> np.ndarray:
        """Share of replications under economic sanctions or worse, per month."""
        return self.outcome("sanctions").mean(axis=1)

    def replication(self, r: int) -> pd.DataFrame:
        """One replication's trajectory (month, one column per trajectory outcome)."""
        hits = np.flatnonzero(self.replication_ids == r)
        if len(hits) == 0:
            raise EditRejected(f"replication {r} is not in this ensemble "
                               f"(0 … {int(self.replication_ids.max())})")
        i = int(hits[0])
        data = {"month": self.months, **{n: self.record[k, :, i] for n, k in _OUT_INDEX.items()}}
        return pd.DataFrame(data)

    def first_sanctions_month(self, r: int) -> int | None:
        """Month replication ``r`` first came under sanctions (None if it never did)."""
        row = self.summary.loc[self.summary["replication"] == r, "first_sanctions_month"]
        return None if row.empty or row.isna().iloc[0] else int(row.iloc[0])

    def first_sanctioned(self) -> int | None:
        """Replication id of the first replication that ended up under sanctions at some month."""
        hit = self.summary.loc[self.summary["sanctions_ever"] == 1, "replication"]
        return int(hit.iloc[0]) if len(hit) else None


POSTERIOR_ENV = "ALLIANCE_APP_POSTERIOR"
"""Environment variable naming the posterior file `alliance app --posterior` serves with."""


@functools.lru_cache(maxsize=4)
def _posterior(path: str) -> Posterior:
    return load_posterior(Path(path))


def posterior_draws(scenario: Scenario, ids: Sequence[int]) -> dict[str, np.ndarray] | None:
    """Per-replication parameters from the app's posterior (``ALLIANCE_APP_POSTERIOR``), if any."""
    path = os.environ.get(POSTERIOR_ENV)
    if not path:
        return None
    return _posterior(path).for_scenario(scenario, scenario.seed, np.asarray(ids))


def run_ensemble(scenario: Scenario) -> Ensemble:
    """Run the scenario's ensemble (its replications and seed) through ``study.ensemble``; with
    a posterior (``alliance app --posterior``) each replication draws its parameters from it."""
    ids = np.arange(scenario.replications)
    seed, ids, record, summary = run_model_ensemble(scenario, lambda model: (
        model.seed_value, model.replication_ids.copy(), model.record.copy(), model.summary()),
        replication_ids=ids, params=posterior_draws(scenario, ids))
    return Ensemble(scenario, seed, ids, record, summary, scenario.params())


# ------------------------------------------------------------------ replay of one replication
@dataclass
class Replay:
    """Step one replication month by month as an ``AllianceModel`` with one replication.

    ``states[m]`` holds each agent's state and decision at month ``m`` (``agent_states()``); the
    recorded trajectory equals replication ``r`` of any ensemble with the same scenario and seed,
    because the generator is keyed on (seed, replication, month, draw).
    """

    scenario: Scenario
    replication: int
    states: list[dict[str, dict[str, Any]]] = field(default_factory=list)
    rows: list[dict[str, float]] = field(default_factory=list)
    position: int = 0
    _model: AllianceModel = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not 0 <= self.replication < 2**31:
            raise EditRejected(f"replication {self.replication} is not a valid index")
        self._model = AllianceModel(self.scenario, replication_ids=[self.replication],
                                    params=posterior_draws(self.scenario, [self.replication]))
        self._capture()

    @property
    def horizon(self) -> int:
        return self.scenario.horizon_months

    def _capture(self) -> None:
        m = self._model
        self.states.append(m.agent_states())
        self.rows.append({"month": m.month, **{n: float(m.outcome(n)[m.month, 0]) for n in _OUT_INDEX}})

    def forward(self) -> None:
        """Show the next month, stepping the model if that month is not computed yet."""
        if self.position >= self.horizon:
            return
        if self.position + 1 >= len(self.states):
            self._model.step()
            self._capture()
        self.position += 1

    def go_to(self, month: int) -> None:
        """Show ``month`` (clipped to the horizon), stepping the model as far as needed."""
        target = max(0, min(int(month), self.horizon))
        while self.position < target:
            self.forward()
        self.position = target

    def back(self) -> None:
        self.position = max(0, self.position - 1)

    def to_end(self) -> None:
        while self.position < self.horizon:
            self.forward()

    def trajectory(self) -> pd.DataFrame:
        """Months 0 … position of this replication."""
        return pd.DataFrame(self.rows[: self.position + 1])

    def decisions(self) -> pd.DataFrame:
        """Each agent's state at the current month, with the balancer's moves since last month."""
        now = self.states[self.position]
        prev = self.states[self.position - 1] if self.position > 0 else now
        rows: list[dict[str, Any]] = []
        for agent, state in now.items():
            for key, value in state.items():
                if key == "role":
                    continue
                change = ""
                if isinstance(value, float) and key.startswith("coop_"):
                    delta = value - prev[agent][key]
                    change = "hold" if abs(delta) < 5e-4 else f"{delta:+.3f}"
                shown = f"{value:.3f}" if isinstance(value, float) else (
                    ", ".join(value) or "none" if isinstance(value, list) else str(value))
                label = (TRAJECTORY_OUTCOMES[key].label.split(" (")[0] if key in TRAJECTORY_OUTCOMES
                         else key.replace("_", " "))
                rows.append({"agent": f"{agent} ({state['role']})", "state": label, "value": shown,
                             "move this month": change})
        return pd.DataFrame(rows)


__all__ = [
    "DOMAINS",
    "Control",
    "EditRejected",
    "Ensemble",
    "Replay",
    "apply_edit",
    "check_replications",
    "control_groups",
    "group_of",
    "parse_number",
    "run_ensemble",
    "thresholds",
    "tuned_scenario",
]
