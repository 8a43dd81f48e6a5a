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
        ensure_current(db)
    pinned = None
    meta = tables.meta
    with db.reading() as conn:
        value = conn.execute(select(meta.c.value).where(meta.c.key == PINNED_TODAY)).scalar()
    if value:
        pinned = date.fromisoformat(value)
    return db, pinned


def pin_today(db: Database, day: date | None) -> None:
    from planner.store.models import Meta

    with db.write() as session:
        row = session.get(Meta, PINNED_TODAY) or Meta(key=PINNED_TODAY)
        row.value = day.isoformat() if day else ""
        session.add(row)
