"""Schema migrations: applied on start, Alembic imported only when the schema is behind.

A SQLite database is copied with the online backup API before it is migrated, because SQLite
runs a migration without a transaction around the DDL.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text

from planner.store.db import Database

#: The newest revision in planner/store/migrations/versions; a test keeps them in step.
HEAD_REVISION = "0009_rank16"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class SchemaRefused(Exception):
    """A database planner will not migrate: another application's, or a newer planner's.
    `message` is translated and names the database."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def known_revisions() -> list[str]:
    """The schema revisions of this planner, oldest first (from the migration scripts)."""
    found = []
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        m = re.search(r'^revision(?::\s*str)?\s*=\s*["\']([^"\']+)["\']', path.read_text("utf-8"),
                      re.MULTILINE)
        if m:
            found.append(m[1])
    return found


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


def _name(db: Database) -> str:
    return str(db.path) if db.path is not None else db.describe()


def _probe_sqlite(path: Path) -> tuple[list[str], str | None] | None:
    """The tables and revision of a SQLite file, read without changing it (opening it through
    the engine would switch it to WAL); None when it is new, empty or unreadable as SQLite (the
    engine then says why)."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        return [t for t in tables if not t.startswith("sqlite_")], revision
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def check_migratable(db: Database, before: str | None, tables: list[str] | None = None) -> None:
    """Refuse to migrate a database that holds tables but no planner revision (another
    application's file: migrating it would add planner's tables to it), or whose revision this
    planner does not know (made by a newer planner)."""
    from planner.i18n import _

    if before is None:
        if tables is None:
            with db.engine.connect() as conn:
                tables = [t for t in inspect(conn).get_table_names() if not t.startswith("sqlite_")]
        tables = [t for t in tables if t != "alembic_version"]
        if tables:
            shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
            raise SchemaRefused(_(
                "{db} is not a planner database: it holds another application's tables ({tables}). "
                "Nothing was changed; give planner its own database.").format(
                db=_name(db), tables=shown))
        return
    if before not in known_revisions():
        raise SchemaRefused(_(
            "{db} has schema revision {rev}, unknown to this planner (made by a newer version?). "
            "Nothing was changed.").format(db=_name(db), rev=before))


def refuse_foreign(db: Database) -> None:
    """SchemaRefused for a database that is not planner's (`check_migratable`), judged without
    changing anything in it: a SQLite file is read before the engine opens it (and switches it
    to WAL)."""
    probe = _probe_sqlite(db.path) if db.path is not None else None
    if probe is not None:
        check_migratable(db, probe[1], probe[0])
    elif db.path is None:
        check_migratable(db, current_revision(db))


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str | None]:
    """Upgrade to `revision`; returns (before, after). Raises SchemaRefused for a database
    that is not planner's (see `check_migratable`)."""
    refuse_foreign(db)
    before = current_revision(db)
    check_migratable(db, before)
    from alembic import command
    if before is not None and before == (HEAD_REVISION if revision == "head" else revision):
        return before, before  # nothing to do: no backup, no Alembic
    if before is not None and db.path is not None and db.path.exists():
        backup_sqlite(db.path, db.path.with_name(db.path.name + f".before-{revision}.bak"))
    cfg = _alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return before, current_revision(db)


def ensure_current(db: Database) -> bool:
    """Bring the schema to HEAD_REVISION; True when a migration ran. Raises SchemaRefused for
    a database that is not planner's, before anything in it is changed."""
    probe = _probe_sqlite(db.path) if db.path is not None else None
    if probe is not None:
        tables, revision = probe
        if revision == HEAD_REVISION:
            return False
        check_migratable(db, revision, tables)
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
