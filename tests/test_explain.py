"""``govrules explain``: the conditions, the value of every part, the unknowns, the status."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from govrules.base.errors import InputError
from govrules.cli.main import main
from govrules.model.pack import builtin_pack
from govrules.model.snapshot import load_snapshot, parse_snapshot
from govrules.tools.explain import explain_rule, render_explanation
from tests.conftest import REPO

EXAMPLE = str(REPO / "examples" / "guiyang-violations.yaml")


def _explain(rule: str, snapshot: object = None, as_of: str = "2025-11-20") -> str:
    snap = load_snapshot(EXAMPLE) if snapshot is None else parse_snapshot(snapshot)
    ex = explain_rule(builtin_pack("guiyang"), snap, rule, date.fromisoformat(as_of))
    return render_explanation(ex)


def test_a_violation_shows_each_value() -> None:
    text = _explain("guiyang.15.over-10pct")
    assert "violated_when: any(a in budget.adjustments: abs(a.amount) > budget.original" in text
    assert "      budget.original * 10% = 500000\n" in text
    assert "      abs(a.amount) = 800000\n" in text
    assert "RESULT: violated" in text
    assert ("guiyang.3.non-classified (exception; presumed false when unknown): "
            "project.classified\n    = false") in text


def test_an_undetermined_rule_lists_what_was_unknown() -> None:
    snapshot = {"project": {"kind": "purchased_service", "classified": False},
                "funding": {"source": "fiscal", "fiscal_level": "municipal"},
                "procurement": {"bid_result_on": "2025-02-18"}}
    text = _explain("guiyang.12.bid-result-filed", snapshot)
    assert "unknown facts: procurement.bid_result_filed" in text
    assert "RESULT: undetermined" in text
    assert "derived facts used\n  procured:" in text


def test_a_periodic_rule_shows_its_form_and_periods() -> None:
    text = _explain("guiyang.14.quarterly-progress", as_of="2026-02-20")
    assert "records: reports.quarterly_progress" in text
    assert "missing periods: 2025Q3" in text
    assert "RESULT: violated" in text


def test_a_rule_not_in_force_says_so() -> None:
    ex = explain_rule(builtin_pack("guiyang"), load_snapshot(EXAMPLE), "guiyang.15.over-10pct",
                      date(2025, 11, 20))
    assert ex.in_force
    assert ex.to_dict()["finding"]["status"] == "violated"


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", EXAMPLE, "--city", "guiyang", "--rule",
                 "guiyang.12.bid-result-filed", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["finding"]["status"] == "violated"
    (violated,) = [c for c in data["conditions"] if c["label"] == "violated_when"]
    assert violated["value"] == "true"
    assert {"expr": "procurement.bid_result_filed", "value": "false"} in violated["steps"]


def test_an_amended_rule_names_its_version(capsys: pytest.CaptureFixture[str]) -> None:
    amendment = str(REPO / "examples" / "amendments" / "guiyang-2026-amendment.yaml")
    assert main(["explain", EXAMPLE, "--policy", amendment, "--rule", "guiyang.15.over-5pct",
                 "--as-of", "2026-07-01"]) == 0
    out = capsys.readouterr().out
    assert "(version from 2026-07-01), amended by 筑数据发〔2026〕7号" in out
    assert "rule in force on 2026-07-01: yes (rule dates: from 2026-07-01)" in out


def test_an_unknown_rule_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", EXAMPLE, "--rule", "guiyang.15.over-10pc"]) == 2
    assert "unknown-rule" in capsys.readouterr().err
    with pytest.raises(InputError):
        explain_rule(builtin_pack("guiyang"), load_snapshot(Path(EXAMPLE)), "nope",
                     date(2025, 1, 1))
