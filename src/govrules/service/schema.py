"""The portfolio store's tables (SQLAlchemy 2 Core); Alembic migrations create them.

``projects`` have ``snapshots`` over time; each ``evaluation`` of a snapshot under one
pack keeps the report exactly as produced (``report``, its ``report_sha256``) and its
provenance (engine version, pack id/version/sha256, calendar version, backend, options),
with the pack's source text in ``packs`` (keyed by its sha256), so a stored report can
be replayed and compared byte for byte. ``findings`` and ``due_items`` copy from each
report what the portfolio queries read (what changed, what is due, what is overdue).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = ["due_items", "evaluations", "findings", "metadata", "packs", "projects",
           "snapshots"]

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

projects = Table(
    "projects", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("name", String(500)),
    Column("city", String(100)),
    Column("owner", String(500)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

snapshots = Table(
    "snapshots", metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("source", String(1000), nullable=False),
    Column("fmt", String(10), nullable=False),
    Column("content", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("as_of", Date),
)

packs = Table(
    "packs", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("pack_id", String(100), nullable=False),
    Column("version", String(100), nullable=False),
    Column("text", Text),
)

evaluations = Table(
    "evaluations", metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("snapshot_id", ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("evaluated_at", DateTime(timezone=True), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("pack_id", String(100), nullable=False),
    Column("pack_version", String(100), nullable=False),
    Column("pack_sha256", ForeignKey("packs.sha256"), nullable=False),
    Column("engine_version", String(50), nullable=False),
    Column("calendar_version", String(200), nullable=False),
    Column("backend", String(50), nullable=False),
    Column("include_all", Boolean, nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("binding", Boolean, nullable=False),
    Column("report", Text, nullable=False),
    Column("report_sha256", String(64), nullable=False),
    Index("ix_evaluations_project_pack", "project_id", "pack_id", "id"),
)



def _of_evaluation(name: str, *columns: Column[Any] | Index) -> Table:
    """A table of rows that belong to one evaluation (deleted with it), keyed by rule."""
    return Table(
        name, metadata,
        Column("id", Integer, primary_key=True),
        Column("evaluation_id", ForeignKey("evaluations.id", ondelete="CASCADE"),
               nullable=False, index=True),
        *columns,
    )


findings = _of_evaluation(
    "findings",
    Column("rule", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("article", String(50), nullable=False),
    Column("due", Date),
)

due_items = _of_evaluation(
    "due_items",
    Column("due", Date, nullable=False, index=True),
    Column("rule", String(200), nullable=False),
    Column("action", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("overdue", Boolean, nullable=False),
    Column("article", String(50), nullable=False),
    Column("text_zh", Text, nullable=False),
    Column("text_en", Text, nullable=False),
)
