"""A reference interpreter of the condition language: the tests' oracle.

It walks the syntax tree with the language's semantics as the docs state them: an absent
fact is an :class:`~govrules.lang.Unknown` naming it (list items with their index), a
failed operation is an Unknown that names nothing, and ``and``/``or`` follow Kleene's
tables. It shares nothing with the compiler's closures (``govrules.lang._closures`` and
``reads``) but the syntax tree, the runtime values and the function table, so the
differential tests (``test_expr_oracle.py``) check one implementation against another
written separately. It folds no constants and fuses no reads: it is slow on purpose.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from govrules.lang import EvalContext, Unknown
from govrules.lang._env import AS_OF, Env
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
from govrules.lang._runtime import NO_VALUE

__all__ = ["Binding", "Interpreter", "State"]

_CMP: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
}
_ERRORS = (ArithmeticError, ValueError)
_NONE = object()


@dataclass(frozen=True, slots=True)
class Binding:
    """A quantifier variable: the current item and its indexed path (``budget.adjustments[2]``)."""

    item: Any
    where: str


Scope = Mapping[str, Binding]


@dataclass(slots=True)
class State:
    """One snapshot's evaluation: the context (root, as_of, calendar) and derived values."""

    ctx: EvalContext
    derived: dict[str, Any] = field(default_factory=dict)


def _union(a: Unknown, b: Unknown) -> Unknown:
    return Unknown(a.missing | b.missing)


def _unknown_of(values: list[Any]) -> Unknown | None:
    """The union of the Unknowns among ``values``, or None when every value is known."""
    out: Unknown | None = None
    for v in values:
        if isinstance(v, Unknown):
            out = v if out is None else _union(out, v)
    return out


def _as_decimal(value: Any, missing: Unknown) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else missing
    return value


class Interpreter:
    """Evaluates syntax trees against one :class:`State` (shared, stateless itself)."""

    def __init__(self, env: Env) -> None:
        self.env = env

    def value(self, node: Node, state: State, scope: Scope) -> Any:
        """The value of ``node``: a Python value, True/False, or an Unknown."""
        method = getattr(self, "_" + type(node).__name__.lower())
        result: Any = method(node, state, scope)
        return result

    # -- literals and names -------------------------------------------------------------

    def _numberlit(self, node: NumberLit, _state: State, _scope: Scope) -> Any:
        return node.value

    def _stringlit(self, node: StringLit, _state: State, _scope: Scope) -> Any:
        return node.value

    def _boollit(self, node: BoolLit, _state: State, _scope: Scope) -> Any:
        return node.value

    def _listlit(self, node: ListLit, state: State, scope: Scope) -> Any:
        return [self.value(item, state, scope) for item in node.items]

    def _path(self, node: Path, state: State, scope: Scope) -> Any:
        head, names = node.parts[0], node.parts[1:]
        binding = scope.get(head)
        if binding is not None:
            value = binding.item
            if isinstance(value, Unknown):
                return value
            for name in ("", *names):
                value = getattr(value, name, None) if name else value
                if value is None:
                    return Unknown(frozenset({binding.where + "".join("." + n for n in names)}))
            return _as_decimal(value, NO_VALUE)
        if head == AS_OF:
            return state.ctx.as_of
        missing = Unknown(frozenset({node.dotted}))
        if head in self.env.derived:
            value = self.derived(head, state)
            if not names or isinstance(value, Unknown):
                return value
        else:
            value, names = state.ctx.root, node.parts
        for name in names:
            value = getattr(value, name, None)
            if value is None:
                return missing
        return _as_decimal(value, missing)

    def derived(self, name: str, state: State) -> Any:
        """A derived fact, computed once per snapshot."""
        value = state.derived.get(name, _NONE)
        if value is _NONE:
            value = self.value(self.env.derived[name].compiled.node, state, {})
            state.derived[name] = value
        return value

    # -- logic ------------------------------------------------------------------------------

    def _not(self, node: Not, state: State, scope: Scope) -> Any:
        v = self.value(node.operand, state, scope)
        return v if isinstance(v, Unknown) else not v

    def _logic(self, node: Logic, state: State, scope: Scope) -> Any:
        stop = node.op == "or"
        unknown: Unknown | None = None
        for operand in node.operands:
            v = self.value(operand, state, scope)
            if v is stop:
                return stop
            if isinstance(v, Unknown):
                unknown = v if unknown is None else _union(unknown, v)
        return (not stop) if unknown is None else unknown

    def _isknown(self, node: IsKnown, state: State, scope: Scope) -> Any:
        known = not isinstance(self.value(node.operand, state, scope), Unknown)
        return known is node.known

    # -- numbers and comparisons ------------------------------------------------------------

    def _neg(self, node: Neg, state: State, scope: Scope) -> Any:
        v = self.value(node.operand, state, scope)
        return v if isinstance(v, Unknown) else -v

    def _arith(self, node: Arith, state: State, scope: Scope) -> Any:
        acc = self.value(node.operands[0], state, scope)
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            v = self.value(operand, state, scope)
            if isinstance(acc, Unknown):
                acc = _union(acc, v) if isinstance(v, Unknown) else acc
            elif isinstance(v, Unknown):
                acc = v
            else:
                acc = _arith_step(op, acc, v)
        return acc

    def _compare(self, node: Compare, state: State, scope: Scope) -> Any:
        a = self.value(node.left, state, scope)
        b = self.value(node.right, state, scope)
        if node.op in ("in", "not in"):
            return _member(a, b, node.op == "not in")
        unknown = _unknown_of([a, b])
        if unknown is not None:
            return unknown
        return _CMP[node.op](a, b)

    # -- functions and quantifiers ------------------------------------------------------------

    def _call(self, node: Call, state: State, scope: Scope) -> Any:
        function = self.env.functions[node.name]
        if function.literal:
            arg = node.args[0]
            assert isinstance(arg, StringLit)
            return function.impl(arg.value)
        args = [self.value(a, state, scope) for a in node.args]
        unknown = _unknown_of(args)
        if unknown is not None:
            return unknown
        try:
            if function.with_context:
                return function.impl(state.ctx, *args)
            return function.impl(*args)
        except _ERRORS:
            return NO_VALUE

    def _quantifier(self, node: Quantifier, state: State, scope: Scope) -> Any:
        items = self.value(node.source, state, scope)
        if isinstance(items, Unknown):
            return items
        where = self.where(node.source, scope)
        values = (self.value(node.body, state,
                             {**scope, node.var: Binding(item, f"{where}[{i}]")})
                  for i, item in enumerate(items))
        if node.kind in ("any", "all"):
            stop = node.kind == "any"
            unknown: Unknown | None = None
            for v in values:
                if v is stop:
                    return stop
                if isinstance(v, Unknown):
                    unknown = v if unknown is None else _union(unknown, v)
            return (not stop) if unknown is None else unknown
        return _fold(node.kind, values)

    def where(self, source: Path, scope: Scope) -> str:
        """The indexed path of a quantifier's list, used to name its items."""
        binding = scope.get(source.parts[0])
        if binding is None:
            return source.dotted
        return binding.where + "".join("." + n for n in source.parts[1:])


def _arith_step(op: str, a: Any, b: Any) -> Any:
    try:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if not b:
            return NO_VALUE
        if isinstance(a, int) and isinstance(b, int):
            return Decimal(a) / b
        return a / b
    except ArithmeticError:
        return NO_VALUE


def _member(a: Any, items: Any, negated: bool) -> Any:
    if isinstance(a, Unknown):
        return _union(a, items) if isinstance(items, Unknown) else a
    if isinstance(items, Unknown):
        return items
    unknown: Unknown | None = None
    for item in items:
        if item is None:
            unknown = unknown or NO_VALUE
        elif isinstance(item, Unknown):
            unknown = item if unknown is None else _union(unknown, item)
        elif item == a:
            return not negated
    return negated if unknown is None else unknown


def _fold(kind: str, values: Any) -> Any:
    """count, sum, min and max: unknown as soon as one item's value is unknown."""
    acc: Any = 0 if kind in ("count", "sum") else _NONE
    unknown: Unknown | None = None
    for v in values:
        if isinstance(v, Unknown):
            unknown = v if unknown is None else _union(unknown, v)
        elif unknown is None:
            try:
                if kind == "count":
                    acc = acc + 1 if v is True else acc
                elif kind == "sum":
                    acc = acc + v
                elif acc is _NONE or (v < acc if kind == "min" else v > acc):
                    acc = v
            except ArithmeticError:
                return NO_VALUE
    if unknown is not None:
        return unknown
    return NO_VALUE if acc is _NONE else acc
