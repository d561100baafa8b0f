"""The shipped defaults of the A- and R-class parameters: the posterior's central values (issue 11).

``CALIBRATED`` maps each parameter that ``alliance calibrate`` fits to the weighted median of the
shipped posterior ``data/posterior.json`` (two significant digits, integers rounded:
``Posterior.central``), fitted to the episodes with hash ``EPISODE_HASH`` at the recommended
settings (200 particles × 40 runs × 6 generations, seed 0). ``parameters.py`` states each
parameter's expert value and provenance once; ``calibrated_registry`` replaces the default by
the central value here and says so in the provenance. When the rules change, the posterior is
regenerated and this table with it (``python -m alliance.model.calibrated data/posterior.json``
prints it); ``tests/model/test_calibrated_defaults.py`` checks that the two agree.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from .param import Param

EPISODE_HASH = "cf9cd8b7e24ba1642ce5039f277db9253c9d3a148ccf4b164cf215d720f99ca0"
"""sha256 of the episode set the posterior was fitted to (``posterior.episode_hash``)."""

CALIBRATED: dict[str, float] = {
    "balancer.initial.humanitarian": 0.54,
    "balancer.initial.peacekeeping": 0.36,
    "balancer.initial.energy": 0.21,
    "balancer.initial.military_technical": 0.28,
    "balancer.ceiling.peacekeeping": 0.72,
    "balancer.ceiling.military_technical": 0.58,
    "balancer.ceiling.integration": 0.18,
    "balancer.benefit.humanitarian": 0.52,
    "balancer.benefit.peacekeeping": 0.73,
    "balancer.benefit.energy": 0.75,
    "balancer.benefit.military_technical": 0.73,
    "balancer.benefit.basing": 0.41,
    "balancer.benefit.integration": 0.49,
    "balancer.treaty_weight.peacekeeping": 0.13,
    "balancer.treaty_weight.energy": 0.25,
    "balancer.treaty_weight.military_technical": 0.59,
    "balancer.treaty_weight.basing": 0.87,
    "balancer.treaty_weight.integration": 0.85,
    "balancer.bloc_commitment": 0.73,
    "balancer.effort_cost": 0.67,
    "balancer.commitment_cost": 1.9,
    "balancer.hedging_weight": 0.62,
    "balancer.entrapment_aversion": 0.34,
    "balancer.risk_aversion": 0.86,
    "balancer.initial_belief": 0.62,
    "balancer.belief_sd": 0.064,
    "balancer.belief_spread": 0.069,
    "balancer.learning_rate": 0.36,
    "balancer.quiet_margin": 0.2,
    "balancer.warning_gap": 0.15,
    "balancer.inertia": 0.5,
    "balancer.max_change": 0.11,
    "partner.base_interest": 0.22,
    "partner.substitution": 0.6,
    "partner.alternatives": 0.43,
    "partner.interest_rate": 0.19,
    "partner.ambition_cap": 0.78,
    "partner.offer.peacekeeping": 0.88,
    "partner.offer.energy": 0.66,
    "partner.offer.military_technical": 0.59,
    "partner.offer.integration": 0.18,
    "partner.request_reward": 1.4,
    "partner.refusal_penalty": 0.084,
    "partner.patience_months": 10,
    "hegemon.sensitivity.humanitarian": 0.053,
    "hegemon.sensitivity.peacekeeping": 0.11,
    "hegemon.sensitivity.energy": 0.83,
    "hegemon.sensitivity.military_technical": 0.59,
    "hegemon.sensitivity.basing": 0.89,
    "hegemon.sensitivity.integration": 0.85,
    "hegemon.red_line.basing": 0.47,
    "hegemon.red_line.integration": 0.74,
    "hegemon.economic_line.integration": 0.2,
    "hegemon.presence_weight": 0.25,
    "hegemon.noise_sd": 0.07,
    "hegemon.tolerance_margin": 0.024,
    "hegemon.anticipation": 0.75,
    "hegemon.threshold.diplomatic": 0.49,
    "hegemon.threshold.economic": 0.65,
    "hegemon.threshold.military": 0.94,
    "hegemon.hardening": -0.0018,
    "hegemon.hysteresis": 0.083,
    "hegemon.long_measure_probability": 0.4,
    "hegemon.sanction_severity": 0.68,
    "hegemon.military_severity": 1.6,
    "hegemon.inducement_propensity": 0.45,
    "hegemon.inducement_value": 0.39,
    "hegemon.inducement_months": 14,
    "hegemon.inducement_min_commitment": 0.46,
    "hegemon.trade_share_with_balancer": 0.042,
    "hegemon.cost_weight": 1.5,
}


def calibrated_registry(params: list[Param]) -> list[Param]:
    """The registry with every calibrated default replaced by its posterior central value."""
    out = []
    for p in params:
        if p.name in CALIBRATED:
            value = CALIBRATED[p.name]
            p = replace(p, default=int(value) if p.integer else value,
                        provenance=f"{p.provenance}; default: posterior median, data/posterior.json "
                                   f"(expert value {p.default:g})")
        out.append(p)
    return out


def _print_table(path: Path) -> None:  # pragma: no cover - a maintenance helper
    from .posterior import load_posterior

    post = load_posterior(path)
    print(f'EPISODE_HASH = "{post.episode_hash}"')
    for name, value in post.central().items():
        print(f'    "{name}": {value!r},')


if __name__ == "__main__":  # pragma: no cover
    _print_table(Path(sys.argv[1]))
