"""What the reports read, in one read transaction with a fixed number of queries (reads only).

The weekly report needs the scoring facts, the progress of each occurrence, the offices and
every piece of evidence; loading them together keeps a 10,000-task report to a handful of
queries instead of one service call (and one facts load) per section.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from planner.domain.facts import EvidenceFact, PlanFacts, evidence_fact
from planner.i18n import _
from planner.services.context import Context
from planner.services.facts import load_facts, load_reviews
from planner.services.lookup import office_by_code
from planner.services.plans import get_plan
from planner.store.models import Criterion, Evidence, Occurrence, Office, Plan, Task


class ReportEvidence(NamedTuple):
    """A piece of evidence as the report needs it (a Core row: 5,000 ORM objects cost 0.4 s)."""

    id: int
    target: str  # task key (T04@2022-03-15) or "criterion 1.1.3", as `evidence list` names it
    doc_number: str
    title: str
    filename: str
    url: str
    note: str
    state: str
    submitted_on: date
    submitted_by: str
    reviewed_on: date | None
    reason: str
    lead: str  # the lead office of the task ("" for evidence of a criterion)
    fact: EvidenceFact  # its dated review history: what it was as of any date
    doc_date: date | None = None
    issuer: str = ""


@dataclass(frozen=True)
class ReportInputs:
    plan: Plan
    facts: PlanFacts
    progress: dict[str, int]  # occurrence key -> progress %
    offices: list[Office]
    evidence: list[ReportEvidence]
    office: Office | None = None  # the office asked for, resolved by code, name or alias
    today: date | None = None  # the context's today: stored progress counts from it on
    rules: dict[str, str] | None = None  # task code -> recurrence rule, for recurring tasks


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
        evidence = _evidence(session, plan)
        rules = {
            code: rule for code, rule in session.execute(
                select(Task.code, Task.recurrence).where(Task.plan_id == plan.id)
                .where(col(Task.recurrence).is_not(None)))
            if rule
        }
    return ReportInputs(plan, facts, progress, offices, evidence, wanted, ctx.today, rules)


def _evidence(session: Session, plan: Plan) -> list[ReportEvidence]:
    rows = session.execute(
        select(Evidence.id, Task.code, Occurrence.due_on, Criterion.code, Evidence.doc_number,
               Evidence.title, Evidence.filename, Evidence.url, Evidence.note, Evidence.state,
               Evidence.submitted_on, Evidence.submitted_by, Evidence.reviewed_on, Evidence.reason,
               Office.code, Evidence.valid_until, Evidence.doc_date, Evidence.issuer)
        .outerjoin(Task, col(Task.id) == Evidence.task_id)
        .outerjoin(Occurrence, col(Occurrence.id) == Evidence.occurrence_id)
        .outerjoin(Criterion, col(Criterion.id) == Evidence.criterion_id)
        .outerjoin(Office, col(Office.id) == Task.lead_office_id)
        .where(Evidence.plan_id == plan.id)
        .order_by(col(Evidence.id))
    )
    reviews = load_reviews(session.connection(), plan_id=plan.id)
    out = []
    for (ev_id, task, due, criterion, doc, title, filename, url, note, state, submitted_on,
         submitted_by, reviewed_on, reason, lead, valid_until, doc_date, issuer) in rows:
        if criterion:
            target = _("criterion {code}").format(code=criterion)
        elif due is not None:
            target = f"{task}@{due.isoformat()}"
        else:
            target = task or ""
        fact = evidence_fact(ev_id, submitted_on, reviewed_on if state == "withdrawn" else None,
                             reviews.get(ev_id, ()), valid_until)
        out.append(ReportEvidence(ev_id, target, doc or "", title or "", filename or "", url or "",
                                  note or "", state, submitted_on, submitted_by or "", reviewed_on,
                                  reason or "", lead or "", fact, doc_date, issuer or ""))
    return out
