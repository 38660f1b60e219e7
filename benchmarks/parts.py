"""The parts of ``evaluate()`` timed one by one: where a report's time goes.

Each part is a function ``evaluate()`` itself calls, run on inputs prepared once per
snapshot: the conditions the decision step evaluates, the decision step with those
values given, the findings and steps (:func:`~govrules.engine.evaluate.build_report`),
the ranking of missing facts the line form needs and the query plan the default report
has (:mod:`govrules.engine.queryplan`), the due-date explanations, the receipt with its
two hashes and the JSON line.
The parts overlap little, so their times roughly add up to ``evaluate()``'s; the table
says how much of a target each part leaves to the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from govrules import lang as expr
from govrules.base.calendar import Calendar
from govrules.engine.decide import Decisions, decide_in
from govrules.engine.duedates import explain_steps
from govrules.engine.evaluate import build_report, evaluate
from govrules.engine.queryplan import Known, plan_queries, rank_facts
from govrules.engine.receipt import receipt_for
from govrules.model.pack import Pack
from govrules.model.report import Report
from govrules.model.snapshot import Snapshot

__all__ = ["PARTS", "Prepared", "part_timers", "prepare"]

PARTS = (
    ("conditions", "the conditions `decide()` evaluates, each once"),
    ("decide, values given", "`decide_in()` with each condition's value given: the "
     "decision step's own work (conduct dates, versions, validity, waivers, presumptions)"),
    ("build_report()", "the findings, their messages and the next steps"),
    ("rank_facts()", "the ranking of missing facts for the `supply-fact` steps (the line "
     "form)"),
    ("plan_queries()", "the query plan of the default report"),
    ("explain_steps()", "how each next step's due date was counted (the outcome hash "
     "covers it, so the line form's report has it too)"),
    ("receipt_for()", "the receipt, with the hashes of the snapshot and of the outcome"),
    ("to_line_json()", "the JSON line `--format jsonl` writes"),
)
"""The parts, by name, with what each counts."""


@dataclass(frozen=True)
class Prepared:
    """One snapshot's inputs to each part, as ``evaluate()`` made them."""

    snapshot: Snapshot
    as_of: date
    calendar: Calendar
    order: tuple[expr.Compiled, ...]
    """The conditions the decision step evaluated, in its order."""
    values: dict[int, object]
    """Their values, by identity."""
    known: Known
    decisions: Decisions
    built: Report
    """The report before the query plan and the receipt."""
    finished: Report
    line: Report


def prepare(pack: Pack, cases: Sequence[tuple[Snapshot, date]],
            calendar: Calendar) -> list[Prepared]:
    out: list[Prepared] = []
    for snapshot, as_of in cases:
        tracking = calendar.tracking()
        ctx = expr.EvalContext(root=snapshot, as_of=as_of, calendar=tracking)
        known = Known(ctx.cache)
        order: list[expr.Compiled] = []
        values: dict[int, object] = {}

        def run(compiled: expr.Compiled, ctx: expr.EvalContext = ctx,
                order: list[expr.Compiled] = order, values: dict[int, object] = values
                ) -> object:
            order.append(compiled)
            value = values[id(compiled)] = compiled.fn(ctx)
            return value

        decisions = decide_in(pack, snapshot, ctx, known.remembering(run))
        built = build_report(decisions, tracking.version)
        finished = evaluate(snapshot, pack=pack, as_of=as_of, calendar=calendar)
        line = evaluate(snapshot, pack=pack, as_of=as_of, calendar=calendar, detail="line")
        out.append(Prepared(snapshot, as_of, tracking, tuple(order), values, known,
                            decisions, built, finished, line))
    return out


def _timer(run: Callable[[Prepared], object], prepared: Sequence[Prepared]
           ) -> Callable[[], float]:
    def timed() -> float:
        start = time.perf_counter()
        for p in prepared:
            run(p)
        return (time.perf_counter() - start) / len(prepared)
    return timed


def part_timers(pack: Pack, prepared: Sequence[Prepared]) -> dict[str, Callable[[], float]]:
    """A timer of each part of :data:`PARTS` over ``prepared`` (seconds per snapshot)."""

    def conditions(p: Prepared) -> None:
        ctx = expr.EvalContext(root=p.snapshot, as_of=p.as_of, calendar=p.calendar)
        for compiled in p.order:
            compiled.fn(ctx)

    def given(p: Prepared) -> None:
        ctx = expr.EvalContext(root=p.snapshot, as_of=p.as_of, calendar=p.calendar)
        values = p.values
        decide_in(pack, p.snapshot, ctx, lambda compiled: values[id(compiled)])

    runs: dict[str, Callable[[Prepared], object]] = {
        "conditions": conditions,
        "decide, values given": given,
        "build_report()": lambda p: build_report(p.decisions, p.calendar.version),
        "rank_facts()": lambda p: rank_facts(p.built, pack, p.snapshot, p.calendar, p.known),
        "plan_queries()": lambda p: plan_queries(p.built, pack, p.snapshot, p.calendar,
                                                 p.known),
        "explain_steps()": lambda p: explain_steps(p.built, pack, p.snapshot, p.calendar),
        "receipt_for()": lambda p: receipt_for(p.finished, pack, p.calendar, p.snapshot),
        "to_line_json()": lambda p: p.line.to_line_json(),
    }
    assert tuple(runs) == tuple(name for name, _ in PARTS)
    return {name: _timer(run, prepared) for name, run in runs.items()}
