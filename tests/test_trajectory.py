"""The trajectory: the score at a series of dates, each point a fresh as-of computation."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from planner.domain.facts import PlanFacts
from planner.domain.scoring import score_plan
from planner.domain.trajectory import score_series, series_dates, trajectory_point
from tests.test_scoring_properties import GRID, PROPERTY_SETTINGS, plans

# Dates in any order, repeated or not: before the plan, through the year, after it closes;
# on the facts' dates and the days either side of them (a due date's next day is overdue).
NEAR_GRID = sorted({day + timedelta(days=shift) for day in GRID for shift in (-1, 0, 1)})
date_lists = st.lists(st.sampled_from(NEAR_GRID), min_size=1, max_size=8)


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


def test_series_dates_run_from_the_start_to_the_as_of_date() -> None:
    start = date(2022, 1, 1)
    weeks = series_dates(start, date(2022, 1, 20), "week")
    assert weeks == [date(2022, 1, 1), date(2022, 1, 8), date(2022, 1, 15), date(2022, 1, 20)]
    assert series_dates(start, date(2022, 1, 15), "week")[-1] == date(2022, 1, 15)
    months = series_dates(start, date(2022, 3, 31), "month")
    assert months == [date(2022, 1, 1), date(2022, 2, 1), date(2022, 3, 1), date(2022, 3, 31)]
    assert series_dates(start, date(2021, 12, 1), "week") == [date(2021, 12, 1)]
