"""Receipts: what a finished report was made from, so it can be replayed and audited.

A receipt is built from the finished report, the pack(s) loaded, the calendar (a
:meth:`~govrules.base.calendar.Calendar.tracking` view knows which years were consulted) and
the snapshot as read. It does not look inside the engine: :func:`finish` is the one
call the engine makes once a report is complete, and it also attaches the declared
encoding gaps, due-date explanations and the query plan.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from govrules._version import __version__
from govrules.base.calendar import Calendar, Notice
from govrules.engine.duedates import explain_steps
from govrules.engine.gaps import gap_of, gap_warning
from govrules.engine.queryplan import Known, plan_queries, rank_facts, ranked, supply_steps
from govrules.model.audit import (
    CalendarUse,
    CalendarYearUse,
    LoadedPack,
    NoticeRef,
    Receipt,
    SnapshotRef,
)

if TYPE_CHECKING:
    from govrules.base.loader import Document
    from govrules.base.location import Span
    from govrules.model.compiled import Pack
    from govrules.model.report import Detail, Report
    from govrules.model.snapshot import Snapshot

__all__ = ["SnapshotSource", "canonical_sha256", "finish", "outcome_sha256",
           "pack_source", "receipt_for"]


class RecordLike(Protocol):
    """What a receipt reads of an input record (:class:`govrules.io.inputs.Record`, a
    layer above the engine): where it is, and its text when it came from a stream."""

    @property
    def span(self) -> Span: ...
    @property
    def text(self) -> str | None: ...
    @property
    def source(self) -> str: ...
    @property
    def in_stream(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class SnapshotSource:
    """Where a snapshot was read from, and the hash of the bytes read."""

    file: str | None = None
    record: str | None = None
    sha256: str | None = None

    @classmethod
    def of_document(cls, document: Document | None, file: str | None = None) -> SnapshotSource:
        if document is None:
            return cls(file)
        return cls(document.file or file, None, document.sha256 or None)

    @classmethod
    def of_file(cls, path: str | Path) -> SnapshotSource:
        """A snapshot file: its bytes hashed as they are now."""
        try:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            digest = None
        return cls(str(path), None, digest)

    @classmethod
    def of_record(cls, record: RecordLike, document: Document | None) -> SnapshotSource:
        """A record of :func:`govrules.io.inputs.read_records`: a whole file, or one line,
        element or row of a stream (``file:line``)."""
        if not record.in_stream:
            return cls.of_document(document, record.span.file)
        digest = (hashlib.sha256(record.text.encode("utf-8", "surrogatepass")).hexdigest()
                  if record.text is not None else None)
        return cls(record.span.file, record.source, digest)


def canonical_sha256(snapshot: Snapshot) -> str:
    """sha256 of the snapshot's facts as compact JSON in the model's field order, unknown
    facts left out: the same facts give the same hash, whatever the file's layout."""
    text = snapshot.model_dump_json(exclude_none=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def outcome_sha256(report: Report) -> str:
    """sha256 of the report's findings and next steps (JSON), what a replay reproduces."""
    text = report.model_dump_json(include={"findings", "next_steps"})
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def pack_source(pack: Pack) -> str | None:
    """``builtin:<id>`` for a shipped pack, else its file path."""
    return _source(pack.id, pack.file)


def _source(pack_id: str, file: str | None) -> str | None:
    if file is None:
        return None
    try:
        builtin = resources.files("govrules.policies").joinpath(f"{pack_id}.yaml")
        with resources.as_file(builtin) as path:
            if Path(file).resolve() == Path(path).resolve():
                return f"builtin:{pack_id}"
    except (OSError, ValueError):  # pragma: no cover - resources always resolve here
        pass
    return str(file)


_loaded_lock = threading.Lock()
_loaded_cache: dict[int, tuple[Pack, list[LoadedPack]]] = {}


def _loaded(pack: Pack) -> list[LoadedPack]:
    """The files a pack was loaded from (computed once per pack)."""
    with _loaded_lock:
        hit = _loaded_cache.get(id(pack))
        if hit is not None and hit[0] is pack:
            return hit[1]
    entries = _files_of(pack)
    with _loaded_lock:
        _loaded_cache[id(pack)] = (pack, entries)
    return entries


def _files_of(pack: Pack) -> list[LoadedPack]:
    meta = pack.meta
    acts = list(pack.spec.amendments)
    entries: list[LoadedPack] = []
    if acts:
        first = acts[0]
        entries.append(LoadedPack(id=pack.id, kind="pack", version=first.base_version,
                                  sha256=first.base_sha256,
                                  source=_source(pack.id, first.base_file),
                                  doc_number=None, status=meta.status,
                                  effective=meta.effective, expires=meta.expires,
                                  repealed=meta.repealed))
        for act in acts:
            entries.append(LoadedPack(
                id=pack.id, kind="amendment", version=act.version, sha256=act.sha256,
                source=act.file, doc_number=act.doc_number, status=meta.status,
                effective=act.effective, expires=meta.expires, repealed=meta.repealed))
        return entries
    return [LoadedPack(id=pack.id, kind="pack", version=meta.version, sha256=pack.sha256,
                       source=pack_source(pack), doc_number=meta.doc_number,
                       status=meta.status, effective=meta.effective, expires=meta.expires,
                       repealed=meta.repealed)]


def _notice(notice: Notice | None) -> NoticeRef | None:
    if notice is None:
        return None
    return NoticeRef(title=notice.title, doc_number=notice.doc_number, issued=notice.issued,
                     url=notice.url, note=notice.note)


def calendar_use(calendar: Calendar, years: frozenset[int] | set[int]) -> CalendarUse:
    """The calendar's version and sources, and each consulted year's data and notice."""
    used: list[CalendarYearUse] = []
    without: list[int] = []
    for year in sorted(years):
        schedule = calendar.schedule(year)
        if schedule is None:  # no data: Monday to Friday; nothing to cite or to compare
            without.append(year)
            continue
        used.append(CalendarYearUse(year=year, official=True, sha256=schedule.digest(),
                                    notice=_notice(schedule.notice)))
    # A deadline far in the future can consult thousands of years without data: they are
    # named by their range, so the receipt stays small (listed one by one up to a few).
    if len(without) <= _LISTED_WITHOUT_DATA:
        used += [CalendarYearUse(year=y, official=False) for y in without]
        used.sort(key=lambda u: u.year)
        span = None
    else:
        span = [without[0], without[-1], len(without)]
    return CalendarUse(version=calendar.version, sources=list(calendar.sources), years=used,
                       years_without_data=span)


_LISTED_WITHOUT_DATA = 10


def receipt_for(report: Report, pack: Pack, calendar: Calendar, snapshot: Snapshot, *,
                source: SnapshotSource | None = None,
                options: Mapping[str, Any] | None = None) -> Receipt:
    """The receipt of a finished ``report``."""
    source = source or SnapshotSource()
    presumptions = [p.model_dump(mode="json") if hasattr(p, "model_dump") else p
                    for p in getattr(report, "presumptions", None) or []]
    return Receipt(
        engine_version=__version__, as_of=report.as_of, options=dict(options or {}),
        pack_sha256=pack.sha256, packs=_loaded(pack),
        calendar=calendar_use(calendar, calendar.used_years),
        presumptions=presumptions,
        snapshot=SnapshotRef(id=snapshot.id, source=source.file, record=source.record,
                             sha256=source.sha256, canonical_sha256=canonical_sha256(snapshot)),
        outcome_sha256=outcome_sha256(report))


def finish(report: Report, pack: Pack, calendar: Calendar, snapshot: Snapshot, *,
           source: SnapshotSource | None = None, options: Mapping[str, Any] | None = None,
           known: Known | None = None, detail: Detail = "full") -> Report:
    """The finished report with its gaps, due-date explanations, query plan and receipt
    (``known``: what the decision step computed, for the query plan to reuse).

    ``detail="line"``: a report for the line form, which has no query plan: the facts
    are ranked for the ``supply-fact`` steps without the outcome of each value, and the
    report says ``detail: "line"``. Everything the line writes is the same.
    """
    updates: dict[str, Any] = {}
    if any(g.extent == "partial" for g in pack.gaps):
        findings = []
        for finding in report.findings:
            gap = gap_of(pack, finding)
            findings.append(finding.model_copy(update={"gap": gap}) if gap else finding)
        updates["findings"] = findings
        warning = gap_warning(findings)
        if warning is not None:
            updates["warnings"] = [*report.warnings, warning]
    steps = explain_steps(report, pack, snapshot, calendar)
    if steps is not None:
        updates["next_steps"] = steps
    if updates:
        report = report.model_copy(update=updates)
    if detail == "line":
        facts = rank_facts(report, pack, snapshot, calendar, known)
        report = report.model_copy(update={
            "detail": "line", "next_steps": [*report.next_steps, *supply_steps(report, facts)]})
    else:
        plan = plan_queries(report, pack, snapshot, calendar, known)
        if plan:
            report = report.model_copy(update={
                "query_plan": plan,
                "next_steps": [*report.next_steps, *supply_steps(report, ranked(plan))]})
    return report.model_copy(update={"receipt": receipt_for(
        report, pack, calendar, snapshot, source=source, options=options)})
