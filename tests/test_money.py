"""Money: amounts read from numbers and project-document text, kept exact."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from govrules.base.money import Money, format_money, parse_money

PARSED = [
    ("120万元", "1200000"),
    ("1.2亿元", "120000000"),
    ("0.5亿", "50000000"),
    ("1,234.50元", "1234.5"),
    ("¥1,000", "1000"),
    ("￥1,000", "1000"),
    ("¥ 2,500,000.00", "2500000"),
    ("300万", "3000000"),
    ("1,234.5万元", "12345000"),
    ("2千元", "2000"),
    ("3百万元", "3000000"),
    ("１２０万元", "1200000"),
    ("1000 CNY", "1000"),
    ("RMB 12.5", "12.5"),
    ("500万元人民币", "5000000"),
    ("  7 ", "7"),
    ("0.01元", "0.01"),
    (".5元", "0.5"),
    ("-30万元", "-300000"),
    ("−5元", "-5"),
    ("¥-1,000", "-1000"),
    ("-¥1,000", "-1000"),
    ("+80万", "800000"),
    (12, "12"),
    (-3, "-3"),
    (0.1, "0.1"),
    (80.5, "80.5"),
    (1e20, "100000000000000000000"),
    (Decimal("1.10"), "1.1"),
    (Decimal("5000000.00"), "5000000"),
]


@pytest.mark.parametrize(("given_value", "want"), PARSED, ids=[repr(p[0]) for p in PARSED])
def test_parse_money(given_value: object, want: str) -> None:
    got = parse_money(given_value)
    assert isinstance(got, Decimal)
    assert got == Decimal(want)
    assert str(got) == want


GARBAGE = [
    "",
    "abc",
    "万元",
    "五百万元",
    "1.2.3",
    "--1",
    "-¥-1",
    "12,34",
    "1,2345",
    "1e6",
    "100美元",
    "1万亿",
    True,
    None,
    [1],
    {"amount": 1},
    float("nan"),
    float("inf"),
    Decimal("NaN"),
    Decimal("-Infinity"),
]


@pytest.mark.parametrize("value", GARBAGE, ids=[repr(v) for v in GARBAGE])
def test_garbage_is_a_clear_value_error(value: object) -> None:
    with pytest.raises(ValueError, match="money"):
        parse_money(value)


def test_floats_are_read_through_their_text() -> None:
    assert parse_money(0.1) + parse_money(0.2) == Decimal("0.3")


FORMATTED = [
    ("800000", "80万元"),
    ("5000000", "500万元"),
    ("12345600", "1234.56万元"),
    ("120000000", "1.2亿元"),
    ("-800000", "-80万元"),
    ("1234.5", "1,234.50元"),
    ("5", "5.00元"),
    ("10001", "10,001.00元"),
]


@pytest.mark.parametrize(("amount", "want"), FORMATTED, ids=[p[1] for p in FORMATTED])
def test_format_money(amount: str, want: str) -> None:
    assert format_money(Decimal(amount)) == want


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2,
                   allow_nan=False, allow_infinity=False))
def test_format_then_parse_round_trips(amount: Decimal) -> None:
    assert parse_money(format_money(amount)) == amount
    assert parse_money(str(amount)) == amount


def test_money_type_in_a_model() -> None:
    adapter: TypeAdapter[Decimal] = TypeAdapter(Money)
    assert adapter.validate_python("80万元") == Decimal(800000)
    with pytest.raises(ValidationError) as info:
        adapter.validate_python("lots")
    error = info.value.errors()[0]
    assert error["type"] == "money_parsing"
    assert "lots" in error["msg"]
    schema = adapter.json_schema()
    assert {"type": "number", "minimum": 0} in schema["anyOf"]
