"""The wheel ships the web page's assets and the store's migrations."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.service.conftest import REPO


@pytest.mark.slow
def test_wheel_contains_page_assets_and_migrations(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(REPO)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("govrules-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(REPO / "src").as_posix()
               for folder in ("static", "migrations")
               for p in (REPO / "src/govrules/service" / folder).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert shipped
    assert shipped - names == set()
