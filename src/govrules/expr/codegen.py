"""Generate one plain Python function per condition: the fast path of compilation.

The compiler type-checks a condition and builds closures (one per node); this module
then writes the same computation as the source of one function, with fact reads,
comparisons and Kleene logic inlined and quantifier variables in local variables, and
``exec``\\ s it once. Evaluation then makes no call per node, which roughly halves the
time of a condition. The semantics are the closures' own, step for step (evaluation
order, short-circuits, which facts an Unknown names); the closures remain for
``explain`` and as the fallback when a condition is too deeply nested to generate.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from govrules.expr.env import AS_OF, Env
from govrules.expr.functions import FUNCTIONS
from govrules.expr.nodes import (
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
    children,
)
from govrules.expr.reads import Fn, _decimal
from govrules.expr.runtime import NO_VALUE, EvalContext, Unknown, in_list, merge, merge_all
from govrules.expr.types import NumberType

__all__ = ["ENABLED", "generate"]

ENABLED = True
"""Generate functions when compiling (False: keep the closures; for comparisons)."""

_MEMO: weakref.WeakKeyDictionary[Env, dict[str, Fn]] = weakref.WeakKeyDictionary()
"""Functions already generated, per environment and syntax tree: a pack's identical conditions
(a rule cloned, a fact shown in many messages) share one function."""

_MISS = object()
_ERRORS = (ArithmeticError, ValueError)
_CMP = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_SWAPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _divide(a: Any, b: Any) -> Any:
    """``a / b`` as the closures compute it (unknown operands, zero, int / int)."""
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


def _div_step(a: Any, b: Any) -> Any:
    """One ``/`` in a longer chain (both known; the caller catches ArithmeticError)."""
    if not b:
        return NO_VALUE
    if a.__class__ is int and b.__class__ is int:
        return Decimal(a) / b
    return a / b


_HELPERS: dict[str, Any] = {
    "Unknown": Unknown, "merge": merge, "merge_all": merge_all, "NO_VALUE": NO_VALUE,
    "_decimal": _decimal,
    "_MISS": _MISS, "_ERRORS": _ERRORS, "_in_list": in_list, "_divide": _divide,
    "_div_step": _div_step, "frozenset": frozenset, "enumerate": enumerate,
    "ArithmeticError": ArithmeticError, "float": float,
}


@dataclass(frozen=True, slots=True)
class _Var:
    item: str
    index: str
    where: str
    """The item's indexed path as the body of an f-string: ``budget.adjustments[{ix0}]``."""


class _Writer:
    def __init__(self, env: Env, consts: Mapping[int, Any], text: str) -> None:
        self.env = env
        self.text = text
        self.consts = consts
        self.ns: dict[str, Any] = dict(_HELPERS)
        self.lines: list[str] = []
        self.count = 0
        self.uses_cache = False
        self.raw: dict[tuple[str, ...], str] = {}
        """Snapshot attributes read at the start (a path prefix -> its local, maybe None)."""
        self.reads: dict[tuple[str, ...], str] = {}
        """Facts read at the start (a path -> its local: the value or its Unknown)."""
        self.head: list[str] = []
        self.hoisted: dict[str, str] = {}

    def name(self, prefix: str = "v") -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def constant(self, value: Any) -> str:
        key = self.name("K")
        self.ns[key] = value
        return key

    def line(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    # -- dispatch ---------------------------------------------------------------------------

    def value(self, node: Node, scope: dict[str, _Var], d: int) -> str:
        """Emit code computing ``node``; the name of the local (or constant) holding it."""
        if id(node) in self.consts:
            return self.constant(self.consts[id(node)])
        if scope and isinstance(node, Call | Arith | Neg) and self._invariant(node, scope):
            return self.hoist(node)
        if isinstance(node, NumberLit | StringLit | BoolLit):
            return self.constant(node.value)
        if isinstance(node, Path):
            return self.path(node, scope, d)
        if isinstance(node, Not):
            v, out = self.value(node.operand, scope, d), self.name()
            self.line(d, f"{out} = False if {v} is True else True if {v} is False else {v}")
            return out
        if isinstance(node, Neg):
            v, out = self.value(node.operand, scope, d), self.name()
            self.line(d, f"{out} = {v} if {v}.__class__ is Unknown else -{v}")
            return out
        if isinstance(node, IsKnown):
            v, out = self.value(node.operand, scope, d), self.name()
            self.line(d, f"{out} = {v}.__class__ is {'not ' if node.known else ''}Unknown")
            return out
        if isinstance(node, Logic):
            return self.logic(node, scope, d)
        if isinstance(node, Arith):
            return self.arith(node, scope, d)
        if isinstance(node, Compare):
            return self.compare(node, scope, d)
        if isinstance(node, Call):
            return self.call(node, scope, d)
        if isinstance(node, Quantifier):
            return self.quantifier(node, scope, d)
        if isinstance(node, ListLit):
            items = [self.value(i, scope, d) for i in node.items]
            out = self.name()
            self.line(d, f"{out} = [{', '.join(items)}]")
            return out
        raise NotImplementedError(type(node).__name__)

    def _invariant(self, node: Node, scope: dict[str, _Var]) -> bool:
        """Whether a part of a quantifier's body is the same for every item and pure: it
        names no variable, no derived fact, no working-day function, no quantifier."""
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, Quantifier):
                return False
            if isinstance(current, Path) and (current.parts[0] in scope
                                              or current.parts[0] in self.env.derived):
                return False
            if isinstance(current, Call) and FUNCTIONS[current.name].with_context:
                return False
            stack.extend(children(current))
        return True

    def hoist(self, node: Node) -> str:
        """Compute a loop-invariant part once, at the start of the function."""
        key = self.text[node.start:node.end]
        known = self.hoisted.get(key)
        if known is None:
            saved, self.lines = self.lines, []
            known = self.hoisted[key] = self.value(node, {}, 1)
            self.head.extend(self.lines)
            self.lines = saved
        return known

    # -- names ------------------------------------------------------------------------------

    def path(self, node: Path, scope: dict[str, _Var], d: int) -> str:
        head, names = node.parts[0], node.parts[1:]
        var = scope.get(head)
        out = self.name()
        if var is not None:
            missing = f'Unknown(frozenset({{f"{var.where}{"".join("." + n for n in names)}"}}))'
            self.line(d, f"{out} = {var.item}")
            self.walk(out, names, d)
            self.line(d, f"if {out} is None: {out} = {missing}")
            self.line(d, f"elif {out}.__class__ is float: {out} = _decimal({out}, NO_VALUE)")
            return out
        if head == AS_OF:
            if ("as_of",) not in self.reads:
                self.reads["as_of",] = "as_of"
                self.head.append("    as_of = ctx.as_of")
            return "as_of"
        missing = self.constant(Unknown(frozenset({node.dotted})))
        if head in self.env.derived:
            self.uses_cache = True
            fn = self.constant(self.env.derived[head].compiled.fn)
            self.line(d, f"{out} = cache.get({head!r}, _MISS)")
            self.line(d, f"if {out} is _MISS: {out} = cache[{head!r}] = {fn}(ctx)")
            if not names:
                return out
            self.line(d, f"if {out}.__class__ is not Unknown:")
            self.walk(out, names, d + 1)
            self.line(d + 1, f"if {out} is None: {out} = {missing}")
            self.line(d + 1, f"elif {out}.__class__ is float: {out} = _decimal({out}, {missing})")
            return out
        return self.fact(node.parts, missing)

    def fact(self, parts: tuple[str, ...], missing: str) -> str:
        """A snapshot fact, read once at the start of the function (reads are pure)."""
        known = self.reads.get(parts)
        if known is not None:
            return known
        parent = "ctx.root"
        for i in range(1, len(parts) + 1):
            prefix = parts[:i]
            local = self.raw.get(prefix)
            if local is None:
                local = self.raw[prefix] = self.name("a")
                guard = "" if i == 1 else f" if {parent} is not None else None"
                self.head.append(f"    {local} = {parent}.{parts[i - 1]}{guard}")
            parent = local
        out = self.reads[parts] = self.name("r")
        if self._number(parts):
            self.head.append(f"    {out} = {missing} if {parent} is None else "
                             f"_decimal({parent}, {missing}) if {parent}.__class__ is float "
                             f"else {parent}")
        else:
            self.head.append(f"    {out} = {missing} if {parent} is None else {parent}")
        return out

    def _number(self, parts: tuple[str, ...]) -> bool:
        """Whether the fact may hold a float (read as a decimal)."""
        typ: Any = self.env.root
        for name in parts:
            fields = getattr(typ, "fields", None)
            if fields is None or name not in fields:
                return True
            typ = fields[name]
        return isinstance(typ, NumberType)

    def walk(self, out: str, names: tuple[str, ...], d: int) -> None:
        for depth, name in enumerate(names):
            self.line(d + depth, f"if {out} is not None:")
            self.line(d + depth + 1, f"{out} = {out}.{name}")

    # -- operators ------------------------------------------------------------------------------

    def logic(self, node: Logic, scope: dict[str, _Var], d: int) -> str:
        stop = node.op == "or"
        operands = [o for o in node.operands if id(o) not in self.consts]
        if len(operands) == 1:
            return self.value(operands[0], scope, d)
        out, unknown = self.name(), self.name("u")
        self.line(d, f"{out} = _MISS")
        self.line(d, f"{unknown} = None")
        for i, operand in enumerate(operands):
            inner = d
            if i:
                self.line(d, f"if {out} is _MISS:")
                inner = d + 1
            v = self.value(operand, scope, inner)
            self.line(inner, f"if {v} is {stop}: {out} = {stop}")
            self.line(inner, f"elif {v}.__class__ is Unknown: "
                             f"{unknown} = {v} if {unknown} is None else merge({unknown}, {v})")
        self.line(d, f"if {out} is _MISS: {out} = {not stop} if {unknown} is None else {unknown}")
        return out

    def arith(self, node: Arith, scope: dict[str, _Var], d: int) -> str:
        values = [self.value(o, scope, d) for o in node.operands]
        out = self.name()
        if len(values) == 2 and node.ops[0] == "/":
            self.line(d, f"{out} = _divide({values[0]}, {values[1]})")
            return out
        self.line(d, f"{out} = {values[0]}")
        for op, v in zip(node.ops, values[1:], strict=True):
            step = f"_div_step({out}, {v})" if op == "/" else f"{out} {op} {v}"
            self.line(d, f"if {out}.__class__ is Unknown:")
            self.line(d + 1, f"if {v}.__class__ is Unknown: {out} = merge({out}, {v})")
            self.line(d, f"elif {v}.__class__ is Unknown: {out} = {v}")
            self.line(d, "else:")
            self.line(d + 1, "try:")
            self.line(d + 2, f"{out} = {step}")
            self.line(d + 1, "except ArithmeticError:")
            self.line(d + 2, f"{out} = NO_VALUE")
        return out

    def compare(self, node: Compare, scope: dict[str, _Var], d: int) -> str:
        left, right = node.left, node.right
        if node.op in ("in", "not in"):
            a, b = self.value(left, scope, d), self.value(right, scope, d)
            out = self.name()
            negated = node.op == "not in"
            const = self.consts.get(id(right), _MISS)
            try:
                values = self.constant(frozenset(const)) if const is not _MISS else None
            except TypeError:  # a list of lists: compared item by item
                values = None
            if values is None and id(left) in self.consts:
                found = "False" if negated else "True"
                self.line(d, f"if {b}.__class__ is not Unknown and {a} in {b}: {out} = {found}")
                self.line(d, f"else: {out} = _in_list({a}, {b}, {negated})")
            elif values is None:
                self.line(d, f"{out} = _in_list({a}, {b}, {negated})")
            else:
                self.line(d, f"{out} = {a} if {a}.__class__ is Unknown else "
                             f"({a} {node.op} {values})")
            return out
        op = _CMP[node.op]
        if id(left) in self.consts and id(right) not in self.consts:
            left, right, op = right, left, _SWAPPED[node.op]
        a, b = self.value(left, scope, d), self.value(right, scope, d)
        out = self.name()
        if id(right) in self.consts:
            self.line(d, f"{out} = {a} if {a}.__class__ is Unknown else ({a} {op} {b})")
            return out
        self.line(d, f"if {a}.__class__ is Unknown: "
                     f"{out} = merge({a}, {b}) if {b}.__class__ is Unknown else {a}")
        self.line(d, f"elif {b}.__class__ is Unknown: {out} = {b}")
        self.line(d, f"else: {out} = {a} {op} {b}")
        return out

    # -- functions and quantifiers ------------------------------------------------------------

    def call(self, node: Call, scope: dict[str, _Var], d: int) -> str:
        function = FUNCTIONS[node.name]
        args = [self.value(a, scope, d) for a in node.args]
        fn = self.constant(function.impl)
        out = self.name()
        if len(args) == 1 and not function.with_context:
            (a,) = args
            self.line(d, f"if {a}.__class__ is Unknown: {out} = {a}")
            self.line(d, "else:")
            self.line(d + 1, "try:")
            self.line(d + 2, f"{out} = {fn}({a})")
            self.line(d + 1, "except _ERRORS:")
            self.line(d + 2, f"{out} = NO_VALUE")
            return out
        unknown = self.name("u")
        self.line(d, f"{unknown} = None")
        for a in args:
            self.line(d, f"if {a}.__class__ is Unknown: "
                         f"{unknown} = {a} if {unknown} is None else merge({unknown}, {a})")
        self.line(d, f"if {unknown} is not None: {out} = {unknown}")
        self.line(d, "else:")
        self.line(d + 1, "try:")
        call_args = ", ".join(["ctx", *args] if function.with_context else args)
        self.line(d + 2, f"{out} = {fn}({call_args})")
        self.line(d + 1, "except _ERRORS:")
        self.line(d + 2, f"{out} = NO_VALUE")
        return out

    def quantifier(self, node: Quantifier, scope: dict[str, _Var], d: int) -> str:
        items = self.value(node.source, scope, d)
        outer = scope.get(node.source.parts[0])
        where = (outer.where + "".join("." + n for n in node.source.parts[1:])
                 if outer is not None else node.source.dotted)
        out, unknown = self.name(), self.name("u")
        item, index = self.name("it"), self.name("ix")
        var = _Var(item, index, f"{where}[{{{index}}}]")
        self.line(d, f"if {items}.__class__ is Unknown: {out} = {items}")
        self.line(d, "else:")
        self.line(d + 1, f"{out} = _MISS")
        self.line(d + 1, f"{unknown} = []")  # merged once at the end: linear in the items
        fold = node.kind not in ("any", "all")
        acc = self.name("acc")
        if fold:
            self.line(d + 1, f"{acc} = {0 if node.kind in ('count', 'sum') else '_MISS'}")
        self.line(d + 1, f"for {index}, {item} in enumerate({items}):")
        body = self.value(node.body, {**scope, node.var: var}, d + 2)
        merged = f"{unknown}.append({body})"
        if not fold:
            stop = node.kind == "any"
            self.line(d + 2, f"if {body} is {stop}:")
            self.line(d + 3, f"{out} = {stop}")
            self.line(d + 3, "break")
            self.line(d + 2, f"if {body}.__class__ is Unknown: {merged}")
            self.line(d + 1, f"if {out} is _MISS: "
                             f"{out} = merge_all({unknown}) if {unknown} else {not stop}")
            return out
        step = {"count": f"{acc} + 1 if {body} is True else {acc}", "sum": f"{acc} + {body}",
                "min": f"{body} if {acc} is _MISS or {body} < {acc} else {acc}",
                "max": f"{body} if {acc} is _MISS or {body} > {acc} else {acc}"}[node.kind]
        self.line(d + 2, f"if {body}.__class__ is Unknown: {merged}")
        self.line(d + 2, f"elif not {unknown}:")
        self.line(d + 3, "try:")
        self.line(d + 4, f"{acc} = {step}")
        self.line(d + 3, "except ArithmeticError:")
        self.line(d + 4, f"{out} = NO_VALUE")
        self.line(d + 4, "break")
        self.line(d + 1, f"if {out} is _MISS: {out} = merge_all({unknown}) if {unknown} "
                         f"else NO_VALUE if {acc} is _MISS else {acc}")
        return out


def generate(node: Node, text: str, env: Env, consts: Mapping[int, Any]) -> Fn | None:
    """The function computing ``node`` (parsed from ``text``; ``consts``: the value of each
    constant part, by ``id``), or None when Python cannot nest it that deeply."""
    memo = _MEMO.setdefault(env, {})
    key = repr(node)  # the tree itself (offsets included), not only its text
    known = memo.get(key)
    if known is not None:
        return known
    fn = _generate(node, text, env, consts)
    if fn is not None:
        memo[key] = fn
    return fn


def _generate(node: Node, text: str, env: Env, consts: Mapping[int, Any]) -> Fn | None:
    writer = _Writer(env, consts, text)
    try:
        result = writer.value(node, {}, 1)
    except (NotImplementedError, RecursionError):  # pragma: no cover - defensive
        return None
    head = ["def condition(ctx):", *writer.head]
    if writer.uses_cache:
        head.append("    cache = ctx.cache")
    source = "\n".join([*head, *writer.lines, f"    return {result}"])
    try:
        code = compile(source, "<condition>", "exec")
    except (SyntaxError, RecursionError, MemoryError):  # too deeply nested for Python
        return None
    namespace = writer.ns
    exec(code, namespace)
    fn: Callable[[EvalContext], Any] = namespace["condition"]
    return fn
