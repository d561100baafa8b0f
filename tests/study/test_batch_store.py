"""Studies: the store's layout and joins, bit-identical results across executors and chunk sizes,
replay of any run alone, resume, corruption reports, overwrite protection."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alliance.errors import UserError
from alliance.model import SUMMARY_OUTCOMES, TRAJECTORY_OUTCOMES, simulate
from alliance.model.scenario_files import load_scenario
from alliance.model.yamlio import InputError
from alliance.study.batch import run_batch, scenario_sha
from alliance.study.store import load_results

STUDY = """\
name: study
description: a small study over Russia's threshold and Kazakhstan's exposure
extends: energy_support_georgia_ukraine
horizon_months: 24
uncertainties:
  hegemon.threshold.economic: {dist: uniform, low: 0.6, high: 0.8}
  balancer.export_share_via_russia: {dist: triangular, low: 0.5, mode: 0.75, high: 0.9}
  partner.patience_months: [3, 6, 12]
"""


@pytest.fixture(scope="module")
def scen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("scen") / "study.yaml"
    p.write_text(STUDY, encoding="utf-8")
    return p


def _kw(scen: Path) -> dict:
    return {"scenarios": [scen, "baseline"], "samples": 6, "replications": 40, "seed": 7, "progress": False}


@pytest.fixture(scope="module")
def reference(scen: Path, tmp_path_factory: pytest.TempPathFactory):
    return run_batch(**_kw(scen), out=tmp_path_factory.mktemp("ref") / "ref", chunk_runs=64)


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.runs, b.runs)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.trajectories(), b.trajectories())


def test_layout_keys_and_joins(reference, scen: Path) -> None:
    st = reference
    p = st.path
    for f in ("manifest.json", "runs.parquet", "samples.parquet"):
        assert (p / f).is_file()
    assert sorted(x.name for x in (p / "summary").iterdir()) == [f"part-{i:06d}.parquet" for i in range(len(st.manifest["chunks"]))]
    runs, summ = st.runs, st.summary
    total = 6 * 40 + 40
    assert len(runs) == len(summ) == total == st.runs_total
    assert runs["run_id"].tolist() == list(range(total)) == summ["run_id"].tolist()
    assert list(summ.columns) == ["run_id", "scenario", "sample", "replication", *SUMMARY_OUTCOMES]
    traj = st.trajectories()
    assert list(traj.columns) == ["run_id", "scenario", "sample", "replication", "month", *TRAJECTORY_OUTCOMES]
    assert len(traj) == 240 * 25 + 40 * 37  # month 0 … horizon for each run
    assert traj.groupby("run_id").size().min() == 25
    assert traj["threat"].dtype == np.float32
    joined = summ.merge(runs, on=["run_id", "scenario", "sample", "replication"], validate="one_to_one")
    assert len(joined) == total
    # the baseline runs carry the scenario's fixed values in the parameter columns
    base = runs[runs["scenario"] == "baseline"]
    assert (base["hegemon.threshold.economic"] == load_scenario("baseline").params()["hegemon.threshold.economic"]).all()
    sub = st.trajectories(columns=["threat"], scenarios=["baseline"])
    assert list(sub.columns) == ["run_id", "scenario", "sample", "replication", "month", "threat"]
    assert set(sub["scenario"]) == {"baseline"}
    few = st.trajectories(columns=["welfare"], run_ids=[3, 250])
    assert sorted(few["run_id"].unique()) == [3, 250]
    assert len(few) == 25 + 37
    pd.testing.assert_frame_equal(
        few[few.run_id == 3].reset_index(drop=True),
        traj.loc[traj.run_id == 3, list(few.columns)].reset_index(drop=True))


def test_manifest_records_provenance(reference, scen: Path) -> None:
    m = json.loads((reference.path / "manifest.json").read_text())
    s0 = m["scenarios"][0]
    assert s0["name"] == "study"
    assert s0["yaml"] == STUDY
    assert s0["sha256"] == scenario_sha(load_scenario(scen))
    assert m["sampler"] == "lhs"
    assert m["sample_seed"] == 7
    assert s0["seed"] == 7
    for k in ("python", "mesa", "numpy", "pyarrow", "alliance-balancing"):
        assert m["versions"][k]
    assert "git_commit" in m
    assert all(c["status"] == "done" for c in m["chunks"])


def test_any_run_replays_alone(reference) -> None:
    st = reference
    runs = st.runs.set_index("run_id")
    sc = load_scenario(st.manifest["scenarios"][0]["source"])
    for rid in (0, 77, 239):
        row = runs.loc[rid]
        vals = {k: float(row[k]) for k in st.manifest["scenarios"][0]["parameters"]}
        res = simulate(sc.with_params(vals), seed=7, replication_ids=[int(row["replication"])])
        got = st.summary[st.summary["run_id"] == rid].iloc[0]
        for col in ("final_alignment", "cumulative_welfare_loss", "months_sanctioned", "max_escalation"):
            assert got[col] == res.summary[col].iloc[0], (rid, col)


def test_identical_across_chunk_sizes_and_processes(reference, scen: Path, tmp_path: Path) -> None:
    _same(reference, run_batch(**_kw(scen), out=tmp_path / "c1", chunk_runs=1000))
    _same(reference, run_batch(**_kw(scen), out=tmp_path / "w2", chunk_runs=37, workers=2))


def test_identical_on_a_dask_local_cluster(reference, scen: Path, tmp_path: Path) -> None:
    _same(reference, run_batch(**_kw(scen), out=tmp_path / "dask", chunk_runs=50, dask_local=2))


def test_dask_worker_killed_mid_study(reference, scen: Path, tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        pids = client.run(os.getpid)
        killed: list[int] = []

        def kill_one(entry: dict) -> None:
            if not killed:
                pid = next(iter(pids.values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        st = run_batch(**_kw(scen), out=tmp_path / "dk", chunk_runs=20, scheduler=client, on_chunk=kill_one)
        assert killed
    _same(reference, st)


def test_resume_reruns_only_what_is_missing(reference, scen: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    st = run_batch(**_kw(scen), out=out, chunk_runs=64)
    m = json.loads((out / "manifest.json").read_text())
    # pretend the batch died: two chunks pending, one of them with its file already renamed
    m["chunks"][1]["status"] = "pending"
    m["chunks"][3]["status"] = "pending"
    (out / "summary" / "part-000003.parquet").unlink()
    (out / "manifest.json").write_text(json.dumps(m))
    seen: list[int] = []
    st = run_batch([scen, "baseline"], out=out, resume=True, progress=False,
                   on_chunk=lambda e: seen.append(e["id"]))
    assert sorted(seen) == [1, 3]
    _same(reference, st)


def test_corrupted_chunk_is_named_and_the_rest_readable(reference, scen: Path, tmp_path: Path) -> None:
    out = tmp_path / "bad"
    run_batch(**_kw(scen), out=out, chunk_runs=64)
    bad = out / "summary" / "part-000002.parquet"
    data = bytearray(bad.read_bytes())
    mid = len(data) // 2
    data[mid : mid + 64] = bytes(64)  # same size, damaged data pages
    bad.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"part-000002\.parquet"):
        _ = load_results(out).summary
    st = load_results(out, skip_corrupt=True)
    summ = st.summary
    assert len(summ) == len(reference.summary) - 64
    assert any("part-000002.parquet" in p for p in st.problems)
    # --resume finds the damaged chunk, reruns it, and the study is whole again
    _same(reference, run_batch(None, out=out, resume=True, progress=False))


def test_truncated_chunk_is_named(reference, scen: Path, tmp_path: Path) -> None:
    out = tmp_path / "trunc"
    run_batch(**_kw(scen), out=out, chunk_runs=64)
    f = out / "trajectories" / "part-000000.parquet"
    f.write_bytes(f.read_bytes()[:-100])
    with pytest.raises(InputError, match=r"part-000000\.parquet"):
        load_results(out)


def test_not_a_study_and_wrong_scenario(scen: Path, tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(InputError, match="not a study folder"):
        load_results(tmp_path / "plain")
    with pytest.raises(InputError, match="not a study folder"):
        run_batch(scen, out=tmp_path / "plain", resume=True, progress=False)
    run_batch("baseline", replications=10, out=tmp_path / "b", progress=False)
    with pytest.raises(UserError, match="made from a different scenario"):
        run_batch(scen, out=tmp_path / "b", resume=True, progress=False)
    with pytest.raises(UserError, match=r"made with replications|other replications"):
        run_batch("baseline", replications=11, out=tmp_path / "b", resume=True, progress=False)


def test_never_overwritten_without_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "o"
    run_batch("baseline", replications=10, out=out, progress=False)
    before = (out / "manifest.json").read_bytes()
    with pytest.raises(UserError, match="already exists"):
        run_batch("baseline", replications=12, out=out, progress=False)
    assert (out / "manifest.json").read_bytes() == before
    st = run_batch("baseline", replications=12, out=out, overwrite=True, progress=False)
    assert st.runs_total == 12
    other = tmp_path / "keep"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="not a study; refusing"):
        run_batch("baseline", replications=10, out=other, overwrite=True, progress=False)
    assert (other / "notes.txt").read_text() == "mine"
