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
from planner.domain.collector import collector_paused
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
from planner.store.rows import fetch


@dataclass(frozen=True)
class PlanRows:
    """The task rows of the plan as of a date: what the task list needs, loaded first."""

    plan: Plan
    as_of: date
    facts: PlanFacts
    rows: list[TaskRow]
    # Folded (lower case, no diacritics) "key title" of each row, in the order of `rows`, from
    # the stored folded titles: folding 15,000 titles again on every load costs 0.25 s.
    search_keys: list[str]
    offices: list[Office]

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
    with ctx.db.read() as session:
        if ctx.plan_year is None:
            return session.exec(select(Plan.id).limit(1)).first() is not None
        return session.exec(select(Plan.id).where(Plan.year == ctx.plan_year)).first() is not None


def plan_overview(ctx: Context, as_of: date | None = None) -> PlanOverview:
    return complete_overview(ctx, plan_rows(ctx, as_of))


@collector_paused()
def plan_rows(ctx: Context, as_of: date | None = None) -> PlanRows:
    """The first half of an overview: facts and task rows (about half the time at 10,000)."""
    day = as_of or ctx.today
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        facts = load_facts(session, plan)
        progress = progress_by_key(session, plan)
        folded: dict[str, str] = dict(fetch(session.connection(),
                            sa_select(Task.code, Task.title_folded).where(col(Task.plan_id) == plan.id)))
        offices = list(session.exec(select(Office).order_by(col(Office.position), col(Office.id))))
    rows = rows_from_facts(facts, day, progress)
    # A row written without its folded title (an older import) is folded here instead.
    search_keys = [f"{r.key.lower()} {folded.get(r.task_code) or fold(r.title)}" for r in rows]
    return PlanRows(plan, day, facts, rows, search_keys, offices)


@collector_paused()
def complete_overview(ctx: Context, rows: PlanRows) -> PlanOverview:
    """The second half: the score, the offices board and the evidence awaiting review."""
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        submitted = evidence_rows(session, plan, state="submitted")
    score = score_plan(rows.facts, rows.as_of)
    board = office_board(rows.facts, score, rows.as_of, [o.code for o in rows.offices])
    return PlanOverview(rows.plan, rows.as_of, rows.facts, rows.rows, rows.search_keys, rows.offices,
                        score, board, submitted)


def progress_by_key(session: Session, plan: Plan) -> dict[str, int]:
    """The progress % of every task and occurrence of the plan, by occurrence key."""
    out: dict[str, int] = {}
    conn = session.connection()
    for code, progress in fetch(conn,
        sa_select(Task.code, Task.progress).where(col(Task.plan_id) == plan.id)
    ):
        out[code] = progress
    for code, due, progress in fetch(conn,
        sa_select(Task.code, Occurrence.due_on, Occurrence.progress)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(col(Task.plan_id) == plan.id)
    ):
        out[occurrence_key(code, due)] = progress
    return out
