"""The portfolio: projects, snapshots, packs, evaluations, findings, due items.

The tables are written out here rather than taken from ``govrules.service.schema``: a
migration is the record of one revision and must not change when the declared tables
change (the next revision would then find them already altered). That the migrations
from empty build exactly the declared tables is a test (``tests/service/test_store.py``,
on SQLite and PostgreSQL).

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("name", sa.String(500), nullable=True),
        sa.Column("city", sa.String(100), nullable=True),
        sa.Column("owner", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_projects"),
        sa.UniqueConstraint("key", name="uq_projects_key"),
    )
    op.create_table(
        "packs",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("pack_id", sa.String(100), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("sha256", name="pk_packs"),
    )
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(1000), nullable=False),
        sa.Column("fmt", sa.String(10), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE",
                                name="fk_snapshots_project_id_projects"),
        sa.PrimaryKeyConstraint("id", name="pk_snapshots"),
    )
    op.create_index("ix_snapshots_project_id", "snapshots", ["project_id"])
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("pack_id", sa.String(100), nullable=False),
        sa.Column("pack_version", sa.String(100), nullable=False),
        sa.Column("pack_sha256", sa.String(64), nullable=False),
        sa.Column("engine_version", sa.String(50), nullable=False),
        sa.Column("calendar_version", sa.String(200), nullable=False),
        sa.Column("backend", sa.String(50), nullable=False),
        sa.Column("include_all", sa.Boolean(), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("binding", sa.Boolean(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("report_sha256", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["pack_sha256"], ["packs.sha256"],
                                name="fk_evaluations_pack_sha256_packs"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE",
                                name="fk_evaluations_project_id_projects"),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE",
                                name="fk_evaluations_snapshot_id_snapshots"),
        sa.PrimaryKeyConstraint("id", name="pk_evaluations"),
    )
    op.create_index("ix_evaluations_snapshot_id", "evaluations", ["snapshot_id"])
    op.create_index("ix_evaluations_project_pack", "evaluations",
                    ["project_id", "pack_id", "id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("article", sa.String(50), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluations.id"], ondelete="CASCADE",
                                name="fk_findings_evaluation_id_evaluations"),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
    )
    op.create_index("ix_findings_evaluation_id", "findings", ["evaluation_id"])
    op.create_table(
        "due_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("action", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("article", sa.String(50), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluations.id"], ondelete="CASCADE",
                                name="fk_due_items_evaluation_id_evaluations"),
        sa.PrimaryKeyConstraint("id", name="pk_due_items"),
    )
    op.create_index("ix_due_items_evaluation_id", "due_items", ["evaluation_id"])
    op.create_index("ix_due_items_due", "due_items", ["due"])


def downgrade() -> None:
    for table in ("due_items", "findings", "evaluations", "snapshots", "packs", "projects"):
        op.drop_table(table)
