"""Write the criteria tree read from the province's index into the year's plan.

`prepare_index` reads the file (`planner.io.criteria_import`) and what the database holds for
the year; `differences` lists what `--replace` would change in a tree that already exists;
`write_index` writes it all in one transaction, or nothing:

- no plan for the year: the plan is created, titled after the decision;
- a plan with an empty tree (made by `import plan` or by hand): the tree is filled;
- a plan with criteria: changed only with `replace=True`. Criteria are matched by code: the
  same code keeps its row (so the tasks linked to it, its confirmations and entries stay);
  new codes are added; codes no longer in the index are removed with their task links, unless
  dated facts (confirmations, manual entries, evidence) hang on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from planner.domain import criterion_params
from planner.i18n import _
from planner.io.criteria_import import (
    DraftCriterion,
    IndexDraft,
    Progress,
    method_parameters,
    read_index,
)
from planner.io.plan_import import ImportProblem
from planner.services.context import Context
from planner.services.errors import InputError


@dataclass(frozen=True)
class ExistingCriterion:
    id: int
    code: str
    parent: str | None
    title: str
    max_points: float
    method: str
    params: dict[str, Any]
    guidance: str
    links: int  # tasks linked to it
    facts: int  # confirmations, manual entries and evidence on it


@dataclass(frozen=True)
class ExistingPlan:
    id: int
    year: int
    title: str
    tasks: int
    criteria: tuple[ExistingCriterion, ...]


@dataclass(frozen=True)
class Difference:
    """One change `--replace` makes: `kind` is added, removed or changed."""

    kind: str
    code: str
    text: str
    blocked: bool = False  # a removal that would delete dated facts: refused


def existing_plan(session: Any, year: int) -> ExistingPlan | None:
    from sqlalchemy import func, select
    from sqlmodel import col

    from planner.store.models import (
        Confirmation,
        Criterion,
        Evidence,
        ManualEntry,
        Plan,
        Task,
        TaskCriterion,
    )

    plan = session.execute(select(Plan.id, Plan.year, Plan.title)
                           .where(col(Plan.year) == year)).first()
    if plan is None:
        return None
    tasks = session.execute(select(func.count()).select_from(Task)
                            .where(col(Task.plan_id) == plan.id)).scalar() or 0
    rows = list(session.execute(
        select(Criterion.id, Criterion.parent_id, Criterion.code, Criterion.title,
               Criterion.max_points, Criterion.method, Criterion.params, Criterion.guidance)
        .where(col(Criterion.plan_id) == plan.id)
        .order_by(col(Criterion.position), col(Criterion.id))))
    codes = {r.id: r.code for r in rows}

    def count(model: Any, column: Any) -> dict[int, int]:
        return dict(session.execute(
            select(column, func.count()).join(Criterion, col(Criterion.id) == column)
            .where(col(Criterion.plan_id) == plan.id).group_by(column)).all())

    links = count(TaskCriterion, TaskCriterion.criterion_id)
    facts: dict[int, int] = {}
    for model in (Confirmation, ManualEntry, Evidence):
        for cid, n in count(model, model.criterion_id).items():
            facts[cid] = facts.get(cid, 0) + n
    return ExistingPlan(plan.id, plan.year, plan.title, tasks, tuple(
        ExistingCriterion(r.id, r.code, codes.get(r.parent_id), r.title, r.max_points, r.method,
                          criterion_params.decode(r.params), r.guidance or "", links.get(r.id, 0),
                          facts.get(r.id, 0))
        for r in rows))


def prepare_index(ctx: Context, path: Path, *, year: int | None, sheet: str | None = None,
                  overrides: dict[str, str] | None = None,
                  progress: Progress | None = None) -> tuple[IndexDraft, ExistingPlan | None]:
    """Read a file and what the database holds for its year; nothing is written."""
    from planner.io.sheet_reader import SheetError, read_sheets

    try:
        grids = read_sheets(path, (lambda n, t: progress("read", n, t)) if progress else None)
    except SheetError as exc:
        draft = IndexDraft(source=str(path))
        draft.problems.append(ImportProblem(path.name, 0, 0, "", exc.message, file=True))
        return draft, None
    draft = read_index(grids, source=str(path), sheet=sheet, year=year, overrides=overrides,
                       progress=progress)
    if draft.year is None:
        return draft, None
    with ctx.db.read() as session:
        return draft, existing_plan(session, draft.year)


def _params_of(c: DraftCriterion) -> dict[str, Any]:
    return method_parameters(c) if c.method != "sum" else {}


def differences(existing: ExistingPlan, draft: IndexDraft) -> list[Difference]:
    """Every change replacing the existing tree with the draft makes, in the draft's order
    (removals last)."""
    old = {c.code: c for c in existing.criteria}
    new_codes = {c.code for c in draft.criteria}
    out: list[Difference] = []
    for c in draft.criteria:
        before = old.get(c.code)
        if before is None:
            out.append(Difference("added", c.code, _("{title} ({max} points, {method})").format(
                title=c.title, max=_n(c.max_points), method=c.method)))
            continue
        changes: list[str] = []
        if before.title != c.title:
            changes.append(_('title "{old}" → "{new}"').format(old=before.title, new=c.title))
        if abs(before.max_points - c.max_points) > 1e-9:
            changes.append(_("maximum {old} → {new}").format(old=_n(before.max_points),
                                                             new=_n(c.max_points)))
        if before.method != c.method:
            changes.append(_("method {old} → {new}").format(old=before.method, new=c.method))
        elif c.method != "sum" and criterion_params.comparable(before.params) != _params_of(c):
            changes.append(_("parameters {old} → {new}").format(
                old=criterion_params.params_text(before.params), new=criterion_params.params_text(_params_of(c))))
        if before.guidance != c.guidance:
            changes.append(_("scoring guidance"))
        if before.parent != c.parent:
            changes.append(_("moved under {parent}").format(parent=c.parent or "-"))
        if changes:
            out.append(Difference("changed", c.code, "; ".join(changes)))
    for gone in existing.criteria:
        if gone.code in new_codes:
            continue
        text = gone.title
        if gone.links:
            text += _(" (its links to {n} tasks are removed)").format(n=gone.links)
        if gone.facts:
            text += _(" — holds {n} confirmations, entries or evidence: remove them first, "
                      "or keep the code in the index").format(n=gone.facts)
        out.append(Difference("removed", gone.code, text, blocked=gone.facts > 0))
    return out


def _n(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class IndexSummary:
    plan_id: int
    year: int
    title: str
    created_plan: bool
    added: int
    changed: int
    removed: int
    links_removed: int


def write_index(ctx: Context, draft: IndexDraft, existing: ExistingPlan | None, *,
                replace: bool = False) -> IndexSummary:
    """Write a checked draft in one transaction (a coordinator's right); InputError, with
    nothing written, when the file has problems or the database changed since it was read."""
    from sqlalchemy import delete, select
    from sqlmodel import col

    from planner.services import audit
    from planner.services.permissions import require_coordinator
    from planner.store.models import Criterion, Plan, TaskCriterion

    if not draft.ok or draft.year is None:
        raise InputError(_("The file has problems; nothing was imported."))
    year = draft.year
    if existing is not None and existing.criteria and not replace:
        raise InputError(_(
            "The {year} plan already has {n} criteria: add --replace to replace them (its dry "
            "run lists every difference).").format(year=year, n=len(existing.criteria)))
    diffs = differences(existing, draft) if existing is not None else []
    blocked = [d for d in diffs if d.blocked]
    if blocked:
        raise InputError(_("Criteria {codes} are not in the new index but hold dated facts; "
                           "nothing was imported.").format(codes=", ".join(d.code for d in blocked)))
    with ctx.db.write() as session:
        require_coordinator(session, ctx, _("import the criteria of an index"))
        now = existing_plan(session, year)
        if (now is None) != (existing is None) or (
                now is not None and existing is not None
                and (now.id, now.criteria) != (existing.id, existing.criteria)):
            raise InputError(_("The {year} plan changed while the file was read; nothing was "
                               "imported: run the command again.").format(year=year))
        created = existing is None
        if existing is None:
            title = draft.title or _("Administrative reform plan {year}").format(year=year)
            plan = Plan(year=year, title=title, index_name=_index_name(draft),
                        starts_on=date(year, 1, 1), ends_on=date(year, 12, 31),
                        survey_fields=",".join(draft.survey_fields))
            session.add(plan)
            session.flush()
        else:
            plan = session.execute(select(Plan).where(col(Plan.id) == existing.id)).scalar_one()
            plan.index_name = _index_name(draft) or plan.index_name
            plan.survey_fields = ",".join(draft.survey_fields)
            session.add(plan)
        plan_id = plan.id
        assert plan_id is not None

        rows = {c.code: c for c in session.execute(
            select(Criterion).where(col(Criterion.plan_id) == plan_id)).scalars()}
        new_codes = {c.code for c in draft.criteria}
        added = changed = 0
        ordered = sorted(draft.criteria, key=lambda c: (c.code.count("."), c.position))
        ids: dict[str, int] = {code: row.id for code, row in rows.items() if row.id is not None}
        for c in ordered:
            params = criterion_params.encode(_params_of(c))
            parent_id = ids.get(c.parent) if c.parent else None
            row = rows.get(c.code)
            if row is None:
                row = Criterion(plan_id=plan_id, parent_id=parent_id, code=c.code, title=c.title,
                                max_points=c.max_points, method=c.method, params=params,
                                guidance=c.guidance, position=c.position)
                added += 1
            else:
                keep_params = (row.method == c.method and c.method == "threshold"
                               and not criterion_params.decode(params).get("bands"))
                before = (row.parent_id, row.title, row.max_points, row.method, row.params,
                          row.guidance, row.position)
                row.parent_id, row.title, row.max_points = parent_id, c.title, c.max_points
                if row.method != c.method or not keep_params:
                    row.params = params
                row.method, row.guidance, row.position = c.method, c.guidance, c.position
                if before != (row.parent_id, row.title, row.max_points, row.method, row.params,
                              row.guidance, row.position):
                    changed += 1
            session.add(row)
            session.flush()
            assert row.id is not None
            ids[c.code] = row.id
        gone = [row for code, row in rows.items() if code not in new_codes]
        links_removed = 0
        if gone:
            gone_ids = [row.id for row in gone]
            result = session.execute(delete(TaskCriterion).where(
                col(TaskCriterion.criterion_id).in_(gone_ids)))
            links_removed = int(getattr(result, "rowcount", 0) or 0)
            # Children before parents (a parent row is referenced by its children).
            for row in sorted(gone, key=lambda r: -r.code.count(".")):
                session.delete(row)
                session.flush()
        audit.record(
            session, actor=ctx.actor, action="plan.index", entity="plan", entity_id=plan_id,
            label=str(year), plan_id=plan_id,
            after={"year": year, "file": Path(draft.source).name, "sheet": draft.sheet,
                   "criteria": len(draft.criteria), "created_plan": created, "added": added,
                   "changed": changed, "removed": [r.code for r in gone],
                   "links_removed": links_removed,
                   "methods": {c.code: c.method for c in draft.leaves}},
        )
        return IndexSummary(plan_id, year, plan.title, created, added, changed, len(gone),
                            links_removed)


def _index_name(draft: IndexDraft) -> str:
    parts = [draft.title]
    if draft.decision:
        parts.append(_("(decision {number})").format(number=draft.decision))
    return " ".join(p for p in parts if p)
