"""Indicators and readings; criterion confirmations, manual entries and owners."""

from __future__ import annotations

import click

from planner.cli.common import (
    emit_json,
    fmt_date,
    fmt_number,
    fmt_points,
    force_date_option,
    format_option,
    out,
    render_table,
    state,
    warn,
)
from planner.i18n import _


@click.command("indicators", help=_("Indicators with their latest reading and target."))
@format_option("table", "json")
def indicators_cmd(fmt: str) -> None:
    from planner.services.indicators import list_indicators
    from planner.services.vocabulary import unit_label

    ctx = state().context()
    rows = list_indicators(ctx)
    if fmt == "json":
        emit_json([{
            "code": r.code, "name": r.name, "unit": r.unit, "direction": r.direction, "target": r.target,
            "computed": r.computed, "criteria": list(r.criteria),
            "readings": [{"on": x.on.isoformat(), "value": x.value, "numerator": x.numerator,
                          "denominator": x.denominator, "source": x.source} for x in r.readings],
        } for r in rows])
        return
    table = []
    for r in rows:
        last = r.readings[-1] if r.readings else None
        value = "" if last is None else (
            fmt_points(last.value) if last.value is not None
            else f"{fmt_number(last.numerator)}/{fmt_number(last.denominator)}")
        table.append([r.code, r.name, ",".join(r.criteria), value, fmt_date(last.on) if last else "",
                      fmt_number(r.target) if r.target is not None else "",
                      _("computed") if r.computed else unit_label(r.unit)])
    out(render_table([_("Code"), _("Indicator"), _("Criteria"), _("Latest"), _("On"), _("Target"), _("Unit")],
                     table, flex=1, right=[3, 5]))


@click.group("indicator", help=_("Add or edit an indicator."))
def indicator_group() -> None:
    pass


def _unit(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A unit as its code (`percent`) or in words ("phần trăm")."""
    if value is None:
        return None
    from planner.services.vocabulary import UNIT_WORDS, code_from_words, unit_label

    code = code_from_words(value, UNIT_WORDS)
    if code is None:
        raise click.BadParameter(_('unknown unit "{unit}" (one of: {choices}).').format(
            unit=value, choices=", ".join(unit_label(u) for u in UNIT_WORDS)))
    return code


def _ind_options(func):  # type: ignore[no-untyped-def]
    for option in reversed([
        click.option("--name", help=_("What the indicator measures.")),
        click.option("--unit", metavar="UNIT", callback=_unit,
                     help=_("percent, count or ratio, in words or as codes.")),
        click.option("--direction", type=click.Choice(["higher", "lower"]), help=_("Which way is better.")),
        click.option("--target", help=_("The value aimed for.")),
        click.option("--bands", metavar="CRITERION=BOUND:POINTS,...", help=_("Set the bands of a threshold criterion, e.g. 3.3.1=100:3,98:2,95:1.")),
    ]):
        func = option(func)
    return func


def _save(code: str, name: str | None, unit: str | None, direction: str | None, target: str | None,
          bands: str | None, create: bool) -> None:
    from planner.services.errors import InputError
    from planner.services.indicators import save_indicator, set_bands

    ctx = state().context()
    if bands is not None and "=" not in bands:
        raise InputError(_("--bands: write CRITERION=BOUND:POINTS,… e.g. 3.3.1=100:3,98:2"))
    ind = save_indicator(ctx, code, name=name, unit=unit, direction=direction, target=target, create=create)
    if bands:
        crit, _sep, spec = bands.partition("=")
        set_bands(ctx, crit, spec)
    warn(_("Indicator {code} saved.").format(code=ind.code))


@indicator_group.command("add", help=_("Add an indicator."))
@click.argument("code")
@_ind_options
def indicator_add(code: str, name: str | None, unit: str | None, direction: str | None,
                  target: str | None, bands: str | None) -> None:
    _save(code, name, unit, direction, target, bands, True)


@indicator_group.command("edit", help=_("Edit an indicator."))
@click.argument("code")
@_ind_options
def indicator_edit(code: str, name: str | None, unit: str | None, direction: str | None,
                   target: str | None, bands: str | None) -> None:
    _save(code, name, unit, direction, target, bands, False)


@click.group("reading", help=_("Readings of indicators: add, list, correct, delete."))
def reading_group() -> None:
    pass


@reading_group.command("add", help=_("Record a reading: 97,5%, 97.5 or 123/130."))
@click.argument("indicator")
@click.argument("value")
@click.option("--date", "on", metavar="DATE", help=_("Date of the reading (default today)."))
@click.option("--source", default="", help=_("Where the figure comes from."))
@force_date_option
def reading_add(indicator: str, value: str, on: str | None, source: str, force: bool) -> None:
    from planner.services.indicators import add_reading

    ctx = state().context()
    reading = add_reading(ctx, indicator, value, on=on, source=source, force=force)
    shown = fmt_points(reading.value) if reading.value is not None else value
    warn(_("Reading {value} recorded for {code} on {date}.").format(
        value=shown, code=indicator, date=fmt_date(reading.on)))


def _figure(value: float | None, numerator: float | None, denominator: float | None) -> str:
    if value is None:
        return f"{numerator:g}/{denominator:g}" if numerator is not None else "-"
    return fmt_points(value)  # a decimal comma in Vietnamese


@reading_group.command("list", help=_("List the readings, with the ids that edit and delete take."))
@click.option("--indicator", metavar="CODE", help=_("Of one indicator."))
@format_option("table", "json")
def reading_list(indicator: str | None, fmt: str) -> None:
    from planner.services.readings import list_readings

    ctx = state().context()
    rows = list_readings(ctx, indicator=indicator)
    if fmt == "json":
        emit_json([r.to_json() for r in rows])
        return
    if not rows:
        warn(_("No reading yet."))
        return
    out(render_table(
        ["#", _("Indicator"), _("Date"), _("Value"), _("Counts"), _("Source"), _("Recorded by")],
        [[str(r.id), r.indicator, fmt_date(r.on), _figure(r.effective_value, None, None),
          f"{r.numerator:g}/{r.denominator:g}" if r.numerator is not None and r.denominator is not None else "",
          r.source, r.recorded_by] for r in rows],
        flex=5, right=[0, 3, 4]))


@reading_group.command("edit", help=_(
    "Correct a reading (its value, date or source) for its own date: every score from that date "
    "on changes; the change log keeps the old figure."))
@click.argument("reading_id", type=int)
@click.option("--value", help=_("The corrected value: 97,5%, 97.5 or 123/130."))
@click.option("--date", "on", metavar="DATE", help=_("The corrected date of the reading."))
@click.option("--source", help=_("The corrected source."))
@click.option("--reason", required=True, help=_("Why it is corrected (required; kept in the log)."))
@click.option("--if-version", type=int, metavar="N", help=_("Refuse (exit 3) unless the reading is still at version N."))
def reading_edit(reading_id: int, value: str | None, on: str | None, source: str | None,
                 reason: str, if_version: int | None) -> None:
    from planner.services.readings import correct_reading

    ctx = state().context()
    reading = correct_reading(ctx, reading_id, reason=reason, value=value, on=on, source=source,
                              expected_version=if_version)
    warn(_("Reading {id} corrected: {value} on {date}.").format(
        id=reading.id, value=_figure(reading.value, reading.numerator, reading.denominator),
        date=fmt_date(reading.on)))


@reading_group.command("delete", help=_("Delete a reading recorded by mistake (kept in the change log)."))
@click.argument("reading_id", type=int)
@click.option("--reason", required=True, help=_("Why it is deleted (required; kept in the log)."))
@click.option("--if-version", type=int, metavar="N", help=_("Refuse (exit 3) unless the reading is still at version N."))
def reading_delete(reading_id: int, reason: str, if_version: int | None) -> None:
    from planner.services.readings import delete_reading

    ctx = state().context()
    reading = delete_reading(ctx, reading_id, reason=reason, expected_version=if_version)
    warn(_("Reading {id} of {date} deleted; the change log keeps it.").format(
        id=reading_id, date=fmt_date(reading.on)))


@click.group("criterion", help=_("Confirm a condition, enter manual points, or set a criterion's owner."))
def criterion_group() -> None:
    pass


@criterion_group.command("confirm", help=_("Confirm the outcome of a condition criterion."))
@click.argument("code")
@click.argument("outcome")
@click.option("--on", metavar="DATE", help=_("Date of the confirmation (default today)."))
@click.option("--note", default="", help=_("A note kept with it."))
@force_date_option
def criterion_confirm(code: str, outcome: str, on: str | None, note: str, force: bool) -> None:
    from planner.services.indicators import confirm, outcome_label_of

    ctx = state().context()
    row = confirm(ctx, code, outcome, on=on, note=note, force=force)
    warn(_("{code}: outcome {outcome} confirmed on {date}.").format(
        code=code, outcome=outcome_label_of(ctx, code, row.outcome), date=fmt_date(row.on)))


@criterion_group.command("enter", help=_("Enter points (16.5) or a percentage of the maximum (81%) for a manual criterion."))
@click.argument("code")
@click.argument("value")
@click.option("--on", metavar="DATE", help=_("Date of the entry (default today)."))
@click.option("--note", default="", help=_("A note kept with it."))
@force_date_option
def criterion_enter(code: str, value: str, on: str | None, note: str, force: bool) -> None:
    from planner.services.indicators import enter_manual

    ctx = state().context()
    row = enter_manual(ctx, code, value, on=on, note=note, force=force)
    warn(_("{code}: {points} points entered.").format(code=code, points=fmt_points(row.points)))


@criterion_group.command("owner", help=_("Name the office that answers for a criterion ('none' to clear)."))
@click.argument("code")
@click.argument("office")
def criterion_owner(code: str, office: str) -> None:
    from planner.services.indicators import set_owner

    ctx = state().context()
    set_owner(ctx, code, office)
    warn(_("{code}: owner set.").format(code=code))


@criterion_group.command("applicable", help=_(
    "Mark a criterion applicable to the unit or not ('yes' or 'no'). The points of a criterion that "
    "is not applicable leave the total; reports show the comparable score beside it."))
@click.argument("code")
@click.argument("answer", type=click.Choice(["yes", "no", "có", "không"], case_sensitive=False))
def criterion_applicable(code: str, answer: str) -> None:
    from planner.services.criteria_admin import set_applicable

    ctx = state().context()
    applicable = answer.lower() in ("yes", "có")
    crit = set_applicable(ctx, code, applicable)
    if applicable:
        warn(_("{code}: applicable; its maximum of {points} counts again.").format(
            code=crit.code, points=f"{crit.max_points:g}"))
    else:
        warn(_("{code}: not applicable; its maximum of {points} leaves the total (see the "
               "comparable score in `planner score`).").format(code=crit.code,
                                                                points=f"{crit.max_points:g}"))


@criterion_group.command("method", help=_(
    "Change how a criterion is scored ('tasks', 'threshold', 'condition', 'manual'); its "
    "parameters "
    "are read again from its scoring guidance."))
@click.argument("code")
@click.argument("method", type=click.Choice(["tasks", "threshold", "condition", "manual"]))
def criterion_method(code: str, method: str) -> None:
    from planner.services.criteria_admin import set_method

    ctx = state().context()
    crit = set_method(ctx, code, method)
    warn(_("{code}: scored by {method}.").format(code=crit.code, method=crit.method))


@criterion_group.command("indicator", help=_(
    "Read a threshold criterion from an indicator; with --name, the indicator is created "
    "when the plan has none of that code."))
@click.argument("code")
@click.argument("indicator")
@click.option("--name", help=_("Name of the indicator to create."))
@click.option("--unit", type=click.Choice(["percent", "count", "ratio"]), default="percent",
              help=_("Unit of the indicator to create (default 'percent')."))
@click.option("--computed", type=click.Choice(["plan_completion"]),
              help=_("The indicator to create is computed from the plan (share of its tasks done)."))
def criterion_indicator(code: str, indicator: str, name: str | None, unit: str,
                        computed: str | None) -> None:
    from planner.services.criteria_admin import set_indicator

    ctx = state().context()
    crit, ind, created = set_indicator(ctx, code, indicator, name=name, unit=unit,
                                       computed=computed)
    if created:
        warn(_("Indicator {ind} created; {code} is read from it.").format(ind=ind.code,
                                                                          code=crit.code))
    else:
        warn(_("{code} is read from indicator {ind}.").format(code=crit.code, ind=ind.code))


@criterion_group.command("gaps", help=_(
    "Criteria that cannot score yet: a threshold without indicator or bands, a condition "
    "without outcomes, a criterion scored by tasks with no task linked. Exit code 1 when any."))
@format_option("table", "json")
def criterion_gaps(fmt: str) -> None:
    from planner.services.criteria_admin import criteria_gaps
    from planner.services.errors import CheckFailed

    ctx = state().context()
    gaps = criteria_gaps(ctx)
    if fmt == "json":
        emit_json([{"code": g.code, "title": g.title, "method": g.method, "gap": g.kind,
                    "text": g.text} for g in gaps])
    elif gaps:
        out(render_table([_("Code"), _("Criterion"), _("Method"), _("Missing")],
                         [[g.code, g.title, g.method, g.text] for g in gaps], flex=1))
        kinds = {g.kind for g in gaps}
        if "indicator" in kinds:
            warn(_("An indicator: `planner criterion indicator CODE INDICATOR --name NAME`."))
        if "bands" in kinds:
            warn(_("Bands: `planner indicator edit INDICATOR --bands CODE=100:1,95:0.5`."))
        if "tasks" in kinds:
            warn(_("Tasks: `planner links suggest`, then `planner links accept`."))
    else:
        out(_("Every applicable criterion can score."))
    if gaps:
        raise CheckFailed(_("{n} gaps.").format(n=len(gaps)))
