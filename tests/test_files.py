"""The one atomic writer (govrules.base.files), used by ``-o`` and ``--format NAME:FILE``."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from govrules.base.files import AtomicFile, atomic_write


def test_a_committed_file_replaces_the_old_one_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    with atomic_write(target) as out:
        out.write("new\n")
        assert target.read_text(encoding="utf-8") == "old\n"  # not yet in place
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")

    def interrupted() -> None:
        with atomic_write(target) as out:
            out.write("half")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    mask = os.umask(0o027)
    try:
        with atomic_write(tmp_path / "new.txt") as out:
            out.write("x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_abandon_removes_the_temporary_and_newline_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "rows.csv"
    kept = AtomicFile(target, newline="")
    kept.stream.write("a\r\nb\n")
    kept.commit()
    assert target.read_bytes() == b"a\r\nb\n"
    dropped = AtomicFile(target)
    dropped.stream.write("other")
    dropped.abandon()
    assert target.read_bytes() == b"a\r\nb\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.csv"]


def test_a_device_is_written_directly() -> None:
    with atomic_write(os.devnull) as out:
        out.write("nothing")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
