"""A criterion's applicability, method and indicator, and what the criteria tree still lacks.

After the province's index is imported, the coordinator confirms or changes what was read from
it: marks criteria not applicable to the department, changes an inferred scoring method, and
gives each `threshold` criterion the indicator it is read from. `criteria_gaps` lists what
still stops a criterion from scoring, for the import's summary, `planner criterion gaps` and
the criteria screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from planner.domain import criterion_params
from planner.domain.criterion_params import METHODS
from planner.domain.guidance import infer_method, method_parameters
from planner.i18n import _
from planner.services import audit, permissions
from planner.services.context import Context
from planner.services.errors import InputError
from planner.services.inputs import text_field
from planner.services.lookup import criterion_by_code, indicator_by_code
from planner.services.plans import get_plan
from planner.store.models import Criterion, Indicator, TaskCriterion

__all__ = ["METHODS", "Gap", "criteria_gaps", "set_applicable", "set_indicator", "set_method"]


def _leaf(session: Any, crit: Criterion) -> None:
    has_children = session.execute(
        select(func.count()).select_from(Criterion).where(col(Criterion.parent_id) == crit.id)
    ).scalar()
    if has_children:
        raise InputError(_("{code} has sub-criteria: it is scored as their sum, not by a method of "
                           "its own.").format(code=crit.code))


def set_applicable(ctx: Context, code: str, applicable: bool) -> Criterion:
    """Mark a criterion (and so everything under it) applicable or not to the unit."""
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        crit = criterion_by_code(session, plan, code)
        permissions.require_coordinator(session, ctx, _("marking a criterion not applicable"))
        before = audit.snapshot(crit)
        crit.applicable = applicable
        session.add(crit)
        session.flush()
        audit.record(session, actor=ctx.actor, action="criterion.applicable", entity="criterion",
                     entity_id=crit.id, label=crit.code, plan_id=plan.id, before=before,
                     after=audit.snapshot(crit))
        return crit


def set_method(ctx: Context, code: str, method: str) -> Criterion:
    """Change a leaf's scoring method; its parameters come from its guidance (or defaults).
    The indicator of a `threshold` criterion is kept."""
    method = method.strip().lower()
    if method not in METHODS:
        raise InputError(_('"{method}" is not a method (one of {methods}).').format(
            method=method, methods=", ".join(METHODS)))
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        crit = criterion_by_code(session, plan, code)
        permissions.require_coordinator(session, ctx, _("changing a scoring method"))
        _leaf(session, crit)
        before = audit.snapshot(crit)
        if crit.method != method:
            crit.method = method
            inferred = infer_method(crit.title, crit.guidance, crit.max_points)
            crit.params = criterion_params.encode(
                method_parameters(method, crit.max_points, inferred))
        session.add(crit)
        session.flush()
        audit.record(session, actor=ctx.actor, action="criterion.method", entity="criterion",
                     entity_id=crit.id, label=crit.code, plan_id=plan.id, before=before,
                     after=audit.snapshot(crit))
        return crit


def set_indicator(ctx: Context, code: str, indicator: str, *, name: str | None = None,
                  unit: str = "percent", computed: str | None = None
                  ) -> tuple[Criterion, Indicator, bool]:
    """Read a `threshold` criterion from an indicator; with `name`, the indicator is created
    when the plan has none of that code. Returns (criterion, indicator, created)."""
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        crit = criterion_by_code(session, plan, code)
        permissions.require_coordinator(session, ctx, _("choosing a criterion's indicator"))
        if crit.method != "threshold":
            raise InputError(_("{code} is scored by {method}: only threshold criteria read an "
                               "indicator (change it with `planner criterion method {code} "
                               "threshold`).").format(code=crit.code, method=crit.method))
        created = False
        existing = session.execute(select(Indicator).where(
            col(Indicator.plan_id) == plan.id, col(Indicator.code) == indicator.strip())
        ).scalar_one_or_none()
        if existing is None and name is not None:
            params = criterion_params.decode(crit.params)
            existing = Indicator(plan_id=plan.id or 0,
                                 code=text_field(indicator, "indicator", max_length=40),
                                 name=text_field(name, "name"), unit=unit,
                                 direction=params.get("direction", "higher"), computed=computed)
            session.add(existing)
            session.flush()
            audit.record(session, actor=ctx.actor, action="indicator.add", entity="indicator",
                         entity_id=existing.id, label=existing.code, plan_id=plan.id,
                         after=audit.snapshot(existing))
            created = True
        ind = existing if existing is not None else indicator_by_code(session, plan, indicator)
        before = audit.snapshot(crit)
        crit.indicator_id = ind.id
        session.add(crit)
        session.flush()
        audit.record(session, actor=ctx.actor, action="criterion.indicator", entity="criterion",
                     entity_id=crit.id, label=crit.code, plan_id=plan.id, before=before,
                     after=audit.snapshot(crit))
        return crit, ind, created


# The words of each kind of gap (called when shown: the language is chosen at run time).
_GAP_TEXT = {
    "indicator": lambda: _("no indicator"),
    "bands": lambda: _("no bands"),
    "outcomes": lambda: _("no outcomes"),
}


@dataclass(frozen=True)
class Gap:
    """Something a criterion lacks before it can score: `kind` is a slug (`indicator`,
    `bands`, `outcomes`, `tasks`), `text` the words shown."""

    code: str
    title: str
    method: str
    kind: str
    text: str


def criteria_gaps(ctx: Context) -> list[Gap]:
    """Every applicable leaf that cannot score yet: a threshold without indicator or bands, a
    condition without outcomes, a `tasks` criterion no task is linked to."""
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        rows = list(session.execute(
            select(Criterion.id, Criterion.parent_id, Criterion.code, Criterion.title,
                   Criterion.method, Criterion.params, Criterion.indicator_id,
                   Criterion.applicable)
            .where(Criterion.plan_id == plan.id)
            .order_by(col(Criterion.position), col(Criterion.id))))
        linked = set(session.execute(
            select(TaskCriterion.criterion_id).join(
                Criterion, col(Criterion.id) == TaskCriterion.criterion_id)
            .where(Criterion.plan_id == plan.id)).scalars())
    parents = {r.parent_id for r in rows}
    by_id = {r.id: r for r in rows}

    def applicable(row: Any) -> bool:
        while row is not None:
            if not row.applicable:
                return False
            row = by_id.get(row.parent_id)
        return True

    out: list[Gap] = []
    for r in rows:
        if r.id in parents or not applicable(r):
            continue
        lacks = criterion_params.missing(r.method, criterion_params.decode(r.params),
                                         has_indicator=r.indicator_id is not None)
        out.extend(Gap(r.code, r.title, r.method, kind, _GAP_TEXT[kind]()) for kind in lacks)
        if r.method == "tasks" and r.id not in linked:
            out.append(Gap(r.code, r.title, r.method, "tasks", _("no task linked")))
    return out
