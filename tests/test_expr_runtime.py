"""The language's runtime pinned exactly: Unknown, merging, Kleene tables, ``in``, the
summary of missing facts, the evaluation context (what the mutation run showed unpinned).
"""

from __future__ import annotations

from datetime import date

import pytest

from govrules.base.calendar import Calendar
from govrules.base.errors import ExpressionError
from govrules.lang import Bool, Env, compile_expression, type_from_model
from govrules.lang._runtime import (
    MAX_LISTED_ITEMS,
    NO_VALUE,
    EvalContext,
    Unknown,
    in_list,
    kleene_and,
    kleene_not,
    kleene_or,
    merge,
    merge_all,
    summarise_missing,
)
from govrules.model.snapshot import Snapshot


def _u(*names: str) -> Unknown:
    return Unknown(frozenset(names))


def test_an_unknown_has_no_truth_value_and_shows_its_facts() -> None:
    with pytest.raises(TypeError, match=r"^an Unknown has no truth value; compare with "
                                        r"'is True' or 'is False'$"):
        bool(_u("a"))
    assert repr(_u("b", "a")) == "Unknown(['a', 'b'])"
    assert repr(Unknown()) == "Unknown()"
    assert Unknown() == NO_VALUE
    assert NO_VALUE.missing == frozenset()


def test_merging_keeps_every_fact_and_reuses_a_superset() -> None:
    ab, a, c = _u("a", "b"), _u("a"), _u("c")
    assert merge(ab, a) is ab
    assert merge(a, ab) is ab
    both = merge(a, c)
    assert both.missing == frozenset({"a", "c"})
    assert merge_all([a]) is a
    assert merge_all([a, ab]) is ab
    assert merge_all([a, c, ab]).missing == frozenset({"a", "b", "c"})
    assert merge_all([NO_VALUE, NO_VALUE]) is NO_VALUE


def test_kleene_tables() -> None:
    a, b = _u("a"), _u("b")
    assert kleene_and(a, False) is False
    assert kleene_and(False, a) is False
    assert kleene_and(True, a) is a
    assert kleene_and(a, True) is a
    assert kleene_and(a, b).missing == frozenset({"a", "b"})  # type: ignore[attr-defined]
    assert kleene_and(True, True) is True
    assert kleene_or(a, True) is True
    assert kleene_or(True, a) is True
    assert kleene_or(False, a) is a
    assert kleene_or(a, False) is a
    assert kleene_or(a, b).missing == frozenset({"a", "b"})  # type: ignore[attr-defined]
    assert kleene_or(False, False) is False
    assert kleene_not(True) is False
    assert kleene_not(False) is True
    assert kleene_not(a) is a


def test_in_is_three_valued() -> None:
    a, items = _u("x"), _u("list")
    assert in_list("p", ["p", "q"], negated=False) is True
    assert in_list("p", ["p", "q"], negated=True) is False
    assert in_list("r", ["p", "q"], negated=False) is False
    assert in_list("r", ["p", "q"], negated=True) is True
    assert in_list("r", [], negated=False) is False
    assert in_list(a, ["p"], negated=False) is a
    assert in_list(a, items, negated=False).missing == frozenset({"x", "list"})
    assert in_list("p", items, negated=False) is items
    # a miss among unknown items is unknown; a hit is a hit whatever else is unknown
    assert in_list("p", [_u("i0"), "p"], negated=False) is True
    assert in_list("p", [_u("i0"), "p"], negated=True) is False
    miss = in_list("r", [_u("i0"), None, "p", _u("i3")], negated=False)
    assert isinstance(miss, Unknown)
    assert miss.missing == frozenset({"i0", "i3"})
    assert in_list("r", [None], negated=True) is NO_VALUE


def test_the_missing_facts_of_long_lists_are_summarised() -> None:
    assert summarise_missing(["b", "a[0].x"]) == ["a[0].x", "b"]
    exactly = [f"a[{i}].x" for i in range(MAX_LISTED_ITEMS)]
    assert summarise_missing(exactly) == sorted(exactly)
    many = [f"a[{i}].x" for i in range(MAX_LISTED_ITEMS + 1)]
    assert summarise_missing([*many, "a[0].y", "z"]) == ["a[0].y", "a[].x", "z"]
    assert summarise_missing([]) == []


def test_the_context_holds_one_evaluation() -> None:
    ctx = EvalContext(root={"a": 1}, as_of=date(2025, 1, 2))
    assert ctx.cache == {}
    assert ctx.uncovered_years == set()
    assert ctx.frame == []
    assert ctx.trace is None
    assert ctx.calendar is ctx.calendar  # the default one, created once
    assert repr(ctx) == "EvalContext(root=dict, as_of=2025-01-02)"
    cache: dict[str, object] = {"k": 1}
    years = {2090}
    calendar = Calendar.load(builtin=False)
    shared = EvalContext(root=None, as_of=date(2025, 1, 2), calendar=calendar, cache=cache,
                         uncovered_years=years)
    assert shared.cache is cache
    assert shared.uncovered_years is years
    assert shared.calendar is calendar
    other = Calendar.default()
    shared.calendar = other
    assert shared.calendar is other


# -- the snippet a type error quotes ------------------------------------------------------------


def _problem(text: str) -> tuple[str, str, int | None, str | None]:
    env = Env(type_from_model(Snapshot))
    with pytest.raises(ExpressionError) as caught:
        compile_expression(text, env, expect=Bool)
    (diagnostic,) = caught.value.diagnostics
    return diagnostic.code, diagnostic.message, diagnostic.span.col, diagnostic.hint


def test_a_type_error_quotes_the_operand_folded_and_cut_at_forty() -> None:
    long = ("deployment.government_cloud and (budget.original   +   budget.current + "
            "budget.original * 2)")
    assert _problem(long) == (
        "expr-type", "'and' joins true/false conditions, but 'budget.original + "
        "budget.current + bu...' is a number", 34, None)
    assert _problem("deployment.government_cloud and (budget.original +\n 1)")[1] == (
        "'and' joins true/false conditions, but 'budget.original + 1' is a number")
    forty = "budget.original + budget.current + 12345"
    assert len(forty) == 40
    assert _problem(f"deployment.government_cloud or ({forty})")[1] == (
        f"'or' joins true/false conditions, but '{forty}' is a number")
    assert _problem("project.level == 'nope'") == (
        "expr-bad-value", "'nope' is not a possible value of 'project.level'", 18,
        "possible values: 'county', 'district', 'municipal', 'national', 'provincial'")
