"""The calendar file: the official notices, a year's schedule, and the strict reading
of a calendar YAML file (``govrules/data/calendar-cn.yaml`` and the user's own).

Part of :mod:`govrules.base.calendar`, which re-exports :class:`Notice` and
:class:`YearSchedule`.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    Tag,
    ValidationError,
)

from govrules.base.errors import CalendarError, Diagnostic
from govrules.base.loader import Document, format_path, parse_document

__all__ = ["Notice", "YearSchedule", "builtin_schedules", "read_schedules"]


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



@functools.cache
def builtin_schedules() -> tuple[str, dict[int, YearSchedule]]:
    resource = resources.files("govrules.data") / "calendar-cn.yaml"
    return read_schedules(parse_document(resource.read_text(encoding="utf-8"), str(resource)))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


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


def read_schedules(doc: Document) -> tuple[str, dict[int, YearSchedule]]:
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

    own = {year: body.notice.value() for year, body in parsed.years.items() if body.notice}

    def notice(ref: int | _Notice | None, loc: tuple[str | int, ...]) -> Notice | None:
        if ref is None or isinstance(ref, _Notice):
            return ref.value() if ref is not None else None
        if ref not in own:
            fail("calendar-unknown-notice", loc, f"year {ref} has no `notice:` to refer to")
        return own.get(ref)

    years = {year: _schedule(year, body, own.get(year), notice, fail)
             for year, body in parsed.years.items()}
    if problems:
        raise CalendarError(problems)
    return parsed.version.strip(), years


_Cite = Callable[[int | _Notice | None, tuple[str | int, ...]], Notice | None]
_Fail = Callable[[str, tuple[str | int, ...], str], None]


def _schedule(year: int, body: _Year, own: Notice | None, notice: _Cite,
              fail: _Fail) -> YearSchedule:
    """One year's entry as a schedule; its problems go to ``fail``."""
    off, names, day_notices = _holidays(year, body, notice, fail)
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
    return YearSchedule(frozenset(off), frozenset(workdays), own, names, day_notices)


def _holidays(year: int, body: _Year, notice: _Cite, fail: _Fail
              ) -> tuple[set[date], dict[date, str], dict[date, Notice]]:
    """A year's days off, each day's holiday name, and the notices the entries cite."""
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
    return off, names, day_notices
