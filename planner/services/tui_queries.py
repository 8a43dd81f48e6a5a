"""Read-only queries for the terminal UI: everything its screens show, loaded once per change.

The dashboard, criteria tree, task list and offices board all derive from the same facts; at
10,000 tasks loading them costs most of a second, so `plan_overview` loads them once and
computes the score, the task rows and the board from that single load, instead of calling
`plan_score`, `list_tasks` and `board` one after another (three loads of the same facts).

Everything here reads through the Core tables (`planner.store.tables`): the terminal UI shows
its first screen without importing SQLModel, pydantic and the ORM (a quarter of a second),
which it imports in the background once the dashboard is up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Row

from planner.domain.accountability import OfficeRecord, office_board
from planner.domain.facts import PlanFacts
from planner.domain.schedule import occurrence_key
from planner.domain.scoring import PlanScore, score_plan
from planner.domain.text import fold
from planner.services.context import Context
from planner.services.evidence_rows import EvidenceRow, evidence_rows
from planner.services.facts import PlanRecord, load_facts
from planner.services.plans import has_plan as plan_exists
from planner.services.plans import plan_record
from planner.services.task_rows import TaskRow, rows_from_facts
from planner.store import tables as t
from planner.store.rows import fetch


@dataclass(frozen=True)
class PlanRows:
    """The task rows of the plan as of a date: what the task list needs, loaded first."""

    plan: Row[Any]  # a row of tables.plan: the Plan model's attributes
    as_of: date
    facts: PlanFacts
    rows: list[TaskRow]
    # Folded (lower case, no diacritics) "key title" of each row, in the order of `rows`, from
    # the stored folded titles: folding 15,000 titles again on every load costs 0.25 s.
    search_keys: list[str]
    offices: list[Row[Any]]  # rows of tables.office, in the board's order

    def criterion_codes(self) -> list[str]:
        """Every criterion code of the plan, parents before their children."""
        codes: list[str] = []
        stack = list(reversed(self.facts.criteria))
        while stack:
            node = stack.pop()
            codes.append(node.code)
            stack.extend(reversed(node.children))
        return codes


@dataclass(frozen=True)
class PlanOverview(PlanRows):
    """One consistent reading of the plan as of a date: the rows, the score and the board."""

    score: PlanScore
    board: list[OfficeRecord]
    submitted: list[EvidenceRow]


def has_plan(ctx: Context) -> bool:
    """Whether the database holds a plan the context can open (the welcome screen asks)."""
    with ctx.db.reading() as conn:
        return plan_exists(conn, ctx.plan_year)


def plan_overview(ctx: Context, as_of: date | None = None) -> PlanOverview:
    return complete_overview(ctx, plan_rows(ctx, as_of))


def plan_rows(ctx: Context, as_of: date | None = None) -> PlanRows:
    """The first half of an overview: facts and task rows (about half the time at 10,000)."""
    day = as_of or ctx.today
    task, office = t.task.c, t.office.c
    with ctx.db.reading() as conn:
        plan = plan_record(conn, ctx.plan_year)
        facts = load_facts(conn, plan)
        progress = progress_by_key(conn, plan)
        folded: dict[str, str] = dict(fetch(conn,
                            sa_select(task.code, task.title_folded).where(task.plan_id == plan.id)))
        offices = list(conn.execute(sa_select(t.office).order_by(office.position, office.id)))
    rows = rows_from_facts(facts, day, progress, ctx.today)
    # A row written without its folded title (an older import) is folded here instead.
    search_keys = [f"{r.key.lower()} {folded.get(r.task_code) or fold(r.title)}" for r in rows]
    return PlanRows(plan, day, facts, rows, search_keys, offices)


def complete_overview(ctx: Context, rows: PlanRows) -> PlanOverview:
    """The second half: the score, the offices board and the evidence awaiting review."""
    with ctx.db.reading() as conn:
        # What awaited review on the overview's date (the TUI can show an earlier week).
        submitted = evidence_rows(conn, rows.plan, awaiting_on=rows.as_of)
    score = score_plan(rows.facts, rows.as_of)
    board = office_board(rows.facts, score, rows.as_of, [o.code for o in rows.offices])
    return PlanOverview(rows.plan, rows.as_of, rows.facts, rows.rows, rows.search_keys, rows.offices,
                        score, board, submitted)


def progress_by_key(conn: Connection, plan: PlanRecord) -> dict[str, int]:
    """The progress % of every task and occurrence of the plan, by occurrence key."""
    out: dict[str, int] = {}
    task, occurrence = t.task.c, t.occurrence.c
    for code, progress in fetch(conn,
        sa_select(task.code, task.progress).where(task.plan_id == plan.id)
    ):
        out[code] = progress
    for code, due, progress in fetch(conn,
        sa_select(task.code, occurrence.due_on, occurrence.progress)
        .join(t.task, task.id == occurrence.task_id)
        .where(task.plan_id == plan.id)
    ):
        out[occurrence_key(code, due)] = progress
    return out
