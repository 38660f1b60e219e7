"""Guiyang art. 3's covered bodies: an unrecorded owner type is a shown presumption;
strict mode gives the SPEC's reading (nothing decided against the owner on it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govrules.cli.main import main

ROOT = Path(__file__).resolve().parents[1]


def _report(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str,
            owner: str | None = None) -> dict[str, object]:
    lines = [line for line in (ROOT / "examples" / "guiyang-violations.yaml")
             .read_text(encoding="utf-8").splitlines() if "owner_type" not in line]
    text = "\n".join(lines) + "\n"
    if owner is not None:
        text = text.replace("project:\n", f"project:\n  owner_type: {owner}\n", 1)
    path = tmp_path / "gy.yaml"
    path.write_text(text, encoding="utf-8")
    main(["check", str(path), "--city", "guiyang", "--format", "json", "-q", *extra])
    report: dict[str, object] = json.loads(capsys.readouterr().out)[0]
    return report


def test_unrecorded_owner_type_is_presumed_and_listed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _report(tmp_path, capsys)
    assert report["verdict"] == "non_compliant"
    presumed = [p for p in report["presumptions"] if p["fact"] == "project.owner_type"]  # type: ignore[attr-defined]
    assert presumed
    assert presumed[0]["clause"]["article"] == 3


def test_strict_presumptions_decide_nothing_against_the_owner_on_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _report(tmp_path, capsys, "--strict-presumptions")
    assert report["verdict"] == "undetermined"
    assert not [f for f in report["findings"] if f["status"] == "violated"]  # type: ignore[attr-defined]


def test_an_owner_outside_art_3_takes_the_project_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _report(tmp_path, capsys, owner="enterprise")
    assert report["verdict"] == "not_applicable"
