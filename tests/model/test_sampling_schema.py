"""The `uncertainties:` and `sweep:` blocks: accepted forms and every rejection, with file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from alliance.model.scenario_files import load_scenario
from alliance.model.uncertainty import Choice, SweepRange, Triangular, TruncNormal, Uniform
from alliance.model.yamlio import InputError

HEAD = """\
name: study
description: a study scenario for the schema tests
extends: baseline
"""


def _write(tmp_path: Path, body: str, name: str = "study.yaml") -> Path:
    p = tmp_path / name
    p.write_text(HEAD.replace("name: study", f"name: {p.stem}") + textwrap.dedent(body), encoding="utf-8")
    return p


def _error(tmp_path: Path, body: str) -> InputError:
    with pytest.raises(InputError) as exc:
        load_scenario(_write(tmp_path, body))
    return exc.value


def test_every_form_is_accepted(tmp_path: Path) -> None:
    sc = load_scenario(_write(tmp_path, """
        uncertainties:
          hegemon.threshold.economic: {dist: uniform, low: 0.6, high: 0.8}
          balancer.export_share_via_russia: {dist: triangular, low: 0.5, mode: 0.75, high: 0.9}
          hegemon.noise_sd: {dist: normal, mean: 0.05, sd: 0.02}
          partner.patience_months: {dist: choice, values: [3, 6, 12], weights: [1, 2, 1]}
          hegemon.long_measure_probability: [0.2, 0.35, 0.5]
        sweep:
          balancer.risk_aversion: [0.5, 1.5, 3.0]
          hegemon.hardening: {low: -0.2, high: 0.2, steps: 5}
    """))
    u = sc.uncertainties
    assert isinstance(u["hegemon.threshold.economic"], Uniform)
    assert isinstance(u["balancer.export_share_via_russia"], Triangular)
    tn = u["hegemon.noise_sd"]
    assert isinstance(tn, TruncNormal)
    assert (tn.low, tn.high) == (0.0, 0.3)
    assert isinstance(u["partner.patience_months"], Choice)
    assert u["partner.patience_months"].probabilities() == [0.25, 0.5, 0.25]
    lst = u["hegemon.long_measure_probability"]
    assert isinstance(lst, Choice)
    assert lst.values == [0.2, 0.35, 0.5]
    assert isinstance(sc.sweep["hegemon.hardening"], SweepRange)
    assert sc.sweep["hegemon.hardening"].values() == pytest.approx([-0.2, -0.1, 0.0, 0.1, 0.2])
    # a scenario round-trips through with_params with its blocks intact
    again = sc.with_params({"balancer.inertia": 0.5})
    assert again.uncertainties == sc.uncertainties
    assert again.sweep == sc.sweep


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("hegemon.threshold.economic: {dist: uniform, low: 0.8, high: 0.6}", "bounds reversed"),
        ("hegemon.threshold.economic: {dist: triangular, low: 0.8, mode: 0.7, high: 0.6}", "bounds reversed"),
        ("hegemon.threshold.economic: {dist: normal, mean: 0.7, sd: 0.1, low: 0.8, high: 0.6}",
         "bounds reversed"),
        ("hegemon.threshold.economic: {dist: gamma, low: 0.6, high: 0.8}", "unknown distribution 'gamma'"),
        ("hegemon.threshold.economic: {low: 0.6, high: 0.8}", "give 'dist:'"),
        ("hegemon.threshold.economic: {dist: uniform, low: 0.6, high: 1.8}", "outside the range"),
        ("hegemon.threshold.economic: {dist: uniform, low: 0.6, high: 0.8, shape: 2}", "unknown key 'shape'"),
        ("hegemon.threshold.economic: {dist: triangular, low: 0.6, mode: 0.9, high: 0.8}", "mode 0.9"),
        ("hegemon.threshold.economic: {dist: normal, mean: 0.7, sd: 0}", "greater than 0"),
        ("hegemon.threshold.economic: {dist: choice, values: [0.6, 0.7], weights: [1]}", "1 weights for 2"),
        ("hegemon.threshold.economic: {dist: choice, values: [0.6, 0.6]}", "distinct"),
        ("hegemon.threshold.economic: []", "at least 1"),
        ("hegemon.threshold.economic: [0.6, 1.7]", "outside its range"),
        ("hegemon.threshold.bogus: {dist: uniform, low: 0.6, high: 0.8}", "unknown parameter 'hegemon.threshold.bogus'"),
        ("partner.patience_months: {dist: uniform, low: 3.2, high: 3.8}", "whole number"),
        # a range crossing a fixed bound of a cross-field rule (diplomatic threshold is 0.5)
        ("hegemon.threshold.economic: {dist: uniform, low: 0.3, high: 0.8}", "diplomatic < economic < military"),
    ],
)
def test_bad_uncertainties_are_rejected(tmp_path: Path, body: str, words: str) -> None:
    err = _error(tmp_path, "uncertainties:\n  " + body + "\n")
    assert words in err.format()
    assert "study.yaml" in err.format()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("balancer.risk_aversion: {low: 3, high: 1, steps: 3}", "bounds reversed"),
        ("balancer.risk_aversion: [1, 99]", "outside its range"),
        ("balancer.risk_aversion: {dist: uniform, low: 1, high: 2}", "distributions belong in 'uncertainties:'"),
        ("balancer.risk_aversion: [1, 1]", "distinct"),
        ("balancer.nonsense: [1, 2]", "unknown parameter"),
        ("partner.patience_months: {low: 2, high: 8, steps: 3}", "whole number"),
    ],
)
def test_bad_sweeps_are_rejected(tmp_path: Path, body: str, words: str) -> None:
    err = _error(tmp_path, "sweep:\n  " + body + "\n")
    assert words in err.format()


def test_error_names_the_line(tmp_path: Path) -> None:
    err = _error(tmp_path, """
        uncertainties:
          hegemon.noise_sd: {dist: normal, mean: 0.05, sd: 0.02}
          hegemon.threshold.economic: {dist: gamma, low: 0.6, high: 0.8}
    """)
    assert err.line == 7  # 3 header lines, a blank line, the block key, then the second entry


def test_a_parameter_cannot_be_both_uncertain_and_swept(tmp_path: Path) -> None:
    err = _error(tmp_path, """
        uncertainties:
          balancer.risk_aversion: {dist: uniform, low: 1, high: 2}
        sweep:
          balancer.risk_aversion: [1, 2]
    """)
    assert "both in 'uncertainties:' and in 'sweep:'" in err.format()


def test_child_block_replaces_parent_block(tmp_path: Path) -> None:
    _write(tmp_path, """
        uncertainties:
          hegemon.threshold.economic: {dist: uniform, low: 0.6, high: 0.8}
          hegemon.noise_sd: {dist: uniform, low: 0.01, high: 0.1}
    """, name="parent.yaml")
    child = tmp_path / "child.yaml"
    child.write_text("name: child\ndescription: a child that narrows its parent's study\n"
                     "extends: parent.yaml\nuncertainties:\n"
                     "  balancer.inertia: {dist: uniform, low: 0.4, high: 0.8}\n", encoding="utf-8")
    sc = load_scenario(child)
    assert list(sc.uncertainties) == ["balancer.inertia"]
