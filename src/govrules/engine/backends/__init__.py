"""Evaluation backends: what decides a pack's conditions for one snapshot.

The engine asks a backend for the Kleene value (true, false or an
:class:`~govrules.lang.Unknown` naming the missing facts) of each *decision condition*:
the scope clauses, and each rule's ``applies_when`` and violation condition (deadline
rules already turned into conditions). Everything else — periodic obligations, messages,
waivers, next steps and the report — is shared.

- ``native`` runs the closures the pack was compiled into; it is the core's only one;
- other backends register under the entry-point group ``govrules.backends``: each entry
  names a callable returning a :class:`Backend` (raising :class:`InputError`
  ``backend-unavailable`` when what it needs is not installed). ``durable``
  (:mod:`govrules.contrib.durable`, the ``durable`` extra) is registered this way.

This module imports no backend: a backend imports it, never the other way round.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from govrules.base.errors import Diagnostic, InputError
from govrules.lang import Compiled, EvalContext
from govrules.model.pack import Pack

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

__all__ = ["ENTRY_POINTS", "Backend", "Decide", "available", "decision_conditions",
           "get_backend"]

Decide = Callable[[Compiled], object]
"""The value of one decision condition for the snapshot a decider was made for."""

ENTRY_POINTS = "govrules.backends"
"""The entry-point group other distributions (or the ``durable`` extra) register in."""


class Backend(Protocol):
    name: str

    def decider(self, pack: Pack, ctx: EvalContext) -> Decide:
        """Decide ``pack``'s conditions for the snapshot of ``ctx``."""


def decision_conditions(pack: Pack) -> list[Compiled]:
    """The conditions a backend decides: scope clauses, exception clauses, then each
    rule version's two."""
    out = [clause.applies for clause in pack.scope]
    out += [exception.when for exception in pack.exceptions]
    for latest in pack.rules:
        for rule in latest.all_versions:
            out.append(rule.applies)
            if rule.violated is not None:
                out.append(rule.violated)
    return out


class NativeBackend:
    """The compiled closures themselves."""

    name = "native"

    def decider(self, pack: Pack, ctx: EvalContext) -> Decide:
        return lambda compiled: compiled.fn(ctx)


NATIVE = NativeBackend()


@functools.cache
def _registered() -> dict[str, EntryPoint]:
    """The backends registered by entry point, by name (read once per process, when a
    backend other than ``native`` is asked for: reading them costs a start-up)."""
    from importlib.metadata import entry_points  # noqa: PLC0415

    found: dict[str, EntryPoint] = {}
    for entry in entry_points(group=ENTRY_POINTS):
        if entry.name != NATIVE.name:
            found.setdefault(entry.name, entry)
    return found


def available() -> tuple[str, ...]:
    """The names of every backend: ``native``, then the registered ones in name order."""
    return (NATIVE.name, *sorted(_registered()))


def __getattr__(name: str) -> object:
    if name == "BACKENDS":  # the backend names (read on first use)
        return available()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_backend(name: str) -> Backend:
    """The backend called ``name``; :class:`InputError` when there is none or it is not
    installed (``unknown-backend``, ``backend-unavailable``)."""
    if name == NATIVE.name:
        return NATIVE
    entry = _registered().get(name)
    if entry is None:
        raise InputError(Diagnostic(
            "unknown-backend", f"no evaluation backend {name!r} / 没有名为 {name!r} 的求值后端",
            hint=f"available / 可用: {', '.join(available())}"))
    make: Callable[[], Backend] = entry.load()
    return make()
