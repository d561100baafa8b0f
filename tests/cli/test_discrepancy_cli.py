"""`--posterior` with a structural discrepancy: validate scores raw model and forecast, params and
run state δ, old files say they have none, bad fields exit 2 naming file and field."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.model.discrepancy import Discrepancy
from alliance.model.posterior import Posterior, episode_hash, save_posterior
from alliance.model.scenario_files import scenarios_dir

runner = CliRunner()
NAMES = ["balancer.initial_belief", "partner.patience_months"]
EPISODES = ("k1_kazakhstan_2006", "kn_kazakhstan_2010")
RATES = {"response": np.array([0.1, 0.4, 0.3, 0.2]), "outcome": np.array([0.25, 0.25, 0.5])}


def _setup(tmp_path: Path, delta: dict[str, float] | None) -> tuple[Path, Path]:
    folder = tmp_path / "eps"
    folder.mkdir()
    for name in EPISODES:
        (folder / f"{name}.yaml").write_bytes((scenarios_dir() / "episodes" / f"{name}.yaml").read_bytes())
    disc = None if delta is None else Discrepancy(delta, RATES, 2, {"estimator": "by hand"})
    post = Posterior(NAMES, np.array([[0.55, 4.0], [0.7, 9.0]]), np.array([0.5, 0.5]),
                     episode_hash(sorted(folder.glob("*.yaml"))), {"seed": 0}, disc)
    save_posterior(post, tmp_path / "p.json")
    return folder, tmp_path / "p.json"


def _validate(folder: Path, post: Path, out: Path) -> tuple[str, dict]:
    res = runner.invoke(app, ["validate", str(folder), "-r", "6", "--seeds", "1", "--no-control",
                              "--posterior", str(post), "--out", str(out)])
    assert res.exit_code == 0, res.output
    return res.output, json.loads(out.with_suffix(".json").read_text())


@pytest.mark.parametrize("delta", [{"response": 0.3, "outcome": 0.6}, {"response": 0.0, "outcome": 0.0}])
def test_validate_scores_the_raw_model_and_the_pooled_forecast(tmp_path: Path, delta) -> None:
    folder, post = _setup(tmp_path, delta)
    text, summary = _validate(folder, post, tmp_path / "v.csv")
    assert "raw model (parameter draws only" in text
    assert "forecast (the probabilities the tool stands behind" in text
    assert f"δ response {delta['response']:.2f}" in text
    for kind in ("response", "outcome"):
        raw = np.array(summary["predictions"][kind]["model"])
        pooled = np.array(summary["predictions"][kind]["forecast"])
        if delta[kind] == 0.0:
            assert np.array_equal(pooled, raw)  # δ = 0: the raw forecast exactly
        else:
            assert np.allclose(pooled, (1 - delta[kind]) * raw + delta[kind] * RATES[kind])
        for key in ("points", "brier", "log", "brier_skill", "log_skill"):
            assert key in summary["forecast"][kind]
    assert summary["forecast_discrepancy"]["delta"] == delta
    assert summary["forecast_in_sample"] is True
    assert "in sample: the posterior and its δ were fitted" in text
    assert {"response", "outcome"} == set(summary["extra_reliability"]["forecast"])
    table = (tmp_path / "v.csv").read_text().splitlines()[0]
    assert "p_forecast_expected_response" in table
    assert "p_expected_response" in table


def test_an_old_posterior_says_it_has_no_discrepancy(tmp_path: Path) -> None:
    folder, post = _setup(tmp_path, None)
    assert json.loads(post.read_text())["format"] == "alliance-posterior/1"
    text, summary = _validate(folder, post, tmp_path / "v.csv")
    assert "no structural discrepancy" in text
    assert "forecast" not in summary
    res = runner.invoke(app, ["params", "--actor", "partner", "--posterior", str(post)])
    assert res.exit_code == 0, res.output
    assert "no structural discrepancy" in res.output


def test_params_and_run_state_delta(tmp_path: Path) -> None:
    _, post = _setup(tmp_path, {"response": 0.37, "outcome": 0.12})
    res = runner.invoke(app, ["params", "--actor", "partner", "--posterior", str(post)])
    assert res.exit_code == 0, res.output
    assert "δ response 0.37, outcome 0.12" in res.output
    res = runner.invoke(app, ["run", "baseline", "-r", "3", "--months", "2", "--posterior", str(post)])
    assert res.exit_code == 0, res.output
    assert "raw model's" in res.output
    assert "δ response 0.37" in res.output


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda d: d["discrepancy"]["delta"].update(response=1.2), "discrepancy.delta.response"),
        (lambda d: d["discrepancy"]["base_rates"].update(outcome=[0.5, 0.6, 0.1]),
         "discrepancy.base_rates.outcome"),
        (lambda d: d.pop("discrepancy"), "discrepancy"),
    ],
)
def test_bad_discrepancy_fields_exit_2_naming_file_and_field(tmp_path: Path, edit, field: str) -> None:
    folder, post = _setup(tmp_path, {"response": 0.3, "outcome": 0.2})
    data = json.loads(post.read_text())
    edit(data)
    post.write_text(json.dumps(data))
    for args in (["validate", str(folder), "-r", "2", "--seeds", "1", "--no-control"], ["params"],
                 ["run", "baseline", "-r", "2", "--months", "2"]):
        res = runner.invoke(app, [*args, "--posterior", str(post)])
        assert res.exit_code == 2, res.output
        assert "p.json" in res.output
        assert field in res.output
        assert "Traceback" not in res.output


def test_episodes_a_posterior_was_not_fitted_to_are_scored_with_its_forecast(tmp_path: Path) -> None:
    """The reviewers' path: a posterior fitted elsewhere predicts episodes it has not seen (no flag
    needed); only the episodes it was fitted to are checked, and a changed one is refused."""
    from alliance.model.posterior import episode_digests

    folder, post = _setup(tmp_path, {"response": 0.3, "outcome": 0.2})
    files = sorted(folder.glob("*.yaml"))
    data = json.loads(post.read_text())
    data["episode_hash"] = "0" * 64
    data["episode_hashes"] = {files[0].name: episode_digests(files)[files[0].name],
                              "some_other_episode.yaml": "0" * 64}
    post.write_text(json.dumps(data))
    args = ["validate", str(folder), "-r", "4", "--seeds", "1", "--no-control", "--posterior", str(post)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert f"1 of these {len(files)} episodes are in its fit" in text
    assert "forecast (the probabilities the tool stands behind" in text
    assert "in sample: the posterior" not in text
    data["episode_hashes"][files[0].name] = "f" * 64
    post.write_text(json.dumps(data))
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "episode_hashes" in res.output
    assert files[0].name in res.output
    del data["episode_hashes"]
    post.write_text(json.dumps(data))
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "episode_hash" in res.output
    assert "refit it" in res.output

