"""The inputs of scoring: a plan's criteria tree and the dated facts loaded from the store.

Every fact carries the business date it happened on, so any figure can be recomputed as of a
past date; nothing here is resolved to "now".
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field
from datetime import date
from typing import Literal, NamedTuple

Method = Literal["tasks", "threshold", "condition", "manual", "sum"]
Status = Literal["not_started", "in_progress", "done", "paused", "cancelled"]
Direction = Literal["higher", "lower"]

STATUSES: tuple[Status, ...] = ("not_started", "in_progress", "done", "paused", "cancelled")


@dataclass(frozen=True)
class Band:
    """Points reached when the indicator value is at or beyond `bound`.

    For a `higher` indicator the bound is an inclusive lower bound (value >= bound); for a
    `lower` indicator an inclusive upper bound (value <= bound).
    """

    bound: float
    points: float


@dataclass(frozen=True)
class Outcome:
    """One outcome of a `condition` criterion (for example yes 0.5 / no 0)."""

    key: str
    label: str
    points: float


@dataclass(frozen=True)
class CriterionRule:
    """A node of the criteria tree with its scoring method and parameters.

    Parents (method "sum") add their children and never exceed their own maximum.
    """

    code: str
    title: str
    max_points: float
    method: Method = "sum"
    children: tuple[CriterionRule, ...] = ()
    # tasks
    late_factor: float = 0.5
    mode: Literal["share", "all"] = "share"
    # threshold
    indicator: str | None = None
    bands: tuple[Band, ...] = ()
    when_empty: float | None = None
    # condition
    outcomes: tuple[Outcome, ...] = ()
    expected_outcome: str | None = None
    # manual
    expected_points: float | None = None
    lead_office: str | None = None


ReviewState = Literal["accepted", "rejected", "submitted"]


class Review(NamedTuple):
    """One dated review decision: evidence accepted, rejected, or a decision taken back
    (state "submitted": awaiting review again), with the reason given. A tuple: the loader
    builds one per review of the plan, four times cheaper than a frozen dataclass."""

    on: date
    state: ReviewState
    reason: str = ""


@dataclass(frozen=True)
class EvidenceFact:
    """One piece of evidence: when it was submitted, its dated review decisions, and when it
    was withdrawn by whoever submitted it.

    `reviews` are in the order they were recorded. The review standing as of D is the latest
    on or before D, of two on the same day the one recorded later
    (`domain.occurrences.review_as_of`).

    `accepted_on`, `rejected_on` and `reason` are a shorthand for building a fact by hand
    (tests, seed files): one acceptance and/or one rejection (the reason goes with the
    rejection), added to `reviews` in date order, a rejection before an acceptance of the
    same day. They are init-only (`dataclasses.replace` takes them too): reading
    `fact.accepted_on` gives the class default None, never the history; read `reviews`.

    `valid_until` is the last day it is valid (a regulation superseded, a certificate's term):
    accepted evidence counts on a day only if it is valid on that day.
    """

    id: int
    submitted_on: date
    accepted_on: InitVar[date | None] = None
    rejected_on: InitVar[date | None] = None
    withdrawn_on: date | None = None
    reason: InitVar[str] = ""
    reviews: tuple[Review, ...] = ()
    valid_until: date | None = None

    def __post_init__(self, accepted_on: date | None, rejected_on: date | None,
                      reason: str) -> None:
        added = []
        if rejected_on is not None:
            added.append(Review(rejected_on, "rejected", reason))
        if accepted_on is not None:
            added.append(Review(accepted_on, "accepted", "" if rejected_on is not None else reason))
        if added:
            # A stable sort: on a date shared with existing reviews the added ones come last.
            merged = sorted((*self.reviews, *added), key=lambda r: r.on)
            object.__setattr__(self, "reviews", tuple(merged))


def evidence_fact(id: int, submitted_on: date, withdrawn_on: date | None,
                  reviews: tuple[Review, ...], valid_until: date | None = None) -> EvidenceFact:
    """`EvidenceFact(...)` without `__init__` and `__post_init__`: the loader builds one per
    piece of evidence of the plan."""
    fact = _new_object(EvidenceFact)
    _set_attribute(fact, "__dict__", {"id": id, "submitted_on": submitted_on,
                                      "withdrawn_on": withdrawn_on, "reviews": reviews,
                                      "valid_until": valid_until})
    return fact


@dataclass(frozen=True)
class StatusEvent:
    on: date
    status: Status
    # The progress recorded with the change (0-100), when one was: what `tasks --as-of`
    # shows for a past date.
    progress: int | None = None


@dataclass(frozen=True)
class OccurrenceFact:
    """A task occurrence: a non-recurring task has one, named by the task code; a recurring
    task has one per date of its rule in the plan year, named `CODE@YYYY-MM-DD`."""

    key: str
    task_code: str
    title: str
    lead_office: str
    due_on: date
    status_events: tuple[StatusEvent, ...] = ()
    evidence: tuple[EvidenceFact, ...] = ()
    continuous: bool = False
    supporting_offices: tuple[str, ...] = ()


_new_object = object.__new__
_set_attribute = object.__setattr__


def occurrence_fact(key: str, task_code: str, title: str, lead_office: str, due_on: date,
                    status_events: tuple[StatusEvent, ...], evidence: tuple[EvidenceFact, ...],
                    continuous: bool, supporting_offices: tuple[str, ...]) -> OccurrenceFact:
    """`OccurrenceFact(...)` without the frozen dataclass's per-field `__setattr__`: the loader
    builds one per occurrence of the plan, and this is a fifth of the cost."""
    fact = _new_object(OccurrenceFact)
    _set_attribute(fact, "__dict__", {
        "key": key, "task_code": task_code, "title": title, "lead_office": lead_office,
        "due_on": due_on, "status_events": status_events, "evidence": evidence,
        "continuous": continuous, "supporting_offices": supporting_offices,
    })
    return fact


def task_link(task_code: str, criterion_code: str, weight: float) -> TaskLink:
    """`TaskLink(...)` built the same fast way as `occurrence_fact`."""
    link = _new_object(TaskLink)
    _set_attribute(link, "__dict__", {"task_code": task_code, "criterion_code": criterion_code,
                                      "weight": weight})
    return link


@dataclass(frozen=True)
class TaskLink:
    """A task linked to a criterion with a weight (its occurrences share the weight)."""

    task_code: str
    criterion_code: str
    weight: float = 1.0


@dataclass(frozen=True)
class Reading:
    indicator: str
    on: date
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    source: str = ""


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name: str
    unit: str = "percent"
    direction: Direction = "higher"
    target: float | None = None
    computed: Literal["plan_completion"] | None = None


@dataclass(frozen=True)
class Confirmation:
    criterion_code: str
    on: date
    outcome: str


@dataclass(frozen=True)
class ManualEntry:
    criterion_code: str
    on: date
    points: float


@dataclass(frozen=True)
class CriterionEvidence:
    """Evidence attached to a criterion itself: what confirms a `condition`."""

    criterion_code: str
    evidence: EvidenceFact


@dataclass(frozen=True)
class NotApplicable:
    """A criterion marked not applicable to the unit, and the points it was worth: they left
    the scored tree (`planner.domain.applicability`)."""

    code: str
    title: str
    points: float
    field: str  # the root criterion it belongs to (appraised or survey part)


@dataclass(frozen=True)
class PlanFacts:
    """Everything scoring needs about one plan.

    Occurrences fall within `[starts_on, ends_on]`; `closes_on` (the self-assessment cut-off,
    None when the plan closes when it ends) is when nothing more can be won.
    """

    year: int
    starts_on: date
    ends_on: date
    criteria: tuple[CriterionRule, ...]
    occurrences: tuple[OccurrenceFact, ...] = ()
    links: tuple[TaskLink, ...] = ()
    indicators: tuple[IndicatorDef, ...] = ()
    readings: tuple[Reading, ...] = ()
    confirmations: tuple[Confirmation, ...] = ()
    manual_entries: tuple[ManualEntry, ...] = ()
    appraised_fields: tuple[str, ...] = field(default=("1", "2", "3", "4", "5", "6", "7"))
    survey_fields: tuple[str, ...] = field(default=("8",))
    not_applicable: tuple[NotApplicable, ...] = ()
    closes_on: date | None = None
    criterion_evidence: tuple[CriterionEvidence, ...] = ()

    @property
    def closing_date(self) -> date:
        """After this date nothing more can be won: `closes_on`, else the plan's end."""
        closes = self.closes_on
        return closes if closes is not None and closes > self.ends_on else self.ends_on
