"""The ``expected:`` block of a hindcast episode: what history says happened after the trigger.

An episode file (``scenarios/episodes/*.yaml``) is an ordinary scenario plus this block::

    expected:
      domain: energy           # the trigger's domain
      response: economic       # none | diplomatic | economic | military
      window_months: 12        # counted from the trigger event
      lag_months: [0, 2]       # optional: first measure of that level, relative to the trigger
      outcome: held            # deepened | held | rolled_back

The trigger month is ``trigger_month`` when given, otherwise the month of the first fixed-month
event in ``domain`` (a request or a force). ``Scenario`` checks that the trigger exists and that the
window ends within the horizon (``trigger_month + window_months <= horizon_months``). How the block
is scored, and what deepened, held and rolled back mean, is stated once in
``alliance.analysis.validate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .parameters import DOMAINS, RUNGS

RESPONSES: tuple[str, ...] = RUNGS
"""Response levels, lowest first: the hegemon's ladder (``parameters.RUNGS``)."""

OUTCOME_LEVELS: tuple[str, ...] = ("rolled_back", "held", "deepened")
"""The balancer's cooperation in the trigger's domain at the window's end, against before."""

ExpectedDomain = Literal[DOMAINS]  # type: ignore[valid-type]
Response = Literal[RUNGS]  # type: ignore[valid-type]
OutcomeLevel = Literal["deepened", "held", "rolled_back"]

MAX_WINDOW_MONTHS = 600


class Expected(BaseModel):
    """What happened historically after an episode's trigger (episodes.md, calibration table)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    domain: ExpectedDomain = Field(description="the trigger's domain")
    response: Response = Field(
        description="the highest level the hegemon reaches within the window: "
                    "none | diplomatic | economic | military")
    window_months: int = Field(ge=1, le=MAX_WINDOW_MONTHS,
                               description="months counted from the trigger event")
    lag_months: tuple[float, float] | None = Field(
        None, description="optional [lo, hi]: months from the trigger to the first measure of the "
                          "expected level (negative = pre-emptive)")
    outcome: OutcomeLevel = Field(
        description="deepened | held | rolled_back: the balancer's cooperation in the domain at "
                    "the window's end, against just before the trigger")
    trigger_month: int | None = Field(
        None, ge=1, le=MAX_WINDOW_MONTHS,
        description="month of the trigger; default: the first fixed-month event in 'domain'")
    source: str = Field("", max_length=400,
                        description="episode id and sources (episodes.md), in words")

    @field_validator("lag_months")
    @classmethod
    def _lag_order(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and v[0] > v[1]:
            raise ValueError(f"lag_months [{v[0]:g}, {v[1]:g}]: the first bound must not exceed "
                             "the second")
        return v

    @model_validator(mode="after")
    def _lag_in_window(self) -> "Expected":
        if self.lag_months is not None:
            lo, hi = self.lag_months
            if lo > self.window_months:
                raise ValueError(f"lag_months [{lo:g}, {hi:g}] starts after the window "
                                 f"({self.window_months} months)")
        return self


def trigger_of(expected: Expected, events: Sequence[Any]) -> tuple[int, int] | None:
    """(trigger month, months the hegemon saw it coming) for ``expected`` among ``events``.

    The trigger is ``expected.trigger_month`` when given, otherwise the earliest fixed-month event
    (request or force) in ``expected.domain``. The lead is the largest ``announce_months`` among the
    events in that domain that happen in the trigger month (0 if none is announced): the hegemon
    can answer an announced trigger before it happens (episode U1). Returns None when no trigger
    can be identified.
    """
    in_domain = [ev for ev in events
                 if getattr(ev, "domain", None) == expected.domain and ev.month is not None]
    month = expected.trigger_month
    if month is None:
        if not in_domain:
            return None
        month = min(ev.month for ev in in_domain)
    lead = max((ev.announce_months for ev in in_domain if ev.month == month), default=0)
    return int(month), int(lead)


def check_against(expected: Expected, events: Sequence[Any], horizon_months: int) -> list[str]:
    """Cross-checks of the block against its scenario; returns messages (empty when consistent)."""
    found = trigger_of(expected, events)
    if found is None:
        return [f"expected: no trigger: give expected.trigger_month or an event (request or force) "
                f"with a fixed month in domain {expected.domain!r}"]
    month, lead = found
    errors: list[str] = []
    end = month + expected.window_months
    if end > horizon_months:
        errors.append(f"expected.window_months: the window ends in month {end} (trigger month "
                      f"{month} + {expected.window_months}), beyond the horizon "
                      f"({horizon_months} months)")
    if month - lead < 1:
        errors.append(f"expected: the trigger (month {month}) is announced {lead} months ahead, "
                      "before the first simulated month; move it later")
    if expected.lag_months is not None and expected.lag_months[0] < 1 - month:
        errors.append(f"expected.lag_months: a lag of {expected.lag_months[0]:g} months would fall "
                      f"before month 1 (the trigger is in month {month})")
    return errors
