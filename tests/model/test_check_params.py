"""check_params: the public parameter check samplers use to filter a design, and `alliance check --set`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from alliance.model import ParameterError, check_params, simulate


def test_good_values_give_no_problems():
    assert check_params({"hegemon.threshold.economic": 0.6, "hegemon.noise_sd": 0.1}) == []
    assert check_params({"balancer.initial.integration": "ipap"}, "baseline") == []


def test_every_problem_is_listed_with_did_you_mean():
    problems = check_params({"hegemon.treshold.economic": 0.5, "hegemon.noise_sd": float("nan"),
                             "balancer.initial.integration": "ipapp", "actors.hegemon.hardening": 0.1,
                             "partner.alternatives": True})
    assert len(problems) == 5
    assert "did you mean 'hegemon.threshold.economic'" in problems[0]
    assert "not a finite number" in problems[1]
    assert "did you mean 'ipap'" in problems[2]
    assert "did you mean 'hegemon.hardening'" in problems[3]
    assert "boolean" in problems[4]


def test_ranges_whole_numbers_and_cross_field_rules():
    (msg,) = check_params({"hegemon.threshold.economic": 2.0})
    assert "outside its range" in msg
    (msg,) = check_params({"hegemon.threshold.economic": 0.2, "hegemon.threshold.diplomatic": 0.3})
    assert "diplomatic < economic < military" in msg
    (msg,) = check_params({"seed": 1.5})
    assert "whole number" in msg


def test_strict_raises_and_the_model_agrees():
    bad = {"hegemon.threshold.economic": 0.2, "hegemon.threshold.diplomatic": 0.3}
    with pytest.raises(ParameterError) as info:
        check_params(bad, strict=True)
    assert isinstance(info.value, ValueError)
    assert len(info.value.problems) == 1
    with pytest.raises(ValueError, match=r"inconsistent|diplomatic"):
        simulate("baseline", replications=2, months=2, params=bad)
    with pytest.raises(TypeError, match="mapping"):
        check_params([("hegemon.noise_sd", 0.1)])  # type: ignore[arg-type]


def test_filters_a_design_so_every_kept_point_runs():
    import numpy as np

    rng = np.random.default_rng(0)
    design = [{"hegemon.threshold.diplomatic": d, "hegemon.threshold.economic": e}
              for d, e in rng.uniform(0.1, 0.9, size=(40, 2))]
    kept = [row for row in design if not check_params(row, "baseline")]
    assert 0 < len(kept) < len(design)
    for row in kept[:5]:
        simulate("baseline", replications=2, months=2, params=row)
    for row in [r for r in design if r not in kept][:5]:
        with pytest.raises(ValueError, match=r"inconsistent parameters"):
            simulate("baseline", replications=2, months=2, params=row)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alliance", *args], capture_output=True, text=True, timeout=120)


def test_cli_check_set():
    r = _cli("check", "--set", "hegemon.treshold.economic=0.5", "--set", "hegemon.noise_sd=nan", "baseline")
    assert r.returncode == 2, r.stderr
    assert "did you mean 'hegemon.threshold.economic'" in r.stderr
    assert "not a finite number" in r.stderr
    assert "Traceback" not in r.stderr
    r = _cli("check", "--set", "hegemon.threshold.economic=0.6")
    assert r.returncode == 0, r.stderr
    r = _cli("check")
    assert r.returncode == 2
    assert "--set" in r.stderr
