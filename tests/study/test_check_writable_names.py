"""``check_writable`` refuses, before any run, a file name too long for the folder (with the room
``atomic_write``'s temporary name needs), and turns an OS error on the way into a named refusal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from alliance.errors import UserError
from alliance.study.fileio import _TMP_EXTRA, atomic_write, check_writable


def test_longest_accepted_name_is_written_and_one_more_is_refused(tmp_path: Path) -> None:
    longest = os.pathconf(tmp_path, "PC_NAME_MAX") - _TMP_EXTRA
    ok = tmp_path / ("a" * (longest - 4) + ".csv")
    check_writable(ok)
    atomic_write(ok, lambda tmp: tmp.write_text("x", encoding="utf-8"))  # the temporary name fits too
    assert ok.read_text(encoding="utf-8") == "x"
    with pytest.raises(UserError, match=f"a name of {longest + 1} bytes is too long"):
        check_writable(tmp_path / ("b" * (longest - 3) + ".csv"))


def test_a_missing_folder_with_a_name_too_long_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="too long"):
        check_writable(tmp_path / ("d" * 300) / "out", folder=True)
    assert os.listdir(tmp_path) == []


def test_a_symlink_loop_on_the_way_is_named(tmp_path: Path) -> None:
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    with pytest.raises(UserError, match=r"a/x\.csv: cannot write it: .*a is a broken symbolic link"):
        check_writable(tmp_path / "a" / "x.csv")
