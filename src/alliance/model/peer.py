"""The scalar peer: the same model written as an ordinary Mesa model of ONE run.

Three agents hold Python floats (the six domains as lists), one ``step()`` is one month, a
``DataCollector`` records every trajectory outcome, and the rules are the scalar functions of
``scalar_rules.py``. It draws the same counter-based random numbers (``rng.py``) for replication
``r`` as the vectorised ``AllianceModel``, so it serves twice:

- as a test oracle: its trajectory equals replication ``r`` of an ensemble
  (``tests/model/test_scalar_oracle.py``, every shipped scenario and episode);
- as the honest speed peer: what a Mesa user would write, run under ``mesa.batch_run``
  (``benchmarks/engine.py``).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from . import rng as counter_rng
from . import scalar_rules as sr
from .outcomes import TRAJECTORY_OUTCOMES
from .parameters import DOMAINS, GROUPS, RUNGS
from .scenario import ForceEvent, HardenEvent, LoseAlternativeEvent, RequestEvent, Scenario, SetEvent
from .scenario_files import load_scenario

_D = range(len(DOMAINS))
_MESA_RNG_KW = "rng" if "rng" in inspect.signature(mesa.Model.__init__).parameters else "seed"


class Partner(mesa.Agent):
    """The outside power: interest, offers and open requests (``rules.partner``)."""

    def __init__(self, model: ScalarModel) -> None:
        super().__init__(model)
        p = model.p
        self.interest = sr.interest_target(p["partner.base_interest"], p["partner.substitution"],
                                           p["partner.alternatives"], p["partner.ambition_cap"])
        self.offers = [sr.partner_offer(self.interest, o, p["partner.ambition_cap"]) for o in model.g["partner.offer"]]
        self.level = [0.0] * len(_D)
        self.intensity = [0.0] * len(_D)
        self.age = [0.0] * len(_D)
        self.active = [False] * len(_D)
        self.base = [0.0] * len(_D)

    def reward(self, d: int) -> float:
        """Reward per unit of cooperation of the request open in domain ``d``."""
        p = self.model.p
        return sr.request_reward(self.active[d], p["partner.request_reward"], self.intensity[d],
                                 p["balancer.entrapment_aversion"], self.model.g["hegemon.sensitivity"][d])

    def step(self) -> None:
        """Judge pending requests (``sr.judge_request``), then move interest and offers."""
        m, p = self.model, self.model.p
        refusals = 0.0
        for d in _D:
            if self.active[d]:
                self.age[d] += 1.0
                self.active[d], self.level[d] = sr.judge_request(self.age[d], p["partner.patience_months"],
                                                                 m.balancer.coop[d], self.level[d], self.base[d])
                if not self.active[d]:
                    refusals += 1.0
        self.interest = sr.partner_interest(
            self.interest, p["partner.base_interest"], p["partner.substitution"], p["partner.alternatives"],
            p["partner.ambition_cap"], p["partner.interest_rate"], refusals, p["partner.refusal_penalty"])
        self.offers = [sr.partner_offer(self.interest, o, p["partner.ambition_cap"]) for o in m.g["partner.offer"]]


class Balancer(mesa.Agent):
    """The small state: cooperation per domain, belief, welfare (``rules.balancer``)."""

    def __init__(self, model: ScalarModel, belief: float) -> None:
        super().__init__(model)
        p, g = model.p, model.g
        self.coop = [min(c, top) for c, top in zip(g["balancer.initial"], g["balancer.ceiling"], strict=True)]
        self.floor = [0.0] * len(_D)
        self.belief_draw = belief
        self.belief = min(max(p["balancer.initial_belief"] + p["balancer.belief_sd"] * belief, 0.0), 1.0)
        self.status_quo = [0.0] * len(_D)
        self.welfare = self.loss = self.cumulative_loss = self.align = 0.0

    def east(self) -> float:
        """The eastern fallback: bloc commitment and exposure."""
        p = self.model.p
        return 0.5 * (p["balancer.bloc_commitment"] + p["balancer.export_share_via_russia"])

    def kappa(self, d: int) -> float:
        """Marginal cost of cooperation in domain ``d``."""
        p = self.model.p
        return p["balancer.effort_cost"] + (p["balancer.commitment_cost"] * p["balancer.bloc_commitment"]) * \
            self.model.g["balancer.treaty_weight"][d]

    def slopes(self, threat: float) -> list[tuple[float, float]]:
        """(∂U/∂c_d, curvature) per domain, without the status-quo term."""
        m, p = self.model, self.model.p
        h = m.hegemon
        east = self.east()
        fear_dp, fear_d2p = sr.retaliation(
            threat, self.belief, p["balancer.belief_spread"], h.rung, p["balancer.risk_aversion"],
            p["balancer.export_share_via_russia"] * p["hegemon.sanction_severity"], p["hegemon.military_severity"])
        return [sr.marginal_utility(self.coop[d], m.g["balancer.benefit"][d] * m.partner.offers[d], self.kappa(d),
                                    p["balancer.hedging_weight"] * east, m.g["hegemon.sensitivity"][d],
                                    threat, fear_dp, fear_d2p) for d in _D]

    def settle(self) -> None:
        """Start at rest: the belief a quiet status quo teaches, and the status-quo term."""
        m = self.model
        threat = sr.threat_of(self.coop, m.g["hegemon.sensitivity"], m.presence())
        self.belief = sr.resting_belief(m.p["balancer.initial_belief"], m.p["balancer.belief_sd"], self.belief_draw,
                                        threat, m.p["balancer.quiet_margin"])
        self.status_quo = [sr.status_quo_term(grad, self.coop[d], self.floor[d], m.g["balancer.ceiling"][d])
                           for d, (grad, _) in enumerate(self.slopes(threat))]

    def step(self) -> None:
        """Learn from last month's signal, then move part of the way to the best response."""
        m, p, h = self.model, self.model.p, self.model.hegemon
        expected = sr.threat_of(self.coop, m.g["hegemon.sensitivity"], m.presence())
        self.belief = sr.update_belief(self.belief, h.rung, h.inducement_new, expected, p["balancer.learning_rate"],
                                       p["balancer.quiet_margin"], p["balancer.warning_gap"])
        for d, (grad, curv) in enumerate(self.slopes(expected)):
            forfeit = p["hegemon.inducement_value"] * m.g["hegemon.sensitivity"][d] if h.inducement_on else 0.0
            self.coop[d] = sr.choose_cooperation(
                self.coop[d], self.floor[d], m.g["balancer.ceiling"][d], grad + self.status_quo[d], curv,
                p["balancer.inertia"], p["balancer.max_change"], m.partner.reward(d), m.partner.level[d],
                forfeit, h.accepted[d])

    def account(self) -> None:
        """This month's welfare, after the hegemon has answered."""
        m, p, h = self.model, self.model.p, self.model.hegemon
        sens = m.g["hegemon.sensitivity"]
        east = self.east()
        self.align = sr.alignment(self.coop, sens, east)
        net = 0.0
        for d in _D:
            net += sr.domain_welfare(self.coop[d], m.g["balancer.benefit"][d] * m.partner.offers[d],
                                     self.status_quo[d], self.kappa(d), m.partner.reward(d), m.partner.level[d])
        self.welfare, self.loss = sr.welfare(
            net, p["balancer.hedging_weight"], east, sr.threat_of(self.coop, sens, m.presence()), h.rung,
            p["balancer.export_share_via_russia"] * p["hegemon.sanction_severity"], p["hegemon.military_severity"],
            p["hegemon.inducement_value"], h.inducement_on)
        self.cumulative_loss += self.loss


class Hegemon(mesa.Agent):
    """The regional power: threat perception, the escalation ladder, inducements (``rules.hegemon``)."""

    def __init__(self, model: ScalarModel, misreading: float) -> None:
        super().__init__(model)
        self.misreading = misreading
        self.rung, self.remaining, self.inducement_left = 0, 0.0, 0.0
        self.inducement_on = self.inducement_new = self.crossed = False
        self.anticipated = [0.0] * len(_D)
        self.accepted: list[float] = []
        self.threat = self.tolerance = self.posture = 0.0

    def perceive(self) -> tuple[float, bool]:
        """Perceived threat and red-line crossing for the balancer's cooperation now."""
        m, p = self.model, self.model.p
        return sr.perceived_threat(m.balancer.coop, self.anticipated, m.g["hegemon.sensitivity"],
                                   m.g["hegemon.red_line"], self.accepted, m.presence(), p["hegemon.anticipation"],
                                   p["hegemon.noise_sd"], self.misreading)

    def settle(self) -> None:
        """Accept the status quo: the cooperation lived with, the noise-free threat in it (the ladder
        slides above it) and a misreading conditioned on having tolerated it."""
        m, p = self.model, self.model.p
        self.accepted = list(m.balancer.coop)
        self.posture = p["hegemon.hardening"]
        self.tolerance = sr.threat_of(m.balancer.coop, m.g["hegemon.sensitivity"], m.presence())
        first = m.g["hegemon.threshold"][0]
        t1 = sr.effective_threshold(first, first, p["hegemon.hardening"], self.posture, self.tolerance,
                                    p["hegemon.tolerance_margin"])
        self.misreading = sr.tolerated_misreading(self.misreading, self.tolerance, t1, p["hegemon.tolerance_margin"],
                                                  p["hegemon.noise_sd"])
        self.threat, self.crossed = self.perceive()

    def step(self) -> None:
        """Perceive the threat, choose a rung, decide on an inducement."""
        m, p = self.model, self.model.p
        self.threat, self.crossed = self.perceive()
        stated = m.g["hegemon.threshold"]
        t1, t2, t3 = (sr.effective_threshold(x, stated[0], p["hegemon.hardening"], self.posture, self.tolerance,
                                             p["hegemon.tolerance_margin"]) for x in stated)
        line = sr.economic_line_crossed(m.balancer.coop, self.anticipated, p["hegemon.anticipation"],
                                        m.g["hegemon.economic_line"], self.accepted)
        self.rung, self.remaining = sr.escalate(
            self.rung, self.remaining, self.threat, t1, t2, t3, p["hegemon.hysteresis"],
            p["hegemon.long_measure_probability"], p["hegemon.long_duration_min"], p["hegemon.long_duration_max"],
            m.uniform("duration_kind"), m.uniform("duration_length"),
            sr.line_pull_of(line, p["hegemon.line_leverage"], p["balancer.export_share_via_russia"]),
            p["hegemon.cost_weight"] * p["hegemon.trade_share_with_balancer"])
        before = self.inducement_on
        chance = sr.inducement_chance(p["balancer.bloc_commitment"], p["hegemon.inducement_min_commitment"],
                                      p["hegemon.inducement_propensity"])
        self.inducement_left, self.inducement_on = sr.offer_inducement(
            self.inducement_left, self.threat, t1, chance, p["hegemon.inducement_months"], m.uniform("inducement"),
            self.rung)
        self.inducement_new = self.inducement_on and not before


class ScalarModel(mesa.Model):
    """One run (replication ``replication`` of ``scenario`` at ``seed``), one month per ``step()``.

    Args:
        scenario: a ``Scenario``, a shipped scenario's name, or a YAML file path.
        replication: the replication index r (its random numbers are those of replication r
            of an ``AllianceModel`` ensemble with the same seed).
        seed: the counter-based generator's seed (default: the scenario's).
        months: horizon override (default: the scenario's).
        rng: accepted from ``mesa.batch_run`` (Mesa ≥ 3.4 passes it); unused.
    """

    def __init__(self, scenario: Scenario | str | Path = "baseline", replication: int = 0, seed: int | None = None,
                 months: int | None = None, rng: Any = None) -> None:
        sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.seed_value = int(sc.seed if seed is None else seed)
        super().__init__(**{_MESA_RNG_KW: self.seed_value})
        self.spec = sc
        self.horizon = int(sc.horizon_months if months is None else months)
        rng_key = counter_rng.key(self.seed_value, np.array([replication]))
        self.key = int(rng_key[0])
        self.p = dict(sc.params())
        self.g: dict[str, list[float]] = {}
        self._regroup()
        self.month = 0
        self.events: list[Any] = [[ev, False] for ev in sc.events]
        self.partner = Partner(self)
        self.balancer = Balancer(self, float(counter_rng.normal(rng_key, 0, counter_rng.STREAMS["belief_a"],
                                                        counter_rng.STREAMS["belief_b"])[0]))
        self.hegemon = Hegemon(self, float(counter_rng.normal(rng_key, 0, counter_rng.STREAMS["threat_noise_a"],
                                                      counter_rng.STREAMS["threat_noise_b"])[0]))
        self.hegemon.settle()
        self.balancer.settle()
        self.balancer.account()
        self.balancer.cumulative_loss = 0.0
        self.datacollector = mesa.DataCollector(model_reporters=dict(_REPORTERS))
        self.datacollector.collect(self)
        self.running = self.horizon > 0

    def _regroup(self) -> None:
        for group in GROUPS:
            self.g[group] = [self.p[f"{group}.{d}"] for d in DOMAINS]
        self.g["hegemon.threshold"] = [self.p[f"hegemon.threshold.{r}"] for r in RUNGS[1:]]

    def presence(self) -> float:
        """Threat from the partner's regional footholds."""
        return self.p["hegemon.presence_weight"] * self.p["partner.alternatives"]

    def uniform(self, stream: str) -> float:
        """This month's uniform draw of ``stream`` (``rng.uniform``)."""
        return counter_rng.uniform1(self.key, self.month, counter_rng.STREAMS[stream])

    def last(self, outcome: str) -> float:
        """Last month's recorded value of a trajectory outcome (float32, as the ensemble records it)."""
        return float(np.float32(_REPORTERS[outcome](self)))

    def apply_events(self) -> None:
        """Fire the events due this month (fixed months, or conditions on last month's state)."""
        t, h = self.month, self.hegemon
        h.anticipated = [0.0] * len(_D)
        for entry in self.events:
            ev: Any = entry[0]
            fired: bool = entry[1]
            if ev.month is not None:
                if isinstance(ev, (RequestEvent, ForceEvent)) and ev.month - ev.announce_months <= t < ev.month:
                    d = DOMAINS.index(ev.domain)
                    h.anticipated[d] = max(h.anticipated[d], ev.level)
                if ev.month != t or fired:
                    continue
            else:
                cond, last = ev.when, self.last(ev.when.outcome)
                hit = last >= cond.above if cond.above is not None else last <= cond.below
                if fired or not hit or t < cond.after_month:
                    continue
            entry[1] = True
            self.fire(ev)

    def fire(self, ev: Any) -> None:
        """Apply one event."""
        if isinstance(ev, RequestEvent):
            d = DOMAINS.index(ev.domain)
            pa = self.partner
            pa.level[d], pa.intensity[d], pa.age[d], pa.active[d] = ev.level, ev.intensity, 0.0, True
            pa.base[d] = self.balancer.coop[d]
        elif isinstance(ev, ForceEvent):
            d = DOMAINS.index(ev.domain)
            self.balancer.floor[d] = max(self.balancer.floor[d], ev.level)
        elif isinstance(ev, LoseAlternativeEvent):
            self.p["partner.alternatives"] = max(self.p["partner.alternatives"] - ev.amount, 0.0)
        elif isinstance(ev, HardenEvent):
            self.p["hegemon.hardening"] = min(max(self.p["hegemon.hardening"] + ev.amount, -0.5), 0.5)
        elif isinstance(ev, SetEvent):
            self.p[ev.param] = ev.value
            self._regroup()
            self.balancer.floor = [min(f, c) for f, c in zip(self.balancer.floor, self.g["balancer.ceiling"],
                                                             strict=True)]

    def step(self) -> None:
        """One month: events, partner, balancer, hegemon, welfare, record."""
        if self.month >= self.horizon:
            self.running = False
            return
        self.month += 1
        self.apply_events()
        self.partner.step()
        self.balancer.step()
        self.hegemon.step()
        self.balancer.account()
        self.datacollector.collect(self)
        self.running = self.month < self.horizon


_REPORTERS: dict[str, Any] = {
    **{f"coop_{d}": (lambda m, i=i: m.balancer.coop[i]) for i, d in enumerate(DOMAINS)},
    "alignment": lambda m: m.balancer.align,
    "threat": lambda m: m.hegemon.threat,
    "escalation": lambda m: m.hegemon.rung,
    "sanctions": lambda m: int(m.hegemon.rung >= sr.ECONOMIC),
    "inducement": lambda m: int(m.hegemon.inducement_on),
    "welfare": lambda m: m.balancer.welfare,
    "interest": lambda m: m.partner.interest,
    "belief": lambda m: m.balancer.belief,
    "red_line_violation": lambda m: int(m.hegemon.crossed),
}
if list(_REPORTERS) != list(TRAJECTORY_OUTCOMES):  # pragma: no cover - declared outcomes drifted
    raise RuntimeError("the scalar peer's reporters differ from TRAJECTORY_OUTCOMES")

__all__ = ["ScalarModel"]
