"""`planner check`: prove the database is whole and nothing was changed behind planner's back.

Checks, each reported with where the problem is:
- SQLite `PRAGMA integrity_check` and `foreign_key_check`; the schema revision;
- every attachment (Blob) against its SHA-256 and size;
- the plan's references: tasks' offices, supporting offices, criteria links (same plan),
  evidence targets (task, occurrence, criterion, file), the criteria tree (parents, cycles,
  indicators), and the occurrences of recurring tasks against their rule;
- the change log's hash chain (each entry's hash recomputed, each `prev_hash` link);
- every evidence row's review state against the latest event of its review history;
- every task, evidence and office row against its last logged after-image: a row whose
  columns differ was changed behind planner's back;
- every row of every covered table (`planner.store.rowlog`: users, plans, criteria, tasks,
  their links and occurrences, status events, evidence, readings, confirmations, manual
  entries, the pinned "today"…) against the image or digest the change log last recorded for
  it: a row inserted, deleted or altered outside planner is named;
- the chain against every anchor found (`planner.services.anchors`): a rewritten or
  shortened log;
- and, as information, the entries written by a coordinator acting as another user.

Every check reads with a fixed number of queries; a check that cannot run (a table missing
in a damaged file) is itself reported as a problem.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import LargeBinary, cast, func, select, text
from sqlalchemy.engine import Connection

from planner.domain.dates import listing
from planner.i18n import _
from planner.store.db import Database
from planner.store.engine import READ_OPTION
from planner.store.models import (
    Blob,
    ChangeLog,
    Criterion,
    Evidence,
    EvidenceReview,
    Indicator,
    Occurrence,
    Office,
    Plan,
    Reading,
    StatusEvent,
    Task,
    TaskCriterion,
    TaskSupport,
)

COMPARED: dict[str, Any] = {"task": Task, "evidence": Evidence, "office": Office,
                             "reading": Reading}


@dataclass(frozen=True)
class Problem:
    check: str  # sqlite | schema | blob | reference | log | row
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.where}: {self.message}"

    def to_json(self) -> dict[str, str]:
        return {"check": self.check, "where": self.where, "message": self.message}


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    acting_as: list[ActingAs] = field(default_factory=list)
    reported_rows: set[tuple[str, str]] = field(default_factory=set)  # (table, key)

    def add(self, check: str, where: str, message: str) -> None:
        self.problems.append(Problem(check, where, message))

    def describe(self) -> str:
        labels = {
            "tasks": _("{n} tasks"), "evidence": _("{n} evidence records"),
            "blobs": _("{n} attachments"), "log": _("{n} change-log entries"),
            "rows": _("{n} rows compared with their logged image"),
            "covered": _("{n} rows accounted for by the change log"),
            "anchors": _("{n} anchors"),
        }
        return ", ".join(labels[k].format(n=v) for k, v in self.checked.items() if k in labels)


@dataclass(frozen=True)
class ActingAs:
    entry_id: int
    at: datetime
    person: str
    user: str
    action: str
    label: str

    def __str__(self) -> str:
        return _("entry {id}, {at}: {person} acting as {user}: {action} {label}").format(
            id=self.entry_id, at=self.at.strftime("%d/%m/%Y %H:%M"), person=self.person,
            user=self.user, action=self.action, label=self.label)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.entry_id, "at": self.at.isoformat(), "person": self.person,
                "user": self.user, "action": self.action, "label": self.label}


def check_database(db: Database, anchors: list[Any] | None = None,
                   acting_since: date | None = None, acting_until: date | None = None) -> Report:
    """Check `db`; `anchors` are verified against the chain (see services.anchors); entries
    of a coordinator acting as someone else between the two dates are listed."""
    report = Report()
    engine = db.engine.execution_options(**{READ_OPTION: True})

    def chain_anchors(conn: Connection, rep: Report) -> None:
        _check_anchors(conn, rep, anchors or [])

    def acting(conn: Connection, rep: Report) -> None:
        rep.acting_as = acting_as_entries(conn, acting_since, acting_until)

    steps: list[tuple[str, Callable[[Connection, Report], None]]] = [
        ("schema", _check_schema),
        ("blob", _check_blobs),
        ("reference", _check_references),
        ("log", _check_chain),
        ("anchor", chain_anchors),
        ("row", _check_rows),
        ("row", _check_coverage),
        ("log", acting),
    ]
    with engine.connect() as conn:
        if db.is_sqlite:
            _guarded(report, "sqlite", conn, _check_sqlite)
        for name, step in steps:
            _guarded(report, name, conn, step)
    return report


def _guarded(report: Report, name: str, conn: Connection,
             step: Callable[[Connection, Report], None]) -> None:
    try:
        step(conn, report)
    except Exception as exc:  # a damaged file must still give a report
        detail = str(getattr(exc, "orig", exc)).splitlines()[0] if str(exc) else repr(exc)
        report.add(name, _("database"), _("this check could not run: {detail}").format(
            detail=detail))
        with contextlib.suppress(Exception):
            conn.rollback()


# ----------------------------------------------------------------------------- sqlite


def _check_sqlite(conn: Connection, report: Report) -> None:
    rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        for line in rows[:50]:
            report.add("sqlite", "integrity_check", str(line))
    for table, rowid, parent, _fkid in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
        report.add("sqlite", f"{table} rowid {rowid}",
                   _("refers to a row of {parent} that does not exist").format(parent=parent))


def _check_schema(conn: Connection, report: Report) -> None:
    from planner.store.migrate import HEAD_REVISION

    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    revision = row[0] if row else None
    if revision != HEAD_REVISION:
        report.add("schema", "alembic_version", _(
            "the schema is at revision {rev}, this planner expects {head} "
            "(run `planner db upgrade`)").format(rev=revision or "-", head=HEAD_REVISION))


# ------------------------------------------------------------------------------ blobs


def _check_blobs(conn: Connection, report: Report) -> None:
    n = 0
    # CAST: a damaged row whose content became text is still read as bytes.
    result = conn.execution_options(yield_per=20).execute(
        select(Blob.sha256, Blob.size, cast(Blob.content, LargeBinary)))
    for sha, size, content in result:
        n += 1
        data = bytes(content or b"")
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha:
            report.add("blob", f"blob {sha[:12]}…", _(
                "the content does not match its SHA-256 (it hashes to {actual}…): the file "
                "is damaged").format(actual=actual[:12]))
        elif size != len(data):
            report.add("blob", f"blob {sha[:12]}…", _(
                "recorded size {size} bytes, content {n} bytes").format(size=size, n=len(data)))
    report.checked["blobs"] = n


# ------------------------------------------------------------------------- references


def _check_references(conn: Connection, report: Report) -> None:
    from planner.domain.schedule import DateError, task_occurrence_dates

    offices = set(conn.execute(select(Office.id)).scalars())
    plans = {r.id: r for r in conn.execute(select(Plan.id, Plan.year, Plan.starts_on,
                                                  Plan.ends_on))}
    tasks = {r.id: r for r in conn.execute(
        select(Task.id, Task.plan_id, Task.code, Task.lead_office_id, Task.recurrence,
               Task.start_on))}
    crits = {r.id: r for r in conn.execute(
        select(Criterion.id, Criterion.plan_id, Criterion.parent_id, Criterion.code,
               Criterion.indicator_id, Criterion.lead_office_id))}
    indicators: dict[Any, Any] = dict(
        conn.execute(select(Indicator.id, Indicator.plan_id)).all())
    occurrences = {r.id: r for r in conn.execute(
        select(Occurrence.id, Occurrence.task_id, Occurrence.due_on))}
    blobs = set(conn.execute(select(Blob.sha256)).scalars())
    report.checked["tasks"] = len(tasks)

    def task_label(tid: int) -> str:
        t = tasks[tid]
        year = plans[t.plan_id].year if t.plan_id in plans else "?"
        return _("task {code} ({year})").format(code=t.code, year=year)

    for t in tasks.values():
        if t.plan_id not in plans:
            report.add("reference", task_label(t.id), _("belongs to no plan"))
        if t.lead_office_id not in offices:
            report.add("reference", task_label(t.id), _("its lead office (id {id}) does not exist")
                       .format(id=t.lead_office_id))
    for tid, oid in conn.execute(select(TaskSupport.task_id, TaskSupport.office_id)):
        if tid not in tasks:
            report.add("reference", f"task_support {tid}/{oid}", _("its task does not exist"))
        elif oid not in offices:
            report.add("reference", task_label(tid),
                       _("a supporting office (id {id}) does not exist").format(id=oid))
    for tid, cid in conn.execute(select(TaskCriterion.task_id, TaskCriterion.criterion_id)):
        if tid not in tasks:
            report.add("reference", f"task_criterion {tid}/{cid}", _("its task does not exist"))
        elif cid not in crits:
            report.add("reference", task_label(tid),
                       _("a linked criterion (id {id}) does not exist").format(id=cid))
        elif crits[cid].plan_id != tasks[tid].plan_id:
            report.add("reference", task_label(tid), _(
                "is linked to criterion {code} of another plan").format(code=crits[cid].code))

    # The criteria tree
    for c in crits.values():
        where = _("criterion {code}").format(code=c.code)
        if c.plan_id not in plans:
            report.add("reference", where, _("belongs to no plan"))
        if c.parent_id is not None:
            parent = crits.get(c.parent_id)
            if parent is None:
                report.add("reference", where, _("its parent (id {id}) does not exist").format(
                    id=c.parent_id))
            elif parent.plan_id != c.plan_id:
                report.add("reference", where, _("its parent {code} is in another plan").format(
                    code=parent.code))
        if c.indicator_id is not None and indicators.get(c.indicator_id) != c.plan_id:
            report.add("reference", where, _("its indicator (id {id}) is missing or in another "
                                             "plan").format(id=c.indicator_id))
        if c.lead_office_id is not None and c.lead_office_id not in offices:
            report.add("reference", where, _("its lead office (id {id}) does not exist").format(
                id=c.lead_office_id))
    for c in crits.values():
        seen = {c.id}
        node = c
        while node.parent_id is not None and node.parent_id in crits:
            node = crits[node.parent_id]
            if node.id in seen:
                report.add("reference", _("criterion {code}").format(code=c.code),
                           _("its parents form a cycle"))
                break
            seen.add(node.id)

    # Evidence targets
    evidence_columns: list[Any] = [Evidence.id, Evidence.plan_id, Evidence.task_id,
                                   Evidence.occurrence_id, Evidence.criterion_id,
                                   Evidence.blob_sha256]
    for e in conn.execute(select(*evidence_columns)):
        where = _("evidence {id}").format(id=e.id)
        if e.plan_id not in plans:
            report.add("reference", where, _("belongs to no plan"))
        if e.task_id is None and e.criterion_id is None:
            report.add("reference", where, _("has no target (neither a task nor a criterion)"))
        if e.task_id is not None and e.criterion_id is not None:
            report.add("reference", where, _("has two targets (a task and a criterion)"))
        if e.task_id is not None:
            if e.task_id not in tasks:
                report.add("reference", where, _("its task (id {id}) does not exist").format(
                    id=e.task_id))
            elif tasks[e.task_id].plan_id != e.plan_id:
                report.add("reference", where, _("its task is in another plan"))
        if e.occurrence_id is not None:
            occ = occurrences.get(e.occurrence_id)
            if occ is None:
                report.add("reference", where, _("its occurrence (id {id}) does not exist")
                           .format(id=e.occurrence_id))
            elif occ.task_id != e.task_id:
                report.add("reference", where, _("its occurrence belongs to another task"))
        if e.criterion_id is not None:
            if e.criterion_id not in crits:
                report.add("reference", where, _("its criterion (id {id}) does not exist").format(
                    id=e.criterion_id))
            elif crits[e.criterion_id].plan_id != e.plan_id:
                report.add("reference", where, _("its criterion is in another plan"))
        if e.blob_sha256 is not None and e.blob_sha256 not in blobs:
            report.add("reference", where, _("its attached file is missing from the database"))
    report.checked["evidence"] = conn.execute(select(func.count()).select_from(Evidence)).scalar() or 0
    _check_review_history(conn, report)

    # Status events
    for sid, tid, oid in conn.execute(select(StatusEvent.id, StatusEvent.task_id,
                                             StatusEvent.occurrence_id)):
        if tid not in tasks:
            report.add("reference", _("status event {id}").format(id=sid),
                       _("its task does not exist"))
        elif oid is not None and (oid not in occurrences or occurrences[oid].task_id != tid):
            report.add("reference", _("status event {id}").format(id=sid),
                       _("its occurrence is missing or belongs to another task"))

    # Occurrences of recurring tasks, against their rule
    dates: dict[int, set[date]] = defaultdict(set)
    for occ in occurrences.values():
        if occ.task_id not in tasks:
            report.add("reference", _("occurrence {id}").format(id=occ.id),
                       _("its task does not exist"))
            continue
        dates[occ.task_id].add(occ.due_on)
    for t in tasks.values():
        have = dates.get(t.id, set())
        if not t.recurrence:
            if have:
                report.add("reference", task_label(t.id), _(
                    "does not recur but has {n} occurrences").format(n=len(have)))
            continue
        plan = plans.get(t.plan_id)
        if plan is None:
            continue
        try:
            wanted = set(task_occurrence_dates(
                t.recurrence, plan_starts_on=plan.starts_on, plan_ends_on=plan.ends_on,
                task_starts_on=t.start_on))
        except DateError as exc:
            report.add("reference", task_label(t.id), _(
                'its recurrence "{rule}" cannot be read: {message}').format(
                rule=t.recurrence, message=exc.message))
            continue
        missing = sorted(wanted - have)
        extra = sorted(have - wanted)
        if missing:
            report.add("reference", task_label(t.id), _(
                "occurrences missing for {dates}").format(dates=_dates(missing)))
        if extra:
            report.add("reference", task_label(t.id), _(
                "occurrences on {dates} do not follow its rule {rule}").format(
                dates=_dates(extra), rule=t.recurrence))


def _check_review_history(conn: Connection, report: Report) -> None:
    """The review state an evidence row holds is the one its latest review event gave it
    (withdrawn evidence was awaiting review when it was withdrawn)."""
    from planner.services.evidence_rows import state_label

    latest: dict[int, tuple[str, date]] = {}
    for eid, state, on in conn.execute(
        select(EvidenceReview.evidence_id, EvidenceReview.state, EvidenceReview.on)
        .order_by(EvidenceReview.on, EvidenceReview.id)
    ):
        latest[eid] = (state, on)
    for eid, state in conn.execute(select(Evidence.id, Evidence.state)):
        event = latest.pop(eid, None)
        expected = {"withdrawn": "submitted"}.get(state, state)
        if event is None:
            if state in ("accepted", "rejected"):
                report.add("reference", _("evidence {id}").format(id=eid), _(
                    "is {state} but has no review in its history").format(state=state_label(state)))
        elif event[0] != expected:
            report.add("reference", _("evidence {id}").format(id=eid), _(
                "is {state} but its last review ({date}) made it {event}").format(
                state=state_label(state), date=event[1].strftime("%d/%m/%Y"),
                event=state_label(event[0])))
    for eid in latest:
        report.add("reference", _("review history of evidence {id}").format(id=eid),
                   _("its evidence does not exist"))


def _dates(days: list[date]) -> str:
    shown = ", ".join(listing(d) for d in days[:6])
    return shown + (f" (+{len(days) - 6})" if len(days) > 6 else "")


# ------------------------------------------------------------------------ change log


def _check_chain(conn: Connection, report: Report) -> None:
    from planner.services.audit import entry_hash

    table: Any = ChangeLog.__table__  # type: ignore[attr-defined]
    previous_hash = ""
    previous_id: int | None = None
    chained = False
    n = 0
    result = conn.execution_options(yield_per=1000).execute(select(table).order_by(table.c.id))
    for entry in result:
        n += 1
        where = _("change-log entry {id} ({action} {label})").format(
            id=entry.id, action=entry.action, label=entry.label)
        if not entry.hash and not entry.prev_hash and not chained:
            previous_id = entry.id
            continue  # written before the chain existed (revision 0001)
        chained = True
        if entry.hash != entry_hash(entry):  # type: ignore[arg-type]  # a Row reads alike
            report.add("log", where, _("its content does not match its hash: the entry was "
                                       "altered"))
        if entry.prev_hash != previous_hash:
            report.add("log", where, _(
                "it does not follow entry {prev}: an entry before it was deleted, altered or "
                "inserted").format(prev=previous_id if previous_id is not None else "-"))
        previous_hash, previous_id = entry.hash, entry.id
    report.checked["log"] = n


# ---------------------------------------------------------------- rows vs logged images


def _normal(value: Any) -> Any:
    """A value as the change log stores it, comparable across database round trips."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _logged(value: Any, current: Any) -> Any:
    """A logged JSON value in the form `_normal` gives the current one."""
    if isinstance(value, str) and isinstance(current, datetime):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        return _normal(parsed)
    return value


def _same(logged: Any, current: Any) -> bool:
    if logged == current:
        return True
    if isinstance(logged, bool) or isinstance(current, bool):
        return isinstance(logged, bool | int) and isinstance(current, bool | int) and \
            bool(logged) == bool(current)
    if isinstance(logged, int | float) and isinstance(current, int | float):
        return math.isclose(float(logged), float(current), rel_tol=1e-9, abs_tol=1e-9)
    return False


def _show(value: Any) -> str:
    text_value = json.dumps(value, ensure_ascii=False, default=str)
    return text_value if len(text_value) <= 80 else text_value[:77] + "…"


def _check_rows(conn: Connection, report: Report) -> None:
    log: Any = ChangeLog.__table__  # type: ignore[attr-defined]
    compared = 0
    # Tasks later deleted through planner (their evidence went with them).
    deleted_tasks: dict[str, int] = {}
    for entity_id, last in conn.execute(
        select(log.c.entity_id, func.max(log.c.id))
        .where(log.c.entity == "task", log.c.action == "task.delete").group_by(log.c.entity_id)
    ):
        deleted_tasks[entity_id] = last
    # Tasks and plans removed in bulk (a plan deleted, an import undone): one entry for all.
    removed_plans: dict[Any, int] = {}
    for entry_id, action, plan_id, before in conn.execute(
        select(log.c.id, log.c.action, log.c.plan_id, log.c.before)
        .where(log.c.action.in_(("plan.delete", "plan.import.undo")))
    ):
        with contextlib.suppress(ValueError):
            image = json.loads(before or "{}")
            for tid in image.get("task_ids", []) if isinstance(image, dict) else []:
                deleted_tasks[str(tid)] = max(deleted_tasks.get(str(tid), 0), entry_id)
            if action == "plan.delete" or (isinstance(image, dict) and image.get("plan_removed")):
                removed_plans[plan_id] = entry_id
    office_codes: dict[Any, str] = dict(
        conn.execute(select(Office.id, Office.code)).all())
    crit_codes: dict[Any, str] = dict(
        conn.execute(select(Criterion.id, Criterion.code)).all())

    for entity, model in COMPARED.items():
        latest = select(func.max(log.c.id)).where(log.c.entity == entity).group_by(log.c.entity_id)
        entries = list(conn.execute(
            select(log.c.id, log.c.entity_id, log.c.action, log.c.label, log.c.at, log.c.actor,
                   log.c.after, log.c.plan_id, log.c.task_id).where(log.c.id.in_(latest.scalar_subquery()))))
        if not entries:
            continue
        table: Any = model.__table__
        columns = {c.key for c in table.columns if c.key != "content"}
        rows = {str(r.id): r._mapping for r in conn.execute(select(table))}
        extras: dict[str, dict[str, list[str]]] = {}
        if entity == "task":
            support: dict[str, list[str]] = defaultdict(list)
            for tid, oid in conn.execute(select(TaskSupport.task_id, TaskSupport.office_id)):
                support[str(tid)].append(office_codes.get(oid, f"#{oid}"))
            links: dict[str, list[str]] = defaultdict(list)
            for tid, cid, w in conn.execute(select(TaskCriterion.task_id,
                                                   TaskCriterion.criterion_id,
                                                   TaskCriterion.weight)):
                links[str(tid)].append(f"{crit_codes.get(cid, f'#{cid}')}:{w:g}")
            extras = {"supporting": support, "criteria": links}
        for entry in entries:
            if not entry.after:
                continue  # deleted through planner
            if removed_plans.get(entry.plan_id, 0) > entry.id or \
                    deleted_tasks.get(str(entry.task_id), 0) > entry.id or \
                    (entity == "task" and deleted_tasks.get(entry.entity_id, 0) > entry.id):
                continue  # removed with its plan or its import (a row there now is a new one)
            try:
                after = json.loads(entry.after)
            except ValueError:
                report.add("log", _("change-log entry {id}").format(id=entry.id),
                           _("its after-image is not readable JSON"))
                continue
            if not isinstance(after, dict):
                continue
            label = f"{entity} {entry.label or entry.entity_id} (id {entry.entity_id})"
            source = _("its last change-log entry {id} ({action} by {actor}, {at})").format(
                id=entry.id, action=entry.action, actor=entry.actor,
                at=_normal(entry.at)[:16].replace("T", " "))
            row = rows.get(entry.entity_id)
            if row is None:
                task_id = after.get("task_id")
                if entity == "evidence" and task_id is not None and \
                        deleted_tasks.get(str(task_id), 0) > entry.id:
                    continue  # deleted with its task
                report.reported_rows.add((entity, entry.entity_id))
                report.add("row", label, _(
                    "the row is gone but {source} does not delete it: deleted behind planner's "
                    "back").format(source=source))
                continue
            compared += 1
            differences = []
            for key, logged in after.items():
                if key in columns:
                    current = _normal(row[key])
                    if not _same(_logged(logged, row[key]), current):
                        differences.append((key, logged, current))
                elif key in extras and isinstance(logged, list):
                    current_list = sorted(extras[key].get(entry.entity_id, []))
                    if sorted(str(v) for v in logged) != current_list:
                        differences.append((key, sorted(logged), current_list))
            if differences:
                report.reported_rows.add((entity, entry.entity_id))
            for key, logged, current in differences:
                report.add("row", label, _(
                    "{column} is {current} in the database but {logged} in {source}: changed "
                    "behind planner's back").format(column=key, current=_show(current),
                                                    logged=_show(logged), source=source))
    report.checked["rows"] = compared


# --------------------------------------------------------- every row against the log


def _check_coverage(conn: Connection, report: Report) -> None:
    """Every covered row against the image or digest the change log last recorded for it."""
    from planner.store import rowlog

    log: Any = ChangeLog.__table__  # type: ignore[attr-defined]
    expected: dict[str, dict[str, tuple[Any, int]]] = defaultdict(dict)
    for entry_id, rows in conn.execute(
            select(log.c.id, log.c.rows).where(log.c.rows != "").order_by(log.c.id)):
        try:
            data = json.loads(rows)
        except ValueError:
            report.add("log", _("change-log entry {id}").format(id=entry_id),
                       _("the rows it wrote are not readable JSON"))
            continue
        if not isinstance(data, dict):
            continue
        for table_name, images in data.items():
            if isinstance(images, dict):
                for key, value in images.items():
                    expected[table_name][key] = (value, entry_id)
    sources: dict[int, str] = {}

    def source(entry_id: int) -> str:
        if entry_id not in sources:
            e = conn.execute(select(log.c.action, log.c.actor, log.c.real_actor, log.c.at)
                             .where(log.c.id == entry_id)).one()
            who = _("{person} acting as {user}").format(person=e.real_actor, user=e.actor) \
                if e.real_actor else e.actor
            sources[entry_id] = _("change-log entry {id} ({action} by {actor}, {at})").format(
                id=entry_id, action=e.action, actor=who, at=_normal(e.at)[:16].replace("T", " "))
        return sources[entry_id]

    names = _Names(conn)
    accounted = 0
    for table in rowlog.covered_tables():
        wanted = expected.get(table.name, {})
        seen: set[str] = set()
        for row in conn.execute(select(table)):
            key = rowlog.row_key(table, row)
            seen.add(key)
            if (table.name, key) in report.reported_rows:
                continue
            label = names.label(table.name, key, row._mapping)
            logged = wanted.get(key)
            if logged is None or logged[0] is None:
                why = _("no change-log entry wrote this row: inserted behind planner's back")
                if logged is not None:
                    why = _("{source} deleted this row, yet it is there: inserted again behind "
                            "planner's back").format(source=source(logged[1]))
                report.add("row", label, why)
                continue
            img = rowlog.image(table, row)
            value, entry_id = logged
            if isinstance(value, dict):
                diffs = [(k, v, img.get(k)) for k, v in value.items()
                         if k in img and not _same(_logged(v, row._mapping[k]), img[k])]
                for column, was, now in diffs:
                    report.add("row", label, _(
                        "{column} is {current} in the database but {logged} in {source}: "
                        "changed behind planner's back").format(
                        column=column, current=_show(now), logged=_show(was),
                        source=source(entry_id)))
                if not diffs:
                    accounted += 1
            elif rowlog.digest(img) != value:
                report.add("row", label, _(
                    "the row differs from its image in {source}: changed behind planner's "
                    "back").format(source=source(entry_id)))
            else:
                accounted += 1
        for key, (value, entry_id) in wanted.items():
            if value is None or key in seen or (table.name, key) in report.reported_rows:
                continue
            report.add("row", names.label(table.name, key, value if isinstance(value, dict)
                                          else None), _(
                "the row is gone but {source} wrote it: deleted behind planner's back").format(
                source=source(entry_id)))
    report.checked["covered"] = accounted


class _Names:
    """A row named as a person reads it: task T05, user alice, criterion 1.1.1…"""

    _COLUMN = {"task": "code", "office": "code", "user": "login", "criterion": "code",
               "indicator": "code", "plan": "year", "meta": "key"}

    def __init__(self, conn: Connection) -> None:
        self.tasks: dict[Any, str] = dict(conn.execute(select(Task.id, Task.code)).all())
        self.crits: dict[Any, str] = dict(conn.execute(select(Criterion.id, Criterion.code)).all())
        self.offices: dict[Any, str] = dict(conn.execute(select(Office.id, Office.code)).all())

    def label(self, table: str, key: str, row: Any) -> str:
        row = row or {}
        name = ""
        if table in self._COLUMN and row.get(self._COLUMN[table]) is not None:
            name = str(row.get(self._COLUMN[table]))
        elif row.get("task_id") is not None:
            name = self.tasks.get(row["task_id"], f"#{row['task_id']}")
            if row.get("due_on"):
                name += f"@{_normal(row['due_on'])}"
            if row.get("office_id") is not None:
                name += "/" + self.offices.get(row["office_id"], f"#{row['office_id']}")
            if row.get("criterion_id") is not None:
                name += "/" + self.crits.get(row["criterion_id"], f"#{row['criterion_id']}")
        elif row.get("criterion_id") is not None:
            name = _("criterion {code}").format(
                code=self.crits.get(row["criterion_id"], f"#{row['criterion_id']}"))
        table_name = table.replace("_", " ")
        return f"{table_name} {name} (id {key})" if name else f"{table_name} (id {key})"


# ------------------------------------------------------------------------- anchors


def _check_anchors(conn: Connection, report: Report, anchors: list[Any]) -> None:
    from planner.services.anchors import verify

    for anchor, why in verify(conn, anchors):
        report.add("anchor", _("anchor {anchor} {source}").format(
            anchor=str(anchor), source=anchor.source).strip(), why)
    report.checked["anchors"] = len(anchors)


def acting_as_entries(conn: Connection, since: date | None, until: date | None) -> list[ActingAs]:
    """Entries written by a coordinator acting as another user, between two dates."""
    log: Any = ChangeLog.__table__  # type: ignore[attr-defined]
    query = select(log.c.id, log.c.at, log.c.real_actor, log.c.actor, log.c.action,
                   log.c.label).where(log.c.real_actor != "").order_by(log.c.id)
    if since is not None:
        query = query.where(log.c.at >= datetime.combine(since, datetime.min.time(), UTC))
    if until is not None:
        query = query.where(log.c.at <= datetime.combine(until, datetime.max.time(), UTC))
    return [ActingAs(r.id, r.at, r.real_actor, r.actor, r.action, r.label)
            for r in conn.execute(query)]
