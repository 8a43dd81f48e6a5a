"""Find records by the codes people type, with messages that name what was not found."""

from __future__ import annotations

from sqlmodel import Session, col, select

from planner.domain.schedule import DateError, split_occurrence_key
from planner.i18n import _
from planner.services.errors import InputError, NotFound
from planner.services.names import match_office, office_names, unknown_criterion, unknown_office
from planner.store.models import Criterion, Indicator, Occurrence, Office, Plan, Task


def office_by_code(session: Session, code: str) -> Office:
    """An office by code (any case), name or alias, ignoring diacritics."""
    wanted = code.strip()
    office = session.exec(select(Office).where(Office.code == wanted)).first()
    if office is not None:
        return office
    ordered = session.exec(select(Office).order_by(col(Office.position), col(Office.id))).all()
    found = match_office(ordered, wanted, lambda o: office_names(o.code, o.name, o.aliases))
    if found is None:
        raise unknown_office(code, (o.code for o in ordered))
    return found


def offices_by_codes(session: Session, codes: list[str]) -> list[Office]:
    seen: dict[int, Office] = {}
    for code in codes:
        if code.strip():
            office = office_by_code(session, code)
            seen[office.id or 0] = office
    return list(seen.values())


def task_by_code(session: Session, plan: Plan, code: str) -> Task:
    task = session.exec(select(Task).where(Task.plan_id == plan.id, Task.code == code.strip())).first()
    if task is None:
        task = session.exec(
            select(Task).where(Task.plan_id == plan.id, Task.code == code.strip().upper())
        ).first()
    if task is None:
        raise NotFound(_('Unknown task "{code}" in the {year} plan.').format(code=code, year=plan.year))
    return task


def task_and_occurrence(session: Session, plan: Plan, key: str) -> tuple[Task, Occurrence | None]:
    """`T04` or `T04@2022-03-15`; a recurring task needs the occurrence date."""
    try:
        code, due = split_occurrence_key(key.strip())
    except DateError as exc:
        raise InputError(_('"{key}": {message}').format(key=key, message=exc.message)) from exc
    task = task_by_code(session, plan, code)
    if due is None:
        return task, None
    occurrence = session.exec(
        select(Occurrence).where(Occurrence.task_id == task.id, Occurrence.due_on == due)
    ).first()
    if occurrence is None:
        dates = ", ".join(
            o.due_on.isoformat()
            for o in session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).all()
        )
        raise NotFound(
            _('Task {code} has no occurrence due {due} (occurrences: {dates}).').format(
                code=task.code, due=due.isoformat(), dates=dates or "-"
            )
        )
    return task, occurrence


def criterion_by_code(session: Session, plan: Plan, code: str) -> Criterion:
    crit = session.exec(
        select(Criterion).where(Criterion.plan_id == plan.id, Criterion.code == code.strip())
    ).first()
    if crit is None:
        raise unknown_criterion(code, plan.year)
    return crit


def indicator_by_code(session: Session, plan: Plan, code: str) -> Indicator:
    ind = session.exec(
        select(Indicator).where(Indicator.plan_id == plan.id, Indicator.code == code.strip())
    ).first()
    if ind is None:
        codes = ", ".join(
            i.code for i in session.exec(select(Indicator).where(Indicator.plan_id == plan.id)).all()
        )
        raise NotFound(
            _('Unknown indicator "{code}" (indicators: {codes}).').format(code=code, codes=codes or "-")
        )
    return ind
