"""Static types of the condition language, and how they are read off the snapshot model.

``Bool``, ``Number``, ``Date`` and ``QuarterT`` are values (``expect=Bool``);
``String``, ``ListOf`` and ``Object`` are classes because they carry details. Two
types are compatible when they are the same *kind*: a ``String`` with choices is
compatible with any other ``String``.
"""

from __future__ import annotations

import enum
import functools
import types as pytypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from govrules.base.calendar import Quarter
from govrules.base.i18n import _
from govrules.lang._span import Span, lower, upper

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
        """The description with an article, for messages: ``a date``, ``text`` (in the
        chosen language, like :meth:`describe`)."""
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
        return _("true/false")

    @property
    def a(self) -> str:
        return self.describe()


@dataclass(frozen=True, slots=True)
class NumberType(Type):
    def describe(self) -> str:
        return _("number")

    @property
    def a(self) -> str:
        return _("a number")


@dataclass(frozen=True, slots=True)
class DateType(Type):
    def describe(self) -> str:
        return _("date")

    @property
    def a(self) -> str:
        return _("a date")


@dataclass(frozen=True, slots=True)
class QuarterType(Type):
    def describe(self) -> str:
        return _("quarter")

    @property
    def a(self) -> str:
        return _("a quarter")


@dataclass(frozen=True, slots=True)
class String(Type):
    """Text; ``choices`` lists the allowed values when the model fixes them."""

    choices: frozenset[str] | None = None

    def describe(self) -> str:
        return _("text")

    @property
    def a(self) -> str:
        return self.describe()


@dataclass(frozen=True, slots=True)
class ListOf(Type):
    item: Type

    def describe(self) -> str:
        if self.item is NOTHING:
            return _("empty list")
        return _("list of {item}").format(item=self.item.describe())

    @property
    def a(self) -> str:
        if self.item is NOTHING:
            return _("an empty list")
        return _("a list of {item}").format(item=self.item.describe())

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
        return _("{name} record").format(name=self.name)

    @property
    def a(self) -> str:
        return _("a {name} record").format(name=self.name)


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
