"""What the calendar says about a count, and what a calendar file says, pinned exactly.

A due date's explanation (days off, make-up working days, weekends, years without data,
each with its notice), the digest a receipt records for a year, the tracking view a
report's receipt reads, and the strict reading of a calendar file: names, notices,
places and messages. Calendars are built inside the tests (from schedules or from text),
never from the shipped data cached at import, so every line here runs under test.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from govrules.base._calendar_file import read_schedules
from govrules.base.calendar import Calendar, DayNote, Notice, WorkingDayCount, YearSchedule
from govrules.base.errors import CalendarError
from govrules.base.loader import parse_document

D = date
NOTICE = Notice("国务院办公厅关于2031年部分节假日安排的通知", "国办发明电〔2030〕1号",
                D(2030, 11, 1), "https://example.org/2031", None)
LATE = Notice("一则更正通知")


def _calendar() -> Calendar:
    """2031: New Year off on Wed 1 and Thu 2 January (2 January cited by another notice),
    Saturday 4 January worked; 2032 has no data."""
    schedule = YearSchedule(
        holidays=frozenset({D(2031, 1, 1), D(2031, 1, 2)}),
        workdays=frozenset({D(2031, 1, 4)}), notice=NOTICE,
        names={D(2031, 1, 1): "元旦", D(2031, 1, 2): "元旦"},
        day_notices={D(2031, 1, 2): LATE})
    return Calendar({2031: schedule}, "test-2031", ["test"])


# -- notices -----------------------------------------------------------------------------


def test_a_notice_cites_its_number_and_date_as_far_as_known() -> None:
    assert NOTICE.cite() == ("国务院办公厅关于2031年部分节假日安排的通知"
                             "（国办发明电〔2030〕1号, 2030-11-01）")
    assert Notice("通知", issued=D(2030, 1, 2)).cite() == "通知（2030-01-02）"
    assert Notice("通知", doc_number="1号").cite() == "通知（1号）"
    assert LATE.cite() == "一则更正通知"


def test_a_notice_as_json() -> None:
    assert NOTICE.to_dict() == {"title": NOTICE.title, "doc_number": "国办发明电〔2030〕1号",
                                "issued": "2030-11-01", "url": "https://example.org/2031",
                                "note": None}
    assert Notice("t", note="unchecked").to_dict() == {
        "title": "t", "doc_number": None, "issued": None, "url": None, "note": "unchecked"}


# -- a year's digest and notices -----------------------------------------------------------


def test_a_schedule_digest_hashes_its_days_off_and_on_in_order() -> None:
    schedule = YearSchedule(frozenset({D(2031, 1, 2), D(2031, 1, 1)}),
                            frozenset({D(2031, 1, 4)}))
    body = "off:2031-01-01,2031-01-02;on:2031-01-04"
    assert schedule.digest() == hashlib.sha256(body.encode("ascii")).hexdigest()
    moved = YearSchedule(frozenset({D(2031, 1, 1)}), frozenset({D(2031, 1, 2)}))
    assert moved.digest() != schedule.digest()
    # names and notices do not change a count, so not the digest either
    named = YearSchedule(schedule.holidays, schedule.workdays, NOTICE, {D(2031, 1, 1): "x"})
    assert named.digest() == schedule.digest()


def test_a_day_cites_its_own_notice_else_the_years() -> None:
    schedule = _calendar().schedule(2031)
    assert schedule is not None
    assert schedule.notice_of(D(2031, 1, 2)) is LATE
    assert schedule.notice_of(D(2031, 1, 1)) is NOTICE
    assert _calendar().schedule(2032) is None


# -- the tracking view ---------------------------------------------------------------------


def test_a_tracking_view_records_the_years_its_queries_consult() -> None:
    calendar = _calendar()
    view = calendar.tracking()
    assert view.used_years == frozenset()
    assert view.add_working_days(D(2031, 12, 30), 3) == D(2032, 1, 2)
    assert view.used_years == frozenset()  # only a query given `uncovered` notes years
    uncovered: set[int] = set()
    assert view.add_working_days(D(2031, 12, 30), 3, uncovered) == D(2032, 1, 2)
    assert view.used_years == frozenset({2031, 2032})
    assert uncovered == {2032}
    assert view.is_working_day(D(2033, 5, 2), set())
    assert view.used_years == frozenset({2031, 2032, 2033})
    # the view shares the data, answers the same, and leaves the calendar untracked
    assert (view.version, view.years, view.sources) == ("test-2031", frozenset({2031}),
                                                        ("test",))
    assert calendar.used_years == frozenset()
    calendar.add_working_days(D(2031, 12, 30), 3, set())
    assert calendar.used_years == frozenset()
    assert view.tracking().used_years == frozenset()  # each view starts empty


def test_working_days_between_notes_the_years_passed() -> None:
    view = _calendar().tracking()
    uncovered: set[int] = set()
    assert view.working_days_between(D(2030, 12, 31), D(2031, 1, 6), uncovered) == 3
    assert view.used_years == frozenset({2031})
    assert uncovered == set()
    assert view.working_days_between(D(2031, 1, 6), D(2031, 1, 6), uncovered) == 0
    assert view.used_years == frozenset({2031})


# -- a count explained ---------------------------------------------------------------------


def test_a_count_names_each_day_that_moved_it() -> None:
    count = _calendar().explain_working_days(D(2030, 12, 31), 3)
    assert count == WorkingDayCount(
        start=D(2030, 12, 31), n=3, due=D(2031, 1, 6),
        counted=(D(2031, 1, 3), D(2031, 1, 4), D(2031, 1, 6)),
        notes=(DayNote(D(2031, 1, 1), "holiday", "元旦", NOTICE),
               DayNote(D(2031, 1, 2), "holiday", "元旦", LATE),
               DayNote(D(2031, 1, 4), "makeup_workday", None, NOTICE),
               DayNote(D(2031, 1, 5), "weekend", None, None)),
        calendar_version="test-2031")
    assert count.moved_by == count.notes[:3]
    assert count.notices == (NOTICE, LATE)  # each once, in order


def test_a_count_in_words() -> None:
    count = _calendar().explain_working_days(D(2030, 12, 31), 3)
    assert count.lines() == [
        "start 2030-12-31 (the event's own day is not counted 起算日不计入); "
        "3 working days 个工作日 → due 截止 2031-01-06",
        "counted 计入: 2031-01-03, 2031-01-04, 2031-01-06",
        f"  2031-01-01 Wed 周三: day off 放假 (元旦) — {NOTICE.cite()}",
        "  2031-01-02 Thu 周四: day off 放假 (元旦) — 一则更正通知",
        f"  2031-01-04 Sat 周六: make-up working day 调休上班 (counted) — {NOTICE.cite()}",
        "  2031-01-05 Sun 周日: weekend 周末",
        "calendar 日历数据 test-2031",
    ]


def test_a_count_as_json() -> None:
    count = _calendar().explain_working_days(D(2030, 12, 31), 3)
    assert count.to_dict() == {
        "start": "2030-12-31", "start_excluded": True, "working_days": 3,
        "due": "2031-01-06", "counted": ["2031-01-03", "2031-01-04", "2031-01-06"],
        "moved_by": [
            {"date": "2031-01-01", "weekday": "Wed", "kind": "holiday", "name": "元旦",
             "notice": NOTICE.to_dict()},
            {"date": "2031-01-02", "weekday": "Thu", "kind": "holiday", "name": "元旦",
             "notice": LATE.to_dict()},
            {"date": "2031-01-04", "weekday": "Sat", "kind": "makeup_workday", "name": None,
             "notice": NOTICE.to_dict()}],
        "skipped_weekends": ["2031-01-05"],
        "uncovered_years": [],
        "notices": [NOTICE.to_dict(), LATE.to_dict()],
        "calendar_version": "test-2031"}


def test_a_count_into_a_year_without_data_says_so_once() -> None:
    count = _calendar().explain_working_days(D(2031, 12, 30), 6)
    assert count.due == D(2032, 1, 7)
    assert count.notes == (
        DayNote(D(2032, 1, 1), "uncovered", None, None),
        DayNote(D(2032, 1, 3), "weekend", None, None),
        DayNote(D(2032, 1, 4), "weekend", None, None))
    assert count.counted == (D(2031, 12, 31), D(2032, 1, 1), D(2032, 1, 2), D(2032, 1, 5),
                             D(2032, 1, 6), D(2032, 1, 7))
    assert count.moved_by == ()
    assert count.notices == ()
    data = count.to_dict()
    assert (data["uncovered_years"], data["skipped_weekends"]) == (
        [2032], ["2032-01-03", "2032-01-04"])
    assert count.lines()[2] == ("  2032-01-01 Thu 周四: no official data for the year: "
                                "Monday-Friday assumed 该年无官方数据")


def test_a_weekend_in_a_year_with_data_is_a_plain_weekend() -> None:
    count = _calendar().explain_working_days(D(2031, 1, 9), 2)  # Thu -> Mon
    assert count.due == D(2031, 1, 13)
    assert count.notes == (DayNote(D(2031, 1, 11), "weekend", None, None),
                           DayNote(D(2031, 1, 12), "weekend", None, None))


@pytest.mark.parametrize(("note", "text"), [
    (DayNote(D(2031, 1, 1), "holiday", None, None), "2031-01-01 Wed 周三: day off 放假"),
    (DayNote(D(2031, 1, 1), "holiday", "元旦", None), "2031-01-01 Wed 周三: day off 放假 (元旦)"),
    (DayNote(D(2031, 1, 4), "makeup_workday", None, None),
     "2031-01-04 Sat 周六: make-up working day 调休上班 (counted)"),
    (DayNote(D(2031, 1, 5), "weekend", None, NOTICE), "2031-01-05 Sun 周日: weekend 周末"),
    (DayNote(D(2031, 1, 6), "uncovered", None, NOTICE),
     "2031-01-06 Mon 周一: no official data for the year: Monday-Friday assumed 该年无官方数据"),
    (DayNote(D(2031, 1, 7), "holiday", "x", LATE),
     "2031-01-07 Tue 周二: day off 放假 (x) — 一则更正通知"),
])
def test_each_kind_of_day_in_words(note: DayNote, text: str) -> None:
    assert note.describe() == text


def test_a_day_note_as_json() -> None:
    assert DayNote(D(2031, 1, 2), "holiday", "元旦", LATE).to_dict() == {
        "date": "2031-01-02", "weekday": "Thu", "kind": "holiday", "name": "元旦",
        "notice": {"title": "一则更正通知", "doc_number": None, "issued": None, "url": None,
                   "note": None}}
    assert DayNote(D(2031, 1, 5), "weekend", None, None).to_dict()["notice"] is None


@pytest.mark.parametrize("n", [0, -1])
def test_only_a_count_of_at_least_one_day_is_explained(n: int) -> None:
    with pytest.raises(ValueError, match=r"^explain a count of at least one working day$"):
        _calendar().explain_working_days(D(2031, 1, 1), n)


def test_the_representation_names_the_version_and_years() -> None:
    assert repr(_calendar()) == "Calendar(version='test-2031', years=2031..2031)"
    assert repr(Calendar({}, "mon-fri")) == "Calendar(version='mon-fri', years=none)"


# -- reading a calendar file ---------------------------------------------------------------

FILE = """\
version: " mycal-2031 "
years:
  2030:
    notice: {title: 2030年通知, doc_number: 国办发明电〔2029〕1号, issued: 2029-12-01}
  2031:
    notice: {title: 2031年通知, url: "https://example.org/2031"}
    holidays:
      - {name: 元旦, from: 2031-01-01, to: 2031-01-02}
      - {name: 补假, from: 2031-02-03, notice: 2030}
      - {name: 更正, from: 2031-03-03, notice: {title: 更正通知, note: 未核对}}
    workdays:
      - 2031-01-04
      - {day: 2031-02-08, notice: 2030}
      - {day: 2031-03-08}
  2032:
"""


def _read(text: str) -> tuple[str, dict[int, YearSchedule]]:
    return read_schedules(parse_document(text, "cal.yaml"))


def test_a_file_gives_each_day_its_holiday_and_notice() -> None:
    version, years = _read(FILE)
    assert version == "mycal-2031"
    assert sorted(years) == [2030, 2031, 2032]
    own = Notice("2031年通知", url="https://example.org/2031")
    earlier = Notice("2030年通知", "国办发明电〔2029〕1号", D(2029, 12, 1))
    fixed = Notice("更正通知", note="未核对")
    year = years[2031]
    assert year.holidays == {D(2031, 1, 1), D(2031, 1, 2), D(2031, 2, 3), D(2031, 3, 3)}
    assert year.workdays == {D(2031, 1, 4), D(2031, 2, 8), D(2031, 3, 8)}
    assert year.notice == own
    assert dict(year.names) == {D(2031, 1, 1): "元旦", D(2031, 1, 2): "元旦",
                                D(2031, 2, 3): "补假", D(2031, 3, 3): "更正"}
    assert dict(year.day_notices) == {D(2031, 2, 3): earlier, D(2031, 3, 3): fixed,
                                      D(2031, 2, 8): earlier}
    assert year.notice_of(D(2031, 1, 1)) == own
    assert years[2030] == YearSchedule(notice=earlier)
    assert years[2032] == YearSchedule()


def _problems(text: str) -> list[tuple[str, str, str | None, int | None]]:
    with pytest.raises(CalendarError) as info:
        _read(text)
    return [(d.code, d.message, d.path, d.span.line if d.span else None)
            for d in info.value.diagnostics]


def test_a_notice_of_a_year_without_one_is_named_with_its_place() -> None:
    text = ('version: x\nyears:\n  2031:\n    holidays:\n'
            '      - {name: a, from: 2031-01-01, notice: 2029}\n'
            '    workdays:\n      - {day: 2031-01-04, notice: 2028}\n')
    assert _problems(text) == [
        ("calendar-unknown-notice", "year 2029 has no `notice:` to refer to",
         "years.2031.holidays[0].notice", 5),
        ("calendar-unknown-notice", "year 2028 has no `notice:` to refer to",
         "years.2031.workdays[0].notice", 7)]


def test_every_problem_of_a_year_is_reported_with_its_place() -> None:
    text = ('version: x\nyears:\n  2031:\n    holidays:\n'
            '      - {name: a, from: 2030-12-31, to: 2032-01-01}\n'
            '      - {name: b, from: 2031-05-03, to: 2031-05-01}\n'
            '      - {name: c, from: 2031-06-01, to: 2031-06-02}\n'
            '    workdays: [2030-12-28, 2031-06-02]\n')
    assert _problems(text) == [
        ("calendar-date-outside-year", "2030-12-31 is not in 2031",
         "years.2031.holidays[0].from", 5),
        ("calendar-date-outside-year", "2032-01-01 is not in 2031",
         "years.2031.holidays[0].to", 5),
        ("calendar-range-reversed", "the range ends (2031-05-01) before it starts "
         "(2031-05-03)", "years.2031.holidays[1].to", 6),
        ("calendar-date-outside-year", "2030-12-28 is not in 2031", "years.2031.workdays[0]",
         8),
        ("calendar-conflict", "2031-06-02 is listed both as a holiday and as a make-up "
         "working day", "years.2031.workdays[1]", 8)]


def test_a_range_outside_its_year_adds_no_days() -> None:
    text = 'version: x\nyears:\n  2031:\n    holidays:\n      - {name: a, from: 2030-12-31}\n'
    assert [p[0] for p in _problems(text)] == ["calendar-date-outside-year"] * 2


def test_a_quoted_date_is_named_with_its_place_and_a_hint() -> None:
    with pytest.raises(CalendarError) as info:
        _read('version: x\nyears:\n  2031:\n    workdays: ["2031-01-04"]\n')
    (problem,) = info.value.diagnostics
    assert (problem.code, problem.path, problem.hint) == (
        "calendar-invalid", "years.2031.workdays[0]", "write dates as YYYY-MM-DD, unquoted")
    with pytest.raises(CalendarError) as other:
        _read('version: x\nyears:\n  2031: {holidayz: []}\n')
    assert other.value.diagnostics[0].hint is None
    assert other.value.diagnostics[0].path == "years.2031.holidayz"


def test_a_workday_entry_is_a_date_or_a_mapping() -> None:
    with pytest.raises(CalendarError) as info:
        _read('version: x\nyears:\n  2031:\n    workdays: [{day: 2031-01-04, note: x}]\n')
    (problem,) = info.value.diagnostics
    assert (problem.code, problem.path) == ("calendar-invalid", "years.2031.workdays[0].note")


# -- loading files ---------------------------------------------------------------------------


def test_files_alone_name_their_versions_and_sources(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text('version: a-1\nyears:\n  2031: {workdays: [2031-01-04]}\n',
                     encoding="utf-8")
    second.write_text('version: b-2\nyears:\n  2031: {workdays: [2031-01-05]}\n',
                      encoding="utf-8")
    calendar = Calendar.load([first, second], builtin=False)
    assert calendar.version == "a-1+b-2"
    assert calendar.sources == (str(first), str(second))
    assert calendar.years == frozenset({2031})
    assert calendar.is_working_day(D(2031, 1, 5))  # the later file's year replaces
    assert not calendar.is_working_day(D(2031, 1, 4))
    assert Calendar.load(builtin=False).version == "mon-fri"
    assert Calendar.load(builtin=False).sources == ()


def test_every_bad_file_is_reported_at_once(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('version: x\nyears:\n  2031: {holidayz: []}\n', encoding="utf-8")
    with pytest.raises(CalendarError) as info:
        Calendar.load([bad, tmp_path / "missing.yaml", bad], builtin=False)
    found = sorted((d.code, d.span.file if d.span else None) for d in info.value.diagnostics)
    assert found == [("calendar-invalid", str(bad)), ("calendar-invalid", str(bad)),
                     ("file-not-found", str(tmp_path / "missing.yaml"))]


# -- what the mutation run showed unpinned ---------------------------------------------------


def test_the_sources_name_the_shipped_data_first(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text('version: e-1\nyears:\n  2040: {workdays: [2040-01-07]}\n',
                     encoding="utf-8")
    assert Calendar.load().sources == ("builtin",)
    assert Calendar.load([extra]).sources == ("builtin", str(extra))


def test_a_count_of_one_day_is_explained() -> None:
    count = _calendar().explain_working_days(D(2031, 1, 3), 1)  # Fri -> the worked Sat
    assert (count.due, count.counted) == (D(2031, 1, 4), (D(2031, 1, 4),))


def test_a_year_without_data_is_noted_even_when_it_starts_on_a_weekend() -> None:
    count = Calendar({}, "mon-fri").explain_working_days(D(2032, 12, 31), 1)  # Fri
    assert count.due == D(2033, 1, 3)
    assert count.notes == (DayNote(D(2033, 1, 1), "weekend", None, None),
                           DayNote(D(2033, 1, 1), "uncovered", None, None),
                           DayNote(D(2033, 1, 2), "weekend", None, None))


def test_a_make_up_day_cites_its_own_notice() -> None:
    schedule = YearSchedule(frozenset(), frozenset({D(2031, 1, 4)}), NOTICE,
                            day_notices={D(2031, 1, 4): LATE})
    count = Calendar({2031: schedule}, "t").explain_working_days(D(2031, 1, 3), 1)
    assert count.notes == (DayNote(D(2031, 1, 4), "makeup_workday", None, LATE),)


def test_a_digest_separates_each_make_up_day() -> None:
    schedule = YearSchedule(frozenset(), frozenset({D(2031, 1, 4), D(2031, 2, 8)}))
    body = "off:;on:2031-01-04,2031-02-08"
    assert schedule.digest() == hashlib.sha256(body.encode("ascii")).hexdigest()
