"""An ``extends`` chain longer than ``MAX_EXTENDS`` files is refused at the link that breaks the limit,
naming file, line and field, instead of exhausting the interpreter's recursion limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.model.scenario_files import MAX_EXTENDS, load_scenario
from alliance.model.yamlio import InputError


def _chain(folder: Path, n: int) -> Path:
    for i in range(n):
        parent = f"c{i + 1}.yaml" if i + 1 < n else "baseline"
        (folder / f"c{i}.yaml").write_text(f"name: c{i}\ndescription: a chained scenario\nextends: {parent}\n",
                                           encoding="utf-8")
    return folder / "c0.yaml"


def test_a_chain_at_the_limit_loads(tmp_path: Path) -> None:
    assert load_scenario(_chain(tmp_path, MAX_EXTENDS - 1)).name == "c0"


@pytest.mark.parametrize("n", [MAX_EXTENDS + 1, 1500])
def test_a_longer_chain_is_refused_where_it_breaks(tmp_path: Path, n: int) -> None:
    with pytest.raises(InputError) as info:
        load_scenario(_chain(tmp_path, n))
    err = info.value
    assert err.field == "extends"
    assert err.line == 3
    assert err.file == str(tmp_path / f"c{MAX_EXTENDS - 1}.yaml")
    assert f"more than {MAX_EXTENDS} files" in err.message
