"""Who may replace the database with a backup, and the record that they did.

Restoring replaces every figure and every right at once, so it is a coordinator's action: a
coordinator of the database being replaced, or, when that one cannot be read (damaged, or not
a planner database), a coordinator of the backup. The restored database then logs who
restored what, and this person's anchors are reset to its new head (the old ones describe a
log that was legitimately replaced).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from planner.i18n import _
from planner.services import anchors, audit
from planner.services.errors import PermissionDenied
from planner.services.identity import Identity, system_login


def _roles(path: Path, logins: tuple[str, ...]) -> dict[str, str] | None:
    """The roles of `logins` in the SQLite database at `path`; None when it holds no users
    (or cannot be read as a planner database)."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=15)
        try:
            if conn.execute('SELECT count(*) FROM "user"').fetchone()[0] == 0:
                return None
            return {login: str(role) for login, role in conn.execute(
                'SELECT login, role FROM "user" WHERE login IN (?, ?)', (*logins, *logins)[:2])}
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def authorize_restore(target: Path, copy: Path, requested: str | None) -> Identity:
    """The identity restoring, if they may; else PermissionDenied."""
    real = system_login()
    actor = (requested or "").strip() or real
    where = target
    roles = _roles(target, (real, actor))
    if roles is None:
        where = copy
        roles = _roles(copy, (real, actor)) or {}
    if roles.get(real) != "coordinator" or roles.get(actor) != "coordinator":
        who = real if actor == real else _("{person} acting as {user}").format(
            person=real, user=actor)
        raise PermissionDenied(_(
            "Permission denied: restoring a backup replaces the whole database, which only a "
            "coordinator may do ({who} is not a coordinator of {db}). Nothing was restored."
        ).format(who=who, db=where if where == target else _("the backup")))
    return Identity(real=real, actor=actor)


def record_restore(location: str, file: Path, who: Identity) -> None:
    """Log the restore in the restored database and keep its new head as this person's
    anchor, replacing the anchors of the log the restore replaced."""
    from planner.services.session import open_database

    db, _pinned = open_database(location)
    try:
        with db.write() as session:
            audit.record(session, actor=who.actor, real_actor=who.real, action="database.restore",
                         entity="database", entity_id="restore", label=file.name,
                         after={"backup": str(file)})
        anchor = anchors.current(db)
        if anchor is not None:
            anchors.keep(db, anchor, "restore", replace=True)
    finally:
        db.dispose()
