"""Remove a mistaken import, or a whole plan: say exactly what would go, back up, then remove.

`plan_removal` and `import_removal` read what a removal would take (tasks, occurrences,
evidence, readings… with counts) and which of it has been worked on since (a status change,
evidence, an edit): that work is kept unless the coordinator forces it. `remove` writes a
backup first (SQLite: the online backup API beside the database; PostgreSQL: a copy of the
whole database into a SQLite file, which `planner --db FILE db copy URL` puts back), then
removes everything in one transaction and records it in the change log.

An import is known by its change-log entry (`planner import list`); entries written before
planner listed the tasks an import added cannot be undone this way (`planner plan delete`
still removes their whole plan).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import delete, func, select, update
from sqlmodel import Session, col

from planner.i18n import _, ngettext
from planner.services import audit, permissions
from planner.services.context import Context
from planner.services.errors import InputError, NotFound
from planner.store.models import (
    Blob,
    ChangeLog,
    Confirmation,
    Criterion,
    Evidence,
    EvidenceReview,
    Indicator,
    ManualEntry,
    Occurrence,
    Office,
    Plan,
    RankingEntry,
    Reading,
    StatusEvent,
    Task,
    TaskCriterion,
    TaskSupport,
    User,
)

CHUNK = 5000  # ids per IN (...) list: SQLite allows 32,766 parameters

#: What a removal counts, in the order it is shown.
KINDS = ("tasks", "occurrences", "status_changes", "evidence", "reviews", "attachments",
         "supporting_links", "criteria_links", "criteria", "indicators", "readings",
         "confirmations", "manual_entries")


def kind_label(kind: str) -> str:
    return {
        "tasks": _("tasks"), "occurrences": _("occurrences"),
        "status_changes": _("status changes"), "evidence": _("evidence records"),
        "reviews": _("review decisions"), "attachments": _("attached files"),
        "supporting_links": _("supporting-office links"), "criteria_links": _("criteria links"),
        "criteria": _("criteria"), "indicators": _("indicators"), "readings": _("readings"),
        "confirmations": _("confirmations"), "manual_entries": _("points entered by hand"),
    }[kind]


@dataclass(frozen=True)
class TaskToRemove:
    id: int
    code: str
    title: str
    occurrences: int
    status_changes: int
    evidence: int
    changes: int  # change-log entries about the task since it was added

    @property
    def worked_on(self) -> bool:
        return bool(self.status_changes or self.evidence or self.changes)

    def work(self) -> str:
        """What was done on the task since it was added, in words ("" when nothing)."""
        parts = []
        if self.status_changes:
            parts.append(ngettext("{n} status change", "{n} status changes",
                                  self.status_changes).format(n=self.status_changes))
        if self.evidence:
            parts.append(ngettext("{n} evidence record", "{n} evidence records",
                                  self.evidence).format(n=self.evidence))
        if self.changes:
            parts.append(ngettext("{n} logged change", "{n} logged changes",
                                  self.changes).format(n=self.changes))
        return ", ".join(parts)


@dataclass(frozen=True)
class Removal:
    """What removing a plan, or undoing an import, would take."""

    kind: Literal["plan", "import"]
    year: int
    plan_id: int
    title: str
    tasks: tuple[TaskToRemove, ...]
    counts: dict[str, int]
    removes_plan: bool
    import_id: int | None = None  # the import's change-log entry
    import_file: str = ""
    import_at: datetime | None = None
    import_actor: str = ""
    offices: tuple[str, ...] = ()  # offices the import created that nothing else uses
    offices_kept: tuple[str, ...] = ()  # offices the import created, in use since
    gone: int = 0  # tasks the import added that were deleted since
    plan_work: dict[str, int] = field(default_factory=dict)  # readings… recorded on the plan

    @property
    def worked_on(self) -> list[TaskToRemove]:
        return [t for t in self.tasks if t.worked_on]

    @property
    def blocked(self) -> bool:
        """Work recorded since: removed only with `force`."""
        return bool(self.worked_on or any(self.plan_work.values()))

    def what(self) -> str:
        if self.kind == "plan":
            return _("the {year} plan").format(year=self.year)
        return _("import #{id} ({file}) into the {year} plan").format(
            id=self.import_id, file=self.import_file, year=self.year)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "year": self.year, "title": self.title,
            "import": self.import_id, "file": self.import_file or None,
            "imported_at": self.import_at.isoformat() if self.import_at else None,
            "imported_by": self.import_actor or None,
            "removes_plan": self.removes_plan, "counts": dict(self.counts),
            "offices": list(self.offices), "offices_kept": list(self.offices_kept),
            "already_deleted": self.gone, "blocked": self.blocked,
            "plan_work": dict(self.plan_work),
            "tasks": [{"code": t.code, "title": t.title, "occurrences": t.occurrences,
                       "status_changes": t.status_changes, "evidence": t.evidence,
                       "changes": t.changes, "worked_on": t.worked_on} for t in self.tasks],
        }


@dataclass(frozen=True)
class Removed:
    removal: Removal
    backup: Path
    restore_hint: str


@dataclass(frozen=True)
class ImportRecord:
    """One import as `planner import list` shows it."""

    id: int
    at: datetime
    actor: str
    year: int
    file: str
    tasks: int
    created_plan: bool
    undone_by: int | None  # the change-log entry that undid it
    can_undo: bool  # it lists the tasks it added

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "actor": self.actor, "year": self.year,
                "file": self.file, "tasks": self.tasks, "created_plan": self.created_plan,
                "undone_by": self.undone_by, "can_undo": self.can_undo}


# ----------------------------------------------------------------------------- reading


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start:start + CHUNK])


def _per_task(session: Session, column: Any, ids: Sequence[int], *where: Any) -> dict[int, int]:
    found: dict[int, int] = defaultdict(int)
    for chunk in _chunks(ids):
        for tid, n in session.execute(
            select(column, func.count()).where(col(column).in_(chunk), *where).group_by(column)
        ):
            found[tid] += n
    return found


def _count(session: Session, query: Any) -> int:
    return int(session.execute(select(func.count()).select_from(query.subquery())).scalar() or 0)


def _evidence_ids(session: Session, task_ids: Sequence[int], plan_id: int | None) -> list[int]:
    """The evidence going: of the tasks, or (a whole plan) every piece of the plan."""
    if plan_id is not None:
        return list(session.execute(select(Evidence.id).where(Evidence.plan_id == plan_id)).scalars())
    found: list[int] = []
    for chunk in _chunks(task_ids):
        found.extend(session.execute(
            select(Evidence.id).where(col(Evidence.task_id).in_(chunk))).scalars())
    return found


def _attachments(session: Session, evidence_ids: Sequence[int]) -> set[str]:
    """Attached files only the evidence going uses."""
    shas: set[str] = set()
    for chunk in _chunks(evidence_ids):
        shas.update(s for s in session.execute(
            select(Evidence.blob_sha256).where(col(Evidence.id).in_(chunk),
                                               col(Evidence.blob_sha256).is_not(None))).scalars()
                    if s)
    going = set(evidence_ids)
    for sha in list(shas):
        users = session.execute(select(Evidence.id).where(Evidence.blob_sha256 == sha)).scalars()
        if any(u not in going for u in users):
            shas.discard(sha)
    return shas


def _tasks(session: Session, task_ids: Sequence[int], since: int) -> tuple[TaskToRemove, ...]:
    rows: list[Any] = []
    for chunk in _chunks(task_ids):
        rows.extend(session.execute(
            select(Task.id, Task.code, Task.title, Task.position).where(col(Task.id).in_(chunk))))
    rows.sort(key=lambda r: (r.position, r.id))
    ids = [r.id for r in rows]
    occurrences = _per_task(session, Occurrence.task_id, ids)
    events = _per_task(session, StatusEvent.task_id, ids)
    evidence = _per_task(session, Evidence.task_id, ids)
    changes = _per_task(session, ChangeLog.task_id, ids, col(ChangeLog.id) > since,
                        col(ChangeLog.action) != "task.add")
    return tuple(
        TaskToRemove(r.id, r.code, r.title, occurrences.get(r.id, 0), events.get(r.id, 0),
                     evidence.get(r.id, 0), changes.get(r.id, 0))
        for r in rows)


def _counts(session: Session, tasks: tuple[TaskToRemove, ...], plan_id: int | None
            ) -> dict[str, int]:
    ids = [t.id for t in tasks]
    evidence = _evidence_ids(session, ids, plan_id)
    counts = dict.fromkeys(KINDS, 0)
    counts["tasks"] = len(tasks)
    counts["occurrences"] = sum(t.occurrences for t in tasks)
    counts["status_changes"] = sum(t.status_changes for t in tasks)
    counts["evidence"] = len(evidence)
    counts["reviews"] = sum(_per_task(session, EvidenceReview.evidence_id, evidence).values())
    counts["attachments"] = len(_attachments(session, evidence))
    counts["supporting_links"] = sum(_per_task(session, TaskSupport.task_id, ids).values())
    counts["criteria_links"] = sum(_per_task(session, TaskCriterion.task_id, ids).values())
    if plan_id is not None:
        counts.update(_plan_counts(session, plan_id))
    return counts


def _plan_counts(session: Session, plan_id: int) -> dict[str, int]:
    criteria = select(Criterion.id).where(Criterion.plan_id == plan_id)
    indicators = select(Indicator.id).where(Indicator.plan_id == plan_id)
    return {
        "criteria": _count(session, criteria),
        "indicators": _count(session, indicators),
        "readings": _count(session, select(Reading.id).where(col(Reading.indicator_id).in_(indicators))),
        "confirmations": _count(session, select(Confirmation.id).where(
            col(Confirmation.criterion_id).in_(criteria))),
        "manual_entries": _count(session, select(ManualEntry.id).where(
            col(ManualEntry.criterion_id).in_(criteria))),
    }


def _plan(session: Session, year: int) -> Plan:
    plan: Plan | None = session.execute(
        select(Plan).where(col(Plan.year) == year)).scalar_one_or_none()
    if plan is None:
        years = ", ".join(str(y) for y in session.execute(
            select(Plan.year).order_by(Plan.year)).scalars()) or "-"
        raise NotFound(_("There is no {year} plan (plans: {years}).").format(year=year, years=years))
    return plan


def _plan_removal(session: Session, year: int) -> Removal:
    plan = _plan(session, year)
    assert plan.id is not None
    task_ids = list(session.execute(select(Task.id).where(Task.plan_id == plan.id)).scalars())
    tasks = _tasks(session, task_ids, 0)
    counts = _counts(session, tasks, plan.id)
    criterion_evidence = _count(session, select(Evidence.id).where(
        Evidence.plan_id == plan.id, col(Evidence.task_id).is_(None)))
    work = {"readings": counts["readings"], "confirmations": counts["confirmations"],
            "manual_entries": counts["manual_entries"], "evidence": criterion_evidence}
    return Removal("plan", plan.year, plan.id, plan.title, tasks, counts, True,
                   plan_work={k: v for k, v in work.items() if v})


def plan_removal(ctx: Context, year: int) -> Removal:
    """What deleting the year's plan would remove (nothing is written)."""
    with ctx.db.read() as session:
        permissions.require_coordinator(session, ctx, _("deleting a plan"))
        return _plan_removal(session, year)


def _imports(session: Session) -> list[tuple[ChangeLog, dict[str, Any]]]:
    entries = []
    for entry in session.execute(
        select(ChangeLog).where(col(ChangeLog.action) == "plan.import").order_by(col(ChangeLog.id))
    ).scalars():
        try:
            after = json.loads(entry.after or "{}")
        except ValueError:
            after = {}
        entries.append((entry, after if isinstance(after, dict) else {}))
    return entries


def _undone(session: Session) -> dict[int, int]:
    """Import entry id -> the entry that undid it."""
    found: dict[int, int] = {}
    for entry_id, before in session.execute(
        select(ChangeLog.id, ChangeLog.before).where(ChangeLog.action == "plan.import.undo")
    ):
        try:
            image = json.loads(before or "{}")
        except ValueError:
            continue
        if isinstance(image, dict) and isinstance(image.get("import"), int):
            found[image["import"]] = entry_id
    return found


def list_imports(ctx: Context) -> list[ImportRecord]:
    with ctx.db.read() as session:
        undone = _undone(session)
        return [
            ImportRecord(entry.id or 0, entry.at, entry.actor, int(after.get("year") or 0),
                         str(after.get("file") or ""), int(after.get("tasks") or 0),
                         bool(after.get("created_plan")), undone.get(entry.id or 0),
                         isinstance(after.get("task_ids"), list))
            for entry, after in _imports(session)
        ]


def _import_removal(session: Session, import_id: int | None, plan_year: int | None) -> Removal:
    imports = _imports(session)
    undone = _undone(session)
    if import_id is None:
        candidates = [(e, a) for e, a in imports if (e.id or 0) not in undone
                      and (plan_year is None or a.get("year") == plan_year)]
        if not candidates:
            raise NotFound(_("There is no import left to undo (`planner import list` shows "
                             "them)."))
        entry, after = candidates[-1]
    else:
        found = next(((e, a) for e, a in imports if e.id == import_id), None)
        if found is None:
            raise NotFound(_("No import #{id} in the change log (`planner import list` shows "
                             "the imports).").format(id=import_id))
        entry, after = found
    entry_id = entry.id or 0
    if entry_id in undone:
        raise InputError(_("Import #{id} was undone already (change-log entry {undo}).").format(
            id=entry_id, undo=undone[entry_id]))
    task_ids = after.get("task_ids")
    year = int(after.get("year") or 0)
    if not isinstance(task_ids, list):
        raise InputError(_("Import #{id} was recorded before planner listed the tasks an import "
                           "adds; remove the whole plan with `planner plan delete {year}`, or "
                           "its tasks with `planner task delete`.").format(id=entry_id, year=year))
    plan = session.execute(select(Plan).where(col(Plan.id) == entry.plan_id)).scalar_one_or_none()
    if plan is None or plan.year != year:
        raise InputError(_("The {year} plan of import #{id} no longer exists.").format(
            year=year, id=entry_id))
    assert plan.id is not None
    present = [int(i) for i in task_ids]
    tasks = _tasks(session, present, entry_id)
    counts = _counts(session, tasks, None)
    going = {t.id for t in tasks}
    # The plan goes too when the import created it and nothing else is in it.
    others = _count(session, select(Task.id).where(Task.plan_id == plan.id,
                                                   col(Task.id).not_in(going)))
    removes_plan = bool(after.get("created_plan")) and not others and not any(
        _plan_counts(session, plan.id).values())
    offices, kept = _offices_going(session, [str(c) for c in after.get("offices_created", [])],
                                   going)
    return Removal("import", plan.year, plan.id, plan.title, tasks, counts, removes_plan,
                   import_id=entry_id, import_file=str(after.get("file") or ""),
                   import_at=entry.at, import_actor=entry.actor, offices=tuple(offices),
                   offices_kept=tuple(kept), gone=len(present) - len(tasks))


def _offices_going(session: Session, codes: list[str], going: set[int]
                   ) -> tuple[list[str], list[str]]:
    """Of the offices an import created, those nothing else uses once its tasks are gone."""
    remove: list[str] = []
    keep: list[str] = []
    for code in codes:
        office = session.execute(select(Office).where(col(Office.code) == code)).scalar_one_or_none()
        if office is None:
            continue
        oid = office.id
        led = set(session.execute(select(Task.id).where(Task.lead_office_id == oid)).scalars())
        supported = set(session.execute(
            select(TaskSupport.task_id).where(TaskSupport.office_id == oid)).scalars())
        used = (led | supported) - going or session.execute(
            select(Criterion.id).where(Criterion.lead_office_id == oid).limit(1)).first() \
            or session.execute(select(User.id).where(User.office_id == oid).limit(1)).first() \
            or session.execute(select(Office.id).where(Office.parent_id == oid).limit(1)).first()
        (keep if used else remove).append(code)
    return remove, keep


def import_removal(ctx: Context, import_id: int | None = None) -> Removal:
    """What undoing an import (default: the latest not yet undone) would remove."""
    with ctx.db.read() as session:
        permissions.require_coordinator(session, ctx, _("undoing an import"))
        return _import_removal(session, import_id, ctx.plan_year)


# ----------------------------------------------------------------------------- removing


def _refuse_work(removal: Removal) -> None:
    if not removal.blocked:
        return
    worked = removal.worked_on
    shown = "; ".join(f"{t.code} ({t.work()})" for t in worked[:10])
    if len(worked) > 10:
        shown += _("; and {n} more").format(n=len(worked) - 10)
    plan_work = ", ".join(f"{n} {kind_label(k) if k in KINDS else k}"
                          for k, n in removal.plan_work.items())
    detail = "; ".join(p for p in (shown, plan_work) if p)
    raise InputError(_("Nothing was removed: work was recorded on {what} since ({detail}). "
                       "Check with --dry-run; --force removes it too (after the backup).").format(
        what=removal.what(), detail=detail))


def _backup(ctx: Context, label: str, target: Path | None) -> tuple[Path, str]:
    """A copy of the whole database before anything is removed, and how to put it back."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = ctx.db.path
    if ctx.db.is_sqlite and path is not None:
        from planner.io.backup import backup_database

        file = (target or path.with_name(f"{path.name}.before-{label}-{stamp}.bak")).resolve()
        backup_database(ctx.db.url, file)
        return file, _("`planner restore {file}` puts it back").format(file=file)
    from planner.config import data_dir
    from planner.io.transfer import copy_database

    file = (target or data_dir() / "backups" / f"planner-before-{label}-{stamp}.db").resolve()
    if file.exists():
        raise InputError(_("{path} exists: choose another backup file.").format(path=file))
    file.parent.mkdir(parents=True, exist_ok=True)
    copy_database(ctx, str(file))
    return file, _("`planner --db {file} db copy URL` copies it into an empty database").format(
        file=file)


def remove(ctx: Context, removal: Removal, *, force: bool = False,
           backup_to: Path | None = None) -> Removed:
    """Back up, then remove what `removal` describes (read again in the write transaction,
    so work recorded meanwhile is seen), and log it."""
    if not force:
        _refuse_work(removal)  # before writing a backup nobody needs
    label = (f"plan-delete-{removal.year}" if removal.kind == "plan"
             else f"import-undo-{removal.import_id}")
    backup, hint = _backup(ctx, label, backup_to)
    with ctx.db.write() as session:
        permissions.require_coordinator(
            session, ctx, _("deleting a plan") if removal.kind == "plan" else _("undoing an import"))
        current = (_plan_removal(session, removal.year) if removal.kind == "plan"
                   else _import_removal(session, removal.import_id, None))
        if not force:
            _refuse_work(current)
        _delete(session, ctx, current)
        image = {"year": current.year, "title": current.title, **current.counts,
                 "task_ids": [t.id for t in current.tasks], "backup": str(backup)}
        if current.kind == "plan":
            audit.record(session, actor=ctx.actor, real_actor=ctx.real_actor, action="plan.delete", entity="plan",
                         entity_id=current.plan_id, label=str(current.year),
                         plan_id=current.plan_id, before=image)
        else:
            image.update({"import": current.import_id, "file": current.import_file,
                          "offices": list(current.offices), "plan_removed": current.removes_plan})
            audit.record(session, actor=ctx.actor, real_actor=ctx.real_actor, action="plan.import.undo", entity="plan",
                         entity_id=current.plan_id, label=str(current.year),
                         plan_id=current.plan_id, before=image)
        return Removed(current, backup, hint)


def _delete(session: Session, ctx: Context, removal: Removal) -> None:
    task_ids = [t.id for t in removal.tasks]
    whole = removal.kind == "plan"
    evidence = _evidence_ids(session, task_ids, removal.plan_id if whole else None)
    blobs = _attachments(session, evidence)
    for chunk in _chunks(evidence):
        session.execute(delete(EvidenceReview).where(col(EvidenceReview.evidence_id).in_(chunk)))
        session.execute(delete(Evidence).where(col(Evidence.id).in_(chunk)))
    for sha in blobs:
        session.execute(delete(Blob).where(col(Blob.sha256) == sha))
    for chunk in _chunks(task_ids):
        for model, column in ((StatusEvent, StatusEvent.task_id), (Occurrence, Occurrence.task_id),
                              (TaskSupport, TaskSupport.task_id),
                              (TaskCriterion, TaskCriterion.task_id), (Task, Task.id)):
            session.execute(delete(model).where(col(column).in_(chunk)))
    if whole or removal.removes_plan:
        pid = removal.plan_id
        criteria = select(Criterion.id).where(Criterion.plan_id == pid)
        indicators = select(Indicator.id).where(Indicator.plan_id == pid)
        session.execute(delete(Reading).where(col(Reading.indicator_id).in_(indicators)))
        session.execute(delete(Confirmation).where(col(Confirmation.criterion_id).in_(criteria)))
        session.execute(delete(ManualEntry).where(col(ManualEntry.criterion_id).in_(criteria)))
        # The tree refers to itself and to the indicators: cut the links, then delete.
        session.execute(update(Criterion).where(col(Criterion.plan_id) == pid)
                        .values(parent_id=None, indicator_id=None))
        session.execute(delete(Criterion).where(col(Criterion.plan_id) == pid))
        session.execute(delete(Indicator).where(col(Indicator.plan_id) == pid))
        session.execute(delete(RankingEntry).where(col(RankingEntry.plan_id) == pid))
        session.execute(delete(Plan).where(col(Plan.id) == pid))
    for code in removal.offices:
        office = session.execute(select(Office).where(col(Office.code) == code)).scalar_one()
        before = audit.snapshot(office)
        session.delete(office)
        session.flush()
        audit.record(session, actor=ctx.actor, real_actor=ctx.real_actor, action="office.delete", entity="office",
                     entity_id=office.id, label=code, before=before)
