"""What-if: hypothetical changes to a plan's facts, scored without touching the store.

A change says what would happen to one occurrence (done on a date, done after its deadline,
never done, its evidence rejected), or adds a reading or a confirmation. `apply_changes`
gives the facts with the changes in; `what_if` scores the facts before and after as of one
date. Task changes are rescored incrementally (`planner.domain.incremental.rescore`, only the
criteria the changed tasks touch); readings and confirmations change what every node may read,
so they take a full `score_plan`.

A hypothetical delivery counts as delivered with its evidence accepted the same day (what
`projected` assumes of work on schedule). Every figure is read as of the latest date a change
needs: a delivery on 30/06 is seen from 30/06, and "never done" is seen the day after the
deadline, when the occurrence is overdue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from planner.domain.facts import (
    Confirmation,
    CriterionEvidence,
    CriterionRule,
    EvidenceFact,
    IndicatorDef,
    OccurrenceFact,
    PlanFacts,
    Reading,
    Review,
    StatusEvent,
)
from planner.domain.incremental import rescore, with_task
from planner.domain.results import PlanScore
from planner.domain.rollup import score_plan
from planner.i18n import _

ChangeKind = Literal["done", "slip", "never", "reject"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("done", "slip", "never", "reject")
_DAY = timedelta(days=1)
# Hypothetical evidence gets ids no stored row has.
_HYPOTHETICAL_ID = -1


class WhatIfError(ValueError):
    """A change that cannot apply to these facts: an unknown occurrence, indicator, criterion
    or outcome, or a slip to a date not after the deadline. `subject` names what was given."""

    def __init__(self, subject: str, reason: str) -> None:
        super().__init__(f"{subject}: {reason}")
        self.subject = subject
        self.reason = reason


@dataclass(frozen=True)
class OccurrenceChange:
    """A hypothetical change to one occurrence (`T03`, or `T07@2022-06-30`).

    - `done`: delivered on `on` (late when `on` is after the deadline; on the deadline when
      no date is given), evidence accepted that day;
    - `slip`: delivered on `on`, which must be after the deadline;
    - `never`: never delivered: its done status and its evidence are dropped;
    - `reject`: its evidence (a delivery's included, when applied after one) rejected on `on`.
    """

    key: str
    kind: ChangeKind
    on: date | None = None


@dataclass(frozen=True)
class ReadingChange:
    """A hypothetical reading of an indicator."""

    indicator: str
    on: date
    value: float


@dataclass(frozen=True)
class ConfirmationChange:
    """A hypothetical confirmed outcome of a `condition` criterion, with accepted evidence."""

    criterion: str
    on: date
    outcome: str


Change = OccurrenceChange | ReadingChange | ConfirmationChange


@dataclass(frozen=True)
class WhatIf:
    """Both scores of a what-if, read as of the same date."""

    as_of: date
    before: PlanScore
    after: PlanScore
    changed_tasks: frozenset[str]


# --------------------------------------------------------------------------- evidence


def _evidence(on: date, *, accepted: bool) -> EvidenceFact:
    """A hypothetical piece of evidence submitted and reviewed on `on`."""
    review = Review(on, "accepted" if accepted else "rejected")
    return EvidenceFact(id=_HYPOTHETICAL_ID, submitted_on=on, reviews=(review,))


def _rejected(ev: EvidenceFact, on: date) -> EvidenceFact:
    """The same evidence rejected on `on`: its reviews before that day stand until then, none
    recorded on or after it outlives the rejection."""
    kept = tuple(review for review in ev.reviews if review.on < on)
    return replace(ev, reviews=(*kept, Review(on, "rejected")))


# --------------------------------------------------------------------------- occurrences


def _delivered(occ: OccurrenceFact, on: date) -> OccurrenceFact:
    events = tuple(ev for ev in occ.status_events if ev.on < on)
    return replace(
        occ,
        status_events=(*events, StatusEvent(on, "done", 100)),
        evidence=(*occ.evidence, _evidence(on, accepted=True)),
    )


def change_occurrence(occ: OccurrenceFact, change: OccurrenceChange) -> OccurrenceFact:
    """The occurrence as the change would leave it."""
    if change.kind == "never":
        events = tuple(ev for ev in occ.status_events if ev.status != "done")
        return replace(occ, status_events=events, evidence=())
    on = change.on
    if on is None and change.kind == "done":
        on = occ.due_on  # delivered on time, on its deadline
    if on is None:
        raise WhatIfError(occ.key, _("a date is needed"))
    if change.kind == "slip" and on <= occ.due_on:
        raise WhatIfError(
            occ.key,
            _("{date} is not after its deadline {due}").format(
                date=on.strftime("%d/%m/%Y"), due=occ.due_on.strftime("%d/%m/%Y")
            ),
        )
    if change.kind in ("done", "slip"):
        return _delivered(occ, on)
    submitted = [ev for ev in occ.evidence if ev.submitted_on <= on]
    if not submitted:
        return replace(occ, evidence=(*occ.evidence, _evidence(on, accepted=False)))
    return replace(
        occ,
        evidence=tuple(_rejected(ev, on) if ev.submitted_on <= on else ev for ev in occ.evidence),
    )


def change_date(occ: OccurrenceFact, change: OccurrenceChange) -> date:
    """From when the change shows: its date, or for "never" the day after the deadline."""
    if change.kind == "never":
        return occ.due_on + _DAY
    return change.on if change.on is not None else occ.due_on


def find_occurrences(facts: PlanFacts, key: str) -> list[OccurrenceFact]:
    """The occurrences `key` names: one by its key, or every occurrence of a task code."""
    key = key.strip()
    exact = [occ for occ in facts.occurrences if occ.key == key]
    if exact:
        return exact
    return [occ for occ in facts.occurrences if occ.task_code == key]


# --------------------------------------------------------------------------- facts


def _leaves(rules: Iterable[CriterionRule]) -> Iterable[CriterionRule]:
    for rule in rules:
        yield rule
        yield from _leaves(rule.children)


def apply_changes(
    facts: PlanFacts, changes: Sequence[Change]
) -> tuple[PlanFacts, frozenset[str], date | None]:
    """The facts with the changes in, applied in order (two changes to one occurrence
    compose), the tasks they touch, and the latest date a change needs to be seen."""
    by_task: dict[str, list[OccurrenceFact]] = {}
    changed_keys: set[str] = set()
    latest: date | None = None
    readings: list[Reading] = []
    confirmations: list[Confirmation] = []
    criterion_evidence: list[CriterionEvidence] = []
    if all(isinstance(change, OccurrenceChange) for change in changes):
        rules: dict[str, CriterionRule] = {}
        indicators: dict[str, IndicatorDef] = {}
    else:
        rules = {rule.code: rule for rule in _leaves(facts.criteria)}
        indicators = {ind.code: ind for ind in facts.indicators}

    def later(day: date) -> None:
        nonlocal latest
        latest = day if latest is None or day > latest else latest

    for change in changes:
        if isinstance(change, OccurrenceChange):
            targets = find_occurrences(facts, change.key)
            if not targets:
                raise WhatIfError(change.key, _("no such task or occurrence in the plan"))
            for target in targets:
                occs = by_task.get(target.task_code)
                if occs is None:
                    occs = by_task[target.task_code] = [
                        occ for occ in facts.occurrences if occ.task_code == target.task_code
                    ]
                i = next(n for n, occ in enumerate(occs) if occ.key == target.key)
                occs[i] = change_occurrence(occs[i], change)
                changed_keys.add(target.key)
                later(change_date(occs[i], change))
        elif isinstance(change, ReadingChange):
            definition = indicators.get(change.indicator)
            if definition is None:
                raise WhatIfError(change.indicator, _("no such indicator in the plan"))
            if definition.computed is not None:
                raise WhatIfError(change.indicator, _("computed from the plan, not read"))
            readings.append(Reading(change.indicator, change.on, change.value))
            later(change.on)
        else:
            rule = rules.get(change.criterion)
            if rule is None or rule.method != "condition":
                raise WhatIfError(change.criterion, _("no such condition criterion in the plan"))
            if change.outcome not in {outcome.key for outcome in rule.outcomes}:
                known = ", ".join(outcome.key for outcome in rule.outcomes)
                raise WhatIfError(
                    change.outcome,
                    _("not an outcome of {code} ({known})").format(code=rule.code, known=known),
                )
            confirmations.append(Confirmation(change.criterion, change.on, change.outcome))
            criterion_evidence.append(
                CriterionEvidence(change.criterion, _evidence(change.on, accepted=True))
            )
            later(change.on)
    new = facts
    for task, occs in by_task.items():
        new = with_task(new, task, occs)
    if readings or confirmations:
        new = replace(
            new,
            readings=(*new.readings, *readings),
            confirmations=(*new.confirmations, *confirmations),
            criterion_evidence=(*new.criterion_evidence, *criterion_evidence),
        )
    return new, frozenset(by_task), latest


def what_if(
    facts: PlanFacts,
    changes: Sequence[Change],
    as_of: date,
    *,
    before: PlanScore | None = None,
) -> WhatIf:
    """The plan's score before and after the changes, both as of the later of `as_of` and
    the latest date a change needs. `before`, when given, must be `score_plan(facts, D)` for
    that date (a screen that keeps its score current passes it and pays only the rescore)."""
    new, tasks, latest = apply_changes(facts, changes)
    day = max(as_of, latest) if latest is not None else as_of
    if before is None or before.as_of != day:
        before = score_plan(facts, day, explain=False)
    only_tasks = all(isinstance(change, OccurrenceChange) for change in changes)
    after = rescore(before, new, tasks, day) if only_tasks else score_plan(new, day, explain=False)
    return WhatIf(day, before, after, tasks)


class WhatIfSession:
    """Tasks toggled one at a time as hypothetically done today (the TUI's what-if mode).

    Each toggle rescores only the criteria the toggled task touches, from the score before it
    (`rescore`); toggling a task again takes its hypothesis back. Nothing here is stored:
    dropping the session discards every hypothesis.
    """

    def __init__(self, facts: PlanFacts, as_of: date, real: PlanScore | None = None) -> None:
        self.real_facts = facts
        self.as_of = as_of
        if real is None or real.as_of != as_of or "_scorer" not in real.__dict__:
            real = score_plan(facts, as_of, explain=False)
        self.real = real
        self.facts = facts
        self.score = real
        self.done: dict[str, OccurrenceChange] = {}  # occurrence key -> its hypothesis
        self._by_task: dict[str, list[OccurrenceFact]] = {}
        for occ in facts.occurrences:
            self._by_task.setdefault(occ.task_code, []).append(occ)
        self._keys = {occ.key: occ for occ in facts.occurrences}

    def is_done(self, key: str) -> bool:
        return key in self.done

    def toggle(self, key: str) -> PlanScore:
        """Mark the occurrence hypothetically done today (with its evidence accepted), or take
        that back; the score after it."""
        occ = self._keys.get(key)
        if occ is None:
            raise WhatIfError(key, _("no such task or occurrence in the plan"))
        if key in self.done:
            del self.done[key]
        else:
            self.done[key] = OccurrenceChange(key, "done", self.as_of)
        task = occ.task_code
        occurrences = [
            change_occurrence(o, self.done[o.key]) if o.key in self.done else o
            for o in self._by_task[task]
        ]
        self.facts = with_task(self.facts, task, occurrences)
        self.score = rescore(self.score, self.facts, {task}, self.as_of)
        return self.score
