"""Run a pack's worked examples and test files, and measure which rules they exercise.

Each example in a pack, and each case of a test file, is a snapshot, a date and the
outcomes it must produce: statuses per rule, optionally the verdict and next steps. The
same runner serves ``govrules test`` and the pytest suite, so an analyst and CI see the
same results. Coverage says, per rule, which statuses some passing example asserts: a
rule that no example shows violated (or satisfied) is untested.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from govrules.base.calendar import Calendar
from govrules.base.errors import Diagnostic, GovrulesError
from govrules.base.i18n import _
from govrules.base.loader import Span
from govrules.engine.evaluate import evaluate_pack
from govrules.model.pack import Pack
from govrules.model.pack_format import StepExpectation
from govrules.model.report import Report
from govrules.model.snapshot import Snapshot, parse_snapshot

__all__ = ["ExampleOutcome", "Mismatch", "PackCoverage", "check_outcome", "coverage",
           "measure", "run_examples"]


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One expectation an example did not meet."""

    rule: str
    expected: str
    actual: str

    def __str__(self) -> str:
        return _("{rule}: expected {expected}, got {actual}").format(
            rule=self.rule, expected=self.expected, actual=self.actual)


@dataclass(frozen=True)
class ExampleOutcome:
    """The result of one example or test case."""

    pack: str
    index: int
    name: str
    span: Span
    mismatches: tuple[Mismatch, ...] = ()
    errors: tuple[Diagnostic, ...] = ()
    statuses: dict[str, str] = field(default_factory=dict)
    expected: Mapping[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.mismatches and not self.errors


def _statuses(report: Report) -> dict[str, str]:
    return {f.rule: f.status for f in report.findings}


def _step_mismatches(report: Report, wanted: Iterable[StepExpectation]) -> list[Mismatch]:
    """Each expected next step must be in the report, with its due date and overdue flag."""
    out: list[Mismatch] = []
    for want in wanted:
        label = _("next step {action}").format(action=want.action)
        steps = [s for s in report.next_steps if s.action == want.action
                 and (want.kind is None or s.kind == want.kind)]
        if not steps:
            out.append(Mismatch(label, want.describe(), _("absent")))
            continue
        if not any(want.matches(s.due, s.overdue) for s in steps):
            got = "; ".join(_("due {due}, overdue {overdue}").format(
                due=s.due or _("none"), overdue=s.overdue) for s in steps)
            out.append(Mismatch(label, want.describe(), got))
    return out


def check_outcome(report: Report, expect: Mapping[str, str], verdict: str | None,
                  steps: Iterable[StepExpectation] = ()) -> tuple[list[Mismatch], list[str]]:
    """What a report got wrong, and the expected rule ids it does not know."""
    statuses = _statuses(report)
    unknown = [rule for rule in expect if rule not in statuses]
    mismatches = [Mismatch(rule, want, statuses[rule]) for rule, want in expect.items()
                  if rule in statuses and statuses[rule] != want]
    if verdict is not None and report.verdict != verdict:
        mismatches.append(Mismatch("(verdict)", verdict, report.verdict))
    mismatches += _step_mismatches(report, steps)
    return mismatches, unknown


def evaluate_case(pack: Pack, snapshot: Snapshot, as_of: date, calendar: Calendar, *,
                  expect: Mapping[str, str], verdict: str | None,
                  steps: Iterable[StepExpectation] = (), name: str, index: int,
                  span: Span) -> ExampleOutcome:
    """Evaluate one snapshot and compare the report with what is expected."""
    report = evaluate_pack(pack, snapshot, as_of, calendar, include_all=True)
    mismatches, unknown = check_outcome(report, expect, verdict, steps)
    errors = tuple(Diagnostic("example-unknown-rule", _("no rule {rule!r} in the pack").format(
        rule=rule), span, rule=rule) for rule in unknown)
    return ExampleOutcome(pack.id, index, name, span, tuple(mismatches), errors,
                          _statuses(report), dict(expect))


def run_examples(pack: Pack, calendar: Calendar | None = None) -> list[ExampleOutcome]:
    """Evaluate every example of ``pack`` and compare with its expectations."""
    cal = calendar or Calendar.default()
    outcomes: list[ExampleOutcome] = []
    for index, example in enumerate(pack.examples):
        span = pack.example_span(index)
        try:
            snapshot = parse_snapshot(example.snapshot, document=pack.document, file=pack.file,
                                      base=("examples", index, "snapshot"),
                                      model=pack.snapshot_model)
            outcome = evaluate_case(pack, snapshot, example.as_of, cal, expect=example.expect,
                                    verdict=example.verdict, name=example.name, index=index,
                                    span=span)
        except GovrulesError as err:
            outcome = ExampleOutcome(pack.id, index, example.name, span, errors=err.diagnostics,
                                     expected=dict(example.expect))
        outcomes.append(outcome)
    return outcomes


def coverage(pack: Pack, outcomes: Iterable[ExampleOutcome]) -> dict[str, set[str]]:
    """Rule id -> the statuses that some passing example asserts for it."""
    seen: dict[str, set[str]] = {rule.id: set() for rule in pack.rules}
    seen.update({clause.spec.id: set() for clause in pack.scope})
    for outcome in outcomes:
        if not outcome.passed:
            continue
        for rule, status in outcome.expected.items():
            if rule in seen:
                seen[rule].add(status)
    return seen


@dataclass(frozen=True)
class PackCoverage:
    """How well a pack's examples and test cases exercise its rules and articles.

    A rule is covered when some passing example shows it violated and another shows it
    satisfied; ``percent`` is the share of covered rules (100 for a pack with no rule).
    """

    pack: str
    rules: int
    covered: int
    never_violated: tuple[str, ...]
    never_satisfied: tuple[str, ...]
    articles_unexercised: tuple[int, ...]
    articles_never_violated: tuple[int, ...]
    articles_never_satisfied: tuple[int, ...]

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.rules if self.rules else 100.0

    def to_dict(self) -> dict[str, object]:
        return {"pack": self.pack, "rules": self.rules, "covered": self.covered,
                "percent": round(self.percent, 1),
                "rules_never_violated": list(self.never_violated),
                "rules_never_satisfied": list(self.never_satisfied),
                "articles_unexercised": list(self.articles_unexercised),
                "articles_never_violated": list(self.articles_never_violated),
                "articles_never_satisfied": list(self.articles_never_satisfied)}


def measure(pack: Pack, outcomes: Iterable[ExampleOutcome]) -> PackCoverage:
    """Coverage of ``pack``'s rules and articles by the passing ``outcomes``."""
    seen = coverage(pack, outcomes)
    rules = [r.id for r in pack.rules]
    by_article: dict[int, set[str]] = {}
    for rule in pack.rules:
        by_article.setdefault(rule.spec.article, set()).update(seen[rule.id])

    def lacking(status: str) -> tuple[int, ...]:
        return tuple(sorted(n for n, s in by_article.items() if status not in s))

    return PackCoverage(
        pack=pack.id, rules=len(rules),
        covered=sum({"violated", "satisfied"} <= seen[r] for r in rules),
        never_violated=tuple(r for r in rules if "violated" not in seen[r]),
        never_satisfied=tuple(r for r in rules if "satisfied" not in seen[r]),
        articles_unexercised=tuple(sorted(n for n, s in by_article.items() if not s)),
        articles_never_violated=lacking("violated"),
        articles_never_satisfied=lacking("satisfied"))
