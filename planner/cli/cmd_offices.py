"""`planner offices` (the accountability board) and `planner office add|edit`."""

from __future__ import annotations

import click

from planner.cli.common import (
    as_of_option,
    emit_csv,
    emit_json,
    fmt_points,
    format_option,
    out,
    render_table,
    resolve_as_of,
    state,
    warn,
)
from planner.i18n import _


@click.command("offices", help=_("The accountability board: what each office leads and how it stands."))
@as_of_option
@format_option("table", "json", "csv")
def offices_cmd(as_of: str | None, fmt: str) -> None:
    from planner.services.offices import board

    ctx = state().context()
    rows = board(ctx, resolve_as_of(ctx, as_of))
    fields = ["office", "name", "head", "head_title", "email", "tasks_led", "done_on_time", "done_late",
              "overdue", "awaiting_review", "points_at_risk", "points_lost", "supported"]

    def values(b):  # type: ignore[no-untyped-def]
        r = b.record
        return [b.office.code, b.office.name, b.office.head_name, b.office.head_title, b.office.email,
                r.tasks_led, r.done_on_time, r.done_late, r.overdue, r.awaiting_review,
                round(r.points_at_risk, 4), round(r.points_lost, 4), r.supported]

    if fmt == "json":
        emit_json([dict(zip(fields, values(b), strict=True)) for b in rows])
        return
    if fmt == "csv":
        emit_csv(fields, (values(b) for b in rows))
        return
    out(render_table(
        [_("Office"), _("Head of office"), _("Led"), _("On time"), _("Late"), _("Overdue"),
         _("To review"), _("At risk"), _("Lost")],
        [[b.office.code, f"{b.office.head_name}, {b.office.head_title}".strip(", "),
          str(b.record.tasks_led), str(b.record.done_on_time), str(b.record.done_late),
          str(b.record.overdue), str(b.record.awaiting_review), fmt_points(b.record.points_at_risk),
          fmt_points(b.record.points_lost)] for b in rows],
        flex=1, right=[2, 3, 4, 5, 6, 7, 8]))


@click.group("office", help=_("Add or edit an office (division)."))
def office_group() -> None:
    pass


def _office_options(func):  # type: ignore[no-untyped-def]
    for option in reversed([
        click.option("--name", help=_("Full name, e.g. Phòng Tổ chức cán bộ.")),
        click.option("--alias", "aliases", multiple=True, help=_("Another name used in plans (repeatable).")),
        click.option("--head", help=_("Head of office's name.")),
        click.option("--head-title", help=_("Head of office's title, e.g. Trưởng phòng.")),
        click.option("--email", help=_("Head of office's email.")),
    ]):
        func = option(func)
    return func


@office_group.command("add", help=_("Add an office."))
@click.argument("code")
@_office_options
def office_add(code: str, name: str | None, aliases: tuple[str, ...], head: str | None,
               head_title: str | None, email: str | None) -> None:
    from planner.services.offices import save_office

    ctx = state().context()
    office = save_office(ctx, code, name=name or "", aliases=list(aliases) or None, head_name=head,
                         head_title=head_title, email=email, create=True)
    warn(_("Added office {code}.").format(code=office.code))


@office_group.command("edit", help=_("Edit an office."))
@click.argument("code")
@_office_options
def office_edit(code: str, name: str | None, aliases: tuple[str, ...], head: str | None,
                head_title: str | None, email: str | None) -> None:
    from planner.services.offices import save_office

    ctx = state().context()
    office = save_office(ctx, code, name=name, aliases=list(aliases) or None, head_name=head,
                         head_title=head_title, email=email)
    warn(_("Office {code} saved.").format(code=office.code))
