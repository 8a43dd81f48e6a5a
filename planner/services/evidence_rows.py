"""Evidence as lists show it: one row per document, file, link or note, with its target.

Read through the Core tables, so the dashboard's "awaiting review" panel needs no ORM; the
services that submit and review evidence are in `planner.services.evidence`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Connection

from planner.i18n import _
from planner.services.errors import InputError
from planner.services.facts import PlanRecord, as_connection
from planner.store import tables as t

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

STATES = ("submitted", "accepted", "rejected", "withdrawn")


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    target: str  # task key or "criterion 1.1.3"
    kind: str
    title: str
    doc_number: str
    doc_date: date | None
    issuer: str
    filename: str
    size: int | None
    url: str
    note: str
    state: str
    submitted_by: str
    submitted_on: date
    reviewed_by: str
    reviewed_on: date | None
    reason: str
    lead: str
    version: int
    valid_until: date | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "target": self.target,
            "kind": self.kind,
            "title": self.title,
            "doc_number": self.doc_number,
            "doc_date": self.doc_date.isoformat() if self.doc_date else None,
            "issuer": self.issuer,
            "filename": self.filename,
            "size": self.size,
            "url": self.url,
            "note": self.note,
            "state": self.state,
            "submitted_by": self.submitted_by,
            "submitted_on": self.submitted_on.isoformat(),
            "reviewed_by": self.reviewed_by,
            "reviewed_on": self.reviewed_on.isoformat() if self.reviewed_on else None,
            "reason": self.reason,
            "lead": self.lead,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
        }


def state_label(state: str) -> str:
    from planner.services.vocabulary import state_label as label

    return _("none") if state == "none" else label(state)


def evidence_rows(
    source: Session | Connection, plan: PlanRecord, *, target: str | None = None,
    state: str | None = None, office: str | None = None, ids: list[int] | None = None,
    awaiting_on: date | None = None,
) -> list[EvidenceRow]:
    """The plan's evidence, oldest first; narrowed to a task, occurrence or criterion
    (`target`), a state, a lead office or ids; or to what awaited review on `awaiting_on`
    (submitted by then, and reviewed, if at all, only after it)."""
    conn = as_connection(source)
    ev, task, occ, crit = t.evidence.c, t.task.c, t.occurrence.c, t.criterion.c
    query = (
        select(t.evidence, task.code.label("task_code"), occ.due_on.label("occurrence_due"),
               crit.code.label("criterion_code"), t.office.c.code.label("lead_code"),
               t.blob.c.size.label("blob_size"))
        .outerjoin(t.task, task.id == ev.task_id)
        .outerjoin(t.occurrence, occ.id == ev.occurrence_id)
        .outerjoin(t.criterion, crit.id == ev.criterion_id)
        .outerjoin(t.office, t.office.c.id == task.lead_office_id)
        .outerjoin(t.blob, t.blob.c.sha256 == ev.blob_sha256)
        .where(ev.plan_id == plan.id)
        .order_by(ev.id)
    )
    if state:
        if state not in STATES:
            raise InputError(
                _('Unknown state "{state}" (one of: {choices}).').format(state=state, choices=", ".join(STATES))
            )
        query = query.where(ev.state == state)
    if ids is not None:
        query = query.where(ev.id.in_(ids))
    if awaiting_on is not None:
        query = query.where(ev.submitted_on <= awaiting_on, or_(
            ev.state == "submitted",
            and_(ev.state.in_(("accepted", "rejected")), ev.reviewed_on > awaiting_on)))
    if target or office:
        query = query.where(*_lookups(conn, plan, target, office))
    rows = []
    for r in conn.execute(query):
        if r.criterion_code:
            tgt = f"criterion {r.criterion_code}"
        elif r.occurrence_due is not None:
            tgt = f"{r.task_code}@{r.occurrence_due.isoformat()}"
        else:
            tgt = r.task_code or ""
        rows.append(
            EvidenceRow(
                id=r.id or 0, target=tgt, kind=r.kind, title=r.title, doc_number=r.doc_number,
                doc_date=r.doc_date, issuer=r.issuer, filename=r.filename, size=r.blob_size,
                url=r.url, note=r.note, state=r.state, submitted_by=r.submitted_by,
                submitted_on=r.submitted_on, reviewed_by=r.reviewed_by,
                reviewed_on=r.reviewed_on, reason=r.reason, lead=r.lead_code or "",
                version=r.version, valid_until=r.valid_until,
            )
        )
    return rows


def _lookups(conn: Connection, plan: PlanRecord, target: str | None, office: str | None) -> list[Any]:
    """Conditions for a target and an office, found (or refused with a clear message) by the
    same lookups every command uses, in the connection's transaction."""
    from sqlmodel import Session

    from planner.services.lookup import criterion_by_code, office_by_code, task_and_occurrence
    from planner.store.models import Plan

    ev = t.evidence.c
    conditions: list[Any] = []
    with Session(bind=conn) as session:  # joins the connection's read transaction
        plan_model = session.get_one(Plan, plan.id)
        if target:
            text = target.strip()
            if re.fullmatch(r"\d+(\.\d+)*", text):
                conditions.append(ev.criterion_id == criterion_by_code(session, plan_model, text).id)
            else:
                found, occurrence = task_and_occurrence(session, plan_model, text)
                conditions.append(ev.task_id == found.id)
                if occurrence is not None:
                    conditions.append(ev.occurrence_id == occurrence.id)
        if office:
            conditions.append(t.task.c.lead_office_id == office_by_code(session, office).id)
    return conditions

