"""Which rows a write transaction changed, and their images for the change log.

Every table of the schema but the attachments (which verify themselves by SHA-256) and the
change log itself is *covered*: each row written through planner is named, with its image or
its digest, in the change-log entry of the change that wrote it, so `planner check` can tell
a row written behind planner's back (inserted, deleted or altered) from one planner wrote. A
table added to the models is covered without further work.

A write session (`Database.write()`) is tracked: rows the ORM flushes, and rows that Core
statements run through the session insert, update or delete, are remembered until
`audit.record` collects them into its entry. A write transaction that changed a covered row
without logging it is refused when it commits (`UnloggedChange`), so no service can forget.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, event, func, insert, inspect, select, tuple_
from sqlalchemy.engine import Connection

#: Tables not covered: attachments hash themselves; the change log is the record itself.
UNCOVERED = frozenset({"blob", "change_log", "alembic_version"})
#: An entry with at most this many rows keeps whole images (so `check` can name the column
#: that changed); a larger one (loading a whole plan) keeps a 128-bit digest per row.
IMAGE_LIMIT = 40
_KEY = "planner_rowlog"
_CHUNK = 400


class UnloggedChange(RuntimeError):
    """A write changed covered rows without writing a change-log entry for them."""


def covered_tables() -> list[Table]:
    from planner.store.models import metadata

    return [t for name, t in sorted(metadata.tables.items()) if name not in UNCOVERED]


def _table(name: str) -> Table | None:
    from planner.store.models import metadata

    return None if name in UNCOVERED else metadata.tables.get(name)


def normal(value: Any) -> Any:
    """A column value as the log keeps it, the same on SQLite and PostgreSQL."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def image(table: Table, row: Any) -> dict[str, Any]:
    mapping = row._mapping if hasattr(row, "_mapping") else row
    return {c.key: normal(mapping[c.key]) for c in table.columns if c.key != "content"}


def digest(img: dict[str, Any]) -> str:
    text = json.dumps(img, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def row_key(table: Table, row: Any) -> str:
    mapping = row._mapping if hasattr(row, "_mapping") else row
    return "/".join(str(mapping[c.key]) for c in table.primary_key.columns)


# ------------------------------------------------------------------------ tracking


class _Tracked:
    def __init__(self) -> None:
        self.keys: dict[str, set[tuple[Any, ...]]] = {}
        self.after_id: dict[str, Any] = {}  # table -> rows with a larger id were inserted

    def add(self, table: str, key: tuple[Any, ...]) -> None:
        self.keys.setdefault(table, set()).add(key)

    def __bool__(self) -> bool:
        return bool(self.keys) or bool(self.after_id)


def track(session: Any) -> None:
    """Remember the covered rows this session writes (see the module's doc)."""
    session.info[_KEY] = _Tracked()
    event.listen(session, "after_flush", _after_flush)
    event.listen(session, "do_orm_execute", _before_statement)


def _tracked(session: Any) -> _Tracked | None:
    return session.info.get(_KEY)


def _after_flush(session: Any, _flush_context: Any) -> None:
    tracked = _tracked(session)
    if tracked is None:
        return
    from sqlalchemy import inspect as sa_inspect

    # An object merely touched (an attribute set to the value it had) is dirty but unwritten.
    dirty = [obj for obj in session.dirty if session.is_modified(obj, include_collections=False)]
    for obj in (*session.new, *dirty, *session.deleted):
        table = getattr(obj, "__table__", None)
        if table is None or table.name in UNCOVERED:
            continue
        mapper = sa_inspect(obj).mapper
        key = tuple(mapper.primary_key_from_instance(obj))
        if None not in key:
            tracked.add(table.name, key)


def _before_statement(state: Any) -> None:
    """Core INSERT, UPDATE and DELETE statements run through the session."""
    tracked = _tracked(state.session)
    if tracked is None or not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if not isinstance(table, Table) or table.name in UNCOVERED:
        return
    pk = list(table.primary_key.columns)
    if state.is_insert:
        params = state.parameters
        rows = params if isinstance(params, list) else [params or {}]
        if rows and all(all(c.key in r for c in pk) for r in rows):
            for r in rows:
                tracked.add(table.name, tuple(r[c.key] for c in pk))
            return
        if len(pk) == 1 and table.name not in tracked.after_id:
            highest = state.session.execute(select(func.max(pk[0]))).scalar()
            tracked.after_id[table.name] = highest if highest is not None else 0
            return
        if len(pk) == 1:
            return  # the rows above the first watermark are collected together
        raise UnloggedChange(f"cannot tell which rows an INSERT into {table.name} writes")
    where = state.statement.whereclause
    query = select(*pk) if where is None else select(*pk).where(where)
    for key in state.session.execute(query):
        tracked.add(table.name, tuple(key))


def pending(session: Any) -> list[str]:
    """The tables with rows written but not yet logged."""
    tracked = _tracked(session)
    if not tracked:
        return []
    return sorted({*tracked.keys, *tracked.after_id})


def collect(session: Any) -> dict[str, dict[str, Any]]:
    """The rows written since the last collection, read back as they now are ({table: {key:
    image or digest or None}}; None for a deleted row); tracking starts afresh."""
    tracked = _tracked(session)
    if not tracked:
        return {}
    session.flush()
    conn: Connection = session.connection()
    out: dict[str, dict[str, Any]] = {}
    for name in sorted({*tracked.keys, *tracked.after_id}):
        table = _table(name)
        if table is None:
            continue
        found = _read(conn, table, tracked.keys.get(name, set()), tracked.after_id.get(name))
        wanted: dict[str, Any] = {"/".join(str(v) for v in k): None
                                  for k in tracked.keys.get(name, set())}
        wanted.update(found)
        out[name] = wanted
    session.info[_KEY] = _Tracked()
    total = sum(len(v) for v in out.values())
    if total > IMAGE_LIMIT:
        out = {t: {k: (digest(v) if isinstance(v, dict) else v) for k, v in rows.items()}
               for t, rows in out.items()}
    return out


def _read(conn: Connection, table: Table, keys: Iterable[tuple[Any, ...]],
          after_id: Any) -> dict[str, dict[str, Any]]:
    pk = list(table.primary_key.columns)
    found: dict[str, dict[str, Any]] = {}
    keys = list(keys)
    for start in range(0, len(keys), _CHUNK):
        part = keys[start:start + _CHUNK]
        cond = pk[0].in_([k[0] for k in part]) if len(pk) == 1 else tuple_(*pk).in_(part)
        for row in conn.execute(select(table).where(cond)):
            found[row_key(table, row)] = image(table, row)
    if after_id is not None:
        for row in conn.execute(select(table).where(pk[0] > after_id)):
            found[row_key(table, row)] = image(table, row)
    return found


def everything(conn: Connection) -> dict[str, dict[str, Any]]:
    """Every covered row of the database, as digests (the baseline of an upgraded database).
    The tables are read as they are in the database (reflected), not as the models say."""
    from sqlalchemy import MetaData

    out: dict[str, dict[str, Any]] = {}
    reflected = MetaData()
    for name in sorted(inspect(conn).get_table_names()):
        if name in UNCOVERED:
            continue
        table = Table(name, reflected, autoload_with=conn)
        rows = {row_key(table, r): digest(image(table, r)) for r in conn.execute(select(table))}
        if rows:
            out[table.name] = rows
    return out


def log_baseline(conn: Connection, revision: str) -> None:
    """Log one entry naming every covered row as found ("log.baseline"), chained to the last
    entry. A migration that adds or changes columns of covered tables calls it after its
    changes: the rows' images change with their columns, and the log must name them again."""
    from types import SimpleNamespace

    from planner.store.chain import entry_hash
    from planner.store.tables import change_log as log

    rows = everything(conn)
    if not rows:
        return
    columns = {c["name"] for c in inspect(conn).get_columns("change_log")}
    if "rows" not in columns:
        return  # before the log could name rows (revision 0004 adds it)
    last = conn.execute(select(log.c.hash).order_by(log.c.id.desc()).limit(1)).scalar()
    entry = SimpleNamespace(
        at=datetime.now(UTC), actor="planner", real_actor="",
        action="log.baseline", entity="database", entity_id=revision,
        label=f"revision {revision}", plan_id=None, task_id=None, before="", after="",
        rows=json.dumps(rows, ensure_ascii=False, sort_keys=True), prev_hash=last or "")
    values = dict(vars(entry))
    values["hash"] = entry_hash(entry)
    conn.execute(insert(log).values(**values))
