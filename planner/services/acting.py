"""Who is acting: the context's login, with the role and office the users table gives it.

A Core read, so the terminal UI can show it on its first screen without importing the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from planner.services.context import Context
from planner.services.vocabulary import role_label
from planner.store import tables as t


@dataclass(frozen=True)
class ActingUser:
    login: str
    name: str
    role: str  # coordinator | office_member | viewer | unknown
    office: str | None  # the office's code, for an office member

    def label(self) -> str:
        """`login (role)`, with the office of an office member: `vp (office member, VP)`."""
        role = role_label(self.role)
        return f"{self.login} ({role}, {self.office})" if self.office else f"{self.login} ({role})"


def acting_user(ctx: Context) -> ActingUser:
    """The person the context acts for. On a database with no users yet, the first one to
    write becomes its coordinator (`permissions.current_actor`), so that is what they are."""
    user, office = t.user.c, t.office.c
    with ctx.db.reading() as conn:
        row = conn.execute(
            select(user.login, user.name, user.role, office.code)
            .select_from(t.user.outerjoin(t.office, office.id == user.office_id))
            .where(user.login == ctx.actor)
        ).first()
        if row is not None:
            return ActingUser(row[0], row[1] or "", row[2], row[3])
        anyone = conn.execute(select(user.id).limit(1)).first()
    return ActingUser(ctx.actor, "", "unknown" if anyone is not None else "coordinator", None)
