"""What the condition language says about a mistake, pinned whole: the code, the message
a person reads, the hint and the column, for calls, quantifiers and the parser's limits."""

from __future__ import annotations

import pytest

from govrules.base.errors import ExpressionError
from govrules.lang import Env, compile_expression, type_from_model
from govrules.model.snapshot import Snapshot

CASES: dict[str, tuple[str, str, str | None, int]] = {
    "nofunc(1)": ("expr-unknown-function", "no function 'nofunc'", None, 1),
    "date(2024)": ("expr-type", "date() takes text in quotes",
                   "a fixed date: date('2025-01-01')", 6),
    "quarter(1)": ("expr-type", "quarter() takes text in quotes",
                   "a fixed quarter: quarter('2025Q3')", 9),
    "any(project in security.emergency_drills: true)": (
        "expr-name-clash", "the variable 'project' hides another name",
        "choose another variable name", 5),
    "any(d in budget.original: true)": (
        "expr-type", "any() goes through a list, but 'budget.original' is a number", None, 10),
    "any(d in security.emergency_drills: 1)": (
        "expr-type", "any() needs a true/false condition, but '1' is a number", None, 37),
    "count(d in security.emergency_drills: d) > 0": (
        "expr-type", "count() needs a true/false condition, but 'd' is a date", None, 39),
    "sum(d in security.emergency_drills: d) > 0": (
        "expr-type", "sum() adds numbers, but 'd' is a date",
        "for dates use add_days(date, n) or days_between(a, b)", 37),
    "min(d in security.assessments: d.kind) > 0": (
        "expr-type", "min() compares numbers, dates or quarters, but 'd.kind' is text",
        None, 32),
    "max(d in security.assessments: d.reported) > 0": (
        "expr-type",
        "max() compares numbers, dates or quarters, but 'd.reported' is true/false", None, 32),
    "any(x in security.emergency_drills x)": (
        "expr-syntax", "expected ':', as in any(x in list: ...), found name 'x'", None, 36),
    "1 +": ("expr-syntax", "expected a value, found the end of the condition", None, 4),
    "(" * 70 + "1" + ")" * 70: ("expr-too-complex", "the condition nests more than 64 levels",
                                "split it into derived facts", 65),
    "[" * 70 + "1" + "]" * 70: ("expr-too-complex", "the condition nests more than 64 levels",
                                "split it into derived facts", 65),
}


@pytest.mark.parametrize(("text", "expected"), CASES.items(),
                         ids=[t[:30] for t in CASES])
def test_each_mistake_is_said_whole(text: str, expected: tuple[str, str, str | None, int]
                                    ) -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression(text, Env(type_from_model(Snapshot)), expect=None)
    (problem,) = info.value.diagnostics
    assert (problem.code, problem.message, problem.hint,
            problem.span.col if problem.span else None) == expected


def test_sum_adds_numbers_and_the_other_folds_compare() -> None:
    env = Env(type_from_model(Snapshot))
    for text in ("sum(a in budget.adjustments: a.amount) > 0",
                 "min(d in security.emergency_drills: d) < as_of",
                 "max(a in budget.adjustments: a.amount) >= 0",
                 "count(d in security.emergency_drills: d < as_of) >= 1"):
        compile_expression(text, env)


COMPARISONS: dict[str, tuple[str, str, str | None, int]] = {
    "budget.original": ("expr-type", "the condition must give true/false, not a number",
                        None, 1),
    "project.phase": ("expr-type", "the condition must give true/false, not text", None, 1),
    "project.phase < 'a'": ("expr-type", "'<' orders numbers, dates or quarters, not text",
                            None, 15),
    "'a' > project.phase": ("expr-type", "'>' orders numbers, dates or quarters, not text",
                            None, 5),
    "project.classified < true": (
        "expr-type", "'<' orders numbers, dates or quarters, not true/false", None, 20),
    "contract.signed_on > 5": ("expr-type", "cannot compare date with number",
                               "to count days use days_between(a, b)", 20),
    "5 < contract.signed_on": ("expr-type", "cannot compare number with date",
                               "to count days use days_between(a, b)", 3),
    "contract.signed_on == 5": ("expr-type", "cannot compare date with number",
                                "to count days use days_between(a, b)", 20),
    "budget.original == 'x'": ("expr-type", "cannot compare number with text", None, 17),
}


@pytest.mark.parametrize(("text", "expected"), COMPARISONS.items(), ids=list(COMPARISONS))
def test_a_condition_that_is_no_condition_or_compares_unlike_things(
        text: str, expected: tuple[str, str, str | None, int]) -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression(text, Env(type_from_model(Snapshot)))
    (problem,) = info.value.diagnostics
    assert (problem.code, problem.message, problem.hint,
            problem.span.col if problem.span else None) == expected
