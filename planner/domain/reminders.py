"""When a deadline or an evidence expiry is reminded: 7, 3 and 1 working days before, on the
day itself, and once when it has passed (DOMAIN.md; weekends and Vietnamese public holidays
skipped, with the config's extra days off and worked days).

A reminder is keyed by what it is about, the date it is about and its threshold: a run on day
D owes the *tightest* threshold D has reached (a run that missed the 7-day reminder sends the
3-day one, not both); a moved date is a new key, so its reminders are owed again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from planner.domain.facts import EvidenceFact, OccurrenceFact
from planner.domain.occurrences import review_state, status_as_of
from planner.domain.schedule import add_working_days

#: Working days ahead of the date; 0 is the date itself.
THRESHOLDS = (7, 3, 1, 0)
#: The threshold of a date that has passed (work overdue, evidence expired): reminded once.
PASSED = -1

Kind = Literal["deadline", "expiry"]


@dataclass(frozen=True)
class WorkCalendar:
    """Days off besides weekends and public holidays, and weekend days worked (the
    government's day swaps), from the config's `[holidays]` table."""

    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)

    def threshold_date(self, on: date, threshold: int) -> date:
        """The day a threshold's reminder is due: `threshold` working days before `on`."""
        if threshold <= 0:
            return on if threshold == 0 else on + timedelta(days=1)
        return add_working_days(on, -threshold, extra_holidays=self.extra_holidays,
                                extra_workdays=self.extra_workdays)

    def reached(self, on: date, day: date) -> int | None:
        """The tightest threshold reached on `day` for a date `on`: PASSED after it, else the
        smallest of THRESHOLDS whose day has come; None more than 7 working days ahead."""
        if day > on:
            return PASSED
        for threshold in reversed(THRESHOLDS):  # 0, 1, 3, 7: the tightest first
            if self.threshold_date(on, threshold) <= day:
                return threshold
        return None

    def hit(self, on: date, day: date) -> int | None:
        """The threshold whose reminder day is exactly `day` (PASSED every day after `on`):
        what a daily listing shows."""
        if day > on:
            return PASSED
        for threshold in THRESHOLDS:
            if self.threshold_date(on, threshold) == day:
                return threshold
        return None


@dataclass(frozen=True)
class Due:
    """Something an office must act on by a date: an open occurrence's deadline, or the end of
    the validity of the accepted evidence it (or a criterion it answers for) relies on."""

    kind: Kind
    key: str  # the occurrence key (`T03`, `T04@2022-03-31`) or `criterion 1.1.3`
    office: str  # the office reminded: the lead office
    on: date  # the deadline, or the last day the evidence is valid
    evidence: tuple[int, ...] = ()  # the expiring evidence


def open_deadlines(occurrences: tuple[OccurrenceFact, ...], day: date) -> Iterator[Due]:
    """Deadlines of occurrences neither done nor cancelled as of `day`."""
    for occ in occurrences:
        if occ.status_events:
            status, _done = status_as_of(occ.status_events, day)
            if status in ("done", "cancelled"):
                continue
        yield Due("deadline", occ.key, occ.lead_office, occ.due_on)


def expiring(evidence: tuple[EvidenceFact, ...], day: date, closes_on: date) -> date | None:
    """The last valid day of the evidence a target relies on as of `day`, when it ends by the
    plan's closing date; None when nothing counted is expiring (no end, still covered by a
    piece valid for good or awaiting review, or an end after the plan closes)."""
    latest: date | None = None
    for ev in evidence:
        state = review_state(ev, day)
        if state == "pending":
            return None  # new evidence is on its way
        if state not in ("accepted", "expired"):
            continue
        if ev.valid_until is None:
            return None  # something valid for good covers the target
        latest = ev.valid_until if latest is None else max(latest, ev.valid_until)
    if latest is None or latest >= closes_on:
        # After the plan closes an expiry changes nothing: what was secured stays secured.
        return None
    return latest


def evidence_expiries(
    occurrences: tuple[OccurrenceFact, ...], day: date, closes_on: date
) -> Iterator[Due]:
    """The validity ends of occurrences' evidence that will matter (see `expiring`)."""
    for occ in occurrences:
        if not occ.evidence:
            continue
        if occ.status_events and status_as_of(occ.status_events, day)[0] == "cancelled":
            continue
        end = expiring(occ.evidence, day, closes_on)
        if end is not None:
            ids = tuple(ev.id for ev in occ.evidence if ev.valid_until == end)
            yield Due("expiry", occ.key, occ.lead_office, end, ids)
