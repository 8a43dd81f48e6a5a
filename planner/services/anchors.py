"""Anchors: the change log's head, kept outside the database.

The hash chain uses no secret, so whoever can write the database could rewrite the log and
chain it again with planner's own hash function. An anchor, "entry N had hash H", kept where
that person cannot reach, makes it show: a rewritten entry at or before N changes entry N's
hash, and deleting the last entries leaves a chain shorter than N. Anchors are printed in
every weekly report and email, written into each backup's manifest, and kept in the data
directory of each person's planner after every write; `planner check` verifies the chain
against all it finds (and any given with `--anchor`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from planner.i18n import _
from planner.services.errors import InputError
from planner.store import tables
from planner.store.chain import ANCHOR_DIGITS
from planner.store.db import Database

MAX_KEPT = 50
_ANCHOR = re.compile(r"^\s*(?:#?(\d+)\s*[:·]\s*)?([0-9a-fA-F]{8,64})\s*$")


@dataclass(frozen=True)
class Anchor:
    entry_id: int | None  # None: only a hash is known (typed from a printout)
    hash: str  # a prefix of the entry's hash, at least 8 hex digits
    source: str = ""

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.hash}" if self.entry_id is not None else self.hash


def parse(text: str, source: str = "") -> Anchor:
    """`1234:3f2a9c0b5d1e7f44` (entry and hash, as reports print it) or a bare hash."""
    m = _ANCHOR.match(text)
    if not m:
        raise InputError(_(
            '--anchor: "{text}" is not an anchor (entry:hash as a report prints it, for example '
            "1234:3f2a9c0b5d1e7f44).").format(text=text))
    return Anchor(int(m[1]) if m[1] else None, m[2].lower(), source)


def head(conn: Connection) -> Anchor | None:
    """The change log's head now (None for an empty log)."""
    log = tables.change_log
    row = conn.execute(select(log.c.id, log.c.hash).order_by(log.c.id.desc()).limit(1)).first()
    if row is None or not row.hash:
        return None
    return Anchor(int(row.id), str(row.hash)[:ANCHOR_DIGITS])


def current(db: Database) -> Anchor | None:
    with db.reading() as conn:
        return head(conn)


# --------------------------------------------------------------------------- the store


def _store_path() -> Path:
    from planner.config import data_dir

    return data_dir() / "anchors.json"


def database_key(db: Database) -> str:
    """Which database anchors belong to: a SQLite file's real path, a server's URL without
    the password."""
    if db.path is not None:
        return str(Path(db.path).expanduser().resolve())
    from sqlalchemy.engine import make_url

    return make_url(db.url).set(password=None).render_as_string(hide_password=True)


def _load() -> dict[str, list[dict[str, Any]]]:
    try:
        data = json.loads(_store_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(data: dict[str, list[dict[str, Any]]]) -> None:
    path = _store_path()
    with contextlib.suppress(OSError):  # no writable data directory: nothing is kept
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f".{path.name}.{os.getpid()}.part")
        part.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        part.replace(path)


def keep(db: Database, anchor: Anchor, source: str, *, replace: bool = False) -> None:
    """Remember `anchor` for `db` in this person's data directory (`replace`: forget the
    earlier ones, after a restore has legitimately replaced the log)."""
    data = _load()
    key = database_key(db)
    kept = [] if replace else [a for a in data.get(key, []) if isinstance(a, dict)]
    # The newest write anchor supersedes older write anchors; reports and backups stay.
    if source == "write":
        kept = [a for a in kept if a.get("source") != "write"]
    kept = [a for a in kept if a.get("anchor") != str(anchor) or a.get("source") != source]
    kept.insert(0, {"anchor": str(anchor), "source": source,
                    "at": datetime.now().isoformat(timespec="seconds")})
    data[key] = kept[:MAX_KEPT]
    _save(data)


def kept(db: Database) -> list[Anchor]:
    out = []
    for item in _load().get(database_key(db), []):
        with contextlib.suppress(InputError, KeyError, TypeError):
            anchor = parse(str(item["anchor"]))
            source = _("kept in {path} ({what}, {at})").format(
                path=_store_path(), what=item.get("source", ""), at=item.get("at", ""))
            out.append(Anchor(anchor.entry_id, anchor.hash, source))
    return out


def keep_after_write(db: Database) -> None:
    """Called after every committed write: keep the new head."""
    with contextlib.suppress(Exception):  # an anchor must never fail the write it follows
        anchor = current(db)
        if anchor is not None:
            keep(db, anchor, "write")


# -------------------------------------------------------------------------- verifying


def verify(conn: Connection, anchors: list[Anchor]) -> list[tuple[Anchor, str]]:
    """Each anchor the chain does not honour, with why."""
    log = tables.change_log
    last = conn.execute(select(func.max(log.c.id))).scalar() or 0
    problems: list[tuple[Anchor, str]] = []
    for anchor in anchors:
        if anchor.entry_id is None:
            found = conn.execute(select(log.c.id).where(
                log.c.hash.like(anchor.hash + "%")).limit(1)).scalar()
            if found is None:
                problems.append((anchor, _(
                    "no entry of the change log has the hash {hash}…: the log was rewritten or "
                    "shortened after the anchor was taken").format(hash=anchor.hash)))
            continue
        row = conn.execute(select(log.c.hash).where(log.c.id == anchor.entry_id)).first()
        if row is None:
            if last < anchor.entry_id:
                problems.append((anchor, _(
                    "the change log ends at entry {last}, shorter than the anchor's entry {n}: "
                    "its last entries were deleted").format(last=last, n=anchor.entry_id)))
            else:
                problems.append((anchor, _("entry {n} is missing from the change log").format(
                    n=anchor.entry_id)))
        elif not str(row.hash).startswith(anchor.hash):
            problems.append((anchor, _(
                "entry {n} now hashes to {now}…, but the anchor says {was}…: the log was "
                "rewritten").format(n=anchor.entry_id, now=str(row.hash)[:ANCHOR_DIGITS],
                                    was=anchor.hash)))
    return problems
