"""Completion evidence: documents, files and links, submitted and then reviewed."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from planner.domain.dates import listing
from planner.i18n import _, ngettext
from planner.services import audit, permissions
from planner.services.context import Context
from planner.services.errors import ConflictError, InputError, NotFound, PermissionDenied
from planner.services.evidence_rows import EvidenceRow, evidence_rows, state_label
from planner.services.inputs import date_field, long_text, plan_date_field, text_field
from planner.services.lookup import criterion_by_code, task_and_occurrence
from planner.services.plans import get_plan
from planner.store.clock import utcnow
from planner.store.models import Blob, Evidence, EvidenceReview, Occurrence, Plan, Task, User

KINDS = ("document", "file", "link", "note")
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


@dataclass(frozen=True)
class EvidenceInput:
    doc_number: str = ""
    doc_date: str = ""
    issuer: str = ""
    title: str = ""
    file: Path | None = None
    url: str = ""
    note: str = ""
    on: str | None = None  # the submission date (default today)
    force: bool = False  # dates outside the plan year and its closing period are meant
    valid_until: str = ""  # the last day it is valid (default: valid for good)


def _read_file(ctx: Context, path: Path) -> bytes:
    """The attachment's bytes: a regular file within the max_attachment_mb setting."""
    from planner.io.files import FileRefused, read_limited

    try:
        return read_limited(path, limit=ctx.max_attachment_bytes, setting="max_attachment_mb")
    except FileRefused as exc:
        raise InputError(_("file: cannot read {path}: {reason}").format(
            path=path, reason=exc.reason)) from None


def add_evidence(ctx: Context, target: str, data: EvidenceInput) -> Evidence:
    """Submit evidence for a task occurrence (`T01`, `T04@2022-03-15`) or a criterion (`1.1.3`)."""
    content = _read_file(ctx, data.file) if data.file is not None else None
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        return submit(session, ctx, plan, target, data, content,
                      data.file.name if data.file is not None else "")


def submit(session: Session, ctx: Context, plan: Plan, target: str, data: EvidenceInput,
           content: bytes | None, filename: str = "") -> Evidence:
    """`add_evidence` inside a write transaction the caller holds, the file given as its bytes."""
    ev = Evidence(
        plan_id=plan.id or 0, kind="note", submitted_by=ctx.actor,
        submitted_at=utcnow(), submitted_on=ctx.today,
    )
    label = _attach_target(session, plan, ev, target)
    if ev.task_id is not None:
        task = session.get(Task, ev.task_id)
        assert task is not None
        permissions.require_task_office(
            session, ctx, task, _("adding evidence to task {code}").format(code=task.code))
    else:
        permissions.require_coordinator(session, ctx, _("adding evidence to a criterion"))
    if data.on:
        ev.submitted_on = plan_date_field(data.on, "on", plan=plan, today=ctx.today,
                                          work=ctx.work, force=data.force)
    ev.valid_until = _valid_until(data.valid_until, ev, ctx, plan)
    ev.title = text_field(data.title, "title", required=False)
    ev.note = long_text(data.note, "note")
    if data.doc_number.strip():
        ev.kind = "document"
        ev.doc_number = _doc_number(data.doc_number)
        ev.issuer = text_field(data.issuer, "issuer", required=False)
        if data.doc_date.strip():
            ev.doc_date = plan_date_field(data.doc_date, "date", plan=plan, today=ctx.today,
                                          work=ctx.work, force=data.force, documents=True)
    elif data.doc_date.strip() or data.issuer.strip():
        raise InputError(_("--date and --issuer describe a document: give its number with --doc."))
    if data.url.strip():
        url = text_field(data.url, "link", max_length=2000)
        if not _URL.fullmatch(url) or len(url) > 2000:
            raise InputError(_('link: "{url}" is not an http(s) address.').format(url=url[:100]))
        ev.url = url
        if ev.kind == "note":
            ev.kind = "link"
    if content is not None:
        sha = hashlib.sha256(content).hexdigest()
        if session.get(Blob, sha) is None:
            session.add(Blob(sha256=sha, size=len(content), content=content))
        ev.blob_sha256 = sha
        ev.filename = text_field(filename, "file name")
        if ev.kind in ("note", "link"):
            ev.kind = "file"
    if ev.kind == "note" and not ev.note:
        raise InputError(
            _("Evidence needs a document number (--doc), a file (--file), a link (--url) or a note.")
        )
    session.add(ev)
    session.flush()
    audit.record(
        session, actor=ctx.actor, real_actor=ctx.real_actor, action="evidence.add", entity="evidence", entity_id=ev.id,
        label=label, plan_id=plan.id, task_id=ev.task_id, after=audit.snapshot(ev),
    )
    return ev


_NO_END = ("", "none", "-", "không")


def _valid_until(value: str, ev: Evidence, ctx: Context, plan: Plan) -> date | None:
    """The last day the evidence is valid, typed as any date; empty or `none`: no end."""
    if value.strip().lower() in _NO_END:
        return None
    # Not a date something happened in the plan: a term may well end years after it.
    day = date_field(value, "valid-until", today=ctx.today, year=plan.year, work=ctx.work)
    if day < ev.submitted_on:
        raise InputError(
            _("valid-until: {day} is before the evidence was submitted ({sub}).").format(
                day=day.strftime("%d/%m/%Y"), sub=ev.submitted_on.strftime("%d/%m/%Y")
            )
        )
    return day


def set_validity(
    ctx: Context, evidence_id: int, valid_until: str, *, expected_version: int | None = None
) -> Evidence:
    """Set or clear the last day evidence is valid (`none` clears it): a certificate renewed,
    a regulation superseded. A coordinator's act: it changes what is counted (the office gives
    the end when it submits the evidence)."""
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        ev = _get(session, plan, evidence_id)
        permissions.require_coordinator(session, ctx, _("changing how long evidence is valid"))
        if ev.state == "withdrawn":
            raise InputError(_("Evidence {id} was withdrawn: it cannot be changed.").format(id=ev.id))
        _check_version(ev, expected_version)
        day = _valid_until(valid_until, ev, ctx, plan)
        if day == ev.valid_until:
            return ev
        before = audit.snapshot(ev)
        ev.valid_until = day
        session.add(ev)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action="evidence.edit", entity="evidence",
            entity_id=ev.id, label=str(ev.id), plan_id=plan.id, task_id=ev.task_id,
            before=before, after=audit.snapshot(ev),
        )
        return ev


def _doc_number(value: str) -> str:
    number = text_field(value, "doc", max_length=100)
    # Official numbers look like 123/QĐ-SGDĐT or 45/KH-SGDĐT; anything else is kept but must
    # at least hold a digit, so a title typed in the wrong field is caught.
    if not any(ch.isdigit() for ch in number):
        raise InputError(
            _('doc: "{value}" does not look like a document number (for example 123/QĐ-SGDĐT).').format(
                value=number
            )
        )
    return number


def _attach_target(session: Session, plan: Plan, ev: Evidence, target: str) -> str:
    text = target.strip()
    if re.fullmatch(r"\d+(\.\d+)*", text):
        crit = criterion_by_code(session, plan, text)
        ev.criterion_id = crit.id
        return f"criterion {crit.code}"
    task, occurrence = task_and_occurrence(session, plan, text)
    if task.recurrence and occurrence is None:
        dates = ", ".join(
            f"{task.code}@{o.due_on.isoformat()}"
            for o in session.exec(
                select(Occurrence).where(Occurrence.task_id == task.id).order_by(col(Occurrence.due_on))
            )
        )
        raise InputError(
            _("Task {code} recurs: name the occurrence, one of {dates}.").format(code=task.code, dates=dates)
        )
    status = occurrence.status if occurrence is not None else task.status
    if status == "cancelled" or task.status == "cancelled":
        raise InputError(_("{label} is cancelled: evidence cannot be added.").format(label=text))
    ev.task_id = task.id
    ev.occurrence_id = occurrence.id if occurrence is not None else None
    return text if occurrence is not None else task.code


def _submission_entry(session: Session, ev: Evidence) -> tuple[str, str] | None:
    from planner.store.models import ChangeLog

    row = session.exec(
        select(ChangeLog.actor, ChangeLog.real_actor).where(
            ChangeLog.entity == "evidence", ChangeLog.entity_id == str(ev.id),
            ChangeLog.action == "evidence.add").order_by(col(ChangeLog.id)).limit(1)).first()
    return (row[0], row[1]) if row is not None else None


def _submitters(session: Session, ev: Evidence) -> set[str]:
    """Everyone who submitted `ev`: the user named and, if they acted as that user, the
    person (from the change log)."""
    entry = _submission_entry(session, ev)
    return {ev.submitted_by, *(entry or ())} - {""}


def _submitted_by(session: Session, ev: Evidence) -> str:
    entry = _submission_entry(session, ev)
    if entry and entry[1]:
        return _("{person} acting as {user}").format(person=entry[1], user=entry[0])
    return ev.submitted_by


def _get(session: Session, plan: Plan, evidence_id: int) -> Evidence:
    ev = session.get(Evidence, evidence_id)
    if ev is None or ev.plan_id != plan.id:
        raise NotFound(_("No evidence with id {id}.").format(id=evidence_id))
    return ev


def _check_reviewer(session: Session, ctx: Context, ev: Evidence, right: str) -> None:
    """Coordinators review, and never evidence they submitted themselves (four eyes)."""
    permissions.require_coordinator(session, ctx, right)
    # Four eyes: the real people are compared, so nobody reviews their own evidence by acting
    # under another name.
    submitters = _submitters(session, ev)
    if ctx.enforce_permissions and {ctx.actor, ctx.person} & submitters:
        raise PermissionDenied(_own_evidence_message(session, ev, submitters))


def _check_version(ev: Evidence, expected_version: int | None) -> None:
    if expected_version is not None and ev.version != expected_version:
        raise ConflictError(
            _("Evidence {id} was changed by someone else since you opened it: reload and try again.").format(
                id=ev.id
            )
        )


def _latest_review(session: Session, ev: Evidence) -> EvidenceReview | None:
    return session.exec(
        select(EvidenceReview).where(EvidenceReview.evidence_id == ev.id)
        .order_by(col(EvidenceReview.on).desc(), col(EvidenceReview.id).desc()).limit(1)
    ).first()


def _review_day(session: Session, ev: Evidence, on: str | None, ctx: Context, plan: Plan,
                force: bool = False) -> date:
    """The business date of a new review event: in the plan's period (unless `force`), not
    before the submission, nor before the review it follows (the history is read in date
    order)."""
    day = plan_date_field(on, "on", plan=plan, today=ctx.today, work=ctx.work, force=force) \
        if on else ctx.today
    if day < ev.submitted_on:
        raise InputError(
            _("on: {day} is before the evidence was submitted ({sub}).").format(
                day=day.strftime("%d/%m/%Y"), sub=ev.submitted_on.strftime("%d/%m/%Y")
            )
        )
    last = _latest_review(session, ev)
    if last is not None and day < last.on:
        raise InputError(
            _("on: {day} is before the last review of evidence {id} ({last}); a review is dated "
              "on or after the one it follows.").format(
                day=day.strftime("%d/%m/%Y"), id=ev.id, last=last.on.strftime("%d/%m/%Y"))
        )
    return day


def _add_review(session: Session, ctx: Context, ev: Evidence, state: str, day: date,
                reason: str) -> None:
    now = utcnow()
    session.add(EvidenceReview(evidence_id=ev.id or 0, state=state, on=day, at=now,
                               by=ctx.actor, reason=reason))
    ev.state = state
    ev.reason = reason
    if state == "submitted":  # no decision stands: the row reads as awaiting review
        ev.reviewed_by, ev.reviewed_at, ev.reviewed_on = "", None, None
    else:
        ev.reviewed_by, ev.reviewed_at, ev.reviewed_on = ctx.actor, now, day
    session.add(ev)


def review(
    ctx: Context, evidence_id: int, decision: str, *, on: str | None = None, reason: str = "",
    expected_version: int | None = None, force: bool = False,
) -> Evidence:
    """Accept, reject (with a reason) or withdraw evidence that is waiting for review; a date
    `on` outside the plan year and its closing period is refused unless `force`."""
    if decision not in ("accepted", "rejected", "withdrawn"):
        raise InputError(_('Unknown decision "{d}".').format(d=decision))
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        ev = _get(session, plan, evidence_id)
        if decision == "withdrawn":
            if ev.submitted_by != ctx.actor:
                permissions.require_coordinator(session, ctx, _("withdrawing evidence someone else submitted"))
        else:
            _check_reviewer(session, ctx, ev, _("reviewing evidence"))
        _check_version(ev, expected_version)
        if ev.state != "submitted":
            raise InputError(
                _("Evidence {id} is already {state}{by}.").format(
                    id=ev.id, state=state_label(ev.state),
                    by=(" " + _("by {who} on {date}").format(
                        who=ev.reviewed_by, date=listing(ev.reviewed_on)))
                    if ev.reviewed_on else "",
                )
            )
        day = _review_day(session, ev, on, ctx, plan, force)
        clean_reason = long_text(reason, "reason")
        if decision == "rejected" and not clean_reason:
            raise InputError(_("reason: say why the evidence is rejected."))
        before = audit.snapshot(ev)
        if decision == "withdrawn":
            ev.state = decision
            ev.reviewed_by = ctx.actor
            ev.reviewed_at = utcnow()
            ev.reviewed_on = day
            ev.reason = clean_reason
            session.add(ev)
        else:
            _add_review(session, ctx, ev, decision, day, clean_reason)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action=f"evidence.{decision}", entity="evidence",
            entity_id=ev.id, label=str(ev.id), plan_id=plan.id, task_id=ev.task_id,
            before=before, after=audit.snapshot(ev),
        )
        return ev


def _own_evidence_message(session: Session, ev: Evidence, submitters: set[str]) -> str:
    """Four eyes: who submitted evidence (the people, not the names they acted under) does not
    review it; the message names who may."""
    others = session.exec(
        select(User).where(User.role == "coordinator", col(User.login).not_in(submitters))
        .order_by(col(User.login))
    ).all()
    refused = _("Permission denied: evidence cannot be reviewed by the person who submitted it "
                "({who}).").format(who=_submitted_by(session, ev))
    if not others:
        return refused + " " + _(
            "No other coordinator is registered: a coordinator can add one with "
            "`planner users add LOGIN --role coordinator`.")
    names = ", ".join(f"{u.login} ({u.name})" if u.name and u.name != u.login else u.login
                      for u in others)
    return refused + " " + ngettext(
        "The other coordinator may review it: {names}.",
        "One of the other coordinators may review it: {names}.", len(others)).format(names=names)


@dataclass(frozen=True)
class TakenBack:
    """A review decision taken back: the evidence as it now is, and what the decision was."""

    evidence: Evidence
    previous: str  # accepted | rejected
    on: date


def reopen_review(
    ctx: Context, evidence_id: int, *, reason: str, on: str | None = None,
    expected_version: int | None = None,
) -> TakenBack:
    """Take back the acceptance or rejection of evidence: it awaits review again.

    A new dated review event, so the score as of a date before it still counts the decision
    taken back; the reason is required and kept in the history and the change log.
    """
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        ev = _get(session, plan, evidence_id)
        _check_reviewer(session, ctx, ev, _("taking back a review"))
        _check_version(ev, expected_version)
        if ev.state == "submitted":
            raise InputError(
                _("Evidence {id} is awaiting review: there is no decision to take back.").format(id=ev.id))
        if ev.state == "withdrawn":
            raise InputError(
                _("Evidence {id} was withdrawn by whoever submitted it: there is no decision to take "
                  "back.").format(id=ev.id))
        clean_reason = long_text(reason, "reason")
        if not clean_reason:
            raise InputError(_("reason: say why the decision is taken back (the change log keeps it)."))
        day = _review_day(session, ev, on, ctx, plan)
        previous = ev.state
        action = "evidence.unaccept" if previous == "accepted" else "evidence.unreject"
        before = audit.snapshot(ev)
        _add_review(session, ctx, ev, "submitted", day, clean_reason)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action=action, entity="evidence", entity_id=ev.id,
            label=str(ev.id), plan_id=plan.id, task_id=ev.task_id, before=before,
            after={**(audit.snapshot(ev) or {}), "on": day.isoformat()},
        )
        return TakenBack(ev, previous, day)


@dataclass(frozen=True)
class ReviewEntry:
    """One review event as `evidence show` lists it."""

    state: str
    on: date
    by: str
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"state": self.state, "on": self.on.isoformat(), "by": self.by, "reason": self.reason}


def review_history(ctx: Context, evidence_id: int) -> list[ReviewEntry]:
    """The review events of one piece of evidence, in date order."""
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        ev = _get(session, plan, evidence_id)
        return [
            ReviewEntry(r.state, r.on, r.by, r.reason)
            for r in session.exec(
                select(EvidenceReview).where(EvidenceReview.evidence_id == ev.id)
                .order_by(col(EvidenceReview.on), col(EvidenceReview.id)))
        ]


def list_evidence(
    ctx: Context, *, target: str | None = None, state: str | None = None, office: str | None = None,
    as_of: date | None = None,
) -> list[EvidenceRow]:
    """The evidence as it stands; with `as_of`, as it stood on that day: only what had been
    submitted by then, each in the state its reviews (and take-backs) gave it then."""
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        if as_of is None:
            return evidence_rows(session, plan, target=target, state=state, office=office)
        from planner.services.facts import load_reviews

        rows = evidence_rows(session, plan, target=target, office=office)
        reviews = load_reviews(session.connection(), [r.id for r in rows])
    then = [_row_as_of(row, reviews.get(row.id, ()), as_of) for row in rows]
    return [row for row in then if row is not None and (state is None or row.state == state)]


def _row_as_of(row: EvidenceRow, reviews: tuple[Any, ...], as_of: date) -> EvidenceRow | None:
    from dataclasses import replace

    from planner.domain.facts import evidence_fact
    from planner.domain.occurrences import review_as_of

    withdrawn_on = row.reviewed_on if row.state == "withdrawn" else None
    standing = review_as_of(evidence_fact(row.id, row.submitted_on, withdrawn_on, reviews,
                                          row.valid_until), as_of)
    if standing.state == "not_submitted":
        return None
    if standing.state == row.state:
        return row
    # Who reviewed then is not kept with the review events: left blank rather than guessed.
    reviewed = standing.state in ("accepted", "rejected", "withdrawn")
    return replace(row, state=standing.state, reviewed_on=standing.on if reviewed else None,
                   reason=standing.reason, reviewed_by="")


def get_evidence(ctx: Context, evidence_id: int) -> EvidenceRow:
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        _get(session, plan, evidence_id)
        return evidence_rows(session, plan, ids=[evidence_id])[0]


def attachment(ctx: Context, evidence_id: int) -> tuple[str, bytes]:
    """The attached file's name and bytes, verified against the stored SHA-256."""
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        ev = _get(session, plan, evidence_id)
        if not ev.blob_sha256:
            raise InputError(_("Evidence {id} has no attached file.").format(id=ev.id))
        blob = session.get(Blob, ev.blob_sha256)
        if blob is None:
            raise InputError(_("Evidence {id}: the attached file is missing from the database.").format(id=ev.id))
        content = bytes(blob.content)
        if hashlib.sha256(content).hexdigest() != blob.sha256:
            from planner.services.errors import CheckFailed

            raise CheckFailed(
                _("Evidence {id}: the attached file does not match its SHA-256; the database is damaged "
                  "(run `planner check`).").format(id=ev.id)
            )
        return ev.filename, content
