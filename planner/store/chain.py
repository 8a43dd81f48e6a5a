"""The change log's hash chain: how one entry's hash is computed from its content.

Kept apart from the ORM so that `planner check`, the migrations and the anchors compute it
the same way from a model, a Core row or plain values.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

#: How many hexadecimal digits of the chain head an anchor shows (64 bits: forging a chain
#: that ends on a printed anchor would take 2**64 tries).
ANCHOR_DIGITS = 16


def entry_hash(entry: Any) -> str:
    """SHA-256 of an entry's content and the previous entry's hash.

    `real_actor` and `rows` (revision 0004) join the payload only when set, so entries
    written before them keep their hash."""
    at = entry.at
    parts = [
        entry.prev_hash,
        at.isoformat() if isinstance(at, datetime) else str(at),
        entry.actor,
        entry.action,
        entry.entity,
        entry.entity_id,
        entry.label,
        str(entry.plan_id or ""),
        str(entry.task_id or ""),
        entry.before,
        entry.after,
    ]
    real_actor = getattr(entry, "real_actor", "") or ""
    rows = getattr(entry, "rows", "") or ""
    if real_actor or rows:
        parts += [real_actor, rows]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
