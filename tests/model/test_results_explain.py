"""Results that explain themselves: keys like a study's, short reprs, the column dictionary."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from alliance.analysis import charts
from alliance.model import OUTCOMES, simulate
from alliance.model.columns import column_dictionary, column_info


@pytest.fixture(scope="module")
def res():
    return simulate("energy_support_forced", replications=30, months=12)


def test_simulate_tables_carry_run_id_and_scenario(res):
    for df in (res.trajectories, res.summary):
        assert list(df.columns[:3]) == ["run_id", "scenario", "replication"]
        assert set(df["scenario"].astype(str)) == {"energy_support_forced"}
    assert res.summary["run_id"].tolist() == list(range(30))
    replay = simulate("energy_support_forced", months=12, replication_ids=[7])
    assert set(replay.trajectories["run_id"]) == {7}
    t = res.trajectories
    assert (t.groupby("run_id")["replication"].nunique() == 1).all()
    assert t.groupby("run_id").size().eq(13).all()


def test_every_chart_takes_simulate_results(res):
    assert charts.fan_chart(res.trajectories, "threat").data
    assert charts.small_multiples(res.trajectories, "alignment").data
    assert charts.escalation_chart(res.trajectories).data
    assert charts.distribution_chart(res.summary, "final_alignment").data


def test_short_repr_and_html(res):
    r = repr(res)
    assert len(r) < 200
    assert "energy_support_forced" in r
    assert "replications=30" in r
    h = res._repr_html_()
    assert "<table>" in h
    assert len(h) < 2000


def test_first_sanctions_month_is_a_nullable_integer(res):
    assert str(res.summary["first_sanctions_month"].dtype) == "Int16"
    assert str(res.summary["max_escalation"].dtype) == "int8"


def test_every_column_has_label_unit_and_description(res):
    cols = res.columns
    assert set(cols) == set(res.trajectories.columns) | set(res.summary.columns)
    for name, info in cols.items():
        assert all(info[k] for k in ("label", "unit", "description")), name
    assert column_info("escalation")["codes"] == {"0": "none", "1": "diplomatic", "2": "economic", "3": "military"}
    assert column_info("max_escalation")["codes"]["3"] == "military"
    assert "negative" in column_info("alignment")["description"]
    assert column_info("hegemon.noise_sd")["kind"] == "parameter"
    assert column_info("no_such_column") is None
    assert set(OUTCOMES) <= set(column_dictionary())


def test_study_files_and_manifest_carry_the_dictionary(tmp_path):
    from alliance.study.batch import run_batch
    from alliance.study.store import load_results

    out = tmp_path / "s"
    run_batch(["energy_support_uncertain"], out=out, samples=3, replications=4)
    study = load_results(out)
    man = json.loads((out / "manifest.json").read_text())
    assert man["columns"]["escalation"]["codes"]["2"] == "economic"
    for f in [out / "runs.parquet", out / "samples.parquet", *sorted((out / "summary").glob("*.parquet")),
              *sorted((out / "trajectories").glob("*.parquet"))]:
        schema = pq.read_schema(f)
        d = json.loads(schema.metadata[b"alliance.columns"])
        assert set(d) == set(schema.names), f
        for field in schema:
            assert field.metadata[b"unit"], (f, field.name)
    assert str(study.summary["first_sanctions_month"].dtype) == "Int16"
    assert str(pd.read_parquet(out / "summary")["first_sanctions_month"].dtype) == "Int16"  # plain pandas too
    assert study.summary["first_sanctions_month"].isna().any()
    assert str(study.summary["max_escalation"].dtype) == "int8"
    assert pd.api.types.is_integer_dtype(study.trajectories(["escalation"])["escalation"])
