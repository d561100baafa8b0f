"""Golden runs: a few fixed-seed ensembles stored small, to guard against silent drift.

Each golden file holds, per month, the ensemble mean of every trajectory outcome and the share of
replications at each escalation rung, for 64 replications of a shipped scenario. Regenerate ONLY on
purpose (a deliberate model or default change), and say why in the commit message:

    python -m tests.golden.golden_runs --regenerate
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from alliance.model import TRAJECTORY_OUTCOMES, simulate

DATA = Path(__file__).parent / "data"
CASES = {
    "baseline": 101,
    "energy_support_georgia_ukraine": 102,
    "energy_support_forced": 103,
    "nato_base_request": 104,
    "kyrgyz_base_closure": 105,
    "russia_hardline": 106,
}
R = 64
TOLERANCE = {"atol": 1e-5, "rtol": 1e-4}
"""float32 records, float64 arithmetic: allows for BLAS/libm differences across platforms."""


def compute(name: str) -> pd.DataFrame:
    traj = simulate(name, replications=R, seed=CASES[name]).trajectories
    means = traj.groupby("month")[list(TRAJECTORY_OUTCOMES)].mean().astype("float64")
    for rung in range(4):
        means[f"share_rung_{rung}"] = traj.assign(x=traj.escalation == rung).groupby("month")["x"].mean()
    return means.reset_index()


def path(name: str) -> Path:
    return DATA / f"{name}.csv"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--regenerate", action="store_true", help="overwrite the golden files")
    a = ap.parse_args()
    if not a.regenerate:
        raise SystemExit("pass --regenerate to overwrite the golden files (on purpose only)")
    DATA.mkdir(exist_ok=True)
    for name in CASES:
        compute(name).to_csv(path(name), index=False, float_format="%.8g")
        print("wrote", path(name))


if __name__ == "__main__":
    main()
