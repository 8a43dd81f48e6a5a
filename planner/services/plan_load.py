"""Write a whole plan into the database from what a file gave: a checked seed file
(`planner seed load`, the welcome screen) or an appendix table read by
`planner.io.plan_import` (`planner import plan`, `--into-existing`), each in one transaction.

`planner.io` reads and checks the files; writing them is this module's. A recurring task's
occurrences are the domain's `task_occurrence_dates` here as everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from planner.domain import criterion_params
from planner.domain.schedule import task_occurrence_dates
from planner.domain.text import fold
from planner.i18n import _
from planner.io.seedfile import SeedFile, SeedTask, seed_params
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

if TYPE_CHECKING:
    # The appendix reader is imported when an import runs: `seed load` does without it.
    from planner.io.office_cells import OfficeInfo
    from planner.io.plan_import import ImportOptions, PlanImport, PlanInfo, Progress


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
        written = write_tasks(
            session, plan_id=plan.id or 0, plan_starts_on=plan.starts_on,
            plan_ends_on=plan.ends_on, tasks=[(t, "") for t in seed.tasks],
            office_ids={code: o.id or 0 for code, o in offices.items()},
            criterion_ids={code: c.id or 0 for code, c in criteria.items()}, first_position=1)
        task_ids = written.ids
        occurrence_ids: dict[tuple[str, date], int] = {}
        if written.occurrences:
            code_of = {tid: code for code, tid in task_ids.items()}
            for oid, tid, due in session.execute(
                    select(Occurrence.id, Occurrence.task_id, Occurrence.due_on)
                    .where(col(Occurrence.task_id).in_(task_ids.values()))):
                occurrence_ids[(code_of[tid], due)] = oid
        # Without flushing between events: each task or occurrence changed is written once
        # (its version 1 -> 2), its events in order.
        with session.no_autoflush:
            for e in sorted(seed.events, key=lambda e: e.on):
                task = session.get(Task, task_ids[e.task])
                assert task is not None
                oid = occurrence_ids.get((e.task, e.occurrence_due)) if e.occurrence_due else None
                found = session.get(Occurrence, oid) if oid is not None else None
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
                ev_row.task_id = task_ids[ev.task]
                if ev.occurrence_due:
                    ev_row.occurrence_id = occurrence_ids[(ev.task, ev.occurrence_due)]
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
                "tasks": len(task_ids),
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


# ------------------------------------------------------------------------- the tasks


@dataclass(frozen=True)
class TasksWritten:
    ids: dict[str, int]  # task code -> id
    occurrences: int
    supports: int
    links: int


def write_tasks(session: Any, *, plan_id: int, plan_starts_on: date, plan_ends_on: date,
                tasks: Sequence[tuple[SeedTask, str]], office_ids: Mapping[str, int],
                criterion_ids: Mapping[str, int], first_position: int,
                progress: Progress | None = None) -> TasksWritten:
    """Write a plan's tasks (each with the section it sits under), their supporting offices,
    criterion links and, for a recurring task, its occurrences: the rule's dates within the
    plan's own period (`task_occurrence_dates`). SQLAlchemy Core bulk inserts, in chunks; the
    seed loader and the appendix import both write tasks this way."""
    from sqlalchemy import insert

    task_table: Any = Task.__table__  # type: ignore[attr-defined]
    ids: dict[str, int] = {}
    total = len(tasks)
    chunk = 2000
    for start in range(0, total, chunk):
        rows = []
        for i, (t, section) in enumerate(tasks[start:start + chunk], start=start):
            rows.append({
                "plan_id": plan_id, "code": t.code, "title": t.title,
                "title_folded": fold(t.title), "description": t.description,
                "product": t.product, "lead_office_id": office_ids[t.lead],
                "start_on": t.start_on, "due_on": t.due_on, "deadline_text": t.deadline_text,
                "continuous": t.continuous, "recurrence": t.recurrence,
                "status": "not_started", "progress": 0, "done_on": None,
                "position": first_position + i, "version": 1, "section": section,
            })
        result = session.execute(
            insert(task_table).returning(task_table.c.id, task_table.c.code), rows)
        ids.update({code: tid for tid, code in result})
        if progress is not None:
            progress("write", min(start + chunk, total), total)

    supports: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    occurrences: list[dict[str, Any]] = []
    for t, _section in tasks:
        tid = ids[t.code]
        supports.extend({"task_id": tid, "office_id": office_ids[c]}
                        for c in t.support if c != t.lead)
        links.extend({"task_id": tid, "criterion_id": criterion_ids[c], "weight": w}
                     for c, w in t.criteria)
        if t.recurrence:
            occurrences.extend(
                {"task_id": tid, "due_on": d, "status": "not_started", "progress": 0,
                 "done_on": None, "version": 1}
                for d in task_occurrence_dates(
                    t.recurrence, plan_starts_on=plan_starts_on, plan_ends_on=plan_ends_on,
                    task_starts_on=t.start_on))
    bulk: list[tuple[Any, list[dict[str, Any]]]] = [
        (TaskSupport, supports), (TaskCriterion, links), (Occurrence, occurrences)]
    for model, rows_ in bulk:
        for start in range(0, len(rows_), 5000):
            session.execute(insert(model.__table__), rows_[start:start + 5000])
    return TasksWritten(ids, len(occurrences), len(supports), len(links))


# ----------------------------------------------------------------- reading the database


def load_context(session: Any, year: int | None, plan_year: int | None = None,
                 into_existing: bool = False) -> tuple[list[OfficeInfo], PlanInfo | None]:
    """The offices, and what the database holds for the plan year (None: no such plan)."""
    from sqlalchemy import select
    from sqlmodel import col

    from planner.io.office_cells import OfficeInfo
    from planner.io.plan_import import PlanInfo
    from planner.store.models import Criterion, Office, Plan, Task

    offices = [
        OfficeInfo(code, name, tuple(a for a in (aliases or "").splitlines() if a.strip()))
        for code, name, aliases in session.execute(
            select(Office.code, Office.name, Office.aliases).order_by(Office.position, Office.id))
    ]
    wanted = year
    if wanted is None and into_existing:
        query = select(Plan.year).order_by(col(Plan.year).desc()).limit(1)
        if plan_year is not None:
            query = select(Plan.year).where(Plan.year == plan_year)
        wanted = session.execute(query).scalar()
    if wanted is None:
        return offices, None
    plan = session.execute(select(Plan.id, Plan.year, Plan.title, Plan.starts_on, Plan.ends_on)
                           .where(Plan.year == wanted)).first()
    if plan is None:
        return offices, None
    codes = frozenset(session.execute(select(Task.code).where(Task.plan_id == plan.id)).scalars())
    crit_rows = list(session.execute(
        select(Criterion.code, Criterion.title, Criterion.parent_id)
        .where(Criterion.plan_id == plan.id).order_by(Criterion.position, Criterion.id)))
    return offices, PlanInfo(
        id=plan.id, year=plan.year, title=plan.title, task_codes=codes,
        criteria={c.code: c.title for c in crit_rows},
        roots=tuple((c.code, c.title) for c in crit_rows if c.parent_id is None),
        starts_on=plan.starts_on, ends_on=plan.ends_on)


def prepare_import(db: Any, path: Path, options: ImportOptions, *, plan_year: int | None = None,
                   progress: Progress | None = None) -> PlanImport:
    """Read and check a file against the database; nothing is written."""
    from planner.io.plan_import import ImportProblem, Located, PlanImport, analyse, locate
    from planner.io.sheet_reader import SheetError, read_sheets

    source = str(path)
    try:
        grids = read_sheets(path, (lambda n, t: progress("read", n, t)) if progress else None,
                            limits=options.limits)
    except SheetError as exc:
        imp = PlanImport(source=source)
        imp.problems.append(ImportProblem(path.name, 0, 0, "", exc.message, file=True))
        return imp
    located = locate(grids, options.sheet)
    if not isinstance(located, Located):
        imp = PlanImport(source=source)
        imp.problems.extend(located)
        return imp
    year = options.year or located.year
    with db.read() as session:
        offices, existing = load_context(session, year, plan_year, options.into_existing)
    return analyse(located, offices, existing, options, source, progress)


# --------------------------------------------------------------------------- step 3: write


@dataclass(frozen=True)
class ImportSummary:
    plan_id: int
    year: int
    title: str
    created_plan: bool
    tasks: int
    occurrences: int
    supports: int
    links: int
    offices_created: tuple[str, ...]


def write_import(target: Any, imp: PlanImport, *, actor: str | None = None,
                 progress: Progress | None = None) -> ImportSummary:
    """Write a checked import in one transaction (a coordinator's right); InputError, with
    nothing written, when the database changed meanwhile.

    `target` is the service Context, or a Database with the acting login in `actor`.
    """
    from sqlalchemy import func, select
    from sqlmodel import col

    from planner.services import audit
    from planner.services.errors import InputError
    from planner.services.permissions import require_coordinator
    from planner.store.models import Office, Plan, Task

    if not imp.ok or imp.year is None:
        raise InputError(_("The file has problems; nothing was imported."))
    year = imp.year
    if hasattr(target, "db"):
        ctx = target
    else:
        from planner.services.context import Context

        ctx = Context(db=target, actor=actor or "")
    actor = ctx.actor
    with ctx.db.write() as session:
        require_coordinator(session, ctx, _("import a plan"))
        plan = session.execute(select(Plan).where(col(Plan.year) == year)).scalar_one_or_none()
        created = plan is None
        if plan is None:
            if imp.existing is not None:
                raise InputError(_("The {year} plan was deleted meanwhile; nothing was imported.")
                                 .format(year=year))
            plan = Plan(year=year, title=imp.title, number=imp.number, issued_on=imp.issued_on,
                        agency=imp.agency, parent_agency=imp.parent_agency, place=imp.place,
                        starts_on=date(year, 1, 1), ends_on=date(year, 12, 31))
            session.add(plan)
            session.flush()
        elif imp.existing is None or imp.existing.id != plan.id:
            raise InputError(_("A {year} plan was created meanwhile; nothing was imported.")
                             .format(year=year))
        elif not imp.existing.task_codes and imp.title_given:
            # A plan made from the index alone (`import criteria`) takes the plan's own
            # title, number and date from its appendix.
            plan.title = imp.title
            for name in ("number", "issued_on", "agency", "parent_agency", "place"):
                value = getattr(imp, name)
                if value:
                    setattr(plan, name, value)
            session.add(plan)
        plan_id = plan.id
        assert plan_id is not None

        # Offices
        position = session.execute(select(func.max(Office.position))).scalar() or 0
        for o in imp.new_offices:
            position += 1
            office = Office(code=o.code, name=o.name, position=position)
            session.add(office)
            session.flush()
            audit.record(session, actor=actor, real_actor=ctx.real_actor, action="office.add", entity="office",
                         entity_id=office.id, label=office.code, after=audit.snapshot(office))
        office_ids = dict(session.execute(select(Office.code, Office.id)).all())
        from planner.store.models import Criterion

        criterion_ids = dict(session.execute(
            select(Criterion.code, Criterion.id).where(Criterion.plan_id == plan_id)).all())
        existing_codes = set(session.execute(
            select(Task.code).where(Task.plan_id == plan_id)).scalars())
        clash = [t.task.code for t in imp.tasks if t.task.code in existing_codes]
        if clash:
            raise InputError(_("Tasks {codes} were added to the {year} plan meanwhile; nothing "
                               "was imported.").format(codes=", ".join(clash[:10]), year=year))
        first_position = (session.execute(
            select(func.max(Task.position)).where(Task.plan_id == plan_id)).scalar() or 0) + 1

        written = write_tasks(
            session, plan_id=plan_id, plan_starts_on=plan.starts_on, plan_ends_on=plan.ends_on,
            tasks=[(item.task, item.section_title) for item in imp.tasks],
            office_ids=office_ids, criterion_ids=criterion_ids, first_position=first_position,
            progress=progress)
        ids = written.ids

        audit.record(
            session, actor=actor, real_actor=ctx.real_actor, action="plan.import", entity="plan", entity_id=plan_id,
            label=str(year), plan_id=plan_id,
            after={"year": year, "title": plan.title, "file": Path(imp.source).name,
                   "sheet": imp.sheet, "tasks": len(ids), "created_plan": created,
                   "offices_created": [o.code for o in imp.new_offices],
                   # what `planner import undo` removes
                   "task_ids": sorted(ids.values())},
        )
        return ImportSummary(plan_id, year, plan.title, created, len(ids), written.occurrences,
                             written.supports, written.links,
                             tuple(o.code for o in imp.new_offices))

