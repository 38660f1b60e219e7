"""Translate a Kleene circuit into durable_rules rules: two-valued, forward-chaining.

durable_rules is two-valued, so every circuit node ``N`` gets rules for "N is definitely
true" and "N is definitely false"; a rule's action asserts the *conclusion* fact
``{t: c, n: N, v: 1|0, i: item}`` and the network chains on it:

- a leaf ``x > y``: true when both are present and ``x > y``; false when both are present
  and ``x <= y``. Absent facts match neither, so they stay unknown;
- ``and``: true when a join finds every input true; false when any input is false (one
  rule per input); ``or`` is the dual; ``not`` swaps true and false;
- ``any(x in L: B)``: true when some item's ``B`` is true; false when a chain of
  conclusions reaches the last item of ``L`` with every ``B`` false (durable's negation is
  decided when its first fact arrives, so "no item is not false" is built as a chain);
  ``all`` is the dual.

Nodes inside a quantifier body are concluded per item (``i``) and joined on it. Values
are encoded so that durable's comparisons are exact: numbers as order-preserving text
keys, dates as ISO text, quarters as ``YYYYQn``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from govrules.base.calendar import Quarter
from govrules.contrib.durable.circuit import ROOT, Circuit, Gate, Leaf, Quant, Ref

__all__ = ["MAX_RULES", "Action", "Layout", "Rules", "conclusion_type", "encode", "fact_type",
           "number_key", "prop", "translate"]

MAX_ALPHA = 48
"""Alpha nodes (tests) under one fact type. durable walks the tests a fact passes with a
stack of 64 nodes and refuses the fact when it overflows (error 303), so the snapshot
and each item are split into several small facts, each tested by a few leaves."""
MAX_RULES = 4096
"""Rules one durable ruleset holds (error 106 beyond)."""
SHARD = 200
"""Conclusions are typed ``c0``, ``c1``, ... by node id: durable probes the tests of one
property in a table of 512 slots, which must never fill up."""

_OPS = {"==": "$eq", "!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_EXP_BIAS = 5_000_000


def number_key(value: Decimal | int) -> str:
    """Text whose byte order is the numeric order (exact, unlike a double).

    >>> number_key(Decimal("-1.25")) < number_key(-1) < number_key(0) < number_key(Decimal("0.1"))
    True
    """
    d = Decimal(value)
    if not d:
        return "1"
    sign, digits, exponent = d.normalize().as_tuple()
    assert isinstance(exponent, int)
    adjusted = len(digits) + exponent - 1
    text = "".join(map(str, digits))
    if not sign:
        return f"2{adjusted + _EXP_BIAS:08d}{text}"
    flipped = "".join(str(9 - int(c)) for c in text)
    return f"0{_EXP_BIAS - adjusted:08d}{flipped}~"


def encode(value: Any) -> Any:
    """A known value as durable compares it; lists of records become their length."""
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | Decimal):
        return number_key(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Quarter):
        return f"{value.year:04d}Q{value.q}"
    if isinstance(value, list):
        if all(isinstance(v, bool | str | int | Decimal | date | Quarter) for v in value):
            return [encode(v) for v in value]
        return len(value)
    return True


@dataclass(frozen=True, slots=True)
class Action:
    """What a rule concludes: node ``node`` is ``value`` (1 true, 0 false) for the item
    whose index is field ``i`` of the matched fact ``alias`` (None: the snapshot)."""

    node: int
    value: int
    alias: str | None


@dataclass(frozen=True, slots=True)
class Layout:
    """Which term properties go in which fact: ``chunks[level][c]`` lists the terms of
    fact ``s<c>`` (the snapshot, level ROOT) or ``i<q>.<c>`` (an item of quantifier
    ``q``); every term a leaf tests is in that leaf's fact (``leaf_chunk``)."""

    chunks: dict[int, tuple[tuple[int, ...], ...]]
    leaf_chunk: dict[int, int]
    lists: frozenset[int]
    """Terms tested with ``has``: they also carry their length (``p<id>n``)."""
    absent: frozenset[int]
    """Terms tested with ``is known``: their absence is marked (``p<id>u``), since
    durable's ``$nex`` tests are tried one by one on every fact and overflow its stack."""


def fact_type(level: int, chunk: int) -> str:
    return f"s{chunk}" if level == ROOT else f"i{level}.{chunk}"


@dataclass
class Rules:
    definition: dict[str, Any] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)

    def add(self, patterns: list[dict[str, Any]], action: Action) -> None:
        self.definition[f"r{len(self.actions)}"] = {"all": patterns}
        self.actions.append(action)


def prop(term: int) -> str:
    return f"p{term}"


def _and(tests: list[Any]) -> Any:
    return tests[0] if len(tests) == 1 else {"$and": tests}


def _compare(op: str, name: str, right: Any) -> dict[str, Any]:
    return {name: right} if op == "==" else {_OPS[op]: {name: right}}


def translate(circuit: Circuit) -> tuple[Rules, Layout]:
    """The ruleset definition, its actions, and the facts' layout."""
    layout = _layout(circuit)
    rules = Rules()
    chains = len(circuit.nodes)
    for node in circuit.nodes:
        if isinstance(node, Leaf):
            _leaf(rules, node, layout.leaf_chunk[node.id])
        elif isinstance(node, Gate):
            _gate(rules, node)
        else:
            _quant(rules, node, chains + node.q)
    return rules, layout


def _layout(circuit: Circuit) -> Layout:
    leaves = [n for n in circuit.nodes if isinstance(n, Leaf)]
    lists = frozenset(t for n in leaves if n.kind == "has" for t in n.terms)
    absent = frozenset(t for n in leaves if n.kind == "known" for t in n.terms)
    chunks: dict[int, list[dict[int, None]]] = {ROOT: [{}]}
    chunks.update((q, [{}]) for q in range(len(circuit.scopes)))
    used: dict[int, int] = dict.fromkeys(chunks, 0)
    leaf_chunk: dict[int, int] = {}
    for leaf in leaves:
        size = _alpha_nodes(leaf)
        if used[leaf.level] + size > MAX_ALPHA:
            chunks[leaf.level].append({})
            used[leaf.level] = 0
        used[leaf.level] += size
        chunks[leaf.level][-1].update(dict.fromkeys(leaf.terms))
        leaf_chunk[leaf.id] = len(chunks[leaf.level]) - 1
    return Layout({level: tuple(tuple(c) for c in facts) for level, facts in chunks.items()},
                  leaf_chunk, lists, absent)


def _alpha_nodes(leaf: Leaf) -> int:
    """The tests a leaf adds under its fact type (its rules share their prefixes)."""
    prefixes = {json.dumps(tests[:k], sort_keys=True)
                for tests, _ in _leaf_tests(leaf) for k in range(1, len(tests) + 1)}
    return len(prefixes)


def _leaf_tests(leaf: Leaf) -> list[tuple[list[Any], int]]:
    """The leaf's patterns (after the fact type) and what each concludes (1 true, 0 false)."""
    names = [prop(t) for t in leaf.terms]
    present: list[Any] = [{"$ex": {n: 1}} for n in names]
    if leaf.kind == "cmp":
        right = encode(leaf.right) if len(names) == 1 else {"$m": names[1]}
        return [([*present, _compare(leaf.op, names[0], right)], 1),
                ([*present, _compare(_NEGATED[leaf.op], names[0], right)], 0)]
    if leaf.kind == "in":
        out = [([*present, {names[0]: encode(v)}], 1) for v in leaf.values]
        return [*out, ([*present, *({"$neq": {names[0]: encode(v)}} for v in leaf.values)], 0)]
    if leaf.kind == "has":
        item = encode(leaf.right)
        return [([*present, {"$iany": {names[0]: {"$i": item}}}], 1),
                ([{names[0] + "n": 0}], 0),
                ([*present, {"$iall": {names[0]: {"$neq": {"$i": item}}}}], 0)]
    if leaf.kind == "known":
        known = 1 if leaf.op == "known" else 0
        return [(present, known), ([{names[0] + "u": True}], 1 - known)]
    return [([{names[0]: True}], 1), ([{names[0]: False}], 0)]


def _leaf(rules: Rules, leaf: Leaf, chunk: int) -> None:
    kind = {"t": fact_type(leaf.level, chunk)}
    alias = None if leaf.level == ROOT else "m"
    for tests, value in _leaf_tests(leaf):
        rules.add([{"m": _and([kind, *tests])}], Action(leaf.id, value, alias))


def conclusion_type(node: int) -> str:
    return f"c{node // SHARD}"


def _conclusion(ref: Ref, value: int, same_item: str | None) -> Any:
    """A pattern matching the conclusion that ``ref`` has ``value`` (on the same item)."""
    node, negated = ref
    tests: list[Any] = [{"t": conclusion_type(node)}, {"n": node},
                        {"v": (1 - value) if negated else value}]
    if same_item is not None:
        tests.append({"i": {same_item: "i"}})
    return {"$and": tests}


def _gate(rules: Rules, gate: Gate) -> None:
    decisive = 1 if gate.op == "or" else 0
    alias = None if gate.level == ROOT else "x0"
    joined = [{f"x{k}": _conclusion(ref, 1 - decisive, "x0" if k else None)}
              for k, ref in enumerate(gate.inputs)]
    rules.add(joined, Action(gate.id, 1 - decisive, alias))
    for ref in gate.inputs:
        rules.add([{"x0": _conclusion(ref, decisive, None)}], Action(gate.id, decisive, alias))


def _quant(rules: Rules, quant: Quant, chain: int) -> None:
    """``any``: true on one true item; false at the end of a chain of false items."""
    decisive = 1 if quant.kind == "any" else 0
    other = 1 - decisive
    rules.add([{"x0": _conclusion(quant.body, decisive, None)}], Action(quant.id, decisive, None))
    body_other = _conclusion(quant.body, other, None)
    first = {"$and": [*body_other["$and"], {"i": 0}]}
    rules.add([{"x0": first}], Action(chain, 1, "x0"))
    link = {"$and": [{"t": conclusion_type(chain)}, {"n": chain}, {"v": 1}]}
    following = {"$and": [*body_other["$and"], {"i": {"$add": {"$l": {"x0": "i"}, "$r": 1}}}]}
    rules.add([{"x0": link}, {"x1": following}], Action(chain, 1, "x1"))
    header = {"t": f"h{quant.q}"}
    last = {"$and": [*link["$and"], {"i": {"h": "last"}}]}
    rules.add([{"h": header}, {"x0": last}], Action(quant.id, other, None))
    rules.add([{"h": {"$and": [header, {"last": -1}]}}], Action(quant.id, other, None))
