"""Calls in conditions: the whitelisted functions and the quantifiers over lists.

The part of one compilation (:class:`govrules.lang._compiler._Builder`) that checks a
call's name, arity and arguments, or a quantifier's list, variable and body, and builds
its closure; with the checks every part of a condition shares (:meth:`Parts.need`) and
constant folding (:meth:`Parts.result`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from govrules.base.i18n import N_, _
from govrules.lang import _closures as closures
from govrules.lang import _reads as reads
from govrules.lang._env import AS_OF, Env
from govrules.lang._functions import as_int
from govrules.lang._names import ERR, NOT_CONSTANT, SPECIAL_HINTS, Code, Resolver, Scope, Var
from govrules.lang._nodes import Call, Node, Quantifier, StringLit
from govrules.lang._parser import QUANTIFIERS
from govrules.lang._problems import did_you_mean
from govrules.lang._reads import Fn
from govrules.lang._runtime import EvalContext, Unknown
from govrules.lang._types import ERROR, Bool, DateType, ListOf, Number, Type, is_ordered

__all__ = ["Parts"]

_FOLD_CTX = EvalContext(None, date.min)
"""Constant folding evaluates pure closures only; they never look at the context."""


class Parts(Resolver):
    """Checks and builds the parts of one condition; the compiler adds the operators and
    the dispatch on the kind of node (:meth:`build`)."""

    def __init__(self, env: Env, text: str, trace: bool) -> None:
        super().__init__(env, text)
        self.trace = trace
        self.fold = not trace
        self.slots = 0

    def build(self, node: Node, scope: Scope) -> Code:  # pragma: no cover - overridden
        """The checked code of ``node`` (the compiler's dispatch on its kind)."""
        raise NotImplementedError

    def result(self, node: Node, typ: Type, fn: Fn, parts: Sequence[Code]) -> Code:
        """The code of ``node``, folded to a constant when all its parts are constants."""
        if not (self.fold and all(p.const is not NOT_CONSTANT for p in parts)):
            return Code(typ, fn)
        value = fn(_FOLD_CTX)
        if value.__class__ is Unknown:
            return self.problem("expr-bad-value", _("{part} has no value").format(
                part=self.show(node)), node.start,
                _("a division by zero, or a date out of range"))
        return Code(typ, reads.constant(value), value)

    def need(self, code: Code, want: Type, node: Node, what: str, **args: str) -> bool:
        """Whether ``code`` has type ``want``; otherwise an ``expr-type`` problem saying
        ``what`` (a message marked with ``N_``, translated and formatted with ``args``
        only then: every operand of every pack passes here)."""
        if code is ERR:
            return False
        if want.compatible(code.type):
            return True
        hint = None
        if isinstance(code.type, DateType) and want is Number:
            hint = _("for dates use add_days(date, n) or days_between(a, b)")
        self.problem("expr-type", _("{what}, but {part} is {type}").format(
            what=_(what).format(**args) if args else _(what), part=self.show(node),
            type=code.type.a), node.start, hint)
        return False

    def call(self, node: Call, scope: Scope) -> Code:
        function = self.env.functions.get(node.name)
        if function is None:
            special = SPECIAL_HINTS.get(node.name.lower())
            hint = _(special) if special else did_you_mean(
                node.name, [*self.env.functions, *QUANTIFIERS])
            return self.problem("expr-unknown-function", _("no function {name!r}").format(
                name=node.name), node.start, hint)
        if not function.accepts(len(node.args)):
            return self.problem("expr-arity", _("{name}() takes {arity}, not {count}").format(
                name=node.name, arity=function.arity, count=len(node.args)), node.start)
        if function.literal:
            return self.literal_call(node, function.impl, _(function.summary))
        codes = [self.build(a, scope) for a in node.args]
        if any(c is ERR for c in codes):
            return ERR
        checked = function.check([c.type for c in codes])
        if isinstance(checked, tuple):
            index, message = checked
            return self.problem("expr-type", message, node.args[index].start)
        for index in function.integers:
            value = codes[index].const
            if value is not NOT_CONSTANT and not _whole(value):
                return self.problem("expr-bad-value", _(
                    "{name}() needs a whole number here, not {value}").format(
                    name=node.name, value=value), node.args[index].start)
        fn = closures.call(function.impl, [c.fn for c in codes], function.with_context)
        if function.with_context:
            return Code(checked, fn)
        return self.result(node, checked, fn, codes)

    def literal_call(self, node: Call, impl: Any, summary: str) -> Code:
        (arg,) = node.args
        if not isinstance(arg, StringLit):
            return self.problem("expr-type", _("{name}() takes text in quotes").format(
                name=node.name), arg.start, summary)
        try:
            value = impl(arg.value)
        except ValueError as exc:
            return self.problem("expr-bad-value", str(exc), arg.start, summary)
        typ = self.env.functions[node.name].returns
        assert typ is not None
        return Code(typ, reads.constant(value), value)

    def quantifier(self, node: Quantifier, scope: Scope) -> Code:
        source, fact, outer = self.path(node.source, scope)
        name = node.var
        if name in scope or name == AS_OF or name in self.env.root.fields \
                or name in self.env.derived:
            self.problem("expr-name-clash", _("the variable {name!r} hides another name").format(
                name=name), node.var_start, _("choose another variable name"))
        item: Type = ERROR
        if source is not ERR:
            if isinstance(source.type, ListOf):
                item = source.type.item
            else:
                self.problem("expr-type", _(
                    "{name}() goes through a list, but {part} is {type}").format(
                    name=node.kind, part=self.show(node.source), type=source.type.a),
                    node.source.start)
        slot = len(scope)
        self.slots = max(self.slots, slot + 1)
        at = 2 * slot + 1
        var = Var(item, slot, fact, lambda frame: f"{outer(frame)}[{frame[at]}]")
        body = self.build(node.body, {**scope, name: var})
        if item is ERROR or body is ERR:
            return ERR
        result: Type = Number
        if node.kind in ("any", "all", "count"):
            if not self.need(body, Bool, node.body,
                             N_("{name}() needs a true/false condition"), name=node.kind):
                return ERR
            result = Bool if node.kind != "count" else Number
        elif node.kind == "sum":
            if not self.need(body, Number, node.body, N_("sum() adds numbers")):
                return ERR
        elif not is_ordered(body.type):
            return self.problem("expr-type", _(
                "{name}() compares numbers, dates or quarters, but {part} is {type}").format(
                name=node.kind, part=self.show(node.body), type=body.type.a), node.body.start)
        else:
            result = body.type
        return Code(result, closures.quantifier(node.kind, slot, source.fn, body.fn))


def _whole(value: Any) -> bool:

    try:
        as_int(value)
    except ValueError:
        return False
    return True
