"""Reading facts: closures that walk precomputed attribute names from the snapshot.

A fact that is None (anywhere on its path) reads as the :class:`Unknown` built for that
path when the condition was compiled, so a plain read allocates nothing. Fields of
list items, reached through a quantifier variable, are reported with their index:
``budget.adjustments[2].amount``. Float fields are read as :class:`~decimal.Decimal`
(by their shortest repr, so 0.1 stays 0.1), since all arithmetic is decimal.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from govrules.lang._runtime import NO_VALUE, EvalContext, Unknown

__all__ = [
    "Fn",
    "Read",
    "Where",
    "as_of",
    "constant",
    "derived_getter",
    "field_getter",
    "read_compare",
    "read_known",
    "root_getter",
    "var_getter",
]

Fn = Callable[[EvalContext], Any]
Where = Callable[[list[Any]], str]
"""Given the quantifier frame, the indexed path of a variable: ``budget.adjustments[2]``."""

_MISS = object()


def constant(value: Any) -> Fn:
    return lambda _ctx: value


def as_of(ctx: EvalContext) -> Any:
    return ctx.as_of


def _decimal(value: float, missing: Unknown) -> Decimal | Unknown:
    return Decimal(repr(value)) if math.isfinite(value) else missing


def compare(op: Callable[[Any, Any], Any], f: Fn, right: Any) -> Fn:
    def with_constant(ctx: EvalContext) -> Any:
        a = f(ctx)
        if a.__class__ is Unknown:
            return a
        return op(a, right)

    return with_constant


def root_getter(names: tuple[str, ...], missing: Unknown) -> Fn:
    """Read ``root.a.b...``; a None anywhere on the way gives ``missing``."""
    if len(names) == 1:
        (a,) = names

        def get1(ctx: EvalContext) -> Any:
            v = getattr(ctx.root, a, None)
            if v is None:
                return missing
            if v.__class__ is float:
                return _decimal(v, missing)
            return v

        return get1
    if len(names) == 2:
        a, b = names

        def get2(ctx: EvalContext) -> Any:
            v = getattr(ctx.root, a, None)
            if v is None:
                return missing
            v = getattr(v, b, None)
            if v is None:
                return missing
            if v.__class__ is float:
                return _decimal(v, missing)
            return v

        return get2

    def get(ctx: EvalContext) -> Any:
        v = ctx.root
        for name in names:
            v = getattr(v, name, None)
            if v is None:
                return missing
        if v.__class__ is float:
            return _decimal(v, missing)
        return v

    return get


@dataclass(frozen=True, slots=True)
class Read:
    """A plain read that comparisons and ``is known`` fuse into their own closure,
    saving a call per evaluation: a snapshot fact (``slot`` None; ``missing`` is its
    Unknown), or fields of a quantifier variable whose items come from the snapshot
    (``where`` names the item, to report a missing field with its index)."""

    names: tuple[str, ...]
    missing: Unknown
    slot: int | None = None
    where: Where | None = None


def read_compare(read: Read, op: Callable[[Any, Any], Any], right: Any) -> Fn:
    """``fact op right`` for a constant ``right``, in one closure."""
    names, missing = read.names, read.missing
    if read.slot is not None and read.where is not None:
        if len(names) == 1:
            return _var_compare(read.slot, names[0], read.where, op, right)
        return compare(op, var_getter(read.slot, names, read.where, True), right)
    if len(names) > 2:
        return compare(op, root_getter(names, missing), right)
    a, b = names if len(names) == 2 else (names[0], None)

    def cmp(ctx: EvalContext) -> Any:
        v = getattr(ctx.root, a, None)
        if v is None:
            return missing
        if b is not None:
            v = getattr(v, b, None)
            if v is None:
                return missing
        if v.__class__ is float:
            v = _decimal(v, missing)
            if v.__class__ is Unknown:
                return v
        return op(v, right)

    return cmp


def _var_compare(slot: int, name: str, where: Where, op: Callable[[Any, Any], Any],
                 right: Any) -> Fn:
    at = 2 * slot
    tail = "." + name

    def cmp(ctx: EvalContext) -> Any:
        v = ctx.frame[at]
        if v is not None:
            v = getattr(v, name, None)
            if v is not None:
                if v.__class__ is float:
                    v = _decimal(v, NO_VALUE)
                    if v.__class__ is Unknown:
                        return v
                return op(v, right)
        return Unknown(frozenset({where(ctx.frame) + tail}))

    return cmp


def read_known(read: Read, known: bool) -> Fn:
    """``fact is known`` (``known``) or ``fact is unknown``, without allocating."""
    names = read.names
    at = 2 * read.slot if read.slot is not None else -1

    def is_known(ctx: EvalContext) -> bool:
        v = ctx.root if at < 0 else ctx.frame[at]
        if v is None:
            return not known
        for name in names:
            v = getattr(v, name, None)
            if v is None:
                return not known
        if v.__class__ is float and not math.isfinite(v):
            return not known
        return known

    return is_known


def var_getter(slot: int, names: tuple[str, ...], where: Where, items_known: bool) -> Fn:
    """Read the current item of quantifier ``slot`` (then its fields ``names``).

    A missing value is reported with the item's index: ``budget.adjustments[2].amount``.
    ``items_known``: the list comes from the snapshot, so an item is never an Unknown.
    """
    at = 2 * slot
    tail = "".join("." + n for n in names)

    def missing(ctx: EvalContext) -> Unknown:
        return Unknown(frozenset({where(ctx.frame) + tail}))

    if items_known and len(names) == 1:
        (a,) = names

        def get1(ctx: EvalContext) -> Any:
            v = ctx.frame[at]
            if v is not None:
                v = getattr(v, a, None)
                if v is not None:
                    return _decimal(v, NO_VALUE) if v.__class__ is float else v
            return missing(ctx)

        return get1

    def get(ctx: EvalContext) -> Any:
        v = ctx.frame[at]
        if v is None:
            return missing(ctx)
        if v.__class__ is Unknown:
            return v
        for name in names:
            v = getattr(v, name, None)
            if v is None:
                return missing(ctx)
        if v.__class__ is float:
            return _decimal(v, NO_VALUE)
        return v

    return get


def derived_getter(name: str, fn: Fn, slots: int) -> Fn:
    """A derived fact, computed at most once per snapshot (memoised in ``ctx.cache``).

    A derived fact that uses quantifiers gets a frame of its own, so evaluating it
    from inside another quantifier does not overwrite that quantifier's variables.
    """

    def get(ctx: EvalContext) -> Any:
        cache = ctx.cache
        v = cache.get(name, _MISS)
        if v is _MISS:
            if slots:
                saved = ctx.frame
                ctx.frame = []
                try:
                    v = fn(ctx)
                finally:
                    ctx.frame = saved
            else:
                v = fn(ctx)
            cache[name] = v
        return v

    return get


def field_getter(base: Fn, names: tuple[str, ...], missing: Unknown) -> Fn:
    """Fields of a value computed by ``base`` (a derived record)."""

    def get(ctx: EvalContext) -> Any:
        v = base(ctx)
        if v.__class__ is Unknown:
            return v
        for name in names:
            v = getattr(v, name, None)
            if v is None:
                return missing
        if v.__class__ is float:
            return _decimal(v, missing)
        return v

    return get
