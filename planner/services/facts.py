"""Load everything scoring needs about one plan with a fixed number of queries.

Reads go through the Core tables (`planner.store.tables`), so a command or the terminal UI can
score a plan before SQLModel and the ORM are imported; a session works as well as a connection.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.engine import Connection

from planner.domain import criterion_params
from planner.domain import facts as f
from planner.domain.applicability import without_not_applicable
from planner.store import tables as t
from planner.store.rows import fetch

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class PlanRecord(Protocol):
    """What loading needs of a plan: a `Plan` model or a row of `tables.plan`."""

    id: int | None
    year: int
    starts_on: date
    ends_on: date
    closes_on: date | None
    survey_fields: str


def as_connection(source: Session | Connection) -> Connection:
    """The Core connection of a session (its transaction), or the connection itself."""
    return source if isinstance(source, Connection) else source.connection()


def criterion_rule(row: Any, params: dict[str, Any], indicator: str | None,
                   lead: str | None, children: tuple[f.CriterionRule, ...]) -> f.CriterionRule:
    return criterion_params.rule(
        code=row.code, title=row.title, max_points=row.max_points, method=row.method,
        params=params, indicator=indicator, lead_office=lead, children=children)


def load_facts(source: Session | Connection, plan: PlanRecord) -> f.PlanFacts:
    conn = as_connection(source)
    pid = plan.id
    Criterion, Indicator = t.criterion.c, t.indicator.c
    offices = {r.id: r.code for r in conn.execute(select(t.office.c.id, t.office.c.code))}
    indicators = list(conn.execute(select(t.indicator).where(Indicator.plan_id == pid)
                                   .order_by(Indicator.id)))
    ind_code = {i.id: i.code for i in indicators}

    crit_rows = list(conn.execute(
        select(Criterion.id, Criterion.parent_id, Criterion.code, Criterion.title,
               Criterion.max_points, Criterion.method, Criterion.params,
               Criterion.indicator_id, Criterion.lead_office_id, Criterion.applicable)
        .where(Criterion.plan_id == pid).order_by(Criterion.position, Criterion.id)
    ))
    crit_code = {r.id: r.code for r in crit_rows}
    kids: dict[int | None, list[Any]] = defaultdict(list)
    for r in crit_rows:
        kids[r.parent_id].append(r)

    def build(row: Any) -> f.CriterionRule:
        children = tuple(build(c) for c in kids.get(row.id, []))
        return criterion_rule(row, criterion_params.decode(row.params),
                              ind_code.get(row.indicator_id) if row.indicator_id else None,
                              offices.get(row.lead_office_id) if row.lead_office_id else None,
                              children)

    roots = tuple(build(r) for r in kids.get(None, []))
    not_applicable: tuple[f.NotApplicable, ...] = ()
    excluded = {r.code for r in crit_rows if not r.applicable}
    if excluded:
        roots, not_applicable = without_not_applicable(roots, excluded)

    occurrences, task_code = load_occurrences(conn, plan, offices)
    task_ids = set(task_code)
    link = f.task_link
    Task, TaskCriterion = t.task.c, t.task_criterion.c
    Reading, Confirmation, ManualEntry = t.reading.c, t.confirmation.c, t.manual_entry.c
    links = tuple(
        link(task_code[task_id], crit_code[crit_id], weight)
        for task_id, crit_id, weight in fetch(conn,
            select(TaskCriterion.task_id, TaskCriterion.criterion_id, TaskCriterion.weight)
            .join(t.task, Task.id == TaskCriterion.task_id).where(Task.plan_id == pid)
        )
        if task_id in task_ids
    )
    readings = tuple(
        f.Reading(ind_code[r.indicator_id], r.on, r.value, r.numerator, r.denominator, r.source)
        for r in conn.execute(
            select(Reading.indicator_id, Reading.on, Reading.value, Reading.numerator,
                   Reading.denominator, Reading.source)
            .join(t.indicator, Indicator.id == Reading.indicator_id)
            .where(Indicator.plan_id == pid).order_by(Reading.on, Reading.id)
        )
    )
    confirmations = tuple(
        f.Confirmation(crit_code[r.criterion_id], r.on, r.outcome)
        for r in conn.execute(
            select(Confirmation.criterion_id, Confirmation.on, Confirmation.outcome)
            .join(t.criterion, Criterion.id == Confirmation.criterion_id)
            .where(Criterion.plan_id == pid).order_by(Confirmation.on, Confirmation.id)
        )
    )
    manual = tuple(
        f.ManualEntry(crit_code[r.criterion_id], r.on, r.points)
        for r in conn.execute(
            select(ManualEntry.criterion_id, ManualEntry.on, ManualEntry.points)
            .join(t.criterion, Criterion.id == ManualEntry.criterion_id)
            .where(Criterion.plan_id == pid).order_by(ManualEntry.on, ManualEntry.id)
        )
    )
    Evidence = t.evidence.c
    on_criteria = [(eid, cid) for eid, cid in fetch(conn, (
        select(Evidence.id, Evidence.criterion_id)
        .where(Evidence.plan_id == pid, Evidence.criterion_id.is_not(None),
               Evidence.occurrence_id.is_(None), Evidence.task_id.is_(None))
        .order_by(Evidence.id))) if cid in crit_code]
    criterion_facts = evidence_facts(conn, [eid for eid, _cid in on_criteria])
    criterion_evidence = tuple(f.CriterionEvidence(crit_code[cid], criterion_facts[eid])
                               for eid, cid in on_criteria)
    survey_codes = {c.strip() for c in (plan.survey_fields or "").split(",") if c.strip()}
    appraised = tuple(r.code for r in roots if r.code not in survey_codes)
    survey = tuple(r.code for r in roots if r.code in survey_codes)
    return f.PlanFacts(
        year=plan.year, starts_on=plan.starts_on, ends_on=plan.ends_on, criteria=roots,
        occurrences=occurrences, links=links,
        indicators=tuple(f.IndicatorDef(i.code, i.name, i.unit, i.direction,
                                        i.target, i.computed) for i in indicators),
        readings=readings, confirmations=confirmations, manual_entries=manual,
        appraised_fields=appraised, survey_fields=survey, not_applicable=not_applicable,
        closes_on=plan.closes_on, criterion_evidence=criterion_evidence,
    )


def task_links(
    source: Session | Connection, plan: PlanRecord, task_code: dict[int, str]
) -> tuple[f.TaskLink, ...]:
    """The criteria links of these tasks (id -> code), as `load_facts` reads them."""
    conn = as_connection(source)
    Task, TaskCriterion, Criterion = t.task.c, t.task_criterion.c, t.criterion.c
    if not task_code:
        return ()
    return tuple(
        f.task_link(task_code[task_id], crit, weight)
        for task_id, crit, weight in fetch(conn,
            select(TaskCriterion.task_id, Criterion.code, TaskCriterion.weight)
            .join(t.criterion, Criterion.id == TaskCriterion.criterion_id)
            .join(t.task, Task.id == TaskCriterion.task_id)
            .where(TaskCriterion.task_id.in_(list(task_code)), Task.plan_id == plan.id)
        )
    )


def load_occurrences(
    source: Session | Connection, plan: PlanRecord, offices: dict[int, str] | None = None,
    where: Sequence[ColumnElement[bool]] = (),
    occurrence_where: Sequence[ColumnElement[bool]] = (),
) -> tuple[tuple[f.OccurrenceFact, ...], dict[int, str]]:
    """Every occurrence of the plan's tasks (those matching `where`, conditions on Task).

    `occurrence_where` (conditions on Occurrence) narrows the dated occurrences of recurring
    tasks; a task with no dated occurrence left then has none in the result. Conditions are
    on the Core tables (`planner.store.tables`).
    """
    conn = as_connection(source)
    Task, TaskSupport, Occurrence = t.task.c, t.task_support.c, t.occurrence.c
    StatusEvent, Evidence = t.status_event.c, t.evidence.c
    if offices is None:
        offices = {oid: code for oid, code in fetch(conn, select(t.office.c.id, t.office.c.code))}
    conditions = [Task.plan_id == plan.id, *where]
    tasks = fetch(conn,
        select(Task.id, Task.code, Task.title, Task.lead_office_id, Task.due_on,
               Task.continuous, Task.recurrence)
        .where(*conditions).order_by(Task.position, Task.id)
    )
    support: dict[int, list[str]] = defaultdict(list)
    for tid, oid in fetch(conn,
        select(TaskSupport.task_id, TaskSupport.office_id)
        .join(t.task, Task.id == TaskSupport.task_id).where(*conditions)
    ):
        support[tid].append(offices[oid])
    occ_by_task: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for oid, tid, due in fetch(conn,
        select(Occurrence.id, Occurrence.task_id, Occurrence.due_on)
        .join(t.task, Task.id == Occurrence.task_id).where(*conditions, *occurrence_where)
        .order_by(Occurrence.due_on)
    ):
        occ_by_task[tid].append((oid, due))
    events_task: dict[int, list[f.StatusEvent]] = defaultdict(list)
    events_occ: dict[int, list[f.StatusEvent]] = defaultdict(list)
    for tid, oid, status, on, progress in fetch(conn,
        select(StatusEvent.task_id, StatusEvent.occurrence_id, StatusEvent.status, StatusEvent.on,
               StatusEvent.progress)
        .join(t.task, Task.id == StatusEvent.task_id).where(*conditions)
        .order_by(StatusEvent.on, StatusEvent.id)
    ):
        event = f.StatusEvent(on=on, status=status, progress=progress)
        if oid is None:
            events_task[tid].append(event)
        else:
            events_occ[oid].append(event)
    reviews = (load_reviews(conn, plan_id=plan.id) if not where else
               load_reviews(conn, select(Evidence.id).join(t.task, Task.id == Evidence.task_id)
                            .where(*conditions)))
    no_reviews: tuple[f.Review, ...] = ()
    make_evidence = f.evidence_fact
    ev_task: dict[int, list[f.EvidenceFact]] = defaultdict(list)
    ev_occ: dict[int, list[f.EvidenceFact]] = defaultdict(list)
    for eid, tid, oid, state, submitted_on, reviewed_on, valid_until in fetch(conn,
        select(Evidence.id, Evidence.task_id, Evidence.occurrence_id, Evidence.state,
               Evidence.submitted_on, Evidence.reviewed_on, Evidence.valid_until)
        .join(t.task, Task.id == Evidence.task_id).where(*conditions)
    ):
        fact = make_evidence(eid, submitted_on, reviewed_on if state == "withdrawn" else None,
                             reviews.get(eid, no_reviews), valid_until)
        (ev_occ[oid] if oid is not None else ev_task[tid]).append(fact)
    occurrences: list[f.OccurrenceFact] = []
    append = occurrences.append
    make = f.occurrence_fact
    no_events: tuple[f.StatusEvent, ...] = ()
    no_evidence: tuple[f.EvidenceFact, ...] = ()
    ends_on = plan.ends_on
    for tid, code, title, lead_id, due_on, continuous, recurrence in tasks:
        lead = offices[lead_id]
        sup = tuple(support[tid]) if tid in support else ()
        if recurrence:
            for oid, due in occ_by_task.get(tid, ()):
                append(make(f"{code}@{due.isoformat()}", code, title, lead, due,
                            tuple(events_occ[oid]) if oid in events_occ else no_events,
                            tuple(ev_occ[oid]) if oid in ev_occ else no_evidence, False, sup))
        else:
            append(make(code, code, title, lead, due_on or ends_on,
                        tuple(events_task[tid]) if tid in events_task else no_events,
                        tuple(ev_task[tid]) if tid in ev_task else no_evidence,
                        bool(continuous), sup))
    return tuple(occurrences), {t[0]: t[1] for t in tasks}


def load_reviews(conn: Connection, evidence: Select[Any] | Sequence[int] | None = None, *,
                 plan_id: int | None = None) -> dict[int, tuple[f.Review, ...]]:
    """The review history of some evidence (ids, a select of ids, or all of a plan's), per
    evidence id, in the order recorded."""
    Review, Evidence = t.evidence_review.c, t.evidence.c
    query = select(Review.evidence_id, Review.state, Review.on, Review.reason)
    if plan_id is not None:  # a join: 35% faster than an IN (subquery) on a whole plan
        query = query.join(t.evidence, Evidence.id == Review.evidence_id).where(
            Evidence.plan_id == plan_id)
    else:
        assert evidence is not None
        query = query.where(Review.evidence_id.in_(
            evidence if isinstance(evidence, Select) else list(evidence)))
    found: dict[int, list[f.Review]] = defaultdict(list)
    new_review = tuple.__new__  # skips the NamedTuple's Python-level __new__
    review = f.Review
    for eid, state, on, reason in fetch(conn, query.order_by(Review.on, Review.id)):
        found[eid].append(new_review(review, (on, state, reason or "")))
    return {eid: tuple(events) for eid, events in found.items()}


def evidence_facts(conn: Connection, ids: Sequence[int]) -> dict[int, f.EvidenceFact]:
    """The facts of some pieces of evidence, with their review history, by id."""
    if not ids:
        return {}
    Evidence = t.evidence.c
    reviews = load_reviews(conn, ids)
    return {
        eid: f.evidence_fact(eid, submitted_on, reviewed_on if state == "withdrawn" else None,
                             reviews.get(eid, ()), valid_until)
        for eid, state, submitted_on, reviewed_on, valid_until in fetch(conn,
            select(Evidence.id, Evidence.state, Evidence.submitted_on, Evidence.reviewed_on,
                   Evidence.valid_until)
            .where(Evidence.id.in_(list(ids))))
    }
