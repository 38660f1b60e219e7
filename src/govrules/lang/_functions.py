"""The whitelist: the only functions a condition can call.

Each entry gives the parameter types, the result type and the implementation. An
argument that is unknown makes the result unknown (the compiler does that, not the
implementations). A pure function whose arguments are all constants is evaluated
once, when the pack loads. ``today()`` does not exist on purpose: a rule must use
``as_of``, the evaluation date, so that a report can be replayed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from govrules.base.calendar import (
    Quarter,
    add_days,
    add_months,
    add_years,
    days_between,
    months_between,
)
from govrules.base.i18n import N_, _, ngettext
from govrules.lang._types import (
    Date,
    ListOf,
    Number,
    QuarterT,
    Span,
    String,
    Type,
    is_ordered,
    lower,
    upper,
)

if TYPE_CHECKING:
    from govrules.lang._runtime import EvalContext

__all__ = ["BUILTINS", "FUNCTIONS", "Function", "FunctionTable", "as_int", "function_names"]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


class _AnyList(Type):
    """Parameter marker: a list of anything."""

    __slots__ = ()

    def describe(self) -> str:
        return "list"

    def compatible(self, other: Type) -> bool:
        return isinstance(other, ListOf) or super().compatible(other)


class _Ordered(Type):
    """Parameter marker: a number, a date or a quarter (the same for every argument)."""

    __slots__ = ()

    def describe(self) -> str:
        return "number, date or quarter"

    def compatible(self, other: Type) -> bool:
        return is_ordered(other)


_LIST = _AnyList()
_ORDERED = _Ordered()


@dataclass(frozen=True, slots=True)
class Function:
    """One whitelisted function.

    ``params`` are the parameter types. ``returns`` is None for ``min``/``max``, whose
    arguments are all numbers, or all dates, or all quarters, and whose result has
    that type. ``literal`` marks functions that take one string
    literal and are evaluated while compiling (``date('2025-01-01')``). ``integers``
    are the positions of parameters that must be whole numbers. ``with_context``
    functions receive the :class:`EvalContext` first and are never folded.
    """

    name: str
    params: tuple[Type, ...]
    returns: Type | None
    impl: Callable[..., Any]
    summary: str
    variadic: bool = False
    literal: bool = False
    integers: frozenset[int] = frozenset()
    with_context: bool = False

    @property
    def arity(self) -> str:
        count = len(self.params)
        if self.variadic:
            return ngettext("{n} or more arguments", "{n} or more arguments", count).format(
                n=count)
        return ngettext("{n} argument", "{n} arguments", count).format(n=count)

    def accepts(self, count: int) -> bool:
        return count >= len(self.params) if self.variadic else count == len(self.params)

    def check(self, args: Sequence[Type]) -> Type | tuple[int, str]:
        """The result type, or (index of the bad argument, what is wrong)."""
        if self.returns is None:  # min/max: same ordered type throughout
            first = args[0]
            for i, typ in enumerate(args):
                if not is_ordered(typ):
                    return i, _("{name}() compares numbers, dates or quarters, not {type}"
                                ).format(name=self.name, type=typ.a)
                if not typ.compatible(first):
                    return i, _("{name}() needs arguments of one type: {first} and {type}"
                                ).format(name=self.name, first=first, type=typ)
            return first
        for i, (typ, want) in enumerate(zip(args, self.params, strict=True)):
            if not want.compatible(typ):
                return i, _("{name}() takes {want} here, not {type}").format(
                    name=self.name, want=want.a, type=typ.a)
        return self.returns


def as_int(value: Any) -> int:
    """A whole number as ``int``; ``ValueError`` for 2.5 (the caller makes it unknown)."""
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise ValueError(f"not a whole number: {value}")


def _date_literal(text: str) -> date:
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(_("not a date: {text!r} (write YYYY-MM-DD, e.g. '2025-01-01')").format(
            text=text))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("no such date: {text!r}").format(text=text)) from None


def _quarter_literal(text: str) -> Quarter:
    return Quarter.parse(text)


def _working_days_after(ctx: EvalContext, day: date, n: Any) -> date:
    return ctx.calendar.add_working_days(day, as_int(n), ctx.uncovered_years)


def _add_days(day: date, n: Any) -> date:
    return add_days(day, as_int(n))


def _add_months(day: date, n: Any) -> date:
    return add_months(day, as_int(n))


def _add_years(day: date, n: Any) -> date:
    return add_years(day, as_int(n))


def _min(*values: Any) -> Any:
    return min(values)


def _max(*values: Any) -> Any:
    return max(values)


def _lift(impl: Callable[..., Any], *rising: bool, context: bool = False) -> Callable[..., Any]:
    """``impl``, also for :class:`Span` arguments: the span of every result.

    ``rising[i]`` says whether the result grows (True) or shrinks (False) with argument
    ``i``; the function must be monotone in each argument, so the least result comes
    from one end of every span and the greatest from the other. Without a span among
    the arguments ``impl`` is called as it is.

    The table is built when this module is imported, so the work is done by a module
    function (:func:`_lifted`) that each call runs, not by a closure made here: a
    change to it is then seen by every call (and by ``make mutate``).
    """
    lifted = functools.partial(_lifted, impl, rising, 1 if context else 0)
    lifted.__name__ = getattr(impl, "__name__", "lifted")  # type: ignore[attr-defined]
    lifted.__doc__ = impl.__doc__
    return lifted


def _lifted(impl: Callable[..., Any], rising: tuple[bool, ...], skip: int, *args: Any) -> Any:
    spans = [a for a in args[skip:] if a.__class__ is Span]
    if not spans:
        return impl(*args)
    head, rest = args[:skip], args[skip:]
    least = [lower(a) if up else upper(a) for a, up in zip(rest, rising, strict=True)]
    most = [upper(a) if up else lower(a) for a, up in zip(rest, rising, strict=True)]
    missing = frozenset().union(*(s.missing for s in spans))
    return Span.of(impl(*head, *least), impl(*head, *most), missing)


def _lift_all(impl: Callable[..., Any]) -> Callable[..., Any]:
    """``min``/``max`` over spans: rising in every argument, however many (the work is
    done by :func:`_lifted_all`, for the reason given at :func:`_lift`)."""
    lifted = functools.partial(_lifted_all, impl)
    lifted.__name__ = impl.__name__  # type: ignore[attr-defined]
    return lifted


def _lifted_all(impl: Callable[..., Any], *args: Any) -> Any:
    if not any(a.__class__ is Span for a in args):
        return impl(*args)
    missing = frozenset().union(*(a.missing for a in args if a.__class__ is Span))
    return Span.of(impl(*map(lower, args)), impl(*map(upper, args)), missing)


class FunctionTable(Mapping[str, Function]):
    """An immutable table of whitelisted functions, by name.

    A compiled condition captures the table of the :class:`~govrules.lang.Env` it was
    compiled with, so changing which functions exist means compiling with another table
    (:meth:`replace`), never editing a shared one.
    """

    __slots__ = ("_by_name",)

    def __init__(self, functions: Iterable[Function]) -> None:
        by_name: dict[str, Function] = {}
        for function in functions:
            if function.name in by_name:
                raise ValueError(f"function {function.name!r} is listed twice")
            by_name[function.name] = function
        self._by_name = by_name

    def __getitem__(self, name: str) -> Function:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def __repr__(self) -> str:
        return f"FunctionTable({', '.join(self._by_name)})"

    def replace(self, *functions: Function) -> FunctionTable:
        """A new table with ``functions`` added, or replacing those of the same name."""
        return FunctionTable({**self._by_name, **{f.name: f for f in functions}}.values())


BUILTINS = FunctionTable((
    Function("date", (String(),), Date, _date_literal,
             N_("a fixed date: date('2025-01-01')"), literal=True),
    Function("quarter", (String(),), QuarterT, _quarter_literal,
             N_("a fixed quarter: quarter('2025Q3')"), literal=True),
    Function("working_days_after", (Date, Number), Date,
             _lift(_working_days_after, True, True, context=True),
             "the n-th official working day after a date (the date itself does not count)",
             integers=frozenset({1}), with_context=True),
    Function("add_days", (Date, Number), Date, _lift(_add_days, True, True),
             "a date plus n calendar days", integers=frozenset({1})),
    Function("add_months", (Date, Number), Date, _lift(_add_months, True, True),
             "a date plus n months (the month's last day when the day does not exist)",
             integers=frozenset({1})),
    Function("add_years", (Date, Number), Date, _lift(_add_years, True, True),
             "a date plus n years (28 February for 29 February in a common year)",
             integers=frozenset({1})),
    Function("days_between", (Date, Date), Number, _lift(days_between, False, True),
             "calendar days from the first date to the second"),
    Function("months_between", (Date, Date), Number,
             _lift(months_between, False, True),
             "whole months from the first date to the second"),
    Function("quarter_of", (Date,), QuarterT, _lift(Quarter.of, True),
             "the quarter a date falls in"),
    Function("quarter_start", (QuarterT,), Date, _lift(lambda q: q.start, True),
             "the first day of a quarter"),
    Function("quarter_end", (QuarterT,), Date, _lift(lambda q: q.end, True),
             "the last day of a quarter"),
    Function("next_quarter", (QuarterT,), QuarterT, _lift(lambda q: q.next(), True),
             "the quarter after a quarter"),
    Function("year", (Date,), Number, _lift(lambda d: d.year, True), "the year of a date"),
    Function("year_end", (Date,), Date, _lift(lambda d: date(d.year, 12, 31), True),
             "31 December of a date's year (e.g. a yearly report due before the year ends)"),
    Function("abs", (Number,), Number, abs, "the absolute value of a number"),
    Function("min", (_ORDERED, _ORDERED), None, _lift_all(_min),
             "the smallest of two or more numbers, dates or quarters", variadic=True),
    Function("max", (_ORDERED, _ORDERED), None, _lift_all(_max),
             "the largest of two or more numbers, dates or quarters", variadic=True),
    Function("len", (_LIST,), Number, len, "the number of items in a list"),
))
"""The functions every condition can call (the default table of an Env)."""

FUNCTIONS: Mapping[str, Function] = BUILTINS
"""The built-in table under its historical name (read-only)."""


def function_names() -> frozenset[str]:
    """The names of the whitelisted functions (what the conformance gate checks against)."""
    return frozenset(BUILTINS)
