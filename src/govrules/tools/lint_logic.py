"""Spot conjunctions that can never hold: ``x == 'a' and x == 'b'`` on the same fact.

Only the top level of a condition (its chain of ``and``) is examined: each fact's
equalities, memberships in literal lists, exclusions and plain true/false uses are
collected, and a fact left with no possible value is a contradiction. Branches under
``or``, ``not (...)`` or a quantifier are not looked into, so the check never claims a
contradiction that is not one.

>>> from govrules.lang.syntax import parse
>>> contradiction([parse("project.kind == 'om' and project.kind in ['construction']")])[1]
"project.kind cannot be both 'om' and one of ['construction']"
>>> contradiction([parse("signed and not signed")])[1]
'signed cannot be both true and false'
>>> contradiction([parse("x == 'a' or x == 'b'")]) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from govrules.base.i18n import _
from govrules.lang.syntax import (
    BoolLit,
    Compare,
    ListLit,
    Logic,
    Node,
    Not,
    NumberLit,
    Path,
    StringLit,
)

__all__ = ["contradiction"]

_NONE = object()


def _conjuncts(node: Node) -> Iterator[Node]:
    if isinstance(node, Logic) and node.op == "and":
        for operand in node.operands:
            yield from _conjuncts(operand)
    else:
        yield node


def _literal(node: Node) -> object:
    if isinstance(node, StringLit | NumberLit | BoolLit):
        return node.value
    return _NONE


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


@dataclass
class _Fact:
    """What the conjunction says about one fact so far."""

    allowed: set[object] | None = None
    said: str = ""
    excluded: set[object] = field(default_factory=set)
    excluded_said: str = ""

    def restrict(self, values: set[object], said: str) -> str | None:
        """Narrow the possible values; a reason when none is left."""
        before = self.said
        self.allowed = values if self.allowed is None else self.allowed & values
        self.said = said
        if not (self.allowed - self.excluded):
            return _("both {first} and {second}").format(first=before or self.excluded_said,
                                                         second=said)
        return None

    def exclude(self, values: set[object], said: str) -> str | None:
        self.excluded |= values
        self.excluded_said = said
        if self.allowed is not None and not (self.allowed - self.excluded):
            return _("both {first} and {second}").format(first=self.said, second=said)
        return None


def _atom(node: Node) -> tuple[str, str, set[object], str] | None:
    """``(fact, 'only'|'not', values, text)`` for a conjunct about one fact, else None."""
    if isinstance(node, Path):
        return node.dotted, "only", {True}, "true"
    if isinstance(node, Not) and isinstance(node.operand, Path):
        return node.operand.dotted, "only", {False}, "false"
    if not isinstance(node, Compare):
        return None
    left, right = node.left, node.right
    if isinstance(right, Path) and not isinstance(left, Path):
        left, right = right, left
    if not isinstance(left, Path):
        return None
    if node.op in ("==", "!=") and (value := _literal(right)) is not _NONE:
        return (left.dotted, "only" if node.op == "==" else "not", {value},
                _show(value) if node.op == "==" else _("not {value}").format(value=_show(value)))
    if node.op in ("in", "not in") and isinstance(right, ListLit):
        values = [_literal(item) for item in right.items]
        if any(v is _NONE for v in values):
            return None
        shown = "[" + ", ".join(_show(v) for v in values) + "]"
        return (left.dotted, "only" if node.op == "in" else "not", set(values),
                _("one of {values}").format(values=shown) if node.op == "in" else
                _("none of {values}").format(values=shown))
    return None


def contradiction(nodes: Iterable[Node]) -> tuple[Node, str] | None:
    """The conjunct that makes ``nodes`` (all required together) impossible, and why."""
    facts: dict[str, _Fact] = {}
    for root in nodes:
        for conjunct in _conjuncts(root):
            atom = _atom(conjunct)
            if atom is None:
                continue
            name, kind, values, said = atom
            fact = facts.setdefault(name, _Fact())
            why = fact.restrict(values, said) if kind == "only" else fact.exclude(values, said)
            if why is not None:
                return conjunct, _("{fact} cannot be {why}").format(fact=name, why=why)
    return None
