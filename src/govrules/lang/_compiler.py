"""Type-check a syntax tree against an :class:`Env` and compile it into closures.

One pass over the tree does both jobs, bottom-up: each node gets a static type, a
closure and, when all its parts are constants, its value (constant folding). A node
with a type error gets the ``ERROR`` type, which is compatible with everything, so one
mistake is reported once and the pass goes on to find the others. Calls of functions and
quantifiers, and the checks every part shares, are in :mod:`govrules.lang._calls`.
"""

from __future__ import annotations

from govrules.base.errors import ExpressionError
from govrules.base.i18n import N_, _
from govrules.lang import _closures as closures
from govrules.lang import _reads as reads
from govrules.lang._calls import Parts
from govrules.lang._closures import ARITH, COMPARE, SWAPPED
from govrules.lang._env import Compiled, Env
from govrules.lang._names import ERR, NOT_CONSTANT, Code, Scope, Var
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
from govrules.lang._parser import parse
from govrules.lang._problems import Origin, Problem, default_origin, did_you_mean, raise_problems
from govrules.lang._types import (
    ERROR,
    NOTHING,
    Bool,
    DateType,
    ListOf,
    Number,
    NumberType,
    Object,
    String,
    Type,
    is_ordered,
)

__all__ = ["compile_expression", "compile_node", "compile_part", "parse_expression"]


def compile_expression(text: str, env: Env, *, expect: Type | None = Bool,
                       origin: Origin | None = None) -> Compiled:
    """Parse, check and compile ``text``; raise :class:`ExpressionError` with every problem.

    ``expect`` is the type the whole condition must have (None: any). ``origin`` maps a
    character offset in ``text`` to its place in the source file.
    """
    node = parse_expression(text, origin)
    return compile_node(node, text, env, expect=expect, origin=origin)


def parse_expression(text: str, origin: Origin | None = None) -> Node:
    """The syntax tree of ``text``; raise :class:`ExpressionError` on a syntax error."""
    try:
        return parse(text)
    except Problem as problem:
        raise ExpressionError(problem.diagnostic(origin or default_origin)) from None


def compile_node(node: Node, text: str, env: Env, *, expect: Type | None = Bool,
                 origin: Origin | None = None) -> Compiled:
    """Check and compile an already parsed tree (``text`` is its source)."""
    return _Builder(env, text, trace=False).compile(node, expect, origin)


def compile_part(node: Node, text: str, env: Env, *,
                 within: tuple[str, Path] | None = None) -> Compiled:
    """Compile one part of an already checked condition on its own, of any type.

    ``within`` is ``(variable, list path)`` when the part sits in the body of a quantifier
    over that list and uses its variable: the closure then reads the item from slot 0 of
    ``ctx.frame`` (``frame[0]`` the item, ``frame[1]`` its index), as the quantifier
    itself would. Used by backends that decide the logic themselves and need the values
    of a condition's parts with the language's exact semantics.
    """
    builder = _Builder(env, text, trace=False)
    scope: Scope = {}
    if within is not None:
        name, source = within
        code, fact, outer = builder.path(source, {})
        item = code.type.item if isinstance(code.type, ListOf) else ERROR
        builder.slots = 1
        scope = {name: Var(item, 0, fact, lambda frame: f"{outer(frame)}[{frame[1]}]")}
    return builder.compile(node, None, None, scope)


class _Builder(Parts):
    """One compilation: type-checks and builds closures bottom-up."""

    def compile(self, node: Node, expect: Type | None, origin: Origin | None,
                scope: Scope | None = None) -> Compiled:
        try:
            code = self.build(node, scope or {})
        except RecursionError:  # a tree built by hand, deeper than the parser allows
            code = self.problem("expr-too-complex", _("the condition is nested too deeply"), 0)
        if expect is not None and code is not ERR and not expect.compatible(code.type):
            self.problem("expr-type", _("the condition must give {want}, not {got}").format(
                want=expect.a, got=code.type.a), node.start)
        raise_problems(self.problems, origin or default_origin)
        return Compiled(self.text, code.type, code.fn, frozenset(self.facts), node,
                        frozenset(self.uses), self.slots, self.env)

    # -- dispatch -----------------------------------------------------------------------

    def build(self, node: Node, scope: Scope) -> Code:
        code = self.dispatch(node, scope)
        if self.trace and code is not ERR and not isinstance(node, NumberLit | StringLit |
                                                                 BoolLit):
            code = Code(code.type, closures.traced(code.fn, self.text[node.start:node.end]))
        return code

    def dispatch(self, node: Node, scope: Scope) -> Code:
        if isinstance(node, NumberLit):
            return Code(Number, reads.constant(node.value), node.value)
        if isinstance(node, StringLit):
            return Code(String(), reads.constant(node.value), node.value)
        if isinstance(node, BoolLit):
            return Code(Bool, reads.constant(node.value), node.value)
        if isinstance(node, Path):
            return self.path(node, scope)[0]
        if isinstance(node, Logic):
            return self.logic(node, scope)
        if isinstance(node, Not):
            operand = self.build(node.operand, scope)
            if not self.need(operand, Bool, node.operand, N_("'not' needs true/false")):
                return ERR
            return self.result(node, Bool, closures.negate(operand.fn), (operand,))
        if isinstance(node, Neg):
            operand = self.build(node.operand, scope)
            if not self.need(operand, Number, node.operand, N_("'-' needs a number")):
                return ERR
            return self.result(node, Number, closures.negative(operand.fn), (operand,))
        if isinstance(node, IsKnown):
            operand = self.build(node.operand, scope)
            if operand is ERR:
                return ERR
            if operand.read is not None:  # None when traced: build() wraps the read
                return Code(Bool, reads.read_known(operand.read, node.known))
            return self.result(node, Bool, closures.is_known(operand.fn, node.known), (operand,))
        if isinstance(node, Arith):
            return self.arith(node, scope)
        if isinstance(node, Compare):
            return self.compare(node, scope)
        if isinstance(node, Call):
            return self.call(node, scope)
        if isinstance(node, Quantifier):
            return self.quantifier(node, scope)
        if isinstance(node, ListLit):
            return self.list_literal(node, scope)
        raise AssertionError(f"unknown node {node!r}")

    # -- operators ------------------------------------------------------------------------

    def logic(self, node: Logic, scope: Scope) -> Code:
        codes = [self.build(o, scope) for o in node.operands]
        checks = [self.need(c, Bool, o, N_("'{op}' joins true/false conditions"), op=node.op)
                  for o, c in zip(node.operands, codes, strict=True)]
        if not all(checks):
            return ERR
        stop = node.op == "or"
        if self.fold:
            if any(c.const is stop for c in codes):
                return Code(Bool, reads.constant(stop), stop)
            codes = [c for c in codes if c.const is NOT_CONSTANT]
            if not codes:
                return Code(Bool, reads.constant(not stop), not stop)
            if len(codes) == 1:
                return codes[0]
        return Code(Bool, closures.logic(node.op, [c.fn for c in codes]))

    def arith(self, node: Arith, scope: Scope) -> Code:
        codes = [self.build(o, scope) for o in node.operands]
        checks = [self.need(c, Number, o, N_("'{op}' needs numbers"), op=node.ops[max(i - 1, 0)])
                  for i, (o, c) in enumerate(zip(node.operands, codes, strict=True))]
        if not all(checks):
            return ERR
        fn = closures.arith([ARITH[op] for op in node.ops], [c.fn for c in codes])
        return self.result(node, Number, fn, codes)

    def compare(self, node: Compare, scope: Scope) -> Code:
        left, right = self.build(node.left, scope), self.build(node.right, scope)
        if left is ERR or right is ERR:
            return ERR
        if node.op in ("in", "not in"):
            return self.member(node, left, right)
        lt, rt = left.type, right.type
        hint = (_("to count days use days_between(a, b)")
                if {type(lt), type(rt)} == {DateType, NumberType} else None)
        if node.op in ("==", "!="):
            if not lt.compatible(rt) or isinstance(lt, Object):
                return self.problem("expr-type", _cannot_compare(lt, rt), node.op_start, hint)
        elif not (lt.compatible(rt) and is_ordered(lt) and is_ordered(rt)):
            message = (_("'{op}' orders numbers, dates or quarters, not {type}").format(
                op=node.op, type=lt.a) if lt.compatible(rt) else _cannot_compare(lt, rt))
            return self.problem("expr-type", message, node.op_start, hint)
        self.check_choice(lt, node.left, node.right)
        self.check_choice(rt, node.right, node.left)
        op = COMPARE[node.op]
        if left.const is not NOT_CONSTANT and right.const is NOT_CONSTANT:
            left, right, op = right, left, COMPARE[SWAPPED[node.op]]
        if right.const is not NOT_CONSTANT and left.read is not None:
            fn = reads.read_compare(left.read, op, right.const)
        elif right.const is not NOT_CONSTANT:
            fn = closures.compare(op, left.fn, right.fn, right.const)
        else:
            fn = closures.compare(op, left.fn, right.fn)
        return self.result(node, Bool, fn, (left, right))

    def member(self, node: Compare, left: Code, right: Code) -> Code:
        lt, rt = left.type, right.type
        if not isinstance(rt, ListOf):
            return self.problem("expr-type", _(
                "'{op}' needs a list on its right, not {type}").format(op=node.op, type=rt.a),
                node.op_start, _("write e.g. x in ['a', 'b']"))
        if not rt.item.compatible(lt):
            return self.problem("expr-type", _("cannot look for {item} in a {list}").format(
                item=lt, list=rt), node.op_start)
        if isinstance(node.right, ListLit):
            for item in node.right.items:
                self.check_choice(lt, node.left, item)
        self.check_choice(rt.item, node.right, node.left)
        values = None
        if right.const is not NOT_CONSTANT:
            try:
                values = frozenset(right.const)
            except TypeError:  # a list of lists: compared item by item instead
                values = None
        fn = closures.member(left.fn, right.fn, node.op == "not in", values)
        return self.result(node, Bool, fn, (left, right))

    def check_choice(self, typ: Type, subject: Node, literal: Node) -> None:
        """``expr-bad-value`` when a text literal is not among the choices of ``subject``."""
        if not (isinstance(typ, String) and typ.choices is not None
                and isinstance(literal, StringLit) and literal.value not in typ.choices):
            return
        choices = sorted(typ.choices)
        listed = ", ".join(repr(c) for c in choices[:8]) + (", ..." if len(choices) > 8 else "")
        hint = did_you_mean(literal.value, choices) or _("possible values: {values}").format(
            values=listed)
        self.problem("expr-bad-value", _("{value!r} is not a possible value of {part}").format(
            value=literal.value, part=self.show(subject)), literal.start, hint)

    def list_literal(self, node: ListLit, scope: Scope) -> Code:
        codes = [self.build(item, scope) for item in node.items]
        if any(c is ERR for c in codes):
            return ERR
        item: Type | None = None
        for sub, code in zip(node.items, codes, strict=True):
            if item is None:
                item = String() if isinstance(code.type, String) else code.type
            elif not item.compatible(code.type):
                return self.problem("expr-type", _(
                    "a list holds values of one type: {part} is {type}, not {want}").format(
                    part=self.show(sub), type=code.type.a, want=item.a), sub.start)
        typ = ListOf(item if item is not None else NOTHING)
        if self.fold and all(c.const is not NOT_CONSTANT for c in codes):
            values = [c.const for c in codes]
            return Code(typ, lambda _ctx: list(values), values)
        return Code(typ, closures.list_literal([c.fn for c in codes]))

def _cannot_compare(left: Type, right: Type) -> str:
    return _("cannot compare {left} with {right}").format(left=left, right=right)
