"""Building blocks of the snapshot model: the base class, scalar types and shared values.

Conventions every group follows:

- every fact is optional and defaults to ``None``: absence means *unknown*, never false;
- an act with a date is a pair ``<act>: bool`` and ``<act>_on: date``; giving the date
  implies the act was done, and ``<act>: false`` with a date is a contradiction
  (:class:`Facts` enforces this once, for every model);
- money is :data:`govrules.base.money.Money`, periods are exact decimals, never floats;
- enumerations are short English snake_case strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    Strict,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from govrules.base.calendar import Quarter
from govrules.base.loader import check_year
from govrules.lang import Span

__all__ = [
    "Approval",
    "Authority",
    "Date",
    "Day",
    "Facts",
    "Flag",
    "Party",
    "Quantity",
    "QuarterValue",
    "Text",
    "Unit",
    "Year",
    "fact",
    "show_value",
]

Unit = Literal["CNY", "months", "years", "days", "working days"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
MONTHS_READ = [0]
"""How many month-precision dates were read (the snapshot then names each by its path)."""
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)", re.ASCII)


class _Contradiction:
    """Stands in for ``<act>: false`` when ``<act>_on`` gives a date (see :class:`Facts`)."""

    __slots__ = ("day", "flag")

    def __init__(self, flag: str, day: str) -> None:
        self.flag = flag
        self.day = day


def _flag(value: object) -> object:
    if isinstance(value, _Contradiction):
        raise PydanticCustomError(
            "flag_contradicts_date",
            "'{flag}' is false but '{day}' gives a date: remove one of them",
            {"flag": value.flag, "day": value.day},
        )
    return value


def _day_or_month(value: object) -> object:
    """A day, or a month (``2023-05``) when the record gives no more: a :class:`Span`."""
    if isinstance(value, str) and (found := _ISO_MONTH.fullmatch(value.strip())):
        year, month = int(found[1]), int(found[2])
        if not 1 <= month <= 12:
            raise PydanticCustomError("date_format", "no such month: {got}",
                                      {"got": value.strip()})
        span = Span.month(year, month)
        for day in (span.lo, span.hi):
            try:
                check_year(day)
            except ValueError as exc:
                raise PydanticCustomError("date_range", "{reason}",
                                          {"reason": str(exc)}) from None
        MONTHS_READ[0] += 1
        return span
    if isinstance(value, Span):
        return value
    return _date(value)


def _date_text(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _date(value: object) -> object:
    if isinstance(value, datetime):
        raise PydanticCustomError(
            "date_format", "expected a date (YYYY-MM-DD) without a time, got {got}",
            {"got": value.isoformat(sep=" ")},
        )
    if isinstance(value, str) and _ISO_DATE.fullmatch(text := value.strip()):
        try:
            value = date.fromisoformat(text)
        except ValueError:
            raise PydanticCustomError(
                "date_format", "no such day: {got}", {"got": text}
            ) from None
    if isinstance(value, date):
        try:
            check_year(value)  # deadlines computed from it must stay in the calendar
        except ValueError as exc:
            raise PydanticCustomError("date_range", "{reason}", {"reason": str(exc)}) from None
        return value
    raise PydanticCustomError(
        "date_format", "expected a date (YYYY-MM-DD), got {got}", {"got": show_value(value)}
    )


def _quantity(value: object) -> object:
    if isinstance(value, bool):
        raise PydanticCustomError("number_parsing", "expected a number, got true/false")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        try:
            return Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            pass
    raise PydanticCustomError(
        "number_parsing", "expected a number, got {got}", {"got": show_value(value)}
    )


def _quarter(value: object) -> object:
    if isinstance(value, Quarter):
        return value
    if isinstance(value, str):
        try:
            return Quarter.parse(value)
        except ValueError:
            pass
    raise PydanticCustomError(
        "quarter_parsing", "expected a quarter such as 2025Q3, got {got}",
        {"got": show_value(value)},
    )


def show_value(value: object) -> str:
    """A short rendering of a bad input value for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


Flag = Annotated[bool, Strict(), BeforeValidator(_flag)]
"""``true`` (done / the case) or ``false`` (explicitly not); no ``"yes"`` or ``1``."""

Date = Annotated[
    date,
    PlainValidator(_day_or_month),
    PlainSerializer(_date_text, when_used="json"),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"},
                              {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$"}]}),
]
"""A calendar day written ``YYYY-MM-DD``, or ``YYYY-MM`` when the record gives only the
month: then a :class:`~govrules.lang.Span` of its days, which conditions compare as
true, false or unknown. Numbers and date-times are refused."""

Day = Annotated[date, BeforeValidator(_date)]
"""An exact calendar day written ``YYYY-MM-DD`` (the evaluation date ``as_of``)."""

Text = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1)]
"""Non-empty free text (names, document numbers)."""

Quantity = Annotated[
    Decimal,
    BeforeValidator(_quantity),
    Field(ge=0),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0},
                              {"type": "string", "pattern": r"^\s*\+?(\d+(\.\d*)?|\.\d+)\s*$"}]}),
]
"""A non-negative exact number (months, years); floats pass through their text form."""

Year = Annotated[int, Strict(), Field(ge=1990, le=2100)]
"""A calendar year such as 2025."""

QuarterValue = Annotated[Quarter, BeforeValidator(_quarter)]
"""A calendar quarter written ``2025Q3`` (or ``2025年第三季度``)."""

Authority = Literal[
    "big_data_bureau",
    "finance_bureau",
    "approval_bureau",
    "development_reform",
    "big_data_center",
    "city_government",
    "leading_group",
    "audit_bureau",
    "supervising_department",
    "expert_panel",
    "other",
]
"""Who receives filings and grants approvals.

big_data_bureau 市大数据局 / 市大数据应用局 / 市大数据发展管理局; finance_bureau 市财政局;
approval_bureau 市行政审批服务管理局; development_reform 市发改委; big_data_center
乌海市大数据中心; city_government 市人民政府; leading_group 市新型智慧城市建设领导小组;
audit_bureau 市审计局; supervising_department 主管部门; expert_panel 专家组.
"""

Party = Literal[Authority, "owner", "provider", "supervisor", "third_party"]
"""An authority, or one side of the project: owner 业主单位/项目实施单位, provider
服务提供方/中标单位/承建单位, supervisor 监理单位, third_party 第三方机构."""


def fact(description: str, *examples: object, unit: Unit | None = None) -> Any:
    """A documented optional field: default ``None`` (unknown), examples, unit."""
    return Field(
        default=None,
        description=description,
        examples=list(examples) if examples else None,
        json_schema_extra={"unit": unit} if unit else None,
    )


class Facts(BaseModel):
    """Base of every snapshot model: frozen, closed, with the act/date twin rule."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    twins: ClassVar[tuple[tuple[str, str], ...]] = ()
    """``(act, act_on)`` field pairs, found by name when the class is built."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        fields = cls.model_fields
        cls.twins = tuple(
            (name[:-3], name) for name in fields if name.endswith("_on") and name[:-3] in fields
        )
        for flag, day in cls.twins:
            if fields[flag].annotation != Flag | None or fields[day].annotation not in (
                    Date | None, Day | None):
                raise TypeError(f"{cls.__name__}.{flag} / {day}: an act and its date must be "
                                "typed `Flag | None` and `Date | None`")

    @model_validator(mode="before")
    @classmethod
    def _date_implies_act(cls, data: Any) -> Any:
        """``<act>_on`` given: ``<act>`` becomes true; ``false`` is reported on ``<act>``."""
        if not isinstance(data, dict) or not cls.twins:
            return data
        out: dict[str, Any] | None = None
        for flag, day in cls.twins:
            if data.get(day) is None:
                continue
            done = data.get(flag)
            if done is None or done is False:
                out = dict(data) if out is None else out
                out[flag] = True if done is None else _Contradiction(flag, day)
        return data if out is None else out


class Approval(Facts):
    """An approval, review or opinion by an authority (审批 / 审核 / 批复 / 论证意见)."""

    granted: Flag | None = fact(
        "通过 / 批准 — the review passed or the approval was granted; false: refused "
        "or not passed", True)
    granted_on: Date | None = fact("批复日期 — date it was granted", "2025-03-14")
    by: list[Authority] | None = fact(
        "审批/审核单位 — the authorities that gave it", ["big_data_bureau", "finance_bureau"])
    written: Flag | None = fact("书面 — given in writing (书面意见 / 批复文件)", True)
    reference: Text | None = fact("文号 — document number of the approval", "筑数字〔2025〕12号")
