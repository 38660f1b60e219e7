"""The durable backend: a pack's decision conditions as a durable_rules Rete network.

Per pack (once, cached per :class:`~govrules.model.pack.Pack` object, thread-safe): the
conditions become a Kleene circuit (:mod:`~govrules.contrib.durable.circuit`), the circuit
becomes two-valued durable_rules rules (:mod:`~govrules.contrib.durable.rete`), and durable
compiles them into one ruleset, named after the pack's id and hash.

Per snapshot: the host computes the terms (each a closure compiled from the pack's
conditions, the same semantics the native backend runs), asserts
the snapshot facts, one fact per item of each quantified list, and one header per list,
in a fresh session; runs the actions to quiescence, each asserting its conclusion so the
network chains on it; reads the conclusions; and deletes the session. A condition is
true or false when the network concluded so, and unknown otherwise: its missing facts
are collected from the undecided leaves with the same Kleene propagation the native
evaluator uses (``and`` / ``or``: the union over undecided inputs; a leaf: its absent
terms; a quantifier: its list, or the undecided items' bodies).
"""

from __future__ import annotations

import itertools
import json
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from govrules.base.errors import Diagnostic, InputError
from govrules.base.location import Span
from govrules.contrib.durable.circuit import ROOT, Circuit, Gate, Leaf, compile_circuit
from govrules.contrib.durable.rete import (
    MAX_RULES,
    SHARD,
    Layout,
    Rules,
    encode,
    fact_type,
    prop,
    translate,
)
from govrules.contrib.durable.rete_engine import EngineMissingError, Ruleset, engine
from govrules.engine.backends import Decide, decision_conditions
from govrules.lang import Compiled, EvalContext, Unknown
from govrules.model.pack import Pack
from govrules.model.snapshot import holds_months

__all__ = ["DurableBackend", "backend", "compiled_pack"]

_CONCLUSION = '{"sid":"%s","id":"c%d.%d","t":"c%d","n":%d,"v":%d,"i":%d}'


class DurableBackend:
    name = "durable"

    def decider(self, pack: Pack, ctx: EvalContext) -> Decide:
        if holds_months(ctx.root):
            # durable compares two-valued: a date known only to the month, true on some
            # of its days and false on others, is decided by the native closures
            return lambda compiled: compiled.fn(ctx)
        return compiled_pack(pack).run(ctx)


_BACKEND = DurableBackend()


def backend() -> DurableBackend:
    """The backend; :class:`InputError` ``backend-unavailable`` without durable_rules."""
    try:
        engine()
    except EngineMissingError:
        raise InputError(Diagnostic(
            "backend-unavailable", "the durable backend needs the durable_rules package",
            hint="install the extra: pip install 'govrules[durable]'")) from None
    return _BACKEND


@dataclass
class _Run:
    """The outcome of one snapshot: term values and the network's conclusions."""

    circuit: Circuit
    root: dict[int, Any]
    items: list[list[dict[int, Any]] | None]
    concluded: dict[tuple[int, int], int]
    memo: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict)

    def decide(self, compiled: Compiled) -> object:
        out = self.circuit.outputs[id(compiled)]
        if isinstance(out, bool):
            return out
        v = self.concluded.get((out[0], ROOT))
        if v is None:
            return Unknown(self.missing(out[0], ROOT))
        return (v == 1) is not out[1]

    def term(self, term: int, item: int) -> Any:
        level = self.circuit.terms[term].level
        if level == ROOT:
            return self.root[term]
        rows = self.items[level]
        assert rows is not None
        return rows[item][term]

    def missing(self, node_id: int, item: int) -> frozenset[str]:
        """The facts that would decide an undecided node (the native propagation)."""
        key = (node_id, item)
        known = self.memo.get(key)
        if known is None:
            known = self.memo[key] = frozenset(self._missing(node_id, item))
        return known

    def _missing(self, node_id: int, item: int) -> Iterator[str]:
        node = self.circuit.nodes[node_id]
        if isinstance(node, Leaf):
            for term in node.terms:
                v = self.term(term, item)
                if isinstance(v, Unknown):
                    yield from v.missing
        elif isinstance(node, Gate):
            for ref in node.inputs:
                if (ref[0], item) not in self.concluded:
                    yield from self.missing(ref[0], item)
        else:
            source = self.root[self.circuit.scopes[node.q].source]
            if isinstance(source, Unknown):
                yield from source.missing
                return
            rows = self.items[node.q]
            assert rows is not None
            for i in range(len(rows)):
                if (node.body[0], i) not in self.concluded:
                    yield from self.missing(node.body[0], i)


class CompiledPack:
    """A pack's ruleset and everything needed to assert snapshots into it."""

    _names = itertools.count()

    def __init__(self, pack: Pack) -> None:
        self.circuit = compile_circuit(pack.env, decision_conditions(pack))
        rules, layout = translate(self.circuit)
        if len(rules.actions) > MAX_RULES:
            raise InputError(Diagnostic(
                "backend-limit", f"pack {pack.id!r} needs {len(rules.actions)} durable rules; "
                f"a durable ruleset holds {MAX_RULES}", span=Span(pack.file),
                hint="use the native backend, or split the pack"))
        self.rules: Rules = rules
        self.layout: Layout = layout
        name = f"govrules-{pack.id}-{pack.sha256[:12]}-{next(self._names)}"
        self.ruleset = Ruleset(name, rules.definition) if rules.actions else None
        self.lock = threading.Lock()
        self.sessions = itertools.count()
        self.root_terms = [(t, self.circuit.terms[t].compiled.fn)
                           for t in self.circuit.root_terms]
        self.item_terms = [[(t, self.circuit.terms[t].compiled.fn) for t in scope.item_terms]
                           for scope in self.circuit.scopes]

    def run(self, ctx: EvalContext) -> Decide:
        root = {t: fn(ctx) for t, fn in self.root_terms}
        sid = str(next(self.sessions))
        facts: list[dict[str, Any]] = []
        items = [self._items(q, root, ctx, sid, facts)
                 for q in range(len(self.circuit.scopes))]
        for c, chunk in enumerate(self.layout.chunks[ROOT]):
            fact: dict[str, Any] = {"sid": sid, "id": f"s{c}", "t": fact_type(ROOT, c)}
            for t in chunk:
                self._put(fact, t, root[t])
            facts.append(fact)
        concluded = self._chain(sid, facts) if self.ruleset is not None else {}
        return _Run(self.circuit, root, items, concluded).decide

    def _put(self, fact: dict[str, Any], term: int, value: Any) -> None:
        """A term as properties: its value when known (see :class:`.rete.Layout`)."""
        if not isinstance(value, Unknown):
            fact[prop(term)] = encode(value)
            if term in self.layout.lists:
                fact[prop(term) + "n"] = len(value)
        elif term in self.layout.absent:
            fact[prop(term) + "u"] = True

    def _items(self, q: int, root: dict[int, Any], ctx: EvalContext, sid: str,
               facts: list[dict[str, Any]]) -> list[dict[int, Any]] | None:
        """One fact per item of quantified list ``q`` (and its header); the item terms."""
        scope = self.circuit.scopes[q]
        source = root[scope.source]
        if isinstance(source, Unknown):
            return None
        terms = self.item_terms[q]
        rows: list[dict[int, Any]] = []
        frame = ctx.frame
        for i, item in enumerate(source):
            if len(frame) < 2:
                frame.extend([None] * (2 - len(frame)))
            frame[0], frame[1] = item, i
            row = {t: fn(ctx) for t, fn in terms}
            rows.append(row)
            for c, chunk in enumerate(self.layout.chunks[q]):
                kind = fact_type(q, c)
                fact: dict[str, Any] = {"sid": sid, "id": f"{kind}.{i}", "t": kind, "i": i}
                for t in chunk:
                    self._put(fact, t, row[t] if t in row else root[t])
                facts.append(fact)
        facts.append({"sid": sid, "id": f"h{q}", "t": f"h{q}", "last": len(rows) - 1})
        return rows

    def _chain(self, sid: str, facts: list[dict[str, Any]]) -> dict[tuple[int, int], int]:
        """Assert the facts, run every action to quiescence, and return the conclusions."""
        ruleset = self.ruleset
        assert ruleset is not None
        actions = self.rules.actions
        concluded: dict[tuple[int, int], int] = {}
        with self.lock:
            state = ruleset.assert_facts(json.dumps(facts))
            try:
                message = ruleset.first_action(state)
                while message is not None:
                    end = message.index('"', 2)
                    action = actions[int(message[3:end])]
                    item = -1
                    if action.alias is not None:
                        item = json.loads(message)[message[2:end]][action.alias]["i"]
                    key = (action.node, item)
                    if key not in concluded:
                        concluded[key] = action.value
                        ruleset.assert_fact(_CONCLUSION % (
                            sid, action.node, item, action.node // SHARD, action.node,
                            action.value, item))
                    elif concluded[key] != action.value:  # pragma: no cover - a bug
                        raise AssertionError(f"node {action.node} concluded both ways")
                    message = ruleset.next_action(state)
            finally:
                ruleset.delete_state(sid)
        return concluded

    def close(self) -> None:
        if self.ruleset is not None:
            self.ruleset.close()


_lock = threading.Lock()
_compiled: dict[int, tuple[weakref.ref[Pack], CompiledPack]] = {}


def _forget(key: int, compiled: CompiledPack) -> None:
    with _lock:
        entry = _compiled.get(key)
        if entry is not None and entry[1] is compiled:
            del _compiled[key]
    compiled.close()


def compiled_pack(pack: Pack) -> CompiledPack:
    """The compiled network of ``pack``, built on first use (one per Pack object)."""
    key = id(pack)
    with _lock:
        entry = _compiled.get(key)
        if entry is not None and entry[0]() is pack:
            return entry[1]
        compiled = CompiledPack(pack)
        _compiled[key] = (weakref.ref(pack), compiled)
        weakref.finalize(pack, _forget, key, compiled)
        return compiled
