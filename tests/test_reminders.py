"""When reminders fall: working days (weekends and Vietnamese public holidays skipped), the
tightest threshold reached, and evidence expiries that matter."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.facts import EvidenceFact
from planner.domain.reminders import PASSED, THRESHOLDS, WorkCalendar, expiring
from planner.domain.schedule import is_working_day, working_days_between

CAL = WorkCalendar()


def test_thresholds_skip_the_reunification_and_labour_day_holidays() -> None:
    # Thursday 05/05/2022: 02/05 and 03/05 are the days off for 30/4 and 1/5.
    due = date(2022, 5, 5)
    assert CAL.threshold_date(due, 1) == date(2022, 5, 4)
    assert CAL.threshold_date(due, 3) == date(2022, 4, 28)
    assert CAL.threshold_date(due, 7) == date(2022, 4, 22)
    assert CAL.threshold_date(due, 0) == due


def test_config_days_off_and_worked_days_move_the_thresholds() -> None:
    due = date(2022, 5, 13)  # Friday
    assert CAL.threshold_date(due, 1) == date(2022, 5, 12)
    off = WorkCalendar(extra_holidays=frozenset({date(2022, 5, 12)}))
    assert off.threshold_date(due, 1) == date(2022, 5, 11)
    swapped = WorkCalendar(extra_workdays=frozenset({date(2022, 5, 7)}))  # a Saturday worked
    assert CAL.threshold_date(due, 7) == date(2022, 5, 4)
    assert swapped.threshold_date(due, 7) == date(2022, 5, 5)


@settings(max_examples=60, deadline=None)
@given(st.dates(date(2022, 1, 1), date(2023, 12, 31)), st.integers(-5, 40))
def test_the_tightest_threshold_reached(due: date, before: int) -> None:
    day = due - timedelta(days=before)
    reached = CAL.reached(due, day)
    if day > due:
        assert reached == PASSED
        return
    for threshold in THRESHOLDS:
        on = CAL.threshold_date(due, threshold)
        assert on <= due
        if threshold > 0:
            # A threshold day is a working day, `threshold` working days before the date.
            assert is_working_day(on)
            assert working_days_between(on, due) == threshold or not is_working_day(due)
    if reached is None:
        assert day < CAL.threshold_date(due, 7)
    else:
        assert CAL.threshold_date(due, reached) <= day
        tighter = [t for t in THRESHOLDS if t < reached]
        assert all(CAL.threshold_date(due, t) > day for t in tighter)
    # A daily listing shows a reminder on its threshold day only (or after the date).
    hit = CAL.hit(due, day)
    assert hit is None or CAL.threshold_date(due, hit) == day


def test_an_expiry_matters_only_when_nothing_else_covers_the_target() -> None:
    close = date(2022, 12, 31)
    ending = EvidenceFact(1, date(2022, 3, 1), accepted_on=date(2022, 3, 2),
                          valid_until=date(2022, 6, 30))
    assert expiring((ending,), date(2022, 6, 20), close) == date(2022, 6, 30)
    assert expiring((ending,), date(2022, 7, 5), close) == date(2022, 6, 30)  # expired
    for_good = EvidenceFact(2, date(2022, 3, 1), accepted_on=date(2022, 3, 2))
    assert expiring((ending, for_good), date(2022, 6, 20), close) is None
    renewal = EvidenceFact(3, date(2022, 6, 15))  # awaiting review
    assert expiring((ending, renewal), date(2022, 6, 20), close) is None
    # Not yet accepted on the day: nothing counted, nothing expiring.
    assert expiring((ending,), date(2022, 3, 1), close) is None
    # Valid through the plan's close: an expiry afterwards changes nothing.
    late = EvidenceFact(4, date(2022, 3, 1), accepted_on=date(2022, 3, 2),
                        valid_until=date(2023, 3, 31))
    assert expiring((late,), date(2022, 12, 20), close) is None
