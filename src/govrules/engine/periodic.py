"""Periodic obligations: a report due for every quarter of a project's life.

Evidence comes before arithmetic. Given a compiled ``periodic`` rule and an evaluation
context, :func:`assess` decides each quarter from what the record proves:

- a report recorded as filed after its due date is late, whatever else is unknown;
- a quarter is owed when a known date proves the duty ran then: the start date, else
  the earliest of the rule's evidence dates (contract, procurement) and the first
  recorded report; the current quarter when the project is known to be running;
- only quarters whose owing genuinely depends on an unknown (before the earliest
  evidence, after the last proof the project ran) leave the finding undetermined;
- a quarter is owed only when its end (the conduct) falls inside the text's validity.

The engine turns the result into a finding and one next step per quarter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from govrules import lang as expr
from govrules.base.calendar import Quarter, add_days, add_months, add_years, quarters_between
from govrules.model.pack import CompiledPeriodic

__all__ = ["DateWindow", "PeriodStatus", "add_period", "assess", "due_date"]

Unknown = expr.Unknown

DateWindow = tuple[date | None, date | None]
"""``(first day, last day)`` of a text's validity, inclusive; ``None``: unbounded."""


def add_period(start: date, unit: str, amount: int, ctx: expr.EvalContext) -> date:
    """``start`` plus a period; working days follow the calendar of ``ctx``."""
    if unit == "working_days":
        return ctx.calendar.add_working_days(start, amount, ctx.uncovered_years)
    if unit == "days":
        return add_days(start, amount)
    if unit == "months":
        return add_months(start, amount)
    if unit == "years":
        return add_years(start, amount)
    raise ValueError(f"unknown period unit {unit!r}")


def due_date(periodic: CompiledPeriodic, quarter: Quarter, ctx: expr.EvalContext) -> date:
    """When a quarter's report is due: its fixed deadline, else the next quarter's end."""
    if periodic.unit is None:
        return quarter.next().end
    return add_period(quarter.end, periodic.unit, periodic.amount, ctx)


@dataclass(frozen=True, slots=True)
class PeriodStatus:
    """The quarters owed up to ``as_of`` and how each stands."""

    periods: tuple[Quarter, ...]
    missing: tuple[Quarter, ...]
    late: tuple[Quarter, ...]
    upcoming: tuple[Quarter, ...]
    unknown: frozenset[str]

    def outcome(self) -> object:
        """True (violated), False, or Unknown with the facts that would decide it."""
        if self.missing or self.late:
            return True
        if self.unknown:
            return Unknown(self.unknown)
        return False

    def details(self) -> dict[str, Any]:
        return {"periods": [str(q) for q in self.periods],
                "missing": [str(q) for q in self.missing],
                "late": [str(q) for q in self.late]}


def _day_of_quarter(value: object, *, first: bool) -> object:
    """A date given to the month stands for its first (or last) day: every day of a
    month lies in the same quarter, which is all a quarterly duty's range needs."""
    if isinstance(value, expr.Span):
        lo, hi = value.lo, value.hi
        if isinstance(lo, date) and isinstance(hi, date) and Quarter.of(lo) == Quarter.of(hi):
            return lo if first else hi
        return Unknown(value.missing)
    return value


def _inside(window: DateWindow, day: date) -> bool:
    first, last = window
    return (first is None or first <= day) and (last is None or day <= last)


def _recorded(records: object) -> dict[Quarter, tuple[int, Any]]:
    by_period: dict[Quarter, tuple[int, Any]] = {}
    if isinstance(records, list):
        for i, record in enumerate(records):
            if record.period is not None:
                by_period.setdefault(record.period, (i, record))
    return by_period


def _ongoing(periodic: CompiledPeriodic, ctx: expr.EvalContext) -> object:
    return periodic.ongoing.fn(ctx) if periodic.ongoing is not None else Unknown(frozenset())


def _first_owed(periodic: CompiledPeriodic, ctx: expr.EvalContext,
                recorded: Iterable[Quarter], unknown: set[str]) -> date | None:
    """The first day the duty is proven to run: the start, else the earliest evidence."""
    start = _day_of_quarter(periodic.start.fn(ctx), first=True)
    if isinstance(start, date):
        return start
    if isinstance(start, Unknown):
        unknown |= start.missing  # quarters before the earliest evidence may be owed
    proofs = [d for d in (_day_of_quarter(e.fn(ctx), first=True) for e in periodic.evidence)
              if isinstance(d, date)]
    proofs += [q.start for q in recorded]
    proofs = [d for d in proofs if d <= ctx.as_of]
    if proofs:
        return min(proofs)
    return ctx.as_of if _ongoing(periodic, ctx) is True else None


def _last_owed(periodic: CompiledPeriodic, ctx: expr.EvalContext,
               recorded: Iterable[Quarter]) -> tuple[date, date, frozenset[str]]:
    """The last day of the range, the last day the duty is proven to run, and the facts
    that would prove it ran beyond that (when the end is unknown)."""
    as_of = ctx.as_of
    until = _day_of_quarter(periodic.until.fn(ctx), first=False) \
        if periodic.until is not None else None
    if isinstance(until, date):
        end = min(until, as_of)
        return end, end, frozenset()
    if until is None:
        return as_of, as_of, frozenset()
    ongoing = _ongoing(periodic, ctx)
    if ongoing is True:
        return as_of, as_of, frozenset()
    assert isinstance(until, Unknown)
    proven = max((q.end for q in recorded), default=date.min)
    facts = until.missing | (ongoing.missing if isinstance(ongoing, Unknown) else frozenset())
    return as_of, min(proven, as_of), facts


def _late_reports(periodic: CompiledPeriodic, ctx: expr.EvalContext,
                  recorded: dict[Quarter, tuple[int, Any]], window: DateWindow) -> set[Quarter]:
    """Quarters whose recorded report was filed after its due date (no start needed)."""
    late: set[Quarter] = set()
    for quarter, (_index, record) in recorded.items():
        submitted = record.submitted_on
        if isinstance(submitted, expr.Span):  # given to the month: late on every day?
            submitted = submitted.lo
        if isinstance(submitted, date) and _inside(window, quarter.end) \
                and submitted > due_date(periodic, quarter, ctx):
            late.add(quarter)
    return late


def _maybe_late(submitted: object, due: date) -> bool:
    """A report dated to the month whose month holds days on time and days late."""
    return isinstance(submitted, expr.Span) and submitted.lo <= due < submitted.hi


def assess(periodic: CompiledPeriodic, ctx: expr.EvalContext,
           window: DateWindow = (None, None)) -> PeriodStatus:
    """Every quarter the record proves owed (inside ``window``), and how it stands."""
    as_of = ctx.as_of
    records = periodic.records.fn(ctx)
    recorded = _recorded(records)
    unknown: set[str] = set()
    first = _first_owed(periodic, ctx, recorded, unknown)
    end, proven_until, open_facts = _last_owed(periodic, ctx, recorded)
    quarters = [q for q in (quarters_between(first, end) if first is not None else [])
                if _inside(window, q.end)]
    late = _late_reports(periodic, ctx, recorded, window)
    missing: list[Quarter] = []
    upcoming: list[Quarter] = []
    for quarter in quarters:
        due = due_date(periodic, quarter, ctx)
        overdue = due < as_of
        if isinstance(records, Unknown):
            if overdue:
                unknown |= records.missing
            else:
                upcoming.append(quarter)
            continue
        found = recorded.get(quarter)
        if found is None or found[1].submitted is False:
            if not overdue:
                upcoming.append(quarter)
            elif quarter.start <= proven_until:
                missing.append(quarter)
            else:  # owed only if the project was still running: undecidable, no step
                unknown |= open_facts
        elif overdue and (found[1].submitted_on is None or _maybe_late(
                found[1].submitted_on, due_date(periodic, quarter, ctx))):
            unknown.add(f"{periodic.records_path}[{found[0]}].submitted_on")
    periods = sorted(set(quarters) | late)
    return PeriodStatus(tuple(periods), tuple(missing), tuple(sorted(late)), tuple(upcoming),
                        frozenset(unknown))
