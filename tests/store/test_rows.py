"""`fetch` returns what SQLAlchemy's own result rows hold, on both engines."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from planner.io.seedfile import load_seed_file
from planner.services.plan_load import load_seed
from planner.services.session import open_database
from planner.store.models import ChangeLog, Occurrence, Task
from planner.store.rows import fetch

SEED = Path(__file__).resolve().parents[2] / "seed" / "plan-2022.toml"


def test_fetch_converts_dates_and_booleans_as_sqlalchemy_does(db_url: str) -> None:
    db, _pinned = open_database(db_url)
    load_seed(db, load_seed_file(SEED), actor="coordinator")
    stmt = (select(Task.code, Task.due_on, Task.continuous, Task.recurrence, Occurrence.due_on)
            .join(Occurrence, col(Occurrence.task_id) == Task.id, isouter=True)
            .where(col(Task.due_on) < date(2022, 7, 1))
            .order_by(col(Task.id), col(Occurrence.due_on)))
    with db.read() as session:
        conn = session.connection()
        expected = [tuple(row) for row in conn.execute(stmt)]
        got = [tuple(row) for row in fetch(conn, stmt)]
    db.dispose()
    assert got == expected
    assert len(got) > 5
    assert all(isinstance(row[1], date) and isinstance(row[2], bool) for row in got)
    # A date parameter is bound as the engine expects: nothing due on or after 1 July.
    assert max(row[1] for row in got) < date(2022, 7, 1)


def test_fetch_reads_a_timestamp_as_a_timestamp(db_url: str) -> None:
    """A DateTime column read through `fetch` is a datetime on both engines, equal to what
    SQLAlchemy's rows hold (it once came back as the stored text on SQLite)."""
    db, _pinned = open_database(db_url)
    load_seed(db, load_seed_file(SEED), actor="coordinator")
    stmt = select(ChangeLog.id, ChangeLog.at, ChangeLog.action).order_by(col(ChangeLog.id))
    with db.read() as session:
        conn = session.connection()
        expected = [tuple(row) for row in conn.execute(stmt)]
        got = [tuple(row) for row in fetch(conn, stmt)]
    db.dispose()
    assert got and got == expected
    assert all(isinstance(row[1], datetime) for row in got)
