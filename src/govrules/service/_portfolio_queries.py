"""The portfolio's read side: projects, what falls due, history, changes, the summary.

Part of :mod:`govrules.service.portfolio` (:class:`~govrules.service.portfolio.Portfolio`
inherits these queries).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, and_, func, select

from govrules.base.errors import Diagnostic, InputError
from govrules.io.formats.timeline import DueItem
from govrules.service import schema as t


class PortfolioQueries:
    """Queries over the latest evaluations; :class:`Portfolio` supplies ``engine``."""

    engine: Engine

    def project(self, key: str) -> dict[str, Any]:
        with self.engine.connect() as db:
            row = db.execute(select(t.projects).where(t.projects.c.key == key)).mappings().first()
        if row is None:
            raise InputError(Diagnostic("unknown-project", f"no project {key!r} in the "
                                        "portfolio", hint="govrules portfolio add FILE"))
        return {"key": row["key"], "name": row["name"], "city": row["city"],
                "owner": row["owner"], "created_at": row["created_at"].isoformat()}

    def projects(self, *, city: str | None = None, owner: str | None = None
                 ) -> list[dict[str, Any]]:
        """Every project with the verdict of its latest evaluation under each pack."""
        query = select(t.projects).order_by(t.projects.c.key)
        if city:
            query = query.where(t.projects.c.city == city)
        if owner:
            query = query.where(t.projects.c.owner == owner)
        latest = self._latest()
        with self.engine.connect() as db:
            rows = db.execute(query).mappings().all()
            verdicts: dict[int, dict[str, str]] = {}
            for ev in db.execute(select(t.evaluations.c.project_id, t.evaluations.c.pack_id,
                                        t.evaluations.c.verdict)
                                 .where(t.evaluations.c.id.in_(latest))).mappings():
                verdicts.setdefault(ev["project_id"], {})[ev["pack_id"]] = ev["verdict"]
        return [{"key": r["key"], "name": r["name"], "city": r["city"], "owner": r["owner"],
                 "verdicts": verdicts.get(r["id"], {})} for r in rows]

    # -- queries ---------------------------------------------------------------------

    def _latest(self) -> Any:
        """The id of the latest evaluation of each project under each pack."""
        return (select(func.max(t.evaluations.c.id))
                .group_by(t.evaluations.c.project_id, t.evaluations.c.pack_id))

    def _items(self, condition: Any, city: str | None, owner: str | None,
               project: str | None = None) -> list[dict[str, Any]]:
        query = (select(t.due_items, t.evaluations.c.pack_id, t.evaluations.c.as_of,
                        t.projects.c.key, t.projects.c.name, t.projects.c.city,
                        t.projects.c.owner)
                 .join(t.evaluations, t.evaluations.c.id == t.due_items.c.evaluation_id)
                 .join(t.projects, t.projects.c.id == t.evaluations.c.project_id)
                 .where(t.evaluations.c.id.in_(self._latest()), condition,
                        t.due_items.c.kind != "late")
                 .order_by(t.due_items.c.due, t.projects.c.key, t.due_items.c.rule))
        if city:
            query = query.where(t.projects.c.city == city)
        if owner:
            query = query.where(t.projects.c.owner == owner)
        if project:
            query = query.where(t.projects.c.key == project)
        with self.engine.connect() as db:
            rows = db.execute(query).mappings().all()
        return [{"project": r["key"], "name": r["name"], "city": r["city"],
                 "owner": r["owner"], "pack": r["pack_id"], "rule": r["rule"],
                 "action": r["action"], "kind": r["kind"], "due": r["due"].isoformat(),
                 "overdue": bool(r["overdue"]) or r["due"] < r["as_of"],
                 "article": r["article"], "text": {"zh": r["text_zh"], "en": r["text_en"]},
                 "as_of": r["as_of"].isoformat(), "evaluation": r["evaluation_id"]}
                for r in rows]

    def due(self, *, days: int = 30, on: date | None = None, city: str | None = None,
            owner: str | None = None) -> list[dict[str, Any]]:
        """What falls due from ``on`` (default today) to ``days`` later, latest reports."""
        start = on or date.today()
        end = start + timedelta(days=days)
        return self._items(and_(t.due_items.c.due >= start, t.due_items.c.due <= end),
                           city, owner)

    def overdue(self, *, on: date | None = None, city: str | None = None,
                owner: str | None = None) -> list[dict[str, Any]]:
        """What was due before ``on`` (default today) and not done at the latest report."""
        return self._items(t.due_items.c.due < (on or date.today()), city, owner)

    def due_calendar_items(self, *, project: str | None = None, city: str | None = None,
                           owner: str | None = None) -> list[tuple[str, DueItem]]:
        """Every dated item still to do of the latest reports, for an iCalendar export."""
        rows = self._items(t.due_items.c.due.is_not(None), city, owner, project)
        return [(r["project"], DueItem(
            date.fromisoformat(r["due"]), r["pack"], r["rule"], r["action"], r["kind"],
            r["overdue"], r["text"]["zh"], r["text"]["en"], r["article"],
            date.fromisoformat(r["as_of"]), r["project"])) for r in rows]

    def history(self, key: str) -> dict[str, Any]:
        """The project, its snapshots and its evaluations, oldest first."""
        project = self.project(key)
        with self.engine.connect() as db:
            pid = db.execute(select(t.projects.c.id).where(t.projects.c.key == key)).scalar_one()
            snaps = db.execute(select(t.snapshots.c.id, t.snapshots.c.received_at,
                                      t.snapshots.c.as_of, t.snapshots.c.source,
                                      t.snapshots.c.sha256)
                               .where(t.snapshots.c.project_id == pid)
                               .order_by(t.snapshots.c.id)).mappings().all()
            evals = db.execute(select(t.evaluations.c.id, t.evaluations.c.snapshot_id,
                                      t.evaluations.c.evaluated_at, t.evaluations.c.as_of,
                                      t.evaluations.c.pack_id, t.evaluations.c.pack_version,
                                      t.evaluations.c.pack_sha256, t.evaluations.c.verdict,
                                      t.evaluations.c.binding,
                                      t.evaluations.c.engine_version,
                                      t.evaluations.c.calendar_version,
                                      t.evaluations.c.report_sha256)
                               .where(t.evaluations.c.project_id == pid)
                               .order_by(t.evaluations.c.id)).mappings().all()
            counts: dict[int, dict[str, int]] = {}
            for row in db.execute(select(t.findings.c.evaluation_id, t.findings.c.status,
                                         func.count()).join(
                t.evaluations, t.evaluations.c.id == t.findings.c.evaluation_id)
                    .where(t.evaluations.c.project_id == pid)
                    .group_by(t.findings.c.evaluation_id, t.findings.c.status)):
                counts.setdefault(row[0], {})[row[1]] = int(row[2])
        project["snapshots"] = [
            {"id": s["id"], "received_at": s["received_at"].isoformat(),
             "as_of": s["as_of"].isoformat() if s["as_of"] else None, "source": s["source"],
             "sha256": s["sha256"]} for s in snaps]
        project["evaluations"] = [
            {"id": e["id"], "snapshot": e["snapshot_id"],
             "evaluated_at": e["evaluated_at"].isoformat(), "as_of": e["as_of"].isoformat(),
             "pack": e["pack_id"], "pack_version": e["pack_version"],
             "pack_sha256": e["pack_sha256"], "engine_version": e["engine_version"],
             "calendar_version": e["calendar_version"], "verdict": e["verdict"],
             "binding": e["binding"], "report_sha256": e["report_sha256"],
             "counts": counts.get(e["id"], {})} for e in evals]
        return project

    def changes(self, key: str) -> list[dict[str, Any]]:
        """Per pack: findings opened and closed since the previous evaluation."""
        self.project(key)
        with self.engine.connect() as db:
            evals = db.execute(select(t.evaluations.c.id, t.evaluations.c.pack_id,
                                      t.evaluations.c.as_of, t.evaluations.c.verdict)
                               .join(t.projects, t.projects.c.id == t.evaluations.c.project_id)
                               .where(t.projects.c.key == key)
                               .order_by(t.evaluations.c.id)).mappings().all()
            by_pack: dict[str, list[Any]] = {}
            for ev in evals:
                by_pack.setdefault(ev["pack_id"], []).append(ev)
            out = []
            for pack_id, history in sorted(by_pack.items()):
                current = history[-1]
                previous = history[-2] if len(history) > 1 else None
                now = self._statuses(db, current["id"])
                before = self._statuses(db, previous["id"]) if previous else {}
                opened = sorted(r for r, s in now.items()
                                if s == "violated" and before.get(r) != "violated")
                closed = sorted(r for r, s in before.items()
                                if s == "violated" and now.get(r) != "violated")
                changed = [{"rule": r, "before": before.get(r), "after": now.get(r)}
                           for r in sorted(set(now) | set(before))
                           if before.get(r) != now.get(r)]
                out.append({
                    "pack": pack_id, "evaluation": current["id"],
                    "as_of": current["as_of"].isoformat(), "verdict": current["verdict"],
                    "previous": None if previous is None else {
                        "evaluation": previous["id"], "as_of": previous["as_of"].isoformat(),
                        "verdict": previous["verdict"]},
                    "opened": opened, "closed": closed, "changed": changed})
        return out

    @staticmethod
    def _statuses(db: Any, evaluation: int) -> dict[str, str]:
        rows = db.execute(select(t.findings.c.rule, t.findings.c.status)
                          .where(t.findings.c.evaluation_id == evaluation))
        return {r[0]: r[1] for r in rows}

    def summary(self, *, on: date | None = None, days: int = 30) -> dict[str, Any]:
        """Per city and per owner: projects, non-compliant ones, overdue and due items."""
        day = on or date.today()
        groups: dict[str, dict[str, dict[str, int]]] = {"city": {}, "owner": {}}
        for project in self.projects():
            for axis in ("city", "owner"):
                cell = groups[axis].setdefault(project[axis] or "-", {
                    "projects": 0, "non_compliant": 0, "overdue": 0, "due": 0})
                cell["projects"] += 1
                cell["non_compliant"] += "non_compliant" in project["verdicts"].values()
        for kind, items in (("overdue", self.overdue(on=day)),
                            ("due", self.due(on=day, days=days))):
            for item in items:
                for axis in ("city", "owner"):
                    groups[axis].setdefault(item[axis] or "-", {
                        "projects": 0, "non_compliant": 0, "overdue": 0, "due": 0})[kind] += 1
        return {"on": day.isoformat(), "days": days, **groups}



