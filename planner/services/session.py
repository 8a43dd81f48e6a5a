"""Open a database for a command: migrate it, and learn whether "today" is pinned (demo)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from planner.store import tables
from planner.store.db import Database
from planner.store.migrate import ensure_current

PINNED_TODAY = "pinned_today"


def open_database(location: str, *, migrate: bool = True) -> tuple[Database, date | None]:
    db = Database(location)
    if migrate:
        if not db.is_sqlite:
            _server_may_migrate(db)
        ensure_current(db)
        if not db.is_sqlite:
            _server_security(db)
    from planner.services.anchors import keep_after_write

    db.after_write.append(keep_after_write)
    pinned = None
    meta = tables.meta
    with db.reading() as conn:
        value = conn.execute(select(meta.c.value).where(meta.c.key == PINNED_TODAY)).scalar()
    if value:
        pinned = date.fromisoformat(value)
    return db, pinned


def _server_may_migrate(db: Database) -> None:
    """On PostgreSQL only the owner creates or upgrades the schema; others are told whom to ask."""
    from planner.store.migrate import HEAD_REVISION, current_revision

    revision = current_revision(db)
    if revision == HEAD_REVISION:
        return
    from planner.services import identity

    identity.require_owner_to_migrate(db, revision, HEAD_REVISION)


def _server_security(db: Database) -> None:
    """The database's owner (re)applies the roles, grants and policies that enforce planner's
    rules in PostgreSQL itself (`store.pg_security`); an owner without CREATEROLE cannot, and
    planner's own checks still apply."""
    import contextlib

    from sqlalchemy.exc import DBAPIError

    from planner.store import pg_security

    with contextlib.suppress(DBAPIError), db.engine.begin() as conn:
        pg_security.ensure(conn)


def pin_today(db: Database, day: date | None, *, actor: str, real_actor: str = "") -> None:
    """Pin (or, with None, unpin) "today" for everyone using this database; logged, since
    every figure as of today depends on it."""
    from planner.services import audit
    from planner.store.models import Meta

    with db.write() as session:
        row = session.get(Meta, PINNED_TODAY)
        before = audit.snapshot(row)
        row = row or Meta(key=PINNED_TODAY)
        row.value = day.isoformat() if day else ""
        session.add(row)
        session.flush()
        audit.record(session, actor=actor, real_actor=real_actor, action="meta.set",
                     entity="meta", entity_id=PINNED_TODAY, label=PINNED_TODAY, before=before,
                     after=audit.snapshot(row))
