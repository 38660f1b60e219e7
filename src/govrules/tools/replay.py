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
from govrules.model.report import Report, Text
from govrules.model.snapshot import Snapshot, parse_snapshot

__all__ = ["Cause", "Difference", "ReplayResult", "ReportReplay", "load_reports", "replay"]


@dataclass(frozen=True)
class Difference:
    """One finding or next step that is not what the report says."""

    kind: str
    """``finding``, ``step`` or ``verdict``."""
    key: str
    change: str
    """``added``, ``removed`` or ``changed``."""
    before: Any = None
    after: Any = None
    fields: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.change == "changed" and self.kind == "finding":
            parts = []
            for name in self.fields:
                old = (self.before or {}).get(name)
                new = (self.after or {}).get(name)
                parts.append(f"{name}: {_short(old)} → {_short(new)}")
            return f"finding {self.key} changed 结论变化: " + "; ".join(parts)
        if self.kind == "verdict":
            return f"verdict 总体结论: {self.before} → {self.after}"
        word = {"added": "now also 新增", "removed": "no longer 不再出现"}.get(self.change,
                                                                          self.change)
        if self.kind == "finding" and self.change == "removed" and self.before:
            now = (self.after or {}).get("status") or "not evaluated"
            return (f"finding {self.key}: {self.before.get('status')} → {now} (no longer "
                    "shown 不再列出)")
        return f"{self.kind} {self.key}: {word}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "change": self.change,
                "fields": list(self.fields), "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Cause:
    """Why a replay can differ: an input or the engine is not what the receipt records."""

    kind: str
    """``pack``, ``calendar``, ``snapshot``, ``engine`` or ``presumptions``."""
    message: Text

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message.model_dump()}


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


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


# -- reading reports ----------------------------------------------------------------------


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


def _findings(items: list[Any]) -> dict[str, dict[str, Any]]:
    return {str(f.get("rule")): f for f in items if isinstance(f, dict)}


def _step_key(step: Mapping[str, Any]) -> str:
    return (f"{step.get('action')} [{step.get('kind')}, due {step.get('due')}] because "
            f"{', '.join(step.get('because') or [])}: {(step.get('text') or {}).get('en')}")


def _compare(old: Mapping[str, Any], new: dict[str, Any]) -> list[Difference]:
    out: list[Difference] = []
    if old.get("verdict") != new.get("verdict"):
        out.append(Difference("verdict", "verdict", "changed", old.get("verdict"),
                              new.get("verdict")))
    before, after = _findings(old.get("findings") or []), _findings(new["findings"])
    for rule in sorted(set(before) | set(after)):
        a, b = before.get(rule), after.get(rule)
        if a == b:
            continue
        if a is None:
            out.append(Difference("finding", rule, "added", None, b))
        elif b is None:
            out.append(Difference("finding", rule, "removed", a, None))
        else:
            fields = tuple(k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k))
            out.append(Difference("finding", rule, "changed", a, b, fields))
    old_steps = [_step_key(s) for s in old.get("next_steps") or [] if isinstance(s, dict)]
    new_steps = [_step_key(s) for s in new["next_steps"]]
    old_full = [s for s in old.get("next_steps") or [] if isinstance(s, dict)]
    for key in sorted(set(old_steps) - set(new_steps)):
        out.append(Difference("step", key, "removed"))
    for key in sorted(set(new_steps) - set(old_steps)):
        out.append(Difference("step", key, "added"))
    if not set(old_steps) ^ set(new_steps) and old_full != new["next_steps"]:
        out.append(Difference("step", "next_steps", "changed", fields=("order or detail",)))
    return out


def _causes(old: Receipt, new: Receipt) -> list[Cause]:
    causes: list[Cause] = []
    if old.engine_version != new.engine_version:
        causes.append(Cause("engine", Text(
            zh=f"引擎版本已变化：{old.engine_version} → {new.engine_version}",
            en=f"engine version changed: {old.engine_version} → {new.engine_version}")))
    if old.pack_sha256 != new.pack_sha256:
        olds = {(p.kind, p.source or p.id): p for p in old.packs}
        news = {(p.kind, p.source or p.id): p for p in new.packs}
        detail = []
        for key in sorted(set(olds) | set(news)):
            a, b = olds.get(key), news.get(key)
            if a is None or b is None or a.sha256 != b.sha256 or a.version != b.version:
                detail.append(f"{key[0]} {key[1]}: version {a.version if a else '-'} → "
                              f"{b.version if b else '-'}, sha256 "
                              f"{(a.sha256 or '-')[:12] if a else '-'} → "
                              f"{(b.sha256 or '-')[:12] if b else '-'}")
        text = "; ".join(detail) or (f"sha256 {old.pack_sha256[:12]} → "
                                     f"{new.pack_sha256[:12]}")
        causes.append(Cause("pack", Text(zh=f"政策包已变化：{text}",
                                         en=f"pack changed: {text}")))
    years_old = {y.year: y for y in old.calendar.years}
    years_new = {y.year: y for y in new.calendar.years}
    changed = [y for y in sorted(set(years_old) | set(years_new))
               if (years_old.get(y) and years_old[y].sha256) != (years_new.get(y) and
                                                                 years_new[y].sha256)]
    if changed or old.calendar.version != new.calendar.version:
        what = (f"data for {', '.join(map(str, changed))} differs" if changed
                else "the data of the years used is the same")
        causes.append(Cause("calendar", Text(
            zh=f"工作日日历已变化：{old.calendar.version} → {new.calendar.version}；"
               + (f"{'、'.join(map(str, changed))} 年数据不同" if changed else "所用年份数据相同"),
            en=f"calendar changed: {old.calendar.version} → {new.calendar.version}; {what}")))
    was, now = old.snapshot, new.snapshot
    if was.canonical_sha256 != now.canonical_sha256:
        causes.append(Cause("snapshot", Text(
            zh=f"项目快照已变化（规范化 sha256 {was.canonical_sha256[:12]} → "
               f"{now.canonical_sha256[:12]}）",
            en=f"snapshot changed: its facts differ (canonical sha256 "
               f"{was.canonical_sha256[:12]} → {now.canonical_sha256[:12]})")))
    elif was.sha256 and now.sha256 and was.sha256 != now.sha256:
        causes.append(Cause("snapshot", Text(
            zh="快照文件的字节不同，但事实相同（仅格式变化）",
            en="the snapshot file's bytes differ but its facts are the same (layout only)")))
    if old.presumptions != new.presumptions:
        causes.append(Cause("presumptions", Text(zh="推定事项不同", en="the presumptions differ")))
    return causes


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
        raw = data.get("receipt")
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
        new = report.model_dump(mode="json")
        differences = _compare(data, new)
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
        causes = _causes(receipt, report.receipt)
        results.append(ReportReplay(label or "report", not differences, tuple(differences),
                                    tuple(causes), len(new["findings"]), len(new["next_steps"]),
                                    report))
    return ReplayResult(tuple(results))
