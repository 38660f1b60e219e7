"""The condition language pinned where the mutation run (``make mutate MUTATE=expr``)
found it unpinned: places of diagnostics, texts of errors, what is kept and restored.

Every model and environment is built inside the tests, never when this module is
imported, so that mutants of the language's code are active while they are built.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import typing
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel

from govrules.base.calendar import Quarter
from govrules.base.errors import ExpressionError
from govrules.base.location import Span
from govrules.lang import (
    BUILTINS,
    Bool,
    Compiled,
    Date,
    Env,
    EvalContext,
    Node,
    Number,
    Type,
    Unknown,
    compile_expression,
    explain,
    free_names,
    function_names,
    is_fact_path,
    parse_expression,
    type_from_model,
)
from govrules.lang._functions import (
    _LIST,
    _ORDERED,
    FunctionTable,
    _lift,
    _lift_all,
    _max,
    _min,
    as_int,
)
from govrules.lang._lexer import MAX_TEXT, tokenize
from govrules.lang._nodes import children
from govrules.lang._problems import Problem, default_origin, raise_problems
from govrules.lang._runtime import in_list, summarise_missing
from govrules.lang._span import Span as ValueSpan
from govrules.lang._span import lower, upper
from govrules.lang._types import (
    ERROR,
    NOTHING,
    ListOf,
    Object,
    QuarterT,
    String,
    _model,
    is_report_list,
)

AS_OF = date(2025, 1, 1)


@pytest.fixture(autouse=True)
def _types_converted_afresh() -> None:
    """``type_from_model`` remembers each model's type; forget it, so that every test
    converts its models itself (and a changed conversion is seen under ``make mutate``)."""
    _model.cache_clear()


class _Model(BaseModel):
    count: int | None = None


def _env() -> Env:
    return Env(type_from_model(_Model))


# -- _env: derived facts -----------------------------------------------------------------------


def test_a_compiled_condition_is_callable() -> None:
    compiled = compile_expression("count + 1", _env(), expect=None)
    assert compiled(EvalContext(_Model(count=4), AS_OF)) == 5


def test_the_derived_facts_of_an_env_are_a_frozen_copy() -> None:
    env = _env()
    fact = env.with_derived("next", compile_expression("count + 1", env, expect=None))
    given = dict(fact.derived)
    built = Env(env.root, given)
    given.clear()
    assert isinstance(built.derived, MappingProxyType)
    assert list(built.derived) == ["next"]


@pytest.mark.parametrize("name", ["count", "as_of", "and", "2x"])
def test_a_bad_derived_fact_name_is_placed_where_it_is_defined(name: str) -> None:
    env = _env()
    compiled = compile_expression("count + 1", env, expect=None)
    span = Span("pack.yaml", 7, 3)
    with pytest.raises(ExpressionError) as err:
        env.with_derived(name, compiled, span=span)
    assert [d.span for d in err.value.diagnostics] == [span]


def test_a_derived_fact_defined_twice_is_placed_where_it_is_defined_again() -> None:
    env = _env()
    compiled = compile_expression("count + 1", env, expect=None)
    once = env.with_derived("next_count", compiled, span=Span("pack.yaml", 2, 1))
    again = Span("pack.yaml", 9, 5)
    with pytest.raises(ExpressionError) as err:
        once.with_derived("next_count", compiled, span=again)
    assert [(d.code, d.span) for d in err.value.diagnostics] == [("expr-name-clash", again)]


def test_a_derived_fact_keeps_its_name_and_the_env_its_functions() -> None:
    table = BUILTINS.replace()
    env = Env(type_from_model(_Model), functions=table)
    compiled = compile_expression("count + 1", env, expect=None)
    more = env.with_derived("next_count", compiled)
    assert more.functions is table
    fact = more.derived["next_count"]
    assert (fact.name, fact.type, fact.compiled) == ("next_count", Number, compiled)


# -- _explain ---------------------------------------------------------------------------------


def test_explaining_needs_the_environment_a_condition_was_compiled_with() -> None:
    bare = Compiled("1 + 1", Number, lambda ctx: 2, frozenset(), parse_expression("1 + 1"))
    with pytest.raises(ValueError, match=r"^this condition was compiled without an "
                                         r"environment$"):
        explain(bare, EvalContext(_Model(), AS_OF))


def test_explaining_restores_the_trace_of_the_context() -> None:
    compiled = compile_expression("count > 1", _env())
    ctx = EvalContext(_Model(count=2), AS_OF)
    outer: list[tuple[str, object]] = [("before", 1)]
    ctx.trace = outer
    steps = explain(compiled, ctx)
    assert steps == [("count", 2), ("count > 1", True)]
    assert ctx.trace is outer
    assert outer == [("before", 1)]


# -- _problems --------------------------------------------------------------------------------


def test_a_problem_reads_as_its_message_and_becomes_a_placed_diagnostic() -> None:
    problem = Problem("expr-syntax", "unexpected ')'", 4, hint="remove it")
    assert str(problem) == "unexpected ')'"
    assert problem.args == ("unexpected ')'",)
    with pytest.raises(ExpressionError) as err:
        raise_problems([problem], default_origin)
    (diagnostic,) = err.value.diagnostics
    assert (diagnostic.code, diagnostic.message, diagnostic.span, diagnostic.hint) == (
        "expr-syntax", "unexpected ')'", Span("<expr>", 1, 5), "remove it")
    raise_problems([], default_origin)  # nothing to raise


# -- _lexer: tokens, and the messages, places and hints of what it refuses ------------------


def _refused(text: str) -> tuple[str, str, int, str | None]:
    with pytest.raises(Problem) as err:
        tokenize(text)
    return err.value.code, err.value.message, err.value.offset, err.value.hint


@pytest.mark.parametrize(("text", "want"), [
    ("x" * (MAX_TEXT + 1), ("expr-too-complex", "the condition is longer than 4000 characters",
                            4000, "split it into derived facts")),
    ("a = 1", ("expr-syntax", "unexpected '='", 2, "use '==' to compare")),
    ("1" * 31, ("expr-too-complex", "number has more than 30 digits", 0, None)),
    ("x > 12ab", ("expr-syntax", "invalid number '12a'", 4,
                  "write numbers as 1000000 or 1_000_000 or 0.5")),
    ("x > 12_", ("expr-syntax", "invalid number '12_'", 4,
                 "write numbers as 1000000 or 1_000_000 or 0.5")),
    (r"n == 'a\nb'", ("expr-syntax", "unknown escape in text", 7,
                      "only \\\\, \\' and \\\" are escapes")),
    ("n == 'open", ("expr-syntax", "text is not closed", 5, "end it with '")),
    ('n == "open\n"', ("expr-syntax", "text is not closed", 5, 'end it with "')),
    ("f\uff08x)", ("expr-syntax", "unexpected character '\uff08'", 1,
                   "full-width character: did you mean the ASCII '('?")),
    ("a\u3000b", ("expr-syntax", "unexpected character '\\u3000'", 1,
                  "full-width space: use an ordinary space")),
    ("\u201cx\u201d", ("expr-syntax", "unexpected character '\u201c'", 0,
                       "use straight quotes ' or \"")),
    ("\u2019", ("expr-syntax", "unexpected character '\u2019'", 0,
                "use straight quotes ' or \"")),
    ("a\u3001b", ("expr-syntax", "unexpected character '\u3001'", 1, "use a comma ','")),
    ("预算 > 1", ("expr-syntax", "unexpected character '预'", 0,
                 "names are ASCII letters, digits and '_'; put other text in quotes")),
    ("a $ b", ("expr-syntax", "unexpected character '$'", 2, None)),
    ("a\uff5eb", ("expr-syntax", "unexpected character '\uff5e'", 1,
                  "full-width character: did you mean the ASCII '~'?")),
    ("a\uff00b", ("expr-syntax", "unexpected character '\\uff00'", 1, None)),
    ("\uff01", ("expr-syntax", "unexpected character '\uff01'", 0,
                "full-width character: did you mean the ASCII '!'?")),
    ("\uff02", ("expr-syntax", "unexpected character '\uff02'", 0,
                "full-width character: did you mean the ASCII '\"'?")),
    ("a\uff5fb", ("expr-syntax", "unexpected character '\uff5f'", 1, None)),
])
def test_the_lexer_refuses_with_message_place_and_hint(
        text: str, want: tuple[str, str, int, str | None]) -> None:
    assert _refused(text) == want


def test_the_longest_condition_and_number_are_accepted() -> None:
    assert tokenize("x" * MAX_TEXT)[0].end == MAX_TEXT
    (number, end) = tokenize("9" * 30)
    assert (number.kind, number.value, end.start) == ("number", Decimal("9" * 30), 30)


def test_tokens_keep_kind_text_place_and_value() -> None:
    text = "a_1 and\tb2 >= 1_000.5 # a comment\n or 'it\\'s' != \"q\" (x[0]):"
    got = [(t.kind, t.text, t.start, t.end, t.value) for t in tokenize(text)]
    assert got == [
        ("name", "a_1", 0, 3, None), ("and", "and", 4, 7, None), ("name", "b2", 8, 10, None),
        (">=", ">=", 11, 13, None), ("number", "1_000.5", 14, 21, Decimal("1000.5")),
        ("or", "or", 35, 37, None), ("string", "'it\\'s'", 38, 45, "it's"),
        ("!=", "!=", 46, 48, None), ("string", '"q"', 49, 52, "q"), ("(", "(", 53, 54, None),
        ("name", "x", 54, 55, None), ("[", "[", 55, 56, None),
        ("number", "0", 56, 57, Decimal(0)), ("]", "]", 57, 58, None),
        (")", ")", 58, 59, None), (":", ":", 59, 60, None), ("end", "", 60, 60, None),
    ]
    assert [t.kind for t in tokenize("9 < 0 <= 5 > 1 == 2 + 3 - 4 * 6 / 7 % , .")] == [
        "number", "<", "number", "<=", "number", ">", "number", "==", "number", "+",
        "number", "-", "number", "*", "number", "/", "number", "%", ",", ".", "end"]
    assert [t.kind for t in tokenize("not in is known unknown true false _x")] == [
        "not", "in", "is", "known", "unknown", "true", "false", "name", "end"]
    assert [(t.kind, t.start) for t in tokenize("a # the rest is a comment")] == [
        ("name", 0), ("end", 25)]
    assert [(t.kind, t.start) for t in tokenize("#\na")] == [("name", 2), ("end", 3)]
    assert [(t.text, t.start) for t in tokenize("a # to the first line end\nb\nc")] == [
        ("a", 0), ("b", 26), ("c", 28), ("", 29)]
    assert [(t.text, t.start) for t in tokenize("a\n# c\nb")] == [("a", 0), ("b", 6), ("", 7)]
    assert [(t.kind, t.start, t.end) for t in tokenize("a>=b")] == [
        ("name", 0, 1), (">=", 1, 3), ("name", 3, 4), ("end", 4, 4)]
    assert [(t.kind, t.value) for t in tokenize(r"'\\' '\"'")][:2] == [
        ("string", "\\"), ("string", '"')]


@pytest.mark.parametrize(("text", "shown"), [
    ("", "the end of the condition"),
    ("12.5", "number 12.5"),
    ("1" + "0" * 29, "number " + "1" + "0" * 29),
    ("'x'", "text 'x'"),
    ("'" + "y" * 28 + "'", "text '" + "y" * 28 + "'"),
    ("'" + "y" * 29 + "'", "text '" + "y" * 26 + "..."),
    ("budget", "name 'budget'"),
    ("b" * 31, "name '" + "b" * 27 + "...'"),
    ("==", "'=='"),
    ("and", "'and'"),
])
def test_a_token_is_named_in_messages(text: str, shown: str) -> None:
    assert tokenize(text)[0].describe() == shown


# -- _span: values known only between two ends ------------------------------------------------


def _ask(value: object) -> object:
    """True, False, or the facts of an Unknown."""
    return sorted(value.missing) if isinstance(value, Unknown) else value


def test_a_month_span_is_every_day_of_the_month_and_reads_as_the_month() -> None:
    may = ValueSpan.month(2023, 5, frozenset({"a"}))
    assert (may.lo, may.hi, may.missing) == (date(2023, 5, 1), date(2023, 5, 31), {"a"})
    dec = ValueSpan.month(2023, 12)
    assert (dec.lo, dec.hi, dec.missing) == (date(2023, 12, 1), date(2023, 12, 31), frozenset())
    assert (ValueSpan.month(2024, 2).hi, ValueSpan.month(2023, 11).hi) == (date(2024, 2, 29),
                                                                 date(2023, 11, 30))
    assert (str(may), str(dec), repr(may)) == (
        "2023-05", "2023-12", "Span(datetime.date(2023, 5, 1), datetime.date(2023, 5, 31))")
    assert str(ValueSpan.month(987, 1)) == "0987-01"


@pytest.mark.parametrize(("lo", "hi", "month"), [
    (date(2023, 5, 1), date(2023, 5, 31), True),
    (date(2023, 12, 1), date(2023, 12, 31), True),
    (date(2023, 5, 2), date(2023, 5, 31), False),
    (date(2023, 5, 1), date(2023, 5, 30), False),
    (date(2023, 5, 1), date(2023, 6, 30), False),
    (date(2023, 5, 1), date(2024, 5, 31), False),
    (date(2023, 12, 1), date(2023, 12, 30), False),
    (1, 31, False),
])
def test_only_a_whole_calendar_month_reads_as_a_month(lo: object, hi: object,
                                                      month: bool) -> None:
    span = ValueSpan(lo, hi)
    assert span.is_month() is month
    assert str(span) == (f"{lo:%Y-%m}" if month else f"{lo}..{hi}")


def test_a_span_is_never_empty_and_its_ends_meeting_is_the_value() -> None:
    with pytest.raises(ValueError, match=r"^an empty span: 3 \.\. 2$"):
        ValueSpan(3, 2)
    point = ValueSpan(2, 2, frozenset({"a"}))
    assert (point.lo, point.hi, point.missing) == (2, 2, {"a"})
    assert ValueSpan.of(4, 4, frozenset({"a"})) == 4
    wide = ValueSpan.of(1, 4, frozenset({"a"}))
    assert (wide.__class__, wide.lo, wide.hi, wide.missing) == (ValueSpan, 1, 4, {"a"})
    assert bool(ValueSpan(0, 0)) is True
    assert hash(ValueSpan(1, 2)) == hash((ValueSpan, 1, 2))
    assert (lower(wide), upper(wide), lower(7), upper(7)) == (1, 4, 7, 7)


@pytest.mark.parametrize(("other", "want"), [
    # span 1..4 against other: <, <=, >, >=, ==, != (a list: unknown, naming the facts)
    (0, [False, False, True, True, False, True]),
    (1, [False, ["a"], ["a"], True, ["a"], ["a"]]),
    (2, [["a"], ["a"], ["a"], ["a"], ["a"], ["a"]]),
    (4, [["a"], True, False, ["a"], ["a"], ["a"]]),
    (5, [True, True, False, False, False, True]),
])
def test_a_span_compares_true_or_false_only_for_every_value(other: int,
                                                            want: list[object]) -> None:
    span = ValueSpan(1, 4, frozenset({"a"}))
    assert [_ask(span < other), _ask(span <= other), _ask(span > other),
            _ask(span >= other), _ask(span == other), _ask(span != other)] == want


def test_two_spans_compare_as_every_pair_and_merge_their_facts() -> None:
    a, b = ValueSpan(1, 4, frozenset({"a"})), ValueSpan(4, 9, frozenset({"b"}))
    assert [_ask(a < b), _ask(a <= b), _ask(b > a), _ask(b >= a), _ask(a == b)] == [
        ["a", "b"], True, ["a", "b"], True, ["a", "b"]]
    assert (ValueSpan(5, 9) > ValueSpan(1, 4), ValueSpan(1, 4) >= ValueSpan(5, 9)) == (True, False)
    assert a == ValueSpan(1, 4, frozenset({"a"}))
    assert (a != ValueSpan(1, 4, frozenset({"a"}))) is False
    assert _ask(a == ValueSpan(1, 4, frozenset({"c"}))) == ["a", "c"]
    assert a.__eq__(Unknown()) is NotImplemented
    assert a.__ne__(Unknown()) is NotImplemented


def test_span_arithmetic_gives_the_span_of_every_result() -> None:
    a = ValueSpan(1, 3, frozenset({"a"}))
    b = ValueSpan(-2, 5, frozenset({"b"}))

    def ends(value: object) -> object:
        assert isinstance(value, ValueSpan)
        return value.lo, value.hi, sorted(value.missing)

    assert ends(a + 10) == (11, 13, ["a"])
    assert ends(10 + a) == (11, 13, ["a"])
    assert ends(a + b) == (-1, 8, ["a", "b"])
    assert ends(a - 10) == (-9, -7, ["a"])
    assert ends(10 - a) == (7, 9, ["a"])
    assert ends(a - b) == (-4, 5, ["a", "b"])
    assert ends(a * -2) == (-6, -2, ["a"])
    assert ends(-2 * a) == (-6, -2, ["a"])
    assert ends(a * b) == (-6, 15, ["a", "b"])
    assert ends(a / 2) == (0.5, 1.5, ["a"])
    assert ends(6 / a) == (2, 6, ["a"])
    assert ends(a / ValueSpan(1, 2)) == (0.5, 3, ["a"])
    assert _ask(a / b) == ["a", "b"]
    assert _ask(a / ValueSpan(0, 2)) == ["a"]
    assert _ask(a / ValueSpan(-2, 0)) == ["a"]
    assert _ask(6 / b) == ["b"]
    assert _ask(6 / ValueSpan(0, 1, frozenset({"c"}))) == ["c"]
    assert _ask(6 / ValueSpan(-1, 0, frozenset({"c"}))) == ["c"]
    assert ends(-a) == (-3, -1, ["a"])
    assert ends(abs(a)) == (1, 3, ["a"])
    assert ends(abs(ValueSpan(0, 3))) == (0, 3, [])
    assert ends(abs(ValueSpan(-3, -1, frozenset({"a"})))) == (1, 3, ["a"])
    assert ends(abs(ValueSpan(-3, 0))) == (0, 3, [])
    assert ends(abs(b)) == (0, 5, ["b"])
    assert ends(abs(ValueSpan(-7, 5))) == (0, 7, [])
    assert str(abs(ValueSpan(-7, 5))) == "0..7"
    assert ends(abs(ValueSpan(Decimal("0.5"), 3))) == (Decimal("0.5"), 3, [])
    half = abs(ValueSpan(Decimal("-1.5"), Decimal("0.5")))
    assert (half.lo.__class__, half.lo, half.hi) == (Decimal, 0, Decimal("1.5"))
    assert a - 1 + 1 == ValueSpan(1, 3, frozenset({"a"}))
    assert ValueSpan(2, 3) - ValueSpan(2, 3) == ValueSpan(-1, 1)
    assert a * 0 == 0


# -- _nodes: the children of each node, and the names a condition uses --------------------


def _texts(text: str, node: Node) -> list[str]:
    return [text[child.start:child.end] for child in children(node)]


@pytest.mark.parametrize(("text", "want"), [
    ("not a", ["a"]),
    ("-a", ["a"]),
    ("a and b and c", ["a", "b", "c"]),
    ("a or b", ["a", "b"]),
    ("a + b * c - d", ["a", "b * c", "d"]),
    ("a <= b", ["a", "b"]),
    ("a not in [b, 'c']", ["a", "[b, 'c']"]),
    ("a is unknown", ["a"]),
    ("a is known", ["a"]),
    ("max(a, b)", ["a", "b"]),
    ("[a, 1, 'x']", ["a", "1", "'x'"]),
    ("any(x in items: x.ok)", ["items", "x.ok"]),
    ("a.b", []),
    ("1", []),
    ("'s'", []),
    ("true", []),
])
def test_the_children_of_a_node_in_order(text: str, want: list[str]) -> None:
    assert _texts(text, parse_expression(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    ("a.b.c > 1", {"a"}),
    ("not a and -b < c + d * e", {"a", "b", "c", "d", "e"}),
    ("f(a, [b, c]) in [d] or e is known", {"a", "b", "c", "d", "e"}),
    ("any(x in xs: x.ok and y)", {"xs", "y"}),
    ("all(x in x: x > 1)", {"x"}),  # the source is outside the variable's scope
    ("count(x in xs: any(y in x.ys: y > x.z and w)) > v", {"xs", "w", "v"}),
    ("sum(x in xs: x.n) > x", {"xs", "x"}),
    ("1 + 2 == 3", set()),
])
def test_the_free_names_of_a_condition(text: str, want: set[str]) -> None:
    assert free_names(parse_expression(text)) == want


# -- _names: resolving names, the facts a condition reads, and names that are no fact -----


class _Item(BaseModel):
    amount: Decimal | None = None
    tags: list[str] | None = None


class _Budget(BaseModel):
    original: int | None = None
    items: list[_Item] | None = None


class _Project(BaseModel):
    count: int | None = None
    day: date | None = None
    budget: _Budget | None = None
    name: str | None = None


def _project_env() -> Env:
    return Env(type_from_model(_Project))


@pytest.mark.parametrize(("text", "message", "col", "hint"), [
    ("as_of.year > 1", "no fact 'as_of.year': as_of is a date and has no fields", 1,
     "did you mean 'as_of'?"),
    ("budgt.original > 1", "no fact 'budgt.original'", 1, "did you mean 'budget.original'?"),
    ("budget.orignal > 1", "no fact 'budget.orignal'", 1, "did you mean 'budget.original'?"),
    ("1 < null", "no fact 'null'", 5, "to test for a missing fact, write 'x is unknown'"),
    ("None == 1", "no fact 'None'", 1, "to test for a missing fact, write 'x is unknown'"),
    ("today > day", "no fact 'today'", 1, "use as_of, the evaluation date"),
    ("NOW > day", "no fact 'NOW'", 1, "use as_of, the evaluation date"),
    ("budget.items.amount > 1", "no fact 'budget.items.amount': 'budget.items' is a list", 1,
     "go through its items, e.g. any(x in budget.items: x.amount ...)"),
    ("count.x > 1", "no fact 'count.x': 'count' is a number and has no fields", 1,
     "did you mean 'count'?"),
    ("name.first == 'a'", "no fact 'name.first': 'name' is text and has no fields", 1, None),
    ("any(i in budget.items: i.amont > 1)", "no fact 'i.amont'", 24,
     "did you mean 'i.amount'?"),
    ("any(i in budget.items: i.amount.x > 1)",
     "no fact 'i.amount.x': 'i.amount' is a number and has no fields", 24,
     "did you mean 'i.amount'?"),
    ("any(i in budget.items: i.tags.x == 'a')",
     "no fact 'i.tags.x': 'i.tags' is a list", 24,
     "go through its items, e.g. any(x in i.tags: x.x ...)"),
])
def test_a_name_that_is_no_fact_is_explained(text: str, message: str, col: int,
                                             hint: str | None) -> None:
    with pytest.raises(ExpressionError) as err:
        compile_expression(text, _project_env(), expect=None)
    (diagnostic,) = err.value.diagnostics
    assert diagnostic.span is not None
    assert (diagnostic.code, diagnostic.message, diagnostic.span.col, diagnostic.hint) == (
        "expr-unknown-fact", message, col, hint)


def test_a_condition_reads_the_facts_of_the_derived_facts_it_uses() -> None:
    env = _project_env()
    env = env.with_derived("orig", compile_expression("budget.original * 2", env, expect=None))
    env = env.with_derived("more", compile_expression("orig + count", env, expect=None))
    env = env.with_derived("b", compile_expression("budget", env, expect=None))
    more = compile_expression("more > 3", env)
    assert (more.facts, more.uses, more.slots) == (
        {"budget.original", "count"}, {"more", "orig"}, 0)
    ctx = EvalContext(_Project(count=1, budget=_Budget(original=2)), AS_OF)
    assert more.fn(ctx) is True
    assert more.fn(EvalContext(_Project(count=1), AS_OF)) == Unknown(
        frozenset({"budget.original"}))
    field = compile_expression("b.original > 1", env)
    assert (field.facts, field.uses) == ({"budget"}, {"b"})
    assert field.fn(ctx) is True
    assert field.fn(EvalContext(_Project(budget=_Budget()), AS_OF)) == Unknown(
        frozenset({"b.original"}))
    assert field.fn(EvalContext(_Project(), AS_OF)) == Unknown(frozenset({"budget"}))
    inside = compile_expression("any(i in budget.items: i.amount > orig)", env)
    assert (inside.facts, inside.uses, inside.slots) == (
        {"budget.items", "budget.items.amount", "budget.original"}, {"orig"}, 1)


def test_the_items_of_lists_are_read_and_named_by_index() -> None:
    env = _project_env()
    nested = compile_expression("sum(i in budget.items: count(t in i.tags: t == 'x')) > 0", env)
    assert (nested.facts, nested.slots) == ({"budget.items", "budget.items.tags"}, 2)
    items = [_Item(amount=Decimal(5), tags=["x"]), _Item()]
    ctx = EvalContext(_Project(budget=_Budget(items=items)), AS_OF)
    assert nested.fn(ctx) == Unknown(frozenset({"budget.items[1].tags"}))
    amount = compile_expression("all(i in budget.items: i.amount > 1)", env)
    assert amount.fn(ctx) == Unknown(frozenset({"budget.items[1].amount"}))
    assert amount.fn(EvalContext(_Project(), AS_OF)) == Unknown(frozenset({"budget.items"}))
    whole = compile_expression("count(i in budget.items: i is known) == 2", env)
    assert whole.fn(ctx) is True


@pytest.mark.parametrize(("text", "expect", "want"), [
    ("budget.original", None, True),
    (" budget.original ", Number, True),
    ("budget.original", Date, False),
    ("day", Date, True),
    ("budget", None, True),
    ("budget.items.amount", None, False),
    ("budget..original", None, False),
    ("budget.original + 1", None, False),
    ("as_of", None, False),
    ("count.x", None, False),
    ("nothing", None, False),
])
def test_what_is_a_fact_path(text: str, expect: Type | None, want: bool) -> None:
    assert is_fact_path(text, _project_env(), expect) is want


def test_a_quoted_operand_of_forty_one_characters_is_cut() -> None:
    operand = "count + count + count + count + 123456789"
    assert len(operand) == 41
    with pytest.raises(ExpressionError) as err:
        compile_expression(f"count > 1 and ({operand})", _project_env())
    assert err.value.diagnostics[0].message == (
        "'and' joins true/false conditions, but 'count + count + count + count + 12345...' "
        "is a number")


def test_the_keywords_true_and_false_are_suggested_for_a_misspelling() -> None:
    for text, hint in (("flase", "did you mean 'false'?"), ("ture", "did you mean 'true'?")):
        with pytest.raises(ExpressionError) as err:
            compile_expression(f"count > 1 and {text}", _project_env())
        assert [d.hint for d in err.value.diagnostics] == [hint]


def test_a_list_in_the_middle_of_a_longer_path_is_explained() -> None:
    env = Env(type_from_model(_Project))
    env = env.with_derived("b", compile_expression("budget", env, expect=None))
    with pytest.raises(ExpressionError) as err:
        compile_expression("budget.items.amount.x > 1", env)
    (diagnostic,) = err.value.diagnostics
    assert (diagnostic.message, diagnostic.hint) == (
        "no fact 'budget.items.amount.x': 'budget.items' is a list",
        "go through its items, e.g. any(x in budget.items: x.amount.x ...)")


# -- _runtime: the summary of missing facts, membership of a value known to the month -----


def test_ten_items_of_a_list_are_still_named_one_by_one() -> None:
    ten = [f"a[{i}].x" for i in range(10)]
    assert summarise_missing([*ten, "b"]) == sorted([*ten, "b"])
    assert summarise_missing([*ten, "a[10].x"]) == ["a[].x"]


def test_a_month_may_or_may_not_be_a_listed_day() -> None:
    may = ValueSpan.month(2023, 5, frozenset({"signed"}))
    assert in_list(may, [date(2023, 5, 3)], False) == Unknown(frozenset({"signed"}))
    assert in_list(may, [date(2023, 5, 3)], True) == Unknown(frozenset({"signed"}))
    assert in_list(may, [date(2023, 6, 3)], False) is False
    assert in_list(may, [date(2023, 6, 3), None], True) == Unknown()


class _Sub(BaseModel):
    v: int | None = None


class _Line(BaseModel):
    amount: Decimal | None = None
    sub: _Sub | None = None


class _Lines(BaseModel):
    lines: list[_Line] | None = None


def test_fields_two_deep_in_list_items_are_named_with_the_item() -> None:
    env = Env(type_from_model(_Lines))
    deep = compile_expression("any(l in lines: l.sub.v > 1)", env)
    assert deep.facts == {"lines", "lines.sub.v"}
    snapshot = _Lines(lines=[_Line(sub=_Sub(v=0)), _Line(sub=_Sub())])
    assert deep.fn(EvalContext(snapshot, AS_OF)) == Unknown(frozenset({"lines[1].sub.v"}))


def test_the_items_of_a_derived_list_are_named_by_the_derived_fact() -> None:
    env = Env(type_from_model(_Lines))
    env = env.with_derived("its", compile_expression("lines", env, expect=None))
    one = compile_expression("any(l in its: l.amount > 1)", env)
    assert (one.facts, one.uses) == ({"lines"}, {"its"})
    snapshot = _Lines(lines=[_Line(amount=Decimal(0)), _Line(sub=_Sub())])
    assert one.fn(EvalContext(snapshot, AS_OF)) == Unknown(frozenset({"its[1].amount"}))
    two = compile_expression("any(l in its: l.sub.v > 1)", env)
    assert two.fn(EvalContext(snapshot, AS_OF)) == Unknown(
        frozenset({"its[0].sub.v", "its[1].sub.v"}))


# -- _types: descriptions, compatibility, the conversion of models ----------------------------


def test_each_type_describes_itself() -> None:
    root = type_from_model(_Project)
    budget = root.fields["budget"]
    assert isinstance(budget, Object)
    items = budget.fields["items"]
    assert [(t.describe(), t.a, str(t)) for t in (QuarterT, items, ListOf(NOTHING), budget,
                                                   ListOf(Number), ListOf(String()))] == [
        ("quarter", "a quarter", "quarter"),
        ("list of _Item record", "a list of _Item record", "list of _Item record"),
        ("empty list", "an empty list", "empty list"),
        ("_Budget record", "a _Budget record", "_Budget record"),
        ("list of number", "a list of number", "list of number"),
        ("list of text", "a list of text", "list of text"),
    ]


def test_records_are_compatible_by_name_and_the_wildcards_with_everything() -> None:
    budget = type_from_model(_Budget)
    again = type_from_model(_Project).fields["budget"]
    assert budget is not again
    assert budget.compatible(again) is True
    assert budget.compatible(type_from_model(_Item)) is False
    assert budget.compatible(Number) is False
    assert budget.compatible(NOTHING) is True
    assert NOTHING.compatible(Number) is True
    assert NOTHING.compatible(budget) is True
    assert ListOf(NOTHING).compatible(ListOf(Number)) is True
    assert ListOf(Number).compatible(NOTHING) is True
    assert ListOf(Number).compatible(Number) is False


class _Report(BaseModel):
    period: Quarter | None = None
    submitted_on: date | None = None


class _NoPeriod(BaseModel):
    submitted_on: date | None = None


class _NoDate(BaseModel):
    period: Quarter | None = None


class _Reports(BaseModel):
    good: list[_Report] | None = None
    no_period: list[_NoPeriod] | None = None
    no_date: list[_NoDate] | None = None
    one: _Report | None = None


def test_a_report_list_has_a_quarter_and_a_date() -> None:
    fields = type_from_model(_Reports).fields
    assert [is_report_list(fields[name]) for name in ("good", "no_period", "no_date", "one")] == [
        True, False, False, False]


class _Labelled(BaseModel):
    # pydantic keeps the metadata of a field's own Annotated apart: only an inner one is seen
    pairs: list[Annotated[tuple[int, int, int], "three"]] | None = None


class _BadList(BaseModel):
    rows: list[dict[str, int]] | None = None


class _Bare(BaseModel):
    rows: typing.List | None = None  # type: ignore[type-arg]  # noqa: UP006 - no item type


class _StrEnum(enum.StrEnum):
    A = "a"
    B = "b"


class _Choices(BaseModel):
    kind: Literal["x", "y"] | None = None
    colour: _StrEnum | None = None


def test_models_inside_annotations_and_lists_are_converted() -> None:
    with pytest.raises(TypeError, match=r"^_Labelled\.pairs\[\]: only tuple\[X, \.\.\.\] can be "
                                        r"used in conditions$"):
        type_from_model(_Labelled)
    with pytest.raises(TypeError, match=r"^_BadList\.rows\[\]: type dict\[str, int\] cannot "
                                        r"be used in conditions$"):
        type_from_model(_BadList)
    with pytest.raises(TypeError, match=r"^_Bare\.rows: a list needs an item type$"):
        type_from_model(_Bare)
    choices = type_from_model(_Choices).fields
    assert choices["kind"] == String(frozenset({"x", "y"}))
    assert choices["colour"] == String(frozenset({"a", "b"}))


class _WithLine(BaseModel):
    lines: list[Annotated[_Line, "a line"]] | None = None


class _PlainEnum(enum.Enum):
    A = "a"


class _PlainEnumField(BaseModel):
    x: _PlainEnum | None = None


def test_a_record_inside_an_annotation_is_a_record() -> None:
    lines = type_from_model(_WithLine).fields["lines"]
    assert isinstance(lines, ListOf)
    line = lines.item
    assert isinstance(line, Object)
    assert (line.name, list(line.fields)) == ("_Line", ["amount", "sub"])


# -- _reads: items of nested lists, holes in lists, derived records, memoised derived facts --


class _Group(BaseModel):
    rows: list[_Line] | None = None


class _Groups(BaseModel):
    groups: list[_Group] | None = None
    holes: list[_Line | None] | None = None


def test_an_inner_quantifier_reads_its_own_item() -> None:
    env = Env(type_from_model(_Groups))
    inner = compile_expression("any(g in groups: any(r in g.rows: r.amount > 1))", env)
    assert inner.slots == 2
    rows = [_Line(amount=Decimal(0)), _Line(amount=Decimal(5))]
    assert inner.fn(EvalContext(_Groups(groups=[_Group(rows=rows)]), AS_OF)) is True
    gaps = _Groups(groups=[_Group(rows=[_Line(amount=Decimal(0)), _Line()])])
    assert inner.fn(EvalContext(gaps, AS_OF)) == Unknown(
        frozenset({"groups[0].rows[1].amount"}))


def test_a_hole_in_a_list_has_no_known_field() -> None:
    env = Env(type_from_model(_Groups))
    known = compile_expression("count(h in holes: h.amount is known)", env, expect=None)
    unknown = compile_expression("count(h in holes: h.amount is unknown)", env, expect=None)
    snapshot = _Groups(holes=[None, _Line(amount=Decimal(1)), _Line()])
    assert known.fn(EvalContext(snapshot, AS_OF)) == 1
    assert unknown.fn(EvalContext(snapshot, AS_OF)) == 2


class _Rate(BaseModel):
    ratio: float | None = None


class _Rated(BaseModel):
    rate: _Rate | None = None


def test_a_float_field_of_a_derived_record_is_read_as_a_decimal() -> None:
    env = Env(type_from_model(_Rated))
    env = env.with_derived("r", compile_expression("rate", env, expect=None))
    ratio = compile_expression("r.ratio", env, expect=None)
    assert ratio.fn(EvalContext(_Rated(rate=_Rate(ratio=0.1)), AS_OF)) == Decimal("0.1")
    assert ratio.fn(EvalContext(_Rated(rate=_Rate(ratio=float("inf"))), AS_OF)) == Unknown(
        frozenset({"r.ratio"}))


def test_a_derived_fact_is_computed_once_per_snapshot() -> None:
    env = _project_env()
    plain = compile_expression("count + 1", env, expect=None)
    calls: list[object] = []

    def counted(ctx: EvalContext) -> object:
        calls.append(ctx.root)
        return plain.fn(ctx)

    env = env.with_derived("next", dataclasses.replace(plain, fn=counted))
    both = compile_expression("next > 1 and next < 10", env)
    ctx = EvalContext(_Project(count=3), AS_OF)
    assert both.fn(ctx) is True
    assert both.fn(ctx) is True
    assert (len(calls), ctx.cache) == (1, {"next": 4})


class _Mid(BaseModel):
    sub: _Sub | None = None


class _RateLine(BaseModel):
    rate: _Rate | None = None


class _Deep(BaseModel):
    top: _Mid | None = None
    rates: list[_Rate] | None = None
    lines: list[_RateLine] | None = None


@pytest.mark.parametrize(("snapshot", "want"), [
    (_Deep(top=_Mid(sub=_Sub(v=5))), True),
    (_Deep(top=_Mid(sub=_Sub(v=1))), False),
    (_Deep(top=_Mid(sub=_Sub())), Unknown(frozenset({"top.sub.v"}))),
    (_Deep(top=_Mid()), Unknown(frozenset({"top.sub.v"}))),
    (_Deep(), Unknown(frozenset({"top.sub.v"}))),
])
def test_a_fact_three_deep_is_compared_with_a_constant(snapshot: _Deep, want: object) -> None:
    compiled = compile_expression("top.sub.v > 2", Env(type_from_model(_Deep)))
    assert compiled.fn(EvalContext(snapshot, AS_OF)) == want


def test_float_fields_of_list_items_are_read_as_decimals() -> None:
    env = Env(type_from_model(_Deep))
    one = compile_expression("sum(r in rates: r.ratio)", env, expect=None)
    two = compile_expression("sum(x in lines: x.rate.ratio)", env, expect=None)
    rates = [_Rate(ratio=0.1), _Rate(ratio=0.2)]
    snapshot = _Deep(rates=rates, lines=[_RateLine(rate=r) for r in rates])
    assert one.fn(EvalContext(snapshot, AS_OF)) == Decimal("0.3")
    assert two.fn(EvalContext(snapshot, AS_OF)) == Decimal("0.3")
    rates = [_Rate(ratio=0.1), _Rate(ratio=float("nan"))]
    snapshot = _Deep(rates=rates, lines=[_RateLine(rate=r) for r in rates])
    assert one.fn(EvalContext(snapshot, AS_OF)) == Unknown()
    assert two.fn(EvalContext(snapshot, AS_OF)) == Unknown()

    with pytest.raises(TypeError, match=r"^_PlainEnumField\.x: only str enums can be used in "
                                        r"conditions$"):
        type_from_model(_PlainEnumField)


def test_true_false_and_the_plain_types_meet_the_wildcards() -> None:
    assert (Bool.describe(), Bool.a, str(Bool)) == ("true/false", "true/false", "true/false")
    assert [t.compatible(NOTHING) for t in (Bool, Number, Date, QuarterT, String())] == [
        True] * 5
    assert [t.compatible(ERROR) for t in (Bool, Number, Date, QuarterT, String())] == [True] * 5
    assert Number.compatible(Bool) is False
    assert String(frozenset({"a"})).compatible(String()) is True


class _Floaty(BaseModel):
    ratio: float | None = None
    rate: _Rate | None = None
    mid: _RateLine | None = None


@pytest.mark.parametrize("path", ["ratio", "rate.ratio", "mid.rate.ratio"])
def test_a_float_fact_is_read_as_a_decimal_at_any_depth(path: str) -> None:
    compiled = compile_expression(path, Env(type_from_model(_Floaty)), expect=None)

    def snapshot(value: float) -> _Floaty:
        return _Floaty(ratio=value, rate=_Rate(ratio=value), mid=_RateLine(rate=_Rate(ratio=value)))

    assert compiled.fn(EvalContext(snapshot(0.1), AS_OF)) == Decimal("0.1")
    assert compiled.fn(EvalContext(snapshot(float("inf")), AS_OF)) == Unknown(frozenset({path}))


# -- _functions: argument checks, literals, the table, functions of values known to the month


class _Dated(BaseModel):
    day: date | None = None
    count: int | None = None


@pytest.mark.parametrize(("text", "code", "message", "col", "hint"), [
    ("min(1, day) > 1", "expr-type", "min() needs arguments of one type: number and date", 8,
     None),
    ("max(day, 1) > 1", "expr-type", "max() needs arguments of one type: date and number", 10,
     None),
    ("min(true, 1) > 1", "expr-type",
     "min() compares numbers, dates or quarters, not true/false", 5, None),
    ("max(1, 'a') > 0", "expr-type", "max() compares numbers, dates or quarters, not text", 8,
     None),
    ("add_days(day, 'x') > day", "expr-type", "add_days() takes a number here, not text", 15,
     None),
    ("len(1) > 0", "expr-type", "len() takes a list here, not a number", 5, None),
    ("add_days(day) > day", "expr-arity", "add_days() takes 2 arguments, not 1", 1, None),
    ("abs(1, 2) > 0", "expr-arity", "abs() takes 1 argument, not 2", 1, None),
    ("min(1) > 0", "expr-arity", "min() takes 2 or more arguments, not 1", 1, None),
    ("add_days(day, 1.5) > day", "expr-bad-value",
     "add_days() needs a whole number here, not 1.5", 15, None),
    ("date('2025-13-01') > day", "expr-bad-value", "no such date: '2025-13-01'", 6,
     "a fixed date: date('2025-01-01')"),
    ("date('2025-1-1') > day", "expr-bad-value",
     "not a date: '2025-1-1' (write YYYY-MM-DD, e.g. '2025-01-01')", 6,
     "a fixed date: date('2025-01-01')"),
])
def test_a_bad_call_is_explained(text: str, code: str, message: str, col: int,
                                 hint: str | None) -> None:
    with pytest.raises(ExpressionError) as err:
        compile_expression(text, Env(type_from_model(_Dated)))
    (diagnostic,) = err.value.diagnostics
    assert diagnostic.span is not None
    assert (diagnostic.code, diagnostic.message, diagnostic.span.col, diagnostic.hint) == (
        code, message, col, hint)


def test_min_and_max_take_any_number_of_one_ordered_type() -> None:
    env = Env(type_from_model(_Dated))
    ctx = EvalContext(_Dated(day=date(2024, 3, 1), count=7), AS_OF)
    assert compile_expression("min(count, 9, 8)", env, expect=None).fn(ctx) == 7
    assert compile_expression("max(count, 9, 8)", env, expect=None).fn(ctx) == 9
    assert compile_expression("max(day, date('2024-01-01'))", env, expect=None).fn(ctx) == (
        date(2024, 3, 1))
    assert compile_expression("min(quarter_of(day), quarter('2023Q4'))", env,
                              expect=None).fn(ctx) == Quarter(2023, 4)


def test_a_whole_number_is_an_int() -> None:
    assert (as_int(3), as_int(Decimal("4.0")), as_int(Decimal(5))) == (3, 4, 5)
    assert as_int(Decimal("4.0")).__class__ is int
    with pytest.raises(ValueError, match=r"^not a whole number: 2\.5$"):
        as_int(Decimal("2.5"))


def test_the_table_of_functions() -> None:
    assert function_names() == frozenset(BUILTINS) == frozenset({
        "date", "quarter", "working_days_after", "add_days", "add_months", "add_years",
        "days_between", "months_between", "quarter_of", "quarter_start", "quarter_end",
        "next_quarter", "year", "year_end", "abs", "min", "max", "len"})
    assert len(BUILTINS) == 18
    assert repr(BUILTINS).startswith("FunctionTable(date, quarter, working_days_after, ")
    assert repr(FunctionTable([BUILTINS["abs"], BUILTINS["len"]])) == "FunctionTable(abs, len)"
    assert FunctionTable([BUILTINS["abs"]])["abs"] is BUILTINS["abs"]
    assert [BUILTINS[n].arity for n in ("min", "abs", "add_days")] == [
        "2 or more arguments", "1 argument", "2 arguments"]
    assert (BUILTINS["min"].accepts(1), BUILTINS["min"].accepts(2), BUILTINS["min"].accepts(5),
            BUILTINS["abs"].accepts(0), BUILTINS["abs"].accepts(1),
            BUILTINS["abs"].accepts(2)) == (False, True, True, False, True, False)
    twice = BUILTINS["abs"]
    with pytest.raises(ValueError, match=r"^function 'abs' is listed twice$"):
        FunctionTable([twice, twice])
    double = dataclasses.replace(twice, impl=lambda x: 2 * x)
    replaced = BUILTINS.replace(double)
    assert (replaced["abs"] is double, BUILTINS["abs"] is twice, list(replaced)) == (
        True, True, list(BUILTINS))


def test_functions_of_a_month_give_the_span_of_their_results() -> None:
    env = Env(type_from_model(_Dated))
    may = ValueSpan.month(2023, 5, frozenset({"day"}))
    ctx = EvalContext(_Dated.model_construct(day=may, count=2), AS_OF)

    def ends(text: str) -> object:
        value = compile_expression(text, env, expect=None).fn(ctx)
        assert isinstance(value, ValueSpan)
        return value.lo, value.hi, value.missing

    assert ends("days_between(day, date('2023-06-30'))") == (30, 60, {"day"})
    assert ends("days_between(date('2023-04-30'), day)") == (1, 31, {"day"})
    assert ends("add_days(day, count)") == (date(2023, 5, 3), date(2023, 6, 2), {"day"})
    assert ends("working_days_after(day, 1)")[2] == {"day"}
    assert ends("min(day, date('2023-05-20'))") == (date(2023, 5, 1), date(2023, 5, 20),
                                                    {"day"})
    assert ends("max(day, date('2023-05-20'))") == (date(2023, 5, 20), date(2023, 5, 31),
                                                    {"day"})
    assert compile_expression("year(day)", env, expect=None).fn(ctx) == 2023
    assert compile_expression("quarter_of(day)", env, expect=None).fn(ctx) == Quarter(2023, 2)
    assert compile_expression("max(day, date('2023-06-20'))", env, expect=None).fn(ctx) == (
        date(2023, 6, 20))


def test_lifting_a_function_over_spans() -> None:
    def later(day: date, n: int) -> date:
        """n days later"""
        return date.fromordinal(day.toordinal() + n)

    rising = _lift(later, True, True)
    assert (rising.__name__, rising.__doc__) == ("later", "n days later")  # type: ignore[attr-defined]
    may = ValueSpan.month(2023, 5, frozenset({"a"}))
    assert rising(date(2023, 5, 1), 2) == date(2023, 5, 3)
    got = rising(may, ValueSpan(1, 2, frozenset({"b"})))
    assert (got.lo, got.hi, got.missing) == (date(2023, 5, 2), date(2023, 6, 2), {"a", "b"})
    falling = _lift(lambda a, b: b.toordinal() - a.toordinal(), False, True)
    assert falling.__name__ == "<lambda>"  # type: ignore[attr-defined]
    nameless = _lift(functools.partial(later, n=1), True)
    assert nameless.__name__ == "lifted"  # type: ignore[attr-defined]
    assert nameless(date(2023, 5, 1)) == date(2023, 5, 2)
    got = falling(may, date(2023, 6, 30))
    assert (got.lo, got.hi, got.missing) == (30, 60, {"a"})
    got = falling(date(2023, 4, 30), may)
    assert (got.lo, got.hi, got.missing) == (1, 31, {"a"})
    assert falling(date(2023, 4, 30), date(2023, 5, 30)) == 30
    context = _lift(lambda ctx, day: day.toordinal() + len(ctx), True, context=True)
    assert context("ctx", date(2023, 5, 1)) == date(2023, 5, 1).toordinal() + 3
    got = context("ctx", may)
    assert (got.lo, got.hi, got.missing) == (date(2023, 5, 1).toordinal() + 3,
                                             date(2023, 5, 31).toordinal() + 3, {"a"})
    with pytest.raises(ValueError, match="zip"):
        rising(may, 1, 2)  # more arguments than directions


def test_lifting_min_and_max_over_spans() -> None:
    least = _lift_all(_min)
    assert least.__name__ == "_min"  # type: ignore[attr-defined]
    assert least(3, 1, 2) == 1
    got = least(ValueSpan(1, 5, frozenset({"a"})), 3, ValueSpan(2, 9, frozenset({"b"})))
    assert (got.lo, got.hi, got.missing) == (1, 3, {"a", "b"})
    got = least(ValueSpan(1, 5, frozenset({"a"})), ValueSpan(2, 9, frozenset({"b"})))
    assert (got.lo, got.hi, got.missing) == (1, 5, {"a", "b"})
    got = _lift_all(_max)(ValueSpan(1, 5, frozenset({"a"})), 3)
    assert (got.lo, got.hi, got.missing) == (3, 5, {"a"})


def test_the_parameter_markers() -> None:
    assert (_LIST.describe(), _LIST.a, _ORDERED.describe()) == (
        "list", "a list", "number, date or quarter")
    assert [_LIST.compatible(t) for t in (ListOf(Number), ERROR, NOTHING, Number)] == [
        True, True, True, False]
    assert [_ORDERED.compatible(t) for t in (Number, Date, QuarterT, ERROR, String(), Bool)] == [
        True, True, True, True, False, False]
