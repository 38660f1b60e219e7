"""The wheel ships the built-in packs and the calendar data (a non-editable install works)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from govrules.model.pack import builtin_pack_ids
from tests.conftest import REPO


@pytest.mark.slow
def test_wheel_contains_packs_and_calendar(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(tmp_path), str(REPO)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("govrules-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for pack_id in builtin_pack_ids():
        assert f"govrules/policies/{pack_id}.yaml" in names
    assert "govrules/data/calendar-cn.yaml" in names
    assert "govrules/py.typed" in names
    assert "govrules/locale/zh/LC_MESSAGES/govrules.mo" in names  # the Chinese catalog
