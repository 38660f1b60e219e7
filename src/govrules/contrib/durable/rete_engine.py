"""A small typed wrapper over durable_rules' Rete engine (the ``durable_rules_engine``
extension that the ``durable-rules`` distribution installs).

The wrapper talks to the engine directly rather than through ``durable.lang``: that
module keeps a process-wide registry of rulesets and a host that polls them from timer
threads, which a library must not start behind its caller's back. Everything else —
rulesets compiled from JSON, facts asserted per session (``sid``), actions run until
the network is quiescent — is durable_rules' own machinery.
"""

from __future__ import annotations

import importlib
import json
from types import ModuleType
from typing import Any

__all__ = ["EngineMissingError", "Ruleset", "engine"]


class EngineMissingError(ImportError):
    """durable_rules is not installed."""


def engine() -> ModuleType:
    """The durable_rules engine extension; :class:`EngineMissingError` when it is absent."""
    try:
        return importlib.import_module("durable_rules_engine")
    except ImportError as exc:
        raise EngineMissingError(str(exc)) from exc


class Ruleset:
    """One compiled durable_rules ruleset (a Rete network) and its sessions.

    Not thread-safe: callers serialise use (the C engine keeps per-ruleset state).
    """

    def __init__(self, name: str, definition: dict[str, Any]) -> None:
        self._engine = engine()
        self.name = name
        self.handle: int = self._engine.create_ruleset(name, json.dumps(definition))

    def assert_facts(self, facts: str) -> int:
        """Assert a JSON array of facts; the state handle of their session."""
        result: tuple[int, int] = self._engine.assert_facts(self.handle, facts)
        return result[1]

    def assert_fact(self, fact: str) -> None:
        """Assert one JSON fact (used inside an action, to chain on a conclusion)."""
        self._engine.assert_fact(self.handle, fact)

    def first_action(self, state: int) -> str | None:
        """The first pending action of a session: ``{"<rule>": {<alias>: <fact>, ...}}``."""
        result: tuple[str, str] | None = self._engine.start_action_for_state(self.handle, state)
        return result[1] if result else None

    def next_action(self, state: int) -> str | None:
        """Complete the current action and start the next one, if any."""
        message: str | None = self._engine.complete_and_start_action(self.handle, state)
        return message

    def delete_state(self, sid: str) -> None:
        """Drop a session and every fact asserted in it."""
        self._engine.delete_state(self.handle, sid)

    def close(self) -> None:
        """Free the network (the handle is unusable afterwards)."""
        self._engine.delete_ruleset(self.handle)
