"""Change-log entries as sentences in the reader's language.

`planner log`, `planner task show` and the terminal UI's history tab all show the change
log through `describe` (what happened) and `who` (the person, by role and name):
"Evidence #15 (T25) accepted", "Reading of ontime_rate on 31/05/2022 added: 247/247 = 100%".
An action this module does not know yet is still told in words ("Task T03 changed"), never
as its identifier.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.i18n import _, ngettext
from planner.services.vocabulary import (
    STATE_WORDS,
    STATUS_WORDS,
    kind_label,
    role_label,
    state_label,
    status_label,
)

#: What a change-log row says, for `describe`.
Image = dict[str, Any] | None


@dataclass(frozen=True)
class Names:
    """What turns the ids and logins of change-log images into words: a user's role and
    name, an office's, a task's and a criterion's code, an indicator's unit."""

    users: dict[str, tuple[str, str]] = field(default_factory=dict)  # login -> (role, name)
    offices: dict[int, str] = field(default_factory=dict)  # id -> code
    tasks: dict[int, str] = field(default_factory=dict)  # id -> code
    criteria: dict[int, str] = field(default_factory=dict)  # id -> code
    units: dict[str, str] = field(default_factory=dict)  # indicator code -> unit
    outcomes: dict[tuple[str, str], str] = field(default_factory=dict)  # (criterion, key) -> label


@dataclass(frozen=True)
class Change:
    """One change-log entry, as read from the database."""

    action: str
    entity: str
    label: str
    before: Image
    after: Image
    task_id: int | None = None
    entity_id: str = ""


def who(login: str, names: Names, real: str = "") -> str:
    """The person behind a login, by role and name: "coordinator (Nguyễn Văn A)"; when a
    coordinator acted as that user, "coordinator (Lan) acting as office member (Hải)"."""
    if real:
        return _("{person} acting as {user}").format(person=who(real, names), user=who(login, names))
    known = names.users.get(login)
    if known is None:
        return login
    role, name = known
    return _("{role} ({name})").format(role=role_label(role), name=name or login)


def sentence(change: Change, actor: str, names: Names, real: str = "") -> str:
    """The whole sentence: what happened and who did it."""
    return _("{what}, by {who}").format(what=describe(change, names), who=who(actor, names, real))


def describe(change: Change, names: Names) -> str:
    """What happened, as a sentence without its author."""
    teller = _TELLERS.get(change.action)
    if teller is None:
        family, _dot, rest = change.action.partition(".")
        if family == "task" and rest in STATUS_WORDS and rest != "overdue":
            teller = _status_changed
        elif family == "evidence" and rest in STATE_WORDS:
            teller = _evidence_reviewed
        else:
            teller = _changed
    return teller(change, names)


# ----------------------------------------------------------------------------- words


def _day(value: Any) -> str:
    if not value:
        return ""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _number(value: Any) -> str:
    from planner.i18n import current_language

    try:
        text = f"{round(float(value), 2):g}"
    except (TypeError, ValueError):
        return str(value)
    return text.replace(".", ",") if current_language() == "vi" else text


def _task_subject(change: Change) -> str:
    return _("Task {code}").format(code=change.label)


def _note(image: Image) -> str:
    return str((image or {}).get("note") or "").strip()


def _with_details(text: str, details: list[str]) -> str:
    shown = [d for d in details if d]
    return text + (" (" + "; ".join(shown) + ")" if shown else "")


# ----------------------------------------------------------------------------- tasks

def _field_name(key: str) -> str | None:
    """The name of a task field whose change the history tells (None: not told)."""
    return {
        "title": _("title"), "lead_office_id": _("lead office"), "due_on": _("deadline"),
        "deadline_text": _("deadline as written"), "status": _("status"),
        "progress": _("progress"), "done_on": _("done on"),
        "supporting": _("supporting offices"), "criteria": _("criteria"),
        "product": _("product"), "description": _("description"), "start_on": _("start"),
        "effort_days": _("effort"),
    }.get(key)


def _field_value(key: str, value: Any, names: Names) -> str:
    if value is None or value == "" or value == []:
        return _("none")
    if key == "lead_office_id":
        return names.offices.get(int(value), str(value))
    if key in ("due_on", "done_on", "start_on"):
        return _day(value)
    if key == "status":
        return status_label(str(value))
    if key == "progress":
        return f"{value}%"
    if key == "effort_days":
        return _("{days} working days").format(days=f"{float(value):g}")
    if key in ("supporting", "criteria") and isinstance(value, list):
        return ", ".join(str(v).removesuffix(":1") for v in value)
    if key in ("title", "description", "product"):
        return _shortened(str(value))
    return str(value)


def _shortened(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _field_changes(before: Image, after: Image, names: Names, skip: tuple[str, ...] = ()) -> list[str]:
    if not before or not after:
        return []
    changes = []
    for key in _TOLD_FIELDS:
        if key in skip or key not in after or before.get(key) == after.get(key):
            continue
        changes.append(_("{field}: {old} → {new}").format(
            field=_field_name(key), old=_field_value(key, before.get(key), names),
            new=_field_value(key, after.get(key), names)))
    return changes


#: The task fields a history line tells the change of, in this order.
_TOLD_FIELDS = ("title", "lead_office_id", "start_on", "due_on", "deadline_text", "status",
                "progress", "done_on", "supporting", "criteria", "product", "description",
                "effort_days")


def _task_added(change: Change, names: Names) -> str:
    title = str((change.after or {}).get("title") or "")
    return _("Task {code} added: {title}").format(code=change.label, title=title)


def _task_edited(change: Change, names: Names) -> str:
    changes = _field_changes(change.before, change.after, names)
    if not changes:
        return _("Task {code} edited").format(code=change.label)
    return _("Task {code} edited: {changes}").format(code=change.label, changes="; ".join(changes))


def _task_deleted(change: Change, names: Names) -> str:
    title = str((change.before or {}).get("title") or "")
    return _("Task {code} deleted: {title}").format(code=change.label, title=title)


def _status_changed(change: Change, names: Names) -> str:
    after = change.after or {}
    status = change.action.split(".", 1)[1]
    task = _task_subject(change)
    if status == "done":
        done_on = _day(after.get("done_on"))
        text = (_("{task} marked done on {date}").format(task=task, date=done_on) if done_on
                else _("{task} marked done").format(task=task))
    elif status == "in_progress":
        text = _("{task} in progress").format(task=task)
    elif status == "not_started":
        text = _("{task} reopened (not started)").format(task=task)
    elif status == "paused":
        text = _("{task} paused").format(task=task)
    else:
        text = _("{task} cancelled").format(task=task)
    details = _field_changes(change.before, change.after, names, skip=("status", "done_on"))
    note = _note(after)
    if note:
        details.insert(0, _("note: {note}").format(note=note))  # first: tables clip
    return _with_details(text, details)


# ----------------------------------------------------------------------------- evidence


def _evidence_target(change: Change, names: Names) -> str:
    image = change.after or change.before or {}
    criterion_id = image.get("criterion_id")
    if criterion_id is not None:
        code = names.criteria.get(int(criterion_id))
        if code:
            return _("criterion {code}").format(code=code)
    task_id = image.get("task_id") or change.task_id
    return names.tasks.get(int(task_id), "") if task_id is not None else ""


def _evidence_what(image: Image) -> str:
    image = image or {}
    if image.get("doc_number"):
        return str(image["doc_number"])
    if image.get("filename"):
        return str(image["filename"])
    if image.get("url"):
        return str(image["url"])
    return _shortened(str(image.get("note") or ""))


def _evidence_added(change: Change, names: Names) -> str:
    image = change.after or {}
    label = change.label
    if label.startswith("criterion "):  # written so by planner before its logs were sentences
        label = _("criterion {code}").format(code=label.removeprefix("criterion "))
    return _("Evidence #{id} submitted for {target}: {kind} {what}").format(
        id=image.get("id", ""), target=label, kind=kind_label(str(image.get("kind") or "")),
        what=_evidence_what(image))


def _evidence_reviewed(change: Change, names: Names) -> str:
    image = change.after or {}
    state = change.action.split(".", 1)[1]
    target = _evidence_target(change, names)
    subject = (_("Evidence #{id} ({target})").format(id=change.label, target=target) if target
               else _("Evidence #{id}").format(id=change.label))
    if state == "accepted":
        text = _("{evidence} accepted").format(evidence=subject)
    elif state == "rejected":
        text = _("{evidence} rejected").format(evidence=subject)
    elif state == "withdrawn":
        text = _("{evidence} withdrawn").format(evidence=subject)
    else:
        text = _("{evidence}: {state}").format(evidence=subject, state=state_label(state))
    details = []
    reviewed_on = _day(image.get("reviewed_on"))
    if reviewed_on and state in ("accepted", "rejected"):
        details.append(_("on {date}").format(date=reviewed_on))
    reason = " ".join(str(image.get("reason") or "").split())
    if reason:
        details.append(_("reason: {reason}").format(reason=reason))
    return _with_details(text, details)


def _evidence_validity(change: Change, names: Names) -> str:
    """`evidence edit --valid-until`: how long the evidence is valid, before and after."""
    target = _evidence_target(change, names)
    subject = (_("Evidence #{id} ({target})").format(id=change.label, target=target) if target
               else _("Evidence #{id}").format(id=change.label))

    def until(image: Image) -> str:
        return _day((image or {}).get("valid_until")) or "-"

    return _("{evidence}: valid until {old} → {new}").format(
        evidence=subject, old=until(change.before), new=until(change.after))


def _reminders_sent(change: Change, names: Names) -> str:
    """`report due --send`: how many reminders went out, on which day, to which offices."""
    after = change.after or {}
    n = int(after.get("reminders") or 0)
    return ngettext("{n} reminder sent on {date} to {offices}",
                    "{n} reminders sent on {date} to {offices}", n).format(
        n=n, date=_day(after.get("sent_on") or change.entity_id), offices=change.label)


def _ranking_imported(change: Change, names: Names) -> str:
    """`ranking import`: which year's ranking, how many units, our rank in it."""
    after = change.after or {}
    text = _("ranking of {year} imported from {file}: {n} units").format(
        year=after.get("year") or change.entity_id, file=after.get("file") or "-",
        n=after.get("units") or 0)
    if after.get("rank"):
        text += _(", our rank {rank}").format(rank=after.get("rank"))
    return text


# ----------------------------------------------------------------------------- indicators


def _reading_value(image: dict[str, Any], unit: str) -> str:
    value = image.get("value")
    numerator, denominator = image.get("numerator"), image.get("denominator")
    suffix = "%" if unit == "percent" else ""
    shown = _number(value) + suffix if value is not None else ""
    if numerator is not None and denominator:
        counts = f"{_number(numerator)}/{_number(denominator)}"
        return f"{counts} = {shown}" if shown else counts
    return shown


def _reading_added(change: Change, names: Names) -> str:
    image = change.after or {}
    return _("Reading of {indicator} on {date} added: {value}").format(
        indicator=change.label, date=_day(image.get("on")),
        value=_reading_value(image, names.units.get(change.label, "percent")))


def _criterion_confirmed(change: Change, names: Names) -> str:
    image = change.after or {}
    key = str(image.get("outcome", ""))
    return _with_details(_("Criterion {code} confirmed on {date}: {outcome}").format(
        code=change.label, date=_day(image.get("on")),
        outcome=names.outcomes.get((change.label, key), key)),
        [_note(image)])


def _criterion_entered(change: Change, names: Names) -> str:
    image = change.after or {}
    return _with_details(_("Points of criterion {code} entered on {date}: {points}").format(
        code=change.label, date=_day(image.get("on")), points=_number(image.get("points"))),
        [_note(image)])


def _criterion_owner(change: Change, names: Names) -> str:
    office_id = (change.after or {}).get("lead_office_id")
    if office_id is None:
        return _("Criterion {code} no longer has a lead office of its own").format(code=change.label)
    return _("Criterion {code} led by {office}").format(
        code=change.label, office=names.offices.get(int(office_id), str(office_id)))


def _criterion_bands(change: Change, names: Names) -> str:
    return _("Bands of criterion {code} changed").format(code=change.label)


def _indicator_saved(change: Change, names: Names) -> str:
    if change.action.endswith(".add"):
        return _("Indicator {code} added").format(code=change.label)
    return _("Indicator {code} edited").format(code=change.label)


# ----------------------------------------------------------------------------- people, offices, plans


def _user_saved(change: Change, names: Names) -> str:
    after = change.after or {}
    office_id = after.get("office_id")
    office = names.offices.get(int(office_id), "") if office_id is not None else ""
    role = role_label(str(after.get("role") or ""))
    if change.action.endswith(".add"):
        if office:
            return _("User {login} added as {role} of {office}").format(
                login=change.label, role=role, office=office)
        return _("User {login} added as {role}").format(login=change.label, role=role)
    if office:
        return _("User {login} is now {role} of {office}").format(
            login=change.label, role=role, office=office)
    return _("User {login} is now {role}").format(login=change.label, role=role)


def _user_removed(change: Change, names: Names) -> str:
    return _("User {login} removed").format(login=change.label)


def _office_saved(change: Change, names: Names) -> str:
    if change.action.endswith(".add"):
        name = str((change.after or {}).get("name") or "")
        return _("Office {code} added: {name}").format(code=change.label, name=name)
    return _("Office {code} edited").format(code=change.label)


def _plan_loaded(change: Change, names: Names) -> str:
    return _("The {year} plan loaded from a seed file").format(year=change.label)


def _plan_imported(change: Change, names: Names) -> str:
    after = change.after or {}
    return _("{n} tasks of the {year} plan imported from {file}").format(
        n=after.get("tasks", 0), year=change.label, file=after.get("file", ""))


def _plan_added(change: Change, names: Names) -> str:
    return _("Empty plan {year} created").format(year=change.label)


def _changed(change: Change, names: Names) -> str:
    subject = {
        "task": _("Task {label}"), "occurrence": _("Task {label}"),
        "evidence": _("Evidence #{label}"), "reading": _("Reading of {label}"),
        "criterion": _("Criterion {label}"), "confirmation": _("Criterion {label}"),
        "manual_entry": _("Criterion {label}"), "indicator": _("Indicator {label}"),
        "office": _("Office {label}"), "user": _("User {label}"), "plan": _("The {label} plan"),
    }.get(change.entity, "{label}")
    return _("{subject} changed").format(subject=subject.format(label=change.label))


Teller = Callable[[Change, Names], str]

# ----------------------------------------------------------------------------- mistakes undone


def _reason_of(change: Change) -> str:
    image = change.after or change.before or {}
    return " ".join(str(image.get("reason") or image.get("note") or "").split())


def _tasks_removed(image: dict[str, Any]) -> str:
    n = len(image.get("task_ids", []))
    return ngettext("{n} task removed", "{n} tasks removed", n).format(n=n)


def _review_taken_back(change: Change, names: Names) -> str:
    image = change.after or change.before or {}
    text = (_("Evidence #{id}: acceptance taken back on {date}: {reason}")
            if change.action == "evidence.unaccept" else
            _("Evidence #{id}: rejection taken back on {date}: {reason}"))
    return text.format(id=change.entity_id, date=_day(image.get("on")), reason=_reason_of(change))


def _task_reopened(change: Change, names: Names) -> str:
    return _("{label} reopened on {date}: {reason}").format(
        label=change.label, date=_day((change.after or {}).get("reopened_on")),
        reason=_reason_of(change))


def _reading_corrected(change: Change, names: Names) -> str:
    before, after = change.before or {}, change.after or {}
    unit = names.units.get(change.label, "percent")
    old = _reading_value(before, unit)
    if before.get("on") != after.get("on"):
        old += f" ({_day(before.get('on'))})"
    return _("Reading #{id} of {code} ({date}) corrected: {old} → {new}: {reason}").format(
        id=change.entity_id, code=change.label, date=_day(after.get("on")), old=old,
        new=_reading_value(after, unit), reason=_reason_of(change))


def _reading_deleted(change: Change, names: Names) -> str:
    before = change.before or {}
    return _("Reading #{id} of {code} ({date}, {value}) deleted: {reason}").format(
        id=change.entity_id, code=change.label, date=_day(before.get("on")),
        value=_reading_value(before, names.units.get(change.label, "percent")),
        reason=_reason_of(change))


def _office_deleted(change: Change, names: Names) -> str:
    return _("Office {code} ({name}) deleted").format(
        code=change.label, name=(change.before or {}).get("name", ""))


def _plan_deleted(change: Change, names: Names) -> str:
    before = change.before or {}
    return _("The {year} plan deleted ({tasks}); backup: {backup}").format(
        year=change.label, tasks=_tasks_removed(before), backup=before.get("backup", "-"))


def _import_undone(change: Change, names: Names) -> str:
    before = change.before or {}
    return _("Import #{id} of {file} undone ({tasks}); backup: {backup}").format(
        id=before.get("import", "?"), file=before.get("file", "?"), tasks=_tasks_removed(before),
        backup=before.get("backup", "-"))


# ----------------------------------------------------------------------------- the database


def _plan_edited(change: Change, names: Names) -> str:
    before, after = change.before or {}, change.after or {}
    details = []
    if before.get("closes_on") != after.get("closes_on"):
        details.append(_("closing date: {old} → {new}").format(
            old=_day(before.get("closes_on") or before.get("ends_on")) or "-",
            new=_day(after.get("closes_on") or after.get("ends_on")) or "-"))
    if before.get("target_score") != after.get("target_score"):
        details.append(_("target: {old} → {new}").format(
            old=_number(before["target_score"]) if before.get("target_score") is not None else "-",
            new=_number(after["target_score"]) if after.get("target_score") is not None else "-"))
    return _with_details(_("The {year} plan edited").format(year=change.label), details)


def _today_pinned(change: Change, names: Names) -> str:
    value = (change.after or {}).get("value")
    if value:
        return _("\"Today\" pinned to {date} for everyone using this database").format(date=_day(value))
    return _("\"Today\" unpinned: the computer's date again")


def _baseline(change: Change, names: Names) -> str:
    return _("The upgrade to revision {revision} named every row it found").format(
        revision=change.entity_id or change.label)


def _restored(change: Change, names: Names) -> str:
    return _("Database restored from the backup {file}").format(file=change.label)


_TELLERS: dict[str, Teller] = {
    "task.add": _task_added,
    "task.edit": _task_edited,
    "task.delete": _task_deleted,
    "evidence.add": _evidence_added,
    "evidence.edit": _evidence_validity,
    "reminder.sent": _reminders_sent,
    "ranking.import": _ranking_imported,
    "reading.add": _reading_added,
    "criterion.confirm": _criterion_confirmed,
    "criterion.enter": _criterion_entered,
    "criterion.owner": _criterion_owner,
    "criterion.bands": _criterion_bands,
    "indicator.add": _indicator_saved,
    "indicator.edit": _indicator_saved,
    "user.add": _user_saved,
    "user.edit": _user_saved,
    "user.remove": _user_removed,
    "office.add": _office_saved,
    "office.edit": _office_saved,
    "plan.load": _plan_loaded,
    "plan.import": _plan_imported,
    "plan.add": _plan_added,
    "evidence.unaccept": _review_taken_back,
    "evidence.unreject": _review_taken_back,
    "task.reopen": _task_reopened,
    "reading.edit": _reading_corrected,
    "reading.delete": _reading_deleted,
    "office.delete": _office_deleted,
    "plan.delete": _plan_deleted,
    "plan.import.undo": _import_undone,
    "plan.edit": _plan_edited,
    "meta.set": _today_pinned,
    "log.baseline": _baseline,
    "database.restore": _restored,
}
