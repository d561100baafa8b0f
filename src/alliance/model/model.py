"""AllianceModel: the Mesa model, vectorised over replications (docs/ODD.md, section 3).

Each month (one ``step()``), in this order, for every replication at once:

1. scenario events due this month fire (fixed months, or conditions on last month's state);
   announced events become visible to the hegemon ``announce_months`` ahead;
2. the partner judges pending requests and updates its interest and offers;
3. the balancer learns from last month's signal and moves its cooperation;
4. the hegemon perceives the threat, climbs or leaves the escalation ladder, and may offer an
   inducement;
5. the balancer's welfare is booked, and every declared outcome is recorded.

With ``replications=1`` this is an ordinary Mesa model that ``mesa.batch_run`` and SolaraViz can
drive; its ``DataCollector`` holds the ensemble mean of every trajectory outcome per step, for any
number of replications (``collector.RecordCollector`` reads it from the record).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from . import kernel, record_pool
from . import rng as counter_rng
from .agents import Balancer, Hegemon, Partner
from .collector import RecordCollector
from .outcomes import SUMMARY_OUTCOMES, TRAJECTORY_OUTCOMES
from .parameters import DOMAINS, GROUPS, PARAMS, RUNGS, check_value, cross_check
from .rules import defection_hardening, presence_of, threat_of
from .scenario import ForceEvent, HardenEvent, LoseAlternativeEvent, RequestEvent, Scenario, SetEvent
from .scenario_files import load_scenario

MAX_SEED = 2**63 - 1  # largest seed, as in a scenario file: a larger one is refused, never wrapped

_OUT = tuple(TRAJECTORY_OUTCOMES)
_IDX = {name: i for i, name in enumerate(_OUT)}
_DOMAIN_IDX = {d: i for i, d in enumerate(DOMAINS)}
_GROUP_MEMBERS: dict[str, list[str]] = {
    **{g: [f"{g}.{d}" for d in DOMAINS] for g in GROUPS},
    "hegemon.threshold": [f"hegemon.threshold.{r}" for r in RUNGS[1:]],
}
_IN_GROUP = {n for members in _GROUP_MEMBERS.values() for n in members}
_MESA_RNG_KW = "rng" if "rng" in inspect.signature(mesa.Model.__init__).parameters else "seed"


def _is_mesa_scenario(obj: object) -> bool:
    """Whether ``obj`` is Mesa's own scenario object (``mesa.experimental.scenarios.Scenario``)."""
    return any(c.__module__.startswith("mesa.") and c.__name__ == "Scenario" for c in type(obj).__mro__)


def _params_message(params: object) -> str:
    example = "parameters={'params': [{'hegemon.noise_sd': 0.1}, {'hegemon.noise_sd': 0.2}]}"
    return (f"params must be a mapping of dotted parameter name → value, got {type(params).__name__} "
            f"{params!r:.60}; with mesa.batch_run give a list of mappings, one per run: {example} "
            "(batch_run iterates a dict's keys, so a dict of lists does not work)")


class AllianceModel(mesa.Model):
    """An ensemble of ``replications`` runs of one scenario, advanced together.

    Args:
        scenario: a ``Scenario``, a shipped scenario's name, or a YAML file path. Mesa's own
            scenario object (Mesa ≥ 3.5 passes one here when SolaraViz resets the model) is
            accepted and stands for ``spec`` (default ``"baseline"``).
        spec: the same as ``scenario``, under a name Mesa leaves alone: give it in SolaraViz's
            ``model_params`` so Reset rebuilds the scenario you chose.
        replications: number of replications R (default: the scenario's).
        seed: seed of the counter-based generator (default: the scenario's). Replication r's
            trajectory depends only on (scenario, parameters, seed, r).
        months: horizon override (default: the scenario's ``horizon_months``).
        replication_ids: explicit replication indices (default ``0 … R−1``), so a chunk of a
            large batch, or one replication replayed alone, draws exactly the same numbers.
        params: per-replication parameter values (a mapping: dotted name → scalar or array of
            length R), applied on top of the scenario; used by batch samplers. With
            ``mesa.batch_run`` give a list of such mappings, one per grid point.
        rng: accepted from ``mesa.batch_run`` (Mesa ≥ 3.4 passes it); an integer is used as the
            seed when ``seed`` is not given; the model's own draws are counter-based either way.
        collect: kept for compatibility and ignored: ``datacollector`` (ensemble means per step)
            is read from the full record, which is always kept, so it costs nothing per step.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path | Any = "baseline",
        replications: int | None = None,
        seed: int | None = None,
        months: int | None = None,
        replication_ids: np.ndarray | list[int] | None = None,
        params: Mapping[str, Any] | None = None,
        collect: bool | None = None,
        rng: int | None = None,
        spec: Scenario | str | Path | None = None,
    ) -> None:
        if spec is None:
            spec = "baseline" if _is_mesa_scenario(scenario) else scenario
        sc = spec if isinstance(spec, Scenario) else load_scenario(spec)
        if params is not None and not isinstance(params, Mapping):
            raise ValueError(_params_message(params))
        self.spec = sc  # not `scenario`: Mesa 3.5 reserves that name
        if seed is None and isinstance(rng, (int, np.integer)):
            seed = int(rng)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))
                                 or not 0 <= int(seed) <= MAX_SEED):
            raise ValueError(f"seed must be a whole number from 0 to 2**63 - 1, got {seed!r:.40}")
        self.seed_value = int(sc.seed if seed is None else seed)
        super().__init__(**{_MESA_RNG_KW: self.seed_value})
        if replication_ids is None:
            n = sc.replications if replications is None else int(replications)
            if n < 1:
                raise ValueError(f"replications must be at least 1, got {replications!r:.40}")
            replication_ids = np.arange(n, dtype=np.int64)
        self.replication_ids = np.asarray(replication_ids, dtype=np.int64)
        if self.replication_ids.ndim != 1 or len(self.replication_ids) == 0:
            raise ValueError("replication_ids must be a non-empty 1-D array")
        R = len(self.replication_ids)
        self.shape = (R, len(DOMAINS))
        self.horizon = int(sc.horizon_months if months is None else months)
        record_pool.roomy_heap(R * self.horizon)
        self.keys = counter_rng.key(self.seed_value, self.replication_ids)
        self.month = 0

        # A parameter is a 0-d array (one value for every replication) until a sampler or a
        # masked event gives replications different values; then it is an (R,) array.
        self._p: dict[str, np.ndarray] = {
            k: np.array(v, dtype=np.float64) for k, v in sc.params().items()
        }
        for name, value in (params or {}).items():
            if name not in PARAMS:
                raise ValueError(f"unknown parameter {name!r}")
            try:
                arr = np.broadcast_to(np.asarray(value, dtype=np.float64), (R,)).copy()
            except (TypeError, ValueError):
                raise ValueError(f"params[{name!r}]: {value!r:.60} is not a number, nor an array of {R} "
                                 "numbers (one per replication)") from None
            bad = [check_value(name, float(v)) for v in np.unique(arr)]
            if any(bad):
                raise ValueError(next(b for b in bad if b))
            self._p[name] = arr
        if params:
            self._check_arrays()
        self._g: dict[str, np.ndarray] = {}
        self._rebuild_groups()
        self._packed: np.ndarray | None = None  # the kernel's parameter table (kernel.pack), rebuilt after events

        self._events = [(ev, np.zeros(R, dtype=bool)) for ev in sc.events]
        names = sc.names()
        self.partner = Partner(self, names["partner"])
        self.balancer = Balancer(self, names["balancer"])
        self.hegemon = Hegemon(self, names["hegemon"])
        self.balancer.coop = np.minimum(self.balancer.coop, self.g("balancer.ceiling"))

        # The record is float32 (7 significant digits; computation is float64 throughout); its
        # memory may be a released model's (record_pool), so months are read only once written.
        self._rec = record_pool.take((len(_OUT), self.horizon + 1, R))
        # Start at rest (ODD 5): the hegemon accepts the status quo, the balancer's belief and its
        # status-quo term make the observed cooperation its best response.
        self.hegemon.settle(self.balancer.coop)
        self.balancer.settle(threat_of(self.balancer.coop, self.g("hegemon.sensitivity"), self.presence()))
        self.balancer.account()
        self.balancer.cumulative_loss[:] = 0.0
        self._record()
        self._collect = False  # the collector reads the record: nothing to collect per step
        self.datacollector = RecordCollector(self, _OUT)
        self.running = self.horizon > 0

    # ---------------------------------------------------------------- parameter access
    def p(self, name: str) -> np.ndarray:
        """A scalar parameter: a 0-d array, or (R,) when replications differ."""
        return self._p[name]

    def g(self, group: str) -> np.ndarray:
        """A parameter group (per domain, or the three thresholds): (n, 1) or (n, R)."""
        return self._g[group]

    def _materialise(self, name: str) -> np.ndarray:
        """Give a parameter one value per replication, so a masked event can change some."""
        if self._p[name].ndim == 0:
            self._p[name] = np.full(self.shape[0], float(self._p[name]))
        return self._p[name]

    def _rebuild_groups(self) -> None:
        R = self.shape[0]
        for group, members in _GROUP_MEMBERS.items():
            rows = [self._p[n] for n in members]
            if all(r.ndim == 0 for r in rows):
                self._g[group] = np.array(rows, dtype=np.float64).reshape(-1, 1)
            else:
                self._g[group] = np.stack([np.broadcast_to(r, (R,)) for r in rows], axis=0)

    def _check_arrays(self) -> None:
        """Cross-field checks per replication, for per-replication parameter values."""
        p = self._p
        t = [p[f"hegemon.threshold.{r}"] for r in RUNGS[1:]]
        bad = ~((t[0] < t[1]) & (t[1] < t[2]))
        bad |= p["hegemon.long_duration_min"] > p["hegemon.long_duration_max"]
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            R = self.shape[0]
            msg = cross_check({k: float(np.broadcast_to(v, (R,))[i]) for k, v in p.items()})
            raise ValueError(f"{int(bad.sum())} replication(s) with inconsistent parameters: {'; '.join(msg)}")

    def presence(self) -> np.ndarray:
        """Threat from the partner's regional footholds, as the hegemon weighs it."""
        return presence_of(self._p["hegemon.presence_weight"], self._p["partner.alternatives"])

    # ---------------------------------------------------------------- events
    def _apply_events(self) -> None:
        t = self.month
        anticipated = np.zeros((len(DOMAINS), 1))
        for ev, fired in self._events:
            if ev.month is not None:
                if isinstance(ev, (RequestEvent, ForceEvent)) and ev.month - ev.announce_months <= t < ev.month:
                    d = _DOMAIN_IDX[ev.domain]
                    anticipated[d] = max(anticipated[d, 0], ev.level)
                if ev.month != t:
                    continue
                mask = ~fired
            else:
                cond = ev.when
                if cond is None:  # pragma: no cover - the schema gives every event a month or a when
                    raise ValueError(f"event {ev!r} has neither a month nor a when: condition")
                last = self._rec[_IDX[cond.outcome], t - 1].astype(np.float64)  # a bound of 1e300 must not overflow float32
                hit = last >= cond.above if cond.above is not None else last <= cond.below
                mask = hit & ~fired & (t >= cond.after_month)
                if not mask.any():
                    continue
            fired |= mask
            self._fire(ev, mask)
        self.hegemon.anticipated = anticipated

    def _fire(self, ev: Any, mask: np.ndarray) -> None:
        self._packed = None
        if isinstance(ev, RequestEvent):
            self.partner.request(mask, _DOMAIN_IDX[ev.domain], ev.level, ev.intensity)
        elif isinstance(ev, ForceEvent):
            d = _DOMAIN_IDX[ev.domain]
            self.balancer.floor[d, mask] = np.maximum(self.balancer.floor[d, mask], ev.level)
        elif isinstance(ev, LoseAlternativeEvent):
            alt = self._materialise("partner.alternatives")
            alt[mask] = np.maximum(alt[mask] - ev.amount, 0.0)
        elif isinstance(ev, HardenEvent):
            h = self._materialise("hegemon.hardening")
            h[mask] = np.clip(h[mask] + ev.amount, -0.5, 0.5)
        elif isinstance(ev, SetEvent):
            before = self._materialise(ev.param)[mask].copy()
            self._materialise(ev.param)[mask] = ev.value
            if ev.param == "balancer.bloc_commitment":  # a defection hardens the hegemon (ODD 7.2)
                weight = np.broadcast_to(self._p["hegemon.defection_weight"], self.shape[:1])[mask]
                h = self._materialise("hegemon.hardening")
                h[mask] = np.clip(h[mask] + defection_hardening(before, ev.value, weight), -0.5, 0.5)
            if ev.param in _IN_GROUP:
                self._rebuild_groups()
                self.balancer.floor = np.minimum(self.balancer.floor, self.g("balancer.ceiling"))

    # ---------------------------------------------------------------- the month
    def step(self) -> None:
        """Advance every replication by one month (ODD section 3, process overview)."""
        if self.month >= self.horizon:
            self.running = False
            return
        self.month += 1
        self._apply_events()
        if kernel.AVAILABLE:  # the same rules, fused into one compiled loop over replications
            kernel.advance(self, self.month, self.month + 1)
        else:
            self.partner.step()
            self.balancer.step()
            self.hegemon.step()
            self.balancer.account()
            self._record()
        if self._collect:
            self.datacollector.collect(self)
        if self.month >= self.horizon:
            self.running = False

    def run(self) -> AllianceModel:
        """Step to the horizon.

        With the kernel, no events and no DataCollector, the whole horizon is one kernel call
        (replication-major: each run's state stays in cache); the results are the same as
        stepping, since every replication is computed by the same operations either way.
        """
        if kernel.AVAILABLE and self.running and not self._events and not self._collect:
            self.hegemon.anticipated = np.zeros((len(DOMAINS), 1))
            kernel.advance(self, self.month + 1, self.horizon + 1)
            self.month = self.horizon
            self.running = False
        while self.running:
            self.step()
        return self

    def _record(self) -> None:
        rec, t = self._rec, self.month
        b, h, pa = self.balancer, self.hegemon, self.partner
        rec[: len(DOMAINS), t] = b.coop
        rec[_IDX["alignment"], t] = b.align
        rec[_IDX["threat"], t] = h.threat
        rec[_IDX["escalation"], t] = h.rung
        rec[_IDX["sanctions"], t] = h.rung >= 2
        rec[_IDX["inducement"], t] = h.inducement_on
        rec[_IDX["welfare"], t] = b.welfare
        rec[_IDX["interest"], t] = pa.interest
        rec[_IDX["belief"], t] = b.belief
        rec[_IDX["red_line_violation"], t] = h.crossed

    # ---------------------------------------------------------------- results
    def release(self) -> None:
        """Drop this model's arrays once its results are taken.

        Mesa 3.3 never frees a finished model, so a process that builds many models (batches,
        maps, the app) would otherwise keep every record alive. DataFrames already returned keep
        their own reference and stay valid; the model itself cannot be stepped or read afterwards.
        A record nothing else holds is kept for the next model (``record_pool``).
        """
        rec, self._rec = self._rec, np.empty((0, 0, 0), dtype=np.float32)
        record_pool.give(rec)
        del rec
        for obj in (self, *self.agents):
            for key, value in list(vars(obj).items()):
                if isinstance(value, np.ndarray) and key != "replication_ids":
                    setattr(obj, key, np.empty((0,) * value.ndim, dtype=value.dtype))
        self._p.clear()
        self._g.clear()
        self.running = False

    @property
    def record(self) -> np.ndarray:
        """Every trajectory outcome recorded so far, shape (outcomes, months + 1, R), in the order
        of ``TRAJECTORY_OUTCOMES`` (a view: copy it to keep it past ``release()``)."""
        return self._rec[:, : self.month + 1]

    def outcome(self, name: str) -> np.ndarray:
        """Recorded values of a trajectory outcome, shape (months + 1, R)."""
        return self._rec[_IDX[name], : self.month + 1]

    def trajectories(self) -> pd.DataFrame:
        """Tidy DataFrame: one row per replication-month (month 0 is the initial state).

        Rows come month by month, replications in order within each month.
        """
        T = self.month + 1
        R = self.shape[0]
        cols: dict[str, Any] = {
            "replication": np.tile(self.replication_ids, T),
            "month": np.repeat(np.arange(T, dtype=np.int16), R),
        }
        for name, i in _IDX.items():
            col = self._rec[i, :T].reshape(-1)
            cols[name] = col.astype(np.int8) if TRAJECTORY_OUTCOMES[name].discrete else col
        return pd.DataFrame(cols, copy=False)

    def summary(self) -> pd.DataFrame:
        """Tidy DataFrame: one row per replication with its summary outcomes."""
        T = self.month + 1
        sanc = self._rec[_IDX["sanctions"], 1:T] > 0.5
        esc = self._rec[_IDX["escalation"], :T]
        ever = sanc.any(axis=0)
        # months from the first sanctioned one to the end (cheaper than argmax along axis 0)
        since = np.logical_or.accumulate(sanc, axis=0).sum(axis=0, dtype=np.int16)
        first = np.where(ever, T - since, 0)
        cols: dict[str, Any] = {
            "replication": self.replication_ids,
            "sanctions_ever": ever.astype(np.int8),
            "first_sanctions_month": pd.arrays.IntegerArray(first.astype(np.int16), ~ever),
            "max_escalation": esc.max(axis=0).astype(np.int8),
            "months_sanctioned": sanc.sum(axis=0, dtype=np.int16),
            "military_ever": (esc >= 3).any(axis=0).astype(np.int8),
            "red_line_ever": (self._rec[_IDX["red_line_violation"], :T] > 0.5).any(axis=0).astype(np.int8),
        }
        for d in DOMAINS:
            cols[f"final_coop_{d}"] = self._rec[_IDX[f"coop_{d}"], T - 1].astype(np.float64)
        cols["final_alignment"] = self._rec[_IDX["alignment"], T - 1].astype(np.float64)
        cols["final_interest"] = self._rec[_IDX["interest"], T - 1].astype(np.float64)
        cols["cumulative_welfare_loss"] = self.balancer.cumulative_loss.copy()
        df = pd.DataFrame(cols)
        if list(df.columns[1:]) != list(SUMMARY_OUTCOMES):  # pragma: no cover - declared outcomes drifted
            raise RuntimeError("summary columns differ from the declared SUMMARY_OUTCOMES")
        return df

    def agent_states(self) -> dict[str, dict[str, Any]]:
        """Each agent's state and decision this month, for replication index 0 (replay view)."""
        b, h, pa = self.balancer, self.hegemon, self.partner
        rungs = RUNGS
        return {
            b.name: {"role": "balancer", **{f"coop_{d}": float(b.coop[i, 0]) for i, d in enumerate(DOMAINS)},
                     "belief": float(b.belief[0]), "welfare": float(b.welfare[0])},
            pa.name: {"role": "partner", "interest": float(pa.interest[0]),
                      "open_requests": [DOMAINS[i] for i in np.flatnonzero(pa.request_active[:, 0])]},
            h.name: {"role": "hegemon", "threat": float(h.threat[0]), "rung": rungs[int(h.rung[0])],
                     "inducement": bool(h.inducement_on[0])},
        }

