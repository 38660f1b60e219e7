"""Static checks of conditions: types from the model, error codes and places, folding."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, Field

from govrules.base.calendar import Quarter
from govrules.base.errors import ExpressionError
from govrules.base.loader import Span
from govrules.lang import (
    Bool,
    Compiled,
    Date,
    Env,
    EvalContext,
    ListOf,
    Number,
    Object,
    QuarterT,
    String,
    Type,
    compile_expression,
    is_fact_path,
    is_report_list,
    type_from_model,
)

Money = Annotated[Decimal, Field(ge=0)]


class Phase(enum.StrEnum):
    PLANNING = "planning"
    BUILDING = "building"


class Filing(BaseModel):
    filed_on: date | None = None


class Adjustment(BaseModel):
    amount: Money | None = None
    approved: bool | None = None
    filings: list[Filing] | None = None


class Budget(BaseModel):
    original: Money | None = None
    current: Money | None = None
    adjustments: list[Adjustment] | None = None


class Report(BaseModel):
    period: Quarter | None = None
    submitted_on: date | None = None


class Project(BaseModel):
    kind: Literal["construction", "om", "service"] | None = None
    phase: Phase | None = None
    name: str | None = None
    years: int | None = None
    rate: float | None = None
    start: date | None = None
    quarter: Quarter | None = None
    done: bool | None = None
    tags: tuple[str, ...] | None = None
    budget: Budget | None = None
    reports: list[Report] | None = None


ENV = Env(type_from_model(Project))


def compile_(text: str, expect: Type | None = Bool) -> Compiled:
    return compile_expression(text, ENV, expect=expect)


# -- types from the model ---------------------------------------------------------------------


def test_type_from_model() -> None:
    root = type_from_model(Project)
    fields = root.fields
    assert fields["kind"] == String(frozenset({"construction", "om", "service"}))
    assert fields["phase"] == String(frozenset({"planning", "building"}))
    assert fields["name"] == String()
    assert fields["years"] is Number
    assert fields["rate"] is Number
    assert fields["start"] is Date
    assert fields["quarter"] is QuarterT
    assert fields["done"] is Bool
    assert fields["tags"] == ListOf(String())
    budget = fields["budget"]
    assert isinstance(budget, Object)
    assert budget.name == "Budget"
    assert budget.fields["original"] is Number
    adjustments = budget.fields["adjustments"]
    assert isinstance(adjustments, ListOf)
    assert isinstance(adjustments.item, Object)
    filings = adjustments.item.fields["filings"]
    assert isinstance(filings, ListOf)
    assert isinstance(filings.item, Object)
    assert filings.item.fields["filed_on"] is Date


def test_is_report_list_and_is_fact_path() -> None:
    assert is_report_list(ENV.root.fields["reports"])
    assert not is_report_list(ENV.root.fields["tags"])
    assert is_fact_path("budget.original", ENV, Number)
    assert is_fact_path(" done ", ENV, Bool)
    assert not is_fact_path("budget.original", ENV, Bool)
    assert not is_fact_path("budget.orignal", ENV)
    assert not is_fact_path("budget.original > 1", ENV)
    assert not is_fact_path("as_of", ENV)


# -- errors: code and place --------------------------------------------------------------------

ERRORS = [
    # (id, text, code, where: the text the error points at, or its offset)
    ("unknown-fact", "budget.orignal > 0", "expr-unknown-fact", "budget.orignal"),
    ("unknown-top-level", "done and budgett.original > 0", "expr-unknown-fact", "budgett"),
    ("field-of-number", "budget.original.x > 0", "expr-unknown-fact", "budget"),
    ("field-of-list", "budget.adjustments.amount > 0", "expr-unknown-fact", "budget"),
    ("field-of-as-of", "year(as_of.x) > 0", "expr-unknown-fact", "as_of"),
    ("unknown-var-field", "any(a in budget.adjustments: a.amout > 0)", "expr-unknown-fact",
     "a.amout"),
    ("var-out-of-scope", "any(a in budget.adjustments: true) and a.amount > 0",
     "expr-unknown-fact", "a.amount"),
    ("date-vs-number", "start > 5", "expr-type", ">"),
    ("date-eq-number", "start == 5", "expr-type", "=="),
    ("list-vs-string", "tags == 'x'", "expr-type", "=="),
    ("order-strings", "name < 'b'", "expr-type", "<"),
    ("order-bools", "done < true", "expr-type", "<"),
    ("compare-records", "budget == budget", "expr-type", "=="),
    ("and-number", "done and years", "expr-type", "years"),
    ("or-date", "start or done", "expr-type", "start"),
    ("not-number", "not years", "expr-type", "years"),
    ("plus-date", "start + 1 > start", "expr-type", "start"),
    ("times-string", "years * name > 1", "expr-type", "name"),
    ("minus-bool", "-done", "expr-type", "done"),
    ("whole-not-bool", "years + 1", "expr-type", "years"),
    ("in-not-list", "name in 'abc'", "expr-type", "in"),
    ("in-wrong-item", "years in ['a']", "expr-type", "in"),
    ("mixed-list", "years in [1, 'a']", "expr-type", "'a'"),
    ("quantifier-over-number", "any(a in years: a > 1)", "expr-type", "years"),
    ("any-body-number", "any(a in budget.adjustments: a.amount)", "expr-type", "a.amount"),
    ("sum-body-bool", "sum(a in budget.adjustments: a.approved) > 1", "expr-type", "a.approved"),
    ("max-body-bool", "max(a in budget.adjustments: a.approved) > 1", "expr-type", "a.approved"),
    ("function-arg", "add_days(years, 1) > start", "expr-type", "years"),
    ("min-mixed", "min(years, start) > 1", "expr-type", "start"),
    ("max-strings", "max(name, name) == 'a'", "expr-type", "name"),
    ("len-number", "len(years) > 1", "expr-type", "years"),
    ("date-of-fact", "date(name) > start", "expr-type", "name"),
    ("bad-choice", "kind == 'constructoin'", "expr-bad-value", "'constructoin'"),
    ("bad-choice-left", "'omm' != kind", "expr-bad-value", "'omm'"),
    ("bad-choice-in", "kind in ['om', 'servise']", "expr-bad-value", "'servise'"),
    ("bad-choice-tuple", "'x' in tags or kind not in ['omm']", "expr-bad-value", "'omm'"),
    ("bad-enum", "phase == 'built'", "expr-bad-value", "'built'"),
    ("bad-date", "start > date('2025-02-30')", "expr-bad-value", "'2025-02-30'"),
    ("bad-date-format", "start > date('2025/01/01')", "expr-bad-value", "'2025/01/01'"),
    ("bad-quarter", "quarter > quarter('2025Q5')", "expr-bad-value", "'2025Q5'"),
    ("division-by-zero", "years > 1 / 0", "expr-bad-value", "1 / 0"),
    ("fractional-days", "add_days(start, 1.5) > start", "expr-bad-value", "1.5"),
    ("date-overflow", "add_days(date('9999-12-31'), 1) > start", "expr-bad-value", "add_days"),
    ("unknown-function", "yeer(start) > 2020", "expr-unknown-function", "yeer"),
    ("today", "start < today()", "expr-unknown-function", "today"),
    ("quantifier-as-function", "any(done, done)", "expr-syntax", ","),
    ("arity-few", "add_days(start) > start", "expr-arity", "add_days"),
    ("arity-many", "year(start, start) > 1", "expr-arity", "year"),
    ("arity-min", "min(years) > 1", "expr-arity", "min"),
    ("var-hides-fact", "any(budget in budget.adjustments: true)", "expr-name-clash", "budget"),
    ("var-hides-var", "any(a in budget.adjustments: any(a in a.filings: true))",
     "expr-name-clash", "a in a.filings"),
    ("var-hides-as-of", "any(as_of in budget.adjustments: true)", "expr-name-clash", "as_of"),
    ("syntax", "budget.original >", "expr-syntax", 17),
    ("too-long", "done or " * 500 + "done", "expr-too-complex", 4000),
]


@pytest.mark.parametrize(("text", "code", "where"), [c[1:] for c in ERRORS],
                         ids=[c[0] for c in ERRORS])
def test_error(text: str, code: str, where: str | int) -> None:
    offset = text.index(where) if isinstance(where, str) else where
    with pytest.raises(ExpressionError) as info:
        compile_(text)
    diag = info.value.diagnostics[0]
    assert (diag.code, diag.span) == (code, Span("<expr>", 1, offset + 1))


def test_error_maps_through_origin() -> None:
    def origin(offset: int) -> Span:
        return Span("policies/guiyang.yaml", 41, 12 + offset)

    text = "done and years > budget.orignal"
    with pytest.raises(ExpressionError) as info:
        compile_expression(text, ENV, origin=origin)
    (diag,) = info.value.diagnostics
    assert text.index("budget") == 17
    assert diag.span == Span("policies/guiyang.yaml", 41, 29)
    assert str(diag) == ("policies/guiyang.yaml:41:29: expr-unknown-fact: no fact "
                         "'budget.orignal' (did you mean 'budget.original'?)")


HINTS = [
    ("fact", "budget.orignal > 0", "did you mean 'budget.original'?"),
    ("var-field", "any(a in budget.adjustments: a.aproved)", "did you mean 'a.approved'?"),
    ("boolean", "done == True", "did you mean 'true'?"),
    ("null", "start == null", "to test for a missing fact, write 'x is unknown'"),
    ("choice", "kind == 'constructoin'", "did you mean 'construction'?"),
    ("choice-list", "kind == 'x'", "possible values: 'construction', 'om', 'service'"),
    ("function", "add_day(start, 1) > start", "did you mean 'add_days'?"),
    ("today", "start < today()", "use as_of, the evaluation date"),
    ("list-field", "budget.adjustments.amount > 0",
     "go through its items, e.g. any(x in budget.adjustments: x.amount ...)"),
]


@pytest.mark.parametrize(("text", "hint"), [c[1:] for c in HINTS], ids=[c[0] for c in HINTS])
def test_hint(text: str, hint: str) -> None:
    with pytest.raises(ExpressionError) as info:
        compile_(text)
    assert info.value.diagnostics[0].hint == hint


def test_all_type_errors_of_one_condition_are_reported_in_order() -> None:
    text = "start > 5 or kind == 'x' or budget.orignal > 1 or yeer(start) > 1"
    with pytest.raises(ExpressionError) as info:
        compile_(text)
    assert [(d.code, d.span.col if d.span else 0) for d in info.value.diagnostics] == [
        ("expr-type", text.index(">") + 1), ("expr-bad-value", text.index("'x'") + 1),
        ("expr-unknown-fact", text.index("budget") + 1),
        ("expr-unknown-function", text.index("yeer") + 1)]


def test_one_mistake_is_reported_once() -> None:
    with pytest.raises(ExpressionError) as info:
        compile_("(budget.orignal + 1) * 2 > 3 and not (budget.orignal > 1)")
    assert [d.code for d in info.value.diagnostics] == ["expr-unknown-fact"] * 2


def test_arbitrary_message_is_readable() -> None:
    with pytest.raises(ExpressionError) as info:
        compile_("start > 5")
    assert str(info.value) == "<expr>:1:7: expr-type: cannot compare date with number " \
                              "(to count days use days_between(a, b))"


# -- what a compiled condition knows -----------------------------------------------------------

EXPECTED_TYPES = [
    ("bool", "done", Bool),
    ("number", "years * 2", Number),
    ("date", "add_months(start, 1)", Date),
    ("quarter", "quarter_of(start)", QuarterT),
    ("string", "name", String()),
    ("choice-string", "kind", String()),
    ("list", "[1, 2]", ListOf(Number)),
    ("count", "count(a in budget.adjustments: a.approved)", Number),
    ("min-dates", "min(start, as_of)", Date),
    ("max-quantifier", "max(a in budget.adjustments: a.amount)", Number),
]


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in EXPECTED_TYPES],
                         ids=[c[0] for c in EXPECTED_TYPES])
def test_result_type(text: str, want: Type) -> None:
    compiled = compile_(text, expect=want)
    assert compiled.type.compatible(want)
    assert compile_(text, expect=None).type.compatible(want)


def test_expected_type_mismatch() -> None:
    with pytest.raises(ExpressionError) as info:
        compile_("done", expect=Date)
    assert info.value.code == "expr-type"


def test_facts_read() -> None:
    compiled = compile_(
        "budget.original > 0 and any(a in budget.adjustments: a.amount > 0 and "
        "all(f in a.filings: f.filed_on < as_of))")
    assert compiled.facts == {
        "budget.original", "budget.adjustments", "budget.adjustments.amount",
        "budget.adjustments.filings", "budget.adjustments.filings.filed_on"}


CONSTANTS = [
    ("arithmetic", "1 + 2 * 3 == 7", True),
    ("percent", "10% == 0.1", True),
    ("dates", "date('2025-01-01') < date('2025-02-01')", True),
    ("functions", "add_months(date('2025-01-31'), 1) == date('2025-02-28')", True),
    ("logic", "false and done", False),
    ("or-true", "done or true", True),
    ("in", "'a' in ['a', 'b']", True),
    ("known", "1 is known", True),
]


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in CONSTANTS],
                         ids=[c[0] for c in CONSTANTS])
def test_constant_folding(text: str, want: object) -> None:
    compiled = compile_(text)
    # A folded condition never touches the snapshot: a context without one works.
    assert compiled.fn(EvalContext(None, date(2025, 1, 1))) is want


def test_true_operands_are_dropped() -> None:
    compiled = compile_("true and done")
    assert compiled.fn(EvalContext(Project(done=False), date(2025, 1, 1))) is False


# -- environments and derived facts ------------------------------------------------------------


def test_derived_fact_names() -> None:
    compiled = compile_expression("budget.current - budget.original", ENV, expect=Number)
    env = ENV.with_derived("increase", compiled)
    assert env.derived["increase"].type is Number
    assert "increase" not in ENV.derived
    for name, code in [("budget", "expr-name-clash"), ("as_of", "expr-name-clash"),
                       ("increase", "expr-name-clash"), ("and", "expr-syntax"),
                       ("2x", "expr-syntax")]:
        with pytest.raises(ExpressionError) as info:
            env.with_derived(name, compiled)
        assert info.value.code == code, name


def test_derived_fact_is_known_only_after_it_is_added() -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression("increase > 0", ENV)
    assert info.value.code == "expr-unknown-fact"
    env = ENV.with_derived("increase", compile_expression(
        "budget.current - budget.original", ENV, expect=Number))
    compiled = compile_expression("increase > 0 and done", env)
    assert compiled.uses == {"increase"}
    assert compiled.facts == {"budget.current", "budget.original", "done"}


def test_derived_fact_suggestion() -> None:
    env = ENV.with_derived("increase", compile_expression(
        "budget.current - budget.original", ENV, expect=Number))
    with pytest.raises(ExpressionError) as info:
        compile_expression("increse > 0", env)
    assert info.value.diagnostics[0].hint == "did you mean 'increase'?"


def test_compiled_is_frozen() -> None:
    compiled = compile_("done")
    with pytest.raises(AttributeError):
        compiled.text = "x"  # type: ignore[misc]


def test_a_quantifier_variable_cannot_hide_a_derived_fact() -> None:
    env = ENV.with_derived("increase", compile_expression(
        "budget.current - budget.original", ENV, expect=Number))
    text = "any(increase in budget.adjustments: increase.amount > 0)"
    with pytest.raises(ExpressionError) as info:
        compile_expression(text, env)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.code == "expr-name-clash"
    assert diagnostic.span is not None
    assert diagnostic.span.col == text.index("increase") + 1
    assert compile_expression(text, ENV).text == text  # without the derived fact it is fine
