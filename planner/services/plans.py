"""Which plan a command works on, and the plan's own record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Row

from planner.i18n import _
from planner.services.errors import NotFound
from planner.store import tables as t

if TYPE_CHECKING:
    from sqlmodel import Session

    from planner.store.models import Plan


def list_plans(session: Session) -> list[Plan]:
    from sqlmodel import col, select

    from planner.store.models import Plan

    return list(session.exec(select(Plan).order_by(col(Plan.year))))


def get_plan(session: Session, year: int | None = None) -> Plan:
    """The plan of `year`, or the latest year when None."""
    from sqlmodel import col, select

    from planner.store.models import Plan

    if year is None:
        plan = session.exec(select(Plan).order_by(col(Plan.year).desc()).limit(1)).first()
        if plan is None:
            raise _no_plan()
        return plan
    plan = session.exec(select(Plan).where(Plan.year == year)).first()
    if plan is None:
        raise _no_plan_for(year, [p.year for p in list_plans(session)])
    return plan


def plan_record(conn: Connection, year: int | None = None) -> Row[Any]:
    """What `get_plan` finds, as a row of `tables.plan` (the same attributes, no ORM)."""
    plan = t.plan.c
    if year is None:
        row = conn.execute(sa_select(t.plan).order_by(plan.year.desc()).limit(1)).first()
        if row is None:
            raise _no_plan()
        return row
    row = conn.execute(sa_select(t.plan).where(plan.year == year)).first()
    if row is None:
        raise _no_plan_for(year, list(conn.execute(sa_select(plan.year).order_by(plan.year)).scalars()))
    return row


def has_plan(conn: Connection, year: int | None = None) -> bool:
    """Whether the database holds a plan (of `year`, when given)."""
    query = sa_select(t.plan.c.id).limit(1)
    if year is not None:
        query = query.where(t.plan.c.year == year)
    return conn.execute(query).first() is not None


def _no_plan() -> NotFound:
    return NotFound(
        _("The database holds no plan yet: load one with `planner seed load FILE` "
          "or `planner import plan FILE`.")
    )


def _no_plan_for(year: int, years: list[int]) -> NotFound:
    listed = ", ".join(str(y) for y in years) or "-"
    return NotFound(_("No plan for {year} (plans: {years}).").format(year=year, years=listed))
