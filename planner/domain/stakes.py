"""Points at stake: what the plan's score loses if an open occurrence slips, is never done, or
has its evidence rejected, computed through the real rules (mode `all`, bands, caps, the
plan-completion indicator) by scoring each hypothesis, not estimated from weights.

For an occurrence open as of D (not done, not cancelled; overdue included), due on `due`:

- the reference: delivered on its deadline (or on D when already overdue) with its evidence
  accepted that day, what `projected` assumes of work on schedule;
- `late`: delivered the day after its deadline instead (nothing more when already overdue);
- `never`: never delivered;
- `rejected`: delivered on time, its evidence rejected that day.

Each is scored as of E = max(D, the day after the deadline), when the difference shows; the
loss is the reference's overall secured and projected minus the hypothesis's. Every other
fact stays as it is, so an occurrence of a mode-`all` criterion that has already lost its
points has nothing at stake.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from planner.domain.facts import OccurrenceFact, PlanFacts
from planner.domain.incremental import probe
from planner.domain.occurrences import resolve
from planner.domain.results import PlanScore
from planner.domain.rollup import score_plan
from planner.domain.whatif import OccurrenceChange, change_occurrence

Scenario = Literal["late", "never", "rejected"]
SCENARIOS: tuple[Scenario, ...] = ("late", "never", "rejected")
_DAY = timedelta(days=1)
# Differences smaller than this are rounding noise of float sums, not points.
_NOISE = 1e-9


@dataclass(frozen=True)
class Loss:
    """What the overall secured and projected points lose under one hypothesis."""

    secured: float
    projected: float


@dataclass(frozen=True)
class PointsAtStake:
    occurrence: OccurrenceFact
    overdue: bool
    evaluated_on: date
    losses: dict[Scenario, Loss]

    @property
    def key(self) -> str:
        return self.occurrence.key

    def loss(self, scenario: Scenario) -> Loss:
        return self.losses[scenario]


def open_occurrences(facts: PlanFacts, as_of: date) -> list[tuple[OccurrenceFact, bool]]:
    """The occurrences not done and not cancelled as of the date, with whether overdue."""
    on = min(as_of, facts.closing_date)
    out = []
    for occ in facts.occurrences:
        r = resolve(occ, on)
        if r.status not in ("done", "cancelled"):
            out.append((occ, r.overdue))
    return out


def _loss(reference: PlanScore, other: PlanScore) -> Loss:
    def diff(a: float, b: float) -> float:
        d = a - b
        return 0.0 if abs(d) < _NOISE else d

    return Loss(
        diff(reference.overall.secured, other.overall.secured),
        diff(reference.overall.projected, other.overall.projected),
    )


class StakeCalculator:
    """Points at stake of one plan as of one date, occurrence by occurrence: the scores each
    hypothesis starts from (one per evaluation date) are computed once and shared."""

    def __init__(self, facts: PlanFacts, as_of: date) -> None:
        self.facts = facts
        self.as_of = as_of
        self._by_task: dict[str, list[OccurrenceFact]] = {}
        for occ in facts.occurrences:
            self._by_task.setdefault(occ.task_code, []).append(occ)
        self._bases: dict[date, PlanScore] = {}

    def open_occurrences(self) -> list[tuple[OccurrenceFact, bool]]:
        return open_occurrences(self.facts, self.as_of)

    def stake(
        self, occ: OccurrenceFact, overdue: bool, scenarios: Iterable[Scenario] = SCENARIOS
    ) -> PointsAtStake:
        as_of = self.as_of
        day_after = occ.due_on + _DAY
        evaluated = max(as_of, day_after)
        delivered = max(occ.due_on, as_of)
        base = self._bases.get(evaluated)
        if base is None:
            base = self._bases[evaluated] = score_plan(self.facts, evaluated, explain=False)
        siblings = self._by_task[occ.task_code]
        where = siblings.index(occ)

        def score(*changes: OccurrenceChange) -> PlanScore:
            changed = occ
            for change in changes:
                changed = change_occurrence(changed, change)
            occurrences = [*siblings[:where], changed, *siblings[where + 1 :]]
            return probe(base, occ.task_code, occurrences, evaluated)

        reference = score(OccurrenceChange(occ.key, "done", delivered))
        losses: dict[Scenario, Loss] = {}
        for scenario in scenarios:
            if scenario == "late":
                hypothesis = score(OccurrenceChange(occ.key, "done", max(day_after, as_of)))
            elif scenario == "never":
                hypothesis = score(OccurrenceChange(occ.key, "never"))
            else:
                hypothesis = score(
                    OccurrenceChange(occ.key, "done", delivered),
                    OccurrenceChange(occ.key, "reject", delivered),
                )
            losses[scenario] = _loss(reference, hypothesis)
        return PointsAtStake(occ, overdue, evaluated, losses)


def points_at_stake(
    facts: PlanFacts,
    as_of: date,
    *,
    scenarios: Iterable[Scenario] = SCENARIOS,
    only: Iterable[str] | None = None,
) -> list[PointsAtStake]:
    """The points at stake of each open occurrence (or of those whose keys are in `only`),
    in the order of the plan's facts."""
    wanted = tuple(scenarios)
    keys = set(only) if only is not None else None
    calculator = StakeCalculator(facts, as_of)
    return [
        calculator.stake(occ, overdue, wanted)
        for occ, overdue in calculator.open_occurrences()
        if keys is None or occ.key in keys
    ]
