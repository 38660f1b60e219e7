"""The shipped calendar against the ``chinesecalendar`` package, day by day, and its citations.

``chinesecalendar`` (PyPI, a test dependency in the ``dev`` extra) carries the State
Council schedules independently of this repository; a year typed wrong in
``calendar-cn.yaml`` fails here before it can ship.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from govrules.base.calendar import Calendar

chinese_calendar = pytest.importorskip("chinese_calendar")

CAL = Calendar.load(builtin=True)
_NUMBER = re.compile(r"^国办发明电〔(\d{4})〕\d+号$")


def _years() -> list[int]:
    return sorted(CAL.years)


@pytest.mark.parametrize("year", _years(), ids=str)
def test_every_day_matches_chinesecalendar(year: int) -> None:
    wrong: list[str] = []
    day = date(year, 1, 1)
    while day.year == year:
        ours = CAL.is_working_day(day)
        theirs = chinese_calendar.is_workday(day)
        if ours != theirs:
            wrong.append(f"{day}: calendar-cn.yaml says {'working' if ours else 'off'}, "
                         f"chinesecalendar says {'working' if theirs else 'off'}")
        day += timedelta(days=1)
    assert not wrong, "\n".join(wrong)


def test_the_comparison_would_catch_a_wrong_day() -> None:
    """A schedule with one make-up day dropped disagrees with the package on that day."""
    schedule = CAL.schedule(2025)
    assert schedule is not None
    broken = Calendar({2025: type(schedule)(schedule.holidays,
                                             schedule.workdays - {date(2025, 9, 28)})}, "x")
    assert broken.is_working_day(date(2025, 9, 28)) != chinese_calendar.is_workday(
        date(2025, 9, 28))


@pytest.mark.parametrize("year", _years(), ids=str)
def test_every_year_cites_its_notice(year: int) -> None:
    schedule = CAL.schedule(year)
    assert schedule is not None
    assert schedule.notice is not None
    notice = schedule.notice
    assert notice.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
    if notice.doc_number is None:
        assert notice.note, "an unverified number is left null with a note"
    else:
        match = _NUMBER.match(notice.doc_number)
        assert match, notice.doc_number
        assert int(match.group(1)) == year - 1, "a notice is issued the year before"
    if notice.issued is not None:
        assert notice.issued.year == year - 1


def test_days_fixed_by_another_notice_cite_it() -> None:
    late_2018 = CAL.schedule(2018)
    assert late_2018 is not None
    notice = late_2018.notice_of(date(2018, 12, 30))
    assert notice is not None
    assert notice.title.startswith("国务院办公厅关于2019年")
    assert late_2018.notice_of(date(2018, 12, 29)) == notice  # the make-up Saturday too
    extension = CAL.schedule(2020)
    assert extension is not None
    cited = extension.notice_of(date(2020, 2, 1))
    assert cited is not None
    assert "延长2020年春节假期" in cited.title
    assert extension.notice_of(date(2020, 1, 24)) == extension.notice
