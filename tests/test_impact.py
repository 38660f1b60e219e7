"""``govrules impact``: which projects an amendment changes, and why."""

from __future__ import annotations

import json
from datetime import date

import pytest

from govrules.cli.main import main
from govrules.model.pack import builtin_pack, load_pack
from govrules.tools.impact import diff_packs, measure_impact
from tests.conftest import REPO

AMENDMENT = str(REPO / "examples" / "amendments" / "guiyang-2026-amendment.yaml")
EXAMPLE = str(REPO / "examples" / "guiyang-violations.yaml")


def test_the_diff_names_the_changed_rules_and_articles() -> None:
    diff = diff_packs(builtin_pack("guiyang"), load_pack(AMENDMENT))
    assert set(diff.added) == {"guiyang.15.within-5pct", "guiyang.15.over-5pct",
                               "guiyang.15.explanation-within-10-working-days"}
    assert diff.changed == {"guiyang.15.within-10pct": ("repealed",),
                            "guiyang.15.over-10pct": ("repealed",)}
    assert diff.articles == (15,)
    assert not diff.removed


def test_after_the_amendment_findings_appear_and_disappear() -> None:
    report = measure_impact(builtin_pack("guiyang"), load_pack(AMENDMENT), [EXAMPLE],
                            as_of=date(2026, 9, 1))
    (project,) = report.projects
    changes = {c.rule: (c.kind, c.old, c.new) for c in project.changes}
    assert changes["guiyang.15.over-5pct"] == ("appears", None, "violated")
    assert changes["guiyang.15.over-10pct"] == ("disappears", "violated", "not_applicable")
    why = {c.rule: c.why for c in project.changes}
    assert why["guiyang.15.over-10pct"] == "rule changed: repealed; 第十五条 changed"
    assert not project.outcome_changed


def test_before_the_amendment_nothing_changes() -> None:
    report = measure_impact(builtin_pack("guiyang"), load_pack(AMENDMENT), [EXAMPLE],
                            as_of=date(2025, 11, 20))
    assert [p.changes for p in report.projects] == [()]


def test_command_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["impact", "--old", "guiyang", "--new", AMENDMENT, "--as-of", "2026-09-01", EXAMPLE]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "  rule added:   guiyang.15.over-5pct" in out
    assert "+ guiyang.15.over-5pct (第十五条): absent → violated  — rule added" in out
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"projects": 1, "outcome_changed": 0, "findings_changed": 1}


def test_a_bad_record_is_reported_and_the_rest_still_run(
        capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    assert main(["impact", "--old", "guiyang", "--new", AMENDMENT, EXAMPLE,
                 str(REPO / "no-such-file.yaml")]) == 2
    captured = capsys.readouterr()
    assert "file-not-found" in captured.err
    assert "1 evaluated" in captured.out
