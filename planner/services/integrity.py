"""`planner check`: prove the database is whole and nothing was changed behind planner's back.

Checks, each reported with where the problem is:
- SQLite `PRAGMA integrity_check` and `foreign_key_check`; the schema revision;
- every attachment (Blob) against its SHA-256 and size;
- the plan's references: tasks' offices, supporting offices, criteria links (same plan),
  evidence targets (task, occurrence, criterion, file), the criteria tree (parents, cycles,
  indicators), and the occurrences of recurring tasks against their rule;
- the change log's hash chain (each entry's hash recomputed, each `prev_hash` link);
- every task, evidence and office row against its last logged after-image: a row whose
  columns differ was changed behind planner's back. Rows never logged one by one (a seed
  load or an import writes a single entry for the whole plan) are not compared.

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
    Indicator,
    Occurrence,
    Office,
    Plan,
    StatusEvent,
    Task,
    TaskCriterion,
    TaskSupport,
)

COMPARED: dict[str, Any] = {"task": Task, "evidence": Evidence, "office": Office}


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

    def add(self, check: str, where: str, message: str) -> None:
        self.problems.append(Problem(check, where, message))

    def describe(self) -> str:
        labels = {
            "tasks": _("{n} tasks"), "evidence": _("{n} evidence records"),
            "blobs": _("{n} attachments"), "log": _("{n} change-log entries"),
            "rows": _("{n} rows compared with their logged image"),
        }
        return ", ".join(labels[k].format(n=v) for k, v in self.checked.items() if k in labels)


def check_database(db: Database) -> Report:
    report = Report()
    engine = db.engine.execution_options(**{READ_OPTION: True})
    steps: list[tuple[str, Callable[[Connection, Report], None]]] = [
        ("schema", _check_schema),
        ("blob", _check_blobs),
        ("reference", _check_references),
        ("log", _check_chain),
        ("row", _check_rows),
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
    from planner.domain.schedule import DateError, expand_occurrences

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
        start = max(plan.starts_on, t.start_on) if t.start_on else plan.starts_on
        try:
            wanted = set(expand_occurrences(t.recurrence, starts_on=start, ends_on=plan.ends_on))
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
    office_codes: dict[Any, str] = dict(
        conn.execute(select(Office.id, Office.code)).all())
    crit_codes: dict[Any, str] = dict(
        conn.execute(select(Criterion.id, Criterion.code)).all())

    for entity, model in COMPARED.items():
        latest = select(func.max(log.c.id)).where(log.c.entity == entity).group_by(log.c.entity_id)
        entries = list(conn.execute(
            select(log.c.id, log.c.entity_id, log.c.action, log.c.label, log.c.at, log.c.actor,
                   log.c.after).where(log.c.id.in_(latest.scalar_subquery()))))
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
            for key, logged, current in differences:
                report.add("row", label, _(
                    "{column} is {current} in the database but {logged} in {source}: changed "
                    "behind planner's back").format(column=key, current=_show(current),
                                                    logged=_show(logged), source=source))
    report.checked["rows"] = compared
