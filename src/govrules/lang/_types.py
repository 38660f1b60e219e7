"""Static types of the condition language, and how they are read off the snapshot model.

``Bool``, ``Number``, ``Date`` and ``QuarterT`` are values (``expect=Bool``);
``String``, ``ListOf`` and ``Object`` are classes because they carry details. Two
types are compatible when they are the same *kind*: a ``String`` with choices is
compatible with any other ``String``.
"""

from __future__ import annotations

import enum
import functools
import operator
import types as pytypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from govrules.base.calendar import Quarter
from govrules.lang._runtime import Unknown

__all__ = [
    "ERROR",
    "NOTHING",
    "Bool",
    "BoolType",
    "Date",
    "DateType",
    "ListOf",
    "Number",
    "NumberType",
    "Object",
    "QuarterT",
    "QuarterType",
    "Span",
    "String",
    "Type",
    "is_ordered",
    "is_report_list",
    "lower",
    "type_from_model",
    "upper",
]


class Type:
    """Base of every static type."""

    __slots__ = ()

    def describe(self) -> str:
        raise NotImplementedError

    @property
    def a(self) -> str:
        """The description with an article, for messages: ``a date``, ``text``."""
        text = self.describe()
        if text in ("text", "true/false"):
            return text
        return ("an " if text[0] in "aeiou" else "a ") + text

    def compatible(self, other: Type) -> bool:
        """Same kind of value (``==`` is allowed between them)."""
        if isinstance(other, _Wildcard):
            return True
        return type(self) is type(other)

    def __str__(self) -> str:
        return self.describe()


@dataclass(frozen=True, slots=True)
class BoolType(Type):
    def describe(self) -> str:
        return "true/false"


@dataclass(frozen=True, slots=True)
class NumberType(Type):
    def describe(self) -> str:
        return "number"


@dataclass(frozen=True, slots=True)
class DateType(Type):
    def describe(self) -> str:
        return "date"


@dataclass(frozen=True, slots=True)
class QuarterType(Type):
    def describe(self) -> str:
        return "quarter"


@dataclass(frozen=True, slots=True)
class String(Type):
    """Text; ``choices`` lists the allowed values when the model fixes them."""

    choices: frozenset[str] | None = None

    def describe(self) -> str:
        return "text"


@dataclass(frozen=True, slots=True)
class ListOf(Type):
    item: Type

    def describe(self) -> str:
        return "empty list" if self.item is NOTHING else f"list of {self.item.describe()}"

    def compatible(self, other: Type) -> bool:
        if isinstance(other, ListOf):
            return self.item.compatible(other.item)
        return isinstance(other, _Wildcard)


@dataclass(frozen=True, slots=True, eq=False)
class Object(Type):
    """A record such as the snapshot or one budget adjustment; compared by identity."""

    name: str
    fields: Mapping[str, Type] = field(repr=False)

    def describe(self) -> str:
        return f"{self.name} record"

    def compatible(self, other: Type) -> bool:
        return isinstance(other, _Wildcard) or (
            isinstance(other, Object) and other.name == self.name
        )

    def paths(self, prefix: str = "") -> list[str]:
        """Every dotted path below this record, not descending into lists."""
        out: list[str] = []
        for name, typ in self.fields.items():
            path = prefix + name
            out.append(path)
            if isinstance(typ, Object):
                out.extend(typ.paths(path + "."))
        return out


@dataclass(frozen=True, slots=True)
class _Wildcard(Type):
    """Compatible with everything: the item type of ``[]``, and the type of a part
    that already has an error (so one mistake is reported once)."""

    label: str

    def describe(self) -> str:
        return self.label

    def compatible(self, other: Type) -> bool:
        return True


Bool = BoolType()
Number = NumberType()
Date = DateType()
QuarterT = QuarterType()
NOTHING: Type = _Wildcard("nothing")
ERROR: Type = _Wildcard("error")


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


def is_ordered(typ: Type) -> bool:
    """Whether ``<`` and ``>`` work on values of ``typ``."""
    return isinstance(typ, NumberType | DateType | QuarterType | _Wildcard)


def is_report_list(typ: Type) -> bool:
    """Whether ``typ`` is a list of period reports: records with a ``period`` quarter and
    a ``submitted_on`` date (the shape periodic-reporting rules go through)."""
    if not isinstance(typ, ListOf) or not isinstance(typ.item, Object):
        return False
    fields = typ.item.fields
    return isinstance(fields.get("period"), QuarterType) and isinstance(
        fields.get("submitted_on"), DateType)


def type_from_model(model: type[BaseModel]) -> Object:
    """The static type of a pydantic model, field by field (computed fields included).

    ``X | None`` is ``X`` (absence is unknown, not a separate type). A field type the
    language cannot use is a programming error and raises :class:`TypeError`.
    """
    return _model(model, ())


@functools.cache
def _model(model: type[BaseModel], seen: tuple[type[BaseModel], ...]) -> Object:
    if model in seen:
        raise TypeError(f"{model.__name__} refers to itself: conditions need a finite model")
    inner = (*seen, model)
    fields: dict[str, Type] = {}
    for name, info in model.model_fields.items():
        fields[name] = _convert(info.annotation, f"{model.__name__}.{name}", inner)
    for name, computed in model.model_computed_fields.items():
        fields[name] = _convert(computed.return_type, f"{model.__name__}.{name}", inner)
    return Object(model.__name__, pytypes.MappingProxyType(fields))


def _convert(annotation: Any, where: str, seen: tuple[type[BaseModel], ...]) -> Type:
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        return _convert(args[0], where, seen)
    if origin is Union or origin is pytypes.UnionType:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return _convert(rest[0], where, seen)
        raise TypeError(f"{where}: a union of several types cannot be used in conditions")
    if origin is Literal:
        if all(isinstance(a, str) for a in args):
            return String(frozenset(args))
        raise TypeError(f"{where}: only Literal of strings can be used in conditions")
    if origin in (list, tuple, Sequence):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            raise TypeError(f"{where}: only tuple[X, ...] can be used in conditions")
        if not args:
            raise TypeError(f"{where}: a list needs an item type")
        return ListOf(_convert(args[0], where + "[]", seen))
    if isinstance(annotation, type):
        return _plain(annotation, where, seen)
    raise TypeError(f"{where}: type {annotation!r} cannot be used in conditions")


def _plain(cls: type, where: str, seen: tuple[type[BaseModel], ...]) -> Type:
    if cls is bool:
        return Bool
    if issubclass(cls, int | float | Decimal) and not issubclass(cls, bool):
        return Number
    if issubclass(cls, datetime):
        raise TypeError(f"{where}: date-times cannot be used in conditions; use a date")
    if issubclass(cls, date):
        return Date
    if issubclass(cls, enum.Enum):
        values = [m.value for m in cls]
        if issubclass(cls, str) and all(isinstance(v, str) for v in values):
            return String(frozenset(values))
        raise TypeError(f"{where}: only str enums can be used in conditions")
    if issubclass(cls, str):
        return String()
    if cls is Quarter:
        return QuarterT
    if issubclass(cls, BaseModel):
        return _model(cls, seen)
    raise TypeError(f"{where}: type {cls.__name__} cannot be used in conditions")
