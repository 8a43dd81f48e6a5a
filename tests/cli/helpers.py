"""Helpers for CLI tests: a fingerprint of the whole database to prove nothing was written."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import MetaData, create_engine, select

from planner.store.engine import database_url


def fingerprint(db: str) -> str:
    """A hash of every row of every table (the change log included), on either engine."""
    engine = create_engine(database_url(str(db)))
    try:
        meta = MetaData()
        meta.reflect(engine)
        digest = hashlib.sha256()
        with engine.connect() as conn:
            for name in sorted(meta.tables):
                table = meta.tables[name]
                digest.update(name.encode())
                for row in conn.execute(select(table).order_by(*table.columns)):
                    digest.update(repr(tuple(row)).encode())
        return digest.hexdigest()
    finally:
        engine.dispose()


def count(db: str, table: str) -> int:
    engine = create_engine(database_url(str(db)))
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one())
    finally:
        engine.dispose()


def rechain(db: str) -> None:
    """Recompute every hash of the change log with planner's own function, as a forger who
    edited the log would: the chain then holds together, and only an anchor kept outside the
    database shows the rewrite."""
    from planner.store.chain import entry_hash
    from planner.store.models import ChangeLog

    log: Any = ChangeLog.__table__  # type: ignore[attr-defined]  # aware timestamps, as written

    engine = create_engine(database_url(str(db)))
    try:
        with engine.begin() as conn:
            previous = ""
            for row in list(conn.execute(select(log).order_by(log.c.id))):
                values = {**row._mapping, "prev_hash": previous}

                class Entry:
                    pass

                entry = Entry()
                entry.__dict__.update(values)
                digest = entry_hash(entry)
                conn.execute(log.update().where(log.c.id == row.id).values(
                    prev_hash=previous, hash=digest))
                previous = digest
    finally:
        engine.dispose()
