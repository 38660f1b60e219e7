"""The portfolio store on SQLite and on a real PostgreSQL server: migrations from empty,
the schema the migrations build equals the tables the code declares, byte-for-byte replay."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from sqlalchemy import text, update

from govrules.service import schema
from govrules.service.portfolio import Portfolio
from govrules.service.store import HEAD, migrate, open_engine, schema_revision
from tests.service.conftest import EXAMPLES


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    server: str = request.getfixturevalue("postgres_url")
    name = "t" + uuid.uuid4().hex[:12]
    admin = open_engine(server)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
        db.execute(text(f"CREATE DATABASE {name}"))
    yield server.rsplit("/", 1)[0] + "/" + name
    admin.dispose()


def test_migrations_from_empty_build_the_declared_schema(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = open_engine(db_url)
    assert schema_revision(engine) is None
    migrate(engine)
    assert schema_revision(engine) == HEAD
    with engine.connect() as db:
        diff = compare_metadata(MigrationContext.configure(db), schema.metadata)
    assert diff == []
    migrate(engine)  # idempotent
    engine.dispose()


def _add(store: Portfolio, name: str, **changes: object) -> str:
    data = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    for path, value in changes.items():
        group, field = path.split("__")
        data[group][field] = value
    saved = store.add_snapshot(yaml.safe_dump(data, allow_unicode=True), "yaml", name)
    store.evaluate(saved.project)
    return saved.project


def test_store_round_trip_and_replay(db_url: str,
                                     report_contract: dict[str, Any] | None) -> None:
    store = Portfolio.open(db_url)
    key = _add(store, "guiyang-violations.yaml")
    _add(store, "guiyang-violations.yaml", procurement__bid_result_filed=True)
    for name in ("jincheng-project.yaml", "shangrao-project.yaml", "taiyuan-project.yaml"):
        _add(store, name)
    history = store.history(key)
    assert [e["verdict"] for e in history["evaluations"]] == ["non_compliant"] * 2
    first, second = (e["id"] for e in history["evaluations"])
    if report_contract is not None:
        jsonschema.validate(json.loads(store.report_text(second)), report_contract)
    for evaluation in (first, second):
        replay = store.replay(evaluation)
        assert replay.verified, replay.notes
        assert replay.replayed_sha256 == replay.stored_sha256
    changes = store.changes(key)[0]
    assert changes["closed"] == ["guiyang.12.bid-result-filed"]
    assert changes["opened"] == []
    due = store.due(on=date(2025, 11, 20), days=45)
    assert {(d["project"], d["due"]) for d in due if d["project"] == key} == {
        (key, "2025-12-31")}
    overdue = store.overdue(on=date(2026, 3, 1), city="guiyang")
    assert {d["due"] for d in overdue} == {"2025-12-31", "2026-02-28"}
    # Jincheng 15: the contract was filed, two days late (a violation, nothing to do);
    # Jincheng 21: the acceptance report is still not filed (overdue)
    late = store.overdue(on=date(2026, 3, 1), city="jincheng")
    assert [(d["rule"], d["due"]) for d in late] == [("jincheng.21.report-filed",
                                                      "2025-11-11")]
    assert {p["city"] for p in store.projects()} == {"guiyang", "jincheng", "shangrao",
                                                    "taiyuan"}
    assert store.summary(on=date(2026, 3, 1))["city"]["guiyang"]["overdue"] == 2
    # a stored report altered afterwards no longer verifies
    with store.engine.begin() as db:
        db.execute(update(schema.evaluations).where(schema.evaluations.c.id == first)
                   .values(report=store.report_text(first).replace("non_compliant",
                                                                   "compliant", 1)))
    assert not store.replay(first).verified
    store.engine.dispose()


def test_an_unknown_project_is_a_located_error(db_url: str) -> None:
    from govrules.base.errors import InputError

    store = Portfolio.open(db_url)
    with pytest.raises(InputError) as err:
        store.history("nobody")
    assert err.value.code == "unknown-project"
    store.engine.dispose()
