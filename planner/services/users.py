"""Users known to planner: a login with an office and a role."""

from __future__ import annotations

from sqlmodel import col, select

from planner.i18n import _
from planner.services import audit, permissions
from planner.services.context import Context
from planner.services.errors import InputError, NotFound
from planner.services.inputs import text_field
from planner.services.lookup import office_by_code
from planner.store.models import Office, User

ROLES = ("coordinator", "office_member", "viewer")


def ensure_first_coordinator(ctx: Context) -> User | None:
    """The user who creates a database becomes its first coordinator."""
    with ctx.db.write() as session:
        if session.exec(select(User.id).limit(1)).first() is not None:
            return None
        user = User(login=ctx.actor, name=ctx.actor, role="coordinator")
        session.add(user)
        session.flush()
        audit.record(session, actor=ctx.actor, action="user.add", entity="user", entity_id=user.id,
                     label=user.login, after=audit.snapshot(user))
        return user


def list_users(ctx: Context) -> list[tuple[User, Office | None]]:
    with ctx.db.read() as session:
        rows = session.exec(
            select(User, Office).outerjoin(Office, col(Office.id) == User.office_id).order_by(col(User.login))
        ).all()
        return [(u, o) for u, o in rows]


def save_user(ctx: Context, login: str, *, role: str | None = None, office: str | None = None,
              name: str | None = None, create: bool = False) -> User:
    if role is not None and role not in ROLES:
        raise InputError(_('Unknown role "{role}" (one of: {roles}).').format(role=role, roles=", ".join(ROLES)))
    login = text_field(login, "login", max_length=100)
    if any(ch.isspace() for ch in login):
        raise InputError(_("login: must be one word."))
    if name is not None:
        name = text_field(name, "name")
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
        audit.record(session, actor=ctx.actor, action="user.add" if create else "user.edit", entity="user",
                     entity_id=user.id, label=user.login, before=before, after=audit.snapshot(user))
        return user


def remove_user(ctx: Context, login: str) -> None:
    with ctx.db.write() as session:
        permissions.require_coordinator(session, ctx, _("managing users"))
        user = session.exec(select(User).where(User.login == login)).first()
        if user is None:
            raise NotFound(_('Unknown user "{login}".').format(login=login))
        if user.role == "coordinator":
            others = session.exec(
                select(User.id).where(User.role == "coordinator", User.id != user.id).limit(1)
            ).first()
            if others is None:
                raise InputError(_("{login} is the last coordinator and cannot be removed.").format(login=login))
        before = audit.snapshot(user)
        session.delete(user)
        session.flush()
        audit.record(session, actor=ctx.actor, action="user.remove", entity="user", entity_id=user.id,
                     label=user.login, before=before)
