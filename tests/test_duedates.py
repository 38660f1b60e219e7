"""Explained due dates: the count across National Day 2025 names every day that moved it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from govrules.base.calendar import Calendar
from govrules.cli.main import main

SNAPSHOT = """\
id: jc1
city: jincheng
as_of: 2025-10-09
project: {kind: construction, classified: false, level: municipal}
funding: {source: fiscal}
contract: {signed: true, signed_on: 2025-09-26, filed: false}
"""
NATIONAL_DAY = [date(2025, 10, d) for d in range(1, 9)]


def test_working_day_count_across_national_day_2025() -> None:
    count = Calendar.default().explain_working_days(date(2025, 9, 26), 5)
    assert count.due == date(2025, 10, 10)
    assert count.counted == (date(2025, 9, 28), date(2025, 9, 29), date(2025, 9, 30),
                             date(2025, 10, 9), date(2025, 10, 10))
    moved = {n.day: n for n in count.moved_by}
    assert moved[date(2025, 9, 28)].kind == "makeup_workday"
    assert [d for d, n in moved.items() if n.kind == "holiday"] == NATIONAL_DAY
    assert moved[date(2025, 10, 1)].name == "国庆节 National Day"
    assert [n.day for n in count.notes if n.kind == "weekend"] == [date(2025, 9, 27)]
    notice = moved[date(2025, 9, 28)].notice
    assert notice is not None
    assert (notice.title, notice.doc_number, notice.issued) == (
        "国务院办公厅关于2025年部分节假日安排的通知", "国办发明电〔2024〕12号", date(2024, 11, 12))


def test_the_saturday_make_up_day_counts_when_reached() -> None:
    count = Calendar.default().explain_working_days(date(2025, 9, 28), 5)
    assert count.start == date(2025, 9, 28)  # the signing day, itself a make-up day, is excluded
    assert count.due == date(2025, 10, 11)
    assert date(2025, 10, 11) in count.counted
    assert [n.kind for n in count.moved_by if n.day == date(2025, 10, 11)] == ["makeup_workday"]


def test_a_year_without_data_says_so() -> None:
    count = Calendar.default().explain_working_days(date(2027, 3, 1), 3)
    assert count.to_dict()["uncovered_years"] == [2027]
    assert count.moved_by == ()


def _snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "jc.yaml"
    path.write_text(SNAPSHOT, encoding="utf-8")
    return path


def test_the_json_report_explains_the_step_due_date(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(_snapshot(tmp_path)), "--format", "json", "-q"])
    (report,) = json.loads(capsys.readouterr().out)
    (step,) = [s for s in report["next_steps"] if s["action"] == "file-contract"]
    detail = step["due_explanation"]
    assert detail["rule"] == "jincheng.15.contract-filed"
    assert detail["article"]["label"] == "第十五条"
    assert detail["event"] == {"fact": "contract.signed_on", "date": "2025-09-26"}
    assert detail["start_excluded"] is True
    assert detail["due"] == step["due"] == "2025-10-10"
    assert [m["date"] for m in detail["moved_by"]] == ["2025-09-28"] + [
        str(d) for d in NATIONAL_DAY]
    assert detail["moved_by"][0]["kind"] == "makeup_workday"
    assert detail["notices"][0]["doc_number"] == "国办发明电〔2024〕12号"
    assert report["receipt"]["calendar"]["years"][0]["year"] == 2025


def test_explain_shows_how_the_due_date_was_counted(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = _snapshot(tmp_path)
    assert main(["explain", str(path), "--rule", "jincheng.15.contract-filed"]) == 0
    out = capsys.readouterr().out
    assert "event 起算事件: contract.signed_on = 2025-09-26; the start day is not counted" in out
    assert "2025-09-28 Sun: make-up working day 调休上班 — 国务院办公厅关于2025年部分节假日安排的" \
        "通知, 国办发明电〔2024〕12号" in out
    assert "2025-10-08 Wed: day off 放假 (国庆节 National Day)" in out
    assert main(["explain", str(path), "--rule", "jincheng.15.contract-filed",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["due_explanation"]["counted"][-1] == "2025-10-10"
