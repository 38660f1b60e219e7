"""The portfolio: projects, their snapshots over time, every evaluation, and queries.

A snapshot is stored as the text it was read from (a YAML or JSON document, or the JSON
of one record of a stream), and every evaluation reads that stored text back, so that a
later :meth:`Portfolio.replay` starts from exactly the same bytes. An evaluation stores
the report as produced (``Report.model_dump_json()``), its sha256 and its provenance;
replaying it loads the stored pack text, re-runs the public :func:`govrules.evaluate`
and compares the bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

import govrules
from govrules.base.calendar import Calendar
from govrules.base.errors import Diagnostic, GovrulesError, InputError
from govrules.base.loader import parse_document, read_bounded
from govrules.io.formats.timeline import due_items
from govrules.io.inputs import Record
from govrules.model.pack import Pack, builtin_pack, parse_pack, resolve_packs
from govrules.model.report import Report
from govrules.model.snapshot import Snapshot, parse_snapshot
from govrules.service import schema as t
from govrules.service._portfolio_queries import PortfolioQueries
from govrules.service.store import migrate, open_engine

__all__ = ["Portfolio", "Replay", "StoredSnapshot", "record_contents"]


def _now() -> datetime:
    return datetime.now(UTC)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def record_contents(records: Iterator[Record]
                    ) -> Iterator[tuple[Record, tuple[str, str] | GovrulesError]]:
    """Each record's text to store and its format (``yaml``/``json``), or its error."""
    for record in records:
        if isinstance(record.error, GovrulesError):
            yield record, record.error
        elif record.error is not None:  # a reader failed on something other than bad input
            yield record, InputError(Diagnostic("internal-error", str(record.error),
                                                record.span))
        elif record.path is not None:
            try:  # a FIFO, a device or an oversized file is refused before it is read
                text = read_bounded(record.path).decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                yield record, InputError(Diagnostic("file-unreadable", str(exc), record.span))
                continue
            except InputError as err:
                yield record, err
                continue
            fmt = "json" if record.fmt == "json" or record.path.endswith(".json") else "yaml"
            yield record, (text, fmt)
        elif record.text is not None:
            yield record, (record.text, "json" if record.kind == "line" else record.fmt)
        else:
            yield record, (json.dumps(record.data, ensure_ascii=False, sort_keys=True,
                                      default=_json_default), "json")


def parse_stored(content: str, fmt: str, source: str) -> Snapshot:
    """The snapshot in stored text, read as ``check`` reads a document."""
    document = parse_document(content, source, fmt="json" if fmt == "json" else "yaml")
    return parse_snapshot(document.data, document=document, file=source)


@dataclass(frozen=True)
class StoredSnapshot:
    id: int
    project: str
    snapshot: Snapshot


@dataclass(frozen=True)
class Replay:
    """A stored evaluation re-run: equal bytes, or what differs."""

    evaluation: int
    verified: bool
    stored_sha256: str
    replayed_sha256: str
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"evaluation": self.evaluation, "verified": self.verified,
                "stored_sha256": self.stored_sha256, "replayed_sha256": self.replayed_sha256,
                "notes": self.notes}


def _pack_text(pack: Pack) -> str | None:
    """The pack's source text when its file still hashes to the pack's sha256."""
    if not pack.file:
        return None
    try:
        raw = Path(pack.file).read_bytes()
    except OSError:
        return None
    return raw.decode("utf-8") if hashlib.sha256(raw).hexdigest() == pack.sha256 else None


class Portfolio(PortfolioQueries):
    """Projects and evaluations in one database (thread-safe: one engine, short sessions)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True) -> Portfolio:
        engine = open_engine(url)
        if upgrade:
            migrate(engine)
        return cls(engine)

    # -- projects and snapshots ------------------------------------------------------

    def add_project(self, key: str, *, name: str | None = None, city: str | None = None,
                    owner: str | None = None) -> dict[str, Any]:
        """Create the project, or fill in the fields given (never blanks one)."""
        if not key.strip():
            raise InputError(Diagnostic("project-key", "a project needs a non-empty key"))
        values = {k: v for k, v in (("name", name), ("city", city), ("owner", owner)) if v}
        try:
            with self.engine.begin() as db:
                row = db.execute(select(t.projects).where(t.projects.c.key == key)).first()
                if row is None:
                    db.execute(insert(t.projects).values(key=key, created_at=_now(), **values))
                elif values:
                    db.execute(update(t.projects).where(t.projects.c.key == key)
                               .values(**values))
        except IntegrityError:  # created meanwhile by a concurrent request: update it
            if values:
                with self.engine.begin() as db:
                    db.execute(update(t.projects).where(t.projects.c.key == key)
                               .values(**values))
        return self.project(key)

    def add_snapshot(self, content: str, fmt: str, source: str, *,
                     project: str | None = None) -> StoredSnapshot:
        """Store a snapshot's text under its project (``project``, else the snapshot id)."""
        snapshot = parse_stored(content, fmt, source)
        key = project or snapshot.id
        if not key:
            raise InputError(Diagnostic(
                "no-project", "the snapshot has no id and no project was named",
                hint="add `id:` to the snapshot or name the project"))
        info = snapshot.project
        self.add_project(key, name=info.name if info else None, city=snapshot.city,
                         owner=info.owner if info else None)
        with self.engine.begin() as db:
            pid = db.execute(select(t.projects.c.id).where(t.projects.c.key == key)).scalar_one()
            sid = db.execute(insert(t.snapshots).values(
                project_id=pid, received_at=_now(), source=source[:1000], fmt=fmt,
                content=content, sha256=_sha(content), as_of=snapshot.as_of)
                .returning(t.snapshots.c.id)).scalar_one()
        return StoredSnapshot(sid, key, snapshot)

    # -- evaluations -----------------------------------------------------------------

    def evaluate(self, key: str, *, as_of: date | None = None,
                 cities: Sequence[str] = (), include_all: bool = True,
                 backend: str = "native") -> list[dict[str, Any]]:
        """Evaluate the project's latest snapshot under its packs; store every report."""
        self.project(key)
        with self.engine.connect() as db:
            row = db.execute(
                select(t.snapshots).join(t.projects, t.projects.c.id == t.snapshots.c.project_id)
                .where(t.projects.c.key == key).order_by(t.snapshots.c.id.desc()).limit(1)
            ).mappings().first()
        if row is None:
            raise InputError(Diagnostic("no-snapshot", f"project {key!r} has no snapshot",
                                        hint="add one first"))
        snapshot = parse_stored(row["content"], row["fmt"], row["source"])
        names = list(cities) or ([snapshot.city] if snapshot.city else [])
        if not names:
            raise InputError(Diagnostic("no-city", "the snapshot names no city and none was "
                                        "given", hint="add `city:` or pass a city"))
        day = as_of or snapshot.as_of or date.today()
        out = []
        for pack in resolve_packs(names):
            report = govrules.evaluate(snapshot, pack=pack, as_of=day,
                                       include_all=include_all, backend=backend)
            out.append(self._store(row["project_id"], row["id"], pack, report, include_all))
        return out

    def _store(self, project_id: int, snapshot_id: int, pack: Pack, report: Report,
               include_all: bool) -> dict[str, Any]:
        text = report.model_dump_json()
        prov = report.provenance
        self._keep_pack(pack)
        with self.engine.begin() as db:
            eid = db.execute(insert(t.evaluations).values(
                project_id=project_id, snapshot_id=snapshot_id, evaluated_at=_now(),
                as_of=report.as_of, pack_id=prov.pack_id, pack_version=prov.pack_version,
                pack_sha256=prov.pack_sha256, engine_version=prov.engine_version,
                calendar_version=prov.calendar_version, backend=prov.backend,
                include_all=include_all, verdict=report.verdict, binding=report.binding,
                report=text, report_sha256=_sha(text)).returning(t.evaluations.c.id)
            ).scalar_one()
            if report.findings:
                db.execute(insert(t.findings), [
                    {"evaluation_id": eid, "rule": f.rule, "status": f.status,
                     "severity": f.severity, "article": f.article.label, "due": f.due}
                    for f in report.findings])
            items = due_items(report)
            if items:
                db.execute(insert(t.due_items), [
                    {"evaluation_id": eid, "due": i.due, "rule": i.rule, "action": i.action,
                     "kind": i.kind, "overdue": i.overdue, "article": i.article,
                     "text_zh": i.zh, "text_en": i.en} for i in items])
        return {"evaluation": eid, "pack": prov.pack_id, "as_of": report.as_of.isoformat(),
                "verdict": report.verdict, "binding": report.binding,
                "report_sha256": _sha(text), "due_items": len(items)}

    def _keep_pack(self, pack: Pack) -> None:
        """Store the pack's source text once per sha256 (a concurrent twin is fine)."""
        with self.engine.connect() as db:
            if db.execute(select(t.packs.c.sha256)
                          .where(t.packs.c.sha256 == pack.sha256)).first() is not None:
                return
        try:
            with self.engine.begin() as db:
                db.execute(insert(t.packs).values(sha256=pack.sha256, pack_id=pack.id,
                                                  version=pack.meta.version,
                                                  text=_pack_text(pack)))
        except IntegrityError:
            pass  # another request stored the same pack first

    def report_text(self, evaluation: int) -> str:
        """The stored report, exactly as it was produced."""
        with self.engine.connect() as db:
            text = db.execute(select(t.evaluations.c.report)
                              .where(t.evaluations.c.id == evaluation)).scalar()
        if text is None:
            raise InputError(Diagnostic("unknown-evaluation", f"no evaluation {evaluation}"))
        return str(text)

    def replay(self, evaluation: int) -> Replay:
        """Re-run a stored evaluation from its stored snapshot and pack; compare bytes."""
        with self.engine.connect() as db:
            ev = db.execute(select(t.evaluations).where(t.evaluations.c.id == evaluation)
                            ).mappings().first()
            if ev is None:
                raise InputError(Diagnostic("unknown-evaluation", f"no evaluation {evaluation}"))
            snap = db.execute(select(t.snapshots).where(t.snapshots.c.id == ev["snapshot_id"])
                              ).mappings().one()
            pack_row = db.execute(select(t.packs).where(t.packs.c.sha256 == ev["pack_sha256"])
                                  ).mappings().one()
        notes: list[str] = []
        if ev["engine_version"] != govrules.__version__:
            notes.append(f"engine {ev['engine_version']} stored, {govrules.__version__} now")
        calendar = Calendar.default()
        if ev["calendar_version"] != calendar.version:
            notes.append(f"calendar {ev['calendar_version']} stored, {calendar.version} now")
        pack = _builtin_with(pack_row["pack_id"], ev["pack_sha256"])
        if pack is None and pack_row["text"] is not None:
            pack = parse_pack(pack_row["text"], f"{pack_row['pack_id']}.yaml")
        elif pack is None:
            pack = builtin_pack(pack_row["pack_id"])
        if pack.sha256 != ev["pack_sha256"]:
            notes.append(f"pack {pack.id} is now sha256 {pack.sha256[:12]}, the evaluation "
                         f"used {ev['pack_sha256'][:12]}")
        snapshot = parse_stored(snap["content"], snap["fmt"], snap["source"])
        report = govrules.evaluate(snapshot, pack=pack, as_of=ev["as_of"], calendar=calendar,
                                   include_all=ev["include_all"], backend=ev["backend"])
        text = report.model_dump_json()
        same = text == ev["report"] or _same_but_read_elsewhere(ev["report"], text)
        if not same:
            notes.append("the replayed report differs from the stored one")
        return Replay(evaluation, same, ev["report_sha256"], _sha(text), notes)

def _same_but_read_elsewhere(stored: str, replayed: str) -> bool:
    """The same report, except where its receipt says the snapshot and the pack were read
    from (the evaluation read them from the request and the pack set, the replay from the
    store)."""
    reports = [json.loads(stored), json.loads(replayed)]
    for report in reports:
        receipt = report.get("receipt") or {}
        snapshot = receipt.get("snapshot") or {}
        for key in ("source", "record", "sha256"):
            snapshot.pop(key, None)
        for loaded in receipt.get("packs") or []:
            loaded.pop("source", None)
    return bool(reports[0] == reports[1])


def _builtin_with(pack_id: str, sha256: str) -> Pack | None:
    """The built-in pack ``pack_id`` if it is still the one with hash ``sha256`` (so the
    replayed receipt names the same pack as the stored one)."""
    try:
        pack = builtin_pack(pack_id)
    except InputError:
        return None
    return pack if pack.sha256 == sha256 else None
