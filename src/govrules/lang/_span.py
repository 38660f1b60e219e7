"""A value known only between two ends: dates given to the month, and what monotone
functions and arithmetic make of them."""

from __future__ import annotations

import operator
from datetime import date
from typing import Any

from govrules.lang._runtime import Unknown

__all__ = ["Span", "lower", "upper"]


class Span:
    """A value known only to lie between ``lo`` and ``hi``, both included: a date a record
    gives to the month (``2023-05``), or what a monotone function makes of one.

    A comparison is true when it is true for every value of the span, false when it is
    false for every value, and otherwise an :class:`Unknown` naming ``missing`` (the fact
    whose exact value would decide). ``+``, ``-``, ``*`` and ``/`` on number spans give
    the span of every result. A span whose ends meet is the plain value (:meth:`of`).
    """

    __slots__ = ("hi", "lo", "missing")

    def __init__(self, lo: Any, hi: Any, missing: frozenset[str] = frozenset()) -> None:
        if hi < lo:
            raise ValueError(f"an empty span: {lo} .. {hi}")
        self.lo = lo
        self.hi = hi
        self.missing = missing

    @classmethod
    def of(cls, lo: Any, hi: Any, missing: frozenset[str] = frozenset()) -> Any:
        """The span ``lo .. hi``, or ``lo`` itself when the ends meet."""
        return lo if lo == hi else cls(lo, hi, missing)

    @classmethod
    def month(cls, year: int, month: int, missing: frozenset[str] = frozenset()) -> Span:
        """Every day of one calendar month."""
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1).toordinal() - 1
        return cls(first, date.fromordinal(last), missing)

    def is_month(self) -> bool:
        lo, hi = self.lo, self.hi
        return (isinstance(lo, date) and isinstance(hi, date) and lo.day == 1
                and (lo.year, lo.month) == (hi.year, hi.month)
                and (hi.toordinal() + 1 == date(hi.year + hi.month // 12,
                                                 hi.month % 12 + 1, 1).toordinal()))

    def __str__(self) -> str:
        if self.is_month():
            return f"{self.lo.year:04d}-{self.lo.month:02d}"
        return f"{self.lo}..{self.hi}"

    def __repr__(self) -> str:
        return f"Span({self.lo!r}, {self.hi!r})"

    def __hash__(self) -> int:
        return hash((Span, self.lo, self.hi))

    def __bool__(self) -> bool:
        return True  # never exactly zero: a span whose ends meet is the plain value

    # -- three-valued comparisons ---------------------------------------------------------

    def _ends(self, other: Any) -> tuple[Any, Any, frozenset[str]]:
        if other.__class__ is Span:
            return other.lo, other.hi, self.missing | other.missing
        return other, other, self.missing

    def __lt__(self, other: Any) -> Any:
        lo, hi, missing = self._ends(other)
        return True if self.hi < lo else False if self.lo >= hi else Unknown(missing)

    def __le__(self, other: Any) -> Any:
        lo, hi, missing = self._ends(other)
        return True if self.hi <= lo else False if self.lo > hi else Unknown(missing)

    def __gt__(self, other: Any) -> Any:
        lo, hi, missing = self._ends(other)
        return True if self.lo > hi else False if self.hi <= lo else Unknown(missing)

    def __ge__(self, other: Any) -> Any:
        lo, hi, missing = self._ends(other)
        return True if self.lo >= hi else False if self.hi < lo else Unknown(missing)

    def __eq__(self, other: object) -> Any:
        if other.__class__ is Unknown:
            return NotImplemented
        if other.__class__ is Span and (other.lo, other.hi, other.missing) == (
                self.lo, self.hi, self.missing):
            return True  # the same fact read twice
        lo, hi, missing = self._ends(other)
        return False if self.hi < lo or self.lo > hi else Unknown(missing)

    def __ne__(self, other: object) -> Any:
        same = self.__eq__(other)
        return same if same is NotImplemented or same.__class__ is Unknown else not same

    # -- interval arithmetic on numbers ----------------------------------------------------

    def _corners(self, other: Any, op: Any, swap: bool = False) -> Any:
        lo, hi, missing = self._ends(other)
        if swap:
            values = [op(a, b) for a in (lo, hi) for b in (self.lo, self.hi)]
        else:
            values = [op(a, b) for a in (self.lo, self.hi) for b in (lo, hi)]
        return Span.of(min(values), max(values), missing)

    def __add__(self, other: Any) -> Any:
        return self._corners(other, operator.add)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        return self._corners(other, operator.sub)

    def __rsub__(self, other: Any) -> Any:
        return self._corners(other, operator.sub, swap=True)

    def __mul__(self, other: Any) -> Any:
        return self._corners(other, operator.mul)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        lo, hi, missing = self._ends(other)
        if lo <= 0 <= hi:
            return Unknown(missing)
        return self._corners(other, operator.truediv)

    def __rtruediv__(self, other: Any) -> Any:
        if self.lo <= 0 <= self.hi:
            return Unknown(self.missing)
        return self._corners(other, operator.truediv, swap=True)

    def __neg__(self) -> Span:
        return Span(-self.hi, -self.lo, self.missing)

    def __abs__(self) -> Any:
        if self.lo >= 0:
            return self
        if self.hi <= 0:
            return -self
        return Span(0 * self.lo, max(-self.lo, self.hi), self.missing)


def lower(value: Any) -> Any:
    """The least value ``value`` can have (itself, unless it is a :class:`Span`)."""
    return value.lo if value.__class__ is Span else value


def upper(value: Any) -> Any:
    """The greatest value ``value`` can have (itself, unless it is a :class:`Span`)."""
    return value.hi if value.__class__ is Span else value
