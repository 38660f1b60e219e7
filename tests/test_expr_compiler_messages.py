"""The compiler's and parser's remaining messages, places and shapes, pinned whole.

Each case names what a policy analyst sees for one mistake (code, message, hint,
column); the other tests pin what the compiler builds where it matters outside the value:
the nesting count after groups close, the fused reads left out when tracing, the order in
which ``explain`` lists parts, the deepest tree a hand-built caller can give, and the
parts compiled on their own for a backend. Built inside each test, so they run under
mutation.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from govrules.base.calendar import Calendar
from govrules.base.errors import ExpressionError
from govrules.base.location import Span
from govrules.lang import (
    Env,
    EvalContext,
    Unknown,
    _calls,
    _compiler,
    _lexer,
    _parser,
    compile_expression,
    explain,
    type_from_model,
)
from govrules.lang._compiler import compile_node
from govrules.lang._types import Object, String
from govrules.lang.syntax import BoolLit, Neg, Not, Path, compile_part, parse
from govrules.model.snapshot import Snapshot, parse_snapshot

CAL = Calendar.default()

CASES: dict[str, tuple[str, str, str | None, int]] = {
    "project.phase is 3": (
        "expr-syntax", "expected 'known' or 'unknown', found number 3",
        "write 'x is known' or 'x is unknown'", 18),
    "1 < 2 < 3": (
        "expr-syntax", "comparisons cannot be chained: unexpected '<'",
        "join them with 'and'", 7),
    "1 in [1] not in [2]": (
        "expr-syntax", "comparisons cannot be chained: unexpected 'not'",
        "join them with 'and'", 10),
    "1 < 2 not true": (
        "expr-syntax", "expected an operator or the end of the condition, found 'not'",
        None, 7),
    "1 < 2 3 in [3]": (
        "expr-syntax", "expected an operator or the end of the condition, found number 3",
        "join conditions with 'and' or 'or'", 7),
    "2 ** 3 > 1": (
        "expr-syntax", "there is no '**' operator", "write the multiplication out", 3),
    "known > 1": ("expr-syntax", "expected a value, found 'known'", "write 'x is known'", 1),
    "unknown": ("expr-syntax", "expected a value, found 'unknown'", "write 'x is unknown'", 1),
    "% > 1": ("expr-syntax", "expected a value, found '%'",
              "'%' can only follow a number, as in 10%", 1),
    ") > 1": ("expr-syntax", "expected a value, found ')'", None, 1),
    "": ("expr-syntax", "expected a condition, found the end of the condition", None, 1),
    "1 > 0 x": ("expr-syntax", "expected an operator or the end of the condition, found name 'x'",
                "join conditions with 'and' or 'or'", 7),
    "1 > 0 'a'": ("expr-syntax",
                  "expected an operator or the end of the condition, found text 'a'",
                  "join conditions with 'and' or 'or'", 7),
    "1 > 0 (1)": ("expr-syntax", "expected an operator or the end of the condition, found '('",
                  "join conditions with 'and' or 'or'", 7),
    "1 / 0 > 1": ("expr-bad-value", "'1 / 0' has no value",
                  "a division by zero, or a date out of range", 1),
    "add_days(as_of, 3 / 2) > as_of": (
        "expr-bad-value", "add_days() needs a whole number here, not 1.5", None, 17),
    "min(": ("expr-syntax", "expected a value, found the end of the condition", None, 5),
    "any(x in 1: true)": ("expr-syntax", "expected a name, found number 1", None, 10),
    "project. > 1": ("expr-syntax", "expected a field name after '.', found '>'", None, 10),
    "project.phase(1)": (
        "expr-syntax", "'project.phase' is not a function",
        "only the listed functions can be called, by name", 14),
    "not 1": ("expr-type", "'not' needs true/false, but '1' is a number", None, 5),
    "-true > 1": ("expr-type", "'-' needs a number, but 'true' is true/false", None, 2),
    "1 + true > 0": ("expr-type", "'+' needs numbers, but 'true' is true/false", None, 5),
    "1 + 2 - true > 0": ("expr-type", "'-' needs numbers, but 'true' is true/false", None, 9),
    "[1, 'a']": (
        "expr-type", "a list holds values of one type: \"'a'\" is text, not a number", None, 5),
    "'qq' in project.services": (
        "expr-bad-value", "'qq' is not a possible value of 'project.services'",
        "possible values: 'business_operation', 'infrastructure_service', "
        "'software_development', 'supporting_service'", 1),
}


def _env() -> Env:
    return Env(type_from_model(Snapshot))


def _problem(text: str, env: Env | None = None) -> tuple[str, str, str | None, int | None]:
    with pytest.raises(ExpressionError) as info:
        compile_expression(text, env or _env(), expect=None)
    (problem,) = info.value.diagnostics
    return (problem.code, problem.message, problem.hint,
            problem.span.col if problem.span else None)


@pytest.mark.parametrize(("text", "expected"), CASES.items(), ids=[t[:30] for t in CASES])
def test_each_mistake_is_said_whole(text: str,
                                    expected: tuple[str, str, str | None, int]) -> None:
    assert _problem(text) == expected


ZH_CASES = {
    "not 1": "'not' 需要真/假条件",
    "-true > 1": "'-' 需要数字",
    "project.classified or 1": "'or' 连接的是真/假条件",
    "project. > 1": "'.' 后面的字段名",
    "any(x list: true)": "any(x in list: ...)",
}


@pytest.mark.parametrize(("text", "said"), ZH_CASES.items(), ids=list(ZH_CASES))
def test_each_mistake_is_said_in_chinese(monkeypatch: pytest.MonkeyPatch, text: str,
                                         said: str) -> None:
    # the messages are translated when a mistake is found, not before
    monkeypatch.setenv("GOVRULES_LANG", "zh")
    _, message, _, _ = _problem(text)
    assert said in message


def test_a_condition_without_a_mistake_translates_nothing(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    # every token and operand of every pack is checked: the "expected ..." messages of
    # the parser and compiler are only translated for a mistake
    said: list[str] = []

    def counting(message: str) -> str:
        said.append(message)
        return message

    for module in (_calls, _compiler, _lexer, _parser):
        monkeypatch.setattr(module, "_", counting)
    compile_expression("not project.classified and any(a in budget.adjustments: "
                       "a.amount > -1) and [1, 2] != [3] and sum(a in "
                       "budget.adjustments: a.amount) >= 0", _env())
    assert said == []


def _choices(count: int) -> Env:
    values = frozenset(f"v{i:02d}" for i in range(count))
    return Env(Object("record", {"kind": String(choices=values)}))


@pytest.mark.parametrize(("count", "listed"), [
    (8, "'v00', 'v01', 'v02', 'v03', 'v04', 'v05', 'v06', 'v07'"),
    (9, "'v00', 'v01', 'v02', 'v03', 'v04', 'v05', 'v06', 'v07', ..."),
    (10, "'v00', 'v01', 'v02', 'v03', 'v04', 'v05', 'v06', 'v07', ..."),
])
def test_eight_choices_are_listed_then_an_ellipsis(count: int, listed: str) -> None:
    assert _problem("kind == 'zzzzzz'", _choices(count)) == (
        "expr-bad-value", "'zzzzzz' is not a possible value of 'kind'",
        f"possible values: {listed}", 9)


def test_a_list_of_facts_holds_any_text() -> None:
    """A list literal of a fact with choices takes the type of text, not of the fact."""
    snapshot = parse_snapshot({"project": {"phase": "planning"}})
    ctx = EvalContext(snapshot, date(2025, 1, 1), CAL)
    compiled = compile_expression("'zzz' in [project.phase]", _env())
    assert compiled.fn(ctx) is False
    assert compile_expression("project.phase in []", _env()).fn(ctx) is False


def test_a_syntax_error_is_placed_by_the_origin() -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression("1 <", _env(), origin=lambda offset: Span("pack.yaml", 7,
                                                                       offset + 10))
    (problem,) = info.value.diagnostics
    assert problem.span is not None
    assert (problem.span.file, problem.span.line, problem.span.col) == ("pack.yaml", 7, 13)


def test_a_group_closed_deep_inside_still_counts_its_outer_levels() -> None:
    """Two levels open, a third opened and closed, then 63 more: 65 levels at once."""
    text = "((" + "(1) + " + "(" * 63 + "1" + ")" * 63 + ")) > 0"
    assert _problem(text) == ("expr-too-complex", "the condition nests more than 64 levels",
                              "split it into derived facts", 71)
    compile_expression("((" + "(1) + " + "(" * 62 + "1" + ")" * 62 + ")) > 0", _env())


def test_nested_quantifiers_count_from_their_parenthesis() -> None:
    text = "any(x in security.emergency_drills: " * 65 + "true" + ")" * 65
    code, message, hint, col = _problem(text)
    assert (code, message, hint) == ("expr-too-complex",
                                     "the condition nests more than 64 levels",
                                     "split it into derived facts")
    assert col == 64 * len("any(x in security.emergency_drills: ") + 4


def test_negation_and_literals_span_their_text() -> None:
    neg = parse("-budget.original")
    assert isinstance(neg, Neg)
    assert (neg.start, neg.end) == (0, 16)
    logic = parse("a or b or cc ")
    assert (logic.start, logic.end) == (0, 12)
    negation = parse("not  a.b ")
    assert isinstance(negation, Not)
    assert (negation.start, negation.end) == (0, 8)
    true = parse("true  ")
    assert isinstance(true, BoolLit)
    assert (true.start, true.end) == (0, 4)


def test_a_tree_too_deep_for_the_compiler_is_a_problem_not_a_crash() -> None:
    """A hand-built tree (no parser, so no nesting limit) deeper than Python recurses."""
    node: Not | BoolLit = BoolLit(True, start=0, end=4)
    for _ in range(20_000):
        node = Not(node, start=0, end=4)
    with pytest.raises(ExpressionError) as info:
        compile_node(node, "true", _env())
    (problem,) = info.value.diagnostics
    assert (problem.code, problem.message, problem.span.col if problem.span else None) == (
        "expr-too-complex", "the condition is nested too deeply", 1)


def test_an_unknown_kind_of_node_is_a_bug_said_by_name() -> None:
    with pytest.raises(AssertionError, match="unknown node 'nonsense'"):
        compile_node("nonsense", "x", _env())  # type: ignore[arg-type]


def _ctx(**project: object) -> EvalContext:
    return EvalContext(parse_snapshot({"project": project, "budget": {"original": 5,
                                                                      "current": 7}}),
                       date(2025, 1, 1), CAL)


def test_explain_lists_the_operand_of_is_known_and_of_a_constant_comparison() -> None:
    env, ctx = _env(), _ctx(phase="planning")
    known = compile_expression("project.phase is known", env)
    assert explain(known, ctx) == [("project.phase", "planning"),
                                   ("project.phase is known", True)]
    compare = compile_expression("project.phase == 'planning'", env)
    assert explain(compare, ctx) == [("project.phase", "planning"),
                                     ("project.phase == 'planning'", True)]


def test_explain_lists_the_sides_of_a_comparison_left_first() -> None:
    compiled = compile_expression("budget.original < budget.current", _env())
    steps = explain(compiled, _ctx())
    assert [text for text, _ in steps] == ["budget.original", "budget.current",
                                           "budget.original < budget.current"]
    assert steps[-1][1] is True


def test_a_part_compiled_alone_in_a_quantifier_reads_the_item_from_the_frame() -> None:
    env = _env()
    node = parse("d > date('2024-06-01')")
    part = compile_part(node, "d > date('2024-06-01')", env,
                        within=("d", Path(("security", "emergency_drills"), start=0, end=0)))
    assert part.slots == 1
    snapshot = parse_snapshot({"security": {"emergency_drills": ["2024-07-01"]}})
    ctx = EvalContext(snapshot, date(2025, 1, 1), CAL)
    ctx.trace = []
    ctx.frame = [date(2024, 7, 1), 0]
    assert part.fn(ctx) is True
    assert ctx.trace == []  # compiled plain: nothing traced


def _numbers(**facts: object) -> EvalContext:
    return EvalContext(parse_snapshot(facts), date(2025, 1, 1), CAL)


def _value(text: str, ctx: EvalContext) -> object:
    return compile_expression(text, _env(), expect=None).fn(ctx)


def test_a_division_among_products_divides_whole_numbers_exactly() -> None:
    ctx = _numbers(project={"implementation_months": 10}, service={"term_months": 3})
    # days_between gives whole numbers (ints), where amounts are Decimals
    days = "days_between(date('2024-12-21'), as_of)"
    value = _value(f"{days} * {days} / days_between(date('2024-12-29'), as_of)", ctx)
    assert value == Decimal(121) / 3
    assert isinstance(value, Decimal)


def test_unknown_operands_are_all_named_and_kept_unknown() -> None:
    ctx = _numbers(project={"implementation_months": 10}, service={"term_months": 3})
    both = _value("budget.original / budget.current", ctx)
    assert isinstance(both, Unknown)
    assert both.missing == {"budget.original", "budget.current"}
    for text in ("project.implementation_months * budget.original / service.term_months",
                 "project.implementation_months * 4 / budget.original"):
        value = _value(text, ctx)
        assert isinstance(value, Unknown), text
        assert value.missing == {"budget.original"}, text


@pytest.mark.parametrize(("text", "expected"), [
    ("project.classified and project.emergency and project.foundational", True),
    ("project.classified or project.emergency or project.foundational", True),
])
def test_three_known_operands_join(text: str, expected: bool) -> None:
    every = _numbers(project={"classified": expected, "emergency": expected,
                              "foundational": expected})
    assert _value(text, every) is expected
    none = _numbers(project={"classified": not expected, "emergency": not expected,
                             "foundational": not expected})
    assert _value(text, none) is (not expected)
