"""`planner plan`: the plan's own record: its dates, closing date and target."""

from __future__ import annotations

import click

from planner.cli.common import emit_json, fmt_date, fmt_points, format_option, out, state
from planner.i18n import _


@click.group("plan", help=_(
    "The plan itself: its dates, closing date and target; delete one created by mistake."))
def plan_group() -> None:
    pass


@plan_group.command("show", help=_("The plan's title, number, dates, baseline and target."))
@format_option("text", "json")
def plan_show(fmt: str) -> None:
    from planner.services.plans import plan_record

    ctx = state().context()
    with ctx.db.reading() as conn:
        plan = plan_record(conn, ctx.plan_year)
    closes_on = plan.closes_on or plan.ends_on
    if fmt == "json":
        emit_json({
            "year": plan.year, "title": plan.title, "number": plan.number,
            "starts_on": plan.starts_on.isoformat(), "ends_on": plan.ends_on.isoformat(),
            "closes_on": closes_on.isoformat(), "target": plan.target_score,
            "baseline": {"year": plan.baseline_year, "score": plan.baseline_score,
                         "max": plan.baseline_max, "rank": plan.baseline_rank,
                         "of": plan.baseline_of},
        })
        return
    out(f"{plan.title} ({plan.number})" if plan.number else plan.title)
    out(_("Year {year}: {start} – {end}").format(
        year=plan.year, start=fmt_date(plan.starts_on), end=fmt_date(plan.ends_on)))
    if plan.closes_on is not None:
        out(_("Closes on {date}: nothing more can be won after it.").format(date=fmt_date(closes_on)))
    else:
        out(_("Closes on {date}, when it ends (no separate closing date set).").format(
            date=fmt_date(closes_on)))
    out(_("Target: {target}").format(
        target=fmt_points(plan.target_score) if plan.target_score is not None else "-"))
    if plan.baseline_score is not None:
        out(_("Last year ({year}): {score} / {max}, rank {rank} of {of}.").format(
            year=plan.baseline_year or plan.year - 1, score=fmt_points(plan.baseline_score),
            max=fmt_points(plan.baseline_max or 0), rank=plan.baseline_rank or "-",
            of=plan.baseline_of or "-"))


@plan_group.command("set", help=_("Change the plan's closing date or target score."))
@click.option("--closes-on", metavar="DATE", help=_(
    "The self-assessment cut-off: after it nothing more can be won. An empty value closes the "
    "plan when it ends."))
@click.option("--target", metavar="POINTS", help=_("This year's target score (empty: none)."))
def plan_set(closes_on: str | None, target: str | None) -> None:
    from planner.services.plans_admin import update_plan

    if closes_on is None and target is None:
        raise click.UsageError(_("Nothing to change: give --closes-on or --target."))
    ctx = state().context()
    plan = update_plan(ctx, closes_on=closes_on, target=target)
    out(_("The {year} plan closes on {date}; target {target}.").format(
        year=plan.year, date=fmt_date(plan.closes_on or plan.ends_on),
        target=fmt_points(plan.target_score) if plan.target_score is not None else "-"))


def _add_removal() -> None:
    from planner.cli.cmd_removal import plan_delete

    plan_group.add_command(plan_delete)


_add_removal()
