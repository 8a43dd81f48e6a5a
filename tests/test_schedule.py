"""Tests of planner.domain.schedule: dates, deadline phrases, working days, recurrence."""

from __future__ import annotations

import pickle
import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.schedule import (
    DateError,
    Deadline,
    add_working_days,
    describe_rule,
    expand_occurrences,
    format_date,
    is_working_day,
    month_end,
    occurrence_key,
    parse_date,
    parse_deadline,
    quarter_end,
    split_occurrence_key,
    task_occurrence_dates,
    working_days_between,
)

TODAY = date(2022, 5, 9)  # a Monday
D = date


# --- DateError and format_date ------------------------------------------------------------


def test_date_error_carries_text_and_message() -> None:
    e = DateError("31/02/2022", "February 2022 has 28 days")
    assert isinstance(e, ValueError)
    assert (e.text, e.message) == ("31/02/2022", "February 2022 has 28 days")
    assert str(e) == '"31/02/2022": February 2022 has 28 days'
    again = pickle.loads(pickle.dumps(e))
    assert (again.text, again.message) == (e.text, e.message)


def test_format_date() -> None:
    assert format_date(D(2022, 5, 7)) == "07/05/2022"
    assert format_date(D(1, 1, 1)) == "01/01/0001"


# --- parse_date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("30/6/2022", D(2022, 6, 30)),
        ("30/06/2022", D(2022, 6, 30)),
        ("30-6-2022", D(2022, 6, 30)),
        ("30.6.2022", D(2022, 6, 30)),
        ("2022-06-30", D(2022, 6, 30)),
        ("  1/1/2023 ", D(2023, 1, 1)),
        ("ngày 07 tháng 5 năm 2022", D(2022, 5, 7)),
        ("today", TODAY),
        ("TODAY", TODAY),
        ("hôm nay", TODAY),
        ("Hôm nay", TODAY),
        ("hom nay", TODAY),
        ("+3d", D(2022, 5, 12)),
        ("-2d", D(2022, 5, 7)),
        ("+2w", D(2022, 5, 23)),
        ("+10wd", D(2022, 5, 23)),
        ("+1WD", D(2022, 5, 10)),
        ("-1wd", D(2022, 5, 6)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


def test_parse_date_nfd_input() -> None:
    assert parse_date(unicodedata.normalize("NFD", "hôm nay"), today=TODAY) == TODAY


def test_parse_date_without_year() -> None:
    assert parse_date("30/6", year=2021) == D(2021, 6, 30)
    assert parse_date("30/6", today=TODAY) == D(2022, 6, 30)
    assert parse_date("30/6", year=2021, today=TODAY) == D(2021, 6, 30)
    with pytest.raises(DateError, match="no year"):
        parse_date("30/6")


def test_working_day_offsets_skip_holidays() -> None:
    # 29/04/2022 is a Friday; 30/04-03/05 are off (weekend, holidays and observed days).
    assert parse_date("+1wd", today=D(2022, 4, 29)) == D(2022, 5, 4)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("31/02/2022", "February 2022 has 28 days"),
        ("29/02/2023", "February 2023 has 28 days"),
        ("00/01/2022", "day 0 does not exist"),
        ("31/04/2022", "April 2022 has 30 days"),
        ("2022-13-01", "month 13 does not exist"),
        ("1/0/2022", "month 0 does not exist"),
        ("0000-01-01", "year 0 is out of range"),
    ],
)
def test_impossible_dates(text: str, reason: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert reason in info.value.message
    assert info.value.text == text
    assert str(info.value).startswith(f'"{text}": ')


def test_leap_day_exists() -> None:
    assert parse_date("29/02/2024") == D(2024, 2, 29)


@pytest.mark.parametrize("text", ["", "abc", "30/6/22", "2022", "Quý II/2022", "+10x", "30//6"])
def test_parse_date_rejects_other_text(text: str) -> None:
    with pytest.raises(DateError, match="not a date"):
        parse_date(text, today=TODAY, year=2022)


@pytest.mark.parametrize("text", ["today", "hôm nay", "+10wd", "+3d", "-2d", "+2w"])
def test_relative_dates_need_today(text: str) -> None:
    with pytest.raises(DateError, match="today"):
        parse_date(text)


# --- parse_deadline -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("31/3/2022", D(2022, 3, 31)),
        ("2022-06-30", D(2022, 6, 30)),
        ("30/6", D(2022, 6, 30)),
        ("Tháng 6/2022", D(2022, 6, 30)),
        ("tháng 6", D(2022, 6, 30)),
        ("Tháng 06 năm 2022", D(2022, 6, 30)),
        ("Tháng 2/2024", D(2024, 2, 29)),
        ("Trong tháng 9", D(2022, 9, 30)),
        ("Cuối tháng 11/2022", D(2022, 11, 30)),
        ("Quý II/2022", D(2022, 6, 30)),
        ("Quý 2", D(2022, 6, 30)),
        ("Quý II năm 2022", D(2022, 6, 30)),
        ("quy ii", D(2022, 6, 30)),
        ("QUÝ I", D(2022, 3, 31)),
        ("Quý III", D(2022, 9, 30)),
        ("Quý IV/2022", D(2022, 12, 31)),
        ("Trong quý III", D(2022, 9, 30)),
        ("6 tháng đầu năm", D(2022, 6, 30)),
        ("6 tháng cuối năm", D(2022, 12, 31)),
        ("9 tháng", D(2022, 9, 30)),
        ("9 tháng đầu năm", D(2022, 9, 30)),
        ("6 thang dau nam 2023", D(2023, 6, 30)),
        ("Trước 15/12/2022", D(2022, 12, 15)),
        ("Trước ngày 15/12", D(2022, 12, 15)),
        ("Trước ngày 15 tháng 12 năm 2022", D(2022, 12, 15)),
        ("trước ngày 15 tháng 12", D(2022, 12, 15)),
        ("Chậm nhất ngày 20/6", D(2022, 6, 20)),
        ("Trong năm 2022", D(2022, 12, 31)),
        ("Năm 2022", D(2022, 12, 31)),
        ("Cả năm", D(2022, 12, 31)),
        ("Trong năm", D(2022, 12, 31)),
        ("Hằng năm", D(2022, 12, 31)),
        ("Hàng năm", D(2022, 12, 31)),
        ("Q2 2022", D(2022, 6, 30)),
        ("q3/2022", D(2022, 9, 30)),
        ("2022-Q4", D(2022, 12, 31)),
        ("quarter 2", D(2022, 6, 30)),
        ("Quarter 1 of 2023", D(2023, 3, 31)),
        ("June 2022", D(2022, 6, 30)),
        ("jun", D(2022, 6, 30)),
        ("end of February 2024", D(2024, 2, 29)),
        ("end of year", D(2022, 12, 31)),
        ("end of 2023", D(2023, 12, 31)),
        ("first half of 2022", D(2022, 6, 30)),
        ("H2", D(2022, 12, 31)),
        ("by 15/12/2022", D(2022, 12, 15)),
        ("before 1/7/2022", D(2022, 7, 1)),
        ("30/6/2022.", D(2022, 6, 30)),
    ],
)
def test_parse_deadline_dates(text: str, expected: date) -> None:
    deadline = parse_deadline(text, year=2022)
    assert deadline == Deadline("date", due_on=expected, text=text.strip())


@pytest.mark.parametrize("text", ["Thường xuyên", "thuong xuyen", "Liên tục", "continuous"])
def test_parse_deadline_continuous(text: str) -> None:
    assert parse_deadline(text) == Deadline("continuous", text=text)


@pytest.mark.parametrize(
    "text, rule",
    [
        ("Hằng quý", "quarterly"),
        ("Hàng quý", "quarterly"),
        ("quarterly", "quarterly"),
        ("Hằng tháng", "monthly"),
        ("Hàng tháng", "monthly"),
        ("Monthly", "monthly"),
        ("Định kỳ", "periodic-reports"),
        ("Theo định kỳ", "periodic-reports"),
        ("dinh ky", "periodic-reports"),
        ("Hằng tuần", "weekly"),
        ("weekly", "weekly"),
        ("FREQ=MONTHLY;BYMONTHDAY=25", "FREQ=MONTHLY;BYMONTHDAY=25"),
        ("RRULE:FREQ=WEEKLY;BYDAY=MO", "RRULE:FREQ=WEEKLY;BYDAY=MO"),
    ],
)
def test_parse_deadline_recurring(text: str, rule: str) -> None:
    assert parse_deadline(text) == Deadline("recurring", rule=rule, text=text)


def test_deadline_phrases_fold_case_and_diacritics() -> None:
    for text in [
        "QUÝ II/2022",
        "quý ii/2022",
        "Quy II/2022",
        unicodedata.normalize("NFD", "Quý II/2022"),
    ]:
        assert parse_deadline(text).due_on == D(2022, 6, 30)
    assert parse_deadline("ĐỊNH KỲ").rule == "periodic-reports"
    nfd = unicodedata.normalize("NFD", "Tháng 6/2022")
    assert parse_deadline(nfd).text == "Tháng 6/2022"  # stored as typed, in NFC


def test_deadline_year_resolution() -> None:
    assert parse_deadline("Quý II/2021", year=2022).due_on == D(2021, 6, 30)
    assert parse_deadline("Quý II", year=2023, today=TODAY).due_on == D(2023, 6, 30)
    assert parse_deadline("Quý II", today=D(2024, 1, 1)).due_on == D(2024, 6, 30)
    assert parse_deadline("Tháng 6/2022").due_on == D(2022, 6, 30)
    for text in ["Quý II", "Tháng 6", "Trong năm", "30/6", "6 tháng đầu năm"]:
        with pytest.raises(DateError, match="no year"):
            parse_deadline(text)


def test_parse_deadline_relative_forms() -> None:
    assert parse_deadline("+10wd", today=TODAY).due_on == D(2022, 5, 23)
    assert parse_deadline("hôm nay", today=TODAY).due_on == TODAY


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Tháng 13/2022", "month 13 does not exist"),
        ("Quý 5", "quarter 5 does not exist"),
        ("13 tháng", "12 months"),
        ("Trước 31/02/2022", "February 2022 has 28 days"),
        ("Trước tháng 6", "ambiguous"),
        ("FREQ=HOURLY", "DAILY"),
        ("FREQ=FOO", "not a recurrence rule"),
    ],
)
def test_parse_deadline_errors(text: str, reason: str) -> None:
    with pytest.raises(DateError) as info:
        parse_deadline(text, year=2022)
    assert reason in info.value.message
    assert info.value.text == text


@pytest.mark.parametrize("text", ["", "sắp tới", "Quý V", "marble 2022", "Trước abc", "2022"])
def test_parse_deadline_unknown(text: str) -> None:
    with pytest.raises(DateError) as info:
        parse_deadline(text, year=2022)
    assert info.value.message == (
        "not a date or deadline phrase "
        "(examples: 30/6/2022, Quý II/2022, Tháng 6/2022, Thường xuyên)"
    )


# --- working days -------------------------------------------------------------------------


def test_weekends_are_not_working_days() -> None:
    assert is_working_day(D(2022, 5, 9))  # Monday
    assert not is_working_day(D(2022, 5, 7))  # Saturday
    assert not is_working_day(D(2022, 5, 8))  # Sunday


@pytest.mark.parametrize(
    "day",
    [
        D(2022, 1, 3),  # New Year observed (01/01 was a Saturday)
        D(2022, 4, 11),  # Hùng Kings observed (10/04 was a Sunday)
        D(2022, 5, 2),  # 30/4 observed
        D(2022, 5, 3),  # 1/5 observed
        D(2022, 9, 1),
        D(2022, 9, 2),
    ],
)
def test_public_holidays_are_not_working_days(day: date) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day)


def test_holidays_package_gives_these_2022_holidays() -> None:
    import holidays

    vn = holidays.country_holidays("VN", years=2022)
    for day in [D(2022, 4, 30), D(2022, 5, 1), D(2022, 9, 2), D(2022, 4, 10)]:
        assert day in vn
        assert not is_working_day(day)


def test_tet_2022() -> None:
    # The holidays package has Tết 2022 as 31/01-04/02 (Monday to Friday); with the weekend
    # after it, 31/01-06/02 are all days off.
    tet = [D(2022, 1, 31) + timedelta(days=i) for i in range(7)]
    assert not any(is_working_day(d) for d in tet)
    assert is_working_day(D(2022, 1, 28))
    assert is_working_day(D(2022, 2, 7))
    assert add_working_days(D(2022, 1, 28), 1) == D(2022, 2, 7)
    assert working_days_between(D(2022, 1, 28), D(2022, 2, 7)) == 1


def test_extra_holidays_and_workdays() -> None:
    swap_off, swap_on = D(2022, 5, 4), D(2022, 5, 7)  # a day swap: Wednesday off, Saturday on
    assert not is_working_day(swap_off, extra_holidays=[swap_off])
    assert is_working_day(swap_on, extra_workdays=[swap_on])
    assert not is_working_day(swap_on, extra_holidays=[swap_on], extra_workdays=[swap_on])
    # Friday 29/04/2022 + 1 working day: normally Wednesday 04/05.
    assert add_working_days(D(2022, 4, 29), 1) == D(2022, 5, 4)
    assert add_working_days(D(2022, 4, 29), 1, extra_holidays=[swap_off]) == D(2022, 5, 5)
    assert add_working_days(D(2022, 5, 6), 1, extra_workdays=[swap_on]) == swap_on
    assert (
        add_working_days(D(2022, 4, 29), 3, extra_holidays=(swap_off,), extra_workdays=(swap_on,))
        == swap_on
    )
    assert working_days_between(D(2022, 5, 2), D(2022, 5, 9)) == 4  # 03/05 is a holiday
    assert (
        working_days_between(
            D(2022, 5, 2), D(2022, 5, 9), extra_holidays={swap_off}, extra_workdays={swap_on}
        )
        == 4
    )
    assert working_days_between(D(2022, 5, 2), D(2022, 5, 9), extra_holidays={swap_off}) == 3


def test_add_working_days_basics() -> None:
    assert add_working_days(D(2022, 5, 7), 0) == D(2022, 5, 7)  # n=0: the start, even a Saturday
    assert add_working_days(D(2022, 5, 6), 1) == D(2022, 5, 9)  # Friday -> Monday
    assert add_working_days(D(2022, 5, 9), -1) == D(2022, 5, 6)
    assert add_working_days(D(2022, 5, 4), -1) == D(2022, 4, 29)  # back over 30/4-3/5
    assert add_working_days(D(2022, 5, 9), 10) == D(2022, 5, 23)


def test_working_days_between_basics() -> None:
    assert working_days_between(D(2022, 5, 9), D(2022, 5, 9)) == 0
    assert working_days_between(D(2022, 5, 6), D(2022, 5, 9)) == 1
    assert working_days_between(D(2022, 5, 9), D(2022, 5, 6)) == -1
    assert working_days_between(D(2021, 12, 31), D(2022, 12, 31)) == 260 - 11


# --- recurrence ---------------------------------------------------------------------------

YEAR_2022 = {"starts_on": D(2022, 1, 1), "ends_on": D(2022, 12, 31)}


def test_expand_monthly() -> None:
    got = expand_occurrences("monthly", **YEAR_2022)
    assert len(got) == 12
    assert got[:3] == [D(2022, 1, 31), D(2022, 2, 28), D(2022, 3, 31)]
    assert got[-1] == D(2022, 12, 31)


def test_expand_quarterly() -> None:
    assert expand_occurrences("quarterly", **YEAR_2022) == [
        D(2022, 3, 31),
        D(2022, 6, 30),
        D(2022, 9, 30),
        D(2022, 12, 31),
    ]


def test_expand_periodic_reports() -> None:
    assert expand_occurrences("periodic-reports", **YEAR_2022) == [
        D(2022, 3, 15),
        D(2022, 6, 15),
        D(2022, 9, 15),
        D(2022, 12, 15),
    ]
    two_years = expand_occurrences(
        "periodic-reports", starts_on=D(2022, 4, 1), ends_on=D(2023, 3, 31)
    )
    assert two_years == [D(2022, 6, 15), D(2022, 9, 15), D(2022, 12, 15), D(2023, 3, 15)]


def test_expand_weekly() -> None:
    got = expand_occurrences("weekly", **YEAR_2022)
    assert len(got) == 52
    assert got[0] == D(2022, 1, 7)
    assert all(d.weekday() == 4 for d in got)
    assert expand_occurrences("weekly", starts_on=D(2022, 5, 6), ends_on=D(2022, 5, 6)) == [
        D(2022, 5, 6)
    ]


def test_expand_vietnamese_keywords() -> None:
    assert expand_occurrences("Hằng quý", **YEAR_2022) == expand_occurrences(
        "quarterly", **YEAR_2022
    )
    assert expand_occurrences("Định kỳ", **YEAR_2022) == expand_occurrences(
        "periodic-reports", **YEAR_2022
    )


def test_expand_partial_range() -> None:
    got = expand_occurrences("monthly", starts_on=D(2022, 3, 15), ends_on=D(2022, 6, 29))
    assert got == [D(2022, 3, 31), D(2022, 4, 30), D(2022, 5, 31)]
    assert expand_occurrences("monthly", starts_on=D(2022, 6, 1), ends_on=D(2022, 5, 1)) == []


def test_expand_rrule() -> None:
    got = expand_occurrences("FREQ=MONTHLY;BYMONTHDAY=25", **YEAR_2022)
    assert got == [D(2022, m, 25) for m in range(1, 13)]
    mondays = expand_occurrences("RRULE:FREQ=WEEKLY;BYDAY=MO", **YEAR_2022)
    assert len(mondays) == 52
    assert mondays[0] == D(2022, 1, 3)
    assert expand_occurrences("FREQ=WEEKLY;BYDAY=MO;COUNT=3", **YEAR_2022) == [
        D(2022, 1, 3),
        D(2022, 1, 10),
        D(2022, 1, 17),
    ]
    assert expand_occurrences("FREQ=MONTHLY;UNTIL=20220331", **YEAR_2022) == [
        D(2022, 1, 1),
        D(2022, 2, 1),
        D(2022, 3, 1),
    ]
    assert expand_occurrences("freq=monthly;bymonthday=-1", **YEAR_2022) == expand_occurrences(
        "monthly", **YEAR_2022
    )


@pytest.mark.parametrize("rule", ["yearly", "", "FREQ=FOO", "FREQ=MONTHLY;BYFOO=1", "FREQ=HOURLY"])
def test_expand_bad_rule(rule: str) -> None:
    with pytest.raises(DateError, match=r"recurrence rule|DAILY"):
        expand_occurrences(rule, **YEAR_2022)


def test_describe_rule() -> None:
    assert describe_rule("monthly") == "monthly (last day)"
    assert describe_rule("quarterly") == "quarterly (last day)"
    assert describe_rule("weekly") == "weekly (Friday)"
    assert describe_rule("periodic-reports") == "periodic reports 15/03, 15/06, 15/09, 15/12"
    assert describe_rule("FREQ=MONTHLY;BYMONTHDAY=25") == "FREQ=MONTHLY;BYMONTHDAY=25"


# --- occurrence keys and period ends ------------------------------------------------------


def test_occurrence_keys() -> None:
    assert occurrence_key("T04", D(2022, 3, 15)) == "T04@2022-03-15"
    assert split_occurrence_key("T04@2022-03-15") == ("T04", D(2022, 3, 15))
    assert split_occurrence_key("T01") == ("T01", None)
    with pytest.raises(DateError, match="February 2022 has 28 days"):
        split_occurrence_key("T04@2022-02-30")
    for bad in ["T04@15/03/2022", "@2022-03-15", "T04@"]:
        with pytest.raises(DateError):
            split_occurrence_key(bad)


def test_month_and_quarter_end() -> None:
    assert month_end(2022, 2) == D(2022, 2, 28)
    assert month_end(2024, 2) == D(2024, 2, 29)
    assert month_end(2022, 12) == D(2022, 12, 31)
    assert [quarter_end(2022, q) for q in range(1, 5)] == [
        D(2022, 3, 31),
        D(2022, 6, 30),
        D(2022, 9, 30),
        D(2022, 12, 31),
    ]
    with pytest.raises(DateError):
        month_end(2022, 13)
    with pytest.raises(DateError):
        quarter_end(2022, 0)


# --- properties ---------------------------------------------------------------------------

recent = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))


@given(st.dates())
def test_format_parse_round_trip(d: date) -> None:
    assert parse_date(format_date(d)) == d
    assert format_date(parse_date(format_date(d))) == format_date(d)
    assert parse_date(d.isoformat()) == d


@given(st.dates(), st.text(max_size=6))
def test_occurrence_key_round_trip(d: date, code: str) -> None:
    code = code.replace("@", "").strip() or "T"
    assert split_occurrence_key(occurrence_key(code, d)) == (code, d)


@settings(max_examples=200)
@given(recent, st.integers(min_value=-300, max_value=300).filter(lambda n: n != 0))
def test_add_working_days_lands_on_working_day(d: date, n: int) -> None:
    assert is_working_day(add_working_days(d, n))


@settings(max_examples=200)
@given(recent, st.integers(min_value=1, max_value=300))
def test_working_days_between_inverts_add(d: date, n: int) -> None:
    assert working_days_between(d, add_working_days(d, n)) == n


@settings(max_examples=100)
@given(
    recent,
    st.integers(min_value=1, max_value=60),
    st.lists(recent, max_size=5),
    st.lists(recent, max_size=5),
)
def test_working_days_with_swaps(d: date, n: int, off: list[date], on: list[date]) -> None:
    kw = {"extra_holidays": off, "extra_workdays": on}
    end = add_working_days(d, n, **kw)
    assert is_working_day(end, **kw)
    assert working_days_between(d, end, **kw) == n


@given(
    st.sampled_from(
        [
            "monthly",
            "quarterly",
            "weekly",
            "periodic-reports",
            "FREQ=MONTHLY;BYMONTHDAY=25",
            "FREQ=WEEKLY;BYDAY=MO,TH",
            "FREQ=DAILY;INTERVAL=10",
        ]
    ),
    recent,
    st.integers(min_value=-10, max_value=800),
)
def test_expand_occurrences_in_range_and_sorted(rule: str, start: date, days: int) -> None:
    end = start + timedelta(days=days)
    got = expand_occurrences(rule, starts_on=start, ends_on=end)
    assert all(start <= d <= end for d in got)
    assert got == sorted(set(got))


# --- a task's occurrence dates: one answer for the seed loader, the import, the service and check

# Each rule with what a date following it looks like (the start: the task's first day).
_FOLLOWS = {
    "monthly": lambda d, start: (d + timedelta(days=1)).day == 1,
    "Hằng tháng": lambda d, start: (d + timedelta(days=1)).day == 1,
    "quarterly": lambda d, start: (d + timedelta(days=1)).day == 1 and d.month % 3 == 0,
    "Hằng quý": lambda d, start: (d + timedelta(days=1)).day == 1 and d.month % 3 == 0,
    "weekly": lambda d, start: d.weekday() == 4,
    "periodic-reports": lambda d, start: d.day == 15 and d.month % 3 == 0,
    "Định kỳ": lambda d, start: d.day == 15 and d.month % 3 == 0,
    "FREQ=MONTHLY;BYMONTHDAY=25": lambda d, start: d.day == 25,
    "FREQ=WEEKLY;BYDAY=MO,TH": lambda d, start: d.weekday() in (0, 3),
    "FREQ=DAILY;INTERVAL=10": lambda d, start: (d - start).days % 10 == 0,
}


@given(
    st.sampled_from(sorted(_FOLLOWS)),
    recent,
    st.integers(min_value=-10, max_value=800),
    st.one_of(st.none(), st.integers(min_value=-60, max_value=500)),
)
def test_task_occurrence_dates_are_the_rule_within_the_plan(
    rule: str, plan_start: date, days: int, task_offset: int | None
) -> None:
    """Every date is within the plan's [starts_on, ends_on] and on or after the task's start,
    follows the rule, comes once and in order; and no date of the rule there is left out."""
    plan_end = plan_start + timedelta(days=days)
    task_start = None if task_offset is None else plan_start + timedelta(days=task_offset)
    got = task_occurrence_dates(
        rule, plan_starts_on=plan_start, plan_ends_on=plan_end, task_starts_on=task_start
    )
    first = plan_start if task_start is None else max(plan_start, task_start)
    follows = _FOLLOWS[rule]
    assert list(got) == sorted(set(got))
    assert all(first <= d <= plan_end for d in got)
    assert all(follows(d, first) for d in got)
    every_day = (first + timedelta(days=i) for i in range((plan_end - first).days + 1))
    assert [d for d in every_day if follows(d, first)] == list(got)


def test_task_occurrence_dates_end_with_a_plan_ending_early() -> None:
    got = task_occurrence_dates("Hằng tháng", plan_starts_on=D(2022, 1, 1),
                                plan_ends_on=D(2022, 11, 30))
    assert got[-1] == D(2022, 11, 30) and len(got) == 11
    later = task_occurrence_dates("monthly", plan_starts_on=D(2022, 1, 1),
                                  plan_ends_on=D(2022, 12, 31), task_starts_on=D(2022, 10, 5))
    assert later == (D(2022, 10, 31), D(2022, 11, 30), D(2022, 12, 31))
    with pytest.raises(DateError):
        task_occurrence_dates("sometimes", plan_starts_on=D(2022, 1, 1), plan_ends_on=D(2022, 12, 31))
