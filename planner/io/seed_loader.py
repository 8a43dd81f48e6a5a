"""Write a validated seed file into a database, all in one transaction."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from planner.domain import criterion_params
from planner.domain.text import fold
from planner.i18n import _
from planner.io.seedfile import SeedFile, seed_params
from planner.services import audit
from planner.services.errors import InputError
from planner.store.clock import utcnow
from planner.store.db import Database
from planner.store.models import (
    Confirmation,
    Criterion,
    Evidence,
    EvidenceReview,
    Indicator,
    ManualEntry,
    Occurrence,
    Office,
    Plan,
    Reading,
    StatusEvent,
    Task,
    TaskCriterion,
    TaskSupport,
)


def load_seed(db: Database, seed: SeedFile, *, actor: str, replace: bool = False,
              real_actor: str = "") -> Plan:
    """Create the seed's plan (and any office it names that is missing)."""
    now = utcnow()
    with db.write() as session:
        existing = session.exec(select(Plan).where(Plan.year == seed.plan.year)).first()
        if existing is not None:
            raise InputError(
                _("The database already holds a {year} plan; nothing was loaded.").format(
                    year=seed.plan.year
                )
            )
        p = seed.plan
        plan = Plan(
            year=p.year,
            title=p.title,
            number=p.number,
            issued_on=p.issued_on,
            agency=p.agency,
            parent_agency=p.parent_agency,
            place=p.place,
            index_name=p.index,
            starts_on=p.starts_on,
            ends_on=p.ends_on,
            closes_on=p.closes_on,
            baseline_year=p.baseline_year,
            baseline_score=p.baseline_score,
            baseline_max=p.baseline_max,
            baseline_rank=p.baseline_rank,
            baseline_of=p.baseline_of,
            target_score=p.target,
            demo_as_of=p.demo_as_of,
        )
        session.add(plan)
        session.flush()
        offices = _offices(session, seed)
        indicators: dict[str, Indicator] = {}
        for i in seed.indicators:
            ind = Indicator(
                plan_id=plan.id or 0,
                code=i.code,
                name=i.name,
                unit=i.unit,
                direction=i.direction,
                target=i.target,
                computed=i.computed,
            )
            session.add(ind)
            indicators[i.code] = ind
        session.flush()
        criteria: dict[str, Criterion] = {}
        for c in sorted(seed.criteria, key=lambda c: c.position):
            params = seed_params(c)
            row = Criterion(
                plan_id=plan.id or 0,
                parent_id=criteria[c.parent].id if c.parent else None,
                code=c.code,
                title=c.title,
                title_en=c.title_en or "",
                max_points=c.max_points,
                method=c.method,
                params=criterion_params.encode(params),
                indicator_id=indicators[c.indicator].id if c.indicator else None,
                lead_office_id=offices[c.lead].id if c.lead else None,
                position=c.position,
            )
            session.add(row)
            session.flush()
            criteria[c.code] = row
        tasks: dict[str, Task] = {}
        occurrences: dict[tuple[str, Any], Occurrence] = {}
        from planner.domain.schedule import task_occurrence_dates

        for position, t in enumerate(seed.tasks, start=1):
            task = Task(
                plan_id=plan.id or 0,
                code=t.code,
                title=t.title,
                title_folded=fold(t.title),
                description=t.description,
                product=t.product,
                lead_office_id=offices[t.lead].id or 0,
                start_on=t.start_on,
                due_on=t.due_on,
                deadline_text=t.deadline_text,
                continuous=t.continuous,
                recurrence=t.recurrence,
                position=position,
            )
            session.add(task)
            session.flush()
            tasks[t.code] = task
            for code in t.support:
                if code != t.lead:
                    session.add(TaskSupport(task_id=task.id or 0, office_id=offices[code].id or 0))
            for code, weight in t.criteria:
                session.add(
                    TaskCriterion(
                        task_id=task.id or 0, criterion_id=criteria[code].id or 0, weight=weight
                    )
                )
            if t.recurrence:
                for due in task_occurrence_dates(
                    t.recurrence, plan_starts_on=plan.starts_on, plan_ends_on=plan.ends_on,
                    task_starts_on=t.start_on,
                ):
                    occ = Occurrence(task_id=task.id or 0, due_on=due)
                    session.add(occ)
                    occurrences[(t.code, due)] = occ
        session.flush()
        for e in sorted(seed.events, key=lambda e: e.on):
            task = tasks[e.task]
            found = occurrences.get((e.task, e.occurrence_due)) if e.occurrence_due else None
            target: Task | Occurrence = found if found is not None else task
            target.status = e.status
            target.done_on = e.on if e.status == "done" else None
            target.progress = (
                e.progress
                if e.progress is not None
                else (100 if e.status == "done" else target.progress)
            )
            session.add(target)
            session.add(
                StatusEvent(
                    task_id=task.id or 0,
                    occurrence_id=found.id if found else None,
                    status=e.status,
                    progress=target.progress,
                    on=e.on,
                    at=now,
                    by=e.by or actor,
                )
            )
        reviewed: list[Evidence] = []
        for ev in seed.evidence:
            ev_row = Evidence(
                plan_id=plan.id or 0,
                kind=ev.kind,
                title=ev.title or "",
                doc_number=ev.doc_number or "",
                doc_date=ev.doc_date,
                issuer=ev.issuer or "",
                url=ev.url or "",
                note=ev.note or "",
                submitted_by=ev.submitted_by or actor,
                submitted_at=now,
                submitted_on=ev.submitted_on,
            )
            if ev.criterion:
                ev_row.criterion_id = criteria[ev.criterion].id
            else:
                assert ev.task is not None
                ev_row.task_id = tasks[ev.task].id
                if ev.occurrence_due:
                    ev_row.occurrence_id = occurrences[(ev.task, ev.occurrence_due)].id
            if ev.accepted_on or ev.rejected_on:
                ev_row.state = "accepted" if ev.accepted_on else "rejected"
                ev_row.reviewed_on = ev.accepted_on or ev.rejected_on
                ev_row.reviewed_at = now
                ev_row.reviewed_by = ev.reviewer or actor
                ev_row.reason = ev.reason or ""
            session.add(ev_row)
            if ev_row.reviewed_on is not None:
                reviewed.append(ev_row)
        session.flush()
        for ev_row in reviewed:  # each decision is the first event of its review history
            assert ev_row.reviewed_on is not None
            session.add(EvidenceReview(evidence_id=ev_row.id or 0, state=ev_row.state,
                                       on=ev_row.reviewed_on, at=now, by=ev_row.reviewed_by,
                                       reason=ev_row.reason))
        for r in seed.readings:
            session.add(
                Reading(
                    indicator_id=indicators[r.indicator].id or 0,
                    on=r.on,
                    value=r.value,
                    numerator=r.numerator,
                    denominator=r.denominator,
                    source=r.source or "",
                    recorded_by=actor,
                    recorded_at=now,
                )
            )
        for conf in seed.confirmations:
            session.add(
                Confirmation(
                    criterion_id=criteria[conf.criterion].id or 0,
                    outcome=conf.outcome,
                    on=conf.on,
                    note=conf.note or "",
                    by=actor,
                    at=now,
                )
            )
        for m in seed.manual:
            crit = criteria[m.criterion]
            points = m.points if m.points is not None else crit.max_points * (m.percent or 0) / 100
            session.add(
                ManualEntry(
                    criterion_id=crit.id or 0,
                    points=points,
                    percent=m.percent,
                    on=m.on,
                    by=actor,
                    at=now,
                )
            )
        session.flush()
        audit.record(
            session,
            actor=actor,
            real_actor=real_actor,
            action="plan.load",
            entity="plan",
            entity_id=plan.id,
            label=str(plan.year),
            plan_id=plan.id,
            after={
                "year": plan.year,
                "title": plan.title,
                "tasks": len(tasks),
                "criteria": len(criteria),
                "offices": len(offices),
            },
        )
        return plan


def _offices(session: Session, seed: SeedFile) -> dict[str, Office]:
    existing = {o.code: o for o in session.exec(select(Office)).all()}
    position = max((o.position for o in existing.values()), default=0)
    for o in seed.offices:
        if o.code in existing:
            continue
        position += 1
        office = Office(
            code=o.code,
            name=o.name,
            aliases="\n".join(o.aliases),
            head_name=o.head_name or "",
            head_title=o.head_title or "",
            email=o.email or "",
            position=position,
        )
        session.add(office)
        existing[o.code] = office
    session.flush()
    return existing
