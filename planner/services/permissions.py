"""Who may do what. Every service that writes asks here, so the CLI, the TUI and scripts get
the same answer.

Roles: a coordinator runs the whole plan (reviews evidence, manages users); an office member
edits the tasks its office leads and adds evidence to tasks its office leads or supports; a
viewer reads. A login planner does not know can only read. The first person to write to a
database with no users (the one who created it) becomes its coordinator.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from planner.i18n import _
from planner.services.acting import role_label
from planner.services.context import Context
from planner.services.errors import PermissionDenied
from planner.services.lookup import office_by_code
from planner.store.models import Office, Task, TaskSupport, User


@dataclass(frozen=True)
class Actor:
    login: str
    role: str  # coordinator | office_member | viewer | unknown
    office_id: int | None
    office_code: str | None


def current_actor(session: Session, ctx: Context) -> Actor:
    user = session.exec(select(User).where(User.login == ctx.actor)).first()
    if user is None:
        if session.exec(select(User.id).limit(1)).first() is None:
            # Nobody is registered yet: whoever creates the database is its coordinator.
            user = User(login=ctx.actor, name=ctx.actor, role="coordinator")
            session.add(user)
            session.flush()
            from planner.services import audit

            audit.record(session, actor=ctx.actor, action="user.add", entity="user", entity_id=user.id,
                         label=user.login, after=audit.snapshot(user))
        else:
            return Actor(ctx.actor, "unknown", None, None)
    office = session.get(Office, user.office_id) if user.office_id else None
    return Actor(user.login, user.role, user.office_id, office.code if office else None)


def _deny(actor: Actor, right: str) -> PermissionDenied:
    if actor.role == "unknown":
        who = _('"{login}" is not a planner user; a coordinator can add you with '
                "`planner users add {login} --role office_member --office CODE`").format(login=actor.login)
    else:
        who = _("you are {role}{office}").format(
            role=role_label(actor.role), office=f" ({actor.office_code})" if actor.office_code else "")
    return PermissionDenied(_("Permission denied: {right} ({who}).").format(right=right, who=who))


def require_coordinator(session: Session, ctx: Context, right: str) -> Actor:
    if not ctx.enforce_permissions:
        return Actor(ctx.actor, "coordinator", None, None)
    actor = current_actor(session, ctx)
    if actor.role != "coordinator":
        raise _deny(actor, right)
    return actor


def require_task_lead(session: Session, ctx: Context, task: Task, right: str) -> Actor:
    """Coordinators, or members of the office that leads the task."""
    if not ctx.enforce_permissions:
        return Actor(ctx.actor, "coordinator", None, None)
    actor = current_actor(session, ctx)
    if actor.role == "coordinator":
        return actor
    if actor.role == "office_member" and actor.office_id == task.lead_office_id:
        return actor
    raise _deny(actor, right)


def require_lead_office(session: Session, ctx: Context, lead_code: str, right: str) -> Actor:
    """Adding a task: coordinators, or members of the office that will lead it."""
    if not ctx.enforce_permissions:
        return Actor(ctx.actor, "coordinator", None, None)
    actor = current_actor(session, ctx)
    if actor.role == "coordinator":
        return actor
    if actor.role == "office_member" and actor.office_id == office_by_code(session, lead_code).id:
        return actor
    raise _deny(actor, right)


def require_task_office(session: Session, ctx: Context, task: Task, right: str) -> Actor:
    """Coordinators, or members of an office that leads or supports the task."""
    if not ctx.enforce_permissions:
        return Actor(ctx.actor, "coordinator", None, None)
    actor = current_actor(session, ctx)
    if actor.role == "coordinator":
        return actor
    if actor.role == "office_member" and actor.office_id is not None:
        if actor.office_id == task.lead_office_id:
            return actor
        supports = session.exec(
            select(TaskSupport).where(TaskSupport.task_id == task.id, TaskSupport.office_id == actor.office_id)
        ).first()
        if supports is not None:
            return actor
    raise _deny(actor, right)


