"""Periodic obligations: a report due for every quarter of a project's life.

Given a compiled ``periodic`` rule and an evaluation context, :func:`assess` lists the
quarters owed up to ``as_of`` with their due dates, and which are missing, late, not yet
due, or undecidable for want of facts. The engine turns that into a finding and one
next step per quarter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from govrules import expr
from govrules.calendar import Quarter, add_days, add_months, add_years, quarters_between
from govrules.pack import CompiledPeriodic

__all__ = ["PeriodStatus", "add_period", "assess", "due_date"]

Unknown = expr.Unknown


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


def _open_end(periodic: CompiledPeriodic, until: object, ctx: expr.EvalContext
              ) -> frozenset[str] | None:
    """With the end unknown, quarters are owed only while the project is known to run."""
    if not isinstance(until, Unknown):
        return None
    ongoing = periodic.ongoing.fn(ctx) if periodic.ongoing is not None else None
    if ongoing is True:
        return None
    return until.missing | (ongoing.missing if isinstance(ongoing, Unknown) else frozenset())


def assess(periodic: CompiledPeriodic, ctx: expr.EvalContext) -> PeriodStatus | expr.Unknown:
    """Every quarter from the start to the end (or ``as_of``), and how it stands."""
    start = periodic.start.fn(ctx)
    if isinstance(start, Unknown):
        return start
    assert isinstance(start, date)
    as_of = ctx.as_of
    until = periodic.until.fn(ctx) if periodic.until is not None else None
    end = until if isinstance(until, date) and until < as_of else as_of
    open_end = _open_end(periodic, until, ctx)
    records = periodic.records.fn(ctx)
    quarters = quarters_between(start, end) if start <= end else []
    by_period: dict[Quarter, tuple[int, Any]] = {}
    if isinstance(records, list):
        for i, record in enumerate(records):
            if record.period is not None:
                by_period.setdefault(record.period, (i, record))
    missing: list[Quarter] = []
    late: list[Quarter] = []
    upcoming: list[Quarter] = []
    unknown: set[str] = set()
    for quarter in quarters:
        due = due_date(periodic, quarter, ctx)
        overdue = due < as_of
        if isinstance(records, Unknown):
            if overdue:
                unknown |= records.missing
            continue
        found = by_period.get(quarter)
        if found is None or found[1].submitted is False:
            (missing if overdue else upcoming).append(quarter)
            continue
        index, record = found
        if record.submitted_on is not None and record.submitted_on > due:
            late.append(quarter)
        elif record.submitted_on is None and overdue:
            unknown.add(f"{periodic.records_path}[{index}].submitted_on")
    if open_end is not None and missing:
        # Owed only if the project was still running: undecidable, and no step is given.
        unknown |= open_end
        missing = []
    return PeriodStatus(tuple(quarters), tuple(missing), tuple(late), tuple(upcoming),
                        frozenset(unknown))
