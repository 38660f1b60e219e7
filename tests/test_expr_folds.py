"""The min and max folds over dates given to the month: every day of the month taken,
the result the span of what the least (or greatest) can be, naming the months it rests
on. Built and evaluated inside each test, so they run under mutation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from govrules.base.calendar import Calendar
from govrules.lang import Env, EvalContext, Span, Unknown, compile_expression, type_from_model
from govrules.model.snapshot import Snapshot, parse_snapshot

D = date
FIRST, SECOND = "security.emergency_drills[0]", "security.emergency_drills[1]"


def _fold(kind: str, drills: list[str]) -> Any:
    env = Env(type_from_model(Snapshot))
    snapshot = parse_snapshot({"security": {"emergency_drills": drills}})
    ctx = EvalContext(snapshot, D(2025, 1, 1), Calendar.default())
    return compile_expression(f"{kind}(d in security.emergency_drills: d)", env,
                              expect=None).fn(ctx)


def _span(value: Any) -> tuple[Any, Any, frozenset[str]]:
    assert isinstance(value, Span), value
    return value.lo, value.hi, value.missing


@pytest.mark.parametrize("drills", [["2024-02", "2024-03-05"], ["2024-03-05", "2024-02"]])
def test_a_month_and_a_later_day(drills: list[str]) -> None:
    index = drills.index("2024-02")
    month = f"security.emergency_drills[{index}]"
    assert _span(_fold("min", drills)) == (D(2024, 2, 1), D(2024, 2, 29), frozenset({month}))
    assert _fold("max", drills) == D(2024, 3, 5)  # a span whose ends meet is the day


def test_two_months_rest_on_both() -> None:
    both = frozenset({FIRST, SECOND})
    assert _span(_fold("min", ["2024-02", "2024-03"])) == (D(2024, 2, 1), D(2024, 2, 29), both)
    assert _span(_fold("max", ["2024-02", "2024-03"])) == (D(2024, 3, 1), D(2024, 3, 31), both)
    assert _span(_fold("max", ["2024-03", "2024-02"])) == (D(2024, 3, 1), D(2024, 3, 31), both)
    assert _span(_fold("min", ["2024-03", "2024-02"])) == (D(2024, 2, 1), D(2024, 2, 29), both)


@pytest.mark.parametrize(("drills", "month"), [(["2024-02", "2024-02-10"], FIRST),
                                               (["2024-02-10", "2024-02"], SECOND)])
def test_a_day_inside_the_month_bounds_both_folds(drills: list[str], month: str) -> None:
    assert _span(_fold("min", drills)) == (D(2024, 2, 1), D(2024, 2, 10), frozenset({month}))
    assert _span(_fold("max", drills)) == (D(2024, 2, 10), D(2024, 2, 29), frozenset({month}))


def test_days_alone_fold_to_a_day() -> None:
    assert _fold("min", ["2024-03-05", "2024-01-02", "2024-01-02"]) == D(2024, 1, 2)
    assert _fold("max", ["2024-01-02", "2024-03-05", "2024-03-05"]) == D(2024, 3, 5)
    assert _fold("min", ["2024-01-02", "2024-03-05"]) == D(2024, 1, 2)
    assert _fold("max", ["2024-03-05", "2024-01-02"]) == D(2024, 3, 5)


def test_one_month_is_its_own_fold() -> None:
    for kind in ("min", "max"):
        assert _span(_fold(kind, ["2024-02"])) == (D(2024, 2, 1), D(2024, 2, 29),
                                                  frozenset({FIRST}))


def test_an_empty_list_has_no_least_or_greatest() -> None:
    for kind in ("min", "max"):
        value = _fold(kind, [])
        assert isinstance(value, Unknown)
        assert value.missing == frozenset()


def test_whole_numbers_divide_exactly() -> None:
    from decimal import Decimal

    env = Env(type_from_model(Snapshot))
    snapshot = parse_snapshot({"project": {"implementation_months": 10},
                               "service": {"term_months": 4}})
    ctx = EvalContext(snapshot, D(2025, 1, 1), Calendar.default())

    def run(text: str) -> Any:
        return compile_expression(text, env, expect=None).fn(ctx)

    assert run("project.implementation_months / service.term_months") == Decimal("2.5")
    assert run("project.implementation_months / service.term_months / service.term_months"
               ) == Decimal("0.625")
    assert run("project.implementation_months * service.term_months") == 40
