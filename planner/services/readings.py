"""Readings of the plan's indicators: list them, correct one, delete one.

A correction replaces the figure for the reading's own date, retroactively: every score as of
that date or later changes, and the change log keeps the old figure with the reason given.
(Recording a new reading is `indicators.add_reading`.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from planner.domain import facts
from planner.domain.indicators import reading_value
from planner.i18n import _
from planner.services import audit
from planner.services.context import Context
from planner.services.errors import ConflictError, InputError, NotFound
from planner.services.indicators import reading_values, require_indicator_owner
from planner.services.inputs import date_field, long_text, text_field
from planner.services.lookup import indicator_by_code
from planner.services.plans import get_plan
from planner.store.models import Indicator, Plan, Reading


@dataclass(frozen=True)
class ReadingRow:
    """One reading as `planner reading list` shows it."""

    id: int
    indicator: str
    name: str
    unit: str
    on: date
    value: float | None
    numerator: float | None
    denominator: float | None
    source: str
    recorded_by: str
    recorded_at: datetime
    version: int

    @property
    def effective_value(self) -> float | None:
        """The value scoring reads: as recorded, or computed from the counts."""
        return reading_value(facts.Reading(self.indicator, self.on, self.value, self.numerator,
                                           self.denominator), self.unit)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "indicator": self.indicator, "on": self.on.isoformat(),
            "value": self.value, "numerator": self.numerator, "denominator": self.denominator,
            "unit": self.unit, "source": self.source, "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at.isoformat(), "version": self.version,
        }


def list_readings(ctx: Context, *, indicator: str | None = None) -> list[ReadingRow]:
    """The plan's readings, by indicator then date (of one indicator if named)."""
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        query = (
            select(Reading, Indicator)
            .join(Indicator, col(Indicator.id) == Reading.indicator_id)
            .where(Indicator.plan_id == plan.id)
            .order_by(col(Indicator.id), col(Reading.on), col(Reading.id))
        )
        if indicator:
            query = query.where(Indicator.id == indicator_by_code(session, plan, indicator).id)
        return [
            ReadingRow(r.id or 0, i.code, i.name, i.unit, r.on, r.value, r.numerator,
                       r.denominator, r.source, r.recorded_by, r.recorded_at, r.version)
            for r, i in session.exec(query)
        ]


def _get(session: Session, plan: Plan, reading_id: int) -> tuple[Reading, Indicator]:
    found = session.exec(
        select(Reading, Indicator).join(Indicator, col(Indicator.id) == Reading.indicator_id)
        .where(Reading.id == reading_id, Indicator.plan_id == plan.id)
    ).first()
    if found is None:
        raise NotFound(_("No reading with id {id} in the {year} plan (`planner reading list` "
                         "shows their ids).").format(id=reading_id, year=plan.year))
    return found


def _check_version(reading: Reading, expected: int | None) -> None:
    if expected is not None and reading.version != expected:
        raise ConflictError(
            _("Reading {id} was changed by someone else since you opened it (version {old} → "
              "{new}): reload and try again.").format(id=reading.id, old=expected,
                                                     new=reading.version))


def _reason(reason: str, what: str) -> str:
    clean = long_text(reason, "reason")
    if not clean:
        raise InputError(what)
    return clean


def correct_reading(
    ctx: Context, reading_id: int, *, reason: str, value: str | None = None,
    on: str | None = None, source: str | None = None, expected_version: int | None = None,
) -> Reading:
    """Replace a reading's figure (and, if given, its date or source); the reason is required
    and the change log keeps the old figure."""
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        reading, ind = _get(session, plan, reading_id)
        require_indicator_owner(session, ctx, ind,
                                _("correcting a reading of {code}").format(code=ind.code))
        _check_version(reading, expected_version)
        if value is None and on is None and source is None:
            raise InputError(_("Give the corrected value, date or source."))
        clean_reason = _reason(reason, _("reason: say why the reading is corrected (the change "
                                         "log keeps it with the old figure)."))
        before = audit.snapshot(reading) or {}
        if value is not None:
            reading.value, reading.numerator, reading.denominator = reading_values(ind, value)
        if on is not None:
            reading.on = date_field(on, "date", today=ctx.today, year=plan.year)
        if source is not None:
            reading.source = text_field(source, "source", required=False)
        after = audit.snapshot(reading) or {}
        if {k: v for k, v in after.items() if k != "version"} == \
                {k: v for k, v in before.items() if k != "version"}:
            raise InputError(_("Reading {id} already has these values: nothing to correct.").format(
                id=reading.id))
        session.add(reading)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action="reading.edit", entity="reading",
            entity_id=reading.id, label=ind.code, plan_id=plan.id, before=before,
            after={**(audit.snapshot(reading) or {}), "reason": clean_reason},
        )
        return reading


def delete_reading(ctx: Context, reading_id: int, *, reason: str,
                   expected_version: int | None = None) -> Reading:
    """Delete a reading recorded by mistake; the change log keeps it with the reason."""
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        reading, ind = _get(session, plan, reading_id)
        require_indicator_owner(session, ctx, ind,
                                _("deleting a reading of {code}").format(code=ind.code))
        _check_version(reading, expected_version)
        clean_reason = _reason(reason, _("reason: say why the reading is deleted (the change log "
                                         "keeps it with the reading)."))
        before = {**(audit.snapshot(reading) or {}), "reason": clean_reason}
        session.delete(reading)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action="reading.delete", entity="reading",
            entity_id=reading.id, label=ind.code, plan_id=plan.id, before=before,
        )
        return reading
