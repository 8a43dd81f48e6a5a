"""Read the change log: a task's history, and `planner log` with filters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import col, or_, select

from planner.i18n import _, ngettext
from planner.services.context import Context
from planner.services.lookup import office_by_code, task_by_code
from planner.services.plans import get_plan
from planner.store.models import ChangeLog, Task

_FIELDS_SHOWN = ("title", "lead_office_id", "due_on", "deadline_text", "status", "progress",
                 "done_on", "supporting", "criteria", "product", "state", "reason", "value")


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: datetime
    actor: str
    action: str
    label: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "actor": self.actor, "action": self.action,
                "label": self.label, "summary": self.summary, "before": self.before, "after": self.after}


def _figure(image: dict[str, Any]) -> str:
    """A logged reading's figure: its counts when it has them, else its value."""
    if image.get("numerator") is not None and image.get("denominator") is not None:
        return f"{image['numerator']:g}/{image['denominator']:g}"
    value = image.get("value")
    return f"{value:g}" if isinstance(value, int | float) else "-"


def _day(value: Any) -> str:
    try:
        return date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def _tasks_removed(n: int) -> str:
    return ngettext("{n} task removed", "{n} tasks removed", n).format(n=n)


def _undo_sentence(entry: ChangeLog, before: dict[str, Any] | None,
                   after: dict[str, Any] | None) -> str | None:
    """The entries of undone mistakes, as sentences (None for any other entry)."""
    who, image = entry.actor, after or before or {}
    reason = str(image.get("reason") or image.get("note") or "")
    action = entry.action
    if action in ("evidence.unaccept", "evidence.unreject"):
        text = (_("Evidence #{id}: acceptance taken back by {who} on {date}: {reason}")
                if action == "evidence.unaccept" else
                _("Evidence #{id}: rejection taken back by {who} on {date}: {reason}"))
        return text.format(id=entry.entity_id, who=who, date=_day(image.get("on", "")),
                           reason=reason)
    if action == "task.reopen":
        return _("{label} reopened by {who} on {date}: {reason}").format(
            label=entry.label, who=who, date=_day((after or {}).get("reopened_on", "")),
            reason=reason)
    if action == "reading.edit" and before and after:
        return _("Reading #{id} of {code} ({date}) corrected by {who}: {old} → {new}: {reason}").format(
            id=entry.entity_id, code=entry.label, date=_day(after.get("on", "")), who=who,
            old=_figure(before) + ("" if before.get("on") == after.get("on")
                                   else f" ({_day(before.get('on', ''))})"),
            new=_figure(after), reason=reason)
    if action == "reading.delete" and before:
        return _("Reading #{id} of {code} ({date}, {value}) deleted by {who}: {reason}").format(
            id=entry.entity_id, code=entry.label, date=_day(before.get("on", "")),
            value=_figure(before), who=who, reason=reason)
    if action == "office.delete" and before:
        return _("Office {code} ({name}) deleted by {who}").format(
            code=entry.label, name=before.get("name", ""), who=who)
    if action == "reading.add" and after:
        return _("Reading #{id} of {code} ({date}) recorded by {who}: {value}").format(
            id=entry.entity_id, code=entry.label, date=_day(after.get("on", "")), who=who,
            value=_figure(after))
    if action == "plan.delete" and before:
        return _("The {year} plan deleted by {who} ({tasks}); backup: {backup}").format(
            year=entry.label, who=who, tasks=_tasks_removed(len(before.get("task_ids", []))),
            backup=before.get("backup", "-"))
    if action == "plan.import.undo" and before:
        return _("Import #{id} of {file} undone by {who} ({tasks}); backup: {backup}").format(
            id=before.get("import", "?"), file=before.get("file", "?"), who=who,
            tasks=_tasks_removed(len(before.get("task_ids", []))),
            backup=before.get("backup", "-"))
    return None


def _summary(entry: ChangeLog, before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    sentence = _undo_sentence(entry, before, after)
    if sentence is not None:
        return sentence
    verb = {
        "task.add": _("added"), "task.edit": _("edited"), "task.delete": _("deleted"),
        "task.done": _("marked done"), "task.in_progress": _("started"),
        "task.not_started": _("reopened"), "task.cancelled": _("cancelled"),
        "task.paused": _("paused"), "evidence.add": _("evidence added"),
        "evidence.accepted": _("evidence accepted"), "evidence.rejected": _("evidence rejected"),
        "evidence.withdrawn": _("evidence withdrawn"),
    }.get(entry.action, entry.action)
    changes = []
    if before and after:
        for key in _FIELDS_SHOWN:
            if key in after and before.get(key) != after.get(key):
                changes.append(f"{key}: {before.get(key)!s} → {after.get(key)!s}")
    elif after and entry.action == "evidence.add":
        changes.append(str(after.get("doc_number") or after.get("filename") or after.get("url") or ""))
    if after and after.get("reason") and entry.action == "evidence.rejected":
        changes = [str(after["reason"])]
    if after and after.get("note") and entry.action.startswith("task."):
        changes.insert(0, _("note: {note}").format(note=after["note"]))  # first: tables clip
    detail = "; ".join(c for c in changes if c)
    return f"{entry.label} {verb}" + (f" ({detail})" if detail else "")


def _entry(row: ChangeLog) -> HistoryEntry:
    before = json.loads(row.before) if row.before else None
    after = json.loads(row.after) if row.after else None
    return HistoryEntry(row.id or 0, row.at, row.actor, row.action, row.label,
                        _summary(row, before, after), before, after)


def task_history(ctx: Context, code: str) -> list[HistoryEntry]:
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        task = task_by_code(session, plan, code)
        rows = session.exec(
            select(ChangeLog).where(ChangeLog.task_id == task.id, ChangeLog.plan_id == plan.id)
            .order_by(col(ChangeLog.id))
        ).all()
        return [_entry(r) for r in rows]


def change_log(ctx: Context, *, task: str | None = None, office: str | None = None,
               since: date | None = None, limit: int | None = None) -> list[HistoryEntry]:
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
            query = query.where(col(ChangeLog.at) >= datetime.combine(since, datetime.min.time()))
        rows = session.exec(query).all()
        if limit:
            rows = rows[-limit:]
        return [_entry(r) for r in rows]
