"""Read the change log: a task's history, and `planner log` with filters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, or_, select

from planner.domain import criterion_params
from planner.services.context import Context
from planner.services.log_text import Change, Names, describe, sentence, who
from planner.services.lookup import office_by_code, task_by_code
from planner.services.plans import get_plan
from planner.store.models import ChangeLog, Criterion, Indicator, Office, Task, User


@dataclass(frozen=True)
class HistoryEntry:
    """One change-log entry as people read it: `summary` says what happened, `who` the
    person (role and name), `sentence` both (`planner.services.log_text`)."""

    id: int
    at: datetime
    actor: str
    action: str
    label: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    who: str = ""  # "coordinator (Lan)", or "… acting as …" when a coordinator acted as `actor`
    sentence: str = ""
    real_actor: str = ""  # the person, when a coordinator acted as `actor`

    @property
    def local_at(self) -> datetime:
        """When, in the local time zone (stored in UTC)."""
        return self.at.astimezone() if self.at.tzinfo else self.at

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "actor": self.actor,
                "real_actor": self.real_actor, "action": self.action, "label": self.label,
                "summary": self.summary, "who": self.who, "sentence": self.sentence,
                "before": self.before, "after": self.after}


def in_words(session: Session, rows: list[ChangeLog]) -> list[HistoryEntry]:
    """The entries of `rows` in words, with a fixed number of queries for the names."""
    images = [(json.loads(r.before) if r.before else None, json.loads(r.after) if r.after else None)
              for r in rows]
    names = _names(session, rows, images)
    out = []
    for row, (before, after) in zip(rows, images, strict=True):
        change = Change(row.action, row.entity, row.label, before, after, row.task_id,
                        str(row.entity_id or ""))
        summary = describe(change, names)
        out.append(HistoryEntry(row.id or 0, row.at, row.actor, row.action, row.label, summary,
                                before, after, who=who(row.actor, names, row.real_actor),
                                sentence=sentence(change, row.actor, names, row.real_actor),
                                real_actor=row.real_actor))
    return out


def _names(session: Session, rows: list[ChangeLog],
           images: list[tuple[dict[str, Any] | None, dict[str, Any] | None]]) -> Names:
    logins = {r.actor for r in rows} | {r.real_actor for r in rows if r.real_actor}
    office_ids: set[int] = set()
    task_ids = {r.task_id for r in rows if r.task_id is not None}
    criterion_ids: set[int] = set()
    indicator_codes = {r.label for r in rows if r.entity == "reading"}
    for before, after in images:
        for image in (before, after):
            if not image:
                continue
            for key in ("lead_office_id", "office_id"):
                if image.get(key) is not None:
                    office_ids.add(int(image[key]))
            if image.get("criterion_id") is not None:
                criterion_ids.add(int(image["criterion_id"]))
            if image.get("task_id") is not None:
                task_ids.add(int(image["task_id"]))
    users = {login: (role, name) for login, (role, name) in
             _lookup(session, User.login, (User.role, User.name), logins).items()}
    offices = _lookup(session, Office.id, Office.code, office_ids)
    tasks = _lookup(session, Task.id, Task.code, task_ids)
    criteria = _lookup(session, Criterion.id, Criterion.code, criterion_ids)
    units = _lookup(session, Indicator.code, Indicator.unit, indicator_codes)
    outcomes = {}
    confirmed = {(r.plan_id, r.label) for r in rows if r.action == "criterion.confirm"}
    if confirmed:
        from planner.services.indicators import outcome_label

        for plan_id, code, params in session.exec(
                select(Criterion.plan_id, Criterion.code, Criterion.params)
                .where(col(Criterion.code).in_({code for _plan, code in confirmed}))):
            if (plan_id, code) in confirmed:
                for outcome in criterion_params.outcomes(criterion_params.decode(params)):
                    key = str(outcome.get("key"))
                    outcomes[(code, key)] = outcome_label(params, key)
    return Names(users=users, offices=offices, tasks=tasks, criteria=criteria, units=units,
                 outcomes=outcomes)


#: Above this many keys a lookup reads the whole (small) table instead of an IN list, which
#: SQLite limits in length.
_MAX_IN = 500


def _lookup(session: Session, key: Any, value: Any, wanted: set[Any]) -> dict[Any, Any]:
    """key -> value (a tuple when `value` is several columns) for the `wanted` keys."""
    if not wanted:
        return {}
    columns = value if isinstance(value, tuple) else (value,)
    query = select(key, *columns)
    if len(wanted) <= _MAX_IN:
        query = query.where(col(key).in_(wanted))
    found = {}
    for row in session.exec(query):
        if row[0] in wanted:
            found[row[0]] = tuple(row[1:]) if isinstance(value, tuple) else row[1]
    return found


def task_history(ctx: Context, code: str, *, until: date | None = None) -> list[HistoryEntry]:
    """The task's change-log entries in order; with `until` (a local date, included), only
    those written by the end of that day: the history as it stood then."""
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        task = task_by_code(session, plan, code)
        query = select(ChangeLog).where(ChangeLog.task_id == task.id, ChangeLog.plan_id == plan.id)
        if until is not None:
            query = query.where(col(ChangeLog.at) < local_day_start(until + timedelta(days=1)))
        rows = session.exec(query.order_by(col(ChangeLog.id))).all()
        return in_words(session, list(rows))


def task_history_count(ctx: Context, code: str) -> int:
    """How many change-log entries the task has, written at any time."""
    from sqlalchemy import func

    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        task = task_by_code(session, plan, code)
        return int(session.exec(
            select(func.count()).select_from(ChangeLog)
            .where(ChangeLog.task_id == task.id, ChangeLog.plan_id == plan.id)
        ).one())


def local_day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the local time zone, as an aware timestamp: the change
    log stores aware UTC times, and a person's "since 01/05/2022" means their own midnight."""
    return datetime.combine(day, time.min).astimezone()


def change_log(ctx: Context, *, task: str | None = None, office: str | None = None,
               since: date | None = None, until: date | None = None,
               limit: int | None = None) -> list[HistoryEntry]:
    """Entries in order; `since` and `until` are local dates, both included."""
    with ctx.db.read() as session:
        query = select(ChangeLog).order_by(col(ChangeLog.id))
        if task:
            plan = get_plan(session, ctx.plan_year)
            query = query.where(ChangeLog.task_id == task_by_code(session, plan, task).id)
        if office:
            off = office_by_code(session, office)
            task_ids = select(Task.id).where(Task.lead_office_id == off.id)
            query = query.where(or_(col(ChangeLog.task_id).in_(task_ids),
                                    (col(ChangeLog.entity) == "office") & (col(ChangeLog.label) == off.code)))
        if since:
            query = query.where(col(ChangeLog.at) >= local_day_start(since))
        if until:
            query = query.where(col(ChangeLog.at) < local_day_start(until + timedelta(days=1)))
        if limit:
            latest = query.order_by(None).order_by(col(ChangeLog.id).desc()).limit(limit)
            rows = list(reversed(session.exec(latest).all()))
        else:
            rows = list(session.exec(query).all())
        return in_words(session, rows)
