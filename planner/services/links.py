"""Suggested links from tasks to criteria, and accepting them.

The suggestions come from `planner.domain.link_suggest` (the task's section and words against
each criterion's title, guidance and the titles above it); only criteria without
sub-criteria that apply to the unit are suggested. Accepting links adds them to a task, each
with the weight typed or, by default, 1 (a full share of the criterion, as the sample plan
links its tasks; several tasks of one criterion share it by their weights).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from planner.domain.link_suggest import CriterionText, Suggester, TaskText
from planner.i18n import _
from planner.services import audit, permissions
from planner.services.context import Context
from planner.services.errors import InputError
from planner.services.lookup import criterion_by_code, task_by_code
from planner.services.plans import get_plan
from planner.services.tasks import task_snapshot
from planner.store.models import Criterion, Office, Plan, Task, TaskCriterion


@dataclass(frozen=True)
class SuggestedLink:
    criterion: str
    title: str
    score: float
    by_section: bool


@dataclass(frozen=True)
class TaskSuggestions:
    """A task with its links (criterion codes) and the criteria suggested for it."""

    code: str
    title: str
    product: str
    lead: str
    section: str
    linked: tuple[str, ...]
    suggestions: tuple[SuggestedLink, ...]


def _criteria(session: Session, plan: Plan) -> tuple[list[CriterionText], list[tuple[str, str]],
                                                     dict[str, str]]:
    rows = list(session.exec(
        select(Criterion).where(Criterion.plan_id == plan.id)
        .order_by(col(Criterion.position), col(Criterion.id))))
    by_id = {r.id: r for r in rows}
    parents = {r.parent_id for r in rows}
    texts: list[CriterionText] = []
    for r in rows:
        if r.id in parents:
            continue
        chain: list[Criterion] = []
        node: Criterion | None = r
        applicable = True
        while node is not None:
            applicable = applicable and node.applicable
            chain.append(node)
            node = by_id.get(node.parent_id) if node.parent_id is not None else None
        if not applicable:
            continue
        # The titles between the criterion and its field ("Cơ chế một cửa" for 3.3.1).
        context = "; ".join(c.title for c in chain[1:-1])
        texts.append(CriterionText(r.code, r.title, r.guidance, context, chain[-1].code))
    fields = [(r.code, r.title) for r in rows if r.parent_id is None]
    return texts, fields, {r.code: r.title for r in rows}


def suggester(session: Session, plan: Plan) -> tuple[Suggester, dict[str, str]]:
    """The plan's suggester, and the title of every criterion by code."""
    texts, fields, titles = _criteria(session, plan)
    return Suggester(texts, fields), titles


def suggest_links(ctx: Context, *, include_linked: bool = False, limit: int = 3,
                  codes: list[str] | None = None) -> list[TaskSuggestions]:
    """For every task without a link (every task with `include_linked`, or the tasks named in
    `codes`), in plan order, the `limit` best criteria."""
    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        engine, titles = suggester(session, plan)
        tasks = list(session.exec(
            select(Task, Office.code).join(Office, col(Office.id) == Task.lead_office_id)
            .where(Task.plan_id == plan.id).order_by(col(Task.position), col(Task.id))))
        links: dict[int, list[str]] = {}
        for task_id, code in session.exec(
            select(TaskCriterion.task_id, Criterion.code)
            .join(Criterion, col(Criterion.id) == TaskCriterion.criterion_id)
            .where(Criterion.plan_id == plan.id)
            .order_by(col(Criterion.position), col(Criterion.id))):
            links.setdefault(task_id, []).append(code)
        if codes is not None:
            known = {t.code for t, _lead in tasks}
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise InputError(_('Unknown task "{code}" in the {year} plan.').format(
                    code=unknown[0], year=plan.year))
    out: list[TaskSuggestions] = []
    for task, lead in tasks:
        linked = tuple(links.get(task.id or 0, ()))
        if codes is not None:
            if task.code not in codes:
                continue
        elif linked and not include_linked:
            continue
        found = engine.suggest(TaskText(task.code, task.title, task.product, task.description,
                                        task.section), limit)
        out.append(TaskSuggestions(
            task.code, task.title, task.product, lead, task.section, linked,
            tuple(SuggestedLink(s.criterion, titles.get(s.criterion, ""), s.score, s.by_section)
                  for s in found)))
    return out


def _link(session: Session, ctx: Context, plan: Plan, task: Task,
          criteria: list[tuple[Criterion, float | None]]) -> list[tuple[str, float]]:
    before = task_snapshot(session, task)
    existing = {row.criterion_id: row for row in session.exec(
        select(TaskCriterion).where(TaskCriterion.task_id == task.id))}
    written: list[tuple[str, float]] = []
    for crit, weight in criteria:
        if weight is not None and not (0 < weight < 1e6):
            raise InputError(_("weight: {w} must be more than 0.").format(w=f"{weight:g}"))
        row = existing.get(crit.id or 0)
        if row is None:
            row = TaskCriterion(task_id=task.id or 0, criterion_id=crit.id or 0,
                                weight=1.0 if weight is None else weight)
        elif weight is not None:
            row.weight = weight
        session.add(row)
        written.append((crit.code, row.weight))
    session.flush()
    after = task_snapshot(session, task)
    if after != before:
        audit.record(session, actor=ctx.actor, action="task.link", entity="task",
                     entity_id=task.id, label=task.code, plan_id=plan.id, task_id=task.id,
                     before=before, after=after)
    return written


def accept_links(ctx: Context, task_code: str, criteria: list[str], *,
                 weight: float | None = None) -> list[tuple[str, float]]:
    """Link a task to criteria: each with `weight`, or 1 (equal weights) when none is typed;
    a link that exists keeps its weight unless one is typed. Returns (criterion, weight)."""
    if not criteria:
        raise InputError(_("Name at least one criterion."))
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        permissions.require_coordinator(session, ctx, _("linking tasks to criteria"))
        task = task_by_code(session, plan, task_code)
        crits = [criterion_by_code(session, plan, code) for code in dict.fromkeys(criteria)]
        return _link(session, ctx, plan, task, [(c, weight) for c in crits])


@dataclass(frozen=True)
class Accepted:
    task: str
    criterion: str
    score: float


def accept_above(ctx: Context, threshold: float, *, limit: int = 3) -> list[Accepted]:
    """For every task without a link, accept each of its first `limit` suggestions that
    scores at least `threshold` (weight 1 each); one transaction."""
    proposals = suggest_links(ctx, limit=limit)
    chosen = [(p.code, [s for s in p.suggestions if s.score >= threshold]) for p in proposals]
    chosen = [(code, found) for code, found in chosen if found]
    accepted: list[Accepted] = []
    if not chosen:
        return accepted
    with ctx.db.write() as session:
        plan = get_plan(session, ctx.plan_year)
        permissions.require_coordinator(session, ctx, _("linking tasks to criteria"))
        crits: dict[str, Any] = {}
        for code, found in chosen:
            task = task_by_code(session, plan, code)
            has = session.exec(select(TaskCriterion).where(TaskCriterion.task_id == task.id)
                               ).first()
            if has is not None:
                continue  # linked meanwhile: left as it is
            for s in found:
                crits.setdefault(s.criterion, criterion_by_code(session, plan, s.criterion))
            _link(session, ctx, plan, task, [(crits[s.criterion], None) for s in found])
            accepted.extend(Accepted(code, s.criterion, s.score) for s in found)
    return accepted
