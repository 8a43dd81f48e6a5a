"""Open a database for a command: migrate it, and learn whether "today" is pinned (demo)."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from planner.store.db import Database
from planner.store.migrate import ensure_current
from planner.store.models import Meta

PINNED_TODAY = "pinned_today"


def open_database(location: str, *, migrate: bool = True) -> tuple[Database, date | None]:
    db = Database(location)
    if migrate:
        ensure_current(db)
    pinned = None
    with db.read() as session:
        row = session.exec(select(Meta).where(Meta.key == PINNED_TODAY)).first()
        if row is not None and row.value:
            pinned = date.fromisoformat(row.value)
    return db, pinned


def pin_today(db: Database, day: date | None) -> None:
    with db.write() as session:
        row = session.get(Meta, PINNED_TODAY) or Meta(key=PINNED_TODAY)
        row.value = day.isoformat() if day else ""
        session.add(row)
