"""Users known to planner: a login with an office and a role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from planner.i18n import _
from planner.services import audit, permissions
from planner.services.context import Context
from planner.services.errors import InputError, NotFound
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
    last_action: str

    def to_json(self) -> dict[str, Any]:
        return {"login": self.login, "name": self.name, "role": self.role, "office": self.office,
                "logs_in_as": self.logs_in_as, "can_log_in": self.can_log_in,
                "why_not": self.why_not,
                "last_at": self.last_at.isoformat() if self.last_at else None,
                "last_action": self.last_action}


def user_overview(ctx: Context) -> list[UserOverview]:
    """Every user with their role, how they log in, whether they can, and their last action."""
    from sqlalchemy import func

    from planner.store.models import ChangeLog

    with ctx.db.read() as session:
        users = list_users(ctx)
        last_ids = dict(session.exec(  # type: ignore[call-overload]
            select(ChangeLog.actor, func.max(ChangeLog.id)).group_by(col(ChangeLog.actor))).all())
        for real, last in session.exec(  # type: ignore[call-overload]
                select(ChangeLog.real_actor, func.max(ChangeLog.id))
                .where(ChangeLog.real_actor != "").group_by(col(ChangeLog.real_actor))).all():
            last_ids[real] = max(int(last or 0), int(last_ids.get(real) or 0))
        wanted = [i for i in last_ids.values() if i]
        entries = {e.id: e for e in session.exec(
            select(ChangeLog).where(col(ChangeLog.id).in_(wanted)))} if wanted else {}
        logins = _login_states(session, [u for u, _o in users])
    out = []
    for user, office in users:
        entry = entries.get(last_ids.get(user.login, 0))
        who = user.db_role or user.login
        can, why = logins.get(user.login, (False, ""))
        action = ""
        if entry is not None:
            action = f"{entry.action} {entry.label}".strip()
            if entry.real_actor:
                action += " " + (_("(acting as {user})").format(user=entry.actor)
                                 if entry.real_actor == user.login else
                                 _("(by {person})").format(person=entry.real_actor))
        out.append(UserOverview(user.login, user.name, user.role, office.code if office else "",
                                who, can, why, entry.at if entry else None, action))
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
              name: str | None = None, create: bool = False) -> User:
    if role is not None and role not in ROLES:
        raise InputError(_('Unknown role "{role}" (one of: {roles}).').format(role=role, roles=", ".join(ROLES)))
    with ctx.db.write() as session:
        permissions.require_coordinator(session, ctx, _("managing users"))
        user = session.exec(select(User).where(User.login == login)).first()
        if create:
            if user is not None:
                raise InputError(_('User "{login}" already exists.').format(login=login))
            if not login.strip() or any(ch.isspace() for ch in login):
                raise InputError(_("login: must be one word."))
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
        session.add(user)
        session.flush()
        audit.record(session, actor=ctx.actor, real_actor=ctx.real_actor, action="user.add" if create else "user.edit", entity="user",
                     entity_id=user.id, label=user.login, before=before, after=audit.snapshot(user))
        return user


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
        session.delete(user)
        session.flush()
        audit.record(session, actor=ctx.actor, real_actor=ctx.real_actor, action="user.remove", entity="user", entity_id=user.id,
                     label=user.login, before=before)
