"""The plan's score at a series of dates (the year's trajectory), each point equal to
`score_plan(facts, D, explain=False)`.

A week moves few occurrences: `ChangeCalendar` knows, once per facts, on which dates each
task's occurrences may change class (`occurrences.change_dates`), so each next date
re-resolves only the tasks that moved in between and `incremental.advance` scores again only
the criteria they touch (and those scored from dated inputs). Measured on 10,000 tasks, 52
weeks: see docs/performance.md ("The trajectory").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Protocol

from dateutil.relativedelta import relativedelta

from planner.domain.facts import OccurrenceFact, PlanFacts
from planner.domain.incremental import advance
from planner.domain.occurrences import change_dates, evidence_dates
from planner.domain.results import PlanScore
from planner.domain.rollup import score_plan

Every = Literal["week", "month"]
EVERY: tuple[Every, ...] = ("week", "month")


def series_dates(starts_on: date, as_of: date, every: Every = "week") -> list[date]:
    """The plan's start, then every week (or month) after it, up to and including `as_of`
    (always the last date, even when it falls between two steps)."""
    if as_of < starts_on:
        return [as_of]
    days: list[date] = []
    step = 0
    while True:
        if every == "week":
            day = starts_on + timedelta(weeks=step)
        else:
            day = starts_on + relativedelta(months=step)
        if day >= as_of:
            break
        days.append(day)
        step += 1
    days.append(as_of)
    return days


class ChangeCalendar:
    """On which dates each task's occurrences, and each criterion scored from dated inputs,
    may change: indexed once per facts, so a series of dates asks only "what moved between
    these two dates"."""

    def __init__(self, facts: PlanFacts) -> None:
        self.tasks_on: dict[date, set[str]] = {}
        # Each task's occurrences in the order of the facts, as scoring tallies them.
        self.occurrences_of: dict[str, list[OccurrenceFact]] = {}
        for occ in facts.occurrences:
            task = occ.task_code
            self.occurrences_of.setdefault(task, []).append(occ)
            for day in change_dates(occ):
                self._note(self.tasks_on, day, task)
        self.criteria_on: dict[date, set[str]] = {}
        readings: dict[str, list[date]] = {}
        for reading in facts.readings:
            readings.setdefault(reading.indicator, []).append(reading.on)
        dated: dict[str, list[date]] = {}
        for conf in facts.confirmations:
            dated.setdefault(conf.criterion_code, []).append(conf.on)
        for entry in facts.manual_entries:
            dated.setdefault(entry.criterion_code, []).append(entry.on)
        for item in facts.criterion_evidence:
            dated.setdefault(item.criterion_code, []).extend(evidence_dates(item.evidence))
        stack = list(facts.criteria)
        while stack:
            rule = stack.pop()
            if rule.children or rule.method == "sum":
                stack.extend(rule.children)
                continue
            days = dated.get(rule.code, [])
            if rule.method == "threshold" and rule.indicator is not None:
                days = [*days, *readings.get(rule.indicator, ())]
            for day in days:
                self._note(self.criteria_on, day, rule.code)

    @staticmethod
    def _note(index: dict[date, set[str]], day: date, code: str) -> None:
        bucket = index.get(day)
        if bucket is None:
            index[day] = {code}
        else:
            bucket.add(code)

    def moved(self, after: date, until: date) -> tuple[set[str], set[str]]:
        """The tasks with an occurrence, and the dated criteria with an input, that may
        change on a date in (after, until] (either order)."""
        if until < after:
            after, until = until, after
        tasks: set[str] = set()
        criteria: set[str] = set()
        day = after + _ONE_DAY
        while day <= until:
            tasks.update(self.tasks_on.get(day, ()))
            criteria.update(self.criteria_on.get(day, ()))
            day += _ONE_DAY
        return tasks, criteria


_ONE_DAY = timedelta(days=1)


def score_series(facts: PlanFacts, dates: Sequence[date]) -> Iterator[PlanScore]:
    """The score as of each date, in order, without explanation: each equal to a fresh
    `score_plan(facts, day, explain=False)`."""
    calendar: ChangeCalendar | None = None
    previous: PlanScore | None = None
    for day in dates:
        if previous is None:
            previous = score_plan(facts, day, explain=False)
        else:
            if calendar is None:
                calendar = ChangeCalendar(facts)
            # Occurrences are read as of the closing date once the plan has closed.
            closes_on = facts.closing_date
            tasks, criteria = calendar.moved(
                min(previous.as_of, closes_on), min(day, closes_on)
            )
            previous = advance(
                previous,
                facts,
                tasks,
                day,
                changed_criteria=criteria,
                occurrences_of=calendar.occurrences_of,
            )
        yield previous


@dataclass(frozen=True)
class Figures:
    """The four figures a trajectory follows, for one group of criteria at one date."""

    max_points: float
    secured: float
    at_risk: float
    lost: float
    projected: float

    def to_dict(self) -> dict[str, float]:
        return {
            "max": round(self.max_points, 4),
            "secured": round(self.secured, 4),
            "at_risk": round(self.at_risk, 4),
            "lost": round(self.lost, 4),
            "projected": round(self.projected, 4),
        }


class _Scored(Protocol):
    @property
    def max_points(self) -> float: ...
    @property
    def secured(self) -> float: ...
    @property
    def at_risk(self) -> float: ...
    @property
    def lost(self) -> float: ...
    @property
    def projected(self) -> float: ...


def figures_of(node: _Scored) -> Figures:
    """The figures of a `CriterionScore` or `Totals`."""
    return Figures(node.max_points, node.secured, node.at_risk, node.lost, node.projected)


@dataclass(frozen=True)
class TrajectoryPoint:
    """The plan's figures as of one date: the totals, each field, and (when asked) each
    office's points at risk and lost."""

    as_of: date
    appraised: Figures
    survey: Figures
    overall: Figures
    fields: tuple[tuple[str, Figures], ...]
    offices: tuple[tuple[str, float, float], ...] = ()


def trajectory_point(score: PlanScore) -> TrajectoryPoint:
    return TrajectoryPoint(
        as_of=score.as_of,
        appraised=figures_of(score.appraised),
        survey=figures_of(score.survey),
        overall=figures_of(score.overall),
        fields=tuple((root.code, figures_of(root)) for root in score.criteria),
    )
