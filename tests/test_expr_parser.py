"""The condition language's lexer and parser: precedence, literals, offsets, syntax errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govrules.base.errors import ExpressionError
from govrules.lang import free_names, parse_expression
from govrules.lang._nodes import (
    Arith,
    BoolLit,
    Call,
    Compare,
    IsKnown,
    ListLit,
    Logic,
    Neg,
    Node,
    Not,
    NumberLit,
    Path,
    Quantifier,
    StringLit,
)


def sexpr(node: Node) -> str:
    """A compact rendering of a tree, so that cases read as data."""
    if isinstance(node, NumberLit):
        return str(node.value)
    if isinstance(node, StringLit):
        return f"{node.value!r}"
    if isinstance(node, BoolLit):
        return "true" if node.value else "false"
    if isinstance(node, Path):
        return node.dotted
    if isinstance(node, ListLit):
        return "[" + " ".join(sexpr(i) for i in node.items) + "]"
    if isinstance(node, Not):
        return f"(not {sexpr(node.operand)})"
    if isinstance(node, Neg):
        return f"(- {sexpr(node.operand)})"
    if isinstance(node, Logic):
        return f"({node.op} " + " ".join(sexpr(o) for o in node.operands) + ")"
    if isinstance(node, Arith):
        out = sexpr(node.operands[0])
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            out += f" {op} {sexpr(operand)}"
        return f"({out})"
    if isinstance(node, Compare):
        return f"({node.op} {sexpr(node.left)} {sexpr(node.right)})"
    if isinstance(node, IsKnown):
        return f"({'known' if node.known else 'unknown'} {sexpr(node.operand)})"
    if isinstance(node, Call):
        return f"{node.name}(" + ", ".join(sexpr(a) for a in node.args) + ")"
    assert isinstance(node, Quantifier)
    return f"{node.kind}({node.var} in {node.source.dotted}: {sexpr(node.body)})"


PARSES = [
    ("or-binds-loosest", "a or b and c", "(or a (and b c))"),
    ("and-chain-is-flat", "a and b and c", "(and a b c)"),
    ("not-binds-tighter-than-and", "not a and b", "(and (not a) b)"),
    ("not-applies-to-comparison", "not x == 1", "(not (== x 1))"),
    ("double-not", "not not a", "(not (not a))"),
    ("comparison-over-sum", "x + 1 > y * 2", "(> (x + 1) (y * 2))"),
    ("mul-over-add", "1 + 2 * 3 - 4 / 5", "(1 + (2 * 3) - (4 / 5))"),
    ("left-to-right", "a - b - c", "(a - b - c)"),
    ("parentheses", "(a or b) and c", "(and (or a b) c)"),
    ("unary-minus", "-x * -2", "((- x) * (- 2))"),
    ("percent", "ratio > 10%", "(> ratio 0.10)"),
    ("percent-decimal", "12.5%", "0.125"),
    ("underscores", "1_000_000", "1000000"),
    ("decimal", "0.05", "0.05"),
    ("single-quotes", "kind == 'om'", "(== kind 'om')"),
    ("double-quotes", 'kind != "om"', "(!= kind 'om')"),
    ("escaped-quote", r"name == 'it\'s'", "(== name \"it's\")"),
    ("booleans", "flag == true or flag == false", "(or (== flag true) (== flag false))"),
    ("all-comparisons", "a < 1 or a <= 1 or a > 1 or a >= 1",
     "(or (< a 1) (<= a 1) (> a 1) (>= a 1))"),
    ("in", "kind in ['a', 'b']", "(in kind ['a' 'b'])"),
    ("not-in", "kind not in ['a']", "(not in kind ['a'])"),
    ("trailing-comma", "[1, 2,]", "[1 2]"),
    ("empty-list", "len([]) == 0", "(== len([]) 0)"),
    ("is-known", "x.y is known", "(known x.y)"),
    ("is-unknown", "x is unknown", "(unknown x)"),
    ("is-not-known", "x is not known", "(unknown x)"),
    ("is-not-unknown", "x is not unknown", "(known x)"),
    ("call", "add_days(start, 10) > as_of", "(> add_days(start, 10) as_of)"),
    ("call-no-args", "f()", "f()"),
    ("min-call", "min(a, b)", "min(a, b)"),
    ("min-quantifier", "min(x in items: x.d)", "min(x in items: x.d)"),
    ("quantifier", "any(a in budget.adjustments: a.amount > 0)",
     "any(a in budget.adjustments: (> a.amount 0))"),
    ("nested-quantifiers", "all(a in xs: count(f in a.fs: f.ok) > 1)",
     "all(a in xs: (> count(f in a.fs: f.ok) 1))"),
    ("comment", "a # an analyst's note\n and b", "(and a b)"),
    ("whitespace", "a\n\tand\r\nb", "(and a b)"),
]


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in PARSES], ids=[c[0] for c in PARSES])
def test_parse(text: str, want: str) -> None:
    assert sexpr(parse_expression(text)) == want


def test_nodes_carry_offsets() -> None:
    node = parse_expression("budget.original > 10% and x is unknown")
    assert isinstance(node, Logic)
    cmp, known = node.operands
    assert (node.start, node.end) == (0, 38)
    assert isinstance(cmp, Compare)
    assert (cmp.start, cmp.end, cmp.op_start) == (0, 21, 16)
    assert (cmp.right.start, cmp.right.end) == (18, 21)
    assert (known.start, known.end) == (26, 38)


def test_number_values_are_decimal() -> None:
    node = parse_expression("10%")
    assert isinstance(node, NumberLit)
    assert node.value == Decimal("0.10")
    assert isinstance(node.value, Decimal)


SYNTAX_ERRORS = [
    ("empty", "", 0),
    ("only-comment", "# nothing", 9),
    ("unclosed-paren", "(a and b", 8),
    ("missing-operand", "a and", 5),
    ("dangling-operator", "1 +", 3),
    ("two-values", "a b", 2),
    ("single-equals", "a = 1", 2),
    ("chained-comparison", "1 < a < 3", 6),
    ("power", "2 ** 3", 2),
    ("unclosed-string", "kind == 'om", 8),
    ("newline-in-string", "'a\nb'", 0),
    ("bad-escape", r"'a\n'", 2),
    ("method-call", "a.b(1)", 3),
    ("attribute-on-call", "f(x).y", 4),
    ("indexing", "items[0]", 5),
    ("keyword-argument", "f(x=1)", 3),
    ("lambda-like", "any(x)", 5),
    ("quantifier-missing-colon", "any(a in xs a.ok)", 12),
    ("quantifier-path-only", "any(a in f(x): a)", 10),
    ("is-what", "x is 5", 5),
    ("known-alone", "known", 0),
    ("percent-alone", "% 5", 0),
    ("percent-after-name", "x%", 1),
    ("letter-after-number", "10abc", 0),
    ("exponent", "1e5", 0),
    ("field-after-dot", "a.1", 2),
    ("keyword-as-field", "a.in", 2),
    ("full-width-paren", "f\uff08x)", 1),
    ("chinese-name", "\u9884\u7b97 > 1", 0),
    ("unbalanced-bracket", "[1, 2", 5),
    ("double-comma", "[1,, 2]", 3),
    ("trailing-in", "a in", 4),
    ("lone-not", "not", 3),
    ("stray-close", "a)", 1),
    ("backtick", "`a`", 0),
]


@pytest.mark.parametrize(("text", "offset"), [c[1:] for c in SYNTAX_ERRORS],
                         ids=[c[0] for c in SYNTAX_ERRORS])
def test_syntax_error(text: str, offset: int) -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    (diag,) = info.value.diagnostics
    assert diag.code == "expr-syntax"
    assert diag.span is not None
    assert (diag.span.file, diag.span.line, diag.span.col) == ("<expr>", 1, offset + 1)


def test_syntax_error_says_what_was_expected_and_found() -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression("(a and b")
    assert "expected ')'" in str(info.value)
    assert "end of the condition" in str(info.value)


def test_full_width_character_gets_a_hint() -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression("a \uff1d\uff1d 1")
    assert info.value.diagnostics[0].hint is not None
    assert "'='" in info.value.diagnostics[0].hint


def deep(levels: int) -> str:
    return "(" * levels + "a" + ")" * levels


LIMITS = [
    ("text-4000", "a or " * 799 + "a" + " " * 4, None),
    ("text-4001", "a or " * 799 + "a" + " " * 5, 4000),
    ("depth-64", deep(64), None),
    ("depth-65", deep(65), 64),
    ("not-depth-65", "not " * 65 + "a", 256),
    ("minus-depth-65", "-" * 65 + "1", 64),
    ("list-1000", "[" + "1," * 1000 + "]", None),
    ("list-1001", "[" + "1," * 1001 + "]", 2001),
    ("digits-30", "1" * 30, None),
    ("digits-31", "1" * 31, 0),
    ("decimal-digits-31", "1" * 20 + "." + "1" * 11, 0),
]


@pytest.mark.parametrize(("text", "offset"), [c[1:] for c in LIMITS], ids=[c[0] for c in LIMITS])
def test_limits(text: str, offset: int | None) -> None:
    if offset is None:
        parse_expression(text)
        return
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    (diag,) = info.value.diagnostics
    assert diag.code == "expr-too-complex"
    assert diag.span is not None
    assert diag.span.col == offset + 1


def test_long_flat_chains_are_shallow() -> None:
    node = parse_expression("+".join(["1"] * 1300))
    assert isinstance(node, Arith)
    assert len(node.operands) == 1300


def test_free_names() -> None:
    node = parse_expression(
        "any(a in budget.adjustments: a.amount > limit and all(f in a.filings: f.ok)) "
        "and as_of > start and count(b in other: b) > 0")
    assert free_names(node) == {"budget", "limit", "as_of", "start", "other"}
