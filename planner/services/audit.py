"""The change log: written in the same transaction as the change, chained by SHA-256.

Each entry hashes its own content with the previous entry's hash, so editing or deleting
an entry breaks the chain; `after` holds the row as written, so a change made behind
planner's back is found by comparing rows with their last logged image.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, SQLModel, col, select

from planner.store import chain, rowlog
from planner.store.clock import utcnow
from planner.store.models import ChangeLog

_SKIP = {"content"}


def snapshot(row: SQLModel | None) -> dict[str, Any] | None:
    """The columns of a row as JSON-ready values (bytes are left out)."""
    if row is None:
        return None
    out: dict[str, Any] = {}
    for column in row.__table__.columns:  # type: ignore[attr-defined]
        if column.key in _SKIP:
            continue
        value = getattr(row, column.key)
        out[column.key] = _jsonable(value)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def _dump(value: dict[str, Any] | None) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def entry_hash(entry: ChangeLog) -> str:
    return chain.entry_hash(entry)


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: Any,
    label: str = "",
    plan_id: int | None = None,
    task_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    real_actor: str = "",
) -> ChangeLog:
    """Append one entry to the change log inside the caller's transaction, naming every row
    the transaction wrote since the previous entry (`planner.store.rowlog`).

    `actor` is whose rights were used; `real_actor` the person at the keyboard when they
    acted as `actor` (a coordinator's `--user`), else empty."""
    rows = rowlog.collect(session)
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        # Serialise appends so two transactions cannot chain onto the same previous entry.
        session.execute(text("SELECT pg_advisory_xact_lock(7243001)"))
    last = session.exec(select(ChangeLog.hash).order_by(col(ChangeLog.id).desc()).limit(1)).first()
    entry = ChangeLog(
        at=utcnow(),
        actor=actor,
        real_actor=real_actor if real_actor != actor else "",
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        label=label,
        plan_id=plan_id,
        task_id=task_id,
        before=_dump(before),
        after=_dump(after),
        rows=json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str) if rows else "",
        prev_hash=last or "",
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    return entry
