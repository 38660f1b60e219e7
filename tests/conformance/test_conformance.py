"""Run the conformance cases, and the gate: every part of the language has a case."""

from __future__ import annotations

from dataclasses import replace

import pytest

from govrules import lang as expr

from .suite import Case, check, function_inventory, gate, load_cases

CASES = load_cases()


def test_the_suite_is_not_empty() -> None:
    assert len(CASES) >= 150
    assert {c.file for c in CASES} >= {"logic.yaml", "compare.yaml", "arith.yaml",
                                       "lists.yaml", "functions.yaml", "errors.yaml"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    problem = check(case)
    assert problem is None, f"{case.id} {case.text!r} ({case.note}): {problem}"


def test_every_function_operator_node_and_quantifier_has_a_case() -> None:
    assert gate(CASES) == []


def test_gate_fails_when_a_function_is_added_without_a_case(
        monkeypatch: pytest.MonkeyPatch) -> None:
    widened = function_inventory() | {"days_until_audit"}
    assert gate(CASES, functions=widened) == ["function days_until_audit() has no case"]
    table = getattr(expr, "FUNCTIONS", None)
    if isinstance(table, dict):  # registered for real, read back through the accessor
        monkeypatch.setitem(table, "half", replace(table["abs"], name="half"))
        assert "function half() has no case" in gate(CASES)


def test_gate_fails_when_a_function_has_no_unknown_case() -> None:
    known_only = [c for c in CASES if not ("abs(" in c.text and isinstance(c.want, dict))]
    assert gate(known_only) == ["function abs() has no case with an unknown argument"]


def test_gate_fails_when_an_operator_loses_its_cases() -> None:
    without = [c for c in CASES if "%" not in c.text]
    assert gate(without) == ["operator or keyword '%' has no case"]
    without = [c for c in CASES if "is not" not in c.text and " is " not in c.text]
    assert "syntax node 'IsKnown' has no case" in gate(without)


def test_a_wrong_expectation_is_caught() -> None:
    case = next(c for c in CASES if c.text == "flag and other" and c.want is False)
    assert check(replace(case, want=True)) is not None
    unknown = next(c for c in CASES if isinstance(c.want, dict) and c.want.get("unknown"))
    assert check(replace(unknown, want={"unknown": ["something.else"]})) is not None
    error = next(c for c in CASES if c.want_error == "expr-type")
    assert check(replace(error, want_error="expr-syntax")) is not None
