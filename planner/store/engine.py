"""Engine factory: a SQLite file by default, any SQLAlchemy URL (PostgreSQL) by choice.

SQLite connections use WAL, synchronous=FULL, foreign keys and a busy timeout, and every
transaction starts with BEGIN IMMEDIATE so concurrent writers queue instead of failing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import StaticPool

BUSY_TIMEOUT_MS = 15_000
READ_OPTION = "planner_read"


def database_url(db: str) -> str:
    """A SQLAlchemy URL for `db`: a URL is kept as is, anything else is a SQLite file path."""
    if "://" in db:
        return db
    path = Path(db).expanduser()
    return f"sqlite:///{path}"


#: The engines planner runs on, and the driver each URL names (psycopg 3 for PostgreSQL).
SUPPORTED_ENGINES = ("sqlite", "postgresql")


class UnsupportedDatabase(ValueError):
    """A database URL planner cannot use: another engine, or a driver that is not installed."""

    def __init__(self, url: str, backend: str, driver: str | None = None) -> None:
        super().__init__(url)
        self.url = url
        self.backend = backend
        self.driver = driver


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for in-memory databases and other engines)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str, *, echo: bool = False, read_only: bool = False) -> Engine:
    """Build an engine for `url`; creates the parent directory of a SQLite file.

    Raises UnsupportedDatabase for an engine other than SQLite or PostgreSQL, or a driver that
    is not installed (mysql://, postgresql+asyncpg://).

    `read_only`: every connection refuses writes (what-if opens the database this way): a
    SQLite file is opened with `mode=ro` and `query_only`, a PostgreSQL session with
    `default_transaction_read_only`.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_ENGINES:
        raise UnsupportedDatabase(url, backend)
    try:
        return _make_engine(url, echo, read_only)
    except ImportError:  # the URL names a driver that is not installed
        raise UnsupportedDatabase(url, backend, parsed.get_driver_name()) from None


def _make_engine(url: str, echo: bool, read_only: bool) -> Engine:
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        path = sqlite_path(url)
        if read_only and path is not None:
            import sqlite3

            uri = path.resolve().as_uri() + "?mode=ro"

            def connect() -> sqlite3.Connection:
                return sqlite3.connect(
                    uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
                )

            engine = create_engine("sqlite://", creator=connect, **kwargs)
            _configure_read_only_sqlite(engine)
            return engine
        if path is None:
            kwargs["poolclass"] = StaticPool
        else:
            # Pooled connections: closing a SQLite connection checkpoints the WAL, which made
            # every short transaction pay for a reconnect and a checkpoint.
            path.parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, in_memory=path is None)
        return engine
    kwargs["pool_pre_ping"] = True
    if read_only:
        kwargs["connect_args"] = {"options": "-c default_transaction_read_only=on"}
    return create_engine(url, **kwargs)


def _configure_read_only_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA query_only=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA cache_size=-20000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def _configure_sqlite(engine: Engine, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions start (see _on_begin).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not in_memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA cache_size=-20000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A read-then-write transaction started with a plain BEGIN fails with "database is
        # locked" under concurrency; IMMEDIATE takes the write lock up front and waits for it.
        # Read-only sessions (execution option `planner_read`) keep a deferred BEGIN so they
        # never queue behind writers.
        if conn.get_execution_options().get(READ_OPTION):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
