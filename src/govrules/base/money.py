"""Amounts of money in CNY, kept as exact decimals.

Project documents write amounts as ``120万元``, ``1.2亿元``, ``1,234.50元`` or ``¥1,000``;
snapshots may copy them verbatim. :func:`parse_money` reads all of these (and plain
numbers) into a :class:`~decimal.Decimal` of yuan; floats are converted through their
shortest text form, so ``0.1`` stays ``0.1`` and no binary rounding is ever kept.
:data:`Money` is the annotated type snapshot fields use.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext
from typing import Annotated

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

__all__ = ["MAX_AMOUNT", "MONEY_PATTERN", "Money", "MoneyRangeError", "SignedMoney",
           "format_money", "parse_money"]

_UNITS: dict[str, int] = {
    "": 1,
    "元": 1,
    "千元": 1_000,
    "万": 10_000,
    "万元": 10_000,
    "百万元": 1_000_000,
    "亿": 100_000_000,
    "亿元": 100_000_000,
}

_TEXT_RE = re.compile(
    r"""
    (?P<sign>[-+]?)\s*
    (?:¥|CNY|RMB)?\s*
    (?P<sign2>[-+]?)\s*
    (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*
    (?P<unit>元|千元|万元?|百万元|亿元?)?\s*
    (?:CNY|RMB|人民币)?
    """,
    re.VERBOSE | re.ASCII,
)

MONEY_PATTERN = (
    r"^\s*[-+]?\s*(¥|￥|CNY|RMB)?\s*[-+]?\s*[0-9０-９.,，]+\s*(元|千元|万元?|百万元|亿元?)?"
    r"\s*(CNY|RMB|人民币)?\s*$"
)
"""A loose JSON Schema pattern for money text; :func:`parse_money` is the exact check."""


class MoneyRangeError(ValueError):
    """An amount that reads, but is outside what a snapshot accepts."""


MAX_AMOUNT = Decimal(10) ** 20
"""The largest amount read (10^20 yuan): far above any budget, and
small enough that every amount is exact in 28-digit decimal arithmetic."""


def _tidy(value: Decimal) -> Decimal:
    """Whole amounts without a trailing ``.0``; others without trailing zeros.

    Raises :class:`ValueError` for an amount over :data:`MAX_AMOUNT` in size.
    """
    if abs(value) > MAX_AMOUNT:
        raise MoneyRangeError(f"amount too large: more than {MAX_AMOUNT:,f} yuan "
                              "/ 金额过大:超过 10^20 元")
    with localcontext() as context:
        context.prec = 60  # exact for any amount up to MAX_AMOUNT, to the fen and beyond
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()


def parse_money(value: object) -> Decimal:
    """Read an amount of CNY from a number or from text as project documents write it.

    >>> [str(parse_money(v)) for v in ("120万元", "1.2亿元", "1,234.50元", "¥1,000", 2.5)]
    ['1200000', '120000000', '1234.5', '1000', '2.5']
    >>> parse_money("-30万")
    Decimal('-300000')

    Raises :class:`ValueError` with a readable reason for anything else.
    """
    if isinstance(value, bool):
        raise ValueError("expected an amount of money, got true/false")
    if isinstance(value, int):
        if abs(value) > MAX_AMOUNT:  # compared before converting: ints have no limit
            raise MoneyRangeError(f"amount too large: more than {MAX_AMOUNT:,f} yuan "
                                  "/ 金额过大:超过 10^20 元")
        return Decimal(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"expected a finite amount of money, got {value}")
        return _tidy(value)
    if not isinstance(value, str):
        raise ValueError(f"expected an amount of money, got {type(value).__name__}")
    # NFKC folds full-width digits, commas and the full-width yen sign; U+2212 is a minus.
    text = unicodedata.normalize("NFKC", value).replace("\u2212", "-").strip()
    match = _TEXT_RE.fullmatch(text)
    if match is None or (match.group("sign") and match.group("sign2")):
        raise ValueError(
            f"not an amount of money: {value!r} "
            "(write e.g. 1200000, '120万元', '1.2亿元', '1,234.50元' or '¥1,000')"
        )
    try:
        number = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise ValueError(f"not an amount of money: {value!r}") from None
    with localcontext() as context:
        context.prec = 60
        amount = number * _UNITS[match.group("unit") or ""]
    if "-" in (match.group("sign"), match.group("sign2")):
        amount = -amount
    return _tidy(amount)


def format_money(amount: Decimal) -> str:
    """Render an amount the way Chinese project documents do.

    >>> format_money(Decimal(800000)), format_money(Decimal("1234.5"))
    ('80万元', '1,234.50元')
    >>> format_money(Decimal(120000000)), format_money(Decimal(-12345600))
    ('1.2亿元', '-1234.56万元')
    """
    size = abs(amount)
    with localcontext() as context:
        context.prec = 60  # no rounding, and no error, for any amount parse_money gives
        if size >= 100_000_000 and amount % 1_000_000 == 0:
            return f"{_tidy(amount / 100_000_000)}亿元"
        if size >= 10_000 and amount % 100 == 0:
            return f"{_tidy(amount / 10_000)}万元"
        return f"{amount:,.2f}元"


def _validate(value: object) -> Decimal:
    amount = _signed(value)
    if amount < 0:
        raise PydanticCustomError(
            "money_range", "{reason}",
            {"reason": f"expected an amount of at least 0, got {format_money(amount)} "
                       "/ 金额不能为负数 (only an adjustment may be negative)"})
    return amount


def _signed(value: object) -> Decimal:
    try:
        return parse_money(value)
    except MoneyRangeError as exc:  # a value of the right kind, not allowed: snapshot-value
        raise PydanticCustomError("money_range", "{reason}", {"reason": str(exc)}) from None
    except ValueError as exc:
        raise PydanticCustomError("money_parsing", "{reason}", {"reason": str(exc)}) from None


def _schema(minimum: bool) -> WithJsonSchema:
    number: dict[str, object] = {"type": "number"}
    if minimum:
        number["minimum"] = 0
    return WithJsonSchema({
        "anyOf": [number, {"type": "string", "pattern": MONEY_PATTERN}],
        "examples": [5000000, "500万元", "1.2亿元", "1,234.50元", "¥1,000"],
    })


Money = Annotated[Decimal, BeforeValidator(_validate), _schema(minimum=True)]
"""CNY as an exact :class:`~decimal.Decimal`, zero or more (a budget, a contract value);
accepts numbers and document text."""

SignedMoney = Annotated[Decimal, BeforeValidator(_signed), _schema(minimum=False)]
"""An amount that may be negative: a change (a decrease is negative)."""
