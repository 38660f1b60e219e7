"""What deciding a snapshot gives: the status of every scope clause, exception and rule,
with the reasons the report needs (data only; :mod:`govrules.engine.decide` decides)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from govrules import lang as expr
from govrules.engine.periodic import PeriodStatus
from govrules.model.compiled import CompiledException, CompiledRule, CompiledScope, Pack
from govrules.model.report import ArticleRef, FindingStatus, RecordedExceptionRef, Text
from govrules.model.snapshot import Snapshot
from govrules.model.validity import Validity

__all__ = ["Decisions", "ExceptionDecision", "RuleDecision", "ScopeDecision", "kleene_and",
           "missing_of", "scope_out"]

Unknown = expr.Unknown


def kleene_and(a: object, b: object) -> object:
    """Kleene conjunction of two evaluated values."""
    if a is False or b is False:
        return False
    if isinstance(a, Unknown):
        return Unknown(a.missing | b.missing) if isinstance(b, Unknown) else a
    return b


def scope_out(scope: tuple[ScopeDecision, ...], exceptions: tuple[ExceptionDecision, ...]
              ) -> bool:
    """Out of scope, or an applying exception takes every rule out."""
    if any(s.value is False for s in scope):
        return True
    return any(e.value is True and e.exception.rules is None for e in exceptions)


def missing_of(value: object) -> frozenset[str]:
    return value.missing if isinstance(value, Unknown) else frozenset()


# The decisions of one clause or rule are named tuples: immutable like a frozen dataclass,
# and made in a fifth of the time (a frozen dataclass sets each field with
# object.__setattr__; deciding one snapshot makes one per rule).


class ScopeDecision(NamedTuple):
    clause: CompiledScope
    value: object

    @property
    def status(self) -> FindingStatus:
        return ("satisfied" if self.value is True else "not_applicable"
                if self.value is False else "undetermined")


class ExceptionDecision(NamedTuple):
    """An exception clause: applies (True), does not (False), or silent (presumed)."""

    exception: CompiledException
    value: object

    @property
    def silent(self) -> bool:
        return isinstance(self.value, Unknown)


class RuleDecision(NamedTuple):
    """One rule's status and everything the report needs to explain it."""

    rule: CompiledRule
    """The governing version."""
    status: FindingStatus
    missing: frozenset[str] = frozenset()
    binding: bool = True
    conduct: date | None = None
    conduct_fact: str | None = None
    reason: Text | None = None
    cites: ArticleRef | None = None
    waiver: RecordedExceptionRef | None = None
    periods: PeriodStatus | None = None
    presumed: tuple[str, ...] = ()
    applies: object = False
    would_be: FindingStatus | None = None
    """For conduct outside the text's validity: the status the text would give."""


@dataclass(frozen=True)
class Decisions:
    """Every status of one (pack, snapshot, as_of), with the reasons."""

    pack: Pack
    snapshot: Snapshot
    as_of: date
    ctx: expr.EvalContext
    validity: Validity
    scope: tuple[ScopeDecision, ...]
    exceptions: tuple[ExceptionDecision, ...]
    rules: tuple[RuleDecision, ...]
    strict_presumptions: bool = False

    @functools.cached_property
    def scope_out(self) -> bool:
        """Out of scope, or an applying exception takes every rule out."""
        return scope_out(self.scope, self.exceptions)

    @property
    def ungoverned(self) -> bool:
        """No rule governs the project: every one is out of the text's (or its version's)
        validity for the conduct, or taken out by an exception."""
        return bool(self.rules) and all(
            r.status == "not_applicable" and r.reason is not None for r in self.rules)

    @property
    def statuses(self) -> Mapping[str, FindingStatus]:
        """Rule id -> status (scope clauses and exceptions included)."""
        out: dict[str, FindingStatus] = {s.clause.spec.id: s.status for s in self.scope}
        for e in self.exceptions:
            out[e.exception.spec.id] = "not_applicable" if e.value is True else (
                "undetermined" if e.silent and self.strict_presumptions else "satisfied")
        out.update({r.rule.id: r.status for r in self.rules})
        return out
