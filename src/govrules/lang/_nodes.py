"""The syntax tree of a condition: frozen values with character offsets.

Every node knows the ``start`` and ``end`` offsets of its text, so the compiler can
point at it and the explain tool can show ``text[start:end]`` beside its value.
Chains of ``and``, ``or``, ``+``/``-`` and ``*``/``/`` are single n-ary nodes: a
condition with a hundred ``or`` branches stays a shallow tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "Arith",
    "BoolLit",
    "Call",
    "Compare",
    "IsKnown",
    "ListLit",
    "Logic",
    "Neg",
    "Node",
    "Not",
    "NumberLit",
    "Path",
    "Quantifier",
    "StringLit",
    "children",
    "free_names",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """Base of all nodes: the half-open character range ``[start, end)``."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class NumberLit(Node):
    value: Decimal


@dataclass(frozen=True, slots=True)
class StringLit(Node):
    value: str


@dataclass(frozen=True, slots=True)
class BoolLit(Node):
    value: bool


@dataclass(frozen=True, slots=True)
class ListLit(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Path(Node):
    """A fact, a derived fact, ``as_of`` or a quantifier variable, with field names."""

    parts: tuple[str, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True, slots=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class Neg(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class Logic(Node):
    """``a and b and c`` (op ``and``) or ``a or b`` (op ``or``), two operands or more."""

    op: str
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Arith(Node):
    """``operands[0] ops[0] operands[1] ops[1] ...``, evaluated left to right."""

    ops: tuple[str, ...]
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Compare(Node):
    """``left op right``; op is one of ``== != < <= > >= in``, or ``not in``."""

    op: str
    left: Node
    right: Node
    op_start: int


@dataclass(frozen=True, slots=True)
class IsKnown(Node):
    """``operand is known`` (known=True) or ``operand is unknown`` (known=False)."""

    operand: Node
    known: bool


@dataclass(frozen=True, slots=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Quantifier(Node):
    """``kind(var in source: body)``; kind is any, all, count, sum, min or max."""

    kind: str
    var: str
    var_start: int
    source: Path
    body: Node


def children(node: Node) -> Iterator[Node]:
    """The direct sub-nodes of ``node``, left to right."""
    if isinstance(node, Not | Neg):
        yield node.operand
    elif isinstance(node, Logic | Arith):
        yield from node.operands
    elif isinstance(node, Compare):
        yield node.left
        yield node.right
    elif isinstance(node, IsKnown):
        yield node.operand
    elif isinstance(node, Call):
        yield from node.args
    elif isinstance(node, ListLit):
        yield from node.items
    elif isinstance(node, Quantifier):
        yield node.source
        yield node.body


def free_names(node: Node) -> frozenset[str]:
    """The first names of every path not bound by a quantifier.

    A pack loader uses this to order derived facts by dependency before compiling them.

    >>> from govrules.lang._parser import parse
    >>> sorted(free_names(parse("any(a in budget.items: a.x > limit) and as_of > start")))
    ['as_of', 'budget', 'limit', 'start']
    """
    out: set[str] = set()
    stack: list[tuple[Node, frozenset[str]]] = [(node, frozenset())]
    while stack:
        current, bound = stack.pop()
        if isinstance(current, Path):
            if current.parts[0] not in bound:
                out.add(current.parts[0])
        elif isinstance(current, Quantifier):
            stack.append((current.source, bound))
            stack.append((current.body, bound | {current.var}))
        else:
            stack.extend((child, bound) for child in children(current))
    return frozenset(out)
