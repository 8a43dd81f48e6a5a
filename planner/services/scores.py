"""The plan's score as of a date, and its explanation, from the same loaded facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import Row

from planner.domain.facts import PlanFacts
from planner.domain.scoring import CriterionScore, PlanScore, score_plan
from planner.services.context import Context
from planner.services.facts import load_facts
from planner.services.plans import plan_record


@dataclass(frozen=True)
class ScoreResult:
    plan: Row[Any]  # a row of tables.plan: the Plan model's attributes
    facts: PlanFacts
    score: PlanScore
    as_of: date


def plan_score(ctx: Context, as_of: date | None = None, *, explain: bool = True) -> ScoreResult:
    """The score as of a date; `explain=False` skips the explanation lines (faster), which
    the offices board and `planner explain` need."""
    day = as_of or ctx.today
    with ctx.db.reading() as conn:  # Core only: `planner score` needs no ORM
        plan = plan_record(conn, ctx.plan_year)
        facts = load_facts(conn, plan)
    return ScoreResult(plan, facts, score_plan(facts, day, explain=explain), day)


def explain(ctx: Context, code: str, as_of: date | None = None) -> tuple[ScoreResult, CriterionScore]:
    from planner.services.lookup import criterion_by_code
    from planner.services.plans import get_plan

    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        criterion_by_code(session, plan, code)
    result = plan_score(ctx, as_of)
    node = result.score.find(code.strip())
    assert node is not None
    return result, node
