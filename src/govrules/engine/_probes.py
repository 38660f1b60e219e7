"""What the query plan tries for one missing fact of one rule, found once per pack.

A yes/no fact is tried true and false, a choice each allowed value; a date or an amount
the values a condition of the rule compares it with (the boundary expressions, compiled
once and evaluated on each snapshot). The probe also says which conditions and derived
facts read the fact: the others keep their values on the snapshot as it is.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govrules import lang as expr
from govrules.base.errors import ExpressionError
from govrules.engine._overlay import path_parts
from govrules.lang import syntax as nodes

if TYPE_CHECKING:
    from govrules.model.compiled import CompiledRule, Pack

__all__ = ["Probe", "probe_for"]


def _type_of(root: expr.Object, path: str) -> expr.Type | None:
    typ: expr.Type = root
    for name, index in path_parts(path):
        if not isinstance(typ, expr.Object):
            return None
        found = typ.fields.get(name)
        if found is None:
            return None
        typ = found
        if index is not None:
            if not isinstance(typ, expr.ListOf):
                return None
            typ = typ.item
    return typ


def _conditions(pack: Pack, rule: CompiledRule) -> Iterator[expr.Compiled]:
    yield from (c.applies for c in pack.scope)
    yield rule.applies
    if rule.violated is not None:
        yield rule.violated
    for name in sorted(rule.applies.uses | (rule.violated.uses if rule.violated else set())):
        derived = pack.env.derived.get(name)
        if derived is not None:
            yield derived.compiled


_texts_lock = threading.Lock()
_texts_cache: dict[tuple[int, str, str], tuple[Pack, tuple[tuple[str, expr.Env], ...]]] = {}


def _boundary_texts(pack: Pack, rule: CompiledRule, plain: str
                    ) -> tuple[tuple[str, expr.Env], ...]:
    """The texts a condition of ``rule`` compares the fact ``plain`` with (found once)."""
    key = (id(pack), rule.id, plain)
    with _texts_lock:
        hit = _texts_cache.get(key)
        if hit is not None and hit[0] is pack:
            return hit[1]
    found: list[tuple[str, expr.Env]] = []
    for compiled in _conditions(pack, rule):
        stack: list[nodes.Node] = [compiled.node]
        while stack:
            node = stack.pop()
            stack.extend(nodes.children(node))
            if not isinstance(node, nodes.Compare) or node.op in ("in", "not in"):
                continue
            for mine, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(mine, nodes.Path) and ".".join(mine.parts) == plain:
                    text = compiled.text[other.start:other.end]
                    if (text, pack.env) not in found:
                        found.append((text, pack.env))
    texts = tuple(found)
    with _texts_lock:
        _texts_cache[key] = (pack, texts)
    return texts


_compiled_lock = threading.Lock()
_compiled_cache: dict[tuple[int, str], tuple[expr.Env, expr.Compiled | None]] = {}


def _compile(text: str, env: expr.Env) -> expr.Compiled | None:
    """``text`` compiled in ``env``, once per environment (None when it does not compile)."""
    key = (id(env), text)
    with _compiled_lock:
        hit = _compiled_cache.get(key)
        if hit is not None and hit[0] is env:
            return hit[1]
    try:
        compiled: expr.Compiled | None = expr.compile_expression(text, env, expect=None)
    except ExpressionError:
        compiled = None
    with _compiled_lock:
        if len(_compiled_cache) > 4096:
            _compiled_cache.clear()
        _compiled_cache[key] = (env, compiled)
    return compiled


@functools.lru_cache(maxsize=8192)
def _reads(facts: frozenset[str], plain: str) -> bool:
    """Whether a condition reading ``facts`` can read the fact ``plain`` (list indexes
    left out): the same path, a part of it, or a whole it is part of."""
    return any(path == plain or plain.startswith(path + ".") or path.startswith(plain + ".")
               for path in facts)


@dataclass(frozen=True, slots=True)
class Probe:
    """What the plan tries for one missing fact of one rule, the same for every snapshot:
    the fixed candidate values (yes/no, choices), or the boundary expressions a date or
    amount is compared with (``numeric``), and which conditions read the fact."""

    plain: str
    values: tuple[Any, ...]
    bounds: tuple[expr.Compiled | None, ...]
    numeric: bool
    applies_reads: bool
    violated_reads: bool
    scope_reads: tuple[bool, ...]
    unread: tuple[str, ...]  # the derived facts that do not read the fact
    scoped: bool  # some scope clause reads it


def _probe_of(pack: Pack, rule: CompiledRule, fact: str) -> Probe:
    plain = re.sub(r"\[\d+\]", "", fact)
    typ = _type_of(pack.env.root, fact)
    values: tuple[Any, ...] = ()
    if typ is expr.Bool:
        values = (True, False)
    elif isinstance(typ, expr.String) and typ.choices:
        values = tuple(sorted(typ.choices))
    numeric = typ is expr.Date or typ is expr.Number
    scope_reads = tuple(_reads(c.applies.facts, plain) for c in pack.scope)
    bounds = tuple(_compile(text, env) for text, env in _boundary_texts(pack, rule, plain)
                   ) if numeric else ()
    return Probe(plain=plain, values=values, bounds=bounds, numeric=numeric,
                 applies_reads=_reads(rule.applies.facts, plain),
                 violated_reads=rule.violated is not None
                 and _reads(rule.violated.facts, plain),
                 scope_reads=scope_reads, scoped=any(scope_reads),
                 unread=tuple(name for name, d in pack.env.derived.items()
                              if not _reads(d.compiled.facts, plain)))


_probes_lock = threading.Lock()
_probes_cache: dict[tuple[int, str, str], tuple[Pack, Probe]] = {}


def probe_for(pack: Pack, rule: CompiledRule, fact: str) -> Probe:
    """The probe of ``fact`` for ``rule`` (found once per pack, rule and fact)."""
    key = (id(pack), rule.id, fact)
    hit = _probes_cache.get(key)  # one dict read: safe without the lock
    if hit is not None and hit[0] is pack:
        return hit[1]
    probe = _probe_of(pack, rule, fact)
    with _probes_lock:
        if len(_probes_cache) > 8192:
            _probes_cache.clear()
        _probes_cache[key] = (pack, probe)
    return probe
