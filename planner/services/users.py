"""Users known to planner: a login with an office and a role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from planner.i18n import _
from planner.services import audit, permissions
from planner.services.context import Context
from planner.services.errors import InputError, NotFound, PermissionDenied
from planner.services.inputs import text_field
from planner.services.lookup import office_by_code
from planner.store.models import Office, User

ROLES = ("coordinator", "office_member", "viewer")


def ensure_first_coordinator(ctx: Context) -> User | None:
    """The user who creates a database becomes its first coordinator."""
    with ctx.db.write() as session:
        if session.exec(select(User.id).limit(1)).first() is not None:
            return None
        actor = permissions.current_actor(session, ctx)
        if actor.role != "coordinator":
            return None
        return session.exec(select(User).where(User.login == ctx.actor)).first()


def list_users(ctx: Context) -> list[tuple[User, Office | None]]:
    with ctx.db.read() as session:
        rows = session.exec(
            select(User, Office).outerjoin(Office, col(Office.id) == User.office_id).order_by(col(User.login))
        ).all()
        return [(u, o) for u, o in rows]


@dataclass(frozen=True)
class UserOverview:
    login: str
    name: str
    role: str
    office: str
    logs_in_as: str  # the operating-system account (SQLite) or the server's login role
    can_log_in: bool
    why_not: str  # why they cannot log in ("" when they can)
    last_at: datetime | None
    last_action: str  # "task.in_progress T03" (the log's codes; JSON)
    last_change: str = ""  # the same in words, for people

    def to_json(self) -> dict[str, Any]:
        return {"login": self.login, "name": self.name, "role": self.role, "office": self.office,
                "logs_in_as": self.logs_in_as, "can_log_in": self.can_log_in,
                "why_not": self.why_not,
                "last_at": self.last_at.isoformat() if self.last_at else None,
                "last_action": self.last_action, "last_change": self.last_change}


def user_overview(ctx: Context) -> list[UserOverview]:
    """Every user with their role, how they log in, whether they can, and their last action."""
    from sqlalchemy import func

    from planner.store.models import ChangeLog

    with ctx.db.read() as session:
        users = list_users(ctx)
        last_ids = dict(session.exec(
            select(ChangeLog.actor, func.max(ChangeLog.id)).group_by(col(ChangeLog.actor))).all())
        for real, last in session.exec(
                select(ChangeLog.real_actor, func.max(ChangeLog.id))
                .where(ChangeLog.real_actor != "").group_by(col(ChangeLog.real_actor))).all():
            last_ids[real] = max(int(last or 0), int(last_ids.get(real) or 0))
        wanted = [i for i in last_ids.values() if i]
        entries = {e.id: e for e in session.exec(
            select(ChangeLog).where(col(ChangeLog.id).in_(wanted)))} if wanted else {}
        logins = _login_states(session, [u for u, _o in users])
        from planner.services.history import in_words

        described = {e.id: e.summary for e in in_words(session, list(entries.values()))}
    out = []
    for user, office in users:
        entry = entries.get(last_ids.get(user.login, 0))
        who = user.db_role or user.login
        can, why = logins.get(user.login, (False, ""))
        action = words = ""
        if entry is not None:
            action = f"{entry.action} {entry.label}".strip()
            words = described.get(entry.id or 0, "")
            if entry.real_actor:
                suffix = (_("(acting as {user})").format(user=entry.actor)
                          if entry.real_actor == user.login else
                          _("(by {person})").format(person=entry.real_actor))
                action, words = f"{action} {suffix}", f"{words} {suffix}"
        out.append(UserOverview(user.login, user.name, user.role, office.code if office else "",
                                who, can, why, entry.at if entry else None, action, words))
    return out


def _login_states(session: Any, users: list[User]) -> dict[str, tuple[bool, str]]:
    """Whether each user can log in: on SQLite, whether the computer has their account; on
    a server, whether their login role exists, may log in and has a valid password."""
    import pwd

    states: dict[str, tuple[bool, str]] = {}
    if session.get_bind().dialect.name == "sqlite":
        for user in users:
            try:
                pwd.getpwnam(user.login)
                states[user.login] = (True, "")
            except KeyError:
                states[user.login] = (False, _("no such account on this computer"))
        return states
    from sqlalchemy import text

    roles = {r.rolname: r for r in session.execute(text(
        "SELECT rolname, rolcanlogin, rolvaliduntil < now() AS expired FROM pg_roles"))}
    for user in users:
        role = roles.get(user.db_role or user.login)
        if role is None:
            states[user.login] = (False, _("no such login role"))
        elif not role.rolcanlogin:
            states[user.login] = (False, _("login disabled"))
        elif role.expired:
            states[user.login] = (False, _("password expired"))
        else:
            states[user.login] = (True, "")
    return states


def save_user(ctx: Context, login: str, *, role: str | None = None, office: str | None = None,
              name: str | None = None, create: bool = False, new_login: bool = False,
              existing_role: str | None = None) -> User:
    """Add or change a user. On PostgreSQL, `new_login` also creates their login role (its
    generated password is left in `user_password(user)`, to show once) and `existing_role`
    maps them to a role that exists; either puts the role in the group of the user's role."""
    if role is not None and role not in ROLES:
        raise InputError(_('Unknown role "{role}" (one of: {roles}).').format(role=role, roles=", ".join(ROLES)))
    login = text_field(login, "login", max_length=100)
    if any(ch.isspace() for ch in login):
        raise InputError(_("login: must be one word."))
    if name is not None:
        name = text_field(name, "name")
    if (new_login or existing_role) and ctx.db.is_sqlite:
        raise InputError(_("--login and --existing-role are for a database on a PostgreSQL "
                           "server; on a SQLite file a person is their account on the computer."))
    if new_login and existing_role:
        raise InputError(_("Give either --login or --existing-role, not both."))
    with ctx.db.write() as session:
        permissions.require_coordinator(session, ctx, _("managing users"))
        user = session.exec(select(User).where(User.login == login)).first()
        if create:
            if user is not None:
                raise InputError(_('User "{login}" already exists.').format(login=login))
            user = User(login=login, name=name or login, role=role or "viewer")
            before = None
        else:
            if user is None:
                raise NotFound(_('Unknown user "{login}".').format(login=login))
            before = audit.snapshot(user)
            if role is not None and role != "coordinator" and user.role == "coordinator":
                _keep_a_coordinator(session, user)
            if role is not None:
                user.role = role
            if name is not None:
                user.name = name
        if office is not None:
            user.office_id = office_by_code(session, office).id if office.strip() else None
        if user.role == "office_member" and user.office_id is None:
            raise InputError(_("An office member needs an office (--office)."))
        password = None
        if new_login or existing_role:
            user.db_role = existing_role or login
        session.add(user)
        session.flush()
        if new_login:
            import secrets

            password = secrets.token_urlsafe(15)
            _server_call(session, "SELECT planner_create_login(:n, :p, :k)",
                         n=user.db_role, p=password, k=user.role)
        elif user.db_role and not ctx.db.is_sqlite and (existing_role or role is not None):
            _server_call(session, "SELECT planner_set_group(:n, :k)", n=user.db_role, k=user.role)
        audit.record(session, actor=ctx.actor, real_actor=ctx.real_actor, action="user.add" if create else "user.edit", entity="user",
                     entity_id=user.id, label=user.login, before=before, after=audit.snapshot(user))
        _PASSWORDS[id(user)] = password
        return user


_PASSWORDS: dict[int, str | None] = {}


def user_password(user: User) -> str | None:
    """The password generated for a new login role (once: it is forgotten when read)."""
    return _PASSWORDS.pop(id(user), None)


def _server_call(session: Any, statement: str, **params: str | None) -> None:
    """Call one of the owner's login-management functions (store.pg_security), turning the
    server's refusals into messages."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with session.begin_nested():
            session.execute(text(statement), params)
    except DBAPIError as exc:
        state = str(getattr(exc.orig, "sqlstate", "") or "")
        detail = str(exc.orig).strip().splitlines()[0]
        if state == "42883":  # the functions are missing: the owner could not install them
            raise InputError(_(
                "This database cannot manage login roles: its owner has not set them up (the "
                "owner needs CREATEROLE, then opens the database once).")) from exc
        if state == "42501":
            raise PermissionDenied(_("Permission denied by the database server: {detail}.")
                                   .format(detail=detail)) from exc
        raise InputError(_("The database server refused: {detail}.").format(
            detail=detail)) from exc


def _keep_a_coordinator(session: Any, user: User, *, removing: bool = False) -> None:
    """A database always keeps a coordinator: nobody else could manage users or review."""
    others = session.exec(
        select(User.id).where(User.role == "coordinator", User.id != user.id).limit(1)).first()
    if others is None:
        if removing:
            raise InputError(_("{login} is the last coordinator and cannot be removed.").format(
                login=user.login))
        raise InputError(_("{login} is the last coordinator and cannot stop being one: make "
                           "someone else a coordinator first.").format(login=user.login))


def remove_user(ctx: Context, login: str) -> None:
    with ctx.db.write() as session:
        permissions.require_coordinator(session, ctx, _("managing users"))
        user = session.exec(select(User).where(User.login == login)).first()
        if user is None:
            raise NotFound(_('Unknown user "{login}".').format(login=login))
        if user.role == "coordinator":
            _keep_a_coordinator(session, user, removing=True)
        before = audit.snapshot(user)
        if user.db_role and not ctx.db.is_sqlite:
            _server_call(session, "SELECT planner_disable_login(:n)", n=user.db_role)
        session.delete(user)
        session.flush()
        audit.record(session, actor=ctx.actor, real_actor=ctx.real_actor, action="user.remove", entity="user", entity_id=user.id,
                     label=user.login, before=before)
