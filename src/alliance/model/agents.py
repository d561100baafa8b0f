"""The three Mesa agents. Each is thin: observe the model, call a rule from ``rules``, act.

Every agent holds its state as numpy arrays with one entry per replication (and per domain where
that applies), so one agent object stands for the same actor across the whole ensemble. The names
(Kazakhstan, NATO, Russia by default) come from the scenario.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from . import rng, rules
from .thresholds import effective_threshold

if TYPE_CHECKING:  # pragma: no cover
    from .model import AllianceModel


class Partner(mesa.Agent):
    """The outside power courting the balancer (default NATO): interest, offers and requests."""

    model: AllianceModel

    def __init__(self, model: AllianceModel, name: str) -> None:
        super().__init__(model)
        self.name = name
        R, D = model.shape
        # the partner starts at rest: its interest is the target its alternatives imply (ODD 5)
        self.interest = np.broadcast_to(self.target(), (R,)).copy()
        self.offers = np.zeros((D, R))
        self.refusals = np.zeros(R)
        self.request_level = np.zeros((D, R))
        self.request_intensity = np.zeros((D, R))
        self.request_age = np.zeros((D, R))
        self.request_active = np.zeros((D, R), dtype=bool)
        self.request_base = np.zeros((D, R))
        self.any_request = False
        self.update_offers()

    def request(self, mask: np.ndarray, domain: int, level: float, intensity: float) -> None:
        """Open a request in ``domain`` for the replications in ``mask`` (level and intensity in [0, 1])."""
        self.request_level[domain, mask] = level
        self.request_intensity[domain, mask] = intensity
        self.request_age[domain, mask] = 0.0
        self.request_active[domain, mask] = True
        self.request_base[domain, mask] = self.model.balancer.coop[domain, mask]
        self.any_request = True

    def target(self) -> np.ndarray:
        """The interest the partner moves toward (``rules.interest_target``)."""
        m = self.model
        return rules.interest_target(m.p("partner.base_interest"), m.p("partner.substitution"),
                                     m.p("partner.alternatives"), m.p("partner.ambition_cap"))

    def update_offers(self) -> None:
        """Recompute the partner's per-domain offers from its interest (``rules.partner_offers``)."""
        m = self.model
        self.offers = rules.partner_offers(self.interest, m.g("partner.offer"), m.p("partner.ambition_cap"))

    def step(self) -> None:
        """Judge pending requests (``rules.judge_requests``: a partial take-up is banked, only no
        take-up is a refusal), then move interest and offers."""
        m = self.model
        if self.any_request:
            self.request_age += self.request_active
            self.request_active, self.request_level, refused = rules.judge_requests(
                self.request_active, self.request_age, m.p("partner.patience_months"), m.balancer.coop,
                self.request_level, self.request_base)
            self.refusals = refused.sum(axis=0, dtype=np.float64)
        self.interest = rules.partner_interest(
            self.interest,
            m.p("partner.base_interest"),
            m.p("partner.substitution"),
            m.p("partner.alternatives"),
            m.p("partner.ambition_cap"),
            m.p("partner.interest_rate"),
            self.refusals,
            m.p("partner.refusal_penalty"),
        )
        self.update_offers()

    def request_reward(self) -> np.ndarray | float:
        """Reward per unit of cooperation, up to the level asked, for the requests still open.

        The reward is cut by the balancer's entrapment aversion times the domain's sensitivity to
        the hegemon: requests that serve the partner's own quarrels are worth less (Snyder 1984).
        """
        if not self.any_request:
            return 0.0
        m = self.model
        entrapment = np.maximum(1.0 - m.p("balancer.entrapment_aversion") * m.g("hegemon.sensitivity"), 0.0)
        return np.where(self.request_active,
                        m.p("partner.request_reward") * self.request_intensity * entrapment, 0.0)


class Balancer(mesa.Agent):
    """The small state (default Kazakhstan): cooperation per domain, belief, welfare."""

    model: AllianceModel

    def __init__(self, model: AllianceModel, name: str) -> None:
        super().__init__(model)
        self.name = name
        R, D = model.shape
        self.coop = np.broadcast_to(model.g("balancer.initial"), (D, R)).copy()
        self.floor = np.zeros((D, R))
        # the balancer's private belief is uncertain to the analyst: one draw per replication
        self.belief_draw = rng.normal(model.keys, 0, rng.STREAMS["belief_a"], rng.STREAMS["belief_b"])
        self.belief = np.clip(model.p("balancer.initial_belief") + model.p("balancer.belief_sd") * self.belief_draw,
                              0.0, 1.0)
        self.status_quo = np.zeros((D, R))
        self.welfare = np.zeros(R)
        self.loss = np.zeros(R)
        self.cumulative_loss = np.zeros(R)
        self.align = np.zeros(R)

    # structural quantities derived from parameters (ODD 7.1)
    def kappa(self) -> np.ndarray:
        """Per-domain marginal cost of cooperation (index): effort plus bloc commitment × treaty weight."""
        m = self.model
        return m.p("balancer.effort_cost") + (
            m.p("balancer.commitment_cost") * m.p("balancer.bloc_commitment")
        ) * m.g("balancer.treaty_weight")

    def east(self) -> np.ndarray:
        """The eastern fallback: structural tie to the hegemon (bloc commitment and exposure)."""
        m = self.model
        return 0.5 * (m.p("balancer.bloc_commitment") + m.p("balancer.export_share_via_russia"))

    def sanction_cost(self) -> np.ndarray:
        """Expected welfare cost of sanctions (index): export share via Russia × sanction severity."""
        m = self.model
        return m.p("balancer.export_share_via_russia") * m.p("hegemon.sanction_severity")

    def gain(self) -> np.ndarray:
        """Return per unit of cooperation from the partner's standing offers."""
        return self.model.g("balancer.benefit") * self.model.partner.offers

    def slope(self, threat: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Marginal utility and curvature at the current cooperation (without the status-quo term)."""
        m, h = self.model, self.model.hegemon
        return rules.marginal_utility(
            self.coop, self.gain(), self.kappa(), m.p("balancer.hedging_weight"), self.east(),
            m.g("hegemon.sensitivity"), m.presence(), self.belief, m.p("balancer.belief_spread"),
            h.rung, m.p("balancer.risk_aversion"), self.sanction_cost(), m.p("hegemon.military_severity"),
            np.where(h.inducement_on, m.p("hegemon.inducement_value"), 0.0), h.accepted, threat,
        )

    def settle(self, threat: np.ndarray) -> None:
        """Start at rest (ODD 5): the belief a quiet status quo teaches, and the status-quo term
        that makes the observed cooperation the best response (revealed preference)."""
        m = self.model
        self.belief = rules.resting_belief(m.p("balancer.initial_belief"), m.p("balancer.belief_sd"),
                                           self.belief_draw, threat, m.p("balancer.quiet_margin"))
        grad, _ = self.slope()
        self.status_quo = rules.status_quo_term(grad, self.coop, self.floor, m.g("balancer.ceiling"))

    def step(self) -> None:
        """Learn from last month's signal, then move cooperation part of the way to its best response."""
        m, h = self.model, self.model.hegemon
        expected = rules.threat_of(self.coop, m.g("hegemon.sensitivity"), m.presence())
        self.belief = rules.update_belief(
            self.belief, h.rung, h.inducement_new, expected,
            m.p("balancer.learning_rate"), m.p("balancer.quiet_margin"), m.p("balancer.warning_gap"),
        )
        grad, curv = self.slope(expected)
        grad += self.status_quo
        forfeit = (np.where(h.inducement_on, m.p("hegemon.inducement_value"), 0.0) * m.g("hegemon.sensitivity")
                   if h.inducement_on.any() else 0.0)
        self.coop = rules.choose_cooperation(
            self.coop, self.floor, m.g("balancer.ceiling"), grad, curv,
            m.p("balancer.inertia"), m.p("balancer.max_change"),
            m.partner.request_reward(), m.partner.request_level, forfeit, h.accepted,
        )

    def account(self) -> None:
        """This month's welfare, after the hegemon has answered."""
        m, h = self.model, self.model.hegemon
        east = self.east()
        self.align = rules.alignment(self.coop, m.g("hegemon.sensitivity"), east)
        threat = rules.threat_of(self.coop, m.g("hegemon.sensitivity"), m.presence())
        self.welfare, self.loss = rules.welfare(
            self.coop, self.gain(), self.status_quo, self.kappa(),
            m.p("balancer.hedging_weight"), east, threat, h.rung, self.sanction_cost(),
            m.p("hegemon.military_severity"), m.p("hegemon.inducement_value"), h.inducement_on,
            m.partner.request_reward(), m.partner.request_level,
        )
        self.cumulative_loss += self.loss


class Hegemon(mesa.Agent):
    """The regional power (default Russia): threat perception, escalation ladder, inducements."""

    model: AllianceModel

    def __init__(self, model: AllianceModel, name: str) -> None:
        super().__init__(model)
        self.name = name
        R, D = model.shape
        self.threat = np.zeros(R)
        self.rung = np.zeros(R, dtype=np.int8)
        self.remaining = np.zeros(R)
        self.inducement_left = np.zeros(R)
        self.inducement_on = np.zeros(R, dtype=bool)
        self.inducement_new = np.zeros(R, dtype=bool)
        self.crossed = np.zeros(R, dtype=bool)
        self.anticipated = np.zeros((D, 1))
        # one persistent misreading per replication (counter-based draw at month 0), conditioned on
        # the tolerated status quo in ``settle``
        self.misreading = rng.normal(model.keys, 0, rng.STREAMS["threat_noise_a"], rng.STREAMS["threat_noise_b"])
        self.accepted = np.broadcast_to(model.g("balancer.initial"), (D, R)).copy()
        self.tolerance = np.zeros(R)
        self.posture = np.zeros(())

    def settle(self, coop: np.ndarray) -> None:
        """Accept the status quo (ODD 5): the cooperation it has lived with and the threat it
        reads into it (revealed preference: it did not act against them). The ladder slides above
        the noise-free status-quo threat (what the report and the app draw); the misreading is
        conditioned on the status quo having been tolerated (``rules.tolerated_misreading``)."""
        m = self.model
        self.accepted = coop.copy()
        self.posture = np.array(m.p("hegemon.hardening"), dtype=np.float64, copy=True)
        R = self.model.shape[0]
        self.tolerance = np.broadcast_to(rules.threat_of(coop, m.g("hegemon.sensitivity"), m.presence()), (R,)).copy()
        self.misreading = rules.tolerated_misreading(self.misreading, self.tolerance, self.thresholds()[0],
                                                     m.p("hegemon.tolerance_margin"), m.p("hegemon.noise_sd"))
        self.threat, self.crossed = self.perceive(coop)

    def perceive(self, coop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Perceived threat and red-line crossing for cooperation ``coop`` (``rules.perceived_threat``)."""
        m = self.model
        return rules.perceived_threat(
            coop, self.anticipated, m.g("hegemon.sensitivity"), m.g("hegemon.red_line"),
            m.presence(), m.p("hegemon.anticipation"), m.p("hegemon.noise_sd"), self.misreading,
            self.accepted,
        )

    def thresholds(self) -> np.ndarray:
        """Thresholds after the tolerated status quo, then any hardening since the start
        (``thresholds.effective_threshold``: hardening in force at the start is part of the status
        quo the hegemon tolerated; hardening added later lowers every rung)."""
        m = self.model
        return effective_threshold(m.g("hegemon.threshold"), m.p("hegemon.hardening"), self.posture,
                                   self.tolerance, m.p("hegemon.tolerance_margin"))

    def own_cost(self) -> np.ndarray:
        """What economic or military measures cost the hegemon, in threat-index units."""
        m = self.model
        return m.p("hegemon.cost_weight") * m.p("hegemon.trade_share_with_balancer")

    def step(self) -> None:
        """Perceive the threat, choose a rung, and decide on an inducement (never with a stick)."""
        m = self.model
        month = m.month
        self.threat, self.crossed = self.perceive(m.balancer.coop)
        thresholds = self.thresholds()
        line = rules.economic_line_crossed(m.balancer.coop, self.anticipated, m.p("hegemon.anticipation"),
                                           m.g("hegemon.economic_line"), self.accepted)
        self.rung, self.remaining = rules.escalate(
            self.rung, self.remaining, self.threat, thresholds, m.p("hegemon.hysteresis"),
            m.p("hegemon.long_measure_probability"), m.p("hegemon.long_duration_min"),
            m.p("hegemon.long_duration_max"),
            rng.uniform(m.keys, month, rng.STREAMS["duration_kind"]),
            rng.uniform(m.keys, month, rng.STREAMS["duration_length"]),
            rules.line_pull_of(line, m.p("hegemon.line_leverage"), m.p("balancer.export_share_via_russia")),
            self.own_cost(),
        )
        before = self.inducement_on
        self.inducement_left, self.inducement_on = rules.offer_inducement(
            self.inducement_left, self.threat, thresholds[0], m.p("balancer.bloc_commitment"),
            m.p("hegemon.inducement_min_commitment"), m.p("hegemon.inducement_propensity"),
            m.p("hegemon.inducement_months"), rng.uniform(m.keys, month, rng.STREAMS["inducement"]),
            self.rung,
        )
        self.inducement_new = self.inducement_on & ~before
