"""Every model parameter, stated once: default, unit, range and provenance.

The registry below is the single source of truth for parameter values. The scenario schema
(`scenario.py`), the `alliance params` table, the samplers' ranges, the app's sliders and
`docs/ODD.md` all read from it; nothing restates a default anywhere else.

Names are dotted paths: ``actor.name`` for scalars and ``actor.group.domain`` for per-domain
values (e.g. ``hegemon.sensitivity.energy``). Provenance is either a quote from the December 2006
briefing (``shared/briefing.txt``) or an episode id from ``shared/episodes.md`` (K1, G1, …), or
both; [E] marks our own arithmetic on those sources and [A] a modelling assumption.

Vocabularies (domains, rungs, the integration scale) are in ``vocabulary.py``, the ``Param`` record in
``param.py``, evidence-class helpers in ``evidence.py``; the names are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .briefing import (
    Q_BALANCING,
    Q_BASES,
    Q_BLOCS,
    Q_EXPANSION,
    Q_LIMITS,
    Q_LOST,
    Q_MOST_ACTIVE,
    Q_PFP,
    Q_RIGA,
    Q_RISKY,
    Q_SANCTIONS,
)
from .param import Param, per_domain
from .vocabulary import (
    ACTORS,
    DEFAULT_NAMES,
    DOMAINS,
    EVIDENCE_CLASSES,
    INTEGRATION_LEVEL_EXAMPLES,
    INTEGRATION_LEVELS,
    RUNGS,
    Evidence,
    integration_level,
)

_PARAMS: list[Param] = [
    # ---------------------------------------------------------------- balancer (Kazakhstan)
    *per_domain(
        "balancer.initial", "share", 0.0, 1.0,
        "cooperation with the partner at month 0",
        {
            "humanitarian": (0.55, f'"{Q_PFP}"; PfP since 1995, first IPAP Jan 2006 [S]', "R", (0.45, 0.65)),
            "peacekeeping": (0.40, "KAZBAT since 2000, >3,000 ISAF overflights by Apr 2006 [S]; "
                             f'"{Q_MOST_ACTIVE}"', "R", (0.3, 0.5)),
            "energy": (0.15, "BTC accord 16 Jun 2006, flows stayed small (1.3 Mt in 2009) [S] (K1)", "R", (0.08, 0.25)),
            "military_technical": (0.25, "Steppe Eagle exercises since 2003, no combat deployments [S]", "R", (0.15, 0.35)),
            "basing": (0.0, f'"{Q_BASES}"', "E"),
            "integration": (0.15, "ipap on the integration scale: first IPAP in Central Asia, Jan 2006 [S: NATO] (K1)", "E"),
        },
    ),
    *per_domain(
        "balancer.ceiling", "share", 0.0, 1.0,
        "red line: the most cooperation the balancer will ever give",
        {
            "humanitarian": (1.0, f'"{Q_PFP}": no limit stated', "E"),
            "peacekeeping": (0.8, "no combat deployments: KAZBAT and the Iraq contingent 2003-08 non-combat [S] (KI, 2011, shows it held)", "R", (0.6, 0.9)),
            "energy": (1.0, f'"{Q_RIGA}": no formal limit, restraint comes from anticipated cost (K1)', "E"),
            "military_technical": (0.7, f'"{Q_BLOCS}"; Collective Security Treaty (1992) Art. 1 [S]', "R", (0.5, 0.85)),
            "basing": (0.0, f'"{Q_BASES}"', "E"),
            "integration": (0.2, "no membership track [E from S]: above ipap (IPAP 2006 [S]), below intensified_dialogue (a membership dialogue)", "R", (0.15, 0.25)),
        },
    ),
    *per_domain(
        "balancer.benefit", "utility/month", 0.0, 2.0,
        "the balancer's gain per unit of cooperation when the partner offers it fully",
        {
            "humanitarian": (0.5, f'"{Q_PFP}" [A: low-cost, visible gains]', "A", (0.25, 1.0)),
            "peacekeeping": (0.55, "Afghan transit and KAZBAT training (KN) [A]", "A", (0.3, 1.1)),
            "energy": (0.6, "route diversification, BTC (K1) [A]", "A", (0.3, 1.2)),
            "military_technical": (0.5, "training and equipment, Steppe Eagle [A]", "A", (0.25, 1.0)),
            "basing": (0.3, "Manas rent $2m→$207m/yr (2006) [S] [A scaled]", "A", (0.15, 0.6)),
            "integration": (0.4, "association benefits (U1, A1) [A]", "A", (0.2, 0.8)),
        },
    ),
    *per_domain(
        "balancer.treaty_weight", "index", 0.0, 1.0,
        "how far cooperation in the domain breaches commitments to the hegemon's blocs",
        {
            "humanitarian": (0.0, f'"{Q_PFP}": compatible with every bloc', "E"),
            "peacekeeping": (0.1, "Afghan transit; Russia itself on the route (KN)", "R", (0.0, 0.2)),
            "energy": (0.3, f'"{Q_SANCTIONS}"; no treaty bars energy deals [A]', "A", (0.1, 0.5)),
            "military_technical": (0.6, f'"{Q_BLOCS}"; Collective Security Treaty (1992) Art. 1 [S]', "R", (0.4, 0.8)),
            "basing": (1.0, "the most of any domain: SCO Astana declaration (5 Jul 2005, hosted by Kazakhstan) asked the "
                       "coalition for a deadline for its bases [S]; Collective Security Treaty (1992) Art. 1 [S]", "R", (0.8, 1.0)),
            "integration": (1.0, "Collective Security Treaty (1992) Art. 1: join no alliance directed against a member [S]", "R", (0.8, 1.0)),
        },
    ),
    Param("balancer.bloc_commitment", 0.8, "index", 0.0, 1.0,
          f'"{Q_BLOCS}"; SCO Astana declaration hosted by Kazakhstan, 5 Jul 2005 [S]',
          "strength of commitments to the hegemon-led blocs (CSTO, SCO); 0 for a non-member",
          evidence="R", plausible=(0.6, 0.95)),
    Param("balancer.export_share_via_russia", 0.75, "share", 0.0, 1.0,
          "about 75% of oil exports via Russia in 2010 [S: OSW]; 45 of 68 Mt in 2009 [S]; the nearest "
          "dated figures to 2006 (routes around Russia stayed small: BTC 1.3 Mt in 2009 [S])",
          "economic exposure: share of exports that leave through or go to the hegemon",
          evidence="E", plausible=(0.66, 0.94)),
    Param("balancer.effort_cost", 0.6, "utility/month", 0.05, 5.0,
          "[A] diminishing returns to cooperation; sets interior optima",
          "quadratic cost coefficient of cooperating in any domain", evidence="A", plausible=(0.3, 1.2)),
    Param("balancer.commitment_cost", 1.5, "utility/month", 0.0, 10.0,
          f'"{Q_LIMITS}"',
          "quadratic cost coefficient of breaching bloc commitments (times commitment × treaty weight)",
          evidence="A", plausible=(0.75, 3.0)),
    Param("balancer.hedging_weight", 0.4, "utility/month", 0.0, 5.0,
          f'"{Q_BALANCING}"; Kuik 2008, Vanderhill et al. 2020 [A]',
          "hedging: cost per unit of the threat hazard −ln(1 − threat) the hegemon reads, times the eastern "
          "fallback at stake (avoid provocation, keep the fallback)",
          evidence="A", plausible=(0.2, 0.8)),
    Param("balancer.entrapment_aversion", 0.4, "index", 0.0, 2.0,
          "Snyder 1984; energy for Georgia and Ukraine serves NATO's quarrels (K1)",
          "share of a request's reward cancelled per unit of the domain's sensitivity to the hegemon",
          evidence="A", plausible=(0.2, 0.8)),
    Param("balancer.risk_aversion", 1.0, "index", 0.0, 5.0,
          "K1: Kazakhstan pulled back before any sanctions; Drezner 1999. Hindcast calibration "
          "(docs/validation.md): 1.0, expected cost at face value, since Georgia, Ukraine and "
          "Moldova held course under sanctions (G1, UG6, UG9, M0); K1's restraint comes from "
          "exposure and commitments, not from a special aversion [E] (was 1.5)",
          "weight on anticipated retaliation relative to its expected cost", evidence="R", plausible=(0.5, 2.0)),
    Param("balancer.initial_belief", 0.6, "index", 0.0, 1.0,
          f'"{Q_SANCTIONS}": the balancer expects sanctions once a move looks threatening',
          "believed threat level at which the hegemon turns to economic measures, at month 0",
          evidence="R", plausible=(0.5, 0.7)),
    Param("balancer.belief_sd", 0.05, "index", 0.0, 0.3,
          "[A] what Kazakhstan believed about Moscow's tolerance is not on record; the same spread "
          "as the hegemon's misreading (hegemon.noise_sd)",
          "standard deviation of the analyst's normal prior on the balancer's belief, drawn once per "
          "replication and conditioned on the quiet status quo (truncated below at threat + quiet_margin)",
          evidence="A", plausible=(0.02, 0.1)),
    Param("balancer.belief_spread", 0.06, "index", 0.01, 0.5,
          "[A] uncertainty of the balancer's belief (logistic scale)",
          "spread of the balancer's uncertainty about the hegemon's tolerance",
          evidence="A", plausible=(0.03, 0.12)),
    Param("balancer.learning_rate", 0.35, "1/month", 0.0, 1.0,
          "Fearon 1997: short measures (days) change behaviour for years (K1, B1)",
          "weight of this month's signal in the belief about the hegemon's tolerance",
          evidence="A", plausible=(0.15, 0.6)),
    Param("balancer.quiet_margin", 0.15, "index", 0.0, 0.5,
          "[A] a quiet hegemon suggests some slack above the current threat",
          "slack above the current threat the balancer infers from a month without measures",
          evidence="A", plausible=(0.05, 0.25)),
    Param("balancer.warning_gap", 0.15, "index", 0.0, 0.5,
          "K1: Kazakhstan heard the protests and pulled back before any sanctions; G1, UG6: "
          "sanctions followed warnings [E]",
          "distance above the current threat at which a protest tells the balancer sanctions would come",
          evidence="A", plausible=(0.05, 0.25)),
    Param("balancer.inertia", 0.6, "share", 0.0, 0.99,
          "[A] policy moves slowly; IPAP cycles of two years [S]",
          "share of the desired monthly adjustment that is not made", evidence="A", plausible=(0.3, 0.85)),
    Param("balancer.max_change", 0.1, "share/month", 0.01, 1.0,
          "[A] cooperation shifts by at most a tenth of its range per month",
          "largest change of cooperation in one domain in one month", evidence="A", plausible=(0.05, 0.2)),
    # ---------------------------------------------------------------- partner (NATO)
    Param("partner.base_interest", 0.25, "index", 0.0, 1.0,
          f'"{Q_MOST_ACTIVE}": interest 0.55 at the start, where the partner rests, less '
          "substitution × the half of its footholds already lost (Z1): 0.55 − 0.6 × 0.5 [E] (was 0.45 "
          "with a separate starting interest of 0.55 that drifted to 0.75)",
          "interest the partner would have with all its regional alternatives intact",
          evidence="R", plausible=(0.15, 0.35)),
    Param("partner.substitution", 0.6, "index", 0.0, 1.0,
          f'"{Q_LOST}"', "interest gained per unit of regional alternatives lost",
          evidence="A", plausible=(0.3, 0.9)),
    Param("partner.alternatives", 0.5, "share", 0.0, 1.0,
          "Uzbekistan's Karshi-Khanabad lost 2005 (Z1); Manas uncertain [S]",
          "the partner's remaining regional footholds (1 = all intact)", evidence="R", plausible=(0.4, 0.6)),
    Param("partner.interest_rate", 0.15, "1/month", 0.0, 1.0,
          "[A] interest adjusts over a year or so", "monthly adjustment of interest toward its target",
          evidence="A", plausible=(0.05, 0.3)),
    Param("partner.ambition_cap", 0.8, "index", 0.0, 1.0,
          f'"{Q_EXPANSION}"', "the most interest and the largest offer the partner will make",
          evidence="R", plausible=(0.6, 0.9)),
    *per_domain(
        "partner.offer", "share", 0.0, 1.0,
        "willingness to cooperate in the domain at full interest",
        {
            "humanitarian": (1.0, f'"{Q_PFP}"', "E"),
            "peacekeeping": (0.9, f'"{Q_RIGA}"', "R", (0.7, 1.0)),
            "energy": (0.7, f'"{Q_RIGA}"', "R", (0.5, 0.9)),
            "military_technical": (0.6, f'"{Q_RISKY}" [A: NATO side of the risk]', "A", (0.4, 0.8)),
            "basing": (0.0, f'"{Q_EXPANSION}": no standing offer; only by request', "E"),
            "integration": (0.2, "IPAP Jan 2006, no membership offer [S]: above ipap, below intensified_dialogue", "R", (0.15, 0.25)),
        },
    ),
    Param("partner.request_reward", 0.8, "utility/month", 0.0, 3.0,
          f'"{Q_RIGA}" [A]', "extra reward per unit of cooperation in a requested domain, at full intensity",
          evidence="A", plausible=(0.4, 1.6)),
    Param("partner.refusal_penalty", 0.08, "index", 0.0, 0.5,
          "[A] a refused request cools the partner (KI, K1)", "interest lost when a request is refused",
          evidence="A", plausible=(0.02, 0.16)),
    Param("partner.patience_months", 6, "months", 1, 24,
          "[A] NATO's planning cycles", "months a request waits before it is judged: met, banked at the "
          "level taken up, or refused if nothing was taken up (rules.judge_requests)",
          integer=True, evidence="A", plausible=(3, 12)),
    # ---------------------------------------------------------------- hegemon (Russia)
    *per_domain(
        "hegemon.sensitivity", "index", 0.0, 1.0,
        "how threatening the hegemon finds full cooperation in the domain",
        {
            "humanitarian": (0.05, f'"{Q_PFP}"; partnership without bases drew no more than rhetoric [E]', "R", (0.0, 0.1)),
            "peacekeeping": (0.12, "KN: Afghan transit drew no response; Russia was on the route", "R", (0.05, 0.2)),
            "energy": (0.8, f'"{Q_SANCTIONS}"', "R", (0.6, 0.95)),
            "military_technical": (0.6, f'"{Q_RISKY}"', "R", (0.4, 0.8)),
            "basing": (1.0, f'"{Q_BASES}"; Z1, SCO Astana declaration [S]', "R", (0.85, 1.0)),
            "integration": (0.95, "membership/association drew economic measures nearly every time [E] (G1, U1, A1)", "R", (0.8, 1.0)),
        },
    ),
    *per_domain(
        "hegemon.red_line", "share", 0.0, 1.0,
        "cooperation beyond which the hegemon sees a red line crossed (threat jumps to 1)",
        {
            "humanitarian": (1.0, "none: partnership and humanitarian projects drew no more than rhetoric (K1: RIA Mar 2007 [S])", "E"),
            "peacekeeping": (1.0, "none: Afghan transit with Russia on the route drew no response (KN: Jamestown [S])", "E"),
            "energy": (1.0, "none: the BTC accord drew irritation and inducements, no force; threat rises with sensitivity "
                     "instead (K1: RIA Mar 2007, Trend May 2007 [S])", "E"),
            "military_technical": (1.0, "none: exercises and training drew no more than rhetoric (K1, K2: EADaily [S])", "E"),
            "basing": (0.45, "a NATO base, not mission-bound coalition access: coalition bases in Central Asia "
                       "(Karshi-Khanabad, Manas; coded 0.4 in Z1) were tolerated after 9/11 and pushed out by "
                       "diplomacy and money, not force (Z1; Manas $2.15bn offer 2009 [S]), so the line lies above "
                       "0.4 and below a NATO presence (0.5 in nato_base_request); the value between is a judgement",
                       "R", (0.41, 0.49)),
            "integration": (0.7, "candidate (a membership promise or invitation): a MAP request drew economic measures, "
                            "not force (UG9: MAP < line); force followed the Bucharest membership promise (Georgia "
                            "2008) [E]", "R", (0.62, 0.85)),
        },
    ),
    *per_domain(
        "hegemon.economic_line", "share", 0.0, 1.0,
        "cooperation (seen or announced) at which the hegemon turns to economic measures at least",
        {
            "humanitarian": (1.0, "none: partnership without bases drew no more than rhetoric (K1: RIA Mar 2007 [S])", "E"),
            "peacekeeping": (1.0, "none: ISAF rail transit drew no response (KN: Jamestown [S])", "E"),
            "energy": (1.0, f'"{Q_SANCTIONS}"; energy sold past Russia drew supply cuts (TM09, LT06), an ally\'s deal only words (K1) [S]; 1 = no line', "R", (0.4, 1.0)),
            "military_technical": (1.0, "none: Steppe Eagle since 2003 [S] and ISAF support drew no more than rhetoric (K1, K2)", "E"),
            "basing": (1.0, "none: the red line governs basing; coalition bases drew diplomacy and inducements, never "
                       "economic measures (Z1: RFE/RL, Xinhua, RIA [S])", "E"),
            "integration": (0.2, "above ipap, at most intensified_dialogue: partnership and IPAP drew no more than rhetoric "
                            "(K1, KN, K2); Intensified Dialogue, action plans, association and MAP drew economic measures "
                            "(G1, UG6, M0, U1, A1, UG9) [E]; the value between is a judgement", "R", (0.16, 0.25)),
        },
    ),
    Param("hegemon.presence_weight", 0.25, "index", 0.0, 1.0,
          f'"{Q_LOST}"; Walt 1985 (proximity)',
          "threat from the partner's regional footholds, per unit of footholds",
          evidence="A", plausible=(0.1, 0.4)),
    Param("hegemon.noise_sd", 0.05, "index", 0.0, 0.3,
          "Russia never admits a link between trigger and response; treat it as probabilistic [E]. "
          "Persistent, not monthly: with nothing new the status quo draws no protest (target rate "
          "0 beyond reactions to moves: partnership without bases drew no more than rhetoric, and "
          "that rhetoric answered moves: K1 IPAP/BTC/Brussels, K2 the Caspian ports; KN none)",
          "standard deviation of the hegemon's misreading of the threat, drawn once per replication and "
          "conditioned on the tolerated status quo (the perceived status quo stays below the first rung)",
          evidence="A", plausible=(0.02, 0.08)),
    Param("hegemon.tolerance_margin", 0.02, "index", 0.0, 0.3,
          "[A] Levy 1997 (reference dependence); the status quo is tolerated: K1, KN (no measures "
          "against the standing partnership)",
          "smallest rise above the tolerated status-quo threat that the hegemon reads as a new move",
          evidence="A", plausible=(0.01, 0.05)),
    Param("hegemon.anticipation", 1.0, "share", 0.0, 1.0,
          "U1: pre-emptive measures 3–4 months before the Vilnius signature [S]",
          "weight the hegemon gives an announced move before it happens", evidence="R", plausible=(0.6, 1.0)),
    Param("hegemon.threshold.diplomatic", 0.5, "index", 0.0, 1.0,
          "K1, K2: diplomatic irritation at IPAP, BTC and Brussels [S]",
          "perceived threat at which the hegemon protests", evidence="R", plausible=(0.4, 0.56)),
    Param("hegemon.threshold.economic", 0.64, "index", 0.0, 1.0,
          f'"{Q_SANCTIONS}"; G1, UG6, B1, M0. Hindcast calibration (docs/validation.md): 0.64 '
          "lets association steps by unallied, lightly exposed states draw economic measures "
          "(UG6, UG9) while Kazakhstan stays below them (K1, KN, K2) [E] (was 0.68)",
          "perceived threat at which the hegemon imposes economic measures", evidence="R", plausible=(0.58, 0.74)),
    Param("hegemon.threshold.military", 0.93, "index", 0.0, 1.0,
          "military force twice: Georgia 2008, Ukraine 2014 [E]",
          "perceived threat at which the hegemon applies armed pressure", evidence="R", plausible=(0.85, 0.98)),
    Param("hegemon.hardening", 0.0, "index", -0.5, 0.5,
          "[A] posture shift; events can harden it", "amount subtracted from every threshold",
          evidence="A", plausible=(-0.05, 0.05)),
    Param("hegemon.hysteresis", 0.05, "index", 0.0, 0.3,
          "Kahn 1965: easier to stay on a rung than to climb it",
          "margin below a rung's threshold before the hegemon steps down", evidence="A", plausible=(0.02, 0.1)),
    Param("hegemon.long_measure_probability", 0.35, "share", 0.0, 1.0,
          "durations bimodal: 3–20 days (UG6, UG9, B1) or 1.5–7 years (G1, M0) [E]: 2 of 5 long; the "
          "sample is small, the value a judgement",
          "probability that a new measure is a long one", evidence="R", plausible=(0.2, 0.5)),
    Param("hegemon.long_duration_min", 18, "months", 1, 120,
          "G1 flights 18 months [S]", "shortest long measure", integer=True, evidence="E"),
    Param("hegemon.long_duration_max", 84, "months", 1, 120,
          "G1 wine ban ~7 years [S]", "longest long measure", integer=True, evidence="E"),
    Param("hegemon.sanction_severity", 0.5, "utility/month", 0.0, 3.0,
          "M0: losses ~$180m in 10 months, wine >9% of GDP [S]",
          "welfare the balancer loses per month of economic measures, per unit of exposure",
          evidence="A", plausible=(0.25, 1.0)),
    Param("hegemon.military_severity", 2.0, "utility/month", 0.0, 10.0,
          "Georgia 2008, Ukraine 2014 [E]", "welfare lost per month of armed pressure",
          evidence="A", plausible=(1.0, 4.0)),
    Param("hegemon.inducement_propensity", 0.5, "share", 0.0, 1.0,
          "carrots in Z1, K1 (Caspian pipeline deal, CPC), Kyrgyzstan 2009 [S]",
          "monthly probability of offering an inducement to a bloc ally it finds threatening",
          evidence="A", plausible=(0.25, 0.75)),
    Param("hegemon.inducement_value", 0.4, "utility/month", 0.0, 2.0,
          "K1: Caspian coastal gas pipeline, CPC expansion; Manas: $2.15bn offer [S]",
          "value per month of an inducement, forfeited by sensitive cooperation",
          evidence="A", plausible=(0.2, 0.8)),
    Param("hegemon.inducement_months", 12, "months", 1, 60,
          "[A] a deal's horizon", "how long an inducement lasts", integer=True,
          evidence="A", plausible=(6, 24)),
    Param("hegemon.inducement_min_commitment", 0.5, "index", 0.0, 1.0,
          "inducements went to bloc members and allies (Z1, K1) [E]",
          "bloc commitment from which the hegemon offers carrots at full propensity; below it the "
          "propensity falls in proportion (none outside the blocs)",
          evidence="R", plausible=(0.3, 0.7)),
    Param("hegemon.trade_share_with_balancer", 0.03, "share", 0.0, 1.0,
          "Russia–Kazakhstan trade ~$13bn in 2006 [S: Khristenko, 16 Mar 2007] of Russia's ~$440bn "
          "foreign trade [G]: ~3% [E]",
          "share of the hegemon's foreign trade that is with the balancer (lost to its own measures)",
          evidence="R", plausible=(0.02, 0.05)),
    Param("hegemon.cost_weight", 1.0, "index", 0.0, 5.0,
          "[A] Drezner 1999: coercion costs the sender; one unit of threat per unit share of trade",
          "threat the hegemon would bear rather than give up one unit share of its foreign trade",
          evidence="A", plausible=(0.5, 2.0)),
    Param("hegemon.line_leverage", 1.0, "index", 0.0, 5.0, "[A] Drezner 1999 (the sanctions paradox): coercion "
          "is chosen for the concessions it can extract, which grow with what the target loses; one unit of threat per "
          "unit share, as hegemon.cost_weight", "benefit a move past an economic line adds to the economic rung per unit "
          "of the balancer's exposure (the bar falls by leverage × export_share_via_russia; rules.line_pull_of)",
          evidence="A", plausible=(0.5, 2.0)),
    Param("hegemon.defection_weight", 0.5, "index", 0.0, 1.0, "[A] Snyder 1984 (alliance security dilemma: a patron "
          "fears abandonment); UZ12's protest and AM24's dairy stop answered a bloc defection itself [S]; half an "
          "integration step of the same size (sensitivity 0.95): leaving a bloc brings no rival in; not fitted",
          "hardening per unit fall of the balancer's bloc commitment (rules.defection_hardening)",
          evidence="A", plausible=(0.25, 0.75)),
]

PARAMS: Mapping[str, Param] = MappingProxyType({p.name: p for p in _PARAMS})
if len(PARAMS) != len(_PARAMS):  # pragma: no cover - guards the registry itself
    raise RuntimeError("duplicate parameter names in the registry")

GROUPS: tuple[str, ...] = tuple(sorted({p.name.rsplit(".", 1)[0] for p in _PARAMS if p.domain is not None}))
"""Per-domain groups, e.g. ``balancer.ceiling``."""


def defaults() -> dict[str, float]:
    """A fresh dict of every parameter's default value."""
    return {p.name: p.default for p in _PARAMS}


def domain_group(values: Mapping[str, float], group: str) -> list[float]:
    """The six values of a per-domain group, in DOMAINS order."""
    return [values[f"{group}.{d}"] for d in DOMAINS]


def check_value(name: str, value: float) -> str | None:
    """Return a message if ``value`` is not admissible for parameter ``name``, else None."""
    p = PARAMS.get(name)
    if p is None:
        return f"unknown parameter {name!r}"
    if not (p.low <= value <= p.high):
        return f"{name} = {value} is outside its range [{p.low}, {p.high}] ({p.unit})"
    if p.integer and float(value) != int(value):
        return f"{name} = {value} must be a whole number of {p.unit}"
    return None


def cross_check(values: Mapping[str, float]) -> list[str]:
    """Cross-field checks on a full parameter set; returns messages (empty when consistent)."""
    errors: list[str] = []
    t = [values[f"hegemon.threshold.{r}"] for r in RUNGS[1:]]
    if not (t[0] < t[1] < t[2]):
        errors.append(
            "hegemon.threshold: diplomatic < economic < military must hold, got "
            f"{t[0]} / {t[1]} / {t[2]}"
        )
    for d in DOMAINS:
        if values[f"balancer.initial.{d}"] > values[f"balancer.ceiling.{d}"] + 1e-12:
            errors.append(
                f"balancer.initial.{d} = {values[f'balancer.initial.{d}']} is above "
                f"balancer.ceiling.{d} = {values[f'balancer.ceiling.{d}']}"
            )
    if values["hegemon.long_duration_min"] > values["hegemon.long_duration_max"]:
        errors.append("hegemon.long_duration_min must not exceed hegemon.long_duration_max")
    return errors


# ------------------------------------------------------------------ integration-scale parameters
LEVEL_PARAMS: tuple[str, ...] = tuple(p.name for p in _PARAMS if p.domain == "integration" and p.unit == "share")
"""Parameters measured on the integration scale (initial, ceiling, offer, red and economic lines of
the ``integration`` domain): scenario files may give them as named levels."""


__all__ = [
    "ACTORS", "DEFAULT_NAMES", "DOMAINS", "EVIDENCE_CLASSES", "GROUPS", "INTEGRATION_LEVELS",
    "INTEGRATION_LEVEL_EXAMPLES", "LEVEL_PARAMS", "PARAMS", "RUNGS", "Evidence", "Param", "check_value",
    "cross_check", "defaults", "domain_group", "integration_level",
]
