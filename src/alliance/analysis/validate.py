"""Hindcast validation: run episode scenarios and score them against what history says happened.

Each episode file is a scenario with an ``expected:`` block (``alliance.model.expected``). For each
episode the model's ensemble predicts, per replication:

- the **response**: the highest rung of the hegemon's ladder reached in the window;
- the **lag**: months from the trigger to the first month at or above the expected level;
- the **outcome**: whether the balancer's cooperation in the trigger's domain deepened, held or
  was rolled back (``classify_outcome``, the one definition used everywhere).

The prediction is the modal category with its share of replications. The score gives one point
for the response level and one for the outcome (the modal category must equal the expected one);
the lag is reported but not scored. Everything here works on data; the chart function builds a
plotly figure and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from alliance.model import Scenario, load_scenario
from alliance.model.ensemble import run_ensemble
from alliance.model.expected import OUTCOME_LEVELS, RESPONSES, Expected, trigger_of
from alliance.model.yamlio import InputError

DEFAULT_REPLICATIONS = 500
"""Replications per episode unless ``--replications`` says otherwise."""

OUTCOME_TOLERANCE = 0.1
"""Change in cooperation (share of the domain's range) that counts as a move, not drift.

0.1 is one month's largest adjustment at the default ``balancer.max_change``: a balancer that ends
the window within one month's move of where it started has held its course. The definitions,
stated once:

- **deepened**: cooperation in the trigger's domain at the window's end is at least
  ``OUTCOME_TOLERANCE`` above its level just before the trigger;
- **rolled back**: it is at least ``OUTCOME_TOLERANCE`` below that level;
- **held**: anything in between.

"Just before the trigger" is the last month before the hegemon could see it coming: the month
before the trigger, or before its announcement when it was announced ``announce_months`` ahead.
"""


@dataclass(frozen=True)
class Window:
    """The months an episode is judged on (all inclusive, as recorded months 0…H)."""

    trigger: int
    lead: int
    window_months: int

    @property
    def start(self) -> int:
        """First month counted: the trigger, or its announcement when announced ahead."""
        return self.trigger - self.lead

    @property
    def end(self) -> int:
        """Last month counted: ``window_months`` after the trigger."""
        return self.trigger + self.window_months

    @property
    def reference(self) -> int:
        """The month 'just before the trigger' that the outcome is measured against."""
        return self.start - 1


def window_of(sc: Scenario) -> Window:
    """The judged window of an episode scenario (its ``expected:`` block must be present)."""
    exp = _expected(sc)
    found = trigger_of(exp, sc.events)
    if found is None:  # the schema's cross-check makes this unreachable for loaded files
        raise ValueError(f"{sc.name}: expected: no trigger in domain {exp.domain!r}")
    return Window(found[0], found[1], exp.window_months)


def classify_outcome(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Outcome codes per replication: 0 rolled back, 1 held, 2 deepened (index into OUTCOME_LEVELS).

    The single definition of deepened / held / rolled back (see ``OUTCOME_TOLERANCE``).
    """
    change = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)
    codes = np.ones(change.shape, dtype=np.int8)
    codes[change >= OUTCOME_TOLERANCE - 1e-12] = 2
    codes[change <= -OUTCOME_TOLERANCE + 1e-12] = 0
    return codes


def response_levels(escalation: np.ndarray, window: Window) -> np.ndarray:
    """Highest rung per replication within the window; ``escalation`` is (months + 1, R)."""
    return escalation[window.start: window.end + 1].max(axis=0).astype(np.int8)


def first_lags(escalation: np.ndarray, window: Window, level: int) -> np.ndarray:
    """Months from the trigger to the first month in the window at or above ``level`` (NaN: never)."""
    seg = escalation[window.start: window.end + 1] >= level
    hit = seg.any(axis=0)
    first = seg.argmax(axis=0) + window.start - window.trigger
    return np.where(hit, first.astype(float), np.nan)


def lag_matches(lag: float, lag_range: tuple[float, float] | None) -> bool | None:
    """Whether a predicted lag (whole months) falls in the expected range, widened to whole months."""
    if lag_range is None or np.isnan(lag):
        return None
    return bool(np.floor(lag_range[0]) <= lag <= np.ceil(lag_range[1]))


@dataclass
class EpisodeResult:
    """One episode's prediction against history."""

    name: str
    file: str
    expected: Expected
    window: Window
    replications: int
    response_probs: dict[str, float]
    outcome_probs: dict[str, float]
    lag_median: float
    lag_share: float
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def predicted_response(self) -> str:
        return _mode(self.response_probs, RESPONSES)

    @property
    def predicted_outcome(self) -> str:
        return _mode(self.outcome_probs, OUTCOME_LEVELS)

    @property
    def response_match(self) -> bool:
        return self.predicted_response == self.expected.response

    @property
    def outcome_match(self) -> bool:
        return self.predicted_outcome == self.expected.outcome

    @property
    def lag_match(self) -> bool | None:
        return lag_matches(self.lag_median, self.expected.lag_months)

    @property
    def points(self) -> int:
        return int(self.response_match) + int(self.outcome_match)


def _mode(probs: dict[str, float], order: Sequence[str]) -> str:
    """The most probable category; ties go to the earlier one in ``order``."""
    best = max(probs[c] for c in order)
    return next(c for c in order if probs[c] >= best - 1e-12)


def _expected(sc: Scenario) -> Expected:
    if sc.expected is None:
        raise ValueError(f"{sc.name}: not an episode (no expected: block)")
    return sc.expected


def validate_episode(sc: Scenario, replications: int = DEFAULT_REPLICATIONS,
                     seed: int | None = None, file: str = "") -> EpisodeResult:
    """Run one episode's ensemble and compare it with its ``expected:`` block."""
    exp = _expected(sc)
    win = window_of(sc)
    esc, coop = run_ensemble(sc, lambda model: (model.outcome("escalation").copy(),
                                                model.outcome(f"coop_{exp.domain}").copy()),
                             replications=replications, seed=seed, months=win.end)
    levels = response_levels(esc, win)
    r = len(levels)
    response_probs = {lvl: float((levels == i).sum()) / r for i, lvl in enumerate(RESPONSES)}
    codes = classify_outcome(coop[win.reference], coop[win.end])
    outcome_probs = {o: float((codes == i).sum()) / r for i, o in enumerate(OUTCOME_LEVELS)}
    lag_level = RESPONSES.index(exp.response)
    if lag_level == 0:
        lag_level = RESPONSES.index(_mode(response_probs, RESPONSES))
    if lag_level == 0:
        lag_median, lag_share = float("nan"), 0.0
    else:
        lags = first_lags(esc, win, lag_level)
        hit = ~np.isnan(lags)
        lag_share = float(hit.mean())
        lag_median = float(np.median(lags[hit])) if hit.any() else float("nan")
    extra = {
        "coop_before": float(np.median(coop[win.reference])),
        "coop_after": float(np.median(coop[win.end])),
    }
    return EpisodeResult(sc.name, file, exp, win, r, response_probs, outcome_probs,
                         lag_median, lag_share, extra)


def episode_files(paths: Sequence[Path]) -> list[Path]:
    """Expand files and folders into a sorted list of episode files; InputError if there are none."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted([*p.glob("*.yaml"), *p.glob("*.yml")])
            if not found:
                raise InputError(p, "no episode files (*.yaml) in this folder", field="files")
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            raise InputError(p, "no such file or folder", field="files")
    return files


def load_episode(path: Path) -> Scenario:
    """Load an episode file; InputError if it is not valid or has no ``expected:`` block."""
    sc = load_scenario(path)
    if sc.expected is None:
        raise InputError(path, "not an episode: add an 'expected:' block (see docs/validation.md)",
                         field="expected")
    return sc


def validate_files(paths: Sequence[Path], replications: int = DEFAULT_REPLICATIONS,
                   seed: int | None = None) -> list[EpisodeResult]:
    """Load every episode first (so bad input fails before any run), then run each."""
    files = episode_files(paths)
    episodes = [(f, load_episode(f)) for f in files]
    return [validate_episode(sc, replications, seed, str(f)) for f, sc in episodes]


def score(results: Sequence[EpisodeResult]) -> tuple[int, int]:
    """(points, maximum): one point per matched response level, one per matched outcome."""
    return sum(r.points for r in results), 2 * len(results)


def results_frame(results: Sequence[EpisodeResult]) -> pd.DataFrame:
    """One row per episode: expected, predicted with probability, lag, matches, points."""
    rows = []
    for r in results:
        e = r.expected
        rows.append({
            "episode": r.name,
            "domain": e.domain,
            "trigger_month": r.window.trigger,
            "window_months": e.window_months,
            "expected_response": e.response,
            "predicted_response": r.predicted_response,
            "p_response": r.response_probs[r.predicted_response],
            "p_expected_response": r.response_probs[e.response],
            "expected_lag": "" if e.lag_months is None else f"{e.lag_months[0]:g}…{e.lag_months[1]:g}",
            "predicted_lag": r.lag_median,
            "lag_match": r.lag_match,
            "expected_outcome": e.outcome,
            "predicted_outcome": r.predicted_outcome,
            "p_outcome": r.outcome_probs[r.predicted_outcome],
            "p_expected_outcome": r.outcome_probs[e.outcome],
            "coop_before": r.extra["coop_before"],
            "coop_after": r.extra["coop_after"],
            "response_match": r.response_match,
            "outcome_match": r.outcome_match,
            "points": r.points,
            "replications": r.replications,
        })
    return pd.DataFrame(rows)


def calibration_points(results: Sequence[EpisodeResult]) -> pd.DataFrame:
    """Every predicted category probability against whether that category happened (0/1).

    One row per episode × category, for the response levels and the outcomes, so a calibrated
    model's p = 0.7 categories happen about 70% of the time.
    """
    rows = []
    for r in results:
        for kind, probs, actual in (("response", r.response_probs, r.expected.response),
                                    ("outcome", r.outcome_probs, r.expected.outcome)):
            for cat, p in probs.items():
                rows.append({"episode": r.name, "kind": kind, "category": cat,
                             "predicted": p, "happened": int(cat == actual)})
    return pd.DataFrame(rows)


def brier_scores(points: pd.DataFrame) -> dict[str, float]:
    """Mean multi-category Brier score per kind (0 perfect; 2 worst; 0.75/0.67 for a uniform guess)."""
    out: dict[str, float] = {}
    for kind, g in points.groupby("kind"):
        per_episode = ((g["predicted"] - g["happened"]) ** 2).groupby(g["episode"]).sum()
        out[str(kind)] = float(per_episode.mean())
    return out


def reliability(points: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """Binned predicted probability against observed frequency (bins of equal width on [0, 1])."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.clip(np.digitize(points["predicted"], edges[1:-1]), 0, bins - 1)
    g = points.assign(bin=idx).groupby("bin")
    return pd.DataFrame({
        "predicted": g["predicted"].mean(),
        "observed": g["happened"].mean(),
        "count": g.size(),
    }).reset_index(drop=True)


def calibration_figure(points: pd.DataFrame, title: str = "Hindcast calibration") -> go.Figure:
    """Reliability chart: predicted probability of each category against what happened."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfect calibration",
                             line={"dash": "dash", "color": "grey"}))
    symbols = {"response": "circle", "outcome": "diamond"}
    for kind, g in points.groupby("kind"):
        rel = reliability(g)
        fig.add_trace(go.Scatter(
            x=rel["predicted"], y=rel["observed"], mode="lines+markers",
            name=f"{kind}: observed frequency per bin",
            marker={"size": 6 + 2 * np.sqrt(rel["count"]), "symbol": symbols.get(str(kind), "circle")},
            text=[f"{n} predictions" for n in rel["count"]],
            hovertemplate="predicted %{x:.2f}<br>observed %{y:.2f}<br>%{text}<extra></extra>",
        ))
        jitter = 0.03 if kind == "response" else -0.03
        fig.add_trace(go.Scatter(
            x=g["predicted"], y=g["happened"] + jitter, mode="markers",
            name=f"{kind}: each episode × category", opacity=0.5,
            marker={"size": 6, "symbol": symbols.get(str(kind), "circle")},
            text=[f"{e}: {c}" for e, c in zip(g["episode"], g["category"], strict=True)],
            hovertemplate="%{text}<br>predicted %{x:.2f}<extra></extra>",
        ))
    fig.update_layout(
        title=title,
        xaxis={"title": "Predicted probability (share of replications)", "range": [-0.02, 1.02]},
        yaxis={"title": "Happened (observed frequency)", "range": [-0.08, 1.08]},
        template="plotly_white",
    )
    return fig
