"""Guiyang art. 25's yearly assessment judges the last year of service once the service
ended, and the year before the check while it runs; a record that does not say whether
the service ended presumes nothing (the monotonicity property found the earlier
presumption: a service with no recorded end was taken as still running)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from govrules.base.calendar import Calendar
from govrules.engine.evaluate import evaluate_pack
from govrules.model.pack import builtin_pack
from govrules.model.snapshot import parse_snapshot

RULE = "guiyang.25.annual-security-assessment"
AS_OF = date(2025, 11, 20)
ENDED: dict[str, Any] = {
    "id": "GY-SEC", "city": "guiyang",
    "project": {"kind": "purchased_service", "classified": False, "phase": "completed",
                "start_date": "2022-03-01", "end_date": "2023-06-30"},
    "funding": {"source": "fiscal", "fiscal_level": "municipal"},
    "contract": {"signed_on": "2022-03-01"},
    "security": {"emergency_plan": False, "assessments": [
        {"kind": kind, "performed_on": "2023-03-01", "reported_on": "2023-03-10",
         "reported_to": ["big_data_bureau"]} for kind in ("security_test", "risk_assessment")]},
}


def _finding(data: dict[str, Any]) -> tuple[str, list[str]]:
    report = evaluate_pack(builtin_pack("guiyang"), parse_snapshot(data), AS_OF,
                           Calendar.default(), include_all=True)
    (finding,) = [f for f in report.findings if f.rule == RULE]
    return finding.status, finding.missing


def _with(project: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(ENDED)
    data["project"] = project
    return data


def test_an_ended_service_is_judged_on_its_last_year() -> None:
    assert _finding(ENDED)[0] == "satisfied"


def test_without_its_end_a_completed_service_is_undetermined_and_asks_for_the_end() -> None:
    project = {k: v for k, v in ENDED["project"].items() if k != "end_date"}
    status, missing = _finding(_with(project))
    assert status == "undetermined"
    assert "project.end_date" in missing


def test_without_end_or_phase_nothing_is_presumed() -> None:
    project = {k: v for k, v in ENDED["project"].items() if k not in ("end_date", "phase")}
    assert _finding(_with(project))[0] == "undetermined"


def test_a_running_phase_without_an_end_judges_the_year_before_the_check() -> None:
    project = {**{k: v for k, v in ENDED["project"].items() if k != "end_date"},
               "phase": "operation"}
    assert _finding(_with(project))[0] == "violated"  # nothing in the year before 2025-11-20


def test_an_end_in_the_future_judges_the_year_before_the_check() -> None:
    project = {**ENDED["project"], "end_date": "2026-06-30", "phase": "operation"}
    assert _finding(_with(project))[0] == "violated"
    recent = copy.deepcopy(_with(project))
    for item in recent["security"]["assessments"]:
        item["performed_on"], item["reported_on"] = "2025-03-01", "2025-03-10"
    assert _finding(recent)[0] == "satisfied"


def test_a_service_that_ended_within_its_first_year_owes_no_yearly_assessment() -> None:
    project = {**ENDED["project"], "end_date": "2022-12-31"}
    assert _finding(_with(project))[0] == "not_applicable"
