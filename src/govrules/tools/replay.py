"""Replay a report: evaluate again from its receipt and say whether anything changed.

:func:`replay` reads a JSON report (one report, a combined report, a ``check`` JSON array
or JSON Lines), loads the snapshot (given, or the file the receipt names), the pack (the
built-in of that id, or the file the receipt names) and the calendar the receipt lists,
and evaluates again on the same date with the same options. The result says whether
the findings and next steps are identical and, when they are not, exactly which differ
and why: the pack, the calendar, the snapshot or the engine changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from govrules.base.calendar import Calendar
from govrules.base.errors import Diagnostic, InputError
from govrules.base.loader import Span
from govrules.engine.evaluate import evaluate_pack
from govrules.engine.receipt import SnapshotSource
from govrules.io.inputs import decode, read_records
from govrules.model.audit import Receipt
from govrules.model.compiled import Pack
from govrules.model.pack import builtin_pack, load_pack
from govrules.model.report import Report, complete_receipt
from govrules.model.snapshot import Snapshot, parse_snapshot
from govrules.tools.replay_diff import Cause, Difference, compare_reports, receipt_causes

__all__ = ["Cause", "Difference", "ReplayResult", "ReportReplay", "load_reports", "replay"]


@dataclass(frozen=True)
class ReportReplay:
    """One report replayed."""

    label: str
    same: bool
    differences: tuple[Difference, ...]
    causes: tuple[Cause, ...]
    findings: int
    next_steps: int
    report: Report

    def to_dict(self) -> dict[str, Any]:
        return {"report": self.label, "same": self.same, "findings": self.findings,
                "next_steps": self.next_steps,
                "differences": [d.to_dict() for d in self.differences],
                "causes": [c.to_dict() for c in self.causes]}


@dataclass(frozen=True)
class ReplayResult:
    """Every report of the input replayed; ``same`` when all are identical."""

    reports: tuple[ReportReplay, ...] = field(default_factory=tuple)

    @property
    def same(self) -> bool:
        return all(r.same for r in self.reports)

    @property
    def exit_code(self) -> int:
        return 0 if self.same else 1

    def to_dict(self) -> dict[str, Any]:
        return {"same": self.same, "reports": [r.to_dict() for r in self.reports]}

    def render(self) -> str:
        """The result as text, Chinese and English."""
        lines: list[str] = []
        for item in self.reports:
            if item.same:
                lines.append(f"{item.label}: REPLAY IDENTICAL 复现一致 — {item.findings} "
                             f"findings 项结论 and {item.next_steps} next steps 项后续步骤 "
                             "reproduced exactly")
            else:
                lines.append(f"{item.label}: REPLAY DIFFERS 复现不一致")
                lines += [f"  - {d.describe()}" for d in item.differences]
            if item.causes:
                lines.append("  why 原因:" if not item.same else "  inputs changed 输入已变化 "
                             "(the outcome did not 结论未变):")
                for cause in item.causes:
                    lines.append(f"  * [{cause.kind}] {cause.message.en}")
                    lines.append(f"    {cause.message.zh}")
            elif not item.same:
                lines.append("  why 原因: no recorded input changed 记录的输入均未变化; the "
                             "difference comes from the engine itself 差异来自引擎本身")
        return "\n".join(lines) + "\n"


def _bad(code: str, message: str, hint: str | None = None, file: str | None = None
         ) -> InputError:
    return InputError(Diagnostic(code, message, Span(file) if file else None, hint=hint))


def load_reports(report_json: Mapping[str, Any] | Sequence[Any] | str | Path
                 ) -> list[tuple[str, dict[str, Any]]]:
    """The reports in a JSON report, combined report, JSON array or JSON Lines text."""
    file: str | None = None
    data: Any
    if isinstance(report_json, Mapping | list):
        data = report_json
    else:
        text = str(report_json)
        if isinstance(report_json, Path) or not text.lstrip().startswith(("{", "[")):
            file = text
            try:
                text = Path(text).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise _bad("replay-unreadable", f"cannot read the report: {exc}",
                           file=file) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            lines = [line for line in text.splitlines() if line.strip()]
            try:
                data = [json.loads(line) for line in lines]
            except json.JSONDecodeError as exc:
                raise _bad("replay-not-json", f"the report is not JSON: {exc.msg} (line "
                           f"{exc.lineno})", "give the output of check --format json",
                           file) from None
    items: list[tuple[str, dict[str, Any]]] = []

    def take(value: Any, label: str) -> None:
        if isinstance(value, dict) and isinstance(value.get("reports"), list):
            for sub in value["reports"]:
                take(sub, label)
        elif isinstance(value, dict) and "findings" in value and "pack" in value:
            pack = value.get("pack", {})
            items.append((f"{label}{' ' if label else ''}[{pack.get('id', '?')}]", value))

    if isinstance(data, list):
        for entry in data:
            if isinstance(entry, dict) and "summary" not in entry:
                take(entry, str(entry.get("source") or entry.get("snapshot_id") or ""))
    else:
        take(data, str(data.get("source") or data.get("snapshot_id") or "")
             if isinstance(data, dict) else "")
    if not items:
        raise _bad("replay-no-report", "no govrules report found in the input",
                   "give the output of check --format json", file)
    return items


# -- inputs -------------------------------------------------------------------------------


def _snapshot(receipt: Receipt, given: Snapshot | Mapping[str, Any] | str | Path | None
              ) -> tuple[Snapshot, SnapshotSource]:
    if isinstance(given, Snapshot):
        return given, SnapshotSource()
    if isinstance(given, Mapping):
        return parse_snapshot(dict(given)), SnapshotSource()
    ref = receipt.snapshot
    file = str(given) if given is not None else ref.source
    if not file:
        raise _bad("replay-snapshot-missing", "the receipt names no snapshot file (the "
                   "snapshot was given as data)", "give the snapshot: govrules replay "
                   "REPORT.json SNAPSHOT")
    if not Path(file).is_file():
        raise _bad("replay-snapshot-missing", f"the snapshot file {file!r} is not there",
                   "give the snapshot: govrules replay REPORT.json SNAPSHOT")
    for record in read_records([file]):
        if given is None and ref.record and record.source != ref.record:
            continue
        data, document = decode(record)
        snapshot = parse_snapshot(data, document=document, file=record.span.file)
        return snapshot, SnapshotSource.of_record(record, document)
    raise _bad("replay-snapshot-missing", f"record {ref.record} is no longer in {file}",
               "give the snapshot: govrules replay REPORT.json SNAPSHOT")


def _pack(receipt: Receipt, report: Mapping[str, Any], policy: str | Path | None) -> Pack:
    if policy is not None:
        return load_pack(policy)
    pack_id = str(report.get("pack", {}).get("id"))
    last = receipt.packs[-1] if receipt.packs else None
    source = last.source if last else None
    if source is None or source.startswith("builtin:"):
        return builtin_pack(source.removeprefix("builtin:") if source else pack_id)
    if not Path(source).is_file():
        raise _bad("replay-pack-missing", f"the pack file {source!r} is not there",
                   "give it with --policy PATH")
    return load_pack(source)


def _calendar(receipt: Receipt, calendars: Sequence[str | Path] | None) -> Calendar:
    if calendars:
        return Calendar.load(list(calendars))
    sources = receipt.calendar.sources
    extra = [s for s in sources if s != "builtin"]
    missing = [s for s in extra if not Path(s).is_file()]
    if missing:
        raise _bad("replay-calendar-missing", f"the calendar file {missing[0]!r} is not "
                   "there", "give the calendar files with --calendar FILE")
    return Calendar.load(extra, builtin="builtin" in sources or not sources)


# -- comparing ----------------------------------------------------------------------------


def replay(report_json: Mapping[str, Any] | Sequence[Any] | str | Path,
           snapshot: Snapshot | Mapping[str, Any] | str | Path | None = None, *,
           policy: str | Path | None = None,
           calendars: Sequence[str | Path] | None = None) -> ReplayResult:
    """Evaluate the report(s) again from their receipts; see :class:`ReplayResult`.

    ``report_json`` is a parsed report, JSON text or a file path; ``snapshot`` (a file,
    a mapping or a :class:`~govrules.model.snapshot.Snapshot`) replaces the file the receipt
    names; ``policy`` and ``calendars`` replace the pack and calendar files it names.
    Raise :class:`~govrules.base.errors.InputError` for input that cannot be replayed.
    """
    results: list[ReportReplay] = []
    file = (str(report_json) if isinstance(report_json, Path) or (
        isinstance(report_json, str) and not report_json.lstrip().startswith(("{", "[")))
        else None)
    for label, data in load_reports(report_json):
        raw = complete_receipt(data)
        if not isinstance(raw, dict):
            raise _bad("replay-no-receipt", f"report {label or '(unnamed)'} has no receipt",
                       "a report made without a receipt cannot be replayed; check the "
                       "snapshot again", file)
        try:
            receipt = Receipt.model_validate(raw)
        except ValidationError as exc:
            raise _bad("replay-bad-receipt", f"the receipt of {label or 'the report'} is "
                       f"malformed: {exc.errors()[0]['msg']} at receipt."
                       f"{'.'.join(map(str, exc.errors()[0]['loc']))}", file=file) from None
        snap, source = _snapshot(receipt, snapshot)
        pack = _pack(receipt, data, policy)
        calendar = _calendar(receipt, calendars)
        options = receipt.options
        report = evaluate_pack(pack, snap, receipt.as_of, calendar,
                               include_all=bool(options.get("include_all", False)),
                               backend=str(options.get("backend", "native")),
                               strict_presumptions=bool(options.get("strict_presumptions")),
                               source=source)
        new = json.loads(report.to_line_json()) if data.get("detail") == "line" \
            else report.model_dump(mode="json")  # compared in the form it was recorded in
        differences = compare_reports(data, new)
        if any(d.change == "removed" and d.kind == "finding" for d in differences):
            full = evaluate_pack(pack, snap, receipt.as_of, calendar, include_all=True,
                                 backend=str(options.get("backend", "native")),
                                 strict_presumptions=bool(options.get("strict_presumptions")))
            status = {f.rule: f.status for f in full.findings}
            differences = [Difference(d.kind, d.key, d.change, d.before,
                                      {"status": status.get(d.key)}, ("status",))
                           if d.change == "removed" and d.kind == "finding" else d
                           for d in differences]
        assert report.receipt is not None
        causes = receipt_causes(receipt, report.receipt)
        results.append(ReportReplay(label or "report", not differences, tuple(differences),
                                    tuple(causes), len(new["findings"]), len(new["next_steps"]),
                                    report))
    return ReplayResult(tuple(results))
