"""Evaluation backends: what decides a pack's conditions for one snapshot.

The engine asks a backend for the Kleene value (true, false or an
:class:`~govrules.expr.Unknown` naming the missing facts) of each *decision condition*:
the scope clauses, and each rule's ``applies_when`` and violation condition (deadline
rules already turned into conditions). Everything else — periodic obligations, messages,
waivers, next steps and the report — is shared.

- ``native`` runs the closures the pack was compiled into;
- ``durable`` compiles the pack into a durable_rules (Rete) network, once per pack, and
  asserts each snapshot into it (see ``docs/backends.md``); it needs the ``durable``
  extra.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from govrules.errors import Diagnostic, InputError
from govrules.expr import Compiled, EvalContext
from govrules.pack import Pack

__all__ = ["BACKENDS", "Backend", "Decide", "decision_conditions", "get_backend"]

Decide = Callable[[Compiled], object]
"""The value of one decision condition for the snapshot a decider was made for."""

BACKENDS = ("native", "durable")


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


def get_backend(name: str) -> Backend:
    """The backend called ``name``; :class:`InputError` when there is none or it is not
    installed (``unknown-backend``, ``backend-unavailable``)."""
    if name == "native":
        return NATIVE
    if name == "durable":
        from govrules.backends import durable  # noqa: PLC0415 - the optional dependency

        return durable.backend()
    raise InputError(Diagnostic("unknown-backend", f"no evaluation backend {name!r}",
                                hint=f"available: {', '.join(BACKENDS)}"))
