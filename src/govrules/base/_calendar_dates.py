"""Quarters and period arithmetic: days, months (the month-end rule) and years.

Part of :mod:`govrules.base.calendar`, which re-exports every public name here.
"""

from __future__ import annotations

import re
from calendar import isleap, monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from pydantic import (
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

__all__ = ["Quarter", "add_days", "add_months", "add_years", "days_between",
           "months_between", "quarters_between"]

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


