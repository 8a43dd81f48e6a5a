"""Which plan a command works on, and the plan's own record."""

from __future__ import annotations

from sqlmodel import Session, col, select

from planner.i18n import _
from planner.services.errors import NotFound
from planner.store.models import Plan


def list_plans(session: Session) -> list[Plan]:
    return list(session.exec(select(Plan).order_by(col(Plan.year))))


def get_plan(session: Session, year: int | None = None) -> Plan:
    """The plan of `year`, or the latest year when None."""
    if year is None:
        plan = session.exec(select(Plan).order_by(col(Plan.year).desc()).limit(1)).first()
        if plan is None:
            raise NotFound(
                _("The database holds no plan yet: load one with `planner seed load FILE` "
                  "or `planner import plan FILE`.")
            )
        return plan
    plan = session.exec(select(Plan).where(Plan.year == year)).first()
    if plan is None:
        years = ", ".join(str(p.year) for p in list_plans(session)) or "-"
        raise NotFound(_("No plan for {year} (plans: {years}).").format(year=year, years=years))
    return plan
