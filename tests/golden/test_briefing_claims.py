"""The briefing's claims, as tests (issue 2), with default parameters and ≥ 1,000 replications."""

from __future__ import annotations

import pytest

from alliance.model import DOMAINS, simulate

N = 1000


@pytest.fixture(scope="module")
def runs():
    names = ["baseline", "kyrgyz_base_closure", "energy_support_georgia_ukraine",
             "energy_support_forced", "nato_base_request"]
    return {n: simulate(n, replications=N) for n in names}


def final(res, col):
    t = res.trajectories
    return t[t.month == t.month.max()][col]


def start(res, col):
    t = res.trajectories
    return t[t.month == 0][col]


def test_1_baseline_status_quo(runs):
    b = runs["baseline"]
    assert b.summary["sanctions_ever"].mean() < 0.10
    assert b.trajectories["coop_basing"].max() == 0.0
    for d in ("humanitarian", "peacekeeping"):
        assert final(b, f"coop_{d}").median() >= start(b, f"coop_{d}").median()
        assert final(b, f"coop_{d}").mean() >= start(b, f"coop_{d}").mean()


def test_2_kyrgyz_base_closure_raises_interest_and_cooperation(runs):
    k, b = runs["kyrgyz_base_closure"], runs["baseline"]
    assert final(k, "interest").mean() > final(b, "interest").mean()
    overall = lambda r: sum(final(r, f"coop_{d}").mean() for d in DOMAINS)  # noqa: E731
    assert overall(k) > overall(b)


def test_3_energy_support_trade_off(runs):
    free, forced = runs["energy_support_georgia_ukraine"], runs["energy_support_forced"]
    assert forced.summary["sanctions_ever"].mean() > 0.60
    assert free.trajectories.groupby("replication")["coop_energy"].max().mean() < \
        forced.trajectories.groupby("replication")["coop_energy"].max().mean()
    assert final(free, "coop_energy").mean() < final(forced, "coop_energy").mean()
    assert free.summary["sanctions_ever"].mean() < forced.summary["sanctions_ever"].mean()


def test_4_base_request_refused_other_domains_go_on(runs):
    r, b = runs["nato_base_request"], runs["baseline"]
    assert (r.trajectories["coop_basing"] == 0.0).all()
    for d in ("humanitarian", "peacekeeping", "energy", "military_technical"):
        assert final(r, f"coop_{d}").median() > 0.0
        assert final(r, f"coop_{d}").median() >= 0.8 * final(b, f"coop_{d}").median()
