"""Run a pack's worked examples and measure which rules they exercise.

Each example in a pack is a snapshot, a date and the statuses it must produce. The same
runner serves ``govrules test`` and the pytest suite, so an analyst and CI see the same
results. Coverage says, per rule, which statuses some example exercises: a rule that no
example shows violated (or satisfied) is untested.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from govrules.calendar import Calendar
from govrules.engine import evaluate_pack
from govrules.errors import Diagnostic, GovrulesError
from govrules.pack import Pack
from govrules.report import Report
from govrules.snapshot import parse_snapshot
from govrules.source import Span

__all__ = ["ExampleOutcome", "Mismatch", "coverage", "run_examples"]


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One expectation an example did not meet."""

    rule: str
    expected: str
    actual: str

    def __str__(self) -> str:
        return f"{self.rule}: expected {self.expected}, got {self.actual}"


@dataclass(frozen=True)
class ExampleOutcome:
    """The result of one example."""

    pack: str
    index: int
    name: str
    span: Span
    mismatches: tuple[Mismatch, ...] = ()
    errors: tuple[Diagnostic, ...] = ()
    statuses: dict[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.mismatches and not self.errors


def _statuses(report: Report) -> dict[str, str]:
    return {f.rule: f.status for f in report.findings}


def run_examples(pack: Pack, calendar: Calendar | None = None) -> list[ExampleOutcome]:
    """Evaluate every example of ``pack`` and compare with its expectations."""
    cal = calendar or Calendar.default()
    outcomes: list[ExampleOutcome] = []
    for index, example in enumerate(pack.examples):
        span = pack.example_span(index)
        try:
            snapshot = parse_snapshot(example.snapshot, document=pack.document, file=pack.file,
                                      base=("examples", index, "snapshot"))
            report = evaluate_pack(pack, snapshot, example.as_of, cal, include_all=True)
        except GovrulesError as err:
            outcomes.append(ExampleOutcome(pack.id, index, example.name, span,
                                           errors=err.diagnostics))
            continue
        statuses = _statuses(report)
        mismatches = [Mismatch(rule, want, statuses.get(rule, "absent"))
                      for rule, want in example.expect.items() if statuses.get(rule) != want]
        unknown = [rule for rule in example.expect
                   if rule not in statuses]
        errors = [Diagnostic("example-unknown-rule", f"no rule {rule!r} in the pack", span)
                  for rule in unknown]
        if example.verdict is not None and report.verdict != example.verdict:
            mismatches.append(Mismatch("(verdict)", example.verdict, report.verdict))
        outcomes.append(ExampleOutcome(pack.id, index, example.name, span,
                                       tuple(m for m in mismatches if m.rule not in unknown),
                                       tuple(errors), statuses))
    return outcomes


def coverage(pack: Pack, outcomes: Iterable[ExampleOutcome]) -> dict[str, set[str]]:
    """Rule id -> the statuses that some passing example asserts for it."""
    seen: dict[str, set[str]] = {rule.id: set() for rule in pack.rules}
    seen.update({clause.spec.id: set() for clause in pack.scope})
    by_index = {o.index: o for o in outcomes}
    for index, example in enumerate(pack.examples):
        outcome = by_index.get(index)
        if outcome is None or not outcome.passed:
            continue
        for rule, status in example.expect.items():
            if rule in seen:
                seen[rule].add(status)
    return seen
