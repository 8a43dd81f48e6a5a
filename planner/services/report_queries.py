"""What the reports read, in one read transaction with a fixed number of queries (reads only).

The weekly report needs the scoring facts, the progress of each occurrence, the offices and
every piece of evidence; loading them together keeps a 10,000-task report to a handful of
queries instead of one service call (and one facts load) per section.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import col

from planner.domain.facts import PlanFacts
from planner.services.context import Context
from planner.services.evidence import EvidenceRow, evidence_rows
from planner.services.facts import load_facts
from planner.services.lookup import office_by_code
from planner.services.plans import get_plan
from planner.store.models import Occurrence, Office, Plan, Task


@dataclass(frozen=True)
class ReportInputs:
    plan: Plan
    facts: PlanFacts
    progress: dict[str, int]  # occurrence key -> progress %
    offices: list[Office]
    evidence: list[EvidenceRow]
    office: Office | None = None  # the office asked for, resolved by code, name or alias


def load_report_inputs(ctx: Context, office: str | None = None) -> ReportInputs:
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        wanted = office_by_code(session, office) if office else None
        facts = load_facts(session, plan)
        progress: dict[str, int] = {}
        for code, value in session.execute(
            select(Task.code, Task.progress).where(Task.plan_id == plan.id)
        ):
            progress[code] = value
        for code, due, value in session.execute(
            select(Task.code, Occurrence.due_on, Occurrence.progress)
            .join(Task, col(Task.id) == Occurrence.task_id)
            .where(Task.plan_id == plan.id)
        ):
            progress[f"{code}@{due.isoformat()}"] = value
        offices = list(
            session.execute(select(Office).order_by(col(Office.position), col(Office.id))).scalars()
        )
        evidence = evidence_rows(session, plan)
    return ReportInputs(plan, facts, progress, offices, evidence, wanted)
