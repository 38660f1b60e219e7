"""Decide a snapshot under a pack: the status of every rule, and why. No messages.

A rule's status is the Kleene value of ``in scope AND applies AND violated``, judged
under the law of the time of the conduct (tempus regit actum):

- the conduct date is the rule's ``conduct:`` date (default: a deadline's ``after``, each
  period's end for a periodic rule, else ``as_of``);
- the rule version in force on that date governs (an amendment keeps earlier versions
  for earlier conduct);
- conduct outside the text's validity is ``not_applicable`` with the reason, citing the
  validity article; a breach inside it stays ``violated`` and binding after the text
  lapsed; when the date is unknown and the answer depends on it, ``undetermined``;
- an exception clause whose ``when`` holds takes its rules out; one the record is silent
  on is presumed not to apply (and the presumption is recorded), or, in strict mode,
  leaves what it would change undetermined;
- an in-principle rule in breach is ``waived`` by an approved recorded exception.

:func:`decide` is pure: the same pack, snapshot and date always give the same
:class:`Decisions`. :mod:`govrules.engine.evaluate` builds the report from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from govrules import lang as expr
from govrules.base.calendar import Calendar
from govrules.engine._decisions import (
    Decisions,
    ExceptionDecision,
    RuleDecision,
    ScopeDecision,
    kleene_and,
    missing_of,
    scope_out,
)
from govrules.engine._validity_text import validity_citation, validity_reason
from govrules.engine.backends import Decide, get_backend
from govrules.engine.periodic import DateWindow, PeriodStatus, assess
from govrules.model.compiled import CompiledRule, Pack
from govrules.model.pack_format import Metadata
from govrules.model.report import FindingStatus, RecordedExceptionRef, Text
from govrules.model.snapshot import Snapshot
from govrules.model.validity import Validity, validity_on

__all__ = ["Decisions", "ExceptionDecision", "RuleDecision", "ScopeDecision", "decide",
           "decide_in", "kleene_and", "text_window"]

Unknown = expr.Unknown
_NONE: frozenset[str] = frozenset()
_new = tuple.__new__


def text_window(meta: Metadata) -> DateWindow:
    """The days the text can govern conduct, inclusive (``None``: unbounded)."""
    first = meta.effective or meta.not_before
    last = meta.expires
    if meta.repealed is not None:
        day = meta.repealed - timedelta(days=1)
        last = day if last is None else min(last, day)
    return first, last


@dataclass
class _Env:
    pack: Pack
    snapshot: Snapshot
    ctx: expr.EvalContext
    decide: Decide
    validity: Validity
    scope: object
    exceptions: tuple[ExceptionDecision, ...]
    strict: bool
    window: DateWindow = (None, None)
    draft: bool = False
    silent: tuple[ExceptionDecision, ...] = ()
    """The exceptions the record is silent on."""
    applying: tuple[ExceptionDecision, ...] = ()
    """The exceptions that apply."""
    early: str | None = None
    """Why ``as_of`` is outside the text's validity, or None (:meth:`outside`)."""
    silent_everywhere: tuple[str, ...] | None = None
    """The ids of the silent exceptions when each covers every rule (what every rule
    presumes), else None."""

    def __post_init__(self) -> None:
        self.early = self.outside(self.ctx.as_of)
        if self.silent and all(e.exception.rules is None for e in self.silent):
            self.silent_everywhere = tuple(e.exception.spec.id for e in self.silent)

    def bounded(self, rule: CompiledRule) -> bool:
        """Whether the conduct date can change the outcome."""
        return self.window != (None, None) or len(rule.all_versions) > 1

    def outside(self, day: date) -> str | None:
        """Why conduct on ``day`` is outside the text's validity, or None."""
        meta = self.pack.meta
        first, last = self.window
        if first is not None and day < first:
            if meta.effective is None:
                return "predates"
            return "before"
        if last is not None and day > last:
            return "repealed" if meta.repealed is not None and day >= meta.repealed \
                else "after"
        return None


def _conduct(rule: CompiledRule, ctx: expr.EvalContext) -> tuple[object, str]:
    """The conduct date (a date or Unknown) and the fact it comes from."""
    if rule.conduct is not None and rule.conduct_fact is not None:
        return rule.conduct.fn(ctx), rule.conduct_fact
    return ctx.as_of, "as_of"


def _waiver(rule: CompiledRule, pack: Pack, snapshot: Snapshot
            ) -> tuple[FindingStatus, RecordedExceptionRef | None, frozenset[str]]:
    """An approved recorded exception waives an in-principle violation, never another."""
    if not rule.spec.in_principle:
        return "violated", None, frozenset()
    keys = {rule.id, f"{pack.id}.{rule.spec.article}"}
    if rule.spec.item is not None:
        keys.add(f"{pack.id}.{rule.spec.article}.{rule.spec.item}")
    undecided: set[str] = set()
    for index, exc in enumerate(snapshot.exceptions or []):
        if exc.rule not in keys:
            continue
        if exc.approved is True:
            return "waived", RecordedExceptionRef(
                index=index, reason=exc.reason, approved_by=list(exc.approved_by or []),
                approved_on=exc.approved_on, reference=exc.reference), frozenset()
        if exc.approved is None:
            undecided.add(f"exceptions[{index}].approved")
    if undecided:
        return "undetermined", None, frozenset(undecided)
    return "violated", None, frozenset()


class _Core(NamedTuple):
    """A rule's status before validity: the fields of its :class:`RuleDecision`."""

    status: FindingStatus
    missing: frozenset[str] = frozenset()
    waiver: RecordedExceptionRef | None = None
    periods: PeriodStatus | None = None
    applies: object = False


def _core(rule: CompiledRule, env: _Env) -> _Core:
    """Scope, applies and violated, with the waiver: the status before validity."""
    applies = kleene_and(env.scope, env.decide(rule.applies))
    if applies is False:
        return _Core("not_applicable", applies=applies)
    periods: PeriodStatus | None = None
    if rule.periodic is not None:
        periods = assess(rule.periodic, env.ctx, env.window)
        violated = periods.outcome()
    else:
        assert rule.violated is not None
        violated = env.decide(rule.violated)
    outcome = kleene_and(applies, violated)
    if outcome is False:
        return _Core("satisfied", periods=periods, applies=applies)
    if isinstance(outcome, Unknown):
        return _Core("undetermined", outcome.missing, periods=periods, applies=applies)
    status, waiver, missing = _waiver(rule, env.pack, env.snapshot)
    return _Core(status, missing, waiver, periods, applies)


def _out_of_window(rule: CompiledRule, would_be: FindingStatus, env: _Env, day: date, *,
                   fact: str, kind: str, shown: object = None) -> RuleDecision:
    """``shown``: the recorded conduct when it is a month (``day`` is one of its days)."""
    month = isinstance(shown, expr.Span)
    return RuleDecision(
        rule, "not_applicable", binding=False, conduct=None if month else day,
        conduct_fact=fact, reason=validity_reason(kind, shown if month else day, env.pack.meta),
        cites=validity_citation(env.pack), applies=False, would_be=would_be)


def _not_in_force(rule: CompiledRule, day: date, fact: str) -> RuleDecision:
    return RuleDecision(rule, "not_applicable", binding=False, conduct=day, conduct_fact=fact,
                        reason=Text(zh=f"该规则在行为日期{day}不在施行中(见修订)。",
                                    en=f"The rule was not in force on the day of the conduct, "
                                       f"{day} (see the amendments)."))


def _excepted(rule: CompiledRule, env: _Env) -> RuleDecision | None:
    for exc in env.applying:
        if exc.exception.covers(rule.id):
            return RuleDecision(rule, "not_applicable", binding=not env.draft,
                                reason=exc.exception.message, cites=exc.exception.citation)
    return None


def _settle(conduct: object, rule: CompiledRule, env: _Env) -> object:
    """A conduct date given to the month: one of its days when every day is judged
    alike (same side of the validity window, same rule version), else unknown."""
    if not isinstance(conduct, expr.Span):
        return conduct
    lo, hi = conduct.lo, conduct.hi
    if env.outside(lo) == env.outside(hi) and rule.version_on(lo) is rule.version_on(hi):
        return hi if env.outside(lo) in ("after", "repealed") else lo
    return Unknown(conduct.missing)


def _presume(version: CompiledRule, env: _Env, status: FindingStatus,
             waiver: RecordedExceptionRef | None,
             missing: frozenset[str]) -> tuple[FindingStatus, RecordedExceptionRef | None,
                                               frozenset[str],
                                               tuple[str, ...]]:
    """Silent exceptions: presumed not to apply (recorded), or, strictly, unknown."""
    if env.silent_everywhere is not None and not env.strict and status != "not_applicable":
        return status, waiver, missing, env.silent_everywhere
    silent = [e for e in env.silent if e.exception.covers(version.id)] \
        if status != "not_applicable" and env.silent else []
    if silent and not env.strict:
        return status, waiver, missing, tuple(e.exception.spec.id for e in silent)
    if silent and status != "satisfied":  # excepted or not, nothing is breached
        return ("undetermined", None, missing.union(*(missing_of(e.value) for e in silent)),
                ())
    return status, waiver, missing, ()


def _judge_plain(rule: CompiledRule, env: _Env) -> RuleDecision:
    """One plain rule (``CompiledRule.plain``) while ``as_of`` is inside the text's
    validity: its conduct is ``as_of``, so no step of the law of the time changes it. (The
    steps of :func:`_core` and :func:`_presume`, inlined, and the Kleene conjunctions
    written out: most rules of a pack are plain, and this runs once per rule and snapshot.)"""
    if env.applying:
        excepted = _excepted(rule, env)
        if excepted is not None:
            return excepted
    applies = env.decide(rule.applies)
    scope = env.scope
    if scope is not True:
        applies = kleene_and(scope, applies)
    waiver: RecordedExceptionRef | None = None
    missing = _NONE
    status: FindingStatus
    if applies is False:
        status = "not_applicable"
    else:
        assert rule.violated is not None
        violated = env.decide(rule.violated)
        if violated is False:
            status = "satisfied"
        elif applies is True and violated is True:
            status, waiver, missing = _waiver(rule, env.pack, env.snapshot)
        else:  # applies or violated unknown, neither false: what is missing of either
            status = "undetermined"
            missing = kleene_and(applies, violated).missing  # type: ignore[attr-defined]
    presumed: tuple[str, ...] = ()
    if env.silent and status != "not_applicable":
        status, waiver, missing, presumed = _presume(rule, env, status, waiver, missing)
    # tuple.__new__ makes the named tuple without the Python frame of its constructor
    return _new(RuleDecision, (rule, status, missing, not env.draft, env.ctx.as_of, "as_of",
                               None, None, waiver, None, presumed, applies, None))


def _judge_dated(rule: CompiledRule, env: _Env) -> RuleDecision:
    """One rule under the law of the time of its conduct, with every step: the conduct
    date, its rule version, the validity."""
    recorded, fact = _conduct(rule, env.ctx)
    conduct = _settle(recorded, rule, env)
    day = conduct if isinstance(conduct, date) else env.ctx.as_of
    version = rule if rule.timeless else rule.version_on(day)
    if version is None:
        if isinstance(conduct, date):
            return _not_in_force(rule, conduct, fact)
        version = rule
    excepted = _excepted(version, env)
    if excepted is not None:
        return excepted
    core = _core(version, env)
    day_of = conduct if isinstance(conduct, date) and version.periodic is None else None
    if day_of is not None:
        kind = env.outside(day_of)
        if kind is not None:
            return _out_of_window(version, core.status, env, day_of, fact=fact, kind=kind,
                                  shown=recorded)
    early = env.early
    if early in ("before", "predates"):
        # Nothing done by as_of can fall inside a window that has not begun.
        return _out_of_window(version, core.status, env, env.ctx.as_of, fact="as_of",
                              kind=early)
    if day_of is not None:
        binding = not env.draft
    else:
        binding = not env.draft and (version.periodic is not None or env.validity.binding)
    status, missing, waiver = core.status, core.missing, core.waiver
    if isinstance(conduct, Unknown) and status in ("violated", "waived", "undetermined") \
            and env.bounded(rule):
        status, waiver, missing = "undetermined", None, missing | conduct.missing
    status, waiver, missing, presumed = _presume(version, env, status, waiver, missing)
    return RuleDecision(version, status, missing, binding,
                        day_of if recorded is conduct else None,
                        fact if version.periodic is None else None,
                        None, None, waiver, core.periods, presumed, core.applies)


def decide_in(pack: Pack, snapshot: Snapshot, ctx: expr.EvalContext, decide_fn: Decide, *,
              strict_presumptions: bool = False) -> Decisions:
    """:func:`decide` with a prepared context and a backend's decider."""
    validity = validity_on(pack.meta, ctx.as_of)
    scope = tuple(ScopeDecision(c, decide_fn(c.applies)) for c in pack.scope)
    combined: object = True
    for clause in scope:
        combined = kleene_and(combined, clause.value)
    exceptions = tuple(ExceptionDecision(e, decide_fn(e.when)) for e in pack.exceptions)
    env = _Env(pack, snapshot, ctx, decide_fn, validity, combined, exceptions,
               strict_presumptions, text_window(pack.meta), pack.meta.status == "draft",
               tuple(e for e in exceptions if e.silent),
               tuple(e for e in exceptions if e.value is True))
    if scope_out(scope, exceptions):
        rules = tuple(RuleDecision(r, "not_applicable", binding=not env.draft)
                      for r in pack.rules)
    else:
        plain = env.early is None
        rules = tuple(_judge_plain(r, env) if plain and r.plain else _judge_dated(r, env)
                      for r in pack.rules)
    return Decisions(pack, snapshot, ctx.as_of, ctx, validity, scope, exceptions, rules,
                     strict_presumptions)


def decide(pack: Pack, snapshot: Snapshot, as_of: date, *, calendar: Calendar | None = None,
           backend: str = "native", strict_presumptions: bool = False) -> Decisions:
    """The status of every rule of ``pack`` for ``snapshot`` on ``as_of`` (pure)."""
    ctx = expr.EvalContext(root=snapshot, as_of=as_of, calendar=calendar or Calendar.default())
    chosen = get_backend(backend)
    return decide_in(pack, snapshot, ctx, chosen.decider(pack, ctx),
                     strict_presumptions=strict_presumptions)
