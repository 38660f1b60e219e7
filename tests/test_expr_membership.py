"""Membership (``in``, ``not in``) and list literals, pinned exactly: a month looked for
in a list of days (constant or read from the record), the type errors with their
messages, hints and places, the bad choice, the longest list, an unclosed list."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from govrules.base.calendar import Calendar
from govrules.base.errors import ExpressionError
from govrules.lang import Env, EvalContext, Unknown, compile_expression, type_from_model
from govrules.model.snapshot import Snapshot, parse_snapshot

CONSTANT = "[date('2024-02-10'), date('2024-03-01')]"
READ = "[date('2024-02-10'), acceptance.completion_on]"


def _env() -> Env:
    return Env(type_from_model(Snapshot))


def _value(text: str, signed: str | None) -> Any:
    data: dict[str, Any] = {"acceptance": {"completion_on": "2024-03-01"}}
    if signed is not None:
        data["contract"] = {"signed_on": signed}
    ctx = EvalContext(parse_snapshot(data), date(2025, 1, 1), Calendar.default())
    return compile_expression(text, _env()).fn(ctx)


@pytest.mark.parametrize("values", [CONSTANT, READ], ids=["constant", "read"])
@pytest.mark.parametrize(("signed", "inside"), [
    ("2024-02-10", True), ("2024-03-01", True), ("2024-03-02", False), ("2024-04", False)])
def test_a_day_or_a_month_is_in_a_list_of_days_or_not(values: str, signed: str,
                                                      inside: bool) -> None:
    assert _value(f"contract.signed_on in {values}", signed) is inside
    assert _value(f"contract.signed_on not in {values}", signed) is (not inside)


@pytest.mark.parametrize("values", [CONSTANT, READ], ids=["constant", "read"])
@pytest.mark.parametrize("signed", ["2024-02", None], ids=["month", "unknown"])
def test_a_month_holding_a_listed_day_is_unknown(values: str, signed: str | None) -> None:
    for op in ("in", "not in"):
        value = _value(f"contract.signed_on {op} {values}", signed)
        assert isinstance(value, Unknown)
        assert value.missing == frozenset({"contract.signed_on"})


def _problem(text: str) -> tuple[str, str, str | None, int | None]:
    with pytest.raises(ExpressionError) as info:
        compile_expression(text, _env())
    (problem,) = info.value.diagnostics
    return (problem.code, problem.message, problem.hint,
            problem.span.col if problem.span else None)


@pytest.mark.parametrize(("text", "expected"), [
    ("project.phase in 5", ("expr-type", "'in' needs a list on its right, not a number",
                            "write e.g. x in ['a', 'b']", 15)),
    ("project.phase not in 'x'", ("expr-type", "'not in' needs a list on its right, not text",
                                  "write e.g. x in ['a', 'b']", 15)),
    ("'a' in [1, 2]", ("expr-type", "cannot look for text in a list of number", None, 5)),
    ("budget.original in ['a']", ("expr-type", "cannot look for number in a list of text",
                                  None, 17)),
    ("[1, 2", ("expr-syntax", "expected ',' or ']', found the end of the condition", None, 6)),
])
def test_membership_mistakes_are_named_at_their_place(
        text: str, expected: tuple[str, str, str | None, int]) -> None:
    assert _problem(text) == expected


def test_a_value_the_fact_cannot_take_is_named_in_the_list() -> None:
    code, message, hint, column = _problem("project.phase in ['nope', 'operation']")
    assert (code, message, column) == (
        "expr-bad-value", "'nope' is not a possible value of 'project.phase'", 19)
    assert hint is not None
    assert hint.startswith("possible values: 'acceptance', 'approved', 'completed'")
    assert _problem("project.phase not in ['operation', 'nope']")[3] == 36


def test_the_longest_list_has_a_thousand_items() -> None:
    ok = "budget.original in [" + ", ".join(["1"] * 1000) + "]"
    compile_expression(ok, _env())
    assert _problem("1 in [" + ", ".join(["1"] * 1001) + "]") == (
        "expr-too-complex", "a list has more than 1000 items", None, 3007)


def test_a_list_literal_spans_its_brackets() -> None:
    from govrules.lang.syntax import ListLit, parse
    tree = parse("x in [1, 2]  ")
    right = getattr(tree, "right", None)
    assert isinstance(right, ListLit)
    assert (right.start, right.end) == (5, 11)
