"""Tasks of the plan: list, add, edit, change status, delete; every change logged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, delete, select

from planner.domain.dates import listing
from planner.domain.facts import STATUSES
from planner.domain.schedule import expand_occurrences
from planner.domain.text import fold
from planner.i18n import _
from planner.services import audit, permissions
from planner.services.context import Context
from planner.services.errors import ConflictError, InputError, PermissionDenied
from planner.services.inputs import (
    date_field,
    deadline_field,
    long_text,
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
    Evidence,
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
    """Fields to change; None leaves a field as it is."""

    title: str | None = None
    description: str | None = None
    product: str | None = None
    lead: str | None = None
    support: list[str] | None = None
    due: str | None = None
    start: str | None = None
    criteria: list[str] | None = None
    progress: int | str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


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


def task_detail(ctx: Context, code: str) -> TaskDetail:
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        task, _occ = task_and_occurrence(session, plan, code)
        return _detail(session, plan, task)


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
            select(_criterion_code(), TaskCriterion.weight).where(TaskCriterion.task_id == task.id)
            .join(_criterion_table(), _criterion_join())
        )
    )
    return snap


def _criterion_code():  # type: ignore[no-untyped-def]
    from planner.store.models import Criterion

    return Criterion.code


def _criterion_table():  # type: ignore[no-untyped-def]
    from planner.store.models import Criterion

    return Criterion


def _criterion_join():  # type: ignore[no-untyped-def]
    from planner.store.models import Criterion

    return col(TaskCriterion.criterion_id) == Criterion.id


def _apply_deadline(session: Session, plan: Plan, task: Task, text: str, today: date) -> None:
    deadline = deadline_field(text, "due", year=plan.year, today=today)
    task.deadline_text = text.strip()
    task.continuous = deadline.kind == "continuous"
    task.recurrence = deadline.rule if deadline.kind == "recurring" else None
    task.due_on = deadline.due_on if deadline.kind == "date" else None
    if task.due_on is not None and not (plan.starts_on.year - 1 <= task.due_on.year <= plan.ends_on.year + 1):
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
        start = max(plan.starts_on, task.start_on) if task.start_on else plan.starts_on
        wanted = set(expand_occurrences(task.recurrence, starts_on=start, ends_on=plan.ends_on))
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
            task.start_on = date_field(start, "start", today=ctx.today, year=plan.year)
        if not due.strip():
            raise InputError(_("due: a deadline is required (a date, Quý II/2022, Thường xuyên…)."))
        _apply_deadline(session, plan, task, due, ctx.today)
        session.add(task)
        session.flush()
        for office in _support_offices(session, support or [], lead_office):
            session.add(TaskSupport(task_id=task.id or 0, office_id=office.id or 0))
        for crit_id, weight in _parse_criteria(session, plan, criteria or []):
            session.add(TaskCriterion(task_id=task.id or 0, criterion_id=crit_id, weight=weight))
        _sync_occurrences(session, plan, task)
        session.flush()
        audit.record(
            session, actor=ctx.actor, action="task.add", entity="task", entity_id=task.id,
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
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        task = task_by_code(session, plan, code)
        actor = permissions.require_task_lead(
            session, ctx, task, _("editing task {code}").format(code=task.code))
        if changes.lead is not None and actor.role != "coordinator":
            raise PermissionDenied(
                _("Permission denied: only a coordinator can hand a task to another lead office."))
        _check_version(task, expected_version, _("Task {code}").format(code=task.code))
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
            session.exec(  # type: ignore[call-overload]
                delete(TaskSupport).where(
                    col(TaskSupport.task_id) == task.id, col(TaskSupport.office_id) == lead_office.id
                )
            )
        if changes.start is not None:
            task.start_on = (
                date_field(changes.start, "start", today=ctx.today, year=plan.year)
                if changes.start.strip() else None
            )
        if changes.due is not None:
            _apply_deadline(session, plan, task, changes.due, ctx.today)
            _sync_occurrences(session, plan, task)
        if changes.progress is not None:
            task.progress = progress_field(changes.progress)
        if changes.support is not None:
            assert lead_office is not None
            session.exec(delete(TaskSupport).where(col(TaskSupport.task_id) == task.id))  # type: ignore[call-overload]
            for office in _support_offices(session, changes.support, lead_office):
                session.add(TaskSupport(task_id=task.id or 0, office_id=office.id or 0))
        if changes.criteria is not None:
            parsed = _parse_criteria(session, plan, changes.criteria)
            session.exec(delete(TaskCriterion).where(col(TaskCriterion.task_id) == task.id))  # type: ignore[call-overload]
            for crit_id, weight in parsed:
                session.add(TaskCriterion(task_id=task.id or 0, criterion_id=crit_id, weight=weight))
        session.add(task)
        session.flush()
        after = task_snapshot(session, task)
        if after != before:
            if {k: v for k, v in after.items() if k != "version"} == {
                k: v for k, v in before.items() if k != "version"
            }:
                return task
            audit.record(
                session, actor=ctx.actor, action="task.edit", entity="task", entity_id=task.id,
                label=task.code, plan_id=plan.id, task_id=task.id, before=before, after=after,
            )
        return task


def set_status(
    ctx: Context,
    key: str,
    status: str,
    *,
    on: str | None = None,
    progress: int | str | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Task | Occurrence:
    """Record a dated status change of a task or of one occurrence of a recurring task.

    Cancelling (or reopening) a recurring task as a whole applies to each of its occurrences
    that is not done, so every status event belongs to exactly one occurrence.
    """
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        return change_status(session, ctx, plan, key, status, on=on, progress=progress, note=note,
                             expected_version=expected_version)


def change_status(
    session: Session, ctx: Context, plan: Plan, key: str, status: str, *, on: str | None = None,
    progress: int | str | None = None, note: str = "", expected_version: int | None = None,
) -> Task | Occurrence:
    """`set_status` inside a write transaction the caller holds (several changes at once)."""
    if status not in STATUSES:
        raise InputError(
            _('Unknown status "{status}" (one of: {choices}).').format(
                status=status, choices=", ".join(STATUSES)
            )
        )
    task, occurrence = task_and_occurrence(session, plan, key)
    permissions.require_task_lead(
        session, ctx, task, _("changing the status of task {code}").format(code=task.code))
    day = date_field(on, "on", today=ctx.today, year=plan.year) if on else ctx.today
    clean_note = long_text(note, "note")
    if task.recurrence and occurrence is None:
        if status not in ("cancelled", "not_started"):
            dates = ", ".join(
                f"{task.code}@{o.due_on.isoformat()}"
                for o in session.exec(
                    select(Occurrence).where(Occurrence.task_id == task.id)
                    .order_by(col(Occurrence.due_on))
                )
            )
            raise InputError(
                _("Task {code} recurs: name the occurrence, one of {dates}.").format(
                    code=task.code, dates=dates
                )
            )
        _check_version(task, expected_version, task.code)
        before = audit.snapshot(task)
        for occ in session.exec(select(Occurrence).where(Occurrence.task_id == task.id)):
            if occ.status == "done" or occ.status == status:
                continue
            _change(session, ctx, task, occ, status, day, None, clean_note)
        task.status = status
        session.add(task)
        session.flush()
        audit.record(
            session, actor=ctx.actor, action=f"task.{status}", entity="task",
            entity_id=task.id, label=task.code, plan_id=plan.id, task_id=task.id,
            before=before, after=_with_note(audit.snapshot(task), clean_note),
        )
        return task
    target: Task | Occurrence = occurrence if occurrence is not None else task
    label = key.strip() if occurrence is not None else task.code
    _check_version(target, expected_version, label)
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
    _change(session, ctx, task, occurrence, status, day, progress, clean_note)
    session.flush()
    audit.record(
        session, actor=ctx.actor, action=f"task.{status}",
        entity="occurrence" if occurrence is not None else "task",
        entity_id=target.id, label=label, plan_id=plan.id, task_id=task.id,
        before=before, after=_with_note(audit.snapshot(target), clean_note),
    )
    return target


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
        for model, column in (
            (Evidence, Evidence.task_id),
            (StatusEvent, StatusEvent.task_id),
            (Occurrence, Occurrence.task_id),
            (TaskSupport, TaskSupport.task_id),
            (TaskCriterion, TaskCriterion.task_id),
        ):
            session.exec(delete(model).where(col(column) == task.id))  # type: ignore[call-overload]
        session.delete(task)
        session.flush()
        audit.record(
            session, actor=ctx.actor, action="task.delete", entity="task", entity_id=task.id,
            label=task.code, plan_id=plan.id, task_id=task.id, before=before,
        )
        return task
