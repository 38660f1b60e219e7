"""The query plan: missing facts ranked by how much they can still change the outcome.

For each fact an undetermined finding is missing, the plan sets the fact to candidate
values (true and false for a yes/no fact, each allowed value of a choice, the boundary a
condition compares a date or amount with, and the day or cent past it) and evaluates the
rule's conditions (scope, ``applies_when``, ``violated_when`` or the deadline) with the
other facts as they are. A fact *decides* a finding when some value alone turns it into
violated, satisfied or not applicable. Its score adds each finding's weight (severity:
error 3, warning 2, info 1; doubled when binding): the full weight for a finding it
decides, a share for one it only helps decide. The top facts become next steps.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from govrules import lang as expr
from govrules.base.calendar import Calendar
from govrules.engine._overlay import shadowed, with_fact
from govrules.engine._probes import Probe, probe_for
from govrules.model.audit import Bilingual, FactOutcome, QueryItem
from govrules.model.report import NextStep, Text

if TYPE_CHECKING:
    from govrules.model.compiled import CompiledRule, Pack
    from govrules.model.report import Finding, Report
    from govrules.model.snapshot import Snapshot

Status = Literal["violated", "satisfied", "not_applicable", "undetermined"]

__all__ = ["SEVERITY_WEIGHT", "TOP_STEPS", "Known", "Ranked", "plan_queries", "rank_facts",
           "ranked", "supply_steps", "with_fact"]

SEVERITY_WEIGHT = {"error": 3.0, "warning": 2.0, "info": 1.0}
TOP_STEPS = 3
"""How many of the top facts become ``supply-fact`` next steps."""


@dataclass(frozen=True, slots=True)
class Known:
    """What the decision step computed on the snapshot, for the plan to reuse: the
    derived facts (the cache of the context it evaluated in) and, when the conditions
    were run as compiled (the native backend), their values, by identity."""

    derived: dict[str, object] = field(default_factory=dict)
    values: dict[int, tuple[expr.Compiled, object]] = field(default_factory=dict)

    def remembering(self, decide_fn: Callable[[expr.Compiled], object]
                    ) -> Callable[[expr.Compiled], object]:
        """``decide_fn``, keeping each value it gives (it must run the compiled closure on
        the snapshot: the plan takes the values for its own)."""
        values = self.values

        def remembered(compiled: expr.Compiled) -> object:
            value = decide_fn(compiled)
            values[id(compiled)] = (compiled, value)
            return value

        return remembered


class _Trial:
    """One plan's evaluations: the conditions' values on the snapshot as it is, each
    computed at most once, and the record with one fact set to a candidate value, shared
    by every finding that tries the same value (its scope computed once). A candidate
    value changes only the conditions that read that fact."""

    def __init__(self, pack: Pack, snapshot: Snapshot, as_of: date, calendar: Calendar,
                 known: Known) -> None:
        self.pack, self.snapshot, self.as_of, self.calendar = pack, snapshot, as_of, calendar
        self.ctx = expr.EvalContext(root=snapshot, as_of=as_of, calendar=calendar,
                                    cache=known.derived)
        self.values = known.values
        self.unscoped: tuple[object] | None = None  # the scope on the snapshot, once known
        self.seen: dict[tuple[str, type, object], tuple[expr.EvalContext, object] | None] = {}

    def base(self, compiled: expr.Compiled) -> object:
        """``compiled`` on the snapshot as it is."""
        hit = self.values.get(id(compiled))
        if hit is None or hit[0] is not compiled:
            hit = self.values[id(compiled)] = (compiled, compiled.fn(self.ctx))
        return hit[1]

    def candidates(self, probe: Probe) -> list[Any]:
        """The values to try: the fixed ones, or each boundary and the day or cent past it."""
        if not probe.numeric:
            return list(probe.values)
        found: list[Any] = []
        for compiled in probe.bounds:
            value = self.base(compiled) if compiled is not None else None
            if isinstance(value, date | Decimal | int) and not isinstance(value, bool) \
                    and value not in found:
                found.append(value)
        out: list[Any] = []
        for bound in found:
            step: Any = timedelta(days=1) if isinstance(bound, date) else Decimal("0.01")
            for value in (bound, bound + step):
                if value not in out:
                    out.append(value)
        return out

    def changed(self, fact: str, probe: Probe, value: Any
                ) -> tuple[expr.EvalContext, object] | None:
        """The context reading the record with ``fact`` set to ``value``, and the scope's
        value there (None when the path names no value to set)."""
        key = (fact, type(value), value)
        if key in self.seen:
            return self.seen[key]
        try:
            root = shadowed(self.snapshot, fact, value)
        except ValueError:
            self.seen[key] = None
            return None
        known = self.ctx.cache
        ctx = expr.EvalContext(root=root, as_of=self.as_of, calendar=self.calendar,
                               cache={n: known[n] for n in probe.unread if n in known})
        found = self.seen[key] = (ctx, self.scope(ctx, probe))
        return found

    def scope(self, ctx: expr.EvalContext, probe: Probe) -> object:
        """The scope's value in ``ctx`` (the snapshot's when no clause reads the fact)."""
        if not probe.scoped and self.unscoped is not None:
            return self.unscoped[0]
        scope: object = True
        for clause, reads in zip(self.pack.scope, probe.scope_reads, strict=True):
            scope = expr.kleene_and(scope, clause.applies.fn(ctx) if reads
                                    else self.base(clause.applies))
        if not probe.scoped:
            self.unscoped = (scope,)
        return scope

    def status(self, rule: CompiledRule, probe: Probe,
               changed: tuple[expr.EvalContext, object]) -> Status:
        """The rule's status with one fact changed (the Kleene conjunctions written out:
        this runs for every candidate value)."""
        ctx, scope = changed
        applies = rule.applies.fn(ctx) if probe.applies_reads else self.base(rule.applies)
        if scope is not True:
            applies = expr.kleene_and(scope, applies)
        if applies is False:
            return "not_applicable"
        if rule.violated is None:
            return "undetermined"
        violated = rule.violated.fn(ctx) if probe.violated_reads else self.base(rule.violated)
        if violated is False:
            return "satisfied"
        if applies is True and violated is True:
            return "violated"
        return "undetermined"

    def tries(self, rule: CompiledRule | None, fact: str) -> Iterator[tuple[Any, Status]]:
        """Each candidate value of ``fact`` with the status ``rule`` has with it, tried
        when asked for (a consumer that stops early tries no more values)."""
        # A summarised path (``list[].field``: the same field of many items) names no
        # single value to try; it still counts, as a fact that bears on the finding.
        if rule is None or rule.periodic is not None or "[]" in fact:
            return
        probe = probe_for(self.pack, rule, fact)
        for value in self.candidates(probe):
            changed = self.changed(fact, probe, value)
            if changed is not None:
                yield value, self.status(rule, probe, changed)


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return str(value)
    return value


def _weight(finding: Finding, binding: bool) -> float:
    return SEVERITY_WEIGHT.get(finding.severity, 1.0) * (2.0 if binding else 1.0)


class Ranked(NamedTuple):
    """A missing fact's place in the plan, without the outcomes of its values: what the
    ``supply-fact`` next steps need (the line form, which has no query plan, stops at
    the first value that decides each finding)."""

    fact: str
    rules: tuple[str, ...]
    """The undetermined findings the fact bears on, in report order."""
    decided: int
    """How many of them some value of the fact decides."""


class _Bearing:
    """What one missing fact bears on, gathered finding by finding: the plan's entries
    (or, for the ranking only, the rules), the score and how many it decides."""

    __slots__ = ("decided", "entries", "score")

    def __init__(self) -> None:
        self.entries: list[Any] = []
        self.score = 0.0
        self.decided = 0


def _per_fact(report: Report, pack: Pack, snapshot: Snapshot, calendar: Calendar, *,
              known: Known | None, outcomes: bool) -> list[tuple[str, _Bearing]]:
    """Each missing fact with the findings it bears on, ranked; empty when nothing is
    undetermined. With ``outcomes``, an entry is the plan's record of one finding (the
    status each candidate value gives); without, the finding's rule id, and its values
    are tried only until one decides it."""
    undetermined = [f for f in report.findings if f.status == "undetermined" and f.missing]
    if not undetermined:
        return []
    trial = _Trial(pack, snapshot, report.as_of, calendar, known or Known())
    per_fact: dict[str, _Bearing] = {}
    for finding in undetermined:
        binding = bool(getattr(finding, "binding", report.binding))
        weight = _weight(finding, binding)
        share = weight / max(len(finding.missing), 1)
        rule = pack.rules_by_id.get(finding.rule)
        for fact in finding.missing:
            entry: Any
            if outcomes:
                found = [_outcome(_json(value), status)
                         for value, status in trial.tries(rule, fact)]
                decisive = any(o.status != "undetermined" for o in found)
                entry = {"rule": finding.rule, "severity": finding.severity,
                         "binding": binding, "decisive": decisive, "outcomes": found}
            else:
                decisive = any(status != "undetermined" for _, status in trial.tries(rule, fact))
                entry = finding.rule
            bearing = per_fact.get(fact)
            if bearing is None:
                bearing = per_fact[fact] = _Bearing()
            bearing.entries.append(entry)
            bearing.score += weight if decisive else share
            bearing.decided += decisive
    return sorted(per_fact.items(), key=lambda kv: (-kv[1].score, -kv[1].decided, kv[0]))


def plan_queries(report: Report, pack: Pack, snapshot: Snapshot, calendar: Calendar,
                 known: Known | None = None) -> list[QueryItem]:
    """The report's missing facts, ranked; empty when nothing is undetermined. ``known``:
    what the decision step computed on the same snapshot, day and calendar."""
    entries = _per_fact(report, pack, snapshot, calendar, known=known, outcomes=True)
    return [_item(rank, fact, bearing) for rank, (fact, bearing) in enumerate(entries, 1)]


def rank_facts(report: Report, pack: Pack, snapshot: Snapshot, calendar: Calendar,
               known: Known | None = None) -> list[Ranked]:
    """The order of :func:`plan_queries` without the outcomes of each value: each
    finding's candidate values are tried until one decides it."""
    entries = _per_fact(report, pack, snapshot, calendar, known=known, outcomes=False)
    return [Ranked(fact, tuple(bearing.entries), bearing.decided)
            for fact, bearing in entries]


def ranked(plan: Sequence[QueryItem]) -> list[Ranked]:
    """The ranking a full query plan gives."""
    return [Ranked(item.fact, tuple(d.rule for d in item.decides),
                   sum(d.decisive for d in item.decides)) for item in plan]


_outcome_cache: dict[tuple[type, object, str], FactOutcome] = {}


def _outcome(value: Any, status: Status) -> FactOutcome:
    """The outcome of one candidate value (frozen: one instance serves every plan; floats
    are made anew, 0.0 and -0.0 being equal keys)."""
    if type(value) is float:
        return FactOutcome(value=value, status=status)
    key = (type(value), value, status)
    hit = _outcome_cache.get(key)
    if hit is None:
        if len(_outcome_cache) > 4096:
            _outcome_cache.clear()
        hit = _outcome_cache[key] = FactOutcome(value=value, status=status)
    return hit


def _item(rank: int, fact: str, bearing: _Bearing) -> QueryItem:
    """The plan's entry for ``fact``: its score, the findings it decides and bears on."""
    return QueryItem(rank=rank, fact=fact, score=round(bearing.score, 3),
                     decides=bearing.entries,
                     text=_text(fact, bearing.decided, len(bearing.entries)))


@functools.lru_cache(maxsize=4096)
def _text(fact: str, decided: int, bears: int) -> Bilingual:
    """What a plan entry says (frozen: one instance serves every plan)."""
    return Bilingual(zh=f"补充事实 {fact}：可判定 {decided} 项、影响 {bears} 项未定结论",
                     en=f"supply {fact}: decides {decided} and bears on {bears} "
                        f"undetermined finding{'s' if bears != 1 else ''}")


def supply_steps(report: Report, plan: Sequence[Ranked], top: int = TOP_STEPS
                 ) -> list[NextStep]:
    """Next steps asking for the top facts of the plan (:func:`rank_facts`, or
    :func:`ranked` of a full plan)."""
    by_rule = {f.rule: f for f in report.findings}
    steps: list[NextStep] = []
    for item in plan[:top]:
        first = by_rule.get(item.rules[0])
        if first is None:
            continue
        text = _text(item.fact, item.decided, len(item.rules))
        steps.append(NextStep(
            action="supply-fact", kind="upcoming",
            text=Text(zh=text.zh, en=text.en), responsible=None, recipient=None,
            due=None, overdue=None, article=first.article, because=list(item.rules)))
    return steps
