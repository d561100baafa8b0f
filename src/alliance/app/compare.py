"""Compare runs in the app, free of any UI: headline numbers and pinned runs labelled by differences.

A user pins the run on screen (up to ``MAX_PINS``), changes parameters or picks another scenario,
pins again, and sees the pinned runs overlaid; each pin is labelled by what differs between the
runs shown (scenario, parameters by their readable names, replications), like the "compare runs"
experiments of AnyLogic. Numbers come from the ensemble's arrays; nothing here draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alliance.analysis.tables import wilson_interval
from alliance.app.state import EditRejected, Ensemble
from alliance.model import OUTCOMES, PARAMS

MAX_PINS = 5

HEADLINE = ("sanctions_ever", "protest_ever", "final_coop_energy")
"""Headline cards, in order; outcomes the model does not declare are left out."""


def param_label(name: str) -> str:
    """A parameter's readable name: ``hegemon.threshold.economic`` → ``hegemon threshold: economic``."""
    parts = [p.replace("_", " ") for p in name.split(".")]
    return f"{' '.join(parts[:-1])}: {parts[-1]}" if len(parts) > 1 else parts[0]


def ever_probability(ens: Ensemble) -> np.ndarray:
    """P(economic sanctions or worse at some month up to m), per month m (cumulative)."""
    return np.maximum.accumulate(ens.outcome("sanctions") > 0.5, axis=0).mean(axis=1)


@dataclass(frozen=True)
class Headline:
    """One headline number, tuned and untuned; probabilities carry a 95% Wilson interval."""

    name: str
    label: str
    unit: str
    tuned: float
    untuned: float
    tuned_ci: tuple[float, float] | None
    is_probability: bool

    @property
    def change(self) -> float:
        return self.tuned - self.untuned

    def text(self, value: float) -> str:
        return f"{100 * value:.1f}%" if self.is_probability else f"{value:.3f}"

    def change_text(self) -> str:
        if self.is_probability:
            return f"{100 * self.change:+.1f} points vs untuned"
        return f"{self.change:+.3f} vs untuned"


def headlines(ens: Ensemble, base: Ensemble) -> list[Headline]:
    """The headline cards' numbers (``HEADLINE`` outcomes present in the summary)."""
    out = []
    for name in HEADLINE:
        if name not in OUTCOMES or name not in ens.summary.columns:
            continue
        o = OUTCOMES[name]
        prob = o.unit == "0/1"
        t = float(ens.summary[name].astype(float).mean())
        u = float(base.summary[name].astype(float).mean())
        ci = None
        if prob:
            n = len(ens.summary)
            ci = wilson_interval(int(np.rint(t * n)), n)
        label = f"P({o.label.lower()})" if prob else o.label
        out.append(Headline(name, label, o.unit, t, u, ci, prob))
    return out


@dataclass(frozen=True)
class Pin:
    """What a pinned run keeps: where it came from and the curves and numbers it overlays."""

    scenario: str
    values: tuple[tuple[str, float], ...]
    replications: int
    seed: int
    months: tuple[int, ...]
    ever: tuple[float, ...]
    p_sanctions: float

    @property
    def key(self) -> tuple:
        return (self.scenario, self.values, self.replications, self.seed)


def pin_of(ens: Ensemble, scenario_label: str) -> Pin:
    """Pin the run ``ens`` (all its parameter values are kept, to label it later)."""
    return Pin(scenario_label, tuple(sorted(ens.params.items())), int(ens.record.shape[2]), ens.seed,
               tuple(int(m) for m in ens.months), tuple(float(v) for v in ever_probability(ens)),
               float(ens.summary["sanctions_ever"].mean()))


def add_pin(pins: Sequence[Pin], pin: Pin) -> list[Pin]:
    """Pins with ``pin`` added; ``EditRejected`` if it is already pinned or ``MAX_PINS`` are."""
    if any(p.key == pin.key for p in pins):
        raise EditRejected("this run is already pinned")
    if len(pins) >= MAX_PINS:
        raise EditRejected(f"at most {MAX_PINS} runs can be pinned: unpin one first")
    return [*pins, pin]


def pin_labels(pins: Sequence[Pin]) -> list[str]:
    """Each pin labelled by what differs between the pins (scenario, parameters, replications)."""
    if not pins:
        return []
    names = [dict(p.values) for p in pins]
    keys = sorted({k for v in names for k in v})
    varying = [k for k in keys if len({v.get(k) for v in names}) > 1]
    scen = len({p.scenario for p in pins}) > 1
    reps = len({p.replications for p in pins}) > 1
    seeds = len({p.seed for p in pins}) > 1
    labels = []
    for i, (p, v) in enumerate(zip(pins, names, strict=True)):
        bits = [p.scenario] if scen else []
        bits += [f"{param_label(k)} = {v[k]:g}" for k in varying if k in PARAMS or k in v]
        if reps:
            bits.append(f"{p.replications} replications")
        if seeds:
            bits.append(f"seed {p.seed}")
        labels.append(f"#{i + 1} " + (", ".join(bits) if bits else p.scenario))
    return labels


__all__ = ["HEADLINE", "MAX_PINS", "Headline", "Pin", "add_pin", "ever_probability", "headlines",
           "param_label", "pin_labels", "pin_of"]
