"""Properties of the condition language, checked on generated inputs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from govrules.base.errors import ExpressionError
from govrules.lang import Env, EvalContext, Unknown, compile_expression, type_from_model


class Item(BaseModel):
    x: Decimal | None = None
    ok: bool | None = None


class Facts(BaseModel):
    a: bool | None = None
    b: bool | None = None
    c: bool | None = None
    n: Decimal | None = None
    m: Decimal | None = None
    d: date | None = None
    items: list[Item] | None = None


ENV = Env(type_from_model(Facts))
AS_OF = date(2025, 6, 30)
BOOL = st.sampled_from([True, False, None])


def evaluate(text: str, facts: Facts) -> object:
    return compile_expression(text, ENV).fn(EvalContext(facts, AS_OF))


# -- 1. any text: a result or an ExpressionError, nothing else -----------------------------------

VOCABULARY = [
    "a", "b", "c", "n", "m", "d", "items", "x", "i", "i.x", "i.ok", "as_of", "a.b", "and", "or",
    "not", "in", "is", "known", "unknown", "true", "false", "==", "!=", "<", "<=", ">", ">=",
    "+", "-", "*", "/", "%", "(", ")", "[", "]", ",", ":", ".", "0", "1", "2.5", "10%",
    "1_000", "'om'", '"x"', "any", "all", "count", "sum", "min", "max", "len", "abs", "year",
    "date", "date('2025-01-01')", "add_days", "working_days_after", "quarter_of", "foo", "#",
    "\n", "'", "=", "**", "\uff08", "99999999999999999999999999999999",
]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_compiles_or_raises_expression_error(text: str) -> None:
    codes: list[str] = []
    try:
        compile_expression(text, ENV)
    except ExpressionError as exc:
        codes = [d.code for d in exc.diagnostics]
    assert all(code.startswith("expr-") for code in codes)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(VOCABULARY), max_size=25).map(" ".join),
       BOOL, BOOL, st.sampled_from([None, Decimal(0), Decimal("2.5")]))
def test_token_soup_compiles_or_raises_and_then_evaluates(
        text: str, a: bool | None, b: bool | None, n: Decimal | None) -> None:
    for expect in ("bool", None):
        try:
            compiled = (compile_expression(text, ENV) if expect else
                        compile_expression(text, ENV, expect=None))
        except ExpressionError:
            continue
        facts = Facts(a=a, b=b, n=n, items=[Item(x=n, ok=a), Item(ok=b)])
        compiled.fn(EvalContext(facts, AS_OF))


# -- 2. laws of Kleene logic ---------------------------------------------------------------------

ATOMS = st.sampled_from(["a", "b", "c", "true", "false", "n > 1", "a == b", "c is known",
                         "any(i in items: i.ok)", "all(i in items: i.x > 0)"])


def formulas() -> st.SearchStrategy[str]:
    return st.recursive(
        ATOMS,
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(lambda p: f"({p[0]} and {p[1]})"),
            st.tuples(inner, inner).map(lambda p: f"({p[0]} or {p[1]})"),
            inner.map(lambda p: f"not ({p})"),
        ),
        max_leaves=8,
    )


def facts_strategy() -> st.SearchStrategy[Facts]:
    item = st.builds(Item, x=st.sampled_from([None, Decimal(-1), Decimal(3)]), ok=BOOL)
    return st.builds(Facts, a=BOOL, b=BOOL, c=BOOL,
                     n=st.sampled_from([None, Decimal(0), Decimal(5)]),
                     items=st.one_of(st.none(), st.lists(item, max_size=3)))


@settings(max_examples=300, deadline=None)
@given(formulas(), formulas(), facts_strategy())
def test_de_morgan(x: str, y: str, facts: Facts) -> None:
    assert evaluate(f"not ({x} and {y})", facts) == evaluate(f"not ({x}) or not ({y})", facts)
    assert evaluate(f"not ({x} or {y})", facts) == evaluate(f"not ({x}) and not ({y})", facts)


@settings(max_examples=300, deadline=None)
@given(formulas(), formulas(), facts_strategy())
def test_and_or_commute(x: str, y: str, facts: Facts) -> None:
    assert evaluate(f"({x}) and ({y})", facts) == evaluate(f"({y}) and ({x})", facts)
    assert evaluate(f"({x}) or ({y})", facts) == evaluate(f"({y}) or ({x})", facts)


@settings(max_examples=300, deadline=None)
@given(formulas(), facts_strategy())
def test_identities(x: str, facts: Facts) -> None:
    value = evaluate(x, facts)
    assert evaluate(f"({x}) and true", facts) == value
    assert evaluate(f"({x}) or false", facts) == value
    assert evaluate(f"not not ({x})", facts) == value
    assert evaluate(f"({x}) and false", facts) is False
    assert evaluate(f"({x}) or true", facts) is True
    assert value is True or value is False or isinstance(value, Unknown)


@settings(deadline=None)
@given(BOOL, BOOL)
def test_unknown_and_false_is_false_and_unknown_or_true_is_true(a: bool | None,
                                                                b: bool | None) -> None:
    facts = Facts(a=a, b=b, c=None)
    assert evaluate("c and false", facts) is False
    assert evaluate("false and c", facts) is False
    assert evaluate("c or true", facts) is True
    assert evaluate("true or c", facts) is True


# -- 3. information monotonicity -------------------------------------------------------------------

ARITH_ATOMS = st.sampled_from([
    "n > 1", "n + m >= 5", "n / m > 1", "m * 2 == n", "d < as_of", "days_between(d, as_of) > 30",
    "min(n, m) < 2", "n in [0, 5]", "count(i in items: i.ok) > 1", "sum(i in items: i.x) > 0",
    "max(i in items: i.x) > 2", "a", "b", "c",
])


def mixed_formulas() -> st.SearchStrategy[str]:
    return st.recursive(
        ARITH_ATOMS,
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(lambda p: f"({p[0]} and {p[1]})"),
            st.tuples(inner, inner).map(lambda p: f"({p[0]} or {p[1]})"),
            inner.map(lambda p: f"not ({p})"),
        ),
        max_leaves=6,
    )


MONOTONE_FIELDS = ["a", "b", "c", "n", "m", "d"]
FILL = {"a": st.booleans(), "b": st.booleans(), "c": st.booleans(),
        "n": st.sampled_from([Decimal(0), Decimal(1), Decimal(5)]),
        "m": st.sampled_from([Decimal(0), Decimal(2), Decimal(7)]),
        "d": st.sampled_from([date(2025, 1, 1), date(2025, 6, 29)])}


@settings(max_examples=400, deadline=None)
@given(mixed_formulas(), facts_strategy(), st.data())
def test_filling_in_an_unknown_fact_never_changes_a_decided_result(
        text: str, facts: Facts, data: st.DataObject) -> None:
    before = evaluate(text, facts)
    absent = [f for f in MONOTONE_FIELDS if getattr(facts, f) is None]
    if not absent or isinstance(before, Unknown):
        return
    name = data.draw(st.sampled_from(absent))
    filled = facts.model_copy(update={name: data.draw(FILL[name])})
    assert evaluate(text, filled) == before


@settings(max_examples=200, deadline=None)
@given(mixed_formulas(), facts_strategy())
def test_evaluation_is_deterministic_and_leaves_the_snapshot_alone(text: str,
                                                                  facts: Facts) -> None:
    before = facts.model_dump()
    compiled = compile_expression(text, ENV)
    first = compiled.fn(EvalContext(facts, AS_OF))
    assert compiled.fn(EvalContext(facts, AS_OF)) == first
    assert facts.model_dump() == before
