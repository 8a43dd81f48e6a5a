"""Indicators and their readings; condition confirmations, manual entries, criterion owners."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from planner.domain import criterion_params
from planner.i18n import _
from planner.services import audit, permissions
from planner.services.context import Context
from planner.services.errors import InputError
from planner.services.inputs import (
    long_text,
    number_field,
    parse_reading,
    plan_date_field,
    text_field,
)
from planner.services.lookup import criterion_by_code, indicator_by_code, office_by_code
from planner.services.plans import get_plan
from planner.services.vocabulary import method_label
from planner.store.clock import utcnow
from planner.store.models import Confirmation, Criterion, Indicator, ManualEntry, Reading

UNITS = ("percent", "count", "ratio")
DIRECTIONS = ("higher", "lower")


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    direction: str
    target: float | None
    computed: str | None
    criteria: tuple[str, ...]
    readings: tuple[Reading, ...]


def list_indicators(ctx: Context, as_of: date | None = None) -> list[IndicatorRow]:
    """The plan's indicators with their readings; with `as_of`, only the readings taken by
    then (the TUI shows an earlier week as it was)."""
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        inds = list(session.exec(select(Indicator).where(Indicator.plan_id == plan.id).order_by(col(Indicator.id))))
        crits: dict[int, list[str]] = {}
        for code, ind_id in session.exec(
            select(Criterion.code, Criterion.indicator_id).where(
                Criterion.plan_id == plan.id, col(Criterion.indicator_id).is_not(None)
            )
        ):
            crits.setdefault(ind_id or 0, []).append(code)
        readings: dict[int, list[Reading]] = {}
        for r in session.exec(
            select(Reading).join(Indicator, col(Indicator.id) == Reading.indicator_id)
            .where(Indicator.plan_id == plan.id,
                   *((col(Reading.on) <= as_of,) if as_of is not None else ()))
            .order_by(col(Reading.on), col(Reading.id))
        ):
            readings.setdefault(r.indicator_id, []).append(r)
        return [
            IndicatorRow(i.code, i.name, i.unit, i.direction, i.target, i.computed,
                         tuple(crits.get(i.id or 0, ())), tuple(readings.get(i.id or 0, ())))
            for i in inds
        ]


def add_reading(ctx: Context, indicator: str, value: str, *, on: str | None = None, source: str = "",
                force: bool = False) -> Reading:
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        ind = indicator_by_code(session, plan, indicator)
        require_indicator_owner(session, ctx, ind)
        if ind.computed:
            raise InputError(
                _("Indicator {code} is computed from the plan; it takes no readings.").format(code=ind.code)
            )
        number_value, numerator, denominator = reading_values(ind, value)
        day = plan_date_field(on, "date", plan=plan, today=ctx.today, work=ctx.work,
                              force=force) if on else ctx.today
        reading = Reading(
            indicator_id=ind.id or 0, on=day, value=number_value, numerator=numerator,
            denominator=denominator, source=text_field(source, "source", required=False),
            recorded_by=ctx.actor, recorded_at=utcnow(),
        )
        session.add(reading)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action="reading.add", entity="reading", entity_id=reading.id,
            label=ind.code, plan_id=plan.id, after=audit.snapshot(reading),
        )
        return reading


def reading_values(ind: Indicator, value: str) -> tuple[float | None, float | None, float | None]:
    """A typed reading (`97,5%`, `97.5`, `123/130`) checked against the indicator's unit:
    (value, numerator, denominator); no value when counts have a zero denominator."""
    number, numerator, denominator = parse_reading(value)
    if numerator is not None and denominator == 0:
        return None, numerator, denominator
    _check_range(ind, number, value)
    return number, numerator, denominator


def require_indicator_owner(session: Session, ctx: Context, ind: Indicator,
                            right: str | None = None) -> None:
    """Coordinators, or members of an office that answers for a criterion read by `ind`."""
    actor = permissions.current_actor(session, ctx) if ctx.enforce_permissions else None
    if actor is None or actor.role == "coordinator":
        return
    owners = set(session.exec(select(Criterion.lead_office_id).where(Criterion.indicator_id == ind.id)))
    if actor.role == "office_member" and actor.office_id in owners:
        return
    permissions.require_coordinator(
        session, ctx, right or _("recording a reading of {code}").format(code=ind.code))


def _check_range(ind: Indicator, number: float, typed: str) -> None:
    if math.isnan(number) or math.isinf(number):
        raise InputError(_('value: "{v}" is not a number.').format(v=typed))
    if ind.unit == "percent" and not 0 <= number <= 100:
        raise InputError(
            _("value: {v} is outside 0–100 % for {code}.").format(v=typed.strip(), code=ind.code)
        )
    if ind.unit == "ratio" and not 0 <= number <= 1:
        raise InputError(_("value: {v} is outside 0–1 for {code}.").format(v=typed.strip(), code=ind.code))
    if ind.unit == "count" and number < 0:
        raise InputError(_("value: {v} is negative for {code}.").format(v=typed.strip(), code=ind.code))


def confirm(ctx: Context, criterion: str, outcome: str, *, on: str | None = None, note: str = "",
            force: bool = False) -> Confirmation:
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        crit = criterion_by_code(session, plan, criterion)
        permissions.require_coordinator(session, ctx, _("confirming a condition"))
        if crit.method != "condition":
            raise InputError(
                _("Criterion {code} is scored by {method}, not by a confirmed condition.").format(
                    code=crit.code, method=method_label(crit.method)
                )
            )
        outcomes = criterion_params.outcomes(criterion_params.decode(crit.params))
        keys = [o["key"] for o in outcomes]
        wanted = outcome.strip()
        match = next((o for o in outcomes if wanted in (o["key"], o.get("label"))), None)
        if match is None:
            raise InputError(
                _('Unknown outcome "{o}" for {code} (one of: {keys}).').format(
                    o=outcome, code=crit.code, keys=", ".join(keys)
                )
            )
        day = plan_date_field(on, "on", plan=plan, today=ctx.today, work=ctx.work,
                              force=force) if on else ctx.today
        row = Confirmation(
            criterion_id=crit.id or 0, outcome=match["key"], on=day, note=long_text(note, "note"),
            by=ctx.actor, at=utcnow(),
        )
        session.add(row)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action="criterion.confirm", entity="confirmation",
            entity_id=row.id, label=crit.code, plan_id=plan.id, after=audit.snapshot(row),
        )
        return row


def outcome_label(params: str | None, key: str) -> str:
    """The words of a condition's outcome (`yes` -> "Có"), as the plan names it."""
    return criterion_params.outcome_label(criterion_params.decode(params), key)


def outcome_label_of(ctx: Context, criterion: str, key: str) -> str:
    with ctx.db.read() as session:
        crit = criterion_by_code(session, get_plan(session, ctx.plan_year), criterion)
        return outcome_label(crit.params, key)


def enter_manual(ctx: Context, criterion: str, value: str, *, on: str | None = None, note: str = "",
                 force: bool = False) -> ManualEntry:
    """Points (`16.5`) or a percentage of the maximum (`81%`) for a `manual` criterion."""
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        crit = criterion_by_code(session, plan, criterion)
        permissions.require_coordinator(session, ctx, _("entering points by hand"))
        if crit.method != "manual":
            raise InputError(
                _("Criterion {code} is scored by {method}; only manual criteria take entered points.").format(
                    code=crit.code, method=crit.method
                )
            )
        text = value.strip()
        percent: float | None = None
        if text.endswith("%"):
            percent = number_field(text[:-1], "points")
            if not 0 <= percent <= 100:
                raise InputError(_("points: {v} is outside 0–100 %.").format(v=text))
            points = crit.max_points * percent / 100
        else:
            points = number_field(text, "points")
            if not 0 <= points <= crit.max_points:
                raise InputError(
                    _("points: {v} is outside 0–{max} for {code}.").format(
                        v=text, max=f"{crit.max_points:g}", code=crit.code
                    )
                )
        day = plan_date_field(on, "on", plan=plan, today=ctx.today, work=ctx.work,
                              force=force) if on else ctx.today
        row = ManualEntry(
            criterion_id=crit.id or 0, points=points, percent=percent, on=day,
            note=long_text(note, "note"), by=ctx.actor, at=utcnow(),
        )
        session.add(row)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action="criterion.enter", entity="manual_entry",
            entity_id=row.id, label=crit.code, plan_id=plan.id, after=audit.snapshot(row),
        )
        return row


def set_owner(ctx: Context, criterion: str, office: str) -> Criterion:
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        crit = criterion_by_code(session, plan, criterion)
        permissions.require_coordinator(session, ctx, _("naming a criterion's owner"))
        before = audit.snapshot(crit)
        if office.strip().lower() in ("", "none", "-"):
            crit.lead_office_id = None
        else:
            crit.lead_office_id = office_by_code(session, office).id
        session.add(crit)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action="criterion.owner", entity="criterion",
            entity_id=crit.id, label=crit.code, plan_id=plan.id, before=before, after=audit.snapshot(crit),
        )
        return crit


def save_indicator(
    ctx: Context, code: str, *, name: str | None = None, unit: str | None = None,
    direction: str | None = None, target: str | None = None, create: bool = False,
) -> Indicator:
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        permissions.require_coordinator(session, ctx, _("changing indicators"))
        existing = session.exec(
            select(Indicator).where(Indicator.plan_id == plan.id, Indicator.code == code.strip())
        ).first()
        if create:
            if existing is not None:
                raise InputError(_('Indicator "{code}" already exists.').format(code=code))
            ind = Indicator(plan_id=plan.id or 0, code=text_field(code, "code", max_length=40),
                            name=text_field(name or "", "name"))
            before = None
        else:
            ind = indicator_by_code(session, plan, code)
            before = audit.snapshot(ind)
            if name is not None:
                ind.name = text_field(name, "name")
        if unit is not None:
            if unit not in UNITS:
                raise InputError(_('unit: "{u}" is not one of {units}.').format(u=unit, units=", ".join(UNITS)))
            ind.unit = unit
        if direction is not None:
            if direction not in DIRECTIONS:
                raise InputError(
                    _('direction: "{d}" is not one of {ds}.').format(d=direction, ds=", ".join(DIRECTIONS))
                )
            ind.direction = direction
        if target is not None:
            ind.target = None if not target.strip() else number_field(target.rstrip("%"), "target")
        session.add(ind)
        session.flush()
        audit.record(
            session, actor=ctx.actor, real_actor=ctx.real_actor, action="indicator.add" if create else "indicator.edit",
            entity="indicator", entity_id=ind.id, label=ind.code, plan_id=plan.id,
            before=before, after=audit.snapshot(ind),
        )
        return ind


def set_bands(ctx: Context, criterion: str, bands: str) -> Criterion:
    """Bands of a threshold criterion as `100:1.5,80:1,70:0.5` (bound:points)."""
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        crit = criterion_by_code(session, plan, criterion)
        permissions.require_coordinator(session, ctx, _("changing bands"))
        if crit.method != "threshold":
            raise InputError(_("Criterion {code} has no bands: it is scored by {method}.").format(
                code=crit.code, method=crit.method))
        parsed: list[list[float]] = []
        for part in bands.split(","):
            bound, sep, points = part.partition(":")
            if not sep:
                raise InputError(_('bands: "{p}" is not bound:points.').format(p=part.strip()))
            pts = number_field(points, "bands")
            if not 0 <= pts <= crit.max_points:
                raise InputError(_("bands: {p} points is outside 0–{max}.").format(p=points, max=f"{crit.max_points:g}"))
            parsed.append([number_field(bound.rstrip("%"), "bands"), pts])
        before = audit.snapshot(crit)
        crit.params = criterion_params.encode(
            criterion_params.with_bands(criterion_params.decode(crit.params), parsed))
        session.add(crit)
        session.flush()
        audit.record(session, actor=ctx.actor, real_actor=ctx.real_actor, action="criterion.bands", entity="criterion",
                     entity_id=crit.id, label=crit.code, plan_id=plan.id, before=before,
                     after=audit.snapshot(crit))
        return crit
