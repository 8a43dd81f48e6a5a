"""Completion evidence: documents, files and links, submitted and then reviewed."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from planner.domain.dates import listing
from planner.i18n import _
from planner.services import audit, permissions
from planner.services.context import Context
from planner.services.errors import InputError, NotFound, PermissionDenied
from planner.services.evidence_rows import EvidenceRow, evidence_rows, state_label
from planner.services.inputs import date_field, long_text, text_field
from planner.services.lookup import criterion_by_code, task_and_occurrence
from planner.services.plans import get_plan
from planner.store.clock import utcnow
from planner.store.models import Blob, Evidence, Occurrence, Plan, Task

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


def _read_file(ctx: Context, path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(_("file: cannot read {path}: {reason}").format(path=path, reason=exc.strerror)) from exc
    if not path.is_file():
        raise InputError(_("file: {path} is not a regular file.").format(path=path))
    if size > ctx.max_attachment_bytes:
        raise InputError(
            _("file: {path} is {size} MB, over the limit of {limit} MB.").format(
                path=path, size=f"{size / 1048576:.1f}", limit=f"{ctx.max_attachment_bytes / 1048576:g}"
            )
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(_("file: cannot read {path}: {reason}").format(path=path, reason=exc.strerror)) from exc


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
        ev.submitted_on = date_field(data.on, "on", today=ctx.today, year=plan.year)
    ev.title = text_field(data.title, "title", required=False)
    ev.note = long_text(data.note, "note")
    if data.doc_number.strip():
        ev.kind = "document"
        ev.doc_number = _doc_number(data.doc_number)
        ev.issuer = text_field(data.issuer, "issuer", required=False)
        if data.doc_date.strip():
            ev.doc_date = date_field(data.doc_date, "date", today=ctx.today, year=plan.year)
    elif data.doc_date.strip() or data.issuer.strip():
        raise InputError(_("--date and --issuer describe a document: give its number with --doc."))
    if data.url.strip():
        url = data.url.strip()
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
        session, actor=ctx.actor, action="evidence.add", entity="evidence", entity_id=ev.id,
        label=label, plan_id=plan.id, task_id=ev.task_id, after=audit.snapshot(ev),
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


def _get(session: Session, plan: Plan, evidence_id: int) -> Evidence:
    ev = session.get(Evidence, evidence_id)
    if ev is None or ev.plan_id != plan.id:
        raise NotFound(_("No evidence with id {id}.").format(id=evidence_id))
    return ev


def review(
    ctx: Context, evidence_id: int, decision: str, *, on: str | None = None, reason: str = "",
    expected_version: int | None = None,
) -> Evidence:
    """Accept, reject (with a reason) or withdraw evidence that is waiting for review."""
    if decision not in ("accepted", "rejected", "withdrawn"):
        raise InputError(_('Unknown decision "{d}".').format(d=decision))
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        ev = _get(session, plan, evidence_id)
        if decision == "withdrawn":
            if ev.submitted_by != ctx.actor:
                permissions.require_coordinator(session, ctx, _("withdrawing evidence someone else submitted"))
        else:
            permissions.require_coordinator(session, ctx, _("reviewing evidence"))
            if ev.submitted_by == ctx.actor and ctx.enforce_permissions:
                raise PermissionDenied(
                    _("Permission denied: evidence cannot be reviewed by the person who submitted it ({who}).").format(
                        who=ev.submitted_by))
        if expected_version is not None and ev.version != expected_version:
            from planner.services.errors import ConflictError

            raise ConflictError(
                _("Evidence {id} was changed by someone else since you opened it: reload and try again.").format(
                    id=ev.id
                )
            )
        if ev.state != "submitted":
            raise InputError(
                _("Evidence {id} is already {state}{by}.").format(
                    id=ev.id, state=state_label(ev.state),
                    by=(" " + _("by {who} on {date}").format(
                        who=ev.reviewed_by, date=listing(ev.reviewed_on)))
                    if ev.reviewed_on else "",
                )
            )
        day = date_field(on, "on", today=ctx.today, year=plan.year) if on else ctx.today
        if day < ev.submitted_on:
            raise InputError(
                _("on: {day} is before the evidence was submitted ({sub}).").format(
                    day=listing(day), sub=listing(ev.submitted_on)
                )
            )
        clean_reason = long_text(reason, "reason")
        if decision == "rejected" and not clean_reason:
            raise InputError(_("reason: say why the evidence is rejected."))
        before = audit.snapshot(ev)
        ev.state = decision
        ev.reviewed_by = ctx.actor
        ev.reviewed_at = utcnow()
        ev.reviewed_on = day
        ev.reason = clean_reason
        session.add(ev)
        session.flush()
        audit.record(
            session, actor=ctx.actor, action=f"evidence.{decision}", entity="evidence",
            entity_id=ev.id, label=str(ev.id), plan_id=plan.id, task_id=ev.task_id,
            before=before, after=audit.snapshot(ev),
        )
        return ev


def list_evidence(
    ctx: Context, *, target: str | None = None, state: str | None = None, office: str | None = None,
) -> list[EvidenceRow]:
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        return evidence_rows(session, plan, target=target, state=state, office=office)


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
