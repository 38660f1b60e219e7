"""The PRC working-day calendar, quarters and period arithmetic.

Deadlines in the regulations count working days on the official State Council schedule
(weekends, public holidays and make-up working days 调休), or months with the
month-end rule. Both live here so every rule counts periods the same way.
"""

from __future__ import annotations

import functools
import os
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any, Literal

from govrules.base._calendar_dates import (
    Quarter,
    add_days,
    add_months,
    add_years,
    days_between,
    months_between,
    quarters_between,
)
from govrules.base._calendar_file import Notice, YearSchedule, builtin_schedules, read_schedules
from govrules.base.errors import CalendarError, Diagnostic, InputError
from govrules.base.loader import load_document

__all__ = [
    "CALENDAR_ENV", "Calendar", "DayNote", "Notice", "Quarter", "WorkingDayCount",
    "YearSchedule", "add_days", "add_months", "add_years", "days_between", "months_between",
    "quarters_between",
]

CALENDAR_ENV = "GOVRULES_CALENDAR"
"""Environment variable: extra calendar files (``os.pathsep``-separated) for the default."""


@dataclass(frozen=True, slots=True)
class DayNote:
    """A day a working-day count passed that is not plain Monday-to-Friday arithmetic."""

    day: date
    kind: Literal["holiday", "makeup_workday", "weekend", "uncovered"]
    name: str | None
    notice: Notice | None

    def describe(self) -> str:
        weekday = _WEEKDAYS[self.day.weekday()]
        if self.kind == "holiday":
            what = f"day off 放假 ({self.name})" if self.name else "day off 放假"
        elif self.kind == "makeup_workday":
            what = "make-up working day 调休上班 (counted)"
        elif self.kind == "weekend":
            what = "weekend 周末"
        else:
            what = "no official data for the year: Monday-Friday assumed 该年无官方数据"
        cited = f" — {self.notice.cite()}" if self.notice and self.kind in (
            "holiday", "makeup_workday") else ""
        return f"{self.day} {weekday}: {what}{cited}"

    def to_dict(self) -> dict[str, Any]:
        return {"date": str(self.day), "weekday": self.day.strftime("%a"), "kind": self.kind,
                "name": self.name, "notice": self.notice.to_dict() if self.notice else None}


_WEEKDAYS = ("Mon 周一", "Tue 周二", "Wed 周三", "Thu 周四", "Fri 周五", "Sat 周六", "Sun 周日")


@dataclass(frozen=True, slots=True)
class WorkingDayCount:
    """How ``start + n working days`` was counted: the start day excluded, every working
    day counted, and the days that moved the result (days off, weekends, 调休 make-up
    working days), each with the notice it comes from."""

    start: date
    n: int
    due: date
    counted: tuple[date, ...]
    notes: tuple[DayNote, ...]
    calendar_version: str

    @property
    def moved_by(self) -> tuple[DayNote, ...]:
        """The holidays and make-up working days (not plain weekends)."""
        return tuple(n for n in self.notes if n.kind in ("holiday", "makeup_workday"))

    @property
    def notices(self) -> tuple[Notice, ...]:
        seen: list[Notice] = []
        for note in self.moved_by:
            if note.notice is not None and note.notice not in seen:
                seen.append(note.notice)
        return tuple(seen)

    def lines(self) -> list[str]:
        """The count in words, Chinese and English."""
        out = [f"start {self.start} (the event's own day is not counted 起算日不计入); "
               f"{self.n} working days 个工作日 → due 截止 {self.due}",
               "counted 计入: " + ", ".join(str(d) for d in self.counted)]
        out += [f"  {note.describe()}" for note in self.notes]
        out.append(f"calendar 日历数据 {self.calendar_version}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"start": str(self.start), "start_excluded": True, "working_days": self.n,
                "due": str(self.due), "counted": [str(d) for d in self.counted],
                "moved_by": [n.to_dict() for n in self.moved_by],
                "skipped_weekends": [str(n.day) for n in self.notes if n.kind == "weekend"],
                "uncovered_years": sorted({n.day.year for n in self.notes
                                           if n.kind == "uncovered"}),
                "notices": [n.to_dict() for n in self.notices],
                "calendar_version": self.calendar_version}


def _weekdays_through(ordinal: int) -> int:
    """Mondays to Fridays among ordinals ``1..ordinal`` (ordinal 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


class Calendar:
    """The working-day calendar: immutable once built, so one instance serves all threads.

    A day's *rank* is the number of working days up to it; it is Monday-to-Friday
    arithmetic plus a prefix sum over the few exceptions (weekday holidays, weekend
    make-up days), so every query is a bisect, never a walk over the days.
    """

    __slots__ = ("_cum", "_exc", "_off", "_on", "_schedules", "_sources", "_used", "_version",
                 "_years")

    def __init__(self, schedules: Mapping[int, YearSchedule], version: str,
                 sources: Sequence[str] = ()) -> None:
        for year, schedule in schedules.items():
            stray = [d for d in schedule.holidays | schedule.workdays if d.year != year]
            if stray:
                raise ValueError(f"{stray[0]} is listed under year {year}")
            if schedule.holidays & schedule.workdays:
                raise ValueError(f"{min(schedule.holidays & schedule.workdays)} is both off and on")
        self._version = version
        self._sources = tuple(sources)
        self._schedules = dict(schedules)
        self._used: set[int] | None = None
        self._years = frozenset(schedules)
        self._off = frozenset(d for s in schedules.values() for d in s.holidays)
        self._on = frozenset(d for s in schedules.values() for d in s.workdays)
        deltas = {d.toordinal(): -1 for d in self._off if d.weekday() < 5}
        deltas.update({d.toordinal(): 1 for d in self._on if d.weekday() >= 5})
        self._exc = tuple(sorted(deltas))
        self._cum = (0, *accumulate(deltas[ordinal] for ordinal in self._exc))

    @property
    def version(self) -> str:
        """The data version(s), recorded in every report: ``cn-2026.1+mycal-2027``."""
        return self._version

    @property
    def years(self) -> frozenset[int]:
        """The years the calendar has official data for."""
        return self._years

    @property
    def sources(self) -> tuple[str, ...]:
        """Where the data came from: ``builtin`` and the extra files, in load order."""
        return self._sources

    def schedule(self, year: int) -> YearSchedule | None:
        """The official schedule of ``year``, with its notice; None without data."""
        return self._schedules.get(year)

    def tracking(self) -> Calendar:
        """The same calendar, recording the years its queries consult (:attr:`used_years`).

        The data is shared, not copied; give each evaluation its own tracking view.
        """
        view = object.__new__(Calendar)
        for name in Calendar.__slots__:
            object.__setattr__(view, name, getattr(self, name))
        view._used = set()
        return view

    @property
    def used_years(self) -> frozenset[int]:
        """The years queries of a :meth:`tracking` view consulted (empty otherwise)."""
        return frozenset(self._used or ())

    def __repr__(self) -> str:
        span = f"{min(self._years)}..{max(self._years)}" if self._years else "none"
        return f"Calendar(version={self._version!r}, years={span})"

    @classmethod
    def load(cls, paths: Sequence[str | Path] = (), *, builtin: bool = True) -> Calendar:
        """The shipped schedule plus analysts' files; a later file's year replaces an earlier.

        Every problem in every file is collected into one :class:`CalendarError`.
        """
        sources: list[tuple[str, dict[int, YearSchedule]]] = []
        problems: list[Diagnostic] = []
        if builtin:
            sources.append(builtin_schedules())
        for path in paths:
            try:
                sources.append(read_schedules(load_document(path)))
            except (InputError, CalendarError) as exc:
                problems.extend(exc.diagnostics)
        if problems:
            raise CalendarError(problems)
        schedules: dict[int, YearSchedule] = {}
        for _, years in sources:
            schedules.update(years)
        names = (["builtin"] if builtin else []) + [str(p) for p in paths]
        return cls(schedules, "+".join(v for v, _ in sources) or "mon-fri", names)

    @staticmethod
    def default() -> Calendar:
        """The shipped schedule plus the files named in ``GOVRULES_CALENDAR``; built once."""
        return _default_calendar()

    def covers(self, year: int) -> bool:
        return year in self._years

    def is_working_day(self, day: date, uncovered: set[int] | None = None) -> bool:
        """Mon–Fri and not a holiday, or a make-up day; plain Mon–Fri in a year without data."""
        if uncovered is not None:
            self._note(day.year, day.year, uncovered)
        if day in self._off:
            return False
        return day in self._on or day.weekday() < 5

    def add_working_days(self, day: date, n: int, uncovered: set[int] | None = None) -> date:
        """The ``n``-th working day after ``day`` (``day`` itself never counts).

        A negative ``n`` counts backwards the same way: the ``|n|``-th working day
        before ``day``. ``n == 0`` returns ``day``. Years without data that the count
        passes through are added to ``uncovered``.
        """
        if n == 0:
            return day
        ordinal = day.toordinal()
        # Smallest ordinal whose rank reaches `target`: that day is the working day sought.
        if n > 0:
            target = self._rank(ordinal) + n
            lo, step = ordinal, 2 * n + 16
            while self._rank(lo + step) < target:
                lo, step = lo + step, 2 * step
            hi = lo + step
        else:
            target = self._rank(ordinal - 1) + n + 1
            hi, step = ordinal - 1, -2 * n + 16
            while self._rank(hi - step) >= target:
                hi, step = hi - step, 2 * step
            lo = hi - step
        while hi - lo > 1:  # invariant: rank(lo) < target <= rank(hi)
            mid = (lo + hi) // 2
            if self._rank(mid) < target:
                lo = mid
            else:
                hi = mid
        result = date.fromordinal(hi)
        if uncovered is not None:
            first, last = (ordinal + 1, hi) if n > 0 else (hi, ordinal - 1)
            self._note(date.fromordinal(first).year, date.fromordinal(last).year, uncovered)
        return result

    def working_days_between(self, a: date, b: date, uncovered: set[int] | None = None) -> int:
        """Working days in ``(a, b]``; negative (minus those in ``(b, a]``) when ``b < a``."""
        lo, hi = sorted((a.toordinal(), b.toordinal()))
        if uncovered is not None and lo < hi:
            self._note(date.fromordinal(lo + 1).year, date.fromordinal(hi).year, uncovered)
        return self._rank(b.toordinal()) - self._rank(a.toordinal())

    def _rank(self, ordinal: int) -> int:
        return _weekdays_through(ordinal) + self._cum[bisect_right(self._exc, ordinal)]

    def _note(self, first: int, last: int, uncovered: set[int]) -> None:
        if self._used is not None:
            self._used.update(range(first, last + 1))
        uncovered.update(y for y in range(first, last + 1) if y not in self._years)

    def explain_working_days(self, day: date, n: int) -> WorkingDayCount:
        """How :meth:`add_working_days` counts ``n`` (at least 1) working days after ``day``.

        >>> count = Calendar.default().explain_working_days(date(2025, 9, 26), 5)
        >>> count.due, [str(d.day) for d in count.moved_by][:2]
        (datetime.date(2025, 10, 10), ['2025-09-28', '2025-10-01'])
        """
        if n < 1:
            raise ValueError("explain a count of at least one working day")
        due = self.add_working_days(day, n)
        counted: list[date] = []
        notes: list[DayNote] = []
        current = day
        while current < due:
            current += timedelta(days=1)
            schedule = self._schedules.get(current.year)
            working = self.is_working_day(current)
            if working:
                counted.append(current)
            if schedule is None:
                if current.weekday() >= 5:
                    notes.append(DayNote(current, "weekend", None, None))
                if not any(x.kind == "uncovered" and x.day.year == current.year for x in notes):
                    notes.append(DayNote(current, "uncovered", None, None))
            elif current in schedule.holidays:
                notes.append(DayNote(current, "holiday", schedule.names.get(current),
                                     schedule.notice_of(current)))
            elif current in schedule.workdays:
                notes.append(DayNote(current, "makeup_workday", None,
                                     schedule.notice_of(current)))
            elif not working:
                notes.append(DayNote(current, "weekend", None, None))
        return WorkingDayCount(day, n, due, tuple(counted), tuple(notes), self._version)


@functools.cache
def _default_calendar() -> Calendar:
    raw = os.environ.get(CALENDAR_ENV, "")
    return Calendar.load([p for p in raw.split(os.pathsep) if p.strip()])


