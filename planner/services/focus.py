"""The tasks that matter most (`planner focus`, the TUI's focus screen and dashboard panel, the
top of each office's weekly email): the plan's facts and effort estimates loaded with a fixed
number of Core queries, ranked by `planner.domain.focus`, with each lead office's head."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from planner.domain.facts import PlanFacts
from planner.domain.focus import FocusItem, focus
from planner.i18n import _
from planner.services.context import Context
from planner.services.facts import load_facts
from planner.services.plans import plan_record
from planner.store import tables as t


@dataclass(frozen=True)
class OfficeHead:
    code: str
    name: str
    head_name: str
    head_title: str

    @property
    def head(self) -> str:
        return ", ".join(part for part in (self.head_name, self.head_title) if part)


@dataclass(frozen=True)
class FocusList:
    as_of: date
    items: list[FocusItem]
    offices: dict[str, OfficeHead]
    closed_on: date | None = None  # the plan's closing date, when the as-of date is after it

    def empty_text(self) -> str:
        """What an empty list means: nothing open, or a plan that has closed."""
        if self.closed_on is not None:
            return _("The plan closed on {date}: no task can change its points any more.").format(
                date=self.closed_on.strftime("%d/%m/%Y"))
        return _("No open tasks.")

    @property
    def uses_effort(self) -> bool:
        return any(item.effort_days is not None for item in self.items)

    def office(self, code: str) -> OfficeHead:
        return self.offices.get(code) or OfficeHead(code, code, "", "")


def _efforts(conn: Connection, plan_id: int) -> dict[str, float]:
    task = t.task.c
    rows = conn.execute(
        select(task.code, task.effort_days).where(
            task.plan_id == plan_id, task.effort_days.is_not(None)
        )
    )
    return {code: float(days) for code, days in rows}


def _offices(conn: Connection) -> dict[str, OfficeHead]:
    office = t.office.c
    rows = conn.execute(select(office.code, office.name, office.head_name, office.head_title))
    return {row.code: OfficeHead(row.code, row.name, row.head_name, row.head_title) for row in rows}


def _office_code(conn: Connection, code: str) -> str:
    from sqlmodel import Session

    from planner.services.lookup import office_by_code

    # The lookup with its "did you mean" lives on the ORM: a session on this connection.
    return office_by_code(Session(bind=conn), code).code


def focus_list(
    ctx: Context,
    as_of: date | None = None,
    *,
    office: str | None = None,
    limit: int | None = None,
    facts: PlanFacts | None = None,
) -> FocusList:
    """The open occurrences, most pressing first (of one lead office when given)."""
    day = as_of or ctx.today
    with ctx.db.reading() as conn:
        plan: Any = plan_record(conn, ctx.plan_year)
        offices = [_office_code(conn, office)] if office else None
        if facts is None:
            facts = load_facts(conn, plan)
        efforts = _efforts(conn, plan.id)
        heads = _offices(conn)
    items = focus(
        facts,
        day,
        effort=efforts,
        offices=offices,
        extra_holidays=ctx.work.days_off,
        extra_workdays=ctx.work.days_on,
        limit=limit,
    )
    closing = facts.closing_date
    return FocusList(day, items, heads, closing if day > closing else None)


def focus_by_office(
    ctx: Context, facts: PlanFacts, as_of: date, offices: Sequence[str], limit: int
) -> list[FocusItem]:
    """The first `limit` of each lead office given, on facts a caller already loaded (a
    report), most pressing first."""
    with ctx.db.reading() as conn:
        plan: Any = plan_record(conn, ctx.plan_year)
        efforts = _efforts(conn, plan.id)
    return focus(facts, as_of, effort=efforts, offices=offices, limit=limit, per_office=True,
                 extra_holidays=ctx.work.days_off, extra_workdays=ctx.work.days_on)


def method_note(items: Sequence[FocusItem]) -> str:
    """Which method the ranking used, as the output says it."""
    with_effort = sum(1 for item in items if item.effort_days is not None)
    if not with_effort:
        return _(
            "Ranked by the points lost if never done, per working day left before the deadline "
            "(no effort estimates: deadline pressure alone)."
        )
    return _(
        "Ranked by the points lost if never done, per working day left before the deadline "
        "less the effort estimate where a task has one ({count} of {total})."
    ).format(count=with_effort, total=len(items))
