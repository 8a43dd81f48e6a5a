"""Open a database for a command: migrate it, and learn whether "today" is pinned (demo)."""

from __future__ import annotations

import os
from datetime import date

from sqlalchemy import select

from planner.store import tables
from planner.store.db import Database
from planner.store.migrate import SchemaRefused, ensure_current, refuse_foreign

PINNED_TODAY = "pinned_today"


def connect(location: str, *, label: str = "--db") -> Database:
    """The database at `location` (a SQLite file path or a URL), or InputError saying why
    planner cannot use it: another engine, a driver that is not installed, a bad address, a
    path that is not a file (a FIFO would block, a device is not a database)."""
    from sqlalchemy.exc import ArgumentError

    from planner.i18n import _
    from planner.services.errors import InputError
    from planner.store.engine import UnsupportedDatabase, database_url, sqlite_path

    try:
        path = sqlite_path(database_url(location))
    except ArgumentError:
        path = None
    if path is not None and os.path.lexists(path):
        if not path.exists():
            raise InputError(_("{label} {db}: a symbolic link to nothing, not a database file.").format(
                label=label, db=location))
        from planner.io.files import FileRefused, regular_file

        try:
            regular_file(path)
        except FileRefused as exc:
            raise InputError(_("{label} {db}: {reason}.").format(
                label=label, db=location, reason=exc.reason)) from None
    try:
        return Database(location)
    except UnsupportedDatabase as exc:
        if exc.driver:
            raise InputError(_(
                "{label} {db}: the {driver} driver for {engine} is not installed; planner connects "
                "to PostgreSQL with postgresql+psycopg://USER@HOST/DATABASE.").format(
                label=label, db=location, driver=exc.driver, engine=exc.backend)) from None
        raise InputError(_(
            "{label} {db}: planner works with SQLite files and PostgreSQL "
            "(postgresql+psycopg://USER@HOST/DATABASE), not {engine}.").format(
            label=label, db=location, engine=exc.backend)) from None
    except ArgumentError as exc:
        raise InputError(_("{label} {db}: not a database file or URL ({reason}).").format(
            label=label, db=location, reason=str(exc).splitlines()[0])) from None
    except OSError as exc:
        raise InputError(_("{label} {db}: cannot use this path: {reason}").format(
            label=label, db=location, reason=exc.strerror or exc)) from None


def open_database(location: str, *, migrate: bool = True) -> tuple[Database, date | None]:
    db = connect(location)
    if db.path is not None:
        # What a killed restore left beside the database (a private copy of a backup).
        from planner.io.backup import remove_restore_leftovers

        remove_restore_leftovers(db.path.parent)
    try:
        if migrate:
            ensure_current(db)
        else:
            refuse_foreign(db)
    except SchemaRefused as exc:
        db.dispose()
        from planner.services.errors import InputError

        raise InputError(exc.message) from None
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
