"""The year's trajectory: the plan's figures from its start to a date, recomputed from the
dated facts (`planner score --history`, the dashboard chart, the weekly report)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from sqlalchemy import select as sa_select
from sqlalchemy.engine import Row

from planner.domain.accountability import office_board
from planner.domain.facts import PlanFacts
from planner.domain.results import PlanScore
from planner.domain.rollup import score_plan
from planner.domain.trajectory import (
    Every,
    TrajectoryPoint,
    score_series,
    series_dates,
    trajectory_point,
)
from planner.services.context import Context
from planner.services.facts import load_facts
from planner.services.plans import plan_record
from planner.store import tables as t

#: The figures `History.series_of` follows.
Figure = Literal["projected", "secured"]


@dataclass(frozen=True)
class History:
    """The plan's trajectory: a point per date, the scores behind them (every criterion, for
    sparklines), with the plan's record for its target and last year's score."""

    plan: Row[Any]
    facts: PlanFacts
    as_of: date
    every: Every
    points: list[TrajectoryPoint]
    scores: list[PlanScore]
    field_titles: dict[str, str]
    offices: list[str]

    def series_of(self, code: str, figure: Figure = "projected") -> list[float]:
        """A criterion's projected (or secured) points at each date (0 where it has no node)."""
        out = []
        for score in self.scores:
            node = score.find(code)
            out.append(getattr(node, figure) if node is not None else 0.0)
        return out


def plan_history(
    ctx: Context, as_of: date | None = None, every: Every = "week", *, offices: bool = False
) -> History:
    """The figures at each week (or month) from the plan's start to `as_of` (default today).

    With `offices`, each point also carries every office's points at risk and lost from the
    offices board, which needs the explained score at each date (several times slower).
    """
    day = as_of or ctx.today
    with ctx.db.reading() as conn:
        plan = plan_record(conn, ctx.plan_year)
        facts = load_facts(conn, plan)
        office_codes: list[str] = []
        if offices:
            o = t.office.c
            office_codes = list(conn.scalars(sa_select(o.code).order_by(o.position, o.id)))
    return history_of(plan, facts, day, every, office_codes if offices else None)


def history_of(
    plan: Row[Any],
    facts: PlanFacts,
    as_of: date,
    every: Every = "week",
    offices: list[str] | None = None,
) -> History:
    """`plan_history` from facts already loaded."""
    dates = series_dates(facts.starts_on, as_of, every)
    scores = list(score_series(facts, dates))
    points = [trajectory_point(score) for score in scores]
    if offices:
        for i, day in enumerate(dates):
            board = office_board(facts, score_plan(facts, day), day, offices)
            points[i] = replace(
                points[i],
                offices=tuple((r.office, r.points_at_risk, r.points_lost) for r in board),
            )
    titles = {root.code: root.title for root in facts.criteria}
    return History(plan, facts, as_of, every, points, scores, titles, list(offices or ()))
