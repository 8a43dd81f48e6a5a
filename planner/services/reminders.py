"""The record of reminders delivered (`reminder_sent`), so `report due --send` never sends one
twice: read before a run, written after each office's message is delivered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from planner.services import audit
from planner.services.context import Context
from planner.services.plans import get_plan
from planner.store.clock import utcnow
from planner.store.models import Office, ReminderSent


@dataclass(frozen=True, order=True)
class ReminderKey:
    """What a reminder is about: the office, the occurrence, deadline or expiry, the date
    and the threshold (`domain.reminders`)."""

    office: str
    occurrence_key: str
    kind: str
    due_on: date
    threshold: int


def sent_keys(ctx: Context) -> set[ReminderKey]:
    """Every reminder of the plan delivered so far."""
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        rows = session.execute(
            select(Office.code, ReminderSent.occurrence_key, ReminderSent.kind,
                   ReminderSent.due_on, ReminderSent.threshold)
            .join(Office, col(Office.id) == ReminderSent.office_id)
            .where(ReminderSent.plan_id == plan.id)
        )
        return {ReminderKey(*row) for row in rows}


def record_sent(ctx: Context, keys: Iterable[ReminderKey], sent_on: date) -> int:
    """Record delivered reminders (one transaction); keys already recorded are skipped, so two
    runs racing each other cannot fail on the unique key."""
    wanted = sorted(set(keys))
    if not wanted:
        return 0
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        offices = {o.code: o.id for o in session.exec(select(Office))}
        present = {
            ReminderKey(code, key, kind, on, threshold)
            for code, key, kind, on, threshold in session.execute(
                select(Office.code, ReminderSent.occurrence_key, ReminderSent.kind,
                       ReminderSent.due_on, ReminderSent.threshold)
                .join(Office, col(Office.id) == ReminderSent.office_id)
                .where(ReminderSent.plan_id == plan.id)
            )
        }
        now = utcnow()
        added = 0
        for k in wanted:
            office_id = offices.get(k.office)
            if k in present or office_id is None:
                continue
            session.add(ReminderSent(
                plan_id=plan.id or 0, office_id=office_id, occurrence_key=k.occurrence_key,
                kind=k.kind, due_on=k.due_on, threshold=k.threshold, sent_on=sent_on,
                sent_at=now,
            ))
            added += 1
        if added:
            session.flush()
            # One entry for the run: which reminders went out (the rows are named in it).
            audit.record(
                session, actor=ctx.actor, real_actor=ctx.real_actor, action="reminder.sent",
                entity="reminder_sent",
                entity_id=sent_on.isoformat(), label=", ".join(sorted({k.office for k in wanted})),
                plan_id=plan.id, after={"sent_on": sent_on.isoformat(), "reminders": added},
            )
        return added
