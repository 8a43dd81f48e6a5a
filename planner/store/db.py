"""A database handle: one engine, short write and read transactions.

Never hold a transaction open while a person decides: services open one, do their work and
commit (or roll back on any error, leaving the database exactly as it was).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection, Engine

from planner.store.engine import READ_OPTION, database_url, is_sqlite, make_engine, sqlite_path

if TYPE_CHECKING:
    from sqlmodel import Session


class Database:
    def __init__(self, db: str, *, read_only: bool = False) -> None:
        self.url = database_url(db)
        self.read_only = read_only
        self.engine: Engine = make_engine(self.url, read_only=read_only)
        self._read_engine = self.engine.execution_options(**{READ_OPTION: True})
        #: Called after each committed write (the services keep the change log's anchor).
        self.after_write: list[Callable[[Database], None]] = []

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @property
    def path(self):  # type: ignore[no-untyped-def]
        return sqlite_path(self.url)

    def describe(self) -> str:
        """The URL with any password hidden."""
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on any error.
        Every covered row it writes must be logged (`planner.store.rowlog`)."""
        from sqlmodel import Session  # the ORM: not needed by commands that only read

        from planner.store import rowlog

        with Session(self.engine, expire_on_commit=False) as session:
            rowlog.track(session)
            try:
                yield session
                session.flush()
                unlogged = rowlog.pending(session)
                if unlogged:
                    raise rowlog.UnloggedChange(
                        "rows of " + ", ".join(unlogged) + " were written without a change-log entry")
                session.commit()
            except BaseException:
                session.rollback()
                raise
        for hook in self.after_write:
            hook(self)

    @contextmanager
    def read(self) -> Iterator[Session]:
        # Closing (not rolling back) ends the transaction without expiring the loaded rows,
        # which callers keep using after the block.
        from sqlmodel import Session

        with Session(self._read_engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction on a Core connection, for whole-plan reads through
        `planner.store.tables`: no ORM, no SQLModel, no pydantic to import."""
        with self._read_engine.connect() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()
