"""Operators, function calls and quantifiers as closures over precomputed data.

The compiler wires these together once per condition (fact reads are in
:mod:`~govrules.lang._reads`); evaluating a snapshot then only calls them. They look
nothing up by name at run time: operators and constants are bound when the closure is
made. Checks use ``value.__class__ is Unknown``, the fastest test Python offers.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from govrules.lang._reads import Fn
from govrules.lang._runtime import NO_VALUE, EvalContext, Unknown, in_list, merge, merge_all
from govrules.lang._types import Span, lower, upper

__all__ = [
    "ARITH",
    "COMPARE",
    "SWAPPED",
    "arith",
    "call",
    "compare",
    "is_known",
    "list_literal",
    "logic",
    "member",
    "negate",
    "negative",
    "quantifier",
    "traced",
]

_MISS = object()
_ERRORS = (ArithmeticError, ValueError)


def _div(a: Any, b: Any) -> Any:
    if not b:
        return NO_VALUE
    if a.__class__ is int and b.__class__ is int:
        return Decimal(a) / b
    return a / b


ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": _div,
}
COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
}
SWAPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
"""Each comparison with its sides exchanged: ``c < x`` is ``x > c``."""


# -- logic ----------------------------------------------------------------------------------


def logic(op: str, fns: Sequence[Fn]) -> Fn:
    """Kleene ``and`` / ``or`` over two or more operands, short-circuiting."""
    stop = op == "or"  # the value that decides the result on its own
    if len(fns) == 2:
        f, g = fns

        def two(ctx: EvalContext) -> Any:
            a = f(ctx)
            if a is stop:
                return stop
            b = g(ctx)
            if b is stop:
                return stop
            if a.__class__ is not Unknown:
                return b
            if b.__class__ is not Unknown:
                return a
            return merge(a, b)

        return two
    funcs = tuple(fns)

    def many(ctx: EvalContext) -> Any:
        unknown = None
        for f in funcs:
            v = f(ctx)
            if v is stop:
                return stop
            if v.__class__ is Unknown:
                unknown = v if unknown is None else merge(unknown, v)
        return (not stop) if unknown is None else unknown

    return many


def negate(f: Fn) -> Fn:
    def not_(ctx: EvalContext) -> Any:
        v = f(ctx)
        if v is True:
            return False
        if v is False:
            return True
        return v

    return not_


def is_known(f: Fn, known: bool) -> Fn:
    if known:
        return lambda ctx: f(ctx).__class__ is not Unknown
    return lambda ctx: f(ctx).__class__ is Unknown


# -- numbers and comparisons ------------------------------------------------------------------


def negative(f: Fn) -> Fn:
    def neg(ctx: EvalContext) -> Any:
        v = f(ctx)
        return v if v.__class__ is Unknown else -v

    return neg


def arith(ops: Sequence[Callable[[Any, Any], Any]], fns: Sequence[Fn]) -> Fn:
    """``f0 op0 f1 op1 f2 ...`` left to right; unknown if any operand is unknown."""
    if len(fns) == 2 and ops[0] is _div:
        f, g = fns

        def divide(ctx: EvalContext) -> Any:
            a = f(ctx)
            b = g(ctx)
            if a.__class__ is Unknown:
                return merge(a, b) if b.__class__ is Unknown else a
            if b.__class__ is Unknown:
                return b
            if not b:
                return NO_VALUE
            if a.__class__ is int and b.__class__ is int:
                a = Decimal(a)
            try:
                return a / b
            except ArithmeticError:
                return NO_VALUE

        return divide
    if len(fns) == 2:
        (op,), (f, g) = ops, fns

        def two(ctx: EvalContext) -> Any:
            a = f(ctx)
            b = g(ctx)
            if a.__class__ is Unknown:
                return merge(a, b) if b.__class__ is Unknown else a
            if b.__class__ is Unknown:
                return b
            try:
                return op(a, b)
            except ArithmeticError:
                return NO_VALUE

        return two
    first, rest = fns[0], tuple(zip(ops, fns[1:], strict=True))

    def many(ctx: EvalContext) -> Any:
        acc = first(ctx)
        for op, f in rest:
            v = f(ctx)
            if acc.__class__ is Unknown:
                acc = merge(acc, v) if v.__class__ is Unknown else acc
            elif v.__class__ is Unknown:
                acc = v
            else:
                try:
                    acc = op(acc, v)
                except ArithmeticError:
                    acc = NO_VALUE
        return acc

    return many


def compare(op: Callable[[Any, Any], Any], f: Fn, g: Fn, right: Any = _MISS) -> Fn:
    """``f op g``; pass ``right`` when the right side is a constant (the common case)."""
    if right is not _MISS:

        def with_constant(ctx: EvalContext) -> Any:
            a = f(ctx)
            if a.__class__ is Unknown:
                return a
            return op(a, right)

        return with_constant

    def both(ctx: EvalContext) -> Any:
        a = f(ctx)
        b = g(ctx)
        if a.__class__ is Unknown:
            return merge(a, b) if b.__class__ is Unknown else a
        if b.__class__ is Unknown:
            return b
        return op(a, b)

    return both


def member(f: Fn, g: Fn, negated: bool, values: frozenset[Any] | None = None) -> Fn:
    """``f in g`` (Kleene: unknown items make a miss unknown); ``values`` when constant."""
    if values is not None:

        def in_constant(ctx: EvalContext) -> Any:
            a = f(ctx)
            if a.__class__ is Unknown:
                return a
            if a.__class__ is Span:
                return in_list(a, values, negated)
            return (a in values) is not negated

        return in_constant

    def in_fact_list(ctx: EvalContext) -> Any:
        return in_list(f(ctx), g(ctx), negated)

    return in_fact_list


def list_literal(fns: Sequence[Fn]) -> Fn:
    funcs = tuple(fns)
    return lambda ctx: [f(ctx) for f in funcs]


# -- functions and quantifiers ----------------------------------------------------------------


def call(impl: Callable[..., Any], fns: Sequence[Fn], with_context: bool) -> Fn:
    """Call a whitelisted function; unknown arguments or a failure give an Unknown."""
    if len(fns) == 1 and not with_context:
        (f,) = fns

        def one(ctx: EvalContext) -> Any:
            a = f(ctx)
            if a.__class__ is Unknown:
                return a
            try:
                return impl(a)
            except _ERRORS:
                return NO_VALUE

        return one
    funcs = tuple(fns)

    def many(ctx: EvalContext) -> Any:
        args = [f(ctx) for f in funcs]
        unknown: Unknown | None = None
        for a in args:
            if a.__class__ is Unknown:
                unknown = a if unknown is None else merge(unknown, a)
        if unknown is not None:
            return unknown
        try:
            return impl(ctx, *args) if with_context else impl(*args)
        except _ERRORS:
            return NO_VALUE

    return many


def quantifier(kind: str, slot: int, source: Fn, body: Fn) -> Fn:
    """``kind(x in source: body)`` with ``x`` in frame slot ``slot``."""
    at = 2 * slot
    if kind in ("any", "all"):
        return _any_all(kind == "any")(at, source, body)
    step, start = _FOLDS[kind]
    return _fold(step, start)(at, source, body)


def _any_all(stop: bool) -> Callable[[int, Fn, Fn], Fn]:
    def make(at: int, source: Fn, body: Fn) -> Fn:
        def run(ctx: EvalContext) -> Any:
            items = source(ctx)
            if items.__class__ is Unknown:
                return items
            frame = ctx.frame
            if len(frame) <= at + 1:
                frame.extend([None] * (at + 2 - len(frame)))
            unknowns: list[Unknown] = []
            for i, item in enumerate(items):
                frame[at] = item
                frame[at + 1] = i
                v = body(ctx)
                if v is stop:
                    return stop
                if v.__class__ is Unknown:
                    unknowns.append(v)
            return merge_all(unknowns) if unknowns else (not stop)

        return run

    return make


def _fold(step: Callable[[Any, Any], Any], start: Any) -> Callable[[int, Fn, Fn], Fn]:
    """count, sum, min, max: unknown as soon as one item's value is unknown."""

    def make(at: int, source: Fn, body: Fn) -> Fn:
        def run(ctx: EvalContext) -> Any:
            items = source(ctx)
            if items.__class__ is Unknown:
                return items
            frame = ctx.frame
            if len(frame) <= at + 1:
                frame.extend([None] * (at + 2 - len(frame)))
            acc = start
            unknowns: list[Unknown] = []
            for i, item in enumerate(items):
                frame[at] = item
                frame[at + 1] = i
                v = body(ctx)
                if v.__class__ is Unknown:
                    unknowns.append(v)
                elif not unknowns:
                    try:
                        acc = step(acc, v)
                    except ArithmeticError:
                        return NO_VALUE
            if unknowns:
                return merge_all(unknowns)
            return NO_VALUE if acc is _MISS else acc

        return run

    return make


def _least(acc: Any, v: Any) -> Any:
    if acc is _MISS:
        return v
    if acc.__class__ is Span or v.__class__ is Span:
        return Span.of(min(lower(acc), lower(v)), min(upper(acc), upper(v)),
                       _span_missing(acc, v))
    return v if v < acc else acc


def _greatest(acc: Any, v: Any) -> Any:
    if acc is _MISS:
        return v
    if acc.__class__ is Span or v.__class__ is Span:
        return Span.of(max(lower(acc), lower(v)), max(upper(acc), upper(v)),
                       _span_missing(acc, v))
    return v if v > acc else acc


def _span_missing(a: Any, b: Any) -> frozenset[str]:
    return (a.missing if a.__class__ is Span else frozenset()) | (
        b.missing if b.__class__ is Span else frozenset())


def _count(acc: Any, v: Any) -> Any:
    return acc + 1 if v is True else acc


_FOLDS: dict[str, tuple[Callable[[Any, Any], Any], Any]] = {
    "count": (_count, 0),
    "sum": (operator.add, 0),
    "min": (_least, _MISS),
    "max": (_greatest, _MISS),
}
"""Each folding quantifier's step and start; the closures are made per condition."""


def traced(f: Fn, label: str) -> Fn:
    """``f``, also recording ``(label, value)`` in ``ctx.trace`` (used by explain)."""

    def run(ctx: EvalContext) -> Any:
        v = f(ctx)
        if ctx.trace is not None:
            ctx.trace.append((label, v))
        return v

    return run
