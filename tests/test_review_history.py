"""The review history of evidence: the state as of a date is the last review on or before it.

Accepting, rejecting and taking a decision back are dated events; `review_as_of` and the
scoring built on it read them as of any date, so undoing a mistake never rewrites the past.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from planner.domain.facts import EvidenceFact, OccurrenceFact, Review, evidence_fact
from planner.domain.occurrences import evidence_state, latest_review, occurrence_state, review_as_of

START = date(2022, 1, 1)
days = st.integers(min_value=0, max_value=120).map(lambda n: START + timedelta(days=n))
states = st.sampled_from(["accepted", "rejected", "submitted"])
reviews = st.lists(st.builds(Review, days, states, st.sampled_from(["", "thiếu chữ ký", "nhầm"])),
                   max_size=8).map(lambda events: tuple(sorted(events, key=lambda r: r.on)))


def test_a_decision_taken_back_stands_before_and_not_after() -> None:
    ev = EvidenceFact(15, date(2022, 5, 2), reviews=(
        Review(date(2022, 5, 3), "accepted"),
        Review(date(2022, 5, 10), "submitted", "nhầm văn bản"),
        Review(date(2022, 5, 12), "rejected", "thiếu chữ ký"),
    ))
    assert review_as_of(ev, date(2022, 5, 1)).state == "not_submitted"
    assert review_as_of(ev, date(2022, 5, 2)) == ("submitted", date(2022, 5, 2), "")
    assert review_as_of(ev, date(2022, 5, 9)) == ("accepted", date(2022, 5, 3), "")
    assert review_as_of(ev, date(2022, 5, 10)) == ("submitted", date(2022, 5, 10), "nhầm văn bản")
    assert review_as_of(ev, date(2022, 5, 31)) == ("rejected", date(2022, 5, 12), "thiếu chữ ký")
    withdrawn = EvidenceFact(16, date(2022, 5, 2), withdrawn_on=date(2022, 5, 4),
                             reviews=(Review(date(2022, 5, 3), "accepted"),))
    assert review_as_of(withdrawn, date(2022, 5, 3)).state == "accepted"
    assert review_as_of(withdrawn, date(2022, 5, 4)) == ("withdrawn", date(2022, 5, 4), "")


def test_same_day_the_later_recorded_review_wins() -> None:
    day = date(2022, 5, 10)
    ev = EvidenceFact(1, date(2022, 5, 1), reviews=(
        Review(day, "accepted"), Review(day, "submitted", "oops")))
    assert review_as_of(ev, day).state == "submitted"
    assert evidence_state((ev,), day) == "submitted"


def test_the_shorthand_builds_the_same_history() -> None:
    """`rejected_on`/`accepted_on`/`reason` (tests, seed files) make review events; of a
    rejection and an acceptance on one day the acceptance stands, as before."""
    both = EvidenceFact(3, date(2022, 5, 1), rejected_on=date(2022, 5, 2),
                        accepted_on=date(2022, 5, 2), reason="unsigned")
    assert both.reviews == (Review(date(2022, 5, 2), "rejected", "unsigned"),
                            Review(date(2022, 5, 2), "accepted", ""))
    assert review_as_of(both, date(2022, 5, 2)).state == "accepted"
    fast = evidence_fact(3, date(2022, 5, 1), None, both.reviews)
    assert fast == both


@given(history=reviews, as_of=days, submitted=days)
def test_state_as_of_is_the_last_event_on_or_before(history: tuple[Review, ...], as_of: date,
                                                    submitted: date) -> None:
    submitted = min([submitted, *(r.on for r in history)])
    ev = EvidenceFact(1, submitted, reviews=history)
    known = [r for r in history if r.on <= as_of]
    expected = known[-1] if known else None
    assert latest_review(history, as_of) == expected
    got = review_as_of(ev, as_of)
    if submitted > as_of:
        assert got.state == "not_submitted"
    elif expected is None:
        assert (got.state, got.on) == ("submitted", submitted)
    else:
        assert got == (expected.state, expected.on, expected.reason)
    # Scoring reads the same answer: an occurrence done on time with only this evidence.
    occ = OccurrenceFact("T01", "T01", "t", "VP", date(2022, 12, 31), evidence=(ev,))
    state = occurrence_state(occ, as_of).evidence
    assert state == {"not_submitted": "none", "withdrawn": "none", "submitted": "submitted",
                     "accepted": "accepted", "rejected": "rejected"}[got.state]


@given(history=reviews, undo=days)
def test_taking_a_decision_back_never_changes_an_earlier_date(history: tuple[Review, ...],
                                                              undo: date) -> None:
    """Appending a review dated D changes nothing as of any date before D."""
    last = max([undo, *(r.on for r in history)])
    before = EvidenceFact(1, START, reviews=history)
    after = EvidenceFact(1, START, reviews=(*history, Review(last, "submitted", "nhầm")))
    for offset in range(0, (last - START).days):
        day = START + timedelta(days=offset)
        assert review_as_of(before, day) == review_as_of(after, day)
