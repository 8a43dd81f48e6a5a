"""Tasks of the plan: list, add, edit, change status, delete; every change logged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, delete, select

from planner.domain.dates import listing
from planner.domain.facts import STATUSES
from planner.domain.schedule import WorkCalendar, deadline_plausible, task_occurrence_dates
from planner.domain.text import fold
from planner.i18n import _
from planner.services import audit, permissions
from planner.services.context import Context
from planner.services.errors import ConflictError, InputError, PermissionDenied
from planner.services.inputs import (
    date_field,
    deadline_field,
    effort_field,
    long_text,
    plan_date_field,
    progress_field,
    text_field,
    weight_field,
)
from planner.services.lookup import (
    criterion_by_code,
    office_by_code,
    offices_by_codes,
    task_and_occurrence,
    task_by_code,
)
from planner.services.plans import get_plan
from planner.services.task_rows import (
    status_label,
)
from planner.store.clock import utcnow
from planner.store.models import (
    Criterion,
    Evidence,
    EvidenceReview,
    Occurrence,
    Office,
    Plan,
    StatusEvent,
    Task,
    TaskCriterion,
    TaskSupport,
)


@dataclass
class TaskChanges:
    """Fields to change; None leaves a field as it is.

    `status` and `progress` belong to what the key names: the task, or one occurrence of a
    recurring task. They are written as a dated status event (`on`, default today, with
    `note`), as `set_status` writes them, so a task's history says when its progress moved.
    """

    title: str | None = None
    description: str | None = None
    product: str | None = None
    lead: str | None = None
    support: list[str] | None = None
    due: str | None = None
    start: str | None = None
    criteria: list[str] | None = None
    progress: int | str | None = None
    status: str | None = None
    on: str | None = None
    note: str = ""
    # Working days of work ("" clears the estimate).
    effort: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def edits_fields(self) -> bool:
        """Whether any field of the task itself (not its status or progress) changes."""
        return any(v is not None for v in (self.title, self.description, self.product, self.lead,
                                           self.support, self.due, self.start, self.criteria,
                                           self.effort))


@dataclass(frozen=True)
class SavedTask:
    """What a save wrote: the task and, when the key named one, the occurrence."""

    task: Task
    occurrence: Occurrence | None

    @property
    def target(self) -> Task | Occurrence:
        """The row that carries the status and progress saved."""
        return self.occurrence if self.occurrence is not None else self.task


# ---------------------------------------------------------------- details


@dataclass(frozen=True)
class TaskDetail:
    task: Task
    lead: Office
    supporting: list[Office]
    criteria: list[tuple[str, float]]
    occurrences: list[Occurrence]
    events: list[StatusEvent]
    evidence: list[Evidence]
    plan: Plan


def task_detail(ctx: Context, code: str, as_of: date | None = None) -> TaskDetail:
    """A task with everything about it; with `as_of` (the TUI's earlier weeks), its status and
    progress and those of its occurrences as they stood that day, and its status events up to
    it. The rows returned then are detached copies to read, never to save."""
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        task, _occ = task_and_occurrence(session, plan, code)
        detail = _detail(session, plan, task)
        if as_of is not None:
            session.expunge_all()  # what is set below stays off the database
    if as_of is None:
        return detail
    from planner.services.task_list import list_tasks

    # The same figures as `planner tasks --as-of`: status events on or before the date.
    then = {row.key: row for row in list_tasks(ctx, as_of=as_of) if row.task_code == task.code}
    if not task.recurrence and len(then) == 1:  # one occurrence, listed under the task's code
        only = then[task.code] if task.code in then else next(iter(then.values()))
        for row in (detail.task, *detail.occurrences):
            row.status, row.progress = only.status, only.progress
    else:
        for occ in detail.occurrences:
            found = then.get(f"{task.code}@{occ.due_on.isoformat()}")
            if found is not None:
                occ.status, occ.progress = found.status, found.progress
    return replace(detail, events=[e for e in detail.events if e.on <= as_of])


def _detail(session: Session, plan: Plan, task: Task) -> TaskDetail:
    lead = session.get(Office, task.lead_office_id)
    assert lead is not None
    supporting = list(
        session.exec(
            select(Office)
            .join(TaskSupport, col(TaskSupport.office_id) == Office.id)
            .where(TaskSupport.task_id == task.id)
            .order_by(col(Office.position))
        )
    )
    from planner.store.models import Criterion

    criteria = [
        (c.code, w)
        for c, w in session.exec(
            select(Criterion, TaskCriterion.weight)
            .join(TaskCriterion, col(TaskCriterion.criterion_id) == Criterion.id)
            .where(TaskCriterion.task_id == task.id)
        )
    ]
    occurrences = list(
        session.exec(
            select(Occurrence).where(Occurrence.task_id == task.id).order_by(col(Occurrence.due_on))
        )
    )
    events = list(
        session.exec(
            select(StatusEvent)
            .where(StatusEvent.task_id == task.id)
            .order_by(col(StatusEvent.on), col(StatusEvent.id))
        )
    )
    evidence = list(
        session.exec(select(Evidence).where(Evidence.task_id == task.id).order_by(col(Evidence.id)))
    )
    return TaskDetail(task, lead, supporting, criteria, occurrences, events, evidence, plan)


# ---------------------------------------------------------------- changes


def _next_code(session: Session, plan: Plan) -> str:
    highest = 0
    for code in session.exec(select(Task.code).where(Task.plan_id == plan.id)):
        match = re.fullmatch(r"T(\d+)", code)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"T{highest + 1:02d}"


def _parse_criteria(session: Session, plan: Plan, specs: list[str]) -> list[tuple[int, float]]:
    out: dict[int, float] = {}
    for spec in specs:
        for part in spec.split(","):
            part = part.strip()
            if not part:
                continue
            code, _sep, weight_text = part.partition(":")
            crit = criterion_by_code(session, plan, code)
            weight = weight_field(weight_text, "criterion " + code) if weight_text else 1.0
            out[crit.id or 0] = weight
    return list(out.items())


def _support_offices(session: Session, specs: list[str], lead: Office) -> list[Office]:
    codes: list[str] = []
    for spec in specs:
        codes.extend(p for p in re.split(r"[,;]", spec) if p.strip())
    if any(c.strip().lower() in {"all", "tất cả"} for c in codes):
        return [o for o in session.exec(select(Office).order_by(col(Office.position))) if o.id != lead.id]
    return [o for o in offices_by_codes(session, codes) if o.id != lead.id]


def task_snapshot(session: Session, task: Task) -> dict[str, Any]:
    snap = audit.snapshot(task) or {}
    snap["supporting"] = sorted(
        session.exec(
            select(Office.code)
            .join(TaskSupport, col(TaskSupport.office_id) == Office.id)
            .where(TaskSupport.task_id == task.id)
        )
    )
    snap["criteria"] = sorted(
        f"{code}:{w:g}"
        for code, w in session.exec(
            select(Criterion.code, TaskCriterion.weight).where(TaskCriterion.task_id == task.id)
            .join(Criterion, col(TaskCriterion.criterion_id) == Criterion.id)
        )
    )
    return snap


def _apply_deadline(session: Session, plan: Plan, task: Task, text: str, today: date,
                    work: WorkCalendar | None = None) -> None:
    text = text_field(text, "due")
    deadline = deadline_field(text, "due", year=plan.year, today=today, work=work)
    task.deadline_text = text
    task.continuous = deadline.kind == "continuous"
    task.recurrence = deadline.rule if deadline.kind == "recurring" else None
    task.due_on = deadline.due_on if deadline.kind == "date" else None
    if task.due_on is not None and not deadline_plausible(task.due_on, plan.starts_on, plan.ends_on):
        raise InputError(
            _("due: {date} is far outside the {year} plan.").format(
                date=listing(task.due_on), year=plan.year
            )
        )


def _sync_occurrences(session: Session, plan: Plan, task: Task) -> None:
    """Make the occurrence rows match the task's recurrence rule."""
    existing = {
        o.due_on: o for o in session.exec(select(Occurrence).where(Occurrence.task_id == task.id))
    }
    wanted: set[date] = set()
    if task.recurrence:
        wanted = set(task_occurrence_dates(
            task.recurrence, plan_starts_on=plan.starts_on, plan_ends_on=plan.ends_on,
            task_starts_on=task.start_on))
        if not wanted:
            raise InputError(
                _('due: "{rule}" has no date within the {year} plan.').format(
                    rule=task.deadline_text, year=plan.year
                )
            )
    for due, occ in existing.items():
        if due not in wanted:
            used = session.exec(
                select(StatusEvent.id).where(StatusEvent.occurrence_id == occ.id).limit(1)
            ).first() or session.exec(
                select(Evidence.id).where(Evidence.occurrence_id == occ.id).limit(1)
            ).first()
            if used:
                raise InputError(
                    _("due: the occurrence due {date} already has status changes or evidence; "
                      "it cannot be removed by changing the deadline.").format(
                        date=listing(due)
                    )
                )
            session.delete(occ)
    for due in sorted(wanted - existing.keys()):
        session.add(Occurrence(task_id=task.id or 0, due_on=due))


def add_task(
    ctx: Context,
    title: str,
    *,
    lead: str,
    support: list[str] | None = None,
    due: str = "",
    criteria: list[str] | None = None,
    description: str = "",
    product: str = "",
    start: str | None = None,
    code: str | None = None,
    effort: str | None = None,
) -> Task:
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        lead_office = office_by_code(session, lead)
        permissions.require_lead_office(
            session, ctx, lead_office.code, _("adding a task led by {office}").format(office=lead_office.code))
        task_code = code.strip() if code else _next_code(session, plan)
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9._-]{0,31}", task_code):
            # A leading letter keeps task codes apart from criterion codes (1.2.1) everywhere
            # a target may be either.
            raise InputError(
                _('code: "{code}" must start with a letter and hold letters, digits, ".", "_" '
                  'and "-" only.').format(code=task_code)
            )
        if session.exec(select(Task.id).where(Task.plan_id == plan.id, Task.code == task_code)).first():
            raise InputError(_('code: task "{code}" already exists.').format(code=task_code))
        clean_title = text_field(title, "title")
        task = Task(
            plan_id=plan.id or 0,
            code=task_code,
            title=clean_title,
            title_folded=fold(clean_title),
            description=long_text(description, "description"),
            product=text_field(product, "product", required=False),
            lead_office_id=lead_office.id or 0,
            position=_next_position(session, plan),
        )
        if start:
            task.start_on = date_field(start, "start", today=ctx.today, year=plan.year, work=ctx.work)
        if effort is not None:
            task.effort_days = effort_field(effort)
        if not due.strip():
            raise InputError(_("due: a deadline is required (a date, Quý II/2022, Thường xuyên…)."))
        _apply_deadline(session, plan, task, due, ctx.today, ctx.work)
        session.add(task)
        session.flush()
        for office in _support_offices(session, support or [], lead_office):
            session.add(TaskSupport(task_id=task.id or 0, office_id=office.id or 0))
        for crit_id, weight in _parse_criteria(session, plan, criteria or []):
            session.add(TaskCriterion(task_id=task.id or 0, criterion_id=crit_id, weight=weight))
        _sync_occurrences(session, plan, task)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action="task.add", entity="task", entity_id=task.id,
            label=task.code, plan_id=plan.id, task_id=task.id, after=task_snapshot(session, task),
        )
        return task


def _next_position(session: Session, plan: Plan) -> int:
    last = session.exec(
        select(Task.position).where(Task.plan_id == plan.id).order_by(col(Task.position).desc()).limit(1)
    ).first()
    return (last or 0) + 1


def _check_version(task: Task | Occurrence | Evidence, expected: int | None, label: str) -> None:
    if expected is not None and task.version != expected:
        raise ConflictError(
            _("{label} was changed by someone else since you opened it (version {old} → {new}): "
              "reload and try again.").format(label=label, old=expected, new=task.version)
        )


def edit_task(ctx: Context, code: str, changes: TaskChanges, *, expected_version: int | None = None) -> Task:
    """Change a task's fields (and its status or progress): `save_task`, returning the task."""
    return save_task(ctx, code, changes, expected_version=expected_version).task


def save_task(
    ctx: Context,
    key: str,
    changes: TaskChanges,
    *,
    expected_version: int | None = None,
    expected_occurrence_version: int | None = None,
) -> SavedTask:
    """Write every change of a task's form in one transaction: its fields, then the status or
    progress of the task or of the occurrence `key` names (`T04@2022-06-15`).

    The versions are those the form was read at: if the task, or the occurrence, changed since,
    nothing is written and a `ConflictError` says so.
    """
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        task, occurrence = task_and_occurrence(session, plan, key)
        _check_version(task, expected_version, _("Task {code}").format(code=task.code))
        if occurrence is not None:
            _check_version(occurrence, expected_occurrence_version, key.strip())
        if changes.edits_fields():
            _edit_fields(session, ctx, plan, task, changes)
        if changes.status is not None or changes.progress is not None:
            permissions.require_task_lead(
                session, ctx, task, _("changing the status of task {code}").format(code=task.code))
            day = plan_date_field(changes.on, "on", plan=plan, today=ctx.today, work=ctx.work) if changes.on else ctx.today
            note = long_text(changes.note, "note")
            if changes.status is not None:
                _status_change(session, ctx, plan, task, occurrence, key, changes.status, day,
                               changes.progress, note)
            else:
                _progress_change(session, ctx, plan, task, occurrence, key, changes.progress, day, note)
        return SavedTask(task, occurrence)


def _edit_fields(session: Session, ctx: Context, plan: Plan, task: Task, changes: TaskChanges) -> None:
    """Apply the field changes of `changes` to `task` and log them (one `task.edit` entry)."""
    actor = permissions.require_task_lead(
        session, ctx, task, _("editing task {code}").format(code=task.code))
    if changes.lead is not None and actor.role != "coordinator":
        raise PermissionDenied(
            _("Permission denied: only a coordinator can hand a task to another lead office."))
    before = task_snapshot(session, task)
    lead_office = session.get(Office, task.lead_office_id)
    if changes.title is not None:
        task.title = text_field(changes.title, "title")
        task.title_folded = fold(task.title)
    if changes.description is not None:
        task.description = long_text(changes.description, "description")
    if changes.product is not None:
        task.product = text_field(changes.product, "product", required=False)
    if changes.lead is not None:
        lead_office = office_by_code(session, changes.lead)
        task.lead_office_id = lead_office.id or 0
        session.exec(
            delete(TaskSupport).where(
                col(TaskSupport.task_id) == task.id, col(TaskSupport.office_id) == lead_office.id
            )
        )
    if changes.start is not None:
        task.start_on = (
            date_field(changes.start, "start", today=ctx.today, year=plan.year, work=ctx.work)
            if changes.start.strip() else None
        )
    if changes.effort is not None:
        task.effort_days = effort_field(changes.effort)
    if changes.due is not None:
        _apply_deadline(session, plan, task, changes.due, ctx.today, ctx.work)
        _sync_occurrences(session, plan, task)
    if changes.support is not None:
        assert lead_office is not None
        session.exec(delete(TaskSupport).where(col(TaskSupport.task_id) == task.id))
        for office in _support_offices(session, changes.support, lead_office):
            session.add(TaskSupport(task_id=task.id or 0, office_id=office.id or 0))
    if changes.criteria is not None:
        parsed = _parse_criteria(session, plan, changes.criteria)
        session.exec(delete(TaskCriterion).where(col(TaskCriterion.task_id) == task.id))
        for crit_id, weight in parsed:
            session.add(TaskCriterion(task_id=task.id or 0, criterion_id=crit_id, weight=weight))
    session.add(task)
    session.flush()
    after = task_snapshot(session, task)
    if {k: v for k, v in after.items() if k != "version"} == {k: v for k, v in before.items() if k != "version"}:
        return
    audit.record(
        session, actor=ctx.actor, real_actor=ctx.real_actor, action="task.edit", entity="task", entity_id=task.id,
        label=task.code, plan_id=plan.id, task_id=task.id, before=before, after=after,
    )


def set_status(
    ctx: Context,
    key: str,
    status: str,
    *,
    on: str | None = None,
    progress: int | str | None = None,
    note: str = "",
    expected_version: int | None = None,
    force: bool = False,
) -> Task | Occurrence:
    """Record a dated status change of a task or of one occurrence of a recurring task.

    Cancelling (or reopening) a recurring task as a whole applies to each of its occurrences
    that is not done, so every status event belongs to exactly one occurrence. A date `on`
    outside the plan year and its closing period is refused unless `force`.
    """
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        return change_status(session, ctx, plan, key, status, on=on, progress=progress, note=note,
                             expected_version=expected_version, force=force)


def change_status(
    session: Session, ctx: Context, plan: Plan, key: str, status: str, *, on: str | None = None,
    progress: int | str | None = None, note: str = "", expected_version: int | None = None,
    force: bool = False,
) -> Task | Occurrence:
    """`set_status` inside a write transaction the caller holds (several changes at once)."""
    task, occurrence = task_and_occurrence(session, plan, key)
    permissions.require_task_lead(
        session, ctx, task, _("changing the status of task {code}").format(code=task.code))
    day = plan_date_field(on, "on", plan=plan, today=ctx.today, work=ctx.work, force=force) \
        if on else ctx.today
    clean_note = long_text(note, "note")
    target: Task | Occurrence = occurrence if occurrence is not None else task
    _check_version(target, expected_version, key.strip() if occurrence is not None else task.code)
    return _status_change(session, ctx, plan, task, occurrence, key, status, day, progress, clean_note)


def _status_change(
    session: Session, ctx: Context, plan: Plan, task: Task, occurrence: Occurrence | None, key: str,
    status: str, day: date, progress: int | str | None, note: str,
) -> Task | Occurrence:
    """Change the status of the task or occurrence (permission and versions already checked)."""
    if status not in STATUSES:
        raise InputError(
            _('Unknown status "{status}" (one of: {choices}).').format(
                status=status, choices=", ".join(STATUSES)
            )
        )
    if task.recurrence and occurrence is None:
        if status not in ("cancelled", "not_started"):
            raise _name_the_occurrence(session, task)
        before = audit.snapshot(task)
        for occ in session.exec(select(Occurrence).where(Occurrence.task_id == task.id)):
            if occ.status == "done" or occ.status == status:
                continue
            _change(session, ctx, task, occ, status, day, None, note)
        task.status = status
        session.add(task)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action=f"task.{status}", entity="task",
            entity_id=task.id, label=task.code, plan_id=plan.id, task_id=task.id,
            before=before, after=_with_note(audit.snapshot(task), note),
        )
        return task
    target: Task | Occurrence = occurrence if occurrence is not None else task
    label = key.strip() if occurrence is not None else task.code
    current = target.status
    if current == status and status in ("done", "cancelled"):
        raise InputError(
            _("{label} is already {status}.").format(label=label, status=status_label(status))
        )
    if current == "cancelled" and status not in ("not_started", "in_progress"):
        raise InputError(
            _("{label} is cancelled: reopen it first.").format(label=label)
        )
    before = audit.snapshot(target)
    _change(session, ctx, task, occurrence, status, day, progress, note)
    session.flush()
    audit.record(
        session, actor=ctx.actor, real_actor=ctx.real_actor, action=f"task.{status}",
        entity="occurrence" if occurrence is not None else "task",
        entity_id=target.id, label=label, plan_id=plan.id, task_id=task.id,
        before=before, after=_with_note(audit.snapshot(target), note),
    )
    return target


def _progress_change(
    session: Session, ctx: Context, plan: Plan, task: Task, occurrence: Occurrence | None, key: str,
    progress: int | str | None, day: date, note: str,
) -> None:
    """A new progress without a new status: a status event with the status unchanged (its
    done date kept), so the history holds the progress as of any date."""
    if progress is None:
        return
    if task.recurrence and occurrence is None:
        raise _name_the_occurrence(session, task)
    target: Task | Occurrence = occurrence if occurrence is not None else task
    value = progress_field(progress)
    if value == target.progress:
        return
    occurrence_id = occurrence.id if occurrence is not None else None
    # Never dated before the status it repeats: as of any earlier date the status stays what it was.
    last = session.exec(
        select(col(StatusEvent.on)).where(StatusEvent.task_id == task.id,
                                     StatusEvent.occurrence_id == occurrence_id)
        .order_by(col(StatusEvent.on).desc()).limit(1)
    ).first()
    before = audit.snapshot(target)
    target.progress = value
    session.add(target)
    session.add(StatusEvent(
        task_id=task.id or 0, occurrence_id=occurrence_id, status=target.status, progress=value,
        on=day if last is None or last <= day else last, at=utcnow(), by=ctx.actor, note=note,
    ))
    session.flush()
    audit.record(
        session, actor=ctx.actor, real_actor=ctx.real_actor, action=f"task.{target.status}",
        entity="occurrence" if occurrence is not None else "task",
        entity_id=target.id, label=key.strip() if occurrence is not None else task.code,
        plan_id=plan.id, task_id=task.id, before=before, after=_with_note(audit.snapshot(target), note),
    )


def _name_the_occurrence(session: Session, task: Task) -> InputError:
    dates = ", ".join(
        f"{task.code}@{o.due_on.isoformat()}"
        for o in session.exec(
            select(Occurrence).where(Occurrence.task_id == task.id).order_by(col(Occurrence.due_on))
        )
    )
    return InputError(
        _("Task {code} recurs: name the occurrence, one of {dates}.").format(code=task.code, dates=dates)
    )



def reopen_task(
    ctx: Context, key: str, *, reason: str, on: str | None = None,
    progress: int | str | None = None, expected_version: int | None = None,
) -> Task | Occurrence:
    """Take back a "done" or "cancelled" recorded by mistake: the task (or occurrence) is in
    progress again from the date given, a new dated status event, so the figures as of an
    earlier date still show it done. The reason is required.

    A whole recurring task can be reopened only from "cancelled": its cancelled occurrences
    are not started again. Progress, unless given, goes back to what the last status change
    before the done or cancelled one recorded (0 if there was none).
    """
    clean_reason = long_text(reason, "reason")
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        task, occurrence = task_and_occurrence(session, plan, key)
        permissions.require_task_lead(
            session, ctx, task, _("reopening task {code}").format(code=task.code))
        target: Task | Occurrence = occurrence if occurrence is not None else task
        label = key.strip() if occurrence is not None else task.code
        _check_version(target, expected_version, label)
        whole_recurring = bool(task.recurrence) and occurrence is None
        if whole_recurring and task.status != "cancelled":
            done = [f"{task.code}@{o.due_on.isoformat()}" for o in session.exec(
                select(Occurrence).where(Occurrence.task_id == task.id, Occurrence.status == "done")
                .order_by(col(Occurrence.due_on)))]
            raise InputError(
                _("Task {code} recurs: name the occurrence to reopen ({done}).").format(
                    code=task.code, done=", ".join(done) or _("none is done")))
        if occurrence is not None and task.status == "cancelled":
            raise InputError(_("Task {code} is cancelled as a whole: reopen the task first "
                               "(`planner task reopen {code}`).").format(code=task.code))
        if target.status not in ("done", "cancelled"):
            raise InputError(
                _("{label} is {status}: only a done or cancelled task can be reopened.").format(
                    label=label, status=status_label(target.status)))
        if not clean_reason:
            raise InputError(_("reason: say why {label} is reopened (the change log keeps it).")
                             .format(label=label))
        day = date_field(on, "on", today=ctx.today, year=plan.year, work=ctx.work) if on else ctx.today
        query = select(StatusEvent).where(StatusEvent.task_id == task.id)
        if occurrence is not None:
            query = query.where(StatusEvent.occurrence_id == occurrence.id)
        elif not whole_recurring:
            query = query.where(col(StatusEvent.occurrence_id).is_(None))
        events = list(session.exec(query.order_by(col(StatusEvent.on), col(StatusEvent.id))))
        if events and day < events[-1].on:
            raise InputError(
                _("on: {day} is before {label} became {status} ({date}); a reopening is dated on "
                  "or after it.").format(day=day.strftime("%d/%m/%Y"), label=label,
                                         status=status_label(target.status),
                                         date=events[-1].on.strftime("%d/%m/%Y")))
        before = audit.snapshot(target)
        if whole_recurring:
            for occ in session.exec(select(Occurrence).where(Occurrence.task_id == task.id,
                                                             Occurrence.status == "cancelled")):
                _change(session, ctx, task, occ, "not_started", day, None, clean_reason)
            task.status = "not_started"
            session.add(task)
        else:
            if progress is None:
                earlier = [e for e in events if e.status not in ("done", "cancelled")]
                progress = (earlier[-1].progress or 0) if earlier else 0
            _change(session, ctx, task, occurrence, "in_progress", day, progress, clean_reason)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action="task.reopen",
            entity="occurrence" if occurrence is not None else "task",
            entity_id=target.id, label=label, plan_id=plan.id, task_id=task.id,
            before=before,
            after={**(_with_note(audit.snapshot(target), clean_reason) or {}),
                   "reopened_on": day.isoformat()},
        )
        return task


def _with_note(image: dict[str, Any] | None, note: str) -> dict[str, Any] | None:
    """A status change's after-image with the note given with it, which the history shows
    (the note itself is kept on the status event; `planner check` ignores the extra key)."""
    return {**image, "note": note} if note and image is not None else image


def _change(
    session: Session, ctx: Context, task: Task, occurrence: Occurrence | None, status: str,
    day: date, progress: int | str | None, note: str,
) -> None:
    target: Task | Occurrence = occurrence if occurrence is not None else task
    target.status = status
    if progress is not None:
        target.progress = progress_field(progress)
    elif status == "done":
        target.progress = 100
    elif status == "not_started":
        target.progress = 0
    target.done_on = day if status == "done" else None
    session.add(target)
    session.add(
        StatusEvent(
            task_id=task.id or 0,
            occurrence_id=occurrence.id if occurrence is not None else None,
            status=status,
            progress=target.progress,
            on=day,
            at=utcnow(),
            by=ctx.actor,
            note=note,
        )
    )


def delete_task(ctx: Context, code: str) -> Task:
    """Delete a task with its occurrences, events and evidence; the change log keeps it all."""
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        task = task_by_code(session, plan, code)
        permissions.require_coordinator(session, ctx, _("deleting a task"))
        detail = _detail(session, plan, task)
        before = task_snapshot(session, task)
        before["occurrences"] = [audit.snapshot(o) for o in detail.occurrences]
        before["events"] = [audit.snapshot(e) for e in detail.events]
        before["evidence"] = [audit.snapshot(e) for e in detail.evidence]
        reviews = list(session.exec(select(EvidenceReview).where(
            col(EvidenceReview.evidence_id).in_([e.id for e in detail.evidence]))))
        before["reviews"] = [audit.snapshot(r) for r in reviews]
        for review in reviews:
            session.delete(review)
        session.flush()
        for model, column in (
            (Evidence, Evidence.task_id),
            (StatusEvent, StatusEvent.task_id),
            (Occurrence, Occurrence.task_id),
            (TaskSupport, TaskSupport.task_id),
            (TaskCriterion, TaskCriterion.task_id),
        ):
            session.exec(delete(model).where(col(column) == task.id))
        session.delete(task)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action="task.delete", entity="task", entity_id=task.id,
            label=task.code, plan_id=plan.id, task_id=task.id, before=before,
        )
        return task
