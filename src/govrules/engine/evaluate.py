"""Evaluate a snapshot against a compiled pack and build the report.

Two steps: :func:`govrules.engine.decide.decide` gives every rule's status under the law of the
time of its conduct (scope, exceptions and presumptions, rule versions, waivers);
:func:`build_report` turns the statuses into findings, messages, next steps and
provenance. Checks yield findings; nothing here raises on a violation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from govrules import lang as expr
from govrules._version import __version__
from govrules.base.calendar import Calendar
from govrules.base.errors import Diagnostic, InputError
from govrules.base.loader import check_year, iso_day
from govrules.engine import backends, receipt
from govrules.engine.backends import get_backend
from govrules.engine.decide import Decisions, decide, decide_in
from govrules.engine.findings import Builder
from govrules.engine.queryplan import Known
from govrules.model.pack import Pack, builtin_pack, load_pack
from govrules.model.report import (
    ClauseRef,
    CombinedReport,
    Detail,
    Finding,
    FindingStatus,
    MissingFact,
    PackInfo,
    Presumption,
    Provenance,
    Report,
    ReportWarning,
    Verdict,
)
from govrules.model.snapshot import Snapshot, load_snapshot, parse_snapshot
from govrules.model.vocabulary import merged_model

__all__ = ["build_report", "coerce_snapshot", "combine", "decide", "evaluate",
           "evaluate_all", "evaluate_pack"]

Unknown = expr.Unknown
_SHOWN: frozenset[str] = frozenset({"violated", "undetermined", "waived"})


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


def _scope_findings(decisions: Decisions) -> list[Finding]:
    """One finding per scope clause, and per exception clause."""
    out = [Finding(rule=s.clause.spec.id, status=s.status, severity="info",
                   article=s.clause.citation, message=s.clause.message,
                   missing=expr.summarise_missing(s.value.missing)
                   if isinstance(s.value, Unknown) else [],
                   binding=decisions.validity.binding)
           for s in decisions.scope]
    for e in decisions.exceptions:
        status: FindingStatus = "not_applicable" if e.value is True else (
            "undetermined" if e.silent and decisions.strict_presumptions else "satisfied")
        out.append(Finding(
            rule=e.exception.spec.id, status=status,
            severity="info", article=e.exception.citation, message=e.exception.message,
            binding=decisions.validity.binding, presumed=[e.exception.spec.id]
            if e.silent and not decisions.strict_presumptions else [],
            missing=expr.summarise_missing(e.value.missing)
            if isinstance(e.value, Unknown) else []))
    return out


def _presumptions(decisions: Decisions) -> list[Presumption]:
    """Each silent exception's facts, presumed so that it does not apply."""
    if decisions.strict_presumptions or decisions.scope_out:
        return []
    pack = decisions.pack
    out: list[Presumption] = []
    for e in decisions.exceptions:
        if not e.silent:
            continue
        exc = e.exception
        rules = [r.rule.id for r in decisions.rules if exc.spec.id in r.presumed]
        if not rules:
            continue
        missing = e.value.missing if isinstance(e.value, Unknown) else frozenset()
        for fact in sorted(missing):
            out.append(Presumption(
                fact=fact, presumed=exc.spec.presume.get(fact, False), rules=rules,
                clause=ClauseRef(id=exc.spec.id, pack=pack.id, article=exc.spec.article,
                                 label=exc.citation.label, item=exc.spec.item,
                                 quote=exc.spec.quote)))
    return out


_MAX_YEAR_WARNINGS = 10
"""Uncovered calendar years warned about one by one; more become a single warning."""


def _warnings(decisions: Decisions) -> list[ReportWarning]:
    pack, snapshot = decisions.pack, decisions.snapshot
    warnings = [ReportWarning(code=c, message=m) for c, m in decisions.validity.warnings]
    years = sorted(decisions.ctx.uncovered_years)
    if len(years) > _MAX_YEAR_WARNINGS:  # one warning, not one per year crossed
        warnings.append(ReportWarning(
            code="calendar-year-missing",
            message=f"no official working-day data for {len(years)} years ({years[0]} to "
                    f"{years[-1]}): Monday-Friday assumed / {len(years)} 个年份无官方工作日数据,"
                    "按周一至周五计算"))
        years = []
    for year in years:
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
    return warnings


def _binding(decisions: Decisions) -> bool:
    """Whether the report's violations bind: any binding violation, else the text on
    ``as_of`` (a breach committed while the text was in force binds after it lapsed)."""
    violated = [d for d in decisions.rules if d.status == "violated"]
    if violated:
        return any(d.binding for d in violated)
    return decisions.validity.binding


def _shown(decisions: Decisions, everything: list[Finding], include_all: bool
           ) -> list[Finding]:
    """What the report lists: everything on request, else breaches, open questions, and
    the clauses that took the project out."""
    pack = decisions.pack
    clause_ids = {c.spec.id for c in pack.scope} | {e.spec.id for e in pack.exceptions}
    scope_out = decisions.scope_out

    def wanted(f: Finding) -> bool:
        if f.rule not in clause_ids:
            return f.status in _SHOWN
        return f.status == "undetermined" or (scope_out and f.status == "not_applicable")

    shown = everything if include_all else [f for f in everything if wanted(f)]
    return sorted(shown, key=lambda f: (f.article.number, str(f.article.item or ""), f.rule))


def _pack_info(decisions: Decisions) -> PackInfo:
    pack, validity = decisions.pack, decisions.validity
    return PackInfo(
        id=pack.id, title_zh=pack.meta.title.zh, title_en=pack.meta.title.en,
        doc_number=pack.meta.doc_number, status=pack.meta.status,
        in_force_on_as_of=validity.in_force, binding=validity.binding,
        effective=pack.meta.effective, expires=pack.meta.expires,
        validity=validity.text, version=pack.meta.version, sha256=pack.sha256)


def build_report(decisions: Decisions, calendar_version: str, *,
                 include_all: bool = False) -> Report:
    """The report of decided statuses: findings, messages, steps, warnings, provenance."""
    pack, as_of = decisions.pack, decisions.as_of
    builder = Builder(decisions)
    rule_findings = [f for f in (builder.finding(d, include_all) for d in decisions.rules)
                     if f is not None]
    everything = _scope_findings(decisions) + rule_findings
    statuses = [d.status for d in decisions.rules]
    counts: dict[str, int] = {}
    for status_ in statuses:
        counts[status_] = counts.get(status_, 0) + 1
    steps = sorted(builder.steps, key=lambda s: (s.due is None, s.due or as_of, s.action))
    scope_statuses = [s.status for s in decisions.scope]
    out = decisions.scope_out or decisions.ungoverned
    binding_statuses = [d.status for d in decisions.rules if d.binding]
    return Report(
        govrules_version=__version__,
        snapshot_id=decisions.snapshot.id,
        as_of=as_of,
        pack=_pack_info(decisions),
        verdict=_verdict(out, [*scope_statuses, *statuses]),
        binding_verdict=_verdict(out, [*scope_statuses, *binding_statuses]),
        binding=_binding(decisions),
        findings=_shown(decisions, everything, include_all),
        next_steps=steps if not decisions.scope_out else [],
        warnings=_warnings(decisions),
        missing_facts=_missing_summary(everything),
        counts=counts,
        presumptions=_presumptions(decisions),
        provenance=Provenance(
            engine_version=__version__, pack_id=pack.id, pack_version=pack.meta.version,
            pack_sha256=pack.sha256, calendar_version=calendar_version),
    )


def evaluate_pack(pack: Pack, snapshot: Snapshot, as_of: date, calendar: Calendar, *,
                  include_all: bool = False, backend: str = "native",
                  strict_presumptions: bool = False,
                  source: receipt.SnapshotSource | None = None,
                  detail: Detail = "full") -> Report:
    """Check one snapshot against one compiled pack on ``as_of``: :func:`decide`, then
    :func:`build_report`, then :func:`govrules.engine.receipt.finish` (gaps, due-date
    explanations, query plan, receipt). ``source`` is where the snapshot was read from;
    ``detail="line"`` makes a report for the line form only (no query plan: see
    :func:`govrules.engine.receipt.finish`)."""
    if pack.facts and type(snapshot) is Snapshot:  # read without the pack's own facts
        snapshot = pack.snapshot_model.model_validate(snapshot.model_dump(exclude_unset=True))
    chosen = get_backend(backend)
    calendar = calendar.tracking()  # the receipt lists the calendar years consulted
    ctx = expr.EvalContext(root=snapshot, as_of=as_of, calendar=calendar)
    known = Known(ctx.cache)  # the query plan reads the same snapshot on the same day
    decide_fn = chosen.decider(pack, ctx)
    if chosen is backends.NATIVE:  # the compiled closures on ctx: the plan's own values
        decide_fn = known.remembering(decide_fn)
    decisions = decide_in(pack, snapshot, ctx, decide_fn,
                          strict_presumptions=strict_presumptions)
    report = build_report(decisions, calendar.version, include_all=include_all)
    return receipt.finish(report, pack, calendar, snapshot, source=source, options={
        "include_all": include_all, "backend": backend,
        "strict_presumptions": strict_presumptions}, known=known, detail=detail)


SnapshotInput = Snapshot | Mapping[str, Any] | str | Path


def _as_date(value: date | str | None, what: str) -> date | None:
    if value is None:
        return value
    try:
        if isinstance(value, date):
            check_year(value)
            return value
        return iso_day(value)
    except ValueError as exc:
        raise InputError(Diagnostic("bad-date", f"{what} {value!r}: {exc}",
                                    hint="use YYYY-MM-DD")) from None


def coerce_snapshot(snapshot: SnapshotInput, model: type[Snapshot] = Snapshot) -> Snapshot:
    """A Snapshot from a model, a mapping, or a path to a YAML/JSON file.

    ``model`` is the snapshot model to read with (a pack's ``snapshot_model`` when the
    pack declares facts of its own).
    """
    if isinstance(snapshot, Snapshot):
        return snapshot
    if isinstance(snapshot, str | Path):
        return load_snapshot(snapshot, model=model)
    if isinstance(snapshot, Mapping):
        return parse_snapshot(dict(snapshot), model=model)
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
    strict_presumptions: bool = False,
    detail: Detail = "full",
) -> Report:
    """Check one project snapshot against one regulation.

    ``city`` names a built-in pack (default: the snapshot's own ``city``); ``pack`` is a
    loaded :class:`Pack` or a path to a pack file instead. ``as_of`` defaults to the
    snapshot's ``as_of``, then to today. ``include_all`` also lists satisfied and
    not-applicable findings (the audit trail). ``strict_presumptions`` treats exception
    facts the record is silent on as unknown instead of presuming the exception absent.
    ``detail="line"`` makes a report for :meth:`Report.to_line_json` only: no query plan
    (its ``supply-fact`` steps are kept), the same line.

    >>> report = evaluate({"id": "p1", "project": {"classified": True}},
    ...                   city="guiyang", as_of="2025-06-30")
    >>> report.verdict
    'not_applicable'
    """
    chosen: Pack | None = None
    source = (receipt.SnapshotSource.of_file(snapshot) if isinstance(snapshot, str | Path)
              else None)
    if isinstance(pack, Pack):
        chosen = pack
    elif pack is not None:
        chosen = load_pack(pack)
    elif city:
        chosen = builtin_pack(city)
    snap = coerce_snapshot(snapshot, chosen.snapshot_model if chosen else Snapshot)
    if chosen is None:
        if not snap.city:
            raise InputError(Diagnostic("no-city", "no city given and the snapshot has none",
                                        hint="pass city=... or set `city` in the snapshot"))
        chosen = builtin_pack(snap.city)
    day = _as_date(as_of, "as_of") or snap.as_of or date.today()
    return evaluate_pack(chosen, snap, day, calendar or Calendar.default(),
                         include_all=include_all, backend=backend,
                         strict_presumptions=strict_presumptions, source=source,
                         detail=detail)


def evaluate_all(
    snapshot: SnapshotInput,
    packs: Sequence[Pack],
    *,
    as_of: date | str | None = None,
    calendar: Calendar | None = None,
    include_all: bool = False,
    backend: str = "native",
    strict_presumptions: bool = False,
    detail: Detail = "full",
) -> CombinedReport:
    """Check one snapshot against several packs (``--city all``)."""
    snap = coerce_snapshot(snapshot, merged_model([p.facts for p in packs]))
    day = _as_date(as_of, "as_of") or snap.as_of or date.today()
    cal = calendar or Calendar.default()
    reports = [evaluate_pack(p, snap, day, cal, include_all=include_all, backend=backend,
                             strict_presumptions=strict_presumptions, detail=detail)
               for p in packs]
    return combine(snap, day, reports)


def combine(snapshot: Snapshot, as_of: date, reports: Sequence[Report]) -> CombinedReport:
    """One snapshot's reports under several packs, with the worst verdicts."""
    return CombinedReport(
        govrules_version=__version__, snapshot_id=snapshot.id, as_of=as_of,
        verdict=_worst(r.verdict for r in reports),
        binding_verdict=_worst(r.binding_verdict or r.verdict for r in reports if r.binding),
        reports=list(reports))


def _worst(verdicts: Iterable[Verdict]) -> Verdict:
    order: list[Verdict] = ["non_compliant", "undetermined", "compliant", "not_applicable"]
    seen = set(verdicts)
    for verdict in order:
        if verdict in seen:
            return verdict
    return "not_applicable"


def __getattr__(name: str) -> object:
    if name == "BACKENDS":  # the backend names: ``native`` and the registered ones
        return backends.available()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
