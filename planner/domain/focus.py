"""The tasks that matter most: open occurrences ranked by what never doing them would cost,
per working day left before their deadline.

The pressure of an occurrence is its "never done" points at stake (what projected loses,
`planner.domain.stakes`) divided by the working days left before its deadline (weekends and
Vietnamese public holidays skipped; overdue or due today counts as 1 day). With an effort
estimate (working days of work) the divisor is max(1, days left - effort): work that needs
most of the time left is more urgent. Ties go by due date, then by occurrence key.

Only the first few are usually wanted (five on the dashboard, three in an office's email):
with a `limit`, occurrences are scored in the order of an upper bound of their pressure (the
points their task's criteria and the plan-completion criteria could lose), and scoring stops
once no unscored occurrence could enter the list: the same list as ranking every one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from planner.domain.facts import CriterionRule, OccurrenceFact, PlanFacts
from planner.domain.indicators import PLAN_COMPLETION
from planner.domain.schedule import working_days_between
from planner.domain.stakes import StakeCalculator

Method = Literal["deadline", "effort"]
# Pressures this close are equal (float noise): they are ordered by due date and key.
_EPSILON = 1e-9


@dataclass(frozen=True)
class FocusItem:
    occurrence: OccurrenceFact
    at_stake: float  # what projected loses if it is never done
    secured_at_stake: float  # what secured loses if it is never done
    days_left: int  # working days left before the deadline (overdue: 1)
    effort_days: float | None
    divisor: float
    pressure: float  # at_stake / divisor
    overdue: bool

    @property
    def method(self) -> Method:
        return "deadline" if self.effort_days is None else "effort"


def days_left(
    as_of: date,
    due_on: date,
    *,
    extra_holidays: Iterable[date] = (),
    extra_workdays: Iterable[date] = (),
) -> int:
    """Working days in (as_of, due_on], at least 1 (overdue work counts as 1 day left)."""
    if due_on <= as_of:
        return 1
    left = working_days_between(
        as_of, due_on, extra_holidays=extra_holidays, extra_workdays=extra_workdays
    )
    return max(1, left)


def _leaves(rules: Iterable[CriterionRule]) -> Iterable[CriterionRule]:
    for rule in rules:
        if rule.children or rule.method == "sum":
            yield from _leaves(rule.children)
        else:
            yield rule


def _bounds(facts: PlanFacts) -> dict[str, float]:
    """Per task, at most what never doing one of its occurrences can cost: the maxima of the
    `tasks` criteria it is linked to and of every criterion read from the plan's completion."""
    computed = {ind.code for ind in facts.indicators if ind.computed == PLAN_COMPLETION}
    leaves = {rule.code: rule for rule in _leaves(facts.criteria)}
    shared = sum(
        rule.max_points
        for rule in leaves.values()
        if rule.method == "threshold" and rule.indicator in computed
    )
    out: dict[str, float] = {}
    for link in facts.links:
        rule = leaves.get(link.criterion_code)
        if rule is not None and rule.method == "tasks":
            out[link.task_code] = out.get(link.task_code, 0.0) + rule.max_points
    for occ in facts.occurrences:
        out[occ.task_code] = out.get(occ.task_code, 0.0) + shared
    return out


def _sort_key(item: FocusItem) -> tuple[float, date, str]:
    return (-item.pressure, item.occurrence.due_on, item.occurrence.key)


def focus(
    facts: PlanFacts,
    as_of: date,
    *,
    effort: Mapping[str, float] | None = None,
    offices: Iterable[str] | None = None,
    extra_holidays: Iterable[date] = (),
    extra_workdays: Iterable[date] = (),
    limit: int | None = None,
    per_office: bool = False,
) -> list[FocusItem]:
    """Every open occurrence (of the offices given, by lead office), most pressing first;
    with `limit`, only the first `limit` (of each lead office with `per_office`)."""
    if as_of > facts.closing_date:
        return []  # the plan has closed: no open work can win or lose a point any more
    efforts = effort or {}
    wanted = set(offices) if offices is not None else None
    holidays, workdays = tuple(extra_holidays), tuple(extra_workdays)
    calculator = StakeCalculator(facts, as_of)
    lefts: dict[date, int] = {}  # a plan has few distinct deadlines: count each once
    candidates = []
    for occ, overdue in calculator.open_occurrences():
        if wanted is not None and occ.lead_office not in wanted:
            continue
        left = lefts.get(occ.due_on)
        if left is None:
            left = lefts[occ.due_on] = days_left(
                as_of, occ.due_on, extra_holidays=holidays, extra_workdays=workdays
            )
        estimate = efforts.get(occ.task_code)
        divisor = float(left) if estimate is None else max(1.0, left - estimate)
        candidates.append((occ, overdue, left, estimate, divisor))

    def item(candidate: tuple[OccurrenceFact, bool, int, float | None, float]) -> FocusItem:
        occ, overdue, left, estimate, divisor = candidate
        loss = calculator.stake(occ, overdue, ("never",)).loss("never")
        return FocusItem(occ, loss.projected, loss.secured, left, estimate, divisor,
                         loss.projected / divisor, overdue)

    if limit is None:
        return sorted(map(item, candidates), key=_sort_key)
    bounds = _bounds(facts)
    candidates.sort(key=lambda c: -bounds.get(c[0].task_code, 0.0) / c[4])
    kept: dict[str, list[FocusItem]] = {}
    for candidate in candidates:
        bucket = kept.setdefault(candidate[0].lead_office if per_office else "", [])
        ceiling = bounds.get(candidate[0].task_code, 0.0) / candidate[4]
        if len(bucket) >= limit and bucket[limit - 1].pressure > ceiling + _EPSILON:
            if not per_office:
                break  # bounds fall from here on: nothing later can enter
            continue
        bucket.append(item(candidate))
        bucket.sort(key=_sort_key)
        del bucket[limit:]
    return sorted((i for bucket in kept.values() for i in bucket), key=_sort_key)
