"""What moved between two dates, and the dated facts that moved it (the weekly report's
"This week's changes and why").

Pure: given the plan's facts and its scores as of two dates (`score_plan(facts, before)` and
`score_plan(facts, after)`, explanation not needed), each field and each leaf criterion whose
secured, at-risk, lost or projected points differ, with the facts dated in (before, after]
that touch it: evidence submitted, accepted, rejected, taken back, withdrawn or expired, a
status change, a deadline passing, a reading, a confirmation, a manual entry, the plan
closing. A task's facts are named only when its occurrence changed class between the two
dates (`occurrences.occurrence_code`), so an edit that moved nothing is not offered as a
reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from planner.domain.facts import CriterionRule, EvidenceFact, OccurrenceFact, PlanFacts
from planner.domain.occurrences import occurrence_code
from planner.domain.results import CriterionScore, PlanScore

#: Changes smaller than this are rounding, not movement (figures are printed to 2 decimals).
EPSILON = 0.005

CauseKind = Literal[
    "submitted", "accepted", "rejected", "reopened", "withdrawn", "expired", "deadline",
    "status", "reading", "confirmation", "manual", "closed",
]
Figure = Literal["secured", "at_risk", "lost", "projected"]
FIGURES: tuple[Figure, ...] = ("secured", "at_risk", "lost", "projected")


@dataclass(frozen=True)
class Cause:
    """A dated fact that moved a criterion: `subject` is the occurrence key (task facts), the
    indicator code (a reading) or the criterion code (its own evidence, a confirmation, a
    manual entry)."""

    kind: CauseKind
    on: date
    subject: str
    evidence: int | None = None
    status: str = ""  # the new status ("status"), the outcome key ("confirmation")
    value: float | None = None  # a reading's value, a manual entry's points
    numerator: float | None = None
    denominator: float | None = None
    criterion: bool = False  # evidence attached to the criterion itself, not to a task


@dataclass(frozen=True)
class Move:
    """One figure of one node, before and after."""

    figure: Figure
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Change:
    """A field (`leaf` False) or a leaf criterion whose figures moved, with the facts behind a
    leaf's move (a field's moves are its criteria's)."""

    code: str
    title: str
    leaf: bool
    moves: tuple[Move, ...]
    causes: tuple[Cause, ...] = ()


def _moves(before: CriterionScore | None, after: CriterionScore) -> tuple[Move, ...]:
    out = []
    for figure in FIGURES:
        old = getattr(before, figure) if before is not None else 0.0
        new = getattr(after, figure)
        if abs(new - old) >= EPSILON:
            out.append(Move(figure, old, new))
    return tuple(out)


def _leaves(node: CriterionScore) -> Iterator[CriterionScore]:
    if not node.children:
        yield node
        return
    for child in node.children:
        yield from _leaves(child)


def _rules(facts: PlanFacts) -> dict[str, CriterionRule]:
    out: dict[str, CriterionRule] = {}
    stack = list(facts.criteria)
    while stack:
        rule = stack.pop()
        out.setdefault(rule.code, rule)
        stack.extend(rule.children)
    return out


def _within(day: date | None, start: date, end: date) -> bool:
    return day is not None and start < day <= end


def _evidence_causes(ev: EvidenceFact, subject: str, start: date, end: date,
                     criterion: bool = False) -> list[Cause]:
    out = []
    if _within(ev.submitted_on, start, end):
        out.append(Cause("submitted", ev.submitted_on, subject, ev.id, criterion=criterion))
    for review in ev.reviews:
        if _within(review.on, start, end):
            kind: CauseKind = "reopened" if review.state == "submitted" else review.state
            out.append(Cause(kind, review.on, subject, ev.id, criterion=criterion))
    if _within(ev.withdrawn_on, start, end):
        assert ev.withdrawn_on is not None
        out.append(Cause("withdrawn", ev.withdrawn_on, subject, ev.id, criterion=criterion))
    if ev.valid_until is not None and _within(ev.valid_until + _ONE_DAY, start, end):
        out.append(Cause("expired", ev.valid_until + _ONE_DAY, subject, ev.id,
                         criterion=criterion))
    return out


def occurrence_causes(occ: OccurrenceFact, start: date, end: date,
                      closes_on: date | None = None) -> list[Cause]:
    """The facts of one occurrence dated in (start, end], in date order; empty when its class
    (what scoring reads of it) is the same on both dates. Read as of the plan's closing date
    once it has closed, as scoring reads it."""
    first = min(start, closes_on) if closes_on is not None else start
    last = min(end, closes_on) if closes_on is not None else end
    if occurrence_code(occ, first) >> 1 == occurrence_code(occ, last) >> 1:
        return []
    out: list[Cause] = []
    for event in occ.status_events:
        if _within(event.on, first, last):
            out.append(Cause("status", event.on, occ.key, status=event.status))
    for ev in occ.evidence:
        out.extend(_evidence_causes(ev, occ.key, first, last))
    passed = occ.due_on + _ONE_DAY  # overdue, or evidence missing, from the day after
    if _within(passed, first, last):
        out.append(Cause("deadline", occ.due_on, occ.key))
    out.sort(key=lambda c: (c.on, c.subject))
    return out


def week_changes(facts: PlanFacts, before: PlanScore, after: PlanScore,
                 office: str | None = None) -> tuple[Change, ...]:
    """Each field, then each of its leaf criteria, whose figures moved from `before.as_of` to
    `after.as_of`, in the tree's order, each leaf with the facts that moved it.

    With `office`, only the changes its own tasks explain: a criterion is kept when one of the
    tasks the office leads moved it, or when it names the office as its lead; a field when
    one of its kept criteria is; causes of other offices' tasks are left out.
    """
    start, end = before.as_of, after.as_of
    closes = facts.closing_date
    rules = _rules(facts)
    tasks_of: dict[str, list[str]] = {}
    for link in facts.links:
        tasks_of.setdefault(link.criterion_code, []).append(link.task_code)
    occurrences_of: dict[str, list[OccurrenceFact]] = {}
    for occ in facts.occurrences:
        occurrences_of.setdefault(occ.task_code, []).append(occ)
    changed_occ: dict[str, list[Cause]] = {}

    def task_causes(task: str) -> list[Cause]:
        found = changed_occ.get(task)
        if found is None:
            found = []
            for occ in occurrences_of.get(task, ()):
                if office is None or occ.lead_office == office:
                    found.extend(occurrence_causes(occ, start, end, closes))
            changed_occ[task] = found
        return found

    out: list[Change] = []
    for root in after.criteria:
        old_root = before.find(root.code)
        leaves = []
        for leaf in _leaves(root):
            moves = _moves(before.find(leaf.code), leaf)
            if not moves:
                continue
            rule = rules.get(leaf.code)
            causes = _criterion_causes(facts, rule, tasks_of.get(leaf.code, ()), task_causes,
                                       start, end, office)
            if office is not None and not causes and (rule is None or rule.lead_office != office):
                continue
            if not causes and start < closes <= end:
                causes.append(Cause("closed", closes, leaf.code))
            leaves.append(Change(leaf.code, leaf.title, True, moves, tuple(causes)))
        if not leaves:
            continue
        root_moves = _moves(old_root, root)
        if root.children and root_moves:
            out.append(Change(root.code, root.title, False, root_moves))
        out.extend(leaves)
    return tuple(out)


def _criterion_causes(facts: PlanFacts, rule: CriterionRule | None, tasks: Iterable[str],
                      task_causes: Callable[[str], list[Cause]], start: date, end: date,
                      office: str | None) -> list[Cause]:
    out: list[Cause] = []
    seen: set[str] = set()
    for task in tasks:
        if task not in seen:
            seen.add(task)
            out.extend(task_causes(task))
    if rule is None or (office is not None and rule.lead_office != office):
        # An office's view names the facts of its own tasks (and of criteria it leads).
        return _ordered(out)
    code = rule.code
    if rule.method == "threshold" and rule.indicator is not None:
        for reading in facts.readings:
            if reading.indicator == rule.indicator and _within(reading.on, start, end):
                out.append(Cause("reading", reading.on, reading.indicator, value=reading.value,
                                 numerator=reading.numerator, denominator=reading.denominator))
    for conf in facts.confirmations:
        if conf.criterion_code == code and _within(conf.on, start, end):
            out.append(Cause("confirmation", conf.on, code, status=conf.outcome))
    for entry in facts.manual_entries:
        if entry.criterion_code == code and _within(entry.on, start, end):
            out.append(Cause("manual", entry.on, code, value=entry.points))
    for item in facts.criterion_evidence:
        if item.criterion_code == code:
            out.extend(_evidence_causes(item.evidence, code, start, end, criterion=True))
    return _ordered(out)


def _ordered(causes: list[Cause]) -> list[Cause]:
    unique = list(dict.fromkeys(causes))
    unique.sort(key=lambda c: (c.on, c.subject, c.kind))
    return unique


_ONE_DAY = timedelta(days=1)
