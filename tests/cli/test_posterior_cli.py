"""Posterior files: round trip, bit-for-bit runs with --posterior, bad files exit 2, calibrate CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.model.posterior import Posterior, load_posterior, save_posterior

runner = CliRunner()
NAMES = ["balancer.initial_belief", "partner.patience_months"]


def _post(path: Path, digest: str = "abc") -> Posterior:
    post = Posterior(NAMES, np.array([[0.55, 4.0], [0.7, 9.0], [0.62, 6.0]]), np.array([0.2, 0.5, 0.3]),
                     digest, {"seed": 7, "versions": {"numpy": np.__version__}})
    save_posterior(post, path)
    return post


def test_posterior_round_trips(tmp_path: Path) -> None:
    post = _post(tmp_path / "p.json")
    back = load_posterior(tmp_path / "p.json")
    assert back.names == post.names
    assert np.array_equal(back.samples, post.samples)
    assert np.array_equal(back.weights, post.weights)
    assert back.meta["seed"] == 7
    draw = back.draw(3, np.arange(2000))
    assert set(np.unique(draw["partner.patience_months"])) == {4.0, 6.0, 9.0}
    share = np.mean(draw["balancer.initial_belief"] == 0.7)
    assert 0.45 < share < 0.55  # weights respected (sampling error of 2000 draws ≈ 0.011)
    assert np.array_equal(back.draw(3, [5, 17])["balancer.initial_belief"],
                          draw["balancer.initial_belief"][[5, 17]])


def test_run_with_posterior_is_reproducible_bit_for_bit(tmp_path: Path) -> None:
    _post(tmp_path / "p.json")
    outs = []
    for k in range(2):
        out = tmp_path / f"run{k}.csv"
        res = runner.invoke(app, ["run", "baseline", "-r", "20", "--months", "12",
                                  "--posterior", str(tmp_path / "p.json"), "--out", str(out)])
        assert res.exit_code == 0, res.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    plain = tmp_path / "plain.csv"
    runner.invoke(app, ["run", "baseline", "-r", "20", "--months", "12", "--out", str(plain)])
    assert not pd.read_csv(plain).equals(pd.read_csv(tmp_path / "run0.csv"))


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (None, "no such posterior file"),
        (lambda d: d.pop("weights"), "missing field 'weights'"),
        (lambda d: d.update(parameters=["hegemon.no_such", NAMES[1]]), "unknown parameter 'hegemon.no_such'"),
        (lambda d: d["samples"][1].__setitem__(0, float("nan")), "not a finite number"),
        (lambda d: d["samples"][0].__setitem__(0, 5.0), "outside its domain"),
        (lambda d: d.update(weights=[0, 0, 0]), "sum to 0"),
    ],
)
def test_bad_posterior_files_exit_2(tmp_path: Path, edit, words: str) -> None:
    path = tmp_path / "p.json"
    if edit is not None:
        _post(path)
        data = json.loads(path.read_text())
        edit(data)
        path.write_text(json.dumps(data))
    res = runner.invoke(app, ["run", "baseline", "-r", "5", "--months", "3", "--posterior", str(path)])
    assert res.exit_code == 2, res.output
    assert words in res.output
    assert "p.json" in res.output
    assert "Traceback" not in res.output


def test_validate_rejects_a_posterior_of_another_episode_set(tmp_path: Path) -> None:
    from alliance.model.scenario_files import scenarios_dir

    _post(tmp_path / "p.json", digest="0" * 64)
    res = runner.invoke(app, ["validate", str(scenarios_dir() / "episodes" / "k1_kazakhstan_2006.yaml"),
                              "-r", "5", "--seeds", "1", "--posterior", str(tmp_path / "p.json")])
    assert res.exit_code == 2, res.output
    assert "episode_hash" in res.output


def test_calibrate_cli_writes_a_posterior_validate_accepts(tmp_path: Path) -> None:
    from alliance.model.scenario_files import scenarios_dir

    folder = tmp_path / "eps"
    folder.mkdir()
    for name in ("k1_kazakhstan_2006", "kn_kazakhstan_2010"):
        (folder / f"{name}.yaml").write_bytes((scenarios_dir() / "episodes" / f"{name}.yaml").read_bytes())
    out = tmp_path / "post.json"
    res = runner.invoke(app, ["calibrate", str(folder), "--out", str(out), "--particles", "8",
                              "-r", "4", "--generations", "2"])
    assert res.exit_code == 0, res.output
    post = load_posterior(out)
    assert len(post.weights) == 8
    assert not (tmp_path / "post.checkpoint.json").exists()
    assert {"seed", "versions", "settings", "generations"} <= set(post.meta)
    res = runner.invoke(app, ["validate", str(folder), "-r", "5", "--seeds", "1", "--posterior", str(out)])
    assert res.exit_code == 0, res.output


def test_validate_predicts_episodes_a_posterior_was_not_fitted_to(tmp_path: Path) -> None:
    """A posterior fitted to some episodes predicts others (out of sample, labelled as such); an
    episode it was fitted to that has changed since is refused, naming the file and the field."""
    from alliance.model.scenario_files import scenarios_dir

    shipped = scenarios_dir() / "episodes"
    fit, new = tmp_path / "fit", tmp_path / "new"
    fit.mkdir()
    new.mkdir()
    for name in ("k1_kazakhstan_2006", "kn_kazakhstan_2010"):
        (fit / f"{name}.yaml").write_bytes((shipped / f"{name}.yaml").read_bytes())
        (new / f"{name}.yaml").write_bytes((shipped / f"{name}.yaml").read_bytes())
    (new / "g1_georgia_2006.yaml").write_bytes((shipped / "g1_georgia_2006.yaml").read_bytes())
    out = tmp_path / "post.json"
    res = runner.invoke(app, ["calibrate", str(fit), "--out", str(out), "--particles", "8",
                              "-r", "4", "--generations", "1"])
    assert res.exit_code == 0, res.output
    assert set(load_posterior(out).meta["episode_hashes"]) == {"k1_kazakhstan_2006.yaml",
                                                               "kn_kazakhstan_2010.yaml"}
    res = runner.invoke(app, ["validate", str(new), "-r", "5", "--seeds", "1", "--posterior", str(out),
                              "--out", str(tmp_path / "t.csv")])
    assert res.exit_code == 0, res.output
    assert "2 of these 3 episodes are in its fit" in " ".join(res.output.split())
    assert "out of sample (1 episodes)" in res.output
    fitted = json.loads((tmp_path / "t.json").read_text())["posterior_fit"]
    assert fitted["in_sample"] == ["k1_kazakhstan_2006.yaml", "kn_kazakhstan_2010.yaml"]
    assert fitted["out_of_sample"] == ["g1_georgia_2006.yaml"]
    assert 0 <= fitted["out_of_sample_points"] <= 2
    changed = new / "kn_kazakhstan_2010.yaml"
    changed.write_text(changed.read_text().replace("seed:", "# edited\nseed:"))
    res = runner.invoke(app, ["validate", str(new), "-r", "5", "--seeds", "1", "--posterior", str(out)])
    assert res.exit_code == 2, res.output
    assert "episode_hashes" in res.output
    assert "kn_kazakhstan_2010.yaml" in res.output
    assert "Traceback" not in res.output


def test_posterior_with_malformed_episode_hashes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    _post(path)
    data = json.loads(path.read_text())
    data["episode_hashes"] = {"k1.yaml": "not a digest"}
    path.write_text(json.dumps(data))
    res = runner.invoke(app, ["run", "baseline", "-r", "5", "--months", "3", "--posterior", str(path)])
    assert res.exit_code == 2, res.output
    assert "episode_hashes" in res.output
    assert "p.json" in res.output


def test_batch_with_posterior_is_reproducible_and_kept_in_the_manifest(tmp_path: Path) -> None:
    from alliance.study.batch import run_batch
    from alliance.study.store import read_manifest

    post = _post(tmp_path / "p.json")
    a = run_batch(["baseline"], samples=2, replications=6, out=tmp_path / "a", posterior=post)
    b = run_batch(["baseline"], samples=2, replications=6, out=tmp_path / "b", posterior=post)
    plain = run_batch(["baseline"], samples=2, replications=6, out=tmp_path / "c")
    ta, tb, tc = (pd.read_parquet(s.path / "trajectories") for s in (a, b, plain))
    assert ta.equals(tb)
    assert not ta["belief"].equals(tc["belief"])
    assert read_manifest(a.path)["posterior"]["parameters"] == NAMES
    res = runner.invoke(app, ["batch", "baseline", "-n", "2", "-r", "3", "--out", str(tmp_path / "d"),
                              "--no-progress", "--posterior", str(tmp_path / "missing.json")])
    assert res.exit_code == 2, res.output
    assert "missing.json" in res.output


def test_app_draws_from_its_posterior(tmp_path: Path, monkeypatch) -> None:
    from alliance.app import state
    from alliance.model import load_scenario

    _post(tmp_path / "p.json")
    sc = load_scenario("baseline").with_params({"replications": 30, "horizon_months": 6})
    plain = state.run_ensemble(sc)
    monkeypatch.setenv(state.POSTERIOR_ENV, str(tmp_path / "p.json"))
    one, two = state.run_ensemble(sc), state.run_ensemble(sc)
    assert np.array_equal(one.outcome("belief"), two.outcome("belief"))
    assert not np.array_equal(one.outcome("belief"), plain.outcome("belief"))
    res = runner.invoke(app, ["app", "--posterior", str(tmp_path / "nope.json")])
    assert res.exit_code == 2, res.output
    assert "nope.json" in res.output


def test_compare_checks_the_studies_posterior(tmp_path: Path) -> None:
    from alliance.study.batch import run_batch

    post = _post(tmp_path / "p.json")
    run_batch(["baseline"], samples=1, replications=4, out=tmp_path / "a", posterior=post,
              trajectories=False)
    run_batch(["baseline"], samples=1, replications=4, out=tmp_path / "b", trajectories=False)
    ok = runner.invoke(app, ["compare", str(tmp_path / "a"), "--posterior", str(tmp_path / "p.json"),
                             "--out", str(tmp_path / "cmp"), "--boot", "100"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["compare", str(tmp_path / "b"), "--posterior", str(tmp_path / "p.json"),
                              "--out", str(tmp_path / "cmp2"), "--boot", "100"])
    assert bad.exit_code == 2, bad.output
    assert "not run with --posterior" in bad.output
    assert not (tmp_path / "cmp2").exists()


def test_plausible_prior_draws_per_replication_inside_the_ranges() -> None:
    from alliance.model.evidence import plausible_ranges
    from alliance.model.posterior import PlausiblePrior

    box = plausible_ranges(("A", "R"))
    prior = PlausiblePrior(box)
    draw = prior.draw(11, np.arange(4000))
    assert set(draw) == set(box)
    for name, (lo, hi) in box.items():
        v = draw[name]
        assert lo <= v.min(), name
        assert v.max() <= hi, name
        assert v.std() > 0.8 * (hi - lo) / np.sqrt(12), name  # spread like a uniform, not a point
    pat = draw["partner.patience_months"]
    lo, hi = box["partner.patience_months"]
    assert set(np.unique(pat)) == set(np.arange(lo, hi + 1))  # every whole month, ends included
    again = prior.draw(11, [7, 3001])
    assert all(np.array_equal(again[n], draw[n][[7, 3001]]) for n in box)  # a replication replays alone
    other = prior.draw(12, np.arange(4000))
    assert not np.array_equal(other["balancer.risk_aversion"], draw["balancer.risk_aversion"])
    # independent streams: parameters are not drawn from one shared uniform
    assert abs(np.corrcoef(draw["balancer.risk_aversion"], draw["hegemon.noise_sd"])[0, 1]) < 0.1


def test_validate_prior_runs_and_refuses_two_sources(tmp_path: Path) -> None:
    from alliance.model.scenario_files import scenarios_dir

    ep = scenarios_dir() / "episodes" / "k1_kazakhstan_2006.yaml"
    res = runner.invoke(app, ["validate", str(ep), "-r", "20", "--seeds", "2", "--no-control", "--prior"])
    assert res.exit_code == 0, res.output
    _post(tmp_path / "p.json")
    res = runner.invoke(app, ["validate", str(ep), "--prior", "--posterior", str(tmp_path / "p.json")])
    assert res.exit_code == 2
    assert "--prior and --posterior" in res.output


def test_weighted_quantiles_and_params_show_them(tmp_path: Path) -> None:
    """Sorted values 0.55 (w 0.2), 0.62 (0.3), 0.7 (0.5): cumulative 0.2, 0.5, 1.0, so the 5% point
    is 0.55, the median 0.62 (weight reaches 0.5 there) and the 95% point 0.7."""
    post = _post(tmp_path / "p.json")
    q = post.quantiles()
    assert q["balancer.initial_belief"] == (0.55, 0.62, 0.7)
    assert q["partner.patience_months"] == (4.0, 6.0, 9.0)
    res = runner.invoke(app, ["params", "--actor", "partner", "--posterior", str(tmp_path / "p.json"), "--json"])
    assert res.exit_code == 0, res.output
    rows = {r["name"]: r for r in json.loads(res.output)}
    assert rows["partner.patience_months"]["posterior_q05_q50_q95"] == [4.0, 6.0, 9.0]
    assert "posterior_q05_q50_q95" not in rows["partner.base_interest"]
