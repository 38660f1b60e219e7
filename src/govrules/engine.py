"""Evaluate a snapshot against a compiled pack and build the report.

The engine runs only compiled conditions. A rule's outcome is the Kleene value of
``in scope AND applies AND violated``: true is a violation, false is satisfied (or not
applicable when the rule does not apply), unknown is undetermined with the facts that
would decide it. In-principle rules turn into ``waived`` when the snapshot records an
approved exception for them. Checks yield findings; nothing here raises on a violation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from govrules import expr, receipt
from govrules._version import __version__
from govrules.backends import BACKENDS, Decide, get_backend
from govrules.calendar import Calendar, Quarter
from govrules.errors import Diagnostic, InputError
from govrules.pack import (
    CompiledRule,
    CompiledStep,
    Pack,
    Template,
    builtin_pack,
    load_pack,
)
from govrules.periodic import assess, due_date
from govrules.report import (
    CombinedReport,
    Finding,
    FindingStatus,
    MissingFact,
    NextStep,
    PackInfo,
    Provenance,
    RecordedExceptionRef,
    Report,
    ReportWarning,
    Text,
    Verdict,
)
from govrules.snapshot import Snapshot, load_snapshot, parse_snapshot
from govrules.validity import Validity, validity_on

__all__ = ["BACKENDS", "coerce_snapshot", "combine", "evaluate", "evaluate_all", "evaluate_pack"]

Unknown = expr.Unknown
_SHOWN: frozenset[str] = frozenset({"violated", "undetermined", "waived"})


def _and(a: object, b: object) -> object:
    """Kleene conjunction of two evaluated values."""
    if a is False or b is False:
        return False
    if isinstance(a, Unknown):
        return Unknown(a.missing | b.missing) if isinstance(b, Unknown) else a
    return b


def _fmt(value: object, lang: str) -> str:
    if isinstance(value, Unknown):
        return "未知" if lang == "zh" else "unknown"
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, Decimal):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    if isinstance(value, list):
        return ", ".join(_fmt(v, lang) for v in value)
    return str(value)


def _json_value(value: object) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date | Quarter):
        return str(value)
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


@dataclass
class _Run:
    """State of one (pack, snapshot, as_of) evaluation."""

    pack: Pack
    snapshot: Snapshot
    as_of: date
    ctx: expr.EvalContext
    decide: Decide
    """The backend's value of a decision condition (scope, applies, violated)."""
    findings: list[Finding] = field(default_factory=list)
    steps: list[NextStep] = field(default_factory=list)

    def value(self, compiled: expr.Compiled) -> object:
        return compiled.fn(self.ctx)

    def render(self, template: Template, lang: str, specials: dict[str, str]) -> str:
        out: list[str] = []
        for part in template.parts:
            if isinstance(part, str):
                special = part[1:-1] if part.startswith("{") and part.endswith("}") else None
                if special in specials:
                    out.append(specials[special])
                elif special in template.specials:
                    out.append(_fmt(Unknown(frozenset()), lang))  # e.g. {due} of an unknown date
                else:
                    out.append(part)
            else:
                out.append(_fmt(self.value(part), lang))
        return "".join(out)

    def facts_of(self, rule: CompiledRule) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        for path, getter in rule.fact_getters:
            value = getter.fn(self.ctx)
            if not isinstance(value, Unknown):
                facts[path] = _json_value(value)
        return facts

    # -- rules ----------------------------------------------------------------------

    def check(self, rule: CompiledRule, scope: object, full: bool) -> Finding | FindingStatus:
        """The rule's finding; only its status when it is not in breach and ``full`` is
        false (a default report does not show such findings: no message is rendered)."""
        spec = rule.spec
        if not rule.in_force_on(self.as_of):
            if not full:
                return "not_applicable"
            return _finding(rule, self.as_of, status="not_applicable",
                            message=self.message(rule, {}),
                            details={"reason": "rule not in force on as_of"})
        applies = _and(scope, self.decide(rule.applies))
        if applies is False:
            # Not violated: its upcoming steps still apply when their `when` holds (e.g. a
            # duty at acceptance, announced while the project is being built).
            self.upcoming(rule)
            if not full:
                return "not_applicable"
            return _finding(rule, self.as_of, status="not_applicable",
                            message=self.message(rule, {}))
        details: dict[str, Any] = {}
        specials: dict[str, str] = {"as_of": str(self.as_of)}
        due = self.value(rule.due) if rule.due is not None else None
        if isinstance(due, date):
            specials["due"] = str(due)
        if rule.periodic is not None:
            violated = self.periodic(rule, details, applies)
            specials["periods"] = ", ".join(details.get("missing", []) + details.get("late", []))
        else:
            assert rule.violated is not None
            violated = self.decide(rule.violated)
        outcome = _and(applies, violated)
        due_date = due if isinstance(due, date) else None
        if outcome is False:
            if rule.due is not None and applies is True:
                self.pending(rule, due_date)
            self.upcoming(rule)
            if not full:
                return "satisfied"
        facts = self.facts_of(rule)
        message = self.message(rule, specials)
        if outcome is False:
            return _finding(rule, self.as_of, status="satisfied", message=message, facts=facts,
                            due=due_date, details=details)
        if isinstance(outcome, Unknown):
            return _finding(rule, self.as_of, status="undetermined", message=message,
                            facts=facts, missing=sorted(outcome.missing), due=due_date,
                            details=details)
        status: FindingStatus = "violated"
        exception = None
        missing: list[str] = []
        if spec.in_principle:
            status, exception, missing = self.waiver(rule)
        if status == "violated":
            self.remedial(rule, due_date)
        return _finding(rule, self.as_of, status=status, message=message, facts=facts,
                        missing=missing, exception=exception, due=due_date, details=details)

    def message(self, rule: CompiledRule, specials: dict[str, str]) -> Text:
        return Text(zh=self.render(rule.message_zh, "zh", specials),
                    en=self.render(rule.message_en, "en", specials))

    def waiver(self, rule: CompiledRule
               ) -> tuple[FindingStatus, RecordedExceptionRef | None, list[str]]:
        """An approved recorded exception waives an in-principle violation."""
        keys = {rule.id, f"{self.pack.id}.{rule.spec.article}"}
        if rule.spec.item is not None:
            keys.add(f"{self.pack.id}.{rule.spec.article}.{rule.spec.item}")
        undecided: list[str] = []
        for index, exc in enumerate(self.snapshot.exceptions or []):
            if exc.rule not in keys:
                continue
            if exc.approved is True:
                return "waived", RecordedExceptionRef(
                    index=index, reason=exc.reason, approved_by=list(exc.approved_by or []),
                    approved_on=exc.approved_on, reference=exc.reference), []
            if exc.approved is None:
                undecided.append(f"exceptions[{index}].approved")
        if undecided:
            return "undetermined", None, undecided
        return "violated", None, []

    # -- periodic obligations ----------------------------------------------------------

    def periodic(self, rule: CompiledRule, details: dict[str, Any], applies: object) -> object:
        """Every quarter of the project's life needs its report, on time where fixed."""
        periodic = rule.periodic
        assert periodic is not None
        status = assess(periodic, self.ctx)
        if isinstance(status, Unknown):
            return status
        details.update(status.details())
        if applies is not False:
            for step in rule.next_steps:
                for quarter in status.missing:
                    self.add_step(rule, step, "remedial", due_date(periodic, quarter, self.ctx),
                                  suffix=f" ({quarter})")
                for quarter in status.upcoming:
                    self.add_step(rule, step, "upcoming", due_date(periodic, quarter, self.ctx),
                                  suffix=f" ({quarter})")
        return status.outcome()

    # -- next steps -----------------------------------------------------------------

    def add_step(self, rule: CompiledRule, step: CompiledStep, kind: str, due: date | None,
                 suffix: str = "") -> None:
        if step.due is not None:
            value = self.value(step.due)
            due = value if isinstance(value, date) else None
        spec = step.spec
        self.steps.append(NextStep(
            action=spec.action, kind="remedial" if kind == "remedial" else "upcoming",
            text=Text(zh=spec.text.zh + suffix, en=spec.text.en + suffix),
            responsible=spec.responsible, recipient=spec.recipient, due=due,
            overdue=(self.as_of > due) if due is not None else None,
            article=rule.citation_on(self.as_of), because=[rule.id]))

    def remedial(self, rule: CompiledRule, due: date | None) -> None:
        if rule.periodic is not None:
            return
        for step in rule.next_steps:
            if step.spec.kind == "remedial" and self.remedial_wanted(step):
                self.add_step(rule, step, "remedial", due)

    def remedial_wanted(self, step: CompiledStep) -> bool:
        """A remedial step's optional `when` leaves it out only when known false (e.g. an
        act done late cannot be done again)."""
        return step.when is None or self.value(step.when) is not False

    def pending(self, rule: CompiledRule, due: date | None) -> None:
        """A deadline not yet passed and not yet met: its remedial steps are upcoming."""
        if due is None or rule.pending is None or self.value(rule.pending) is not True:
            return
        for step in rule.next_steps:
            if step.spec.kind == "remedial" and self.remedial_wanted(step):
                self.add_step(rule, step, "upcoming", due)

    def upcoming(self, rule: CompiledRule) -> None:
        for step in rule.next_steps:
            if step.spec.kind == "upcoming" and step.when is not None \
                    and self.value(step.when) is True:
                self.add_step(rule, step, "upcoming", None)


def _finding(rule: CompiledRule, as_of: date, **fields: Any) -> Finding:
    """A finding of ``rule``: its citation and constants, plus ``fields``."""
    spec = rule.spec
    return Finding(rule=spec.id, severity=spec.severity, article=rule.citation_on(as_of),
                   in_principle=spec.in_principle, consequence=_text(spec.consequence),
                   **fields)


def _text(value: Any) -> Text | None:
    return Text(zh=value.zh, en=value.en) if value is not None else None


def _missing_summary(findings: Iterable[Finding]) -> list[MissingFact]:
    decides: dict[str, list[str]] = {}
    for finding in findings:
        if finding.status == "undetermined":
            for fact in finding.missing:
                decides.setdefault(fact, []).append(finding.rule)
    ordered = sorted(decides.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [MissingFact(fact=f, decides=rules) for f, rules in ordered]


def _verdict(scope_out: bool, statuses: Iterable[str]) -> Verdict:
    if scope_out:
        return "not_applicable"
    seen = set(statuses)
    if "violated" in seen:
        return "non_compliant"
    if "undetermined" in seen:
        return "undetermined"
    return "compliant"


def evaluate_pack(pack: Pack, snapshot: Snapshot, as_of: date, calendar: Calendar, *,
                  include_all: bool = False, backend: str = "native",
                  source: receipt.SnapshotSource | None = None) -> Report:
    """Check one snapshot against one compiled pack on ``as_of``.

    ``source`` is where the snapshot was read from (its receipt records the bytes' hash).
    """
    chosen = get_backend(backend)
    calendar = calendar.tracking()  # the receipt lists the calendar years consulted
    ctx = expr.EvalContext(root=snapshot, as_of=as_of, calendar=calendar)
    run = _Run(pack, snapshot, as_of, ctx, chosen.decider(pack, ctx))
    validity: Validity = validity_on(pack.meta, as_of)
    scope_findings: list[Finding] = []
    scope: object = True
    for clause in pack.scope:
        value = run.decide(clause.applies)
        scope = _and(scope, value)
        status: FindingStatus = ("satisfied" if value is True else "not_applicable"
                                 if value is False else "undetermined")
        missing = sorted(value.missing) if isinstance(value, Unknown) else []
        scope_findings.append(Finding(
            rule=clause.spec.id, status=status, severity="info", article=clause.citation,
            message=clause.message, missing=missing))
    scope_out = scope is False
    results: list[Finding | FindingStatus]
    if not scope_out:
        results = [run.check(rule, scope, include_all) for rule in pack.rules]
    else:
        results = [_finding(r, as_of, status="not_applicable", message=run.message(r, {}))
                   if include_all else "not_applicable" for r in pack.rules]
        run.steps.clear()
    rule_findings = [r for r in results if isinstance(r, Finding)]
    statuses = [r.status if isinstance(r, Finding) else r for r in results]
    everything = scope_findings + rule_findings
    shown = everything if include_all else [
        f for f in everything
        if f.status in _SHOWN or (scope_out and f.status == "not_applicable"
                                  and f.rule in {c.spec.id for c in pack.scope})
    ]
    shown.sort(key=lambda f: (f.article.number, str(f.article.item or ""), f.rule))
    warnings = [ReportWarning(code=c, message=m) for c, m in validity.warnings]
    for year in sorted(ctx.uncovered_years):
        warnings.append(ReportWarning(
            code="calendar-year-missing",
            message=f"no official working-day data for {year}: Monday-Friday assumed "
                    "(add the State Council schedule for that year to the calendar data)"))
    for index, exc in enumerate(snapshot.exceptions or []):
        target = pack.rules_by_id.get(exc.rule or "")
        if target is not None and not target.spec.in_principle:
            warnings.append(ReportWarning(
                code="exception-not-allowed",
                message=f"exceptions[{index}] names {exc.rule}, which the text does not make "
                        "an in-principle rule: it cannot waive it"))
    counts: dict[str, int] = {}
    for status_ in statuses:
        counts[status_] = counts.get(status_, 0) + 1
    steps = sorted(run.steps, key=lambda s: (s.due is None, s.due or as_of, s.action))
    report = Report(
        govrules_version=__version__,
        snapshot_id=snapshot.id,
        as_of=as_of,
        pack=PackInfo(
            id=pack.id, title_zh=pack.meta.title.zh, title_en=pack.meta.title.en,
            doc_number=pack.meta.doc_number, status=pack.meta.status,
            in_force_on_as_of=validity.in_force, binding=validity.binding,
            effective=pack.meta.effective, expires=pack.meta.expires,
            validity=validity.text, version=pack.meta.version, sha256=pack.sha256),
        verdict=_verdict(scope_out, [*(f.status for f in scope_findings), *statuses]),
        binding=validity.binding,
        findings=shown,
        next_steps=steps,
        warnings=warnings,
        missing_facts=_missing_summary(everything),
        counts=counts,
        provenance=Provenance(
            engine_version=__version__, pack_id=pack.id, pack_version=pack.meta.version,
            pack_sha256=pack.sha256, calendar_version=calendar.version),
    )
    return receipt.finish(report, pack, calendar, snapshot, source=source,
                          options={"include_all": include_all, "backend": backend})


SnapshotInput = Snapshot | Mapping[str, Any] | str | Path


def _as_date(value: date | str | None, what: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(Diagnostic("bad-date", f"{what} {value!r} is not a date",
                                    hint="use YYYY-MM-DD")) from None


def coerce_snapshot(snapshot: SnapshotInput) -> Snapshot:
    """A Snapshot from a model, a mapping, or a path to a YAML/JSON file."""
    if isinstance(snapshot, Snapshot):
        return snapshot
    if isinstance(snapshot, str | Path):
        return load_snapshot(snapshot)
    if isinstance(snapshot, Mapping):
        return parse_snapshot(dict(snapshot))
    raise InputError(Diagnostic("snapshot-type", f"cannot read a snapshot from "
                                f"{type(snapshot).__name__}",
                                hint="pass a Snapshot, a dict, or a file path"))


def evaluate(
    snapshot: SnapshotInput,
    city: str | None = None,
    *,
    as_of: date | str | None = None,
    pack: Pack | str | Path | None = None,
    calendar: Calendar | None = None,
    include_all: bool = False,
    backend: str = "native",
) -> Report:
    """Check one project snapshot against one regulation.

    ``city`` names a built-in pack (default: the snapshot's own ``city``); ``pack`` is a
    loaded :class:`Pack` or a path to a pack file instead. ``as_of`` defaults to the
    snapshot's ``as_of``, then to today. ``include_all`` also lists satisfied and
    not-applicable findings (the audit trail).

    >>> report = evaluate({"id": "p1", "project": {"classified": True}},
    ...                   city="guiyang", as_of="2025-06-30")
    >>> report.verdict
    'not_applicable'
    """
    snap = coerce_snapshot(snapshot)
    source = (receipt.SnapshotSource.of_file(snapshot) if isinstance(snapshot, str | Path)
              else None)
    if isinstance(pack, Pack):
        chosen = pack
    elif pack is not None:
        chosen = load_pack(pack)
    else:
        name = city or snap.city
        if not name:
            raise InputError(Diagnostic("no-city", "no city given and the snapshot has none",
                                        hint="pass city=... or set `city` in the snapshot"))
        chosen = builtin_pack(name)
    day = _as_date(as_of, "as_of") or snap.as_of or date.today()
    return evaluate_pack(chosen, snap, day, calendar or Calendar.default(),
                         include_all=include_all, backend=backend, source=source)


def evaluate_all(
    snapshot: SnapshotInput,
    packs: Sequence[Pack],
    *,
    as_of: date | str | None = None,
    calendar: Calendar | None = None,
    include_all: bool = False,
    backend: str = "native",
) -> CombinedReport:
    """Check one snapshot against several packs (``--city all``)."""
    snap = coerce_snapshot(snapshot)
    day = _as_date(as_of, "as_of") or snap.as_of or date.today()
    cal = calendar or Calendar.default()
    reports = [evaluate_pack(p, snap, day, cal, include_all=include_all, backend=backend)
               for p in packs]
    return combine(snap, day, reports)


def combine(snapshot: Snapshot, as_of: date, reports: Sequence[Report]) -> CombinedReport:
    """One snapshot's reports under several packs, with the worst verdicts."""
    return CombinedReport(
        govrules_version=__version__, snapshot_id=snapshot.id, as_of=as_of,
        verdict=_worst(r.verdict for r in reports),
        binding_verdict=_worst(r.verdict for r in reports if r.binding),
        reports=list(reports))


def _worst(verdicts: Iterable[Verdict]) -> Verdict:
    order: list[Verdict] = ["non_compliant", "undetermined", "compliant", "not_applicable"]
    seen = set(verdicts)
    for verdict in order:
        if verdict in seen:
            return verdict
    return "not_applicable"
