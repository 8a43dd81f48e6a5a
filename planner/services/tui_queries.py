"""Read-only queries for the terminal UI: everything its screens show, loaded once per change.

The dashboard, criteria tree, task list and offices board all derive from the same facts; at
10,000 tasks loading them costs most of a second, so `plan_overview` loads them once and
computes the score, the task rows and the board from that single load, instead of calling
`plan_score`, `list_tasks` and `board` one after another (three loads of the same facts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from planner.domain.accountability import OfficeRecord, office_board
from planner.domain.facts import PlanFacts
from planner.domain.schedule import occurrence_key
from planner.domain.scoring import PlanScore, score_plan
from planner.domain.text import fold
from planner.services.context import Context
from planner.services.evidence import EvidenceRow, evidence_rows
from planner.services.facts import load_facts
from planner.services.plans import get_plan
from planner.services.tasks import TaskRow, rows_from_facts
from planner.store.models import Occurrence, Office, Plan, Task


@dataclass(frozen=True)
class PlanOverview:
    """One consistent reading of the plan as of a date."""

    plan: Plan
    as_of: date
    facts: PlanFacts
    score: PlanScore
    rows: list[TaskRow]
    # Folded (lower case, no diacritics) "key title" of each row, in the order of `rows`, from
    # the stored folded titles: folding 15,000 titles again on every load costs 0.25 s.
    search_keys: list[str]
    offices: list[Office]
    board: list[OfficeRecord]
    submitted: list[EvidenceRow]


def has_plan(ctx: Context) -> bool:
    """Whether the database holds a plan the context can open (the welcome screen asks)."""
    with ctx.db.read() as session:
        if ctx.plan_year is None:
            return session.exec(select(Plan.id).limit(1)).first() is not None
        return session.exec(select(Plan.id).where(Plan.year == ctx.plan_year)).first() is not None


def plan_overview(ctx: Context, as_of: date | None = None) -> PlanOverview:
    day = as_of or ctx.today
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        facts = load_facts(session, plan)
        progress = progress_by_key(session, plan)
        folded = dict(
            session.exec(select(Task.code, Task.title_folded).where(Task.plan_id == plan.id)).all()
        )
        offices = list(session.exec(select(Office).order_by(col(Office.position), col(Office.id))))
        submitted = evidence_rows(session, plan, state="submitted")
    score = score_plan(facts, day)
    rows = rows_from_facts(facts, day, progress)
    # A row written without its folded title (an older import) is folded here instead.
    search_keys = [f"{r.key.lower()} {folded.get(r.task_code) or fold(r.title)}" for r in rows]
    board = office_board(facts, score, day, [o.code for o in offices])
    return PlanOverview(plan, day, facts, score, rows, search_keys, offices, board, submitted)


def progress_by_key(session: Session, plan: Plan) -> dict[str, int]:
    """The progress % of every task and occurrence of the plan, by occurrence key."""
    out: dict[str, int] = {}
    conn = session.connection()
    for code, progress in conn.execute(
        sa_select(Task.code, Task.progress).where(col(Task.plan_id) == plan.id)
    ):
        out[code] = progress
    for code, due, progress in conn.execute(
        sa_select(Task.code, Occurrence.due_on, Occurrence.progress)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(col(Task.plan_id) == plan.id)
    ):
        out[occurrence_key(code, due)] = progress
    return out
