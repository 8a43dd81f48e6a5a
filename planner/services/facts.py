"""Load everything scoring needs about one plan with a fixed number of queries."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from planner.domain import facts as f
from planner.domain.schedule import occurrence_key
from planner.store.models import (
    Confirmation,
    Criterion,
    Evidence,
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


def criterion_rule(row: Any, params: dict[str, Any], indicator: str | None,
                   lead: str | None, children: tuple[f.CriterionRule, ...]) -> f.CriterionRule:
    return f.CriterionRule(
        code=row.code,
        title=row.title,
        max_points=row.max_points,
        method=row.method,
        children=children,
        late_factor=float(params.get("late_factor", 0.5)),
        mode=params.get("mode", "share"),
        indicator=indicator,
        bands=tuple(f.Band(float(b), float(p)) for b, p in params.get("bands", [])),
        when_empty=params.get("when_empty"),
        outcomes=tuple(f.Outcome(o["key"], o.get("label", o["key"]), float(o["points"]))
                       for o in params.get("outcomes", [])),
        expected_outcome=params.get("expected_outcome"),
        expected_points=params.get("expected_points"),
        lead_office=lead,
    )


def load_facts(session: Session, plan: Plan) -> f.PlanFacts:
    pid = plan.id
    offices = {r.id: r.code for r in session.execute(select(Office.id, Office.code))}
    indicators = list(session.execute(select(Indicator).where(col(Indicator.plan_id) == pid)).scalars())
    ind_code = {i.id: i.code for i in indicators}

    crit_rows = list(session.execute(
        select(Criterion.id, Criterion.parent_id, Criterion.code, Criterion.title,
               Criterion.max_points, Criterion.method, Criterion.params,
               Criterion.indicator_id, Criterion.lead_office_id)
        .where(Criterion.plan_id == pid).order_by(Criterion.position, Criterion.id)
    ))
    crit_code = {r.id: r.code for r in crit_rows}
    kids: dict[int | None, list[Any]] = defaultdict(list)
    for r in crit_rows:
        kids[r.parent_id].append(r)

    def build(row: Any) -> f.CriterionRule:
        children = tuple(build(c) for c in kids.get(row.id, []))
        return criterion_rule(row, json.loads(row.params or "{}"),
                              ind_code.get(row.indicator_id) if row.indicator_id else None,
                              offices.get(row.lead_office_id) if row.lead_office_id else None,
                              children)

    roots = tuple(build(r) for r in kids.get(None, []))

    tasks = list(session.execute(
        select(Task.id, Task.code, Task.title, Task.lead_office_id, Task.due_on,
               Task.continuous, Task.recurrence)
        .where(Task.plan_id == pid).order_by(Task.position, Task.id)
    ))
    task_ids = {t.id for t in tasks}
    support: dict[int, list[str]] = defaultdict(list)
    for tid, oid in session.execute(
        select(TaskSupport.task_id, TaskSupport.office_id)
        .join(Task, Task.id == TaskSupport.task_id).where(Task.plan_id == pid)
    ):
        support[tid].append(offices[oid])

    occ_by_task: dict[int, list[Any]] = defaultdict(list)
    for o in session.execute(
        select(Occurrence.id, Occurrence.task_id, Occurrence.due_on)
        .join(Task, Task.id == Occurrence.task_id).where(Task.plan_id == pid)
        .order_by(Occurrence.due_on)
    ):
        occ_by_task[o.task_id].append(o)

    events_task: dict[int, list[f.StatusEvent]] = defaultdict(list)
    events_occ: dict[int, list[f.StatusEvent]] = defaultdict(list)
    for e in session.execute(
        select(StatusEvent.task_id, StatusEvent.occurrence_id, StatusEvent.status, StatusEvent.on)
        .join(Task, Task.id == StatusEvent.task_id).where(Task.plan_id == pid)
        .order_by(StatusEvent.on, StatusEvent.id)
    ):
        event = f.StatusEvent(on=e.on, status=e.status)
        if e.occurrence_id is None:
            events_task[e.task_id].append(event)
        else:
            events_occ[e.occurrence_id].append(event)

    ev_task: dict[int, list[f.EvidenceFact]] = defaultdict(list)
    ev_occ: dict[int, list[f.EvidenceFact]] = defaultdict(list)
    for e in session.execute(
        select(Evidence.id, Evidence.task_id, Evidence.occurrence_id, Evidence.state,
               Evidence.submitted_on, Evidence.reviewed_on, Evidence.reason)
        .where(Evidence.plan_id == pid, Evidence.task_id.is_not(None))  # type: ignore[union-attr]
    ):
        fact = evidence_fact(e)
        if e.occurrence_id is not None:
            ev_occ[e.occurrence_id].append(fact)
        else:
            ev_task[e.task_id].append(fact)

    occurrences: list[f.OccurrenceFact] = []
    for t in tasks:
        lead = offices[t.lead_office_id]
        sup = tuple(support.get(t.id, ()))
        if t.recurrence:
            for o in occ_by_task.get(t.id, []):
                evs = events_occ.get(o.id, [])
                occurrences.append(f.OccurrenceFact(
                    key=occurrence_key(t.code, o.due_on), task_code=t.code, title=t.title,
                    lead_office=lead, due_on=o.due_on, status_events=tuple(evs),
                    evidence=tuple(ev_occ.get(o.id, ())), supporting_offices=sup))
        else:
            occurrences.append(f.OccurrenceFact(
                key=t.code, task_code=t.code, title=t.title, lead_office=lead,
                due_on=t.due_on or plan.ends_on, status_events=tuple(events_task.get(t.id, ())),
                evidence=tuple(ev_task.get(t.id, ())), continuous=bool(t.continuous),
                supporting_offices=sup))

    task_code = {t.id: t.code for t in tasks}
    links = tuple(
        f.TaskLink(task_code[r.task_id], crit_code[r.criterion_id], r.weight)
        for r in session.execute(
            select(TaskCriterion.task_id, TaskCriterion.criterion_id, TaskCriterion.weight)
            .join(Task, Task.id == TaskCriterion.task_id).where(Task.plan_id == pid)
        )
        if r.task_id in task_ids
    )
    readings = tuple(
        f.Reading(ind_code[r.indicator_id], r.on, r.value, r.numerator, r.denominator, r.source)
        for r in session.execute(
            select(Reading.indicator_id, Reading.on, Reading.value, Reading.numerator,
                   Reading.denominator, Reading.source)
            .join(Indicator, Indicator.id == Reading.indicator_id)
            .where(Indicator.plan_id == pid).order_by(Reading.on, Reading.id)
        )
    )
    confirmations = tuple(
        f.Confirmation(crit_code[r.criterion_id], r.on, r.outcome)
        for r in session.execute(
            select(Confirmation.criterion_id, Confirmation.on, Confirmation.outcome)
            .join(Criterion, Criterion.id == Confirmation.criterion_id)
            .where(Criterion.plan_id == pid).order_by(Confirmation.on, Confirmation.id)
        )
    )
    manual = tuple(
        f.ManualEntry(crit_code[r.criterion_id], r.on, r.points)
        for r in session.execute(
            select(ManualEntry.criterion_id, ManualEntry.on, ManualEntry.points)
            .join(Criterion, Criterion.id == ManualEntry.criterion_id)
            .where(Criterion.plan_id == pid).order_by(ManualEntry.on, ManualEntry.id)
        )
    )
    survey_codes = {c.strip() for c in (plan.survey_fields or "").split(",") if c.strip()}
    appraised = tuple(r.code for r in roots if r.code not in survey_codes)
    survey = tuple(r.code for r in roots if r.code in survey_codes)
    return f.PlanFacts(
        year=plan.year, starts_on=plan.starts_on, ends_on=plan.ends_on, criteria=roots,
        occurrences=tuple(occurrences), links=links,
        indicators=tuple(f.IndicatorDef(i.code, i.name, i.unit, i.direction,  # type: ignore[arg-type]
                                        i.target, i.computed) for i in indicators),  # type: ignore[arg-type]
        readings=readings, confirmations=confirmations, manual_entries=manual,
        appraised_fields=appraised, survey_fields=survey,
    )


def evidence_fact(e: Any) -> f.EvidenceFact:
    reviewed: date | None = e.reviewed_on
    return f.EvidenceFact(
        id=e.id, submitted_on=e.submitted_on,
        accepted_on=reviewed if e.state == "accepted" else None,
        rejected_on=reviewed if e.state == "rejected" else None,
        withdrawn_on=reviewed if e.state == "withdrawn" else None,
        reason=e.reason or "",
    )
