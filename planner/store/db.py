"""A database handle: one engine, short write and read transactions.

Never hold a transaction open while a person decides: services open one, do their work and
commit (or roll back on any error, leaving the database exactly as it was).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection, Engine

from planner.store.engine import READ_OPTION, database_url, is_sqlite, make_engine, sqlite_path

if TYPE_CHECKING:
    from sqlmodel import Session


class Database:
    def __init__(self, db: str) -> None:
        self.url = database_url(db)
        self.engine: Engine = make_engine(self.url)
        self._read_engine = self.engine.execution_options(**{READ_OPTION: True})

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
        """A write transaction: committed when the block ends, rolled back on any error."""
        from sqlmodel import Session  # the ORM: not needed by commands that only read

        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

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
