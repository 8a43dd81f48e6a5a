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


def update_plan(
    ctx: Context, *, closes_on: str | None = None, target: str | None = None
) -> Plan:
    """Change the plan's closing date (the self-assessment cut-off; "" clears it, so the plan
    closes when it ends) or its target score; logged like every change."""
    from planner.services.inputs import date_field, number_field
    from planner.services.plans import get_plan

    with ctx.db.write() as session:
        permissions.require_coordinator(session, ctx, _("changing the plan"))
        plan = get_plan(session, ctx.plan_year)
        before = audit.snapshot(plan)
        if closes_on is not None:
            if not closes_on.strip():
                plan.closes_on = None
            else:
                day = date_field(closes_on, "--closes-on", today=ctx.today, year=plan.year)
                if day < plan.ends_on:
                    raise InputError(
                        _("--closes-on: {date} is before the plan ends ({end}); the closing "
                          "date is the self-assessment cut-off, on or after it.").format(
                            date=day.strftime("%d/%m/%Y"), end=plan.ends_on.strftime("%d/%m/%Y"))
                    )
                if day.year > plan.ends_on.year + 1:
                    raise InputError(
                        _("--closes-on: {date} is more than a year after the plan ends.").format(
                            date=day.strftime("%d/%m/%Y"))
                    )
                plan.closes_on = day
        if target is not None:
            if not target.strip():
                plan.target_score = None
            else:
                value = number_field(target, "--target")
                if value < 0:
                    raise InputError(_("--target: must not be negative."))
                plan.target_score = value
        session.add(plan)
        session.flush()
        after = audit.snapshot(plan)
        if after != before:
            audit.record(session, actor=ctx.actor, real_actor=ctx.real_actor, action="plan.edit", entity="plan",
                         entity_id=plan.id, label=str(plan.year), plan_id=plan.id,
                         before=before, after=after)
        return plan
