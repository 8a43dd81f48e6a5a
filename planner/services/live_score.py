"""The plan's score kept current while tasks change, for screens that show it live.

`LiveScore` loads the plan's facts once and scores them. After a change to one task (a status,
evidence, an edit, a new or deleted task) `refresh_task(code)` reloads only that task's
occurrences and links and re-scores only the criteria they touch
(`planner.domain.scoring.rescore`); anything else that changed (readings, confirmations,
manual entries, criteria, indicators) needs `refresh_all()`.

    live = LiveScore(ctx)
    set_status(ctx, "T12", "done")
    live.refresh_task("T12")
    live.score.overall.secured
"""

from __future__ import annotations

from datetime import date

from planner.domain.facts import PlanFacts
from planner.domain.scoring import PlanScore, rescore, score_plan, with_task
from planner.services.context import Context
from planner.services.facts import load_facts, load_occurrences, task_links
from planner.services.plans import get_plan
from planner.store import tables as t
from planner.store.models import Plan


class LiveScore:
    """A plan's facts and score as of a date, refreshed task by task."""

    def __init__(self, ctx: Context, as_of: date | None = None, *, explain: bool = False) -> None:
        self.ctx = ctx
        self.explain = explain
        self._as_of = as_of or ctx.today
        self.refresh_all()

    @property
    def score(self) -> PlanScore:
        return self._score

    @property
    def facts(self) -> PlanFacts:
        return self._facts

    @property
    def as_of(self) -> date:
        return self._as_of

    @property
    def plan(self) -> Plan:
        return self._plan

    def refresh_all(self) -> PlanScore:
        """Load every fact of the plan again and score from scratch."""
        with self.ctx.db.read() as session:
            self._plan = get_plan(session, self.ctx.plan_year)
            self._facts = load_facts(session, self._plan)
        self._score = score_plan(self._facts, self._as_of, explain=self.explain)
        return self._score

    def set_as_of(self, day: date) -> PlanScore:
        """Score the same facts as of another date."""
        if day != self._as_of:
            self._as_of = day
            self._score = score_plan(self._facts, day, explain=self.explain)
        return self._score

    def refresh_task(self, code: str) -> PlanScore:
        """Reload one task (`T12`, or an occurrence `T12@2022-03-31`) and re-score what it
        touches. A task no longer in the database drops out; a new one comes in with its
        criteria links."""
        task_code = code.strip().split("@", 1)[0]
        with self.ctx.db.read() as session:
            occurrences, tasks = load_occurrences(
                session, self._plan, where=[t.task.c.code == task_code]
            )
            links = task_links(session, self._plan, tasks)
        facts = with_task(self._facts, task_code, occurrences, links)
        self._score = rescore(self._score, facts, {task_code}, self._as_of)
        self._facts = facts
        return self._score
