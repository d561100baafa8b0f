"""The shipped hindcast episodes as a data set: every file loads, says what history recorded and
where that is written, the README lists it, and the set holds only the episodes the project's
sources name (episodes.md, episodes-more.md), at least twenty of them."""

from __future__ import annotations

import re

import pytest
from tests.conftest import SOURCES

from alliance.model.scenario_files import load_scenario, scenarios_dir

EPISODE_DIR = scenarios_dir() / "episodes"
FILES = sorted(EPISODE_DIR.glob("*.yaml"))
README = (EPISODE_DIR / "README.md").read_text(encoding="utf-8")
SOURCE_TAG = re.compile(r"\[S(?::[^\]]+)?\]")


def _table_ids(markdown: str) -> set[str]:
    """Episode ids in the first column of a markdown table (``| K1 | 2006 | …``)."""
    return set(re.findall(r"^\| ([A-Z]+[0-9]*) \|", markdown, flags=re.MULTILINE))


def _episode_id(path) -> str:
    return path.stem.split("_", 1)[0].upper()


def test_the_calibration_set_has_at_least_twenty_episodes() -> None:
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_episode_loads_with_an_expected_block_and_a_dated_source(path) -> None:
    sc = load_scenario(path)
    assert sc.name == path.stem
    assert sc.expected is not None, f"{path.name}: no expected: block"
    src = sc.expected.source
    assert src.upper().startswith(_episode_id(path) + ":"), f"{path.name}: source must start with its id"
    assert SOURCE_TAG.search(src), f"{path.name}: expected.source cites no [S] source: {src!r}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_episode_is_listed_in_the_readme_table(path) -> None:
    assert f"| `{path.name}` | {_episode_id(path)} |" in README


def test_readme_lists_no_missing_file() -> None:
    listed = set(re.findall(r"^\| `([a-z0-9_]+\.yaml)` \|", README, flags=re.MULTILINE))
    assert listed == {p.name for p in FILES}


def test_only_episodes_named_in_the_sources_are_shipped() -> None:
    """Other episodes are reserved for independent checks of the model (issue 11, item 4)."""
    named = (_table_ids((SOURCES / "episodes.md").read_text(encoding="utf-8"))
             | _table_ids((SOURCES / "episodes-more.md").read_text(encoding="utf-8")))
    assert {"K1", "U14", "GE14"} <= named  # the tables were parsed
    unknown = {_episode_id(p) for p in FILES} - named
    assert not unknown, f"episodes not in episodes.md or episodes-more.md: {sorted(unknown)}"


def test_every_lead_is_encoded_or_explained() -> None:
    """Each lead of episodes-more.md is an episode file or is named under 'cannot express'."""
    leads = _table_ids((SOURCES / "episodes-more.md").read_text(encoding="utf-8"))
    assert len(leads) == 12
    encoded = {_episode_id(p) for p in FILES}
    cannot = README.split("## Episodes the model cannot express", 1)[1].split("\n## ", 1)[0]
    explained = set(re.findall(r"^- \*\*([A-Z]+[0-9]*) \(", cannot, flags=re.MULTILINE))
    assert not (encoded & explained), "an episode cannot be both encoded and inexpressible"
    assert leads <= encoded | explained, f"neither encoded nor explained: {sorted(leads - encoded - explained)}"


def test_research_record_covers_every_lead() -> None:
    record = (SOURCES / "episodes-more-research.md").read_text(encoding="utf-8")
    leads = _table_ids((SOURCES / "episodes-more.md").read_text(encoding="utf-8"))
    headed = set(re.findall(r"^## ([A-Z]+[0-9]*) — ", record, flags=re.MULTILINE))
    assert headed == leads
