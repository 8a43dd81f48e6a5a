"""Open a database for a command: migrate it, and learn whether "today" is pinned (demo).

A database someone named (`--db`, `PLANNER_DB`, the config file) is only created by the
commands meant to create one; any other command refuses a name that leads nowhere, so a
mistyped path is an error instead of a new, empty database.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from sqlalchemy import select

from planner.i18n import _
from planner.services.errors import InputError
from planner.store import tables
from planner.store.db import Database
from planner.store.engine import database_url, sqlite_path
from planner.store.migrate import SchemaRefused, current_revision, ensure_current, refuse_foreign

PINNED_TODAY = "pinned_today"


def _how_to_create() -> str:
    """What to tell someone whose named database does not exist yet."""
    return _("`planner init`, `planner seed load FILE`, `planner import plan FILE` or "
             "`planner restore FILE`")


def require_existing(location: str) -> None:
    """Refuse (exit 2, naming the path) a SQLite file that does not exist, before anything
    (the engine creates a missing file and its folders) could create it."""
    path = sqlite_path(database_url(location))
    if path is None:
        return
    try:
        _require_file(path)
    except OSError as exc:  # a name too long for the file system, a folder we may not read
        from planner.presentation.text import clip

        raise InputError(_("Cannot open the database {path}: {reason}").format(
            path=clip(str(path), 120), reason=exc.strerror or exc)) from None


def _require_file(path: Path) -> None:
    if path.is_file() and path.stat().st_size == 0:  # opening it would make it a database
        raise InputError(_("{db} holds no planner database. Check the name; to create one "
                           "there, use {how}.").format(db=path, how=_how_to_create()))
    if path.exists():
        return
    folder = path.parent
    if not folder.is_dir():
        raise InputError(_("No database at {path}: the folder {folder} does not exist. Check the "
                           "name; to create a database there, use {how}.").format(
            path=path, folder=folder, how=_how_to_create()))
    raise InputError(_("No database at {path}: the file does not exist. Check the name; to "
                       "create it, use {how}.").format(path=path, how=_how_to_create()))


def connect(location: str, *, label: str = "--db", read_only: bool = False) -> Database:
    """The database at `location` (a SQLite file path or a URL), or InputError saying why
    planner cannot use it: another engine, a driver that is not installed, a bad address, a
    path that is not a file (a FIFO would block, a device is not a database). `read_only`:
    every connection refuses writes (see `store.engine.make_engine`)."""
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
        return Database(location, read_only=read_only)
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


def open_database(location: str, *, migrate: bool = True,
                  create: bool = True) -> tuple[Database, date | None]:
    """Open (and migrate) the database at `location`. With `create=False` a database that does
    not exist, or holds no planner schema, is refused and nothing is written."""
    if not create:
        require_existing(location)
    db = connect(location)
    if db.path is not None:
        # What a killed restore left beside the database (a private copy of a backup).
        from planner.io.backup import remove_restore_leftovers

        remove_restore_leftovers(db.path.parent)
    try:
        refuse_foreign(db)  # another application's database is named as such, untouched
        if not create and current_revision(db) is None:
            raise InputError(_("{db} holds no planner database. Check the name; to create one "
                               "there, use {how}.").format(db=db.describe(), how=_how_to_create()))
        if migrate:
            if not db.is_sqlite:
                _server_may_migrate(db)
            ensure_current(db)
            if not db.is_sqlite:
                _server_security(db)
        else:
            refuse_foreign(db)
        from planner.services.anchors import keep_after_write

        db.after_write.append(keep_after_write)
        pinned = pinned_today(db)
    except SchemaRefused as exc:
        db.dispose()
        raise InputError(exc.message) from None
    except BaseException:
        db.dispose()
        raise
    return db, pinned


def pinned_today(db: Database) -> date | None:
    """The "today" a demo database is pinned to, if any."""
    meta = tables.meta
    with db.reading() as conn:
        value = conn.execute(select(meta.c.value).where(meta.c.key == PINNED_TODAY)).scalar()
    return date.fromisoformat(value) if value else None


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
