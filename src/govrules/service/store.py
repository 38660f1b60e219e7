"""The portfolio store: opening a database by URL and bringing its schema up to date.

SQLite is the embedded default (one file in the user's data folder, nothing to set up);
PostgreSQL is for a store that several servers share. The schema is versioned by the
Alembic migrations shipped in :mod:`govrules.service.migrations` and applied from empty
(or from any earlier version) when a store is opened.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

__all__ = ["HEAD", "default_db_url", "migrate", "open_engine", "schema_revision"]

HEAD = "0001"
"""The schema revision this version of govrules writes."""


def data_dir() -> Path:
    """The per-user data folder: ``$XDG_DATA_HOME/govrules`` and its platform twins."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "govrules"


def default_db_url() -> str:
    """``$GOVRULES_DB``, else a SQLite file in the user's data folder."""
    configured = os.environ.get("GOVRULES_DB")
    if configured:
        return configured
    return f"sqlite:///{data_dir() / 'portfolio.sqlite3'}"


def _normalised(url: str) -> str:
    """``postgresql://`` uses psycopg 3 (the ``postgres`` extra); a bare path is SQLite."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def open_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created, WAL and foreign keys on."""
    parsed = make_url(_normalised(url))
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        options.update(pool_pre_ping=True, pool_size=10, max_overflow=20)
    engine = create_engine(parsed, **options)
    if parsed.get_backend_name() == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, record: Any) -> None:
            del record
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    """Apply the shipped migrations up to ``revision`` (from empty, or from any version)."""
    from alembic import command  # noqa: PLC0415 - optional extra, imported on use
    from alembic.config import Config  # noqa: PLC0415 - optional extra, imported on use

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def schema_revision(engine: Engine) -> str | None:
    """The store's current schema revision (``None`` for an empty database)."""
    if not inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as connection:
        value = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return str(value) if value is not None else None
