"""The PRC working-day calendar, quarters and period arithmetic.

Deadlines in the regulations count working days on the official State Council schedule
(weekends, public holidays and make-up working days 调休), or months with the
month-end rule. Both live here so every rule counts periods the same way.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from bisect import bisect_right
from calendar import isleap, monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from itertools import accumulate
from pathlib import Path
from typing import Annotated, Any, Literal

from dateutil.relativedelta import relativedelta
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    Strict,
    Tag,
    ValidationError,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from govrules.base.errors import CalendarError, Diagnostic, InputError
from govrules.base.loader import Document, format_path, load_document, parse_document

__all__ = [
    "CALENDAR_ENV", "Calendar", "DayNote", "Notice", "Quarter", "WorkingDayCount",
    "YearSchedule", "add_days", "add_months", "add_years", "days_between", "months_between",
    "quarters_between",
]

CALENDAR_ENV = "GOVRULES_CALENDAR"
"""Environment variable: extra calendar files (``os.pathsep``-separated) for the default."""

_QUARTER_RE = re.compile(r"\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*", re.ASCII)
_QUARTER_ZH_RE = re.compile(r"\s*(\d{4})\s*年\s*第?\s*([1-4一二三四])\s*季度\s*", re.ASCII)
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
_QUARTER_PATTERN = r"^\d{4}Q[1-4]$"


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    """A calendar quarter, e.g. ``2025Q3`` (July to September 2025).

    >>> Quarter.parse("2025年第三季度"), Quarter.parse("2025-q3").end
    (Quarter(year=2025, q=3), datetime.date(2025, 9, 30))
    """

    year: int
    q: int

    def __post_init__(self) -> None:
        if not (1 <= self.q <= 4 and 1 <= self.year <= 9999):
            raise ValueError(f"no such quarter: year {self.year}, quarter {self.q}")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read ``2025Q3``, ``2025-Q3``, ``2025 q3``, ``2025年第三季度`` or ``2025年第3季度``."""
        match = _QUARTER_RE.fullmatch(text) or _QUARTER_ZH_RE.fullmatch(text)
        if match is None:
            raise ValueError(f"not a quarter: {text!r} (expected e.g. '2025Q3')")
        digit = match.group(2)
        return cls(int(match.group(1)), _ZH_DIGITS.get(digit) or int(digit))

    @classmethod
    def of(cls, day: date) -> Quarter:
        """The quarter ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        """First day of the quarter."""
        return date(self.year, 3 * self.q - 2, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter."""
        return date(self.year, 3 * self.q, 31 if self.q in (1, 4) else 30)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.q == 4 else Quarter(self.year, self.q + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    def __str__(self) -> str:
        return f"{self.year:04d}Q{self.q}"

    @classmethod
    def _validate(cls, value: object) -> Quarter:
        if isinstance(value, Quarter):
            return value
        if isinstance(value, str):
            return cls.parse(value)
        raise ValueError(f"a quarter must be a string like '2025Q3', not {type(value).__name__}")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                str, when_used="always"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "pattern": _QUARTER_PATTERN, "examples": ["2025Q3"]}


def quarters_between(start: date, end: date) -> list[Quarter]:
    """Every quarter overlapping ``[start, end]``, in order (empty when ``end < start``)."""
    out: list[Quarter] = []
    current, last = Quarter.of(start), Quarter.of(end)
    while start <= end and current <= last:
        out.append(current)
        if current == last:  # stop before asking for the quarter after 9999Q4
            break
        current = current.next()
    return out


def add_days(day: date, n: int) -> date:
    """``day`` plus ``n`` calendar days."""
    return day + timedelta(days=n)


def add_months(day: date, n: int) -> date:
    """The corresponding day ``n`` months later, or that month's last day when there is none.

    >>> add_months(date(2025, 1, 31), 1), add_months(date(2024, 1, 31), 1)
    (datetime.date(2025, 2, 28), datetime.date(2024, 2, 29))
    """
    years, month = divmod(day.month - 1 + n, 12)
    year = day.year + years
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is out of range")
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def add_years(day: date, n: int) -> date:
    """The corresponding day ``n`` years later (29 February becomes 28 February)."""
    year = day.year + n
    if day.month == 2 and day.day == 29 and not isleap(year):
        return date(year, 2, 28)
    return date(year, day.month, day.day)


def days_between(a: date, b: date) -> int:
    """``b - a`` in days: negative when ``b`` is before ``a``."""
    return (b - a).days


def months_between(a: date, b: date) -> int:
    """Whole months from ``a`` to ``b`` (signed), consistent with :func:`add_months`."""
    delta = relativedelta(b, a)
    return delta.years * 12 + delta.months


@dataclass(frozen=True, slots=True)
class Notice:
    """The official notice a year's schedule (or one day of it) comes from.

    ``doc_number`` and ``issued`` are set only where they were checked against the
    published notice; otherwise they are None and ``note`` says so.
    """

    title: str
    doc_number: str | None = None
    issued: date | None = None
    url: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"title": self.title, "doc_number": self.doc_number,
                "issued": self.issued.isoformat() if self.issued else None,
                "url": self.url, "note": self.note}

    def cite(self) -> str:
        """``title (doc number, date)`` as far as known."""
        extra = ", ".join(x for x in (self.doc_number, self.issued and str(self.issued)) if x)
        return f"{self.title}" + (f"（{extra}）" if extra else "")


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """One year of the official schedule: days off and make-up working days (调休上班).

    ``notice`` is the notice the year's arrangement comes from; ``day_notices`` names
    another notice for the days it fixed (the next year's notice for a late-December
    holiday, a notice changing the arrangement); ``names`` is each day off's holiday.
    """

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    notice: Notice | None = None
    names: Mapping[date, str] = field(default_factory=dict)
    day_notices: Mapping[date, Notice] = field(default_factory=dict)

    def digest(self) -> str:
        """A hash of the days off and make-up days (what changes a count)."""
        body = "off:" + ",".join(sorted(map(str, self.holidays))) + ";on:" + ",".join(
            sorted(map(str, self.workdays)))
        return hashlib.sha256(body.encode("ascii")).hexdigest()

    def notice_of(self, day: date) -> Notice | None:
        return self.day_notices.get(day, self.notice)


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
            sources.append(_builtin())
        for path in paths:
            try:
                sources.append(_read(load_document(path)))
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


@functools.cache
def _builtin() -> tuple[str, dict[int, YearSchedule]]:
    resource = resources.files("govrules.data") / "calendar-cn.yaml"
    return _read(parse_document(resource.read_text(encoding="utf-8"), str(resource)))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Notice(_Strict):
    title: str = Field(min_length=1)
    doc_number: str | None = None
    issued: date | None = None
    url: str | None = None
    note: str | None = None

    def value(self) -> Notice:
        return Notice(self.title, self.doc_number, self.issued, self.url, self.note)


_NoticeRef = Annotated[int, Strict(False), Field(ge=1, le=9999)] | _Notice
"""A day's notice: another year's (``notice: 2008``) or one written out."""


class _Range(_Strict):
    name: str = Field(min_length=1)
    first: date = Field(alias="from")
    last: date | None = Field(None, alias="to")
    notice: _NoticeRef | None = None


class _Workday(_Strict):
    day: date
    notice: _NoticeRef | None = None


def _workday_kind(value: object) -> str:
    return "<entry>" if isinstance(value, dict | _Workday) else "<date>"


_WorkdayEntry = Annotated[
    Annotated[date, Tag("<date>")] | Annotated[_Workday, Tag("<entry>")],
    Discriminator(_workday_kind)]
"""A make-up working day: a bare date, or ``{day, notice}`` citing another notice."""


class _Year(_Strict):
    notice: _Notice | None = None
    holidays: list[_Range] = []
    workdays: list[_WorkdayEntry] = []


class _File(_Strict):
    version: str = Field(min_length=1, pattern=r"\S")
    source: str | None = None
    years: dict[
        Annotated[int, Strict(False), Field(ge=1, le=9999)],  # YAML keys arrive as text
        Annotated[_Year, BeforeValidator(lambda body: {} if body is None else body)],
    ]


def _place(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """An error's place in the file: without the ``<date>``/``<entry>`` union tags."""
    return tuple(part for part in loc if not (isinstance(part, str) and part.startswith("<")))


def _read(doc: Document) -> tuple[str, dict[int, YearSchedule]]:
    """A calendar document's version and years, or :class:`CalendarError` with places."""
    try:
        parsed = _File.model_validate(doc.data)
    except ValidationError as exc:
        raise CalendarError(
            Diagnostic("calendar-invalid", e["msg"], doc.span_of(_place(e["loc"])),
                       path=format_path(_place(e["loc"])),
                       hint="write dates as YYYY-MM-DD, unquoted" if e["type"] == "date_type"
                       else None)
            for e in exc.errors()
        ) from None
    problems: list[Diagnostic] = []

    def fail(code: str, loc: tuple[str | int, ...], message: str) -> None:
        problems.append(Diagnostic(code, message, doc.span_of(("years", *loc)),
                                   path=format_path(("years", *loc))))

    years: dict[int, YearSchedule] = {}
    own = {year: body.notice.value() for year, body in parsed.years.items() if body.notice}

    def notice(ref: int | _Notice | None, loc: tuple[str | int, ...]) -> Notice | None:
        if ref is None or isinstance(ref, _Notice):
            return ref.value() if ref is not None else None
        if ref not in own:
            fail("calendar-unknown-notice", loc, f"year {ref} has no `notice:` to refer to")
        return own.get(ref)

    for year, body in parsed.years.items():
        off: set[date] = set()
        names: dict[date, str] = {}
        day_notices: dict[date, Notice] = {}
        for i, block in enumerate(body.holidays):
            first, last = block.first, block.last or block.first
            cited = notice(block.notice, (str(year), "holidays", i, "notice"))
            for key, day in (("from", first), ("to", last)):
                if day.year != year:
                    fail("calendar-date-outside-year", (str(year), "holidays", i, key),
                         f"{day} is not in {year}")
            if first > last:
                fail("calendar-range-reversed", (str(year), "holidays", i, "to"),
                     f"the range ends ({last}) before it starts ({first})")
            elif first.year == last.year == year:
                days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
                off.update(days)
                names.update(dict.fromkeys(days, block.name))
                if cited is not None:
                    day_notices.update(dict.fromkeys(days, cited))
        workdays: set[date] = set()
        for i, entry in enumerate(body.workdays):
            day = entry if isinstance(entry, date) else entry.day
            if isinstance(entry, _Workday):
                cited = notice(entry.notice, (str(year), "workdays", i, "notice"))
                if cited is not None:
                    day_notices[day] = cited
            workdays.add(day)
            if day.year != year:
                fail("calendar-date-outside-year", (str(year), "workdays", i),
                     f"{day} is not in {year}")
            elif day in off:
                fail("calendar-conflict", (str(year), "workdays", i),
                     f"{day} is listed both as a holiday and as a make-up working day")
        years[year] = YearSchedule(frozenset(off), frozenset(workdays), own.get(year), names,
                                   day_notices)
    if problems:
        raise CalendarError(problems)
    return parsed.version.strip(), years
