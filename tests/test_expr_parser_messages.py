"""The parser's messages and places, pinned whole, and its nesting count: a group, a
call, a list or a quantifier counts while it is open, not after it is closed."""

from __future__ import annotations

import pytest

from govrules.base.errors import ExpressionError
from govrules.lang import Env, compile_expression, type_from_model
from govrules.lang.syntax import Call, NumberLit, Quantifier, parse
from govrules.model.snapshot import Snapshot

CASES: dict[str, tuple[str, str, str | None, int]] = {
    "days_between(contract.signed_on": (
        "expr-syntax", "expected ',' or ')', found the end of the condition", None, 32),
    "any(1 in x: true)": (
        "expr-syntax", "expected a variable name, as in any(x in list: ...), found number 1",
        None, 5),
    "any(x security.emergency_drills: true)": (
        "expr-syntax", "expected 'in', as in any(x in list: ...), found name 'security'",
        None, 7),
    "any(x in security.emergency_drills: true": (
        "expr-syntax", "expected ')', found the end of the condition", None, 41),
    "(((1)))) > 0": (
        "expr-syntax", "expected an operator or the end of the condition, found ')'", None, 8),
    "budget.original > 1 1": (
        "expr-syntax", "expected an operator or the end of the condition, found number 1",
        "join conditions with 'and' or 'or'", 21),
    "add_days(" * 70 + "as_of" + ", 1)" * 70: (
        "expr-too-complex", "the condition nests more than 64 levels",
        "split it into derived facts", 585),
}


@pytest.mark.parametrize(("text", "expected"), CASES.items(), ids=[t[:30] for t in CASES])
def test_each_syntax_mistake_is_said_whole(text: str,
                                           expected: tuple[str, str, str | None, int]) -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression(text, Env(type_from_model(Snapshot)), expect=None)
    (problem,) = info.value.diagnostics
    assert (problem.code, problem.message, problem.hint,
            problem.span.col if problem.span else None) == expected


@pytest.mark.parametrize("term", ["(1)", "days_between(as_of, as_of)",
                                  "count(x in security.emergency_drills: true)"])
def test_a_closed_group_no_longer_counts_towards_the_nesting(term: str) -> None:
    text = " + ".join([term] * 70) + " >= 0"
    compile_expression(text, Env(type_from_model(Snapshot)))


def test_sixty_four_levels_are_allowed() -> None:
    env = Env(type_from_model(Snapshot))
    compile_expression("(" * 64 + "1" + ")" * 64 + " > 0", env)
    compile_expression("not " * 64 + "true", env)


def test_calls_and_quantifiers_span_their_text() -> None:
    call = parse("days_between(as_of, as_of)  ")
    assert isinstance(call, Call)
    assert (call.start, call.end) == (0, 26)
    quantifier = parse("any(x in a: x) ")
    assert isinstance(quantifier, Quantifier)
    assert (quantifier.start, quantifier.end, quantifier.var, quantifier.var_start) == (
        0, 14, "x", 4)
    number = parse("((1))")
    assert isinstance(number, NumberLit)
    assert (number.start, number.end) == (2, 3)
