"""Create a plan."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from planner.i18n import _
from planner.services import audit, permissions
from planner.services.context import Context
from planner.services.errors import InputError
from planner.services.inputs import text_field
from planner.store.models import Plan


def create_plan(ctx: Context, year: int, title: str, **fields: object) -> Plan:
    with ctx.db.write() as session:
        permissions.require_coordinator(session, ctx, _("creating a plan"))
        if session.exec(select(Plan).where(Plan.year == year)).first():
            raise InputError(_("The database already holds a {year} plan.").format(year=year))
        plan = Plan(year=year, title=text_field(title, "title"), starts_on=date(year, 1, 1),
                    ends_on=date(year, 12, 31), **fields)  # type: ignore[arg-type]
        session.add(plan)
        session.flush()
        audit.record(session, actor=ctx.actor, real_actor=ctx.real_actor, action="plan.add", entity="plan", entity_id=plan.id,
                     label=str(year), plan_id=plan.id, after=audit.snapshot(plan))
        return plan


def authorize_plan_load(ctx: Context) -> None:
    """Loading or importing a whole plan is a coordinator's job (or the database's creator's)."""
    with ctx.db.write() as session:
        permissions.require_coordinator(session, ctx, _("loading a plan"))
