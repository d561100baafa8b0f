"""The opening charts in the page's first HTML: the real computed result of the state a new page
opens on, embedded safely, never called "up to date", and hooked into Solara's page rendering."""

from __future__ import annotations

import json
import re

import pytest

from alliance.app import live, opening
from alliance.app.live import compute
from alliance.app.page import CHARTS, opening_replications
from alliance.app.state import run_ensemble, tuned_scenario
from alliance.model import load_scenario

SPECS = re.compile(r"var specs = (.*?);\n")


@pytest.fixture
def scenario_file(monkeypatch, tmp_path):
    """A small opening scenario named in ``ALLIANCE_APP_SCENARIO`` (as ``alliance app`` sets it)."""
    path = tmp_path / "opening.yaml"
    path.write_text("name: opening\nextends: energy_support_forced\nhorizon_months: 12\nreplications: 40\n"
                    "description: 'Opening </script><script>alert(1)</script> & more'\n")
    monkeypatch.setenv("ALLIANCE_APP_SCENARIO", str(path))
    monkeypatch.setenv("ALLIANCE_APP_USER_DIR", str(tmp_path / "user"))
    monkeypatch.setattr(live, "_UNTUNED", type(live._UNTUNED)())
    return path


def embedded_specs(page: str) -> dict[str, str]:
    found = SPECS.findall(page)
    assert len(found) == 1, "the page carries the figures once, in the drawing script"
    return json.loads(found[0])


def test_the_page_carries_the_opening_states_figures_as_computed_afresh(scenario_file):
    page = opening.opening_html()
    specs = embedded_specs(page)
    sc = load_scenario(scenario_file)
    reps = opening_replications(sc)
    fresh = compute(("fresh",), sc, {}, reps, run_ensemble(tuned_scenario(sc, {}, reps, sc.seed)))
    assert list(specs) == list(CHARTS)
    assert specs == {n: fresh.json[n] for n in CHARTS}  # the very strings the live page sends
    for card in fresh.cards:
        assert card.text(card.tuned) in page
    assert f"{reps} replications × 12 months, seed {sc.seed}" in page


def test_the_page_follows_the_scenario_file_as_it_is_now(scenario_file):
    before = embedded_specs(opening.opening_html())
    scenario_file.write_text(scenario_file.read_text().replace("horizon_months: 12", "horizon_months: 15"))
    after = embedded_specs(opening.opening_html())
    assert after != before
    assert len(json.loads(after["sanctions"])["data"][0]["x"]) > len(json.loads(before["sanctions"])["data"][0]["x"])


def test_the_pre_rendered_page_never_says_up_to_date_and_embeds_text_safely(scenario_file):
    page = opening.opening_html()
    assert "up to date" not in page
    assert "loading the controls" in page
    assert "<script>alert(1)" not in page
    assert "Opening &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert page.count("</script>") == 3  # the page's own three scripts, nothing from the scenario
    literal = opening._js_literal({"a": "</script><!-- & -->"})
    assert not {"<", ">", "&"} & set(literal)
    assert json.loads(literal) == {"a": "</script><!-- & -->"}


def test_install_makes_solaras_page_carry_the_opening_charts_once(scenario_file, monkeypatch):
    from solara.server import server

    seen: list[dict] = []

    def fake_read_root(path, root_path="", jupyter_root_path=None, render_kwargs=None, *args, **kwargs):
        seen.append(dict(render_kwargs or {}))
        return "page"

    monkeypatch.setattr(server, "read_root", fake_read_root)
    monkeypatch.setattr(server, "get_nbextensions",
                        lambda: (["jupyter-vue/extension"], {"jupyter-vue/extension": "abc123"}))
    opening.install()
    opening.install()  # idempotent: wrapped once
    assert server.read_root("/", "/root") == "page"
    assert len(seen) == 1
    pre = seen[0]["pre_rendered_html"]
    assert 'id="alliance-opening"' in pre
    assert 'src="/root/static/assets/plotly' in pre
    assert embedded_specs(pre) == embedded_specs(opening.opening_html())
    # the Vue template compiler, which the page would request only once its widgets render
    assert 'href="/root/jupyter/nbextensions/jupyter-vue/nodeps-vue-sfc.js?abc123"' in pre
    monkeypatch.setattr(server, "get_nbextensions", lambda: ([], {}))
    server.read_root("/", "")
    assert "nodeps-vue-sfc" not in seen[-1]["pre_rendered_html"]
    assert embedded_specs(seen[-1]["pre_rendered_html"])  # the charts all the same
    server.read_root("/", "", None, {"pre_rendered_html": "given"})  # the caller's own wins
    assert seen[-1]["pre_rendered_html"] == "given"


def test_a_scenario_that_no_longer_loads_serves_the_page_without_pre_rendered_charts(
        scenario_file, monkeypatch, caplog):
    from solara.server import server

    seen: list[dict] = []
    monkeypatch.setattr(server, "read_root", lambda path, root_path="", jupyter_root_path=None,
                        render_kwargs=None: seen.append(dict(render_kwargs or {})) or "page")
    opening.install()
    scenario_file.write_text("name: opening\nextends: no_such_scenario\n")
    assert server.read_root("/") == "page"
    assert "pre_rendered_html" not in seen[0]
    assert "no pre-rendered opening charts" in caplog.text
