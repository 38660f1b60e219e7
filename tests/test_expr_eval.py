"""Evaluating conditions: operators, functions, Kleene logic, quantifiers, derived facts."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Literal

import pytest
from pydantic import BaseModel

from govrules.base.calendar import Calendar, Quarter
from govrules.lang import (
    Env,
    EvalContext,
    Number,
    Unknown,
    compile_expression,
    explain,
    kleene_and,
    kleene_not,
    kleene_or,
    type_from_model,
)


class Phase(enum.StrEnum):
    PLANNING = "planning"
    BUILDING = "building"


class Filing(BaseModel):
    filed_on: date | None = None


class Review(BaseModel):
    passed: bool | None = None
    score: float | None = None


class Adjustment(BaseModel):
    amount: Decimal | None = None
    approved: bool | None = None
    filings: list[Filing] | None = None
    review: Review | None = None


class Plan(BaseModel):
    approved_on: date | None = None
    share: float | None = None


class Budget(BaseModel):
    original: Decimal | None = None
    current: Decimal | None = None
    rate: float | None = None
    plan: Plan | None = None
    adjustments: list[Adjustment] | None = None


class Project(BaseModel):
    kind: Literal["construction", "om", "service"] | None = None
    phase: Phase | None = None
    name: str | None = None
    tags: list[str] | None = None
    scores: list[int] | None = None
    years: int | None = None
    start: date | None = None
    end: date | None = None
    quarter: Quarter | None = None
    a: bool | None = None
    b: bool | None = None
    c: bool | None = None
    budget: Budget | None = None


ENV = Env(type_from_model(Project))
AS_OF = date(2025, 6, 30)
U = Unknown


def missing(*paths: str) -> Unknown:
    return Unknown(frozenset(paths))


SNAPSHOT = Project(
    kind="om", phase=Phase.BUILDING, name="cloud", tags=["gov", "data"], scores=[3, 1, 2],
    years=3, start=date(2025, 1, 31), end=date(2025, 12, 31), quarter=Quarter(2025, 2),
    a=True, b=False,
    budget=Budget(
        original=Decimal("1000"), current=Decimal("1150"), rate=0.1,
        plan=Plan(approved_on=date(2025, 2, 1), share=0.25),
        adjustments=[
            Adjustment(amount=Decimal("50"), approved=True,
                       filings=[Filing(filed_on=date(2025, 3, 1))],
                       review=Review(passed=True, score=0.75)),
            Adjustment(amount=Decimal("150"), approved=False, filings=[]),
            Adjustment(amount=Decimal("20"), approved=None, filings=[Filing(), Filing()]),
        ]),
)


def run(text: str, snapshot: BaseModel = SNAPSHOT, env: Env = ENV,
        ctx: EvalContext | None = None) -> object:
    compiled = compile_expression(text, env, expect=None)
    return compiled.fn(ctx or EvalContext(snapshot, AS_OF, Calendar.default()))


VALUES = [
    # arithmetic and comparisons
    ("add", "years + 2", 5),
    ("sub-mul", "budget.current - budget.original * 110%", Decimal("50.0")),
    ("div", "budget.current / budget.original", Decimal("1.15")),
    ("int-div-is-decimal", "years / 2", Decimal("1.5")),
    ("neg", "-years", -3),
    ("float-is-decimal", "budget.rate * 10", Decimal("1.0")),
    ("int-by-int", "len(scores) / years", Decimal(1)),
    ("deep-path", "budget.plan.approved_on < as_of", True),
    ("deep-float", "budget.plan.share * 2", Decimal("0.50")),
    ("computed-is-unknown", "add_days(start, 1) is unknown", False),
    ("computed-is-known", "[1] is known", True),
    ("gt", "budget.current > budget.original", True),
    ("ge", "years >= 3", True),
    ("lt-const-left", "4 < years", False),
    ("le", "years <= 2", False),
    ("eq-string", "kind == 'om'", True),
    ("ne-enum", "phase != 'planning'", True),
    ("eq-enum", "'building' == phase", True),
    ("eq-bool", "a == true", True),
    ("dates", "start < end and end > as_of", True),
    ("quarters", "quarter < quarter('2025Q3')", True),
    ("in-const", "kind in ['om', 'service']", True),
    ("not-in-const", "kind not in ['om', 'service']", False),
    ("in-fact-list", "'gov' in tags", True),
    ("not-in-fact-list", "'x' not in tags", True),
    ("in-facts", "years in [years, 1]", True),
    ("in-numbers", "2 in scores", True),
    ("in-list-of-lists", "[1] in [[2], [1]]", True),
    ("is-known", "name is known", True),
    ("is-unknown", "c is unknown", True),
    ("is-not-known", "c is not known", True),
    ("list-literal", "[years, 1]", [3, 1]),
    ("as-of", "as_of", AS_OF),
    # functions
    ("date", "date('2025-01-01')", date(2025, 1, 1)),
    ("quarter", "quarter('2025年第三季度')", Quarter(2025, 3)),
    ("add-days", "add_days(start, 1)", date(2025, 2, 1)),
    ("add-days-negative", "add_days(start, -31)", date(2024, 12, 31)),
    ("add-months-end", "add_months(start, 1)", date(2025, 2, 28)),
    ("add-years", "add_years(date('2024-02-29'), 1)", date(2025, 2, 28)),
    ("days-between", "days_between(start, end)", 334),
    ("months-between", "months_between(start, end)", 11),
    ("quarter-of", "quarter_of(start)", Quarter(2025, 1)),
    ("quarter-start", "quarter_start(quarter)", date(2025, 4, 1)),
    ("quarter-end", "quarter_end(quarter)", date(2025, 6, 30)),
    ("next-quarter", "next_quarter(quarter('2025Q4'))", Quarter(2026, 1)),
    ("year", "year(start)", 2025),
    ("abs", "abs(budget.original - budget.current)", Decimal("150")),
    ("min", "min(years, 5, 4)", 3),
    ("max-dates", "max(start, end, as_of)", date(2025, 12, 31)),
    ("len", "len(budget.adjustments)", 3),
    ("working-days", "working_days_after(date('2025-09-26'), 1)", date(2025, 9, 28)),
    ("working-days-holiday", "working_days_after(date('2025-09-30'), 1)", date(2025, 10, 9)),
    # quantifiers
    ("any", "any(x in budget.adjustments: x.amount > 100)", True),
    ("all-false", "all(x in budget.adjustments: x.amount > 10 and x.approved)", False),
    ("count", "count(x in budget.adjustments: x.approved is known and x.approved)", 1),
    ("sum-items", "sum(s in scores: s)", 6),
    ("min-items", "min(s in scores: s * 2)", 2),
    ("max-items", "max(s in scores: s)", 3),
    ("nested", "count(x in budget.adjustments: any(f in x.filings: f.filed_on is known))", 1),
    ("item-record", "any(x in budget.adjustments: x.review.passed)", True),
    ("item-float", "any(x in budget.adjustments: x.review.score > 0.5)", True),
]


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in VALUES], ids=[c[0] for c in VALUES])
def test_value(text: str, want: object) -> None:
    got = run(text)
    assert got == want
    assert type(got) is type(want) or {type(got), type(want)} <= {int, Decimal}


UNKNOWNS = [
    ("fact", "c", missing("c")),
    ("nested-fact", "budget.original", missing("budget.original")),
    ("parent-missing", "budget.current", missing("budget.current")),
    ("compare", "years > 1", missing("years")),
    ("deep", "budget.plan.approved_on < as_of", missing("budget.plan.approved_on")),
    ("deep-value", "budget.plan.approved_on", missing("budget.plan.approved_on")),
    ("deep-known", "budget.plan.approved_on is known", False),
    ("compare-two", "years > budget.current", missing("years", "budget.current")),
    ("arith", "years + budget.current * 2", missing("years", "budget.current")),
    ("arith-chain", "years + 1 + budget.current - 2", missing("years", "budget.current")),
    ("in-both-unknown", "years in scores", missing("years", "scores")),
    ("neg", "-years", missing("years")),
    ("not", "not c", missing("c")),
    ("in", "kind in ['om']", missing("kind")),
    ("in-list", "'x' in tags", missing("tags")),
    ("in-unknown-items", "1 in [years, 2]", missing("years")),
    ("in-found-despite-unknown", "2 in [years, 2]", True),
    ("function", "add_days(start, years)", missing("start", "years")),
    ("min", "min(years, 1)", missing("years")),
    ("one-argument", "year(start)", missing("start")),
    ("division-by-zero", "1 / (years - years)", missing("years")),
    ("any-over-unknown", "any(x in budget.adjustments: true)", missing("budget.adjustments")),
    ("sum-over-unknown", "sum(x in scores: x)", missing("scores")),
]


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in UNKNOWNS],
                         ids=[c[0] for c in UNKNOWNS])
def test_unknown(text: str, want: object) -> None:
    assert run(text, Project(kind=None, budget=Budget())) == want


NO_VALUE_CASES = [
    ("float-nan", "budget.rate > 0", Project(budget=Budget(rate=float("nan"))),
     missing("budget.rate")),
    ("float-nan-known", "budget.rate is known", Project(budget=Budget(rate=float("inf"))), False),
    ("overflow", "budget.current * budget.current",
     Project(budget=Budget(current=Decimal("9E+999990"))), Unknown()),
    ("overflow-chain", "budget.current * budget.current * 2",
     Project(budget=Budget(current=Decimal("9E+999990"))), Unknown()),
    ("sum-overflow", "sum(x in budget.adjustments: x.amount)",
     Project(budget=Budget(adjustments=[Adjustment(amount=Decimal("9E+999999"))] * 2)),
     Unknown()),
    ("none-in-list", "1 in scores",
     Project.model_construct(scores=[None]), Unknown()),  # type: ignore[list-item]
    ("none-in-list-found", "1 in scores",
     Project.model_construct(scores=[None, 1]), True),  # type: ignore[list-item]
]


@pytest.mark.parametrize(("text", "snapshot", "want"), [c[1:] for c in NO_VALUE_CASES],
                         ids=[c[0] for c in NO_VALUE_CASES])
def test_values_that_no_fact_would_decide(text: str, snapshot: Project, want: object) -> None:
    assert run(text, snapshot) == want


def test_division_by_zero_is_unknown_without_missing_facts() -> None:
    assert run("1 / years", Project(years=0)) == Unknown()
    assert run("years / 0.0 > 1 or a", Project(years=1, a=False)) == Unknown()


# -- Kleene logic -------------------------------------------------------------------------------

T, F, N = True, False, None
KLEENE_AND = [(T, T, T), (T, F, F), (T, N, U), (F, T, F), (F, F, F), (F, N, F), (N, T, U),
              (N, F, F), (N, N, U)]
KLEENE_OR = [(T, T, T), (T, F, T), (T, N, T), (F, T, T), (F, F, F), (F, N, U), (N, T, T),
             (N, F, U), (N, N, U)]


def kleene_id(case: tuple[object, ...]) -> str:
    return "-".join("U" if v is None or v is U else "T" if v else "F" for v in case)


@pytest.mark.parametrize(("a", "b", "want"), KLEENE_AND, ids=[kleene_id(c) for c in KLEENE_AND])
def test_kleene_and(a: bool | None, b: bool | None, want: object) -> None:
    got = run("a and b", Project(a=a, b=b))
    expected = missing(*[n for n, v in (("a", a), ("b", b)) if v is None]) if want is U else want
    assert got == expected
    assert kleene_and(_value(a, "a"), _value(b, "b")) == expected


@pytest.mark.parametrize(("a", "b", "want"), KLEENE_OR, ids=[kleene_id(c) for c in KLEENE_OR])
def test_kleene_or(a: bool | None, b: bool | None, want: object) -> None:
    got = run("a or b", Project(a=a, b=b))
    expected = missing(*[n for n, v in (("a", a), ("b", b)) if v is None]) if want is U else want
    assert got == expected
    assert kleene_or(_value(a, "a"), _value(b, "b")) == expected


@pytest.mark.parametrize(("a", "want"), [(T, F), (F, T), (N, missing("a"))], ids=["T", "F", "U"])
def test_kleene_not(a: bool | None, want: object) -> None:
    assert run("not a", Project(a=a)) == want
    assert kleene_not(_value(a, "a")) == want


def _value(v: bool | None, name: str) -> object:
    return missing(name) if v is None else v


def test_long_chains_keep_every_missing_fact() -> None:
    assert run("a and b and c", Project(a=True)) == missing("b", "c")
    assert run("a or b or c", Project(b=False)) == missing("a", "c")
    assert run("a and b and c", Project(b=False)) is False


def test_long_flat_chain_evaluates() -> None:
    assert run("+".join(["years"] * 600) + " > 0", Project(years=1)) is True
    assert run(" or ".join(["a"] * 700), Project()) == missing("a")


def test_and_short_circuits() -> None:
    compiled = compile_expression("a and b", ENV)
    steps = explain(compiled, EvalContext(Project(a=False, b=True), AS_OF))
    assert steps == [("a", False), ("a and b", False)]


def test_or_short_circuits() -> None:
    compiled = compile_expression("a or any(x in budget.adjustments: x.approved)", ENV)
    steps = explain(compiled, EvalContext(Project(a=True), AS_OF))
    assert steps == [("a", True), ("a or any(x in budget.adjustments: x.approved)", True)]


def test_unknown_has_no_truth_value() -> None:
    with pytest.raises(TypeError):
        bool(Unknown())


# -- quantifiers ---------------------------------------------------------------------------------


def adjustments(*items: Adjustment) -> Project:
    return Project(budget=Budget(original=Decimal(100), adjustments=list(items)))


EMPTY = adjustments()
QUANTIFIER_CASES = [
    ("any-empty", "any(x in budget.adjustments: x.approved)", EMPTY, False),
    ("all-empty", "all(x in budget.adjustments: x.approved)", EMPTY, True),
    ("count-empty", "count(x in budget.adjustments: x.approved)", EMPTY, 0),
    ("sum-empty", "sum(x in budget.adjustments: x.amount)", EMPTY, 0),
    ("min-empty", "min(x in budget.adjustments: x.amount)", EMPTY, Unknown()),
    ("max-empty", "max(x in budget.adjustments: x.amount)", EMPTY, Unknown()),
    ("any-unknown-list", "any(x in budget.adjustments: x.approved)", Project(budget=Budget()),
     missing("budget.adjustments")),
    ("all-unknown-parent", "all(x in budget.adjustments: x.approved)", Project(),
     missing("budget.adjustments")),
    ("any-unknown-item", "any(x in budget.adjustments: x.approved)",
     adjustments(Adjustment(approved=False), Adjustment()),
     missing("budget.adjustments[1].approved")),
    ("any-true-beats-unknown", "any(x in budget.adjustments: x.approved)",
     adjustments(Adjustment(), Adjustment(approved=True)), True),
    ("all-false-beats-unknown", "all(x in budget.adjustments: x.approved)",
     adjustments(Adjustment(), Adjustment(approved=False)), False),
    ("all-unknowns-collected", "all(x in budget.adjustments: x.approved)",
     adjustments(Adjustment(), Adjustment(approved=True), Adjustment()),
     missing("budget.adjustments[0].approved", "budget.adjustments[2].approved")),
    ("count-unknown", "count(x in budget.adjustments: x.approved)",
     adjustments(Adjustment(approved=True), Adjustment()),
     missing("budget.adjustments[1].approved")),
    ("sum-unknown", "sum(x in budget.adjustments: x.amount / budget.original)",
     adjustments(Adjustment(amount=Decimal(5)), Adjustment()),
     missing("budget.adjustments[1].amount")),
    ("max-unknown", "max(x in budget.adjustments: x.amount)",
     adjustments(Adjustment(), Adjustment(amount=Decimal(5))),
     missing("budget.adjustments[0].amount")),
    ("nested-indexes", "all(x in budget.adjustments: all(f in x.filings: f.filed_on < as_of))",
     adjustments(Adjustment(filings=[]), Adjustment(filings=[Filing(filed_on=date(2025, 1, 1)),
                                                              Filing()])),
     missing("budget.adjustments[1].filings[1].filed_on")),
    ("item-record-missing", "any(x in budget.adjustments: x.review.passed)",
     adjustments(Adjustment(review=Review())), missing("budget.adjustments[0].review.passed")),
    ("item-record-none", "any(x in budget.adjustments: x.review.score > 1)",
     adjustments(Adjustment(), Adjustment(review=Review(score=0.5))),
     missing("budget.adjustments[0].review.score")),
    ("item-field-is-unknown", "all(x in budget.adjustments: x.approved is unknown)",
     adjustments(Adjustment()), True),
    ("nested-list-unknown", "any(x in budget.adjustments: any(f in x.filings: true))",
     adjustments(Adjustment(filings=[]), Adjustment()),
     missing("budget.adjustments[1].filings")),
    ("item-is-none", "any(x in budget.adjustments: x.approved)",
     Project(budget=Budget.model_construct(adjustments=[None])),  # type: ignore[list-item]
     missing("budget.adjustments[0].approved")),
    ("bare-item-none", "sum(s in scores: s)",
     Project.model_construct(scores=[1, None]),  # type: ignore[list-item]
     missing("scores[1]")),
    ("example-from-brief", "budget.original > 0 and any(adj in budget.adjustments: "
     "adj.amount / budget.original > 10% and adj.approved is unknown)",
     adjustments(Adjustment(amount=Decimal(5)), Adjustment(amount=Decimal(20))), True),
]


@pytest.mark.parametrize(("text", "snapshot", "want"), [c[1:] for c in QUANTIFIER_CASES],
                         ids=[c[0] for c in QUANTIFIER_CASES])
def test_quantifier(text: str, snapshot: Project, want: object) -> None:
    assert run(text, snapshot) == want


# -- calendar -------------------------------------------------------------------------------------


def test_working_days_record_uncovered_years() -> None:
    ctx = EvalContext(Project(start=date(2090, 3, 6)), AS_OF, Calendar.default())
    assert run("working_days_after(start, 1)", ctx=ctx) == date(2090, 3, 7)
    assert ctx.uncovered_years == {2090}


def test_default_calendar_is_used_when_none_is_given() -> None:
    ctx = EvalContext(SNAPSHOT, AS_OF)
    assert run("working_days_after(date('2025-09-26'), 1)", ctx=ctx) == date(2025, 9, 28)


def test_working_days_with_fractional_count_is_unknown() -> None:
    assert run("working_days_after(start, years / 2)", Project(start=AS_OF, years=3)) == Unknown()


# -- derived facts --------------------------------------------------------------------------------


def derived_env() -> Env:
    env = ENV.with_derived("increase", compile_expression(
        "budget.current - budget.original", ENV, expect=Number))
    env = env.with_derived("big", compile_expression(
        "count(x in budget.adjustments: x.amount > 100)", env, expect=Number))
    return env.with_derived("ratio", compile_expression(
        "increase / budget.original", env, expect=Number))


def test_derived_facts() -> None:
    env = derived_env()
    ctx = EvalContext(SNAPSHOT, AS_OF)
    assert run("ratio > 10% and big == 1", env=env, ctx=ctx) is True
    assert ctx.cache == {"increase": Decimal(150), "ratio": Decimal("0.15"), "big": 1}


def test_derived_fact_unknown_keeps_its_missing_facts() -> None:
    assert run("ratio > 10%", Project(budget=Budget(original=Decimal(1))), env=derived_env()) \
        == missing("budget.current")


def test_derived_fact_with_quantifier_inside_a_quantifier() -> None:
    # `big` runs its own quantifier while the outer one is on item 1: it must not
    # overwrite the outer variable.
    text = "all(y in budget.adjustments: y.amount is unknown or y.amount > 0 and big >= 0)"
    assert run(text, env=derived_env()) is True
    text = "count(y in budget.adjustments: big == 1 and y.approved is known)"
    assert run(text, env=derived_env()) == 2


def test_derived_record() -> None:
    env = ENV.with_derived("plan", compile_expression("budget.plan", ENV, expect=None))
    assert run("plan.approved_on < as_of", env=env) is True
    assert run("plan.share > 0", Project(budget=Budget(plan=Plan())), env=env) \
        == missing("plan.share")
    assert run("plan.share > 0", Project(), env=env) == missing("budget.plan")


def test_derived_list_as_quantifier_source() -> None:
    env = ENV.with_derived("dates", compile_expression("[start, end]", ENV, expect=None))
    assert run("all(d in dates: d > date('2020-01-01'))", Project(start=AS_OF), env=env) \
        == missing("end")
    assert run("count(d in dates: d is known)", Project(start=AS_OF), env=env) == 1


# -- explain -------------------------------------------------------------------------------


def test_explain_lists_parts_in_evaluation_order() -> None:
    compiled = compile_expression("years * 2 > 5 and kind == 'om'", ENV)
    steps = explain(compiled, EvalContext(SNAPSHOT, AS_OF))
    assert steps == [("years", 3), ("years * 2", 6), ("years * 2 > 5", True), ("kind", "om"),
                     ("kind == 'om'", True), ("years * 2 > 5 and kind == 'om'", True)]


def test_explain_goes_into_quantifiers() -> None:
    compiled = compile_expression("any(x in budget.adjustments: x.amount > 100)", ENV)
    steps = explain(compiled, EvalContext(SNAPSHOT, AS_OF))
    assert steps[:4] == [("x.amount", Decimal(50)), ("x.amount > 100", False),
                         ("x.amount", Decimal(150)), ("x.amount > 100", True)]
    assert steps[-1] == ("any(x in budget.adjustments: x.amount > 100)", True)


def test_evaluation_does_not_touch_the_snapshot() -> None:
    before = SNAPSHOT.model_dump()
    for _, text, _ in VALUES:
        run(text)
    assert SNAPSHOT.model_dump() == before
