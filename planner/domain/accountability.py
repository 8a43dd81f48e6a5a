"""Accountability per office as of a date: what each division leads and the points at stake."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from planner.domain.facts import PlanFacts
from planner.domain.scoring import CriterionScore, PlanScore, occurrence_state


@dataclass(frozen=True)
class OfficeRecord:
    """One row of the offices board: the head of this office answers for these figures."""

    office: str
    tasks_led: int
    occurrences_led: int
    done_on_time: int
    done_late: int
    overdue: int
    awaiting_review: int
    points_at_risk: float
    points_lost: float
    supported: int
    # The part of `points_at_risk` carried by the office's overdue occurrences: what the
    # weekly report's "Overdue" section and the dashboard's overdue panel show.
    overdue_at_risk: float = 0.0


class _Tally:
    __slots__ = (
        "at_risk",
        "awaiting_review",
        "done_late",
        "done_on_time",
        "lost",
        "occurrences",
        "overdue",
        "overdue_at_risk",
        "supported",
        "tasks",
    )

    def __init__(self) -> None:
        self.tasks: set[str] = set()
        self.occurrences = self.done_on_time = self.done_late = self.overdue = 0
        self.awaiting_review = self.supported = 0
        self.at_risk = self.lost = self.overdue_at_risk = 0.0


def office_board(
    facts: PlanFacts, score: PlanScore, as_of: date, offices: Iterable[str]
) -> list[OfficeRecord]:
    """One record per office of `offices`, in that order, zeros for an office with nothing.

    Counts cover the non-cancelled occurrences as of the date. Points at risk and lost are the
    shares of the occurrences an office leads, taken from the explanation of `tasks` criteria
    (scaled as their parents scale them, so they add up to the plan's totals), plus the whole
    at-risk and lost points of `threshold`, `condition` and `manual` criteria it leads.

    `score` must be `score_plan(facts, as_of)` with its explanation (the default).
    """
    if score.as_of != as_of:
        raise ValueError(f"score is as of {score.as_of}, the board is asked as of {as_of}")
    tallies: dict[str, _Tally] = {office: _Tally() for office in offices}
    lead_of: dict[str, str] = {}
    overdue: set[str] = set()
    for occ in facts.occurrences:
        lead_of[occ.key] = occ.lead_office
        state = occurrence_state(occ, as_of)
        if state.overdue:
            overdue.add(occ.key)
        if state.status == "cancelled":
            continue
        tally = tallies.get(occ.lead_office)
        if tally is not None:
            tally.tasks.add(occ.task_code)
            tally.occurrences += 1
            if state.status == "done":
                if state.late:
                    tally.done_late += 1
                else:
                    tally.done_on_time += 1
            elif state.overdue:
                tally.overdue += 1
            if state.evidence == "submitted":
                tally.awaiting_review += 1
        # An office listed twice as supporting still supports the occurrence once.
        for office in set(occ.supporting_offices):
            supporter = tallies.get(office)
            if supporter is not None:
                supporter.supported += 1
    leaves = [node for node in score.walk() if not node.children]
    if leaves and not any(node.explanation for node in leaves):
        raise ValueError("score has no explanation: use score_plan(facts, as_of, explain=True)")
    for root in score.criteria:
        _attribute(root, 1.0, tallies, lead_of, overdue)
    return [
        OfficeRecord(
            office=office,
            tasks_led=len(tally.tasks),
            occurrences_led=tally.occurrences,
            done_on_time=tally.done_on_time,
            done_late=tally.done_late,
            overdue=tally.overdue,
            awaiting_review=tally.awaiting_review,
            points_at_risk=tally.at_risk,
            points_lost=tally.lost,
            supported=tally.supported,
            overdue_at_risk=tally.overdue_at_risk,
        )
        for office, tally in tallies.items()
    ]


def _attribute(
    node: CriterionScore,
    factor: float,
    tallies: dict[str, _Tally],
    lead_of: dict[str, str],
    overdue: set[str],
) -> None:
    """Add the at-risk and lost points of `node` to the offices that answer for them.

    `factor` is the product of the scalings of the ancestors: a parent whose children's maxima
    exceed its own counts only its share of each child's points.
    """
    if node.children:
        total = sum(child.max_points for child in node.children)
        if total > node.max_points:
            factor *= node.max_points / total
        for child in node.children:
            _attribute(child, factor, tallies, lead_of, overdue)
        return
    if node.method == "tasks":
        for line in node.explanation:
            if not line.counted or line.weight is None or line.part not in ("at_risk", "lost"):
                continue
            office = lead_of.get(line.subject)
            tally = tallies.get(office) if office is not None else None
            if tally is None:
                continue
            if line.part == "at_risk":
                tally.at_risk += line.weight * factor
                if line.subject in overdue:
                    tally.overdue_at_risk += line.weight * factor
            else:
                tally.lost += line.weight * factor
        return
    lead = tallies.get(node.lead_office) if node.lead_office is not None else None
    if lead is not None:
        lead.at_risk += node.at_risk * factor
        lead.lost += node.lost * factor
