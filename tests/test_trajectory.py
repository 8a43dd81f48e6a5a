"""The trajectory: the score at a series of dates, each point a fresh as-of computation."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from planner.domain.facts import (
    CriterionEvidence,
    CriterionRule,
    EvidenceFact,
    OccurrenceFact,
    PlanFacts,
    Review,
    StatusEvent,
    TaskLink,
)
from planner.domain.scoring import score_plan
from planner.domain.trajectory import score_series, series_dates, trajectory_point
from tests.test_scoring_properties import GRID, PROPERTY_SETTINGS, plans

# Dates in any order, repeated or not: before the plan, through the year, after it closes;
# on the facts' dates and the days either side of them (a due date's next day is overdue).
NEAR_GRID = sorted({day + timedelta(days=shift) for day in GRID for shift in (-1, 0, 1)})
date_lists = st.lists(st.sampled_from(NEAR_GRID), min_size=1, max_size=8)


@st.composite
def reviewed_plans(draw: st.DrawFn) -> PlanFacts:
    """A plan whose evidence carries review histories as `planner review` and its undo leave
    them: several decisions, some taken back (state "submitted"), in the order recorded."""
    facts, _as_of = draw(plans())
    # A decision then its take-back, most often: a take-back alone moves the evidence.
    reviews = st.lists(
        st.builds(Review, st.sampled_from(GRID),
                  st.sampled_from(["accepted", "rejected", "submitted", "submitted"])),
        min_size=1,
        max_size=3,
    )

    def reviewed(ev: EvidenceFact) -> EvidenceFact:
        history = sorted(draw(reviews), key=lambda r: r.on)
        return dataclasses.replace(ev, reviews=tuple(history))

    # Evidence moves a score once the work is done: often done from the start.
    done_early = (StatusEvent(GRID[0], "done"),)
    occurrences = tuple(
        dataclasses.replace(
            occ,
            evidence=tuple(reviewed(ev) for ev in occ.evidence),
            status_events=done_early if occ.evidence and draw(st.booleans()) else occ.status_events,
        )
        for occ in facts.occurrences
    )
    criterion_evidence = tuple(
        CriterionEvidence(item.criterion_code, reviewed(item.evidence))
        for item in facts.criterion_evidence
    )
    return dataclasses.replace(
        facts, occurrences=occurrences, criterion_evidence=criterion_evidence
    )


@PROPERTY_SETTINGS
@given(plans(), date_lists)
def test_each_point_equals_a_fresh_score_as_of_its_date(
    case: tuple[PlanFacts, date], dates: list[date]
) -> None:
    facts, _as_of = case
    series = list(score_series(facts, dates))
    assert [s.as_of for s in series] == dates
    for day, point in zip(dates, series, strict=True):
        assert point == score_plan(facts, day, explain=False), day


@PROPERTY_SETTINGS
@given(plans())
def test_a_weekly_series_through_the_year_equals_fresh_scores(
    case: tuple[PlanFacts, date],
) -> None:
    facts, _as_of = case
    dates = series_dates(facts.starts_on, date(2023, 1, 20), "week")
    for point in score_series(facts, dates):
        fresh = score_plan(facts, point.as_of, explain=False)
        assert point == fresh
        assert trajectory_point(point) == trajectory_point(fresh)


@PROPERTY_SETTINGS
@given(reviewed_plans(), date_lists)
def test_a_review_taken_back_moves_the_series_as_it_moves_a_fresh_score(
    facts: PlanFacts, dates: list[date]
) -> None:
    # The day before and the day of each review, in order; then dates in any order.
    pieces = [ev for occ in facts.occurrences for ev in occ.evidence]
    pieces += [item.evidence for item in facts.criterion_evidence]
    around = sorted({review.on - timedelta(days=shift)
                     for ev in pieces for review in ev.reviews for shift in (1, 0)})
    for series in (around, dates):
        for day, point in zip(series, score_series(facts, series), strict=True):
            assert point == score_plan(facts, day, explain=False), day


def test_the_week_a_review_is_taken_back_the_series_sees_the_evidence_pending_again() -> None:
    # Done early, its evidence accepted on 01/02, the acceptance taken back on 01/03: the
    # points are secured through February and open again from March, as a fresh score says.
    evidence = EvidenceFact(1, date(2022, 1, 1), reviews=(
        Review(date(2022, 2, 1), "accepted"), Review(date(2022, 3, 1), "submitted")))
    occurrence = OccurrenceFact("T0", "T0", "T0", "VP", date(2022, 6, 1),
                                (StatusEvent(date(2022, 1, 1), "done"),), (evidence,))
    facts = PlanFacts(2022, date(2022, 1, 1), date(2022, 12, 31),
                      (CriterionRule("1", "one", 1.0, "tasks"),), (occurrence,),
                      (TaskLink("T0", "1"),))
    dates = [date(2022, 2, 15), date(2022, 3, 15)]
    february, march = score_series(facts, dates)
    assert (february.overall.secured, february.overall.open) == (1.0, 0.0)
    assert (march.overall.secured, march.overall.open) == (0.0, 1.0)
    assert march == score_plan(facts, date(2022, 3, 15), explain=False)


def test_series_dates_run_from_the_start_to_the_as_of_date() -> None:
    start = date(2022, 1, 1)
    weeks = series_dates(start, date(2022, 1, 20), "week")
    assert weeks == [date(2022, 1, 1), date(2022, 1, 8), date(2022, 1, 15), date(2022, 1, 20)]
    assert series_dates(start, date(2022, 1, 15), "week")[-1] == date(2022, 1, 15)
    months = series_dates(start, date(2022, 3, 31), "month")
    assert months == [date(2022, 1, 1), date(2022, 2, 1), date(2022, 3, 1), date(2022, 3, 31)]
    assert series_dates(start, date(2021, 12, 1), "week") == [date(2021, 12, 1)]
