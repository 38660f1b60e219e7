"""Compile a pack's decision conditions into a Kleene circuit: terms, leaves and gates.

A condition is split into

- **terms**: values the Rete network compares but cannot compute (fact reads, arithmetic,
  function calls, ``count``/``sum``/``min``/``max``, derived values). The host computes
  them per snapshot with the closures of the language's compiler
  (:func:`~govrules.lang.syntax.compile_part`) and asserts them as facts;
- **leaves**: atomic tests over terms (``x > y``, ``x in [..]``, ``'a' in list``,
  ``x is known``, a true/false fact), each decided by one pattern in the network;
- **gates**: ``and``/``or`` over leaves and gates (``not`` is a negated reference);
- **quantifiers**: ``any``/``all`` over a list of the snapshot, whose body is a circuit
  of its own evaluated on one fact per item.

Derived true/false facts are inlined. Identical parts are shared across the pack (a rule
cloned a hundred times adds no node). What does not fit these shapes (``is known`` on a
compound condition is fine; membership of a computed value in a list fact, a list literal
with computed items, list equality, a quantifier inside a quantifier) becomes a
true/false *term*: computed by the host, tested by a leaf.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from govrules.base.errors import ExpressionError
from govrules.lang import Compiled, Env, EvalContext, ListOf, Object, Type, Unknown
from govrules.lang.syntax import (
    AS_OF,
    SWAPPED,
    BoolLit,
    Call,
    Compare,
    IsKnown,
    ListLit,
    Logic,
    Node,
    Not,
    Path,
    Quantifier,
    children,
    compile_part,
    free_names,
)

__all__ = ["ROOT", "Circuit", "Gate", "Leaf", "Quant", "Ref", "Term", "compile_circuit"]

ROOT = -1
"""The level of the snapshot itself; quantifier bodies have the quantifier's index."""

Ref = tuple[int, bool]
"""A node id and whether it is negated (``not``)."""

MAX_INPUTS = 8
"""Gates wider than this are split (durable joins a bounded number of facts)."""
MAX_VALUES = 8
"""``x in [..]`` tests at most this many values in one leaf (durable bounds a pattern)."""


@dataclass(frozen=True, slots=True)
class Term:
    """A value the host computes: ``compiled`` is the part compiled on its own; at a
    quantifier's level it reads the current item from slot 0 of the frame."""

    id: int
    node: Node
    level: int
    compiled: Compiled


@dataclass(frozen=True, slots=True)
class Leaf:
    """An atomic test. ``kind``: ``cmp`` (``terms[0] op terms[1]`` or ``op right``), ``in``
    (``terms[0]`` among ``values``), ``has`` (``right`` among the items of ``terms[0]``),
    ``known`` (``op`` is ``known``/``unknown``), ``bool`` (a true/false term)."""

    id: int
    level: int
    kind: str
    terms: tuple[int, ...]
    op: str = ""
    right: Any = None
    values: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Gate:
    id: int
    level: int
    op: str
    inputs: tuple[Ref, ...]


@dataclass(frozen=True, slots=True)
class Quant:
    id: int
    kind: str
    q: int
    body: Ref


@dataclass(frozen=True, slots=True)
class Scope:
    """A quantifier's body level: its variable, its list and the terms its items need."""

    var: str
    source: int
    item_terms: tuple[int, ...]
    root_terms: tuple[int, ...]


Node_ = Leaf | Gate | Quant


@dataclass
class Circuit:
    terms: list[Term] = field(default_factory=list)
    nodes: list[Node_] = field(default_factory=list)
    scopes: list[Scope] = field(default_factory=list)
    outputs: dict[int, Ref | bool] = field(default_factory=dict)
    """``id(compiled condition)`` -> its reference, or its constant value."""

    @property
    def root_terms(self) -> list[int]:
        return [t.id for t in self.terms if t.level == ROOT]


def compile_circuit(env: Env, conditions: Iterable[Compiled]) -> Circuit:
    """The circuit deciding every condition in ``conditions``."""
    builder = _Builder(env)
    for compiled in conditions:
        if id(compiled) not in builder.circuit.outputs:
            builder.text = compiled.text
            builder.circuit.outputs[id(compiled)] = builder.truth(compiled.node, ROOT, None)
    return builder.finish()


def _key(node: Node) -> Any:
    """A structural key of a syntax tree, without character offsets."""
    if isinstance(node, Path):
        return ("path", node.parts)
    values = [getattr(node, name) for name in node.__dataclass_fields__
              if name not in ("start", "end", "op_start", "var_start")]
    return (type(node).__name__, *(
        tuple(_key(v) for v in value) if isinstance(value, tuple) and value
        and isinstance(value[0], Node) else _key(value) if isinstance(value, Node)
        else value for value in values))


def _is_constant(node: Node, env: Env) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Path | Quantifier):
            return False
        if isinstance(current, Call) and env.functions[current.name].with_context:
            return False
        stack.extend(children(current))
    return True


_NO = object()


class _Builder:
    def __init__(self, env: Env) -> None:
        self.env = env
        self.text = ""
        """The source text of the condition (or derived fact) being translated."""
        self.circuit = Circuit()
        self.sources: list[Path] = []
        self.term_ids: dict[Any, int] = {}
        self.node_ids: dict[Any, int] = {}
        self.vars: list[tuple[str, Type]] = []
        self.item_terms: list[dict[int, None]] = []
        self.root_uses: list[dict[int, None]] = []

    def finish(self) -> Circuit:
        sources = [s.source for s in self.circuit.scopes]
        self.circuit.scopes = [
            Scope(var, source, tuple(items), tuple(roots))
            for (var, _), source, items, roots in zip(self.vars, sources, self.item_terms,
                                                      self.root_uses, strict=True)]
        return self.circuit

    # -- values ----------------------------------------------------------------------------

    def constant(self, node: Node) -> Any:
        """The value of a constant part, or ``_NO`` when it is not constant."""
        if not _is_constant(node, self.env):
            return _NO
        try:
            compiled = compile_part(node, self.text, self.env)
        except ExpressionError:  # pragma: no cover - a checked condition folds its constants
            return _NO
        value = compiled.fn(EvalContext(None, date.min))
        return _NO if isinstance(value, Unknown) else value

    def term(self, node: Node, level: int, var: str | None) -> int:
        """The id of the term computing ``node`` (root level unless it uses ``var``)."""
        own = level if var is not None and var in free_names(node) else ROOT
        key = (_key(node), own)
        tid = self.term_ids.get(key)
        if tid is None:
            tid = len(self.circuit.terms)
            self.term_ids[key] = tid
            within = None if own == ROOT else (self.vars[own][0], self.sources[own])
            compiled = compile_part(node, self.text, self.env, within=within)
            self.circuit.terms.append(Term(tid, node, own, compiled))
        if level != ROOT:
            (self.item_terms if own != ROOT else self.root_uses)[level][tid] = None
        return tid

    def static_type(self, node: Node, var: str | None, level: int) -> Type | None:
        """The type of a path (other parts are scalars here), None when not a path."""
        if not isinstance(node, Path):
            return None
        head, names = node.parts[0], node.parts[1:]
        typ: Type
        if var is not None and head == var:
            typ = self.vars[level][1]
        elif head in self.env.derived:
            typ = self.env.derived[head].type
        elif head == AS_OF:
            return None
        else:
            typ, names = self.env.root, node.parts
        for name in names:
            if not isinstance(typ, Object):
                return None
            typ = typ.fields[name]
        return typ

    # -- nodes -----------------------------------------------------------------------------

    def node(self, key: Any, make: Any) -> int:
        nid = self.node_ids.get(key)
        if nid is None:
            nid = len(self.circuit.nodes)
            self.node_ids[key] = nid
            self.circuit.nodes.append(make(nid))
        return nid

    def leaf(self, level: int, kind: str, terms: tuple[int, ...], *, op: str = "",
             right: Any = None, values: tuple[Any, ...] = ()) -> Ref:
        key = ("leaf", level, kind, terms, op, repr(right), repr(values))
        return self.node(key, lambda nid: Leaf(nid, level, kind, terms, op, right, values)), False

    def bool_term(self, node: Node, level: int, var: str | None) -> Ref | bool:
        value = self.constant(node)
        if value is not _NO:
            return bool(value)
        return self.leaf(level, "bool", (self.term(node, level, var),))

    def gate(self, op: str, inputs: list[Ref | bool], level: int) -> Ref | bool:
        """Kleene ``and``/``or`` with constants folded and wide gates split."""
        stop = op == "or"
        refs: list[Ref] = []
        for item in inputs:
            if item is stop:
                return stop
            if not isinstance(item, bool) and item not in refs:
                refs.append(item)
        if not refs:
            return not stop
        while len(refs) > MAX_INPUTS:
            refs = [self._gate(op, refs[i:i + MAX_INPUTS], level)
                    for i in range(0, len(refs), MAX_INPUTS)]
        return self._gate(op, refs, level)

    def _gate(self, op: str, refs: list[Ref], level: int) -> Ref:
        if len(refs) == 1:
            return refs[0]
        ins = tuple(refs)
        return self.node(("gate", level, op, ins), lambda nid: Gate(nid, level, op, ins)), False

    def truth(self, node: Node, level: int, var: str | None) -> Ref | bool:
        """The circuit of a true/false part at ``level`` (``var`` names the item there)."""
        if isinstance(node, BoolLit):
            return node.value
        if isinstance(node, Not):
            inner = self.truth(node.operand, level, var)
            return (not inner) if isinstance(inner, bool) else (inner[0], not inner[1])
        if isinstance(node, Logic):
            return self.gate(node.op, [self.truth(o, level, var) for o in node.operands], level)
        if isinstance(node, Compare):
            return self.compare(node, level, var)
        if isinstance(node, IsKnown):
            value = self.constant(node)
            if value is not _NO:
                return bool(value)
            op = "known" if node.known else "unknown"
            return self.leaf(level, "known", (self.term(node.operand, level, var),), op=op)
        if isinstance(node, Path) and node.parts[0] in self.env.derived and len(node.parts) == 1 \
                and node.parts[0] != var:
            derived = self.env.derived[node.parts[0]].compiled
            saved, self.text = self.text, derived.text
            try:
                return self.truth(derived.node, level, None)
            finally:
                self.text = saved
        if isinstance(node, Quantifier) and node.kind in ("any", "all") and level == ROOT:
            return self.quantifier(node)
        return self.bool_term(node, level, var)

    def compare(self, node: Compare, level: int, var: str | None) -> Ref | bool:
        value = self.constant(node)
        if value is not _NO:
            return bool(value)
        if node.op in ("in", "not in"):
            ref = self.member(node, level, var)
            if ref is None:
                return self.bool_term(node, level, var)
            return ref if node.op == "in" or isinstance(ref, bool) else (ref[0], not ref[1])
        if any(isinstance(self.static_type(n, var, level), ListOf | Object) or isinstance(
                n, ListLit) for n in (node.left, node.right)):
            return self.bool_term(node, level, var)
        left, right, op = node.left, node.right, node.op
        if self.constant(left) is not _NO:
            left, right, op = right, left, SWAPPED[op]
        const = self.constant(right)
        if const is not _NO:
            return self.leaf(level, "cmp", (self.term(left, level, var),), op=op, right=const)
        terms = (self.term(left, level, var), self.term(right, level, var))
        return self.leaf(level, "cmp", terms, op=op)

    def member(self, node: Compare, level: int, var: str | None) -> Ref | bool | None:
        """``x in [..]`` or ``'a' in list fact``; None when it must be a computed term."""
        if isinstance(node.right, ListLit):
            values = [self.constant(item) for item in node.right.items]
            if any(v is _NO for v in values):
                return None
            tid = self.term(node.left, level, var)
            chunks = [tuple(values[i:i + MAX_VALUES])
                      for i in range(0, len(values), MAX_VALUES)] or [()]
            return self.gate("or", [self.leaf(level, "in", (tid,), values=c) for c in chunks],
                             level)
        typ = self.static_type(node.right, var, level)
        const = self.constant(node.left)
        if const is _NO or not isinstance(typ, ListOf) or isinstance(typ.item, ListOf | Object):
            return None
        return self.leaf(level, "has", (self.term(node.right, level, var),), right=const)

    def quantifier(self, node: Quantifier) -> Ref | bool:
        typ = self.static_type(node.source, None, ROOT)
        if not isinstance(typ, ListOf):
            return self.bool_term(node, ROOT, None)
        key = ("quantifier", _key(node))
        known = self.node_ids.get(key)
        if known is not None:
            return known, False
        q = len(self.vars)
        self.vars.append((node.var, typ.item))
        self.sources.append(node.source)
        self.item_terms.append({})
        self.root_uses.append({})
        source = self.term(node.source, ROOT, None)
        self.circuit.scopes.append(Scope(node.var, source, (), ()))
        body = self.truth(node.body, q, node.var)
        if isinstance(body, bool):
            return self.bool_term(node, ROOT, None)
        return self.node(key, lambda nid: Quant(nid, node.kind, q, body)), False
