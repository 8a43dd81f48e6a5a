"""Offices (divisions) and the accountability board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from planner.domain.accountability import OfficeRecord, office_board
from planner.i18n import _
from planner.services import audit, permissions
from planner.services.context import Context
from planner.services.errors import InputError
from planner.services.inputs import text_field
from planner.services.lookup import office_by_code
from planner.services.scores import plan_score
from planner.store.models import Office


@dataclass(frozen=True)
class BoardRow:
    office: Office
    record: OfficeRecord


def list_offices(ctx: Context) -> list[Office]:
    with ctx.db.read() as session:
        return list(session.exec(select(Office).order_by(col(Office.position), col(Office.id))))


def board(ctx: Context, as_of: date | None = None) -> list[BoardRow]:
    offices = list_offices(ctx)
    result = plan_score(ctx, as_of)
    records = office_board(result.facts, result.score, result.as_of, [o.code for o in offices])
    return [BoardRow(o, r) for o, r in zip(offices, records, strict=True)]


def _email(value: str) -> str:
    value = value.strip()
    if value and ("@" not in value or " " in value or len(value) > 254):
        raise InputError(_('email: "{v}" is not an email address.').format(v=value))
    return value


def save_office(
    ctx: Context, code: str, *, name: str | None = None, aliases: list[str] | None = None,
    head_name: str | None = None, head_title: str | None = None, email: str | None = None,
    create: bool = False,
) -> Office:
    with ctx.db.write() as session:
        permissions.require_coordinator(session, ctx, _("changing offices"))
        if create:
            clean_code = text_field(code, "code", max_length=20)
            if " " in clean_code:
                raise InputError(_("code: an office code has no spaces."))
            if session.exec(select(Office).where(Office.code == clean_code)).first():
                raise InputError(_('Office "{code}" already exists.').format(code=clean_code))
            last = session.exec(select(Office.position).order_by(col(Office.position).desc())).first()
            office = Office(code=clean_code, name=text_field(name or "", "name"), position=(last or 0) + 1)
            before = None
        else:
            office = office_by_code(session, code)
            before = audit.snapshot(office)
            if name is not None:
                office.name = text_field(name, "name")
        if aliases is not None:
            office.aliases = "\n".join(text_field(a, "alias") for a in aliases if a.strip())
        if head_name is not None:
            office.head_name = text_field(head_name, "head", required=False)
        if head_title is not None:
            office.head_title = text_field(head_title, "head title", required=False)
        if email is not None:
            office.email = _email(email)
        session.add(office)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action="office.add" if create else "office.edit", entity="office",
            entity_id=office.id, label=office.code, before=before, after=audit.snapshot(office),
        )
        return office
