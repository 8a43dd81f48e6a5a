"""`planner tasks` and `planner task …`: list, show, add, edit and change status."""

from __future__ import annotations

import click

from planner.cli.click_i18n import WHOLE_NUMBER, WholeNumberRange
from planner.cli.common import (
    RECORD_ID,
    as_of_option,
    confirm_or_abort,
    emit_csv,
    emit_json,
    fmt_date,
    force_date_option,
    format_option,
    out,
    render_table,
    resolve_as_of,
    state,
    warn,
)
from planner.i18n import _

TASK_FIELDS = ["code", "title", "lead", "supporting", "due", "status", "progress", "criteria",
               "overdue", "late", "evidence"]


@click.command("tasks", help=_("List task occurrences, filtered and searched."))
@click.option("--office", metavar="CODE", help=_("Tasks an office leads or supports."))
@click.option("--lead", metavar="CODE", help=_("Tasks an office leads."))
@click.option("--status", "statuses", multiple=True, metavar="STATUS",
              help=_("not started, in progress, done, paused, cancelled or overdue, in words or "
                     "as codes, in either language (repeatable)."))
@click.option("--overdue", is_flag=True, help=_("Same as --status overdue."))
@click.option("--due-within", type=WholeNumberRange(0, 3660), metavar="DAYS",
              help=_("Due within this many days and not done."))
@click.option("--criterion", metavar="CODE", help=_("Linked to this criterion or one below it."))
@click.option("--search", metavar="TEXT", help=_("Words in the code or title, ignoring case and diacritics."))
@as_of_option
@format_option("table", "json", "csv")
def tasks_cmd(office: str | None, lead: str | None, statuses: tuple[str, ...], overdue: bool,
              due_within: int | None, criterion: str | None, search: str | None,
              as_of: str | None, fmt: str) -> None:
    from planner.services.task_list import list_tasks
    from planner.services.task_rows import TaskFilter, status_label

    ctx = state().context()
    day = resolve_as_of(ctx, as_of)
    wanted = tuple(statuses) + (("overdue",) if overdue else ())
    rows = list_tasks(ctx, TaskFilter(office=office, lead=lead, statuses=wanted, due_within=due_within,
                                      criterion=criterion, search=search), as_of=day)
    if fmt == "json":
        emit_json([r.to_json() for r in rows])
        return
    if fmt == "csv":
        emit_csv(TASK_FIELDS, ([r.key, r.title, r.lead, ",".join(r.supporting),
                                r.due.isoformat() if r.due else "", r.status, r.progress,
                                ",".join(r.criteria), int(r.overdue), int(r.late), r.evidence]
                               for r in rows))
        return
    if not rows:
        warn(_("No task matches."))
        return
    lines = []
    for r in rows:
        status = _("overdue") if r.overdue else status_label(r.status)
        if r.status == "done" and r.late:
            status = _("done late")
        lines.append([r.key, r.title, r.lead, fmt_date(r.due) if r.due else _("continuous"),
                      status, f"{r.progress}%", ",".join(r.criteria)])
    out(render_table([_("Code"), _("Title"), _("Lead"), _("Due"), _("Status"), _("Progress"),
                      _("Criteria")], lines, flex=1, right=[5]))
    warn(_("{n} occurrences as of {date}.").format(n=len(rows), date=fmt_date(day)))


@click.group("task", help=_("Show, add, edit and change the status of one task."))
def task_group() -> None:
    pass


@task_group.command("show", help=_("Everything about a task: offices, deadline, criteria, evidence, history."))
@click.argument("code")
@format_option("text", "json")
def task_show(code: str, fmt: str) -> None:
    from planner.services.history import task_history
    from planner.services.task_rows import status_label
    from planner.services.tasks import task_detail

    ctx = state().context()
    d = task_detail(ctx, code)
    t = d.task
    history = task_history(ctx, t.code)
    if fmt == "json":
        emit_json({
            "code": t.code, "title": t.title, "description": t.description, "product": t.product,
            "lead": d.lead.code, "supporting": [o.code for o in d.supporting],
            "due": t.due_on.isoformat() if t.due_on else None, "deadline": t.deadline_text,
            "continuous": t.continuous, "recurrence": t.recurrence, "status": t.status,
            "progress": t.progress, "effort_days": t.effort_days, "version": t.version,
            "criteria": [{"code": c, "weight": w} for c, w in d.criteria],
            "occurrences": [{"code": f"{t.code}@{o.due_on.isoformat()}", "due": o.due_on.isoformat(),
                             "status": o.status, "done_on": o.done_on.isoformat() if o.done_on else None}
                            for o in d.occurrences],
            "evidence": [e.id for e in d.evidence],
            "history": [h.to_json() for h in history],
        })
        return
    head = f"{d.lead.head_name}, {d.lead.head_title}".strip(", ")
    out(f"{t.code}  {t.title}")
    rows = [
        (_("Lead office"), f"{d.lead.code} {d.lead.name}" + (f" ({head})" if head else "")),
        (_("Supporting"), ", ".join(o.code for o in d.supporting) or "-"),
        (_("Deadline"), (t.deadline_text or "") + (f" → {fmt_date(t.due_on)}" if t.due_on else "")),
        (_("Status"), _status_text(t)),
        (_("Product"), t.product or "-"),
        (_("Criteria"), ", ".join(f"{c} (×{w:g})" for c, w in d.criteria) or "-"),
        (_("Version"), str(t.version)),
    ]
    if t.effort_days is not None:
        rows.insert(-1, (_("Effort"), _("{days} working days").format(days=f"{t.effort_days:g}")))
    width = max(len(k) for k, _v in rows)
    for key, value in rows:
        out(f"  {key.ljust(width)}  {value}")
    if t.description:
        out("")
        out("  " + t.description.replace("\n", "\n  "))
    if d.occurrences:
        out("")
        out(_("Occurrences:"))
        for o in d.occurrences:
            out(f"  {t.code}@{o.due_on.isoformat()}  {fmt_date(o.due_on)}  {status_label(o.status)}"
                + (f" {fmt_date(o.done_on)}" if o.done_on else ""))
    if d.evidence:
        from planner.services.evidence_rows import state_label
        from planner.services.vocabulary import kind_label

        out("")
        out(_("Evidence:"))
        for e in d.evidence:
            what = e.doc_number or e.filename or e.url or e.note[:40]
            out(f"  #{e.id}  {kind_label(e.kind)}  {what}  {state_label(e.state)}"
                + (f" — {e.reason}" if e.reason else ""))
    if history:
        out("")
        out(_("History:"))
        for h in history:
            out(f"  {h.local_at:%d/%m/%Y %H:%M}  {h.sentence}")


def _status_text(t) -> str:  # type: ignore[no-untyped-def]
    from planner.services.task_rows import status_label

    if t.done_on is None:
        return f"{status_label(t.status)}, {t.progress}%"
    late = t.due_on is not None and t.done_on > t.due_on
    label = _("done late on {date}") if late else _("done on {date}")
    return label.format(date=fmt_date(t.done_on))


@task_group.command("add", help=_("Add a task to the plan."))
@click.argument("title")
@click.option("--lead", metavar="CODE", required=True, help=_("The office that answers for the task."))
@click.option("--support", metavar="CODE", multiple=True, help=_("Supporting offices, comma-separated or repeated; 'all' for every other office."))
@click.option("--due", required=True, metavar="PHRASE",
              help=_("30/6/2022, Quý II/2022, Tháng 6/2022, Thường xuyên, Hằng quý, +10wd…"))
@click.option("--criterion", "criteria", multiple=True, metavar="CODE[:WEIGHT]", help=_("Criterion the task affects (repeatable)."))
@click.option("--product", default="", help=_("Expected product, e.g. Kế hoạch (KH)."))
@click.option("--description", default="", help=_("Longer description."))
@click.option("--start", help=_("Start date."))
@click.option("--code", help=_("Task code (default: the next T-number)."))
@click.option("--effort", metavar="DAYS", help=_("Working days of work the task needs (refines `planner focus`)."))
def task_add(title: str, lead: str, support: tuple[str, ...], due: str, criteria: tuple[str, ...],
             product: str, description: str, start: str | None, code: str | None,
             effort: str | None) -> None:
    from planner.services.tasks import add_task

    ctx = state().context()
    task = add_task(ctx, title, lead=lead, support=list(support), due=due, criteria=list(criteria),
                    product=product, description=description, start=start, code=code, effort=effort)
    out(task.code)
    warn(_("Added task {code}.").format(code=task.code))


@task_group.command("edit", help=_("Change a task's fields."))
@click.argument("code")
@click.option("--title")
@click.option("--lead", metavar="CODE")
@click.option("--support", metavar="CODE", help=_("Replace the supporting offices (comma-separated; '' for none)."))
@click.option("--due", metavar="PHRASE")
@click.option("--criterion", "criteria", multiple=True, metavar="CODE[:WEIGHT]",
              help=_("Replace the criteria links (repeatable)."))
@click.option("--product")
@click.option("--description")
@click.option("--start")
@click.option("--progress", type=WHOLE_NUMBER)
@click.option("--effort", metavar="DAYS",
              help=_("Working days of work the task needs ('' clears the estimate)."))
@click.option("--if-version", type=RECORD_ID, metavar="N", help=_("Refuse (exit 3) unless the task is still at version N."))
def task_edit(code: str, title: str | None, lead: str | None, support: str | None, due: str | None,
              criteria: tuple[str, ...], product: str | None, description: str | None,
              start: str | None, progress: int | None, effort: str | None,
              if_version: int | None) -> None:
    from planner.services.tasks import TaskChanges, edit_task

    ctx = state().context()
    changes = TaskChanges(title=title, lead=lead, support=[support] if support is not None else None,
                          due=due, criteria=list(criteria) if criteria else None, product=product,
                          description=description, start=start, progress=progress, effort=effort)
    task = edit_task(ctx, code, changes, expected_version=if_version)
    warn(_("Task {code} saved (version {v}).").format(code=task.code, v=task.version))


def _status_command(name: str, status: str, help_text: str) -> click.Command:
    @task_group.command(name, help=help_text)
    @click.argument("code")
    @click.option("--on", metavar="DATE", help=_("The date it happened (default today)."))
    @click.option("--progress", type=WHOLE_NUMBER, help=_("Progress in percent."))
    @click.option("--note", default="", help=_("A note kept with the status change."))
    @click.option("--if-version", type=RECORD_ID, metavar="N",
                  help=_("Refuse (exit 3) unless the task is still at version N."))
    @force_date_option
    def command(code: str, on: str | None, progress: int | None, note: str, if_version: int | None,
                force: bool) -> None:
        from planner.services.task_rows import status_label
        from planner.services.tasks import set_status

        ctx = state().context()
        set_status(ctx, code, status, on=on, progress=progress, note=note, expected_version=if_version,
                   force=force)
        warn(_("{code}: {status}.").format(code=code, status=status_label(status)))

    return command


_status_command("start", "in_progress", _("Mark a task (or occurrence CODE@DATE) in progress."))
_status_command("done", "done", _("Mark a task (or occurrence CODE@DATE) done, --on DATE."))
_status_command("pause", "paused", _("Pause a task."))
_status_command("cancel", "cancelled", _("Cancel a task; it drops out of scoring."))


@task_group.command("reopen", help=_(
    "Reopen a task (or occurrence CODE@DATE) marked done or cancelled by mistake: in progress "
    "again from --on; as of an earlier date it is still done. --reason is required."))
@click.argument("code")
@click.option("--reason", required=True, help=_("Why it is reopened (kept in the change log)."))
@click.option("--on", metavar="DATE", help=_("The date it is reopened (default today)."))
@click.option("--progress", type=WHOLE_NUMBER, help=_("Progress in percent (default: as before it was done)."))
@click.option("--if-version", type=int, metavar="N", help=_("Refuse (exit 3) unless the task is still at version N."))
def task_reopen(code: str, reason: str, on: str | None, progress: int | None,
                if_version: int | None) -> None:
    from planner.services.task_rows import status_label
    from planner.services.tasks import reopen_task

    ctx = state().context()
    target = reopen_task(ctx, code, reason=reason, on=on, progress=progress,
                         expected_version=if_version)
    warn(_("{code}: reopened, {status} ({progress}%).").format(
        code=code, status=status_label(target.status), progress=target.progress))


@task_group.command("delete", help=_("Delete a task (kept in the change log)."))
@click.argument("code")
@click.option("--yes", is_flag=True, help=_("Do not ask for confirmation."))
def task_delete(code: str, yes: bool) -> None:
    from planner.services.tasks import delete_task, task_detail

    ctx = state().context()
    detail = task_detail(ctx, code)
    confirm_or_abort(
        _("Delete task {code} \"{title}\" with {n} evidence records?").format(
            code=detail.task.code, title=detail.task.title, n=len(detail.evidence)), yes)
    delete_task(ctx, code)
    warn(_("Deleted task {code}; the change log keeps its last state.").format(code=detail.task.code))
