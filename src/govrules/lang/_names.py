"""Names in conditions: snapshot facts, derived facts, ``as_of`` and quantifier variables.

The part of the compiler that resolves a dotted path to its type and its reading
closure, records the facts a condition reads, and explains a name that resolves to
nothing (with a "did you mean").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from govrules.base.i18n import N_, _
from govrules.lang import _reads as reads
from govrules.lang._env import AS_OF, Env
from govrules.lang._nodes import Node, Path
from govrules.lang._problems import Problem, did_you_mean
from govrules.lang._reads import Fn, Where
from govrules.lang._runtime import NO_VALUE, Unknown
from govrules.lang._types import ERROR, Date, ListOf, Object, Type

__all__ = ["ERR", "NOT_CONSTANT", "SPECIAL_HINTS", "Code", "Resolver", "Scope", "Var",
           "is_fact_path"]

NOT_CONSTANT: Any = object()
"""``Code.const`` of a part whose value is not known before evaluation."""

_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*", re.ASCII)
SPECIAL_HINTS = {
    "null": N_("to test for a missing fact, write 'x is unknown'"),
    "none": N_("to test for a missing fact, write 'x is unknown'"),
    "today": N_("use as_of, the evaluation date"),
    "now": N_("use as_of, the evaluation date"),
}


@dataclass(frozen=True, slots=True)
class Code:
    """A checked part: its type, its closure, its value when constant, and for a plain
    snapshot fact the attribute names and the Unknown it gives when absent (so that a
    comparison can read the fact itself, saving a call)."""

    type: Type
    fn: Fn
    const: Any = NOT_CONSTANT
    read: reads.Read | None = None


ERR = Code(ERROR, reads.constant(NO_VALUE))


@dataclass(frozen=True, slots=True)
class Var:
    """A quantifier variable: its item type, frame slot, fact path and indexed path."""

    type: Type
    slot: int
    fact: str | None
    where: Where


Scope = Mapping[str, Var]


def is_fact_path(text: str, env: Env, expect: Type | None = None) -> bool:
    """Whether ``text`` is a snapshot fact path (of type ``expect``), e.g. ``contract.filed``."""
    if not _PATH.fullmatch(text.strip()):
        return False
    typ: Type = env.root
    for name in text.strip().split("."):
        if not isinstance(typ, Object) or name not in typ.fields:
            return False
        typ = typ.fields[name]
    return expect is None or (typ is not ERROR and expect.compatible(typ))


class Resolver:
    """Resolves names for the compiler and collects its problems, facts and uses."""

    def __init__(self, env: Env, text: str) -> None:
        self.env = env
        self.text = text
        self.problems: list[Problem] = []
        self.facts: set[str] = set()
        self.uses: set[str] = set()

    # -- helpers ------------------------------------------------------------------------

    def problem(self, code: str, message: str, offset: int, hint: str | None = None) -> Code:
        self.problems.append(Problem(code, message, offset, hint))
        return ERR

    def show(self, node: Node) -> str:
        snippet = " ".join(self.text[node.start:node.end].split())
        return repr(snippet if len(snippet) <= 40 else snippet[:37] + "...")

    # -- names ----------------------------------------------------------------------------

    def path(self, node: Path, scope: Scope) -> tuple[Code, str | None, Where]:
        """The code reading ``node``, its fact path (list items unindexed, None when it
        is not a snapshot fact) and its indexed path at run time, which names the items
        of a quantifier going through it (``budget.adjustments[2]``)."""
        parts = node.parts
        head = parts[0]
        var = scope.get(head)
        derived = self.env.derived.get(head)
        start: Type
        if var is not None:
            start, names = var.type, parts[1:]
        elif head == AS_OF:
            if len(parts) > 1:
                return self.unknown_fact(node, scope, _(
                    "{name} is a date and has no fields").format(name=AS_OF))
            return Code(Date, reads.as_of), None, _constant_where(AS_OF)
        elif head in self.env.root.fields:
            start, names = self.env.root, parts
        elif derived is not None:
            start, names = derived.type, parts[1:]
        else:
            return self.unknown_fact(node, scope, None)
        typ = start
        for i, name in enumerate(names):
            if typ is ERROR:
                return ERR, None, _constant_where(node.dotted)
            if not isinstance(typ, Object) or name not in typ.fields:
                return self.bad_field(node, typ, len(parts) - len(names) + i, scope)
            typ = typ.fields[name]
        tail = "".join("." + n for n in names)
        if var is not None:
            return self.var_read(var, names, tail, typ)
        if derived is not None:
            self.uses.add(head)
            self.uses.update(derived.compiled.uses)
            self.facts.update(derived.compiled.facts)
            fn = reads.derived_getter(head, derived.compiled.fn, derived.compiled.slots)
            if names:
                fn = reads.field_getter(fn, names, Unknown(frozenset({node.dotted})))
            return Code(typ, fn), None, _constant_where(node.dotted)
        missing = Unknown(frozenset({node.dotted}))
        self.facts.add(node.dotted)
        code = Code(typ, reads.root_getter(names, missing), read=reads.Read(names, missing))
        return code, node.dotted, _constant_where(node.dotted)

    def var_read(self, var: Var, names: tuple[str, ...], tail: str,
                 typ: Type) -> tuple[Code, str | None, Where]:
        """A quantifier variable, or a field of it."""
        outer = var.where

        def where(frame: list[Any]) -> str:
            return outer(frame) + tail

        fn = reads.var_getter(var.slot, names, outer, var.fact is not None)
        if var.fact is None:  # the items of a derived list: not snapshot facts
            return Code(typ, fn), None, where
        fact = var.fact + tail
        self.facts.add(fact)
        read = reads.Read(names, NO_VALUE, var.slot, outer) if names else None
        return Code(typ, fn, read=read), fact, where

    def candidates(self, scope: Scope) -> list[str]:
        out = [*self.env.names, "true", "false"]
        for name, var in scope.items():
            out.append(name)
            if isinstance(var.type, Object):
                out.extend(var.type.paths(name + "."))
        return out

    def unknown_fact(self, node: Path, scope: Scope,
                     why: str | None) -> tuple[Code, None, Where]:
        special = SPECIAL_HINTS.get(node.dotted.lower())
        hint = _(special) if special else did_you_mean(node.dotted, self.candidates(scope))
        message = (_("no fact {name!r}: {why}").format(name=node.dotted, why=why) if why else
                   _("no fact {name!r}").format(name=node.dotted))
        return (self.problem("expr-unknown-fact", message, node.start, hint), None,
                _constant_where(node.dotted))

    def bad_field(self, node: Path, typ: Type, index: int,
                  scope: Scope) -> tuple[Code, None, Where]:
        before = ".".join(node.parts[:index])
        if isinstance(typ, ListOf):
            field = ".".join(node.parts[index:])
            code = self.problem(
                "expr-unknown-fact", _("no fact {name!r}: {list!r} is a list").format(
                    name=node.dotted, list=before), node.start,
                _("go through its items, e.g. any(x in {list}: x.{field} ...)").format(
                    list=before, field=field))
            return code, None, _constant_where(node.dotted)
        if isinstance(typ, Object):
            return self.unknown_fact(node, scope, None)
        return self.unknown_fact(node, scope, _("{name!r} is {type} and has no fields").format(
            name=before, type=typ.a))



def _constant_where(text: str) -> Where:
    return lambda _frame: text
