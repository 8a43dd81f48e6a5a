"""Schema migrations: applied on start, Alembic imported only when the schema is behind.

A SQLite database is copied with the online backup API before it is migrated, because SQLite
runs a migration without a transaction around the DDL.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text

from planner.store.db import Database

#: The newest revision in planner/store/migrations/versions; a test keeps them in step.
HEAD_REVISION = "0003_import15"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def _alembic_config(db: Database) -> Any:
    from alembic.config import Config  # 0.07 s: only when a migration is due

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str | None]:
    """Upgrade to `revision`; returns (before, after)."""
    from alembic import command

    before = current_revision(db)
    if before is not None and db.path is not None and db.path.exists():
        backup_sqlite(db.path, db.path.with_name(db.path.name + f".before-{revision}.bak"))
    cfg = _alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return before, current_revision(db)


def ensure_current(db: Database) -> bool:
    """Bring the schema to HEAD_REVISION; True when a migration ran."""
    if current_revision(db) == HEAD_REVISION:
        return False
    upgrade(db)
    return True


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database with the online backup API (safe while others write)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + f".{datetime.now().strftime('%H%M%S%f')}.part")
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(target)
