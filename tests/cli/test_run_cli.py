"""`alliance run`: replaying one replication equals its row of the ensemble; --out writes both files."""

from __future__ import annotations

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from alliance.cli import app
from alliance.model import simulate


def test_cli_replay_equals_batch_row(tmp_path):
    out = tmp_path / "replay.csv"
    res = CliRunner().invoke(app, ["run", "energy_support_forced", "--replay", "17", "--out", str(out)])
    assert res.exit_code == 0, res.output
    replay = pd.read_csv(out)
    batch = simulate("energy_support_forced", replications=40).trajectories
    b17 = batch[batch.replication == 17].reset_index(drop=True)
    np.testing.assert_allclose(replay["threat"], b17["threat"], rtol=1e-6)
    np.testing.assert_array_equal(replay["escalation"], b17["escalation"])


def test_cli_run_writes_results_and_summary(tmp_path):
    out = tmp_path / "res.parquet"
    res = CliRunner().invoke(app, ["run", "baseline", "-r", "30", "--months", "6", "--seed", "1",
                                   "--set", "hegemon.threshold.economic=0.6", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "P(economic sanctions)" in res.output
    assert len(pd.read_parquet(out)) == 30 * 7
    assert len(pd.read_parquet(tmp_path / "res_summary.parquet")) == 30
