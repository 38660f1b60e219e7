"""The syntax tree of the condition language, for tools that read conditions.

Linters, the query plan and the durable backend walk the tree of a condition (its nodes,
their operands and character offsets); this module is where they get it from, as
Python's :mod:`ast` is for Python. The nodes are frozen values; :func:`parse` gives the
tree of a text, :func:`children` a node's operands, :func:`free_names` the names it
reads, and :func:`compile_part` the closure of one part of a checked condition with the
language's exact semantics (the durable backend decides the logic itself).

>>> tree = parse("budget.current > 100")
>>> type(tree).__name__, [type(c).__name__ for c in children(tree)]
('Compare', ['Path', 'NumberLit'])
>>> sorted(free_names(tree))
['budget']
"""

from govrules.lang._closures import SWAPPED
from govrules.lang._compiler import compile_part
from govrules.lang._env import AS_OF
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
    children,
    free_names,
)
from govrules.lang._parser import MAX_DEPTH, parse

__all__ = [
    "AS_OF",
    "MAX_DEPTH",
    "SWAPPED",
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
    "compile_part",
    "free_names",
    "parse",
]
