"""`planner plan delete` and (with `cmd_io`) `planner import undo`: remove a mistaken plan or
import, after a dry run and a backup."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from planner.cli.common import confirm_or_abort, emit_json, fmt_date, out, render_table, state, warn
from planner.i18n import _

if TYPE_CHECKING:
    from planner.services.removal import Removal


def removal_options(func):  # type: ignore[no-untyped-def]
    for option in reversed([
        click.option("--dry-run", is_flag=True, help=_("List exactly what would be removed; remove nothing.")),
        click.option("--force", is_flag=True, help=_("Also remove tasks worked on since (status changes, evidence, edits).")),
        click.option("--backup", "backup_to", type=click.Path(path_type=Path, dir_okay=False),
                     help=_("Write the backup to this file (default: beside the database).")),
        click.option("--yes", is_flag=True, help=_("Do not ask for confirmation.")),
        click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                     show_default=True, help=_("Output format of --dry-run.")),
    ]):
        func = option(func)
    return func


def print_removal(removal: Removal) -> None:
    """What a removal takes: counts, then every task with the work recorded on it."""
    from planner.services.removal import kind_label

    if removal.kind == "import":
        out(_("Import #{id}: {file}, {date} by {who}, into the {year} plan \"{title}\"").format(
            id=removal.import_id, file=removal.import_file, who=removal.import_actor,
            date=fmt_date(removal.import_at.date()) if removal.import_at else "?",
            year=removal.year, title=removal.title))
    else:
        out(_("The {year} plan \"{title}\"").format(year=removal.year, title=removal.title))
    out(render_table([_("Would be removed"), _("Number")],
                     [[kind_label(k), str(n)] for k, n in removal.counts.items() if n],
                     right=[1]))
    if removal.kind == "import":
        if removal.removes_plan:
            out(_("The {year} plan itself goes too: the import created it and nothing else is in "
                  "it.").format(year=removal.year))
        if removal.offices:
            out(_("Offices the import created, used by nothing else: {codes}.").format(
                codes=", ".join(removal.offices)))
        if removal.offices_kept:
            out(_("Offices the import created, kept because they are in use: {codes}.").format(
                codes=", ".join(removal.offices_kept)))
        if removal.gone:
            out(_("{n} tasks of the import were deleted since.").format(n=removal.gone))
    if removal.tasks:
        out("")
        out(render_table([_("Code"), _("Title"), _("Occurrences"), _("Worked on since")],
                         [[t.code, t.title, str(t.occurrences), t.work()] for t in removal.tasks],
                         flex=1, right=[2]))


def carry_out(removal: Removal, *, dry_run: bool, force: bool, yes: bool,
              backup_to: Path | None, fmt: str) -> None:
    from planner.services.removal import kind_label, remove

    if dry_run:
        if fmt == "json":
            emit_json(removal.to_json())
        else:
            print_removal(removal)
        if removal.blocked:
            warn(_("{n} tasks were worked on since: removing them needs --force.").format(
                n=len(removal.worked_on)) if removal.worked_on else
                _("Readings, confirmations or evidence were recorded on the plan: removing them "
                  "needs --force."))
        warn(_("Dry run: nothing was removed."))
        return
    ctx = state().context()
    total = sum(removal.counts.values())
    confirm_or_abort(_("Remove {what}: {n} records, {tasks} of them tasks? A backup is written "
                       "first.").format(what=removal.what(), n=total,
                                        tasks=removal.counts["tasks"]), yes)
    done = remove(ctx, removal, force=force, backup_to=backup_to)
    warn(_("Backup written to {path} ({hint}).").format(path=done.backup, hint=done.restore_hint))
    counts = ", ".join(f"{n} {kind_label(k)}" for k, n in done.removal.counts.items() if n)
    warn(_("Removed {what}: {counts}; the change log keeps the record.").format(
        what=done.removal.what(), counts=counts or _("nothing left")))
    if done.removal.kind == "import" and done.removal.removes_plan:
        warn(_("The {year} plan, created by the import, was removed with it.").format(
            year=done.removal.year))


@click.command("delete", help=_(
    "Delete a whole plan (tasks, occurrences, evidence, criteria, indicators, readings): "
    "--dry-run lists it all; a backup is written first; work recorded on it needs --force."))
@click.argument("year", type=int)
@removal_options
def plan_delete(year: int, dry_run: bool, force: bool, backup_to: Path | None, yes: bool,
                fmt: str) -> None:
    from planner.services.removal import plan_removal

    ctx = state().context()
    carry_out(plan_removal(ctx, year), dry_run=dry_run, force=force, yes=yes,
              backup_to=backup_to, fmt=fmt)
