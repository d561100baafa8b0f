"""Words for charts and tables: labels of parameters, outcomes and measures, and number formats.

Every axis, hover, legend and title says what a thing is ("Hegemon's economic threshold (index)"),
never its code name (``hegemon.threshold.economic``). Outcomes carry their label and unit in
``model/outcomes.py``; parameters carry a unit and a long description in ``model/parameters.py``,
and this module gives each a short label built from its group (``hegemon.threshold``) and its
domain or rung. Numbers are shown at one precision: three significant figures (``sig``), and
probabilities as percentages (``pct``); an outcome that never happened reads "never (0 of n)".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from alliance.model.outcomes import OUTCOMES
from alliance.model.parameters import PARAMS

_GROUPS: dict[str, str] = {
    "balancer.initial": "Initial cooperation",
    "balancer.ceiling": "Ceiling on cooperation",
    "balancer.benefit": "Benefit of cooperation",
    "balancer.treaty_weight": "Treaty weight",
    "partner.offer": "Partner's offer",
    "hegemon.sensitivity": "Hegemon's sensitivity",
    "hegemon.red_line": "Hegemon's red line",
    "hegemon.economic_line": "Hegemon's economic line",
}
_THRESHOLD = "hegemon.threshold"
_SINGLE: dict[str, str] = {
    "balancer.bloc_commitment": "Bloc commitment",
    "balancer.export_share_via_russia": "Exports via the hegemon",
    "balancer.effort_cost": "Cost of cooperating",
    "balancer.commitment_cost": "Cost of breaching bloc commitments",
    "balancer.hedging_weight": "Cost of leaving the centre",
    "balancer.entrapment_aversion": "Entrapment aversion",
    "balancer.risk_aversion": "Balancer's risk aversion",
    "balancer.initial_belief": "Initial belief about the sanctions threshold",
    "balancer.belief_spread": "Spread of that belief",
    "balancer.learning_rate": "Learning rate",
    "balancer.quiet_margin": "Margin inferred from a quiet month",
    "balancer.warning_gap": "Gap signalled by a protest",
    "balancer.inertia": "Balancer's inertia",
    "balancer.max_change": "Largest monthly change of cooperation",
    "balancer.belief_sd": "Spread of starting beliefs across runs",
    "hegemon.tolerance_margin": "Hegemon's tolerance margin",
    "hegemon.trade_share_with_balancer": "Hegemon's trade with the balancer",
    "hegemon.cost_weight": "Hegemon's weight on its own trade losses",
    "hegemon.line_leverage": "Leverage an economic line adds to sanctions",
    "partner.initial_interest": "Partner's initial interest",
    "partner.base_interest": "Partner's base interest",
    "partner.substitution": "Partner's substitution for lost footholds",
    "partner.alternatives": "Partner's regional footholds",
    "partner.interest_rate": "Partner's interest adjustment rate",
    "partner.ambition_cap": "Partner's ambition cap",
    "partner.request_reward": "Reward of a request",
    "partner.refusal_penalty": "Interest lost on a refusal",
    "partner.patience_months": "Partner's patience",
    "hegemon.presence_weight": "Threat from the partner's footholds",
    "hegemon.noise_sd": "Noise in perceived threat",
    "hegemon.anticipation": "Weight of announced moves",
    "hegemon.hardening": "Hardening of every threshold",
    "hegemon.hysteresis": "Hysteresis",
    "hegemon.long_measure_probability": "Probability of a long measure",
    "hegemon.long_duration_min": "Shortest long measure",
    "hegemon.long_duration_max": "Longest long measure",
    "hegemon.sanction_severity": "Severity of sanctions",
    "hegemon.military_severity": "Severity of armed pressure",
    "hegemon.inducement_propensity": "Propensity to offer inducements",
    "hegemon.inducement_value": "Value of an inducement",
    "hegemon.inducement_months": "Length of an inducement",
    "hegemon.inducement_min_commitment": "Commitment needed for inducements",
}


def _words(text: str) -> str:
    return text.replace("_", " ").replace(".", " ")


def param_label(name: str) -> str:
    """Short label of a parameter (no unit), e.g. "Hegemon's economic threshold"."""
    if name in _SINGLE:
        return _SINGLE[name]
    group, _, last = name.rpartition(".")
    if group == _THRESHOLD:
        return f"Hegemon's {_words(last)} threshold"
    if group in _GROUPS:
        return f"{_GROUPS[group]}: {_words(last)}"
    if name in PARAMS:  # a parameter declared after this table was written: its description
        desc = PARAMS[name].description.split(";")[0].split(" (")[0]
        return desc[:1].upper() + desc[1:60]
    return _words(name).capitalize()


def param_unit(name: str) -> str:
    """Unit of a parameter ("" if unknown)."""
    return PARAMS[name].unit if name in PARAMS else ""


def param_title(name: str) -> str:
    """Axis title of a parameter: label with unit."""
    unit = param_unit(name)
    return f"{param_label(name)} ({unit})" if unit else param_label(name)


def outcome_label(name: str) -> str:
    """Label of a declared outcome or a measure spec (``sanctions_by:24``), no unit."""
    if name in OUTCOMES:
        return OUTCOMES[name].label
    from alliance.analysis.measures import parse_measure

    try:
        return parse_measure(name).label.capitalize()
    except Exception:
        return _words(name).capitalize()


def outcome_title(name: str) -> str:
    """Axis title of an outcome, measure or parameter: its label with its unit."""
    if name in OUTCOMES:
        return OUTCOMES[name].title
    if name in PARAMS:
        return param_title(name)
    from alliance.analysis.measures import parse_measure

    try:
        return parse_measure(name).title
    except Exception:
        return _words(name).capitalize()


def domain_label(domain: str) -> str:
    """A domain in words ("military technical")."""
    return _words(domain)


# ------------------------------------------------------------------ numbers
def sig(value: float, digits: int = 3, signed: bool = False) -> str:
    """``value`` to ``digits`` significant figures, trailing zeros kept (0.0120, 1.20, 123, 1,230)."""
    if value is None or not math.isfinite(value):
        return "–"
    if value == 0:
        return "+0" if signed else "0"
    mag = math.floor(math.log10(abs(value)))
    if mag >= digits - 1:
        text = f"{round(value, -(mag - digits + 1)):,.0f}"
    else:
        text = f"{value:.{digits - 1 - mag}f}"
        if float(text) != 0 and math.floor(math.log10(abs(float(text)))) > mag:  # rounding carried: 9.996 → 10.0
            text = f"{float(text):.{max(0, digits - 2 - mag)}f}"
    return ("+" + text) if signed and value > 0 else text


def pct(p: float, signed: bool = False) -> str:
    """A probability as a percentage at three significant figures ("1.20 %"); 0 and 1 exactly."""
    if p is None or not math.isfinite(p):
        return "–"
    if p == 0:
        return "0 %"
    return f"{sig(100 * p, signed=signed)} %"


def points(d: float) -> str:
    """A difference of probabilities in percentage points ("+0.812 points")."""
    return f"{sig(100 * d, signed=True)} points"


def estimate_text(est: float, lo: float, hi: float, binary: bool, k: int | None = None,
                  n: int | None = None) -> str:
    """"1.20 % [0.800, 1.70 %]" for probabilities, "0.412 [0.398, 0.425]" for means; a probability
    that never happened reads "never (0 of n)"."""
    if n == 0:
        return "no run has a value"
    if binary:
        if k == 0 and n:
            return f"never (0 of {n:,})"
        return f"{pct(est)} [{sig(100 * lo)}, {pct(hi)}]"
    return f"{sig(est)} [{sig(lo)}, {sig(hi)}]"


def code_names() -> set[str]:
    """Every dotted parameter name and snake_case outcome name (what charts must never show)."""
    return set(PARAMS) | {n for n in OUTCOMES if "_" in n}


# ------------------------------------------------------------------ events
def event_text(event: object) -> str:
    """One scenario event in words: its own label if it has one, else its kind and settings."""
    label = getattr(event, "label", "") or ""
    kind = getattr(event, "kind", "")
    domain = domain_label(str(getattr(event, "domain", "")))
    if kind == "request":
        what = f"the partner asks for {domain} cooperation at {sig(event.level)}"  # type: ignore[attr-defined]
    elif kind == "force":
        what = f"{domain} cooperation is held at least at {sig(event.level)}"  # type: ignore[attr-defined]
    elif kind == "lose_alternative":
        what = f"the partner loses {pct(event.amount)} of its regional footholds"  # type: ignore[attr-defined]
    elif kind == "harden":
        amount = float(event.amount)  # type: ignore[attr-defined]
        what = f"the hegemon's thresholds {'drop' if amount >= 0 else 'rise'} by {sig(abs(amount))}"
    elif kind == "set":
        what = f"{param_label(event.param)} set to {sig(event.value)}"  # type: ignore[attr-defined]
    else:
        what = str(kind)
    text = label or what[:1].upper() + what[1:]
    return text if not label else f"{label} ({what})"


def event_when(event: object) -> str:
    """When an event happens, in words ("month 3", "when threat ≥ 0.6, after month 3")."""
    month = getattr(event, "month", None)
    if month is not None:
        ahead = getattr(event, "announce_months", 0)
        return f"month {month}" + (f" (announced {ahead} months ahead)" if ahead else "")
    cond = event.when  # type: ignore[attr-defined]
    op, value = ("≥", cond.above) if cond.above is not None else ("≤", cond.below)
    after = f", after month {cond.after_month}" if cond.after_month else ""
    return f"when {outcome_label(cond.outcome).lower()} {op} {sig(value)}{after}"


def events_by_month(events: Iterable[Any] | None) -> list[tuple[int, list[tuple[int, Any]]]]:
    """A scenario's dated events grouped by month, in month order: (month, [(number, event)]),
    numbered 1, 2, … in the scenario's order (as its list of events); conditional events (no
    month) are left out. Charts draw one mark per month, so events of one month never overlap."""
    grouped: dict[int, list[tuple[int, Any]]] = {}
    for i, ev in enumerate(events or [], start=1):
        month = getattr(ev, "month", None)
        if month is not None:
            grouped.setdefault(int(month), []).append((i, ev))
    return sorted(grouped.items())


__all__ = ["code_names", "domain_label", "estimate_text", "event_text", "event_when", "events_by_month", "outcome_label",
           "outcome_title", "param_label", "param_title", "param_unit", "pct", "points", "sig"]
