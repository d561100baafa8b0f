"""The report's threat chart draws each scenario's own effective thresholds (threshold − hardening).

Before the layers issue the report drew only the reference scenario's stated thresholds, without
the hardening, so ``russia_hardline``'s lower (harder-line) thresholds never appeared.
"""

from __future__ import annotations

import textwrap

import pytest

from alliance.analysis.report import build_report
from alliance.model.scenario_files import load_scenario
from alliance.model.thresholds import effective_thresholds
from alliance.study.batch import run_batch


def _threshold_lines(fig) -> dict[str, float]:
    return {s.name: s.y0 for s in fig.layout.shapes if s.name and "threshold" in s.name}


@pytest.fixture(scope="module")
def report_figures(tmp_path_factory):
    root = tmp_path_factory.mktemp("thresholds")
    hardened = root / "hardline_hardened.yaml"
    hardened.write_text(textwrap.dedent("""\
        name: hardline_hardened
        description: russia_hardline after a shock that hardened every threshold by 0.07
        extends: russia_hardline
        actors:
          hegemon:
            hardening: 0.07
        """), encoding="utf-8")
    study = run_batch(["baseline", "russia_hardline", str(hardened)], replications=8, out=root / "study",
                      progress=False)
    _, figs, names = build_report([study.path])
    return dict(zip(names, figs, strict=True)), hardened


def test_russia_hardline_threshold_lines_are_its_own(report_figures):
    figs, _ = report_figures
    lines = _threshold_lines(figs["fan_threat"])
    own = effective_thresholds(load_scenario("russia_hardline").params())
    base = effective_thresholds(load_scenario("baseline").params())
    assert own != base  # the case the issue names: russia_hardline's thresholds are lower
    for rung, value in own.items():
        assert lines[f"{rung} threshold (russia_hardline)"] == pytest.approx(value)
    for rung, value in base.items():
        assert lines[f"{rung} threshold (baseline)"] == pytest.approx(value)


def test_drawn_thresholds_are_what_the_hegemon_uses(report_figures):
    """Since issue 10 hardening in force at the start is part of the tolerated status quo and the
    ladder slides above the status-quo threat; the lines must show what the agents compute in
    month 0 of a noise-free run, not ``threshold − hardening``."""
    from alliance.model import AllianceModel

    figs, hardened = report_figures
    lines = _threshold_lines(figs["fan_threat"])
    sc = load_scenario(hardened)
    model = AllianceModel(sc, replications=1, seed=0, params={"hegemon.noise_sd": 0.0, "balancer.belief_sd": 0.0})
    used = model.hegemon.thresholds()[:, 0]
    drawn = effective_thresholds(sc.params())
    for i, rung in enumerate(("diplomatic", "economic", "military")):
        assert drawn[rung] == pytest.approx(float(used[i]))
        assert lines[f"{rung} threshold (hardline_hardened)"] == pytest.approx(float(used[i]))


def test_threshold_lines_take_the_scenario_colours(report_figures):
    from alliance.analysis.style import palette

    figs, _ = report_figures
    colours = palette(["baseline", "russia_hardline", "hardline_hardened"])
    for s in figs["fan_threat"].layout.shapes:
        if s.name and "threshold" in s.name:
            scenario = s.name.split("(")[1].split(",")[0].rstrip(")")
            assert s.line.color == colours[scenario]
