"""The working-day calendar, quarters and period arithmetic."""

from __future__ import annotations

import doctest
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from govrules.base import calendar as calendar_module
from govrules.base.calendar import (
    CALENDAR_ENV,
    Calendar,
    Quarter,
    YearSchedule,
    add_days,
    add_months,
    add_years,
    days_between,
    months_between,
    quarters_between,
)
from govrules.base.errors import CalendarError

CAL = Calendar.load()
D = date


# --- the shipped schedule -----------------------------------------------------------


def test_shipped_data_version_and_years() -> None:
    assert CAL.version == "cn-2026.2"
    assert CAL.years == frozenset(range(2004, 2027))
    assert CAL.covers(2025)
    assert not CAL.covers(2031)


def test_2025_make_up_days_are_the_official_ones() -> None:
    weekend_working = [
        d for d in (D(2025, 1, 1) + timedelta(days=k) for k in range(365))
        if d.weekday() >= 5 and CAL.is_working_day(d)
    ]
    assert weekend_working == [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27),
                               D(2025, 9, 28), D(2025, 10, 11)]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 10, 1), False),
        (D(2025, 10, 6), False),
        (D(2025, 10, 8), False),
        (D(2025, 10, 9), True),
        (D(2025, 10, 11), True),
        (D(2025, 9, 27), False),
        (D(2025, 9, 28), True),
        (D(2025, 1, 28), False),
        (D(2025, 2, 8), True),
        (D(2025, 3, 3), True),
        (D(2025, 3, 8), False),
    ],
    ids=["national-day", "mid-autumn-in-golden-week", "last-golden-week-day",
         "first-day-back", "sat-make-up", "plain-saturday", "sun-make-up",
         "spring-festival", "spring-make-up", "plain-monday", "plain-saturday-march"],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 9, 30), 5, D(2025, 10, 14)),  # Oct 1-8 off, Sat Oct 11 worked
        (D(2025, 9, 26), 5, D(2025, 10, 10)),  # Sun Sep 28 worked: 28, 29, 30, Oct 9, 10
        (D(2025, 9, 26), 1, D(2025, 9, 28)),
        (D(2025, 9, 30), 3, D(2025, 10, 11)),
        (D(2025, 1, 24), 5, D(2025, 2, 7)),    # Sun Jan 26, Mon 27, Feb 5, 6, 7
        (D(2025, 1, 24), 7, D(2025, 2, 10)),   # Sat Feb 8 worked
        (D(2024, 9, 27), 3, D(2024, 10, 8)),   # Sun Sep 29, Mon 30, Oct 1-7 off
        (D(2024, 9, 27), 7, D(2024, 10, 12)),  # Sat Oct 12 worked
        (D(2024, 2, 8), 2, D(2024, 2, 18)),    # Fri Feb 9, Feb 10-17 off, Sun 18 worked
        (D(2025, 12, 31), 1, D(2026, 1, 4)),   # Jan 1-3 2026 off, Sun Jan 4 worked
        (D(2026, 2, 12), 3, D(2026, 2, 24)),   # Fri 13, Sat 14 worked, Feb 15-23 off
        (D(2026, 9, 30), 5, D(2026, 10, 13)),  # Oct 1-7 off: 8, 9, Sat 10, 12, 13
    ],
    ids=["golden-week-2025-signed-sep30", "golden-week-2025-signed-fri-sep26",
         "next-day-is-sunday-make-up", "lands-on-saturday-make-up", "spring-2025-5",
         "spring-2025-7", "national-day-2024-3", "national-day-2024-7", "spring-2024",
         "new-year-2026", "spring-2026", "national-day-2026"],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    uncovered: set[int] = set()
    assert CAL.add_working_days(start, n, uncovered) == expected
    assert uncovered == set()
    assert CAL.working_days_between(start, expected) == n
    assert CAL.add_working_days(expected, -n) == start or not CAL.is_working_day(start)


def test_event_day_never_counts() -> None:
    # A Monday contract: the first working day of the period is Tuesday, not Monday.
    assert CAL.add_working_days(D(2025, 3, 3), 1) == D(2025, 3, 4)
    # An event on a holiday: counting starts at the next working day.
    assert CAL.add_working_days(D(2025, 10, 3), 1) == D(2025, 10, 9)


def test_zero_days_is_the_day_itself() -> None:
    assert CAL.add_working_days(D(2025, 10, 3), 0) == D(2025, 10, 3)
    assert CAL.working_days_between(D(2025, 10, 3), D(2025, 10, 3)) == 0


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 10, 14), -5, D(2025, 9, 30)),
        (D(2025, 10, 9), -1, D(2025, 9, 30)),
        (D(2025, 10, 13), -1, D(2025, 10, 11)),
        (D(2025, 3, 4), -1, D(2025, 3, 3)),
    ],
    ids=["back-over-golden-week", "back-one-over-holiday", "back-to-make-up", "plain"],
)
def test_negative_counts_backwards(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n) == expected


def test_working_days_between_is_signed_and_exclusive_of_start() -> None:
    assert CAL.working_days_between(D(2025, 9, 30), D(2025, 10, 14)) == 5
    assert CAL.working_days_between(D(2025, 10, 14), D(2025, 9, 30)) == -5
    assert CAL.working_days_between(D(2025, 10, 1), D(2025, 10, 8)) == 0
    assert CAL.working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 248


# --- years without data -------------------------------------------------------------


def test_uncovered_year_falls_back_to_monday_to_friday() -> None:
    uncovered: set[int] = set()
    # 2031-01-01 is a Wednesday; New Year's Day is not known, so it is a working day.
    assert CAL.is_working_day(D(2031, 1, 1), uncovered)
    assert CAL.add_working_days(D(2030, 12, 31), 5, uncovered) == D(2031, 1, 7)
    assert uncovered == {2031}
    assert not CAL.is_working_day(D(2031, 1, 4))


def test_uncovered_reports_every_year_passed_through() -> None:
    uncovered: set[int] = set()
    CAL.add_working_days(D(2026, 12, 30), 600, uncovered)
    assert uncovered == {2027, 2028, 2029}
    uncovered.clear()
    CAL.working_days_between(D(2026, 6, 1), D(2027, 1, 5), uncovered)
    assert uncovered == {2027}


def test_event_day_in_uncovered_year_is_not_examined() -> None:
    uncovered: set[int] = set()
    CAL.add_working_days(D(2003, 12, 31), 1, uncovered)
    assert uncovered == set()


# --- analysts' files ----------------------------------------------------------------

EXTRA_2031 = """\
version: "mycal-2031"
source: "国务院办公厅关于2031年部分节假日安排的通知 (hypothetical)"
years:
  2031:
    holidays:
      - {name: "元旦 New Year's Day", from: 2031-01-01, to: 2031-01-01}
    workdays: [2031-01-04]
"""


def test_extra_file_adds_a_year(tmp_path: Path) -> None:
    extra = tmp_path / "mycal.yaml"
    extra.write_text(EXTRA_2031, encoding="utf-8")
    cal = Calendar.load([extra])
    assert cal.version == "cn-2026.2+mycal-2031"
    assert cal.covers(2031)
    assert not cal.is_working_day(D(2031, 1, 1))
    assert cal.is_working_day(D(2031, 1, 4))
    uncovered: set[int] = set()
    assert cal.add_working_days(D(2030, 12, 31), 3, uncovered) == D(2031, 1, 4)
    assert uncovered == set()


def test_later_file_replaces_a_year(tmp_path: Path) -> None:
    extra = tmp_path / "fix.yaml"
    extra.write_text('version: "fix-2025"\nyears:\n  2025: {workdays: [2025-10-12]}\n',
                     encoding="utf-8")
    cal = Calendar.load([extra])
    assert cal.is_working_day(D(2025, 10, 1))  # 2025 holidays replaced wholesale
    assert cal.is_working_day(D(2025, 10, 12))
    assert not cal.is_working_day(D(2025, 10, 11))
    assert cal.is_working_day(D(2024, 10, 12))  # other years untouched


def test_without_builtin_data(tmp_path: Path) -> None:
    assert Calendar.load(builtin=False).years == frozenset()
    assert Calendar.load(builtin=False).is_working_day(D(2025, 10, 1))


def test_default_reads_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "mycal.yaml"
    extra.write_text(EXTRA_2031, encoding="utf-8")
    monkeypatch.setenv(CALENDAR_ENV, str(extra))
    calendar_module._default_calendar.cache_clear()
    try:
        assert Calendar.default().version == "cn-2026.2+mycal-2031"
        assert Calendar.default() is Calendar.default()
    finally:
        calendar_module._default_calendar.cache_clear()


BAD_FILES = {
    "reversed-range": (
        'version: "x"\nyears:\n  2031:\n    holidays:\n'
        '      - {name: "a", from: 2031-01-03, to: 2031-01-01}\n',
        "calendar-range-reversed", 5),
    "date-outside-year": (
        'version: "x"\nyears:\n  2031:\n    workdays: [2031-01-04, 2030-12-28]\n',
        "calendar-date-outside-year", 4),
    "holiday-and-workday": (
        'version: "x"\nyears:\n  2031:\n    holidays:\n'
        '      - {name: "a", from: 2031-01-01, to: 2031-01-03}\n'
        "    workdays: [2031-01-02]\n",
        "calendar-conflict", 6),
    "quoted-date": (
        'version: "x"\nyears:\n  2031:\n    workdays: ["2031-01-04"]\n',
        "calendar-invalid", 4),
    "unknown-key": (
        'version: "x"\nyears:\n  2031:\n    holidayz: []\n', "calendar-invalid", 4),
    "no-version": ("years:\n  2031: {}\n", "calendar-invalid", 1),
    "bad-year-key": ('version: "x"\nyears:\n  next: {}\n', "calendar-invalid", 3),
    "yaml-syntax": ('version: "x"\nyears: [\n', "yaml-syntax", 3),
}


@pytest.mark.parametrize(("text", "code", "line"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_malformed_file(tmp_path: Path, text: str, code: str, line: int) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(CalendarError) as info:
        Calendar.load([bad])
    first = info.value.diagnostics[0]
    assert (first.code, first.span and first.span.file, first.span and first.span.line) == (
        code, str(bad), line)
    assert str(first).startswith(f"{bad}:{line}:")


def test_missing_file_is_a_calendar_error(tmp_path: Path) -> None:
    with pytest.raises(CalendarError) as info:
        Calendar.load([tmp_path / "nope.yaml"])
    assert info.value.code == "file-not-found"


def test_constructor_checks_its_input() -> None:
    with pytest.raises(ValueError, match="listed under year"):
        Calendar({2025: YearSchedule(workdays=frozenset({D(2024, 1, 6)}))}, "x")


# --- pure date helpers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 1, 15), 1, D(2025, 2, 15)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
        (D(2025, 5, 31), 0, D(2025, 5, 31)),
    ],
    ids=["jan31-2025", "jan31-leap", "mar31", "mid-month", "over-year-end", "backwards", "zero"],
)
def test_add_months(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2024, 2, 29), 1, D(2025, 2, 28)),
        (D(2024, 2, 29), 4, D(2028, 2, 29)),
        (D(2021, 1, 1), 2, D(2023, 1, 1)),
    ],
    ids=["leap-day-to-common-year", "leap-day-to-leap-year", "taiyuan-validity"],
)
def test_add_years(start: date, n: int, expected: date) -> None:
    assert add_years(start, n) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2025, 1, 31), D(2025, 2, 28), 1),
        (D(2025, 1, 31), D(2025, 2, 27), 0),
        (D(2025, 1, 15), D(2026, 3, 14), 13),
        (D(2025, 3, 31), D(2025, 2, 28), -1),
        (D(2025, 3, 1), D(2025, 3, 1), 0),
    ],
    ids=["month-end", "one-day-short", "over-a-year", "backwards", "same-day"],
)
def test_months_between(a: date, b: date, expected: int) -> None:
    assert months_between(a, b) == expected


def test_days() -> None:
    assert add_days(D(2025, 12, 30), 3) == D(2026, 1, 2)
    assert days_between(D(2025, 1, 1), D(2025, 3, 1)) == 59
    assert days_between(D(2025, 3, 1), D(2025, 1, 1)) == -59


# --- quarters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2025Q3", "2025q3", "2025-Q3", "2025 Q3", " 2025-q3 ", "2025年第三季度", "2025年第3季度"],
    ids=["plain", "lower", "dash", "space", "padded", "zh-numeral", "zh-digit"],
)
def test_quarter_parse(text: str) -> None:
    assert Quarter.parse(text) == Quarter(2025, 3)


@pytest.mark.parametrize(
    "text", ["bad", "2025Q5", "2025Q0", "25Q3", "2025-3", "2025年第五季度", "2025Q3x", ""],
    ids=["word", "q5", "q0", "short-year", "no-q", "zh-five", "trailing", "empty"],
)
def test_quarter_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a quarter"):
        Quarter.parse(text)


def test_quarter_values() -> None:
    q = Quarter(2025, 3)
    assert str(q) == "2025Q3"
    assert (q.start, q.end) == (D(2025, 7, 1), D(2025, 9, 30))
    assert (Quarter(2024, 1).end, Quarter(2025, 4).end) == (D(2024, 3, 31), D(2025, 12, 31))
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    assert Quarter(2025, 1).previous() == Quarter(2024, 4)
    assert Quarter.of(D(2025, 9, 30)) == q
    assert Quarter.of(D(2025, 10, 1)) == Quarter(2025, 4)
    assert Quarter(2024, 4) < Quarter(2025, 1) < Quarter(2025, 2)
    with pytest.raises(ValueError, match="no such quarter"):
        Quarter(2025, 5)


def test_quarters_between() -> None:
    assert quarters_between(D(2024, 11, 5), D(2025, 7, 1)) == [
        Quarter(2024, 4), Quarter(2025, 1), Quarter(2025, 2), Quarter(2025, 3)]
    assert quarters_between(D(2025, 7, 1), D(2025, 7, 1)) == [Quarter(2025, 3)]
    assert quarters_between(D(2025, 7, 2), D(2025, 7, 1)) == []


class _Model(BaseModel):
    quarter: Quarter
    optional: Quarter | None = None


def test_quarter_in_pydantic() -> None:
    adapter = TypeAdapter(Quarter)
    assert adapter.validate_python("2025Q3") == Quarter(2025, 3)
    assert adapter.validate_python(Quarter(2025, 3)) == Quarter(2025, 3)
    assert adapter.validate_json('"2025年第三季度"') == Quarter(2025, 3)
    assert adapter.dump_json(Quarter(2025, 3)) == b'"2025Q3"'
    with pytest.raises(ValidationError, match="not a quarter: 'bad'"):
        adapter.validate_python("bad")
    with pytest.raises(ValidationError, match="string like '2025Q3'"):
        adapter.validate_python(2025)
    model = _Model.model_validate({"quarter": "2025 q1"})
    assert model.quarter == Quarter(2025, 1)
    assert _Model.model_validate_json(model.model_dump_json()) == model
    assert model.model_dump() == {"quarter": "2025Q1", "optional": None}
    schema = adapter.json_schema()
    assert schema["type"] == "string"
    assert schema["pattern"] == r"^\d{4}Q[1-4]$"


# --- properties ---------------------------------------------------------------------

days = st.dates(min_value=D(2001, 1, 1), max_value=D(2032, 12, 31))
steps = st.integers(min_value=1, max_value=60)


@given(days, steps)
def test_add_working_days_properties(day: date, n: int) -> None:
    result = CAL.add_working_days(day, n)
    assert result > day
    assert CAL.is_working_day(result)
    assert CAL.add_working_days(day, n + 1) > result
    assert CAL.working_days_between(day, result) == n
    assert CAL.working_days_between(day, result - timedelta(days=1)) == n - 1


@given(days, steps)
def test_backwards_undoes_forwards_from_a_working_day(day: date, n: int) -> None:
    back = CAL.add_working_days(day, -n)
    assert back < day
    assert CAL.is_working_day(back)
    assert CAL.add_working_days(back, n) == day or not CAL.is_working_day(day)


@given(days, st.integers(min_value=-25, max_value=25))
def test_matches_a_day_by_day_walk(day: date, n: int) -> None:
    step, found, current = (1 if n > 0 else -1), 0, day
    while found < abs(n):
        current += timedelta(days=step)
        found += CAL.is_working_day(current)
    assert CAL.add_working_days(day, n) == current


@given(days, st.integers(min_value=-400, max_value=400))
def test_working_days_between_matches_a_walk(day: date, span: int) -> None:
    lo, hi = sorted((day, day + timedelta(days=span)))
    count = sum(CAL.is_working_day(lo + timedelta(days=k)) for k in range(1, (hi - lo).days + 1))
    assert CAL.working_days_between(day, day + timedelta(days=span)) == (
        count if span >= 0 else -count)


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)),
       st.integers(min_value=-30, max_value=30))
def test_months_between_inverts_add_months(day: date, n: int) -> None:
    assert months_between(day, add_months(day, n)) == n


def test_doctests() -> None:
    assert doctest.testmod(calendar_module).failed == 0
