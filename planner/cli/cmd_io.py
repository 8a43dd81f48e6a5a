"""`planner import plan`, `planner export …`, `planner backup`, `restore` and `check`."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.cli.click_i18n import WholeNumberRange
from planner.cli.common import (
    confirm_or_abort,
    emit_json,
    fmt_date,
    out,
    render_table,
    resolve_as_of,
    state,
    warn,
)
from planner.i18n import _

if TYPE_CHECKING:
    from planner.io.plan_import import PlanImport

#: Files with more rows than this show progress even when stderr is not a terminal.
LARGE_FILE_ROWS = 2000
MAX_PROBLEMS_SHOWN = 500


class _Progress:
    """Progress on stderr: a rewritten line on a terminal, a few plain lines otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last_stage = ""
        self.last_time = 0.0
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.tty and total < LARGE_FILE_ROWS:
            return
        now = time.monotonic()
        if stage == self.last_stage and now - self.last_time < (0.2 if self.tty else 2.0) \
                and done < total:
            return
        self.last_stage, self.last_time = stage, now
        labels = {"read": _("reading"), "check": _("checking"), "write": _("writing")}
        text = f"{labels.get(stage, stage)} {done}" + (f"/{total}" if total else "")
        if self.tty:
            click.echo("\r" + text.ljust(40), err=True, nl=False)
        else:
            click.echo(text, err=True)
        self.shown = True

    def done(self) -> None:
        if self.tty and self.shown:
            click.echo("\r" + " " * 40 + "\r", err=True, nl=False)


# ------------------------------------------------------------------------------- import


@click.group("import", help=_("Import data from spreadsheets."))
def import_group() -> None:
    pass


def _removal_options():  # type: ignore[no-untyped-def]
    from planner.cli.cmd_removal import removal_options

    return removal_options


@import_group.command("plan", help=_(
    "Import a plan from its appendix table (.xlsx, .xls, .ods, .csv, or a table in a .docx): "
    "sections in Roman numerals, tasks with lead and supporting offices, deadlines and "
    "products. All or nothing."))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--year", type=WholeNumberRange(2000, 2100), help=_("Plan year (default: from the title, \"năm 2022\")."))
@click.option("--title", help=_("Plan title (default: the title above the table)."))
@click.option("--sheet", help=_("Read this sheet (default: the first that holds a plan table)."))
@click.option("--dry-run", is_flag=True, help=_("Show what would be created and every problem; write nothing."))
@click.option("--create-offices", is_flag=True, help=_("Create offices the database does not know yet."))
@click.option("--into-existing", is_flag=True, help=_("Add the tasks to the year's plan when it already exists."))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help=_("Output format of --dry-run."))
def import_plan(file: Path, year: int | None, title: str | None, sheet: str | None, dry_run: bool,
                create_offices: bool, into_existing: bool, fmt: str) -> None:
    from planner.io.files import regular_file
    from planner.io.plan_import import ImportOptions
    from planner.services.errors import InputError
    from planner.services.plan_load import prepare_import, write_import

    regular_file(file)  # a FIFO would block, /dev/zero never ends: refused before opening
    app = state()
    ctx = app.context(create=True)
    options = ImportOptions(year=year, title=title, sheet=sheet, create_offices=create_offices,
                            into_existing=into_existing, limits=ctx.limits)
    progress = _Progress()
    imp = prepare_import(ctx.db, file, options, plan_year=app.plan_year, progress=progress)
    progress.done()
    if dry_run:
        if fmt == "json":
            emit_json(_import_json(imp))
        else:
            _print_import(imp)
        for note in imp.notes:
            warn(note)
        if imp.problems:
            _print_problems(imp)
            ctx_exit(2)
        warn(_("Dry run: nothing was written."))
        return
    if imp.problems:
        _print_problems(imp)
        raise InputError(_("{file}: {n} problems; nothing was imported.").format(
            file=file.name, n=len(imp.problems)))
    summary = write_import(ctx, imp, progress=progress)
    progress.done()
    for note in imp.notes:
        warn(note)
    what = _("Created the {year} plan") if summary.created_plan else _("Added to the {year} plan")
    warn((what + _(" from {file}: {tasks} tasks ({occ} occurrences of recurring tasks), "
                   "{sup} supporting-office links, {links} criteria links.")).format(
        year=summary.year, file=file.name, tasks=summary.tasks, occ=summary.occurrences,
        sup=summary.supports, links=summary.links))
    if summary.offices_created:
        warn(_("New offices: {codes}.").format(codes=", ".join(summary.offices_created)))


@import_group.command("list", help=_("The imports recorded in the change log, with the ids `import undo` takes."))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help=_("Output format."))
def import_list(fmt: str) -> None:
    from planner.services.removal import list_imports

    rows = list_imports(state().context())
    if fmt == "json":
        emit_json([r.to_json() for r in rows])
        return
    if not rows:
        warn(_("No import yet."))
        return
    out(render_table(
        ["#", _("When"), _("Who"), _("Plan"), _("File"), _("Tasks"), _("Undone")],
        [[str(r.id), f"{fmt_date(r.at.date())} {r.at:%H:%M}", r.actor, str(r.year), r.file,
          str(r.tasks), (_("yes (#{id})").format(id=r.undone_by) if r.undone_by
                         else "" if r.can_undo else _("cannot be undone"))] for r in rows],
        flex=4, right=[0, 5]))


@import_group.command("undo", help=_(
    "Remove the tasks an import added (ID from `planner import list`; default the latest), and "
    "the plan if the import created it: --dry-run lists them; a backup is written first; tasks "
    "worked on since need --force."))
@click.argument("import_id", type=int, required=False, metavar="[ID]")
@_removal_options()
def import_undo(import_id: int | None, dry_run: bool, force: bool, backup_to: Path | None,
                yes: bool, fmt: str) -> None:
    from planner.cli.cmd_removal import carry_out
    from planner.services.removal import import_removal

    ctx = state().context()
    carry_out(import_removal(ctx, import_id), dry_run=dry_run, force=force, yes=yes,
              backup_to=backup_to, fmt=fmt)


def ctx_exit(code: int) -> None:
    click.get_current_context().exit(code)


def _print_problems(imp: PlanImport) -> None:
    for p in imp.problems[:MAX_PROBLEMS_SHOWN]:
        warn(str(p))
    if len(imp.problems) > MAX_PROBLEMS_SHOWN:
        warn(_("… and {n} more problems.").format(n=len(imp.problems) - MAX_PROBLEMS_SHOWN))


def _deadline_label(t: Any) -> str:
    if t.continuous:
        return _("continuous")
    if t.recurrence:
        return t.deadline_text
    return fmt_date(t.due_on)


def _print_import(imp: PlanImport) -> None:
    if imp.existing is not None and not imp.existing.task_codes and imp.title_given:
        out(_('Plan {year} "{title}" (exists without tasks: it takes this title, number and '
              'date, and the tasks)').format(year=imp.year, title=imp.title))
    elif imp.existing is not None:
        out(_('Plan {year} "{title}" (exists: tasks are added to it)').format(
            year=imp.year, title=imp.existing.title))
    else:
        out(_('Plan {year} "{title}" (new)').format(year=imp.year or "?", title=imp.title))
    if imp.sheet and imp.kind == "table":
        out(_("Table {n}, header on row {row}, table to row {last}.").format(
            n=imp.sheet, row=imp.header_row, last=imp.last_row))
    elif imp.sheet:
        out(_('Sheet "{sheet}", header on row {row}, table to row {last}.').format(
            sheet=imp.sheet, row=imp.header_row, last=imp.last_row))
    extra = [(_("Number"), imp.number), (_("Issued"), fmt_date(imp.issued_on)),
             (_("Agency"), imp.agency)]
    for label, value in extra:
        if value:
            out(f"  {label}: {value}")
    if imp.sections:
        out("")
        out(_("Sections:"))
        for s in imp.sections:
            target = (f"{s.field_code} {s.field_title}" if s.field_code
                      else _("field {n} (the plan has no criteria)").format(n=s.number))
            out(f"  {s.numeral}. {s.title}  →  {target}")
    if imp.new_offices:
        out("")
        out(_("New offices:"))
        for o in imp.new_offices:
            out(_('  {code}  "{name}" (first named on row {row})').format(
                code=o.code, name=o.name, row=imp.new_office_rows.get(o.code, "?")))
    if imp.tasks:
        out("")
        out(_("Tasks ({n}):").format(n=len(imp.tasks)))
        rows = [[t.task.code, t.task.title, t.task.lead, ",".join(t.task.support),
                 _deadline_label(t.task),
                 ",".join(c for c, _w in t.task.criteria),
                 str(t.row)]
                for t in imp.tasks]
        out(render_table([_("Code"), _("Title"), _("Lead"), _("Supporting"), _("Due"),
                          _("Criteria"), _("Row")], rows, flex=1))


def _import_json(imp: PlanImport) -> dict[str, Any]:
    return {
        "year": imp.year, "title": imp.title, "number": imp.number,
        "exists": imp.existing is not None, "sheet": imp.sheet, "header_row": imp.header_row,
        "sections": [{"numeral": s.numeral, "title": s.title, "row": s.row, "field": s.field_code}
                     for s in imp.sections],
        "new_offices": [{"code": o.code, "name": o.name} for o in imp.new_offices],
        "tasks": [{"code": t.task.code, "title": t.task.title, "lead": t.task.lead,
                   "supporting": list(t.task.support), "deadline": t.task.deadline_text,
                   "due": t.task.due_on.isoformat() if t.task.due_on else None,
                   "continuous": t.task.continuous, "recurrence": t.task.recurrence,
                   "product": t.task.product,
                   "criteria": [c for c, _w in t.task.criteria], "section": t.section_title,
                   "row": t.row}
                  for t in imp.tasks],
        "problems": [p.to_json() for p in imp.problems],
        "notes": list(imp.notes),
    }


# ------------------------------------------------------------------------------- export


def _output_format(fmt: str | None, output: Path | None, default: str = "csv") -> str:
    if fmt:
        return fmt
    if output is not None and output.suffix.lower().lstrip(".") in ("xlsx", "csv", "json"):
        return output.suffix.lower().lstrip(".")
    return default


def _write_output(data: bytes, output: Path | None, fmt: str) -> None:
    from planner.services.errors import InputError

    if output is None or str(output) == "-":
        if fmt == "xlsx" and sys.stdout.isatty():
            raise InputError(_("An .xlsx workbook is not for a terminal: give -o FILE.xlsx."))
        stream: Any = getattr(sys.stdout, "buffer", None)
        if stream is None:  # a test runner's text stream
            sys.stdout.write(data.decode("utf-8", "replace"))
            return
        stream.write(data)
        stream.flush()
        return
    from planner.io.files import write_file

    write_file(output, data, parents=True)  # a new file or a regular one, whole or not at all


@click.group("export", help=_("Export tasks, criteria, evidence, offices or the self-assessment table."))
def export_group() -> None:
    pass


def _export_command(kind: str, help_text: str) -> click.Command:
    @export_group.command(kind, help=help_text)
    @click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "json"]),
                  help=_("Output format (default: from the file name, else csv)."))
    @click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
                  help=_("Write to this file (default: standard output)."))
    def command(fmt: str | None, output: Path | None) -> None:
        from planner.io import export

        ctx = state().context()
        chosen = _output_format(fmt, output)
        table = export.build_table(ctx, kind)
        to_file = output is not None and str(output) != "-"
        data = export.render(table, chosen, bom=to_file)  # Excel needs the BOM to read UTF-8
        _write_output(data, output, chosen)
        if to_file:
            warn(_("Wrote {n} rows to {path}.").format(n=len(table.rows), path=output))

    return command


_export_command("tasks", _("The plan's tasks, as a table that imports back with `planner import plan`."))
_export_command("criteria", _("The criteria tree with maximum, secured and projected points."))
_export_command("evidence", _("Every evidence record with its document number, date and review."))
_export_command("offices", _("The offices with their heads and aliases."))


@export_group.command("self-assessment", help=_(
    "The year-end self-assessment table (bảng tự chấm điểm) as an .xlsx workbook."))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help=_("The .xlsx file to write."))
@click.option("--as-of", "as_of", metavar="DATE", help=_("Score as of this date (default today)."))
def export_self_assessment(output: Path, as_of: str | None) -> None:
    from planner.io.selfassessment import build_self_assessment, render_self_assessment

    ctx = state().context()
    day = resolve_as_of(ctx, as_of)
    sheet = build_self_assessment(ctx, day)
    _write_output(render_self_assessment(sheet), output, "xlsx")
    warn(_("Wrote the self-assessment of the {year} plan as of {date} to {path}: {secured} of "
           "{max} points.").format(year=sheet.year, date=fmt_date(day), path=output,
                                    secured=f"{sheet.total_secured:.2f}",
                                    max=f"{sheet.total_max:g}"))


@export_group.command("dossier", help=_(
    "The dossier for the appraisal: an index (HTML and PDF) listing what is missing first, then "
    "every criterion with its self-score and evidence; the self-assessment workbook linked to "
    "the files; one folder per criterion with its accepted evidence files."))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help=_("A .zip file, or a new or empty folder."))
@click.option("--as-of", "as_of", metavar="DATE", help=_("Score as of this date (default today)."))
def export_dossier(output: Path, as_of: str | None) -> None:
    from planner.io.dossier import build_dossier, write_dossier

    ctx = state().context()
    day = resolve_as_of(ctx, as_of)
    dossier = build_dossier(ctx, day)
    written = write_dossier(dossier, output)
    missing = dossier.missing
    warn(_("Wrote the appraisal dossier of the {year} plan as of {date} to {path}: {files} files, "
           "{criteria} criteria; {missing} without evidence (listed first in the index).").format(
        year=dossier.sheet.year, date=fmt_date(day), path=output,
        files=sum(1 for name in written if not name.endswith("/")),
        criteria=len(dossier.folders), missing=len(missing)))


# ------------------------------------------------------------------------------- backup


@click.command("backup", help=_(
    "Copy the database to FILE with SQLite's online backup (safe while others work), with a "
    "manifest beside it (FILE.manifest.json) that records the change log's head."))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help=_("Replace FILE if it exists."))
def backup_cmd(file: Path, force: bool) -> None:
    from planner.io.backup import backup_database

    app = state()
    result = backup_database(app.db_location(), file, overwrite=force)
    warn(_("Backed up {src} to {dst} ({size} KB, revision {rev}).").format(
        src=result.source, dst=result.target, size=result.size // 1024, rev=result.revision))
    if result.anchor:
        from planner.services import anchors
        from planner.store.db import Database

        db = Database(app.db_location())
        try:
            anchors.keep(db, anchors.parse(result.anchor), f"backup {result.target}")
        finally:
            db.dispose()
        warn(_("Change log anchor {anchor} (kept in {manifest}).").format(
            anchor=result.anchor, manifest=result.manifest))


@click.command("restore", help=_(
    "Replace the database with a backup FILE (a coordinator's action), after checking that "
    "FILE is a sound planner database with planner's own schema and that `planner check` "
    "finds no problem in it. The current database is kept beside it as a .before-restore "
    "copy."))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--yes", is_flag=True, help=_("Do not ask for confirmation."))
def restore_cmd(file: Path, yes: bool) -> None:
    from planner.io.backup import _sqlite_file, database_directory, inspect_backup, restore_database
    from planner.services.identity import Identity
    from planner.services.restoring import authorize_restore, record_restore

    app = state()
    location = app.db_location()
    target = _sqlite_file(location, "restore")
    requested = app.settings.get("user")
    info = inspect_backup(file, database_directory(location))
    confirm_or_abort(_("Replace {db} with {file} ({plans})?").format(
        db=location, file=file, plans=info.describe()), yes)
    who: list[Identity] = []

    def authorize(copy: Path) -> None:
        who.append(authorize_restore(target, copy, str(requested) if requested else None))

    result = restore_database(file, location, authorize)
    record_restore(location, file, who[0])
    warn(_("Restored {file} into {db}.").format(file=file, db=result.target))
    if result.safety_copy is not None:
        warn(_("The previous database is kept in {path}.").format(path=result.safety_copy))


# -------------------------------------------------------------------------------- check


@click.command("check", help=_(
    "Check the database: SQLite integrity and foreign keys, attachments against their SHA-256, "
    "the plan's references, the change log's hash chain against every anchor kept outside the "
    "database, and every row against what the change log recorded (a row inserted, deleted or "
    "changed outside planner is named). Also lists what a coordinator did acting as another "
    "user in a period."))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help=_("Output format."))
@click.option("--anchor", "anchor_texts", multiple=True, metavar="ENTRY:HASH",
              help=_("An anchor read from a printed report or a backup's manifest (repeatable)."))
@click.option("--since", metavar="DATE",
              help=_("List acting-as entries written from this date (default: 31 days ago)."))
@click.option("--until", metavar="DATE", help=_("List acting-as entries written until this date."))
def check_cmd(fmt: str, anchor_texts: tuple[str, ...], since: str | None, until: str | None) -> None:
    from datetime import date, timedelta

    from planner.services import anchors
    from planner.services.errors import CheckFailed
    from planner.services.inputs import date_field
    from planner.services.integrity import check_database

    given = [anchors.parse(a, _("given with --anchor")) for a in anchor_texts]
    ctx = state().context(migrate=False)
    real_today = date.today()
    first = date_field(since, "--since", today=real_today) if since else real_today - timedelta(days=31)
    last = date_field(until, "--until", today=real_today) if until else None
    report = check_database(ctx.db, anchors=[*given, *anchors.kept(ctx.db)],
                            acting_since=first, acting_until=last)
    if fmt == "json":
        emit_json({"ok": not report.problems, "checked": report.checked,
                   "problems": [p.to_json() for p in report.problems],
                   "acting_as": [a.to_json() for a in report.acting_as]})
    else:
        for p in report.problems:
            out(str(p))
        if not report.problems:
            out(_("No problems found ({what}).").format(what=report.describe()))
        if report.acting_as:
            out(_("A coordinator acted as another user {n} times since {date}:").format(
                n=len(report.acting_as), date=fmt_date(first)))
            for a in report.acting_as:
                out("  " + str(a))
    if report.problems:
        raise CheckFailed(_("{n} problems found.").format(n=len(report.problems)))


def _register_index_import() -> None:
    from planner.cli.cmd_index import import_criteria

    import_group.add_command(import_criteria)


_register_index_import()
