"""Who is at the keyboard, and whom they act as.

On SQLite the person is the operating-system account running planner, read from the
system's account database (`pwd`), never from USER or LOGNAME, which anyone can set. `--user`,
PLANNER_USER and the config's `user` ask to act as another user: only a coordinator may, the
rights used are that user's, and the change log names both ("X acting as Y"); the four-eyes
rule of evidence review compares the real people.

On PostgreSQL the server authenticates each person (password, peer or certificate) as a
login role; planner maps the session's role to its user (`user.db_role`) and refuses to act
as anyone else. The database's owner bootstraps it.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text

from planner.i18n import _
from planner.services.errors import InputError, PermissionDenied
from planner.store import tables
from planner.store.db import Database

#: The one seam through which tests choose the person (the test process runs as root in CI).
#: It is set only by `injected()`, in the same process: no environment variable or option
#: can reach it.
_injected: str | None = None


@contextmanager
def injected(login: str | None) -> Iterator[None]:
    """For tests: make `login` the person at the keyboard (on both engines)."""
    global _injected
    previous, _injected = _injected, login
    try:
        yield
    finally:
        _injected = previous


def system_login() -> str:
    """The operating-system account running this process."""
    if _injected is not None:
        return _injected
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # no entry in the account database (some containers)
        return f"uid{uid}"


@dataclass(frozen=True)
class Identity:
    real: str  # the person
    actor: str  # whose rights are used (the person unless a coordinator acts as someone)
    db_role: str | None = None  # PostgreSQL: the session's login role
    owner: bool = False  # PostgreSQL: the session's role owns the database


def resolve(db: Database, requested: str | None) -> Identity:
    """The identity of this process on `db`, refusing an acting-as it may not claim."""
    if not db.is_sqlite and _injected is None:
        return _server_identity(db, requested)
    real = system_login()
    wanted = (requested or "").strip() or real
    if wanted != real:
        role = _role_of(db, real)
        if role != "coordinator":
            raise PermissionDenied(_(
                'Permission denied: you are "{real}" on this computer and not a coordinator of '
                'this database, so you cannot act as "{user}" (remove --user, PLANNER_USER or '
                'the `user` setting of the config).').format(real=real, user=wanted))
    return Identity(real=real, actor=wanted)


def _role_of(db: Database, login: str) -> str | None:
    user = tables.user
    try:
        with db.reading() as conn:
            return conn.execute(select(user.c.role).where(user.c.login == login)).scalar()
    except Exception:  # no user table yet (a database being created)
        return None


def _server_identity(db: Database, requested: str | None) -> Identity:
    user = tables.user
    with db.reading() as conn:
        role, owner = conn.execute(text(
            "SELECT session_user, pg_get_userbyid(d.datdba) = session_user "
            "FROM pg_database d WHERE d.datname = current_database()")).one()
        login = None
        try:
            login = conn.execute(select(user.c.login).where(user.c.db_role == role)).scalar()
        except Exception:  # the schema is not there yet: only its owner may create it
            conn.rollback()
    real = login or role
    if requested and requested.strip() and requested.strip() != real:
        raise PermissionDenied(_(
            'Permission denied: on a database server you are who you log in as (role "{role}", '
            'user "{user}"); planner cannot act as "{wanted}". Connect as that person\'s role '
            "instead, and remove --user, PLANNER_USER or the `user` setting of the config."
        ).format(role=role, user=real, wanted=requested.strip()))
    return Identity(real=real, actor=real, db_role=role, owner=bool(owner))


def session_role(session: Any) -> str | None:
    """The login role of a server session (None on SQLite, or under a test's identity)."""
    if session.get_bind().dialect.name == "sqlite" or _injected is not None:
        return None
    return str(session.execute(text("SELECT session_user")).scalar())


def may_found(session: Any) -> bool:
    """Whether this session may make the first coordinator: on SQLite whoever can write the
    file; on a server the database's owner."""
    if session.get_bind().dialect.name == "sqlite" or _injected is not None:
        return True
    return bool(session.execute(text(
        "SELECT pg_get_userbyid(d.datdba) = session_user FROM pg_database d "
        "WHERE d.datname = current_database()")).scalar())


def require_owner_to_migrate(db: Database, revision: str | None, head: str) -> None:
    """On PostgreSQL only the database's owner creates or upgrades planner's tables: anyone
    else is told whom to ask (exit 2)."""
    if db.is_sqlite or _injected is not None:
        return
    with db.reading() as conn:
        role, owner_role, owner = conn.execute(text(
            "SELECT session_user, pg_get_userbyid(d.datdba), "
            "pg_get_userbyid(d.datdba) = session_user "
            "FROM pg_database d WHERE d.datname = current_database()")).one()
    if owner:
        return
    if revision is None:
        raise InputError(_(
            'This database has no planner tables yet, and you (role "{role}") are not its '
            'owner. Its owner, role "{owner}", sets it up first: `planner init` connected as '
            "{owner}, then `planner users add NAME --role ROLE --login` for each person.").format(
            role=role, owner=owner_role))
    raise InputError(_(
        'The database is at schema revision {rev} and this planner needs {head}; only its '
        'owner, role "{owner}", can upgrade it (`planner db upgrade` connected as {owner}).'
    ).format(rev=revision, head=head, owner=owner_role))
