"""Quarterly duties pinned exactly: what the mutation run of ``engine/periodic`` showed
unpinned.

:func:`assess` on one rule at a time, with the whole :class:`PeriodStatus` compared: the
first quarter owed from the start date, from evidence or from the reports, dates given
to the month, the end of the duty when it is unknown, reports late by a day or on the
due date itself, and the open questions each case leaves, each named by its fact.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from govrules import lang as expr
from govrules.base.calendar import Calendar, Quarter
from govrules.engine.periodic import DateWindow, PeriodStatus, add_period, assess
from govrules.model.compiled import CompiledPeriodic
from govrules.model.pack import Pack, parse_pack
from govrules.model.snapshot import parse_snapshot
from tests.conftest import demo_pack_text

CAL = Calendar.default()
RECORDS = "reports.quarterly_progress"


def _rule(rule: str, within: str, start: str = "project.start_date",
          ongoing: str = "      ongoing_when: project.phase == 'implementation'\n") -> str:
    return f"""
  - id: demo.3.{rule}
    article: 3
    quote: 每季度过后7个工作日内报送
    periodic:
      from: "{start}"
      from_evidence: [contract.signed_on]
      until: project.end_date
{ongoing}      records: {RECORDS}
{within}    message: {{zh: "缺{{periods}}", en: "Missing {{periods}}"}}
"""


@cache
def _pack() -> Pack:
    """Compiled on first use, inside a test (never when the module is imported)."""
    return parse_pack(demo_pack_text("rules:" + "".join([
        _rule("next-quarter", ""),
        _rule("one-day", "      within: {days: 1}\n"),
        _rule("shifted", "", start="add_days(project.start_date, 15)"),
        _rule("no-phase", "", ongoing=""),
    ])), "demo.yaml")


def _periodic(rule: str = "next-quarter") -> CompiledPeriodic:
    periodic = _pack().rules_by_id[f"demo.3.{rule}"].periodic
    assert periodic is not None
    return periodic


def _assess(record: dict[str, Any], as_of: date, rule: str = "next-quarter",
            window: DateWindow = (None, None)) -> PeriodStatus:
    ctx = expr.EvalContext(root=parse_snapshot(record), as_of=as_of, calendar=CAL)
    return assess(_periodic(rule), ctx, window)


def Q(text: str) -> Quarter:  # noqa: N802 - reads like the quarter it names
    return Quarter.parse(text)


def _status(periods: str = "", missing: str = "", late: str = "", upcoming: str = "",
            unknown: frozenset[str] = frozenset()) -> PeriodStatus:
    def quarters(text: str) -> tuple[Quarter, ...]:
        return tuple(Q(q) for q in text.split())
    return PeriodStatus(quarters(periods), quarters(missing), quarters(late),
                        quarters(upcoming), unknown)


def _reports(*reports: dict[str, Any]) -> dict[str, Any]:
    return {"reports": {"quarterly_progress": list(reports)}}


def test_working_days_note_each_year_without_calendar_data() -> None:
    ctx = expr.EvalContext(root=parse_snapshot({}), as_of=date(2030, 1, 1), calendar=CAL)
    assert add_period(date(2030, 3, 29), "working_days", 1, ctx) == date(2030, 4, 1)
    assert ctx.uncovered_years == {2030}


def test_the_details_name_the_quarters() -> None:
    status = _status("2025Q1 2025Q2 2025Q3", "2025Q2", "2025Q1", "2025Q4")
    assert status.details() == {"periods": ["2025Q1", "2025Q2", "2025Q3"],
                                "missing": ["2025Q2"], "late": ["2025Q1"]}


def test_a_start_given_to_the_month_of_as_of_owes_that_quarter() -> None:
    record = {"project": {"start_date": "2025-11", "end_date": "2026-06-30"}, **_reports()}
    assert _assess(record, date(2025, 11, 20)) == _status("2025Q4", upcoming="2025Q4")


def test_a_start_known_only_within_two_quarters_is_an_open_question() -> None:
    # 15 days after some day of March 2025: in 2025Q1 or 2025Q2
    record = {"project": {"start_date": "2025-03", "end_date": "2025-12-31"}, **_reports()}
    assert _assess(record, date(2025, 11, 20), "shifted") == _status(
        unknown=frozenset({"project.start_date"}))


def test_a_quarter_ending_on_the_first_day_of_the_window_is_owed() -> None:
    record = {"project": {"start_date": "2025-07-01", "end_date": "2025-12-31"}, **_reports()}
    assert _assess(record, date(2025, 11, 20), window=(date(2025, 9, 30), None)) == _status(
        "2025Q3 2025Q4", upcoming="2025Q3 2025Q4")
    assert _assess(record, date(2025, 11, 20), window=(date(2025, 10, 1), None)) == _status(
        "2025Q4", upcoming="2025Q4")


def test_an_unknown_end_with_no_word_on_the_phase_leaves_later_quarters_open() -> None:
    record = {"project": {"start_date": "2024-07-01"},
              **_reports({"period": "2024Q3", "submitted": True, "submitted_on": "2024-10-09"})}
    assert _assess(record, date(2025, 5, 20)) == _status(
        "2024Q3 2024Q4 2025Q1 2025Q2", upcoming="2025Q1 2025Q2",
        unknown=frozenset({"project.end_date", "project.phase"}))
    stopped = {"project": {"start_date": "2024-07-01", "phase": "operation"},
               **_reports({"period": "2024Q3", "submitted": True,
                           "submitted_on": "2024-10-09"})}
    assert _assess(stopped, date(2025, 5, 20)) == _status(
        "2024Q3 2024Q4 2025Q1 2025Q2", upcoming="2025Q1 2025Q2",
        unknown=frozenset({"project.end_date"}))


def test_an_unknown_end_of_a_duty_without_a_phase_test_names_only_the_end() -> None:
    record = {"project": {"start_date": "2024-07-01"},
              **_reports({"period": "2024Q3", "submitted": True, "submitted_on": "2024-10-09"})}
    assert _assess(record, date(2025, 5, 20), "no-phase") == _status(
        "2024Q3 2024Q4 2025Q1 2025Q2", upcoming="2025Q1 2025Q2",
        unknown=frozenset({"project.end_date"}))


def test_an_unknown_start_keeps_its_fact_beside_the_evidence() -> None:
    record = {"contract": {"signed_on": "2025-05-10"},
              "project": {"end_date": "2025-12-31"}, **_reports()}
    assert _assess(record, date(2025, 11, 20)) == _status(
        "2025Q2 2025Q3 2025Q4", missing="2025Q2", upcoming="2025Q3 2025Q4",
        unknown=frozenset({"project.start_date"}))


def test_evidence_dated_to_the_month_of_as_of_proves_that_quarter() -> None:
    record = {"contract": {"signed_on": "2025-11"}, "project": {"end_date": "2025-12-31"},
              **_reports()}
    assert _assess(record, date(2025, 11, 20)) == _status(
        "2025Q4", upcoming="2025Q4", unknown=frozenset({"project.start_date"}))


def test_evidence_on_as_of_itself_counts() -> None:
    record = {"contract": {"signed_on": "2025-11-20"}, "project": {"end_date": "2025-12-31"},
              **_reports()}
    assert _assess(record, date(2025, 11, 20)) == _status(
        "2025Q4", upcoming="2025Q4", unknown=frozenset({"project.start_date"}))
    later = {"contract": {"signed_on": "2025-11-21"}, "project": {"end_date": "2025-12-31"},
             **_reports()}
    assert _assess(later, date(2025, 11, 20)) == _status(
        unknown=frozenset({"project.start_date"}))


def test_the_earliest_of_the_evidence_and_the_reports_starts_the_duty() -> None:
    record = {"contract": {"signed_on": "2025-02-10"}, "project": {"end_date": "2025-12-31"},
              **_reports({"period": "2025Q3", "submitted": True, "submitted_on": "2025-10-09"})}
    assert _assess(record, date(2025, 11, 20)) == _status(
        "2025Q1 2025Q2 2025Q3 2025Q4", missing="2025Q1 2025Q2", upcoming="2025Q4",
        unknown=frozenset({"project.start_date"}))


def test_with_no_date_at_all_a_running_project_owes_the_current_quarter() -> None:
    running = {"project": {"phase": "implementation", "end_date": "2025-12-31"}, **_reports()}
    assert _assess(running, date(2025, 11, 20)) == _status(
        "2025Q4", upcoming="2025Q4", unknown=frozenset({"project.start_date"}))
    stopped = {"project": {"phase": "operation", "end_date": "2025-12-31"}, **_reports()}
    assert _assess(stopped, date(2025, 11, 20)) == _status(
        unknown=frozenset({"project.start_date"}))


def test_a_report_given_to_the_month_after_its_due_date_is_late() -> None:
    record = {"project": {"start_date": "2025-01-01", "end_date": "2025-06-30"},
              **_reports({"period": "2025Q1", "submitted": True, "submitted_on": "2025-07"},
                         {"period": "2025Q2", "submitted": True, "submitted_on": "2025-09-30"})}
    # 2025Q1 due 2025-06-30, 2025Q2 on the due day 2025-09-30 itself: on time
    assert _assess(record, date(2025, 11, 20)) == _status(
        "2025Q1 2025Q2", late="2025Q1")


def test_a_report_dated_to_a_month_holding_the_due_date_may_be_late() -> None:
    # due the day after the quarter: 2025-07-01, the first day of the month given
    first_day = {"project": {"start_date": "2025-04-01", "end_date": "2025-06-30"},
                 **_reports({"period": "2025Q2", "submitted": True, "submitted_on": "2025-07"})}
    assert _assess(first_day, date(2025, 11, 20), "one-day") == _status(
        "2025Q2", unknown=frozenset({f"{RECORDS}[0].submitted_on"}))
    # due at the next quarter's end: 2025-09-30, the last day of the month given
    last_day = {"project": {"start_date": "2025-04-01", "end_date": "2025-06-30"},
                **_reports({"period": "2025Q2", "submitted": True, "submitted_on": "2025-09"})}
    assert _assess(last_day, date(2025, 11, 20)) == _status("2025Q2")


def test_a_quarter_due_on_as_of_is_upcoming_not_missing() -> None:
    record = {"project": {"start_date": "2025-04-01", "end_date": "2025-12-31"}, **_reports()}
    assert _assess(record, date(2025, 9, 30)) == _status(
        "2025Q2 2025Q3", upcoming="2025Q2 2025Q3")
    assert _assess(record, date(2025, 10, 1)) == _status(
        "2025Q2 2025Q3 2025Q4", missing="2025Q2", upcoming="2025Q3 2025Q4")


def test_unknown_reports_leave_overdue_quarters_open_and_later_ones_upcoming() -> None:
    record = {"contract": {"signed_on": "2025-05-10"}, "project": {"end_date": "2025-12-31"}}
    assert _assess(record, date(2025, 11, 20)) == _status(
        "2025Q2 2025Q3 2025Q4", upcoming="2025Q3 2025Q4",
        unknown=frozenset({"project.start_date", RECORDS}))


def test_a_duty_ending_on_a_quarter_s_first_day_owes_that_quarter() -> None:
    record = {"project": {"start_date": "2025-04-01", "end_date": "2025-07-01"}, **_reports()}
    assert _assess(record, date(2026, 1, 20)) == _status(
        "2025Q2 2025Q3", missing="2025Q2 2025Q3")


def test_quarters_after_the_last_report_of_an_open_ended_duty_are_open() -> None:
    record = {"contract": {"signed_on": "2024-08-01"},
              **_reports({"period": "2024Q3", "submitted": True, "submitted_on": "2024-12-20"})}
    assert _assess(record, date(2025, 5, 20)) == _status(
        "2024Q3 2024Q4 2025Q1 2025Q2", upcoming="2025Q1 2025Q2",
        unknown=frozenset({"project.start_date", "project.end_date", "project.phase"}))


def test_a_report_filed_without_its_date_leaves_that_date_open() -> None:
    record = {"project": {"start_date": "2025-04-01", "end_date": "2025-06-30"},
              **_reports({"period": "2025Q1", "submitted": True},
                         {"period": "2025Q2", "submitted": True})}
    assert _assess(record, date(2025, 11, 20)) == _status(
        "2025Q2", unknown=frozenset({f"{RECORDS}[1].submitted_on"}))
