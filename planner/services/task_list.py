"""Listing tasks: the query behind `planner tasks` and the service's `list_tasks`.

Reads through the Core tables (`planner.store.tables`): listing needs no ORM, SQLModel or
pydantic unless the filter names an office or a criterion, which are looked up (with their
"did you mean" messages) by the same lookups every command uses. Conditions that narrow the
rows are applied in SQL first (`_prefilter`), then the service's own `filter_rows` decides.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection

from planner.domain.text import fold
from planner.i18n import _
from planner.services.context import Context
from planner.services.errors import InputError
from planner.services.facts import PlanRecord, load_occurrences
from planner.services.plans import plan_record
from planner.services.task_rows import (
    LISTABLE_STATUSES,
    TaskFilter,
    TaskRow,
    build_rows,
    filter_rows,
)
from planner.store import tables as t
from planner.store.rows import fetch


def _progress_map(conn: Connection, plan: PlanRecord, where: list[Any],
                  occurrence_where: list[Any] | None = None) -> dict[str, int]:
    out: dict[str, int] = {}
    for code, prog in fetch(conn,
        sa_select(t.task.c.code, t.task.c.progress).where(t.task.c.plan_id == plan.id, *where)
    ):
        out[code] = prog
    for code, due, prog in fetch(conn,
        sa_select(t.task.c.code, t.occurrence.c.due_on, t.occurrence.c.progress)
        .join(t.task, t.task.c.id == t.occurrence.c.task_id)
        .where(t.task.c.plan_id == plan.id, *where, *(occurrence_where or ()))
    ):
        out[f"{code}@{due.isoformat()}"] = prog
    return out


def _criteria_map(conn: Connection, plan: PlanRecord, where: list[Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for task_code, crit_code in fetch(conn,
        sa_select(t.task.c.code, t.criterion.c.code)
        .join(t.task_criterion, t.task_criterion.c.task_id == t.task.c.id)
        .join(t.criterion, t.criterion.c.id == t.task_criterion.c.criterion_id)
        .where(t.task.c.plan_id == plan.id, *where)
        .order_by(t.criterion.c.position, t.criterion.c.id)
    ):
        out.setdefault(task_code, []).append(crit_code)
    return out


def _may_be_overdue(plan_ends_on: date, as_of: date) -> Any:
    """Tasks with an occurrence due before `as_of`: only those can be overdue on that day."""
    due_before = sa_select(t.occurrence.c.task_id).where(t.occurrence.c.due_on < as_of)
    cases = [
        and_(t.task.c.recurrence.is_(None), t.task.c.due_on < as_of),
        and_(t.task.c.recurrence.is_not(None), t.task.c.id.in_(due_before)),
    ]
    if plan_ends_on < as_of:  # undated tasks are due at the end of the plan
        cases.append(and_(t.task.c.recurrence.is_(None), t.task.c.due_on.is_(None)))
    return or_(*cases)


def _prefilter(flt: TaskFilter, as_of: date, plan_ends_on: date,
               office_ids: dict[str, int]) -> tuple[list[Any], list[Any]]:
    """SQL conditions that keep every row the filter could match (fewer rows to load): on
    Task, and on the dated occurrences of recurring tasks. `office_ids`: the filter's office
    codes (as `_named` resolved them) -> ids."""
    where: list[Any] = []
    occurrence_where: list[Any] = []
    if flt.lead:
        where.append(t.task.c.lead_office_id == office_ids[flt.lead])
    if flt.office:
        office_id = office_ids[flt.office]
        supported = sa_select(t.task_support.c.task_id).where(t.task_support.c.office_id == office_id)
        where.append(or_(t.task.c.lead_office_id == office_id, t.task.c.id.in_(supported)))
    if flt.criterion:
        linked = (
            sa_select(t.task_criterion.c.task_id)
            .join(t.criterion, t.criterion.c.id == t.task_criterion.c.criterion_id)
            .where(or_(t.criterion.c.code == flt.criterion,
                       t.criterion.c.code.like(flt.criterion + ".%")))
        )
        where.append(t.task.c.id.in_(linked))
    if flt.search:
        for word in fold(flt.search).split():
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append(or_(t.task.c.title_folded.like(pattern, escape="\\"),
                             func.lower(t.task.c.code).like(pattern, escape="\\")))
    if flt.statuses and set(flt.statuses) == {"overdue"}:
        where.append(_may_be_overdue(plan_ends_on, as_of))
        occurrence_where.append(t.occurrence.c.due_on < as_of)
    if flt.due_within is not None:
        limit = date.fromordinal(as_of.toordinal() + flt.due_within)
        where.append(or_(t.task.c.due_on.between(as_of, limit), t.task.c.recurrence.is_not(None)))
        occurrence_where.append(t.occurrence.c.due_on.between(as_of, limit))
    return where, occurrence_where


def list_tasks(ctx: Context, flt: TaskFilter | None = None, as_of: date | None = None) -> list[TaskRow]:
    """The task occurrences matching a filter, as of a date, in the plan's order."""
    flt = flt or TaskFilter()
    day = as_of or ctx.today
    if flt.statuses:
        flt = replace(flt, statuses=tuple(_status_code(s) for s in flt.statuses))
    with ctx.db.reading() as conn:
        plan = plan_record(conn, ctx.plan_year)
        office_ids: dict[str, int] = {}
        if flt.office or flt.lead or flt.criterion:
            flt, office_ids = _named(conn, plan, flt)
        where, occurrence_where = _prefilter(flt, day, plan.ends_on, office_ids)
        occurrences, _codes = load_occurrences(conn, plan, where=where,
                                               occurrence_where=occurrence_where)
        progress = _progress_map(conn, plan, where, occurrence_where)
        criteria = _criteria_map(conn, plan, where)
    rows = build_rows(occurrences, criteria, day, progress, ctx.today)
    return filter_rows(rows, flt, day)


def _status_code(text: str) -> str:
    """A status as typed: its code or the words either language shows ("not started",
    "chưa thực hiện", "quá hạn"), in any case, with or without diacritics."""
    from planner.services.vocabulary import status_from_words, status_label

    code = status_from_words(text, LISTABLE_STATUSES)
    if code is None:
        raise InputError(
            _('Unknown status "{status}" (one of: {choices}).').format(
                status=text, choices=", ".join(status_label(s) for s in LISTABLE_STATUSES)
            )
        )
    return code


def _named(conn: Connection, plan: PlanRecord, flt: TaskFilter) -> tuple[TaskFilter, dict[str, int]]:
    """The filter with its offices as codes (an office may be named by code in any case, name
    or alias), their ids, and its criterion checked, by the Core lookups of
    `planner.services.names` (the rule and messages of every command; no ORM to import)."""
    from planner.services.names import criterion_row, office_row

    office_ids: dict[str, int] = {}
    if flt.office:
        office = office_row(conn, flt.office)
        flt, office_ids[office.code] = replace(flt, office=office.code), office.id
    if flt.lead:
        office = office_row(conn, flt.lead)
        flt, office_ids[office.code] = replace(flt, lead=office.code), office.id
    if flt.criterion:
        criterion_row(conn, plan.id or 0, plan.year, flt.criterion)
    return flt, office_ids
