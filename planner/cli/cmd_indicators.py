"""Indicators and readings; criterion confirmations, manual entries and owners."""

from __future__ import annotations

import click

from planner.cli.common import (
    emit_json,
    fmt_date,
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
            f"{last.value:.2f}" if last.value is not None else f"{last.numerator:g}/{last.denominator:g}")
        table.append([r.code, r.name, ",".join(r.criteria), value, fmt_date(last.on) if last else "",
                      f"{r.target:g}" if r.target is not None else "", _("computed") if r.computed else r.unit])
    out(render_table([_("Code"), _("Indicator"), _("Criteria"), _("Latest"), _("On"), _("Target"), _("Unit")],
                     table, flex=1, right=[3, 5]))


@click.group("indicator", help=_("Add or edit an indicator."))
def indicator_group() -> None:
    pass


def _ind_options(func):  # type: ignore[no-untyped-def]
    for option in reversed([
        click.option("--name"),
        click.option("--unit", type=click.Choice(["percent", "count", "ratio"])),
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


@click.group("reading", help=_("Readings of indicators."))
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
    shown = f"{reading.value:.2f}" if reading.value is not None else value
    warn(_("Reading {value} recorded for {code} on {date}.").format(
        value=shown, code=indicator, date=fmt_date(reading.on)))


@click.group("criterion", help=_("Confirm a condition, enter manual points, or set a criterion's owner."))
def criterion_group() -> None:
    pass


@criterion_group.command("confirm", help=_("Confirm the outcome of a condition criterion."))
@click.argument("code")
@click.argument("outcome")
@click.option("--on", metavar="DATE")
@click.option("--note", default="")
@force_date_option
def criterion_confirm(code: str, outcome: str, on: str | None, note: str, force: bool) -> None:
    from planner.services.indicators import confirm

    ctx = state().context()
    row = confirm(ctx, code, outcome, on=on, note=note, force=force)
    warn(_("{code}: outcome {outcome} confirmed on {date}.").format(code=code, outcome=row.outcome, date=fmt_date(row.on)))


@criterion_group.command("enter", help=_("Enter points (16.5) or a percentage of the maximum (81%) for a manual criterion."))
@click.argument("code")
@click.argument("value")
@click.option("--on", metavar="DATE")
@click.option("--note", default="")
@force_date_option
def criterion_enter(code: str, value: str, on: str | None, note: str, force: bool) -> None:
    from planner.services.indicators import enter_manual

    ctx = state().context()
    row = enter_manual(ctx, code, value, on=on, note=note, force=force)
    warn(_("{code}: {points} points entered.").format(code=code, points=f"{row.points:.2f}"))


@criterion_group.command("owner", help=_("Name the office that answers for a criterion ('none' to clear)."))
@click.argument("code")
@click.argument("office")
def criterion_owner(code: str, office: str) -> None:
    from planner.services.indicators import set_owner

    ctx = state().context()
    set_owner(ctx, code, office)
    warn(_("{code}: owner set.").format(code=code))
