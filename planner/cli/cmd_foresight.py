"""`planner whatif` and `planner focus`: the score under hypothetical changes, and the tasks
that matter most. Both only read; `whatif` opens the database read-only."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from planner.cli.common import (
    as_of_option,
    emit_json,
    fmt_date,
    fmt_points,
    force_date_option,
    format_option,
    out,
    render_table,
    resolve_as_of,
    state,
)
from planner.i18n import _

_FIGURE_LABELS = {
    "secured": lambda: _("Secured"),
    "at_risk": lambda: _("At risk"),
    "lost": lambda: _("Lost"),
    "projected": lambda: _("Projected"),
}


def _signed(value: float) -> str:
    text = fmt_points(abs(value))
    if abs(value) < 0.005:
        return fmt_points(0.0)
    return ("+" if value > 0 else "−") + text


def _read_only_context():  # type: ignore[no-untyped-def]
    from planner.services.context import Context, current_login
    from planner.services.session import pinned_today
    from planner.services.whatif import open_read_only

    app = state()
    db = open_read_only(app.db_location())
    ctx = Context(db=db, actor=str(app.settings.get("user") or current_login()))
    pinned = pinned_today(db)
    if pinned is not None:
        ctx.today = pinned
    ctx.plan_year = app.plan_year
    ctx.limits = app.settings.file_limits()
    ctx.work = app.settings.work_calendar()
    return ctx


def _split_pair(value: str, option: str) -> tuple[str, str]:
    name, sep, rest = value.partition("=")
    if not sep or not name.strip() or not rest.strip():
        raise click.BadParameter(_("expected CODE=VALUE, got {value!r}").format(value=value),
                                 param_hint=option)
    return name.strip(), rest.strip()


@click.command("whatif", help=_(
    "The score if some tasks were done on a date, late, never, or had their evidence rejected "
    "(and readings, confirmations): before, after and the difference. Nothing is written: the "
    "database is opened read-only."))
@click.argument("targets", nargs=-1, metavar="[TASK|TASK@DATE]...")
@click.option("--done-by", "done_by", metavar="DATE",
              help=_("Done on this date, evidence accepted (default: on each deadline)."))
@click.option("--slip-to", "slip_to", metavar="DATE",
              help=_("Done on this date, after the deadline (late)."))
@click.option("--never", is_flag=True, help=_("Never done."))
@click.option("--reject", "reject_on", metavar="DATE", help=_("Evidence rejected on this date."))
@click.option("--reading", "readings", multiple=True, metavar="INDICATOR=VALUE",
              help=_("A reading of an indicator on the as-of date (repeatable)."))
@click.option("--confirm", "confirms", multiple=True, metavar="CRITERION=OUTCOME",
              help=_("A confirmed outcome of a condition criterion, with accepted evidence "
                     "(repeatable)."))
@as_of_option
@force_date_option
@format_option("table", "json")
def whatif_cmd(targets: tuple[str, ...], done_by: str | None, slip_to: str | None, never: bool,
               reject_on: str | None, readings: tuple[str, ...], confirms: tuple[str, ...],
               as_of: str | None, force: bool, fmt: str) -> None:
    from planner.domain.whatif import (
        Change,
        ConfirmationChange,
        OccurrenceChange,
        ReadingChange,
    )
    from planner.services.inputs import number_field
    from planner.services.whatif import hypothetical_date, run_what_if

    chosen = [name for name, given in (("--done-by", done_by), ("--slip-to", slip_to),
                                       ("--never", never), ("--reject", reject_on)) if given]
    if len(chosen) > 1:
        raise click.UsageError(_("choose one of {options}").format(options=", ".join(chosen)))
    if not targets and not readings and not confirms:
        raise click.UsageError(_("name at least one task, --reading or --confirm"))
    if chosen and not targets:
        raise click.UsageError(_("{option} needs at least one task").format(option=chosen[0]))
    ctx = _read_only_context()
    day = resolve_as_of(ctx, as_of)
    changes: list[Change] = []
    try:
        on = None
        for value, field in ((slip_to, "--slip-to"), (reject_on, "--reject"), (done_by, "--done-by")):
            if value:
                on = hypothetical_date(ctx, value, field, force=force)
    except BaseException:
        ctx.db.dispose()
        raise
    for target in targets:
        if never:
            changes.append(OccurrenceChange(target, "never"))
        elif slip_to:
            changes.append(OccurrenceChange(target, "slip", on))
        elif reject_on:
            changes.append(OccurrenceChange(target, "reject", on))
        else:
            changes.append(OccurrenceChange(target, "done", on))
    for reading in readings:
        code, value = _split_pair(reading, "--reading")
        changes.append(ReadingChange(code, day, number_field(value, "--reading " + code)))
    for confirm in confirms:
        code, outcome = _split_pair(confirm, "--confirm")
        changes.append(ConfirmationChange(code, day, outcome))
    try:
        result = run_what_if(ctx, changes, day)
    finally:
        ctx.db.dispose()
    _print_what_if(result, changes, day, fmt)


def _describe(change: Any) -> str:
    from planner.domain.whatif import OccurrenceChange, ReadingChange

    if isinstance(change, OccurrenceChange):
        if change.kind == "never":
            return _("{task} never done").format(task=change.key)
        if change.kind == "reject":
            return _("{task}: evidence rejected on {date}").format(task=change.key, date=fmt_date(change.on))
        if change.on is None:
            return _("{task} done on its deadline").format(task=change.key)
        return _("{task} done on {date}").format(task=change.key, date=fmt_date(change.on))
    if isinstance(change, ReadingChange):
        return _("{indicator} reads {value} on {date}").format(
            indicator=change.indicator, value=change.value, date=fmt_date(change.on))
    return _("{criterion} confirmed {outcome} on {date}").format(
        criterion=change.criterion, outcome=change.outcome, date=fmt_date(change.on))


def _figures(node: Any) -> dict[str, float]:
    return {name: round(float(getattr(node, name)), 4) for name in ("secured", "at_risk", "lost", "projected")}


def _print_what_if(result: Any, changes: list[Any], as_of: date, fmt: str) -> None:
    what = result.result
    if fmt == "json":
        rows = []
        for key, label, before, after in result.rows():
            b, a = _figures(before), _figures(after)
            rows.append({"scope": key, "title": label, "before": b, "after": a,
                         "change": {name: round(a[name] - b[name], 4) for name in b}})
        emit_json({
            "plan": {"year": result.plan.year, "title": result.plan.title},
            "as_of": what.as_of.isoformat(),
            "changes": [_change_json(change) for change in changes],
            "figures": rows,
            "rank": _rank_json(result.rank),
            "written": False,
        })
        return
    out(_("What if: {changes}").format(changes="; ".join(_describe(c) for c in changes)))
    if what.as_of != as_of:
        out(_("Figures as of {date}, when the changes show.").format(date=fmt_date(what.as_of)))
    else:
        out(_("Figures as of {date}.").format(date=fmt_date(what.as_of)))
    table = []
    for _key, label, before, after in result.rows():
        cells = [label]
        for name in ("secured", "at_risk", "lost", "projected"):
            old, new = float(getattr(before, name)), float(getattr(after, name))
            moved = abs(new - old) >= 0.005
            cells.append(f"{fmt_points(old)} → {fmt_points(new)}" if moved else fmt_points(old))
        table.append(cells)
    headers = ["", *(_FIGURE_LABELS[name]() for name in ("secured", "at_risk", "lost", "projected"))]
    out(render_table(headers, table, flex=0, right=[1, 2, 3, 4]))
    before, after = what.before.overall, what.after.overall
    out("")
    out(_("Change in total: secured {s}, at risk {r}, lost {l}, projected {p}.").format(
        s=_signed(after.secured - before.secured), r=_signed(after.at_risk - before.at_risk),
        l=_signed(after.lost - before.lost), p=_signed(after.projected - before.projected)))
    for line in _rank_lines(result.rank):
        out(line)
    out(_("Nothing was written: the database was opened read-only."))


def _rank_lines(rank: Any) -> list[str]:
    """The rank lines of a what-if: last year's rank, then the estimate before → after."""
    if rank.before is None:
        return [_("Rank: {note}.").format(note=rank.note)]
    lines = []
    if rank.last_year is not None:
        lines.append(_("Rank in {year}: {rank} of {of}.").format(
            year=rank.year, rank=rank.last_year, of=rank.of))
    moved = f"{rank.before} → {rank.after}" if rank.before != rank.after else str(rank.before)
    lines.append(_(
        "Estimated rank: {moved} of {of} (projected {old} → {new}, placed among the other "
        "units' scores of {year}, {part}: an estimate against last year's scores, not a "
        "forecast).").format(
        moved=moved, of=rank.of, old=fmt_points(rank.score_before),
        new=fmt_points(rank.score_after), year=rank.year, part=_part_label(rank.part)))
    if rank.comparable:
        lines.append(_("The projected scores are the comparable ones: the points of the criteria "
                       "not applicable to the unit rescaled, as the index compares units."))
    return lines


def _part_label(part: str) -> str:
    from planner.services.ranking import part_label

    return part_label(part)


def _rank_json(rank: Any) -> dict[str, Any]:
    return {"before": rank.before, "after": rank.after, "note": rank.note,
            "last_year": rank.last_year, "of": rank.of, "year": rank.year, "part": rank.part,
            "projected_before": rank.score_before, "projected_after": rank.score_after,
            "comparable": rank.comparable,
            "estimate": rank.before is not None}


def _change_json(change: Any) -> dict[str, Any]:
    from planner.domain.whatif import OccurrenceChange, ReadingChange

    if isinstance(change, OccurrenceChange):
        return {"task": change.key, "change": change.kind, "on": change.on.isoformat() if change.on else None}
    if isinstance(change, ReadingChange):
        return {"indicator": change.indicator, "change": "reading", "value": change.value,
                "on": change.on.isoformat()}
    return {"criterion": change.criterion, "change": "confirmation", "outcome": change.outcome,
            "on": change.on.isoformat()}


@click.command("focus", help=_(
    "The tasks that matter most: open tasks ranked by the points lost if never done, per "
    "working day left before their deadline (less their effort estimate), with the lead office "
    "and its head."))
@click.option("--office", metavar="CODE", help=_("Only tasks this office leads."))
@click.option("--limit", type=click.IntRange(1, 10_000), default=10, show_default=True,
              help=_("How many tasks to show."))
@as_of_option
@format_option("table", "json")
def focus_cmd(office: str | None, limit: int, as_of: str | None, fmt: str) -> None:
    from planner.services.focus import focus_list, method_note

    ctx = state().context()
    ranked = focus_list(ctx, resolve_as_of(ctx, as_of), office=office, limit=limit)
    if fmt == "json":
        emit_json([_focus_json(rank, item, ranked.office(item.occurrence.lead_office))
                   for rank, item in enumerate(ranked.items, 1)])
        return
    out(_("The tasks that matter most — as of {date}").format(date=fmt_date(ranked.as_of)))
    if not ranked.items:
        out(ranked.empty_text())
        return
    rows = []
    for rank, item in enumerate(ranked.items, 1):
        occ = item.occurrence
        head = ranked.office(occ.lead_office)
        left = _("overdue") if item.overdue else str(item.days_left)
        effort = f"{item.effort_days:g}" if item.effort_days is not None else "-"
        rows.append([str(rank), occ.key, occ.title, fmt_date(occ.due_on), left, effort,
                     fmt_points(item.at_stake), _per_day(item.pressure),
                     occ.lead_office, head.head or "-"])
    out(render_table(["#", _("Task"), _("Title"), _("Due"), _("Days left"), _("Effort"),
                      _("At stake"), _("Per day"), _("Lead"), _("Head of office")],
                     rows, flex=2, right=[0, 4, 5, 6, 7]))
    out("")
    out(method_note(ranked.items))


def _per_day(value: float) -> str:
    from planner.i18n import current_language

    text = f"{value:.3f}"
    return text.replace(".", ",") if current_language() == "vi" else text


def _focus_json(rank: int, item: Any, head: Any) -> dict[str, Any]:
    occ = item.occurrence
    return {
        "rank": rank, "code": occ.key, "task": occ.task_code, "title": occ.title,
        "due": occ.due_on.isoformat(), "overdue": item.overdue, "days_left": item.days_left,
        "effort_days": item.effort_days, "method": item.method,
        "at_stake": round(item.at_stake, 4), "secured_at_stake": round(item.secured_at_stake, 4),
        "pressure": round(item.pressure, 6), "lead_office": occ.lead_office,
        "head_name": head.head_name, "head_title": head.head_title,
    }
