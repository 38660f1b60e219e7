"""What a condition can name (:class:`Env`) and what compiling one produces (:class:`Compiled`).

An :class:`Env` holds the snapshot's static type, the pack's derived facts and the
table of functions conditions may call. It is immutable: a pack loader compiles derived
facts in dependency order and adds each with :meth:`Env.with_derived`, so a derived fact
can use only those defined before it, which rules out cycles.
"""

from __future__ import annotations

import functools
import re
import types as pytypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from govrules.base.errors import Diagnostic, ExpressionError
from govrules.base.i18n import _
from govrules.lang._functions import BUILTINS, FunctionTable
from govrules.lang._lexer import KEYWORDS
from govrules.lang._nodes import Node
from govrules.lang._types import Object, Type

if TYPE_CHECKING:
    from govrules.base.location import Span
    from govrules.lang._runtime import EvalContext

__all__ = ["AS_OF", "Compiled", "DerivedFact", "Env"]

AS_OF = "as_of"
"""The name of the evaluation date in conditions."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)


@dataclass(frozen=True, slots=True, eq=False)
class Compiled:
    """A checked, compiled condition: call ``fn(ctx)`` (or the object itself) per snapshot.

    ``facts`` are the snapshot paths it reads, including those read by the derived facts
    it uses (``uses``); fields of list items appear without index
    (``budget.adjustments.amount``). ``node`` is the syntax tree, kept for
    :func:`~govrules.lang.explain`. ``slots`` is the quantifier nesting it needs.
    """

    text: str
    type: Type
    fn: Callable[[EvalContext], object] = field(repr=False)
    facts: frozenset[str]
    node: Node = field(repr=False)
    uses: frozenset[str] = frozenset()
    slots: int = 0
    env: Env | None = field(default=None, repr=False)

    def __call__(self, ctx: EvalContext) -> object:
        return self.fn(ctx)


@dataclass(frozen=True, slots=True)
class DerivedFact:
    """A named value a pack defines once and its conditions use by bare name."""

    name: str
    type: Type
    compiled: Compiled


@dataclass(frozen=True, eq=False)
class Env:
    """The names a condition can use: fields of ``root``, derived facts and ``as_of``;
    and the functions it can call (``functions``, the built-in table unless given)."""

    root: Object
    derived: Mapping[str, DerivedFact] = field(default_factory=dict)
    functions: FunctionTable = field(default_factory=lambda: BUILTINS)

    def __post_init__(self) -> None:
        frozen = pytypes.MappingProxyType(dict(self.derived))
        object.__setattr__(self, "derived", frozen)
        problems = [p for name in frozen for p in self._name_problems(name, None)]
        if problems:
            raise ExpressionError(problems)

    def with_derived(self, name: str, compiled: Compiled, *, span: Span | None = None) -> Env:
        """This environment plus the derived fact ``name``; raise :class:`ExpressionError`
        (``expr-name-clash`` or ``expr-syntax``) when the name cannot be used."""
        problems = self._name_problems(name, span)
        if name in self.derived:
            problems.append(Diagnostic("expr-name-clash", _(
                "derived fact {name!r} is defined twice").format(name=name), span))
        if problems:
            raise ExpressionError(problems)
        return Env(self.root, {**self.derived, name: DerivedFact(name, compiled.type, compiled)},
                   self.functions)

    def _name_problems(self, name: str, span: Span | None) -> list[Diagnostic]:
        if not _IDENTIFIER.fullmatch(name) or name in KEYWORDS:
            return [Diagnostic("expr-syntax", _("{name!r} cannot name a derived fact").format(
                name=name), span, hint=_("use ASCII letters, digits and '_', not a keyword"))]
        if name in self.root.fields:
            return [Diagnostic("expr-name-clash", _(
                "derived fact {name!r} has the name of a snapshot field").format(name=name),
                span, hint=_("choose another name"))]
        if name == AS_OF:
            return [Diagnostic("expr-name-clash", _("{name!r} is the evaluation date").format(
                name=AS_OF), span, hint=_("choose another name"))]

        return []

    @functools.cached_property
    def names(self) -> tuple[str, ...]:
        """Every name a condition can start with, and every path below the root."""
        return (*self.root.paths(), *self.derived, AS_OF)
