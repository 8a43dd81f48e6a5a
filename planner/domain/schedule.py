"""Deadlines, Vietnamese deadline phrases, working days and recurrence of plan tasks."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal

from planner.domain.dates import listing
from planner.domain.text import fold, nfc

__all__ = [
    "DateError",
    "Deadline",
    "WorkCalendar",
    "add_working_days",
    "describe_rule",
    "expand_occurrences",
    "format_date",
    "is_working_day",
    "month_end",
    "occurrence_key",
    "parse_date",
    "parse_deadline",
    "plan_period",
    "quarter_end",
    "rule_kind",
    "split_occurrence_key",
    "task_occurrence_dates",
    "working_days_between",
]

DATE_EXAMPLES = "examples: 30/6/2022, 2022-06-30, today, +10wd"
RULE_EXAMPLES = (
    "monthly, quarterly, weekly, periodic-reports, or an RRULE: FREQ=MONTHLY;BYMONTHDAY=25"
)
DEADLINE_EXAMPLES = "examples: 30/6/2022, Quý II/2022, Tháng 6/2022, Thường xuyên"
_MONTHS = tuple(
    "january february march april may june july august september october november december".split()  # noqa: SIM905
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Folded phrase -> recurrence keyword.
_RECURRING = {
    **dict.fromkeys(("hang quy", "moi quy", "quarterly"), "quarterly"),
    **dict.fromkeys(("hang thang", "moi thang", "monthly"), "monthly"),
    **dict.fromkeys(("hang tuan", "moi tuan", "weekly"), "weekly"),
    **dict.fromkeys(
        ("dinh ky", "theo dinh ky", "bao cao dinh ky", "periodic", "periodic reports"),
        "periodic-reports",
    ),
    "periodic-reports": "periodic-reports",
}
_CONTINUOUS = {"thuong xuyen", "lien tuc", "continuous", "continuously", "ongoing"}
_DESCRIPTIONS = {
    "monthly": "monthly (last day)",
    "quarterly": "quarterly (last day)",
    "weekly": "weekly (Friday)",
    "periodic-reports": "periodic reports 15/03, 15/06, 15/09, 15/12",
}


class DateError(ValueError):
    """A date or deadline phrase that cannot be understood or does not exist."""

    def __init__(self, text: str, message: str) -> None:
        super().__init__(text, message)
        self.text = text
        self.message = message

    def __str__(self) -> str:
        return f'"{self.text}": {self.message}'


@dataclass(frozen=True)
class Deadline:
    """When a task is due: on a date, continuously (all year), or on a recurring rule."""

    kind: Literal["date", "continuous", "recurring"]
    due_on: date | None = None
    rule: str | None = None
    text: str = ""


def format_date(d: date) -> str:
    """The `dd/mm/yyyy` form of listings and messages: 07/05/2022 (`planner.domain.dates`)."""
    return listing(d)


def _make_date(text: str, year: int, month: int, day: int) -> date:
    """The date, or a DateError saying why it does not exist."""
    if not 1 <= year <= 9999:
        raise DateError(text, f"year {year} is out of range (1-9999)")
    if not 1 <= month <= 12:
        raise DateError(text, f"month {month} does not exist (1-12)")
    last = calendar.monthrange(year, month)[1]
    if day < 1:
        raise DateError(text, f"day {day} does not exist")
    if day > last:
        raise DateError(text, f"{_MONTHS[month - 1].title()} {year} has {last} days")
    return date(year, month, day)


def month_end(year: int, month: int) -> date:
    """The last day of the month."""
    first = _make_date(f"{month}/{year}", year, month, 1)
    return first.replace(day=calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    """The last day of the quarter (1-4)."""
    if not 1 <= quarter <= 4:
        raise DateError(f"Q{quarter}/{year}", f"quarter {quarter} does not exist (I-IV or 1-4)")
    return month_end(year, 3 * quarter)


def _context_year(text: str, written: str | None, year: int | None, today: date | None) -> int:
    """The year written in the phrase, else the plan year, else today's year."""
    if written is not None:
        return int(written)
    if year is not None:
        return year
    if today is not None:
        return today.year
    raise DateError(text, "no year given: write one (e.g. 30/6/2022, Quý II/2022)")


_DMY = re.compile(r"(?:ngay\s*)?([0-9]{1,2})\s*([/.-])\s*([0-9]{1,2})(?:\s*\2\s*([0-9]{4}))?")
_YMD = re.compile(r"([0-9]{4})([/.-])([0-9]{1,2})\2([0-9]{1,2})")
_LONG = re.compile(r"(?:ngay\s+)?([0-9]{1,2})\s+thang\s+([0-9]{1,2})(?:\s*,?\s*nam\s+([0-9]{4}))?")
_RELATIVE = re.compile(r"([+-])\s*([0-9]{1,6})\s*(wd|d|w)")


#: How far `+N` may reach from today: a century of days or weeks, a century of working days.
MAX_RELATIVE_DAYS = 36_600
MAX_RELATIVE_WORKING_DAYS = 26_000


def _date_or_none(s: str, text: str, today: date | None, year: int | None,
                  work: WorkCalendar | None = None) -> date | None:
    """Parse folded text `s` as a date; None when it is not written as one."""
    if m := _YMD.fullmatch(s):
        return _make_date(text, int(m[1]), int(m[3]), int(m[4]))
    if m := _DMY.fullmatch(s) or _LONG.fullmatch(s):
        day, month, written = m[1], m[3] if m.re is _DMY else m[2], m.groups()[-1]
        return _make_date(text, _context_year(text, written, year, today), int(month), int(day))
    relative = _RELATIVE.fullmatch(s)
    if relative is None and s not in ("today", "hom nay"):
        return None
    if today is None:
        raise DateError(text, "a date relative to today, but today's date is not known")
    if relative is None:
        return today
    n = int(relative[2]) * (-1 if relative[1] == "-" else 1)
    days = abs(n) * (7 if relative[3] == "w" else 1)
    if days > (MAX_RELATIVE_WORKING_DAYS if relative[3] == "wd" else MAX_RELATIVE_DAYS):
        raise DateError(text, "too far from today (a century at most)")
    try:
        if relative[3] == "wd":
            return (work or WorkCalendar()).add(today, n)
        return today + timedelta(days=n * (7 if relative[3] == "w" else 1))
    except OverflowError:
        raise DateError(text, "the date is out of range") from None


def parse_date(text: str, *, today: date | None = None, year: int | None = None,
               work: WorkCalendar | None = None) -> date:
    """A date as a person types it: 30/6/2022, 2022-06-30, 30/6, today, +10wd, +3d, -2d, +2w.

    A date without a year takes `year`, else the year of `today`; `+10wd` counts the working
    days of `work` (default: Monday to Friday without public holidays). Raises DateError.
    """
    typed = nfc(text).strip()
    found = _date_or_none(fold(typed), typed, today, year, work)
    if found is None:
        raise DateError(typed, f"not a date ({DATE_EXAMPLES})")
    return found


_PREFIX = r"(?:(?:trong|cuoi|het|end of|in)\s+)?"
_YEAR_TAIL = r"(?:\s*(?:[/.,-]|of)?\s*(?:nam\s+)?(?P<year>[0-9]{4}))?"
_Handler = Callable[[re.Match[str], int], date]


def _month(m: re.Match[str], year: int) -> date:
    return month_end(year, int(m["month"]))


def _month_name(m: re.Match[str], year: int) -> date:
    prefix = m["name"][:3]
    return month_end(year, next(i for i, n in enumerate(_MONTHS, 1) if n.startswith(prefix)))


def _quarter(m: re.Match[str], year: int) -> date:
    q = m["q"]
    return quarter_end(year, _ROMAN[q] if q in _ROMAN else int(q))


def _months_of_year(m: re.Match[str], year: int) -> date:
    n = int(m["n"])
    if not 1 <= n <= 12:
        raise DateError(m.string, f"a year has 12 months, not {n}")
    return month_end(year, 12 if m["part"] == "cuoi" else n)


def _half(m: re.Match[str], year: int) -> date:
    return month_end(year, 6 if m["h"] in ("first half", "h1") else 12)


def _year_end(m: re.Match[str], year: int) -> date:
    return date(year, 12, 31)


_PHRASES: list[tuple[re.Pattern[str], _Handler]] = [
    (re.compile(_PREFIX + r"thang\s*(?P<month>[0-9]{1,2})" + _YEAR_TAIL), _month),
    (re.compile(_PREFIX + r"(?:quy|quarter|q)\s*(?P<q>[0-9]+|iv|iii|ii|i)" + _YEAR_TAIL), _quarter),
    (re.compile(r"(?P<year>[0-9]{4})\s*[-/ ]?\s*q(?P<q>[0-9])"), _quarter),
    (
        re.compile(r"(?P<n>[0-9]{1,2})\s+thang(?:\s+(?P<part>dau|cuoi))?(?:\s+nam)?" + _YEAR_TAIL),
        _months_of_year,
    ),
    (
        re.compile(
            _PREFIX
            + r"(?P<name>"
            + "|".join(f"{n[:3]}(?:{n[3:]})?" for n in _MONTHS)
            + ")"
            + _YEAR_TAIL
        ),
        _month_name,
    ),
    (re.compile(r"(?P<h>first half|second half|h1|h2)" + _YEAR_TAIL), _half),
    (re.compile(r"(?:(?:trong|ca|het|cuoi|hang)\s+)?nam" + _YEAR_TAIL), _year_end),
    (
        re.compile(
            r"(?:end of (?:the )?year|(?:whole|all|this) year|yearly|annual(?:ly)?|year)"
            + _YEAR_TAIL
        ),
        _year_end,
    ),
    (re.compile(r"(?:end of|in)\s+(?P<year>[0-9]{4})"), _year_end),
]
_BEFORE = re.compile(r"(?P<word>truoc|cham nhat|han chot|before|by|no later than)\s+(?P<rest>.+)")


def _phrase_date(s: str, typed: str, year: int | None, today: date | None) -> date | None:
    """The due date of a period phrase (Tháng 6/2022, Quý II, 6 tháng đầu năm...), or None."""
    for pattern, handler in _PHRASES:
        if m := pattern.fullmatch(s):
            try:
                return handler(m, _context_year(typed, m.groupdict().get("year"), year, today))
            except DateError as e:
                raise DateError(typed, e.message) from None
    return None


def parse_deadline(text: str, *, year: int | None = None, today: date | None = None,
                   work: WorkCalendar | None = None) -> Deadline:
    """A deadline as written in a plan: a date, a Vietnamese or English phrase, or a recurrence.

    Phrases end on the last day of their period (Quý II/2022 -> 30/06/2022). A year written
    in the phrase overrides `year`; without either, today's year is used. Raises DateError.
    """
    typed = nfc(text).strip()
    s = fold(typed).rstrip(".;,").strip()
    if s in _CONTINUOUS:
        return Deadline("continuous", text=typed)
    if s in _RECURRING:
        return Deadline("recurring", rule=_RECURRING[s], text=typed)
    if s.startswith(("rrule:", "freq=")):
        _parse_rrule(typed, date(2000, 1, 1))  # raises DateError when not understood
        return Deadline("recurring", rule=typed, text=typed)
    strict = False
    if before := _BEFORE.fullmatch(s):
        s, strict = before["rest"], before["word"] in ("truoc", "before")
    found = _date_or_none(s, typed, today, year, work)
    if found is None:
        found = _phrase_date(s, typed, year, today)
        if found is not None and strict:
            raise DateError(
                typed,
                "'before' a period is ambiguous: write the date (Trước 31/5/2022)"
                " or the period itself (Tháng 6/2022)",
            )
    if found is None:
        raise DateError(typed, f"not a date or deadline phrase ({DEADLINE_EXAMPLES})")
    return Deadline("date", due_on=found, text=typed)


@lru_cache(maxsize=128)
def _public_holidays(year: int) -> frozenset[date]:
    """Vietnamese public holidays of the year (with observed days), as the holidays package has them."""
    import holidays

    return frozenset(holidays.country_holidays("VN", years=year))


def _is_working(d: date, off: frozenset[date], on: frozenset[date]) -> bool:
    if d in off:
        return False
    if d in on:
        return True
    return d.weekday() < 5 and d not in _public_holidays(d.year)


def is_working_day(
    d: date, *, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()
) -> bool:
    """Monday to Friday except Vietnamese public holidays.

    `extra_holidays` are further days off; `extra_workdays` are working days that would
    otherwise be off (the Saturdays worked to compensate a government day swap). A day in
    both lists is a day off.
    """
    return _is_working(d, frozenset(extra_holidays), frozenset(extra_workdays))


def add_working_days(
    start: date,
    n: int,
    *,
    extra_holidays: Iterable[date] = (),
    extra_workdays: Iterable[date] = (),
) -> date:
    """The n-th working day after `start` (before it when n < 0); `start` itself when n == 0."""
    off, on = frozenset(extra_holidays), frozenset(extra_workdays)
    step = timedelta(days=1 if n > 0 else -1)
    remaining, d = abs(n), start
    while remaining:
        d += step
        if _is_working(d, off, on):
            remaining -= 1
    return d


def working_days_between(
    a: date,
    b: date,
    *,
    extra_holidays: Iterable[date] = (),
    extra_workdays: Iterable[date] = (),
) -> int:
    """The number of working days in (a, b]; negative (minus those in (b, a]) when b < a."""
    off, on = frozenset(extra_holidays), frozenset(extra_workdays)
    sign, (lo, hi) = (1, (a, b)) if a <= b else (-1, (b, a))
    days = (lo + timedelta(days=i) for i in range(1, (hi - lo).days + 1))
    return sign * sum(1 for d in days if _is_working(d, off, on))


#: After the plan year, its closing period: the self-assessment and the appraisal of the first
#: quarter, when evidence is still submitted and reviewed (to 31/03 for a calendar-year plan).
CLOSING_PERIOD = timedelta(days=90)
#: The documents that evidence a plan may be issued in the year before it (the plan itself is).
DOCUMENT_LEAD = timedelta(days=366)


def plan_period(starts_on: date, ends_on: date, *, documents: bool = False) -> tuple[date, date]:
    """The first and last plausible date of a fact of a plan: the plan year and its closing
    period (for a document's own date, from a year before the plan starts)."""
    first = starts_on - DOCUMENT_LEAD if documents else starts_on
    return first, ends_on + CLOSING_PERIOD


def deadline_plausible(due_on: date, starts_on: date, ends_on: date) -> bool:
    """A deadline within a year of the plan's own (further is a typo: 2202 for 2022)."""
    return starts_on.year - 1 <= due_on.year <= ends_on.year + 1


@dataclass(frozen=True)
class WorkCalendar:
    """The working days: Monday to Friday without Vietnamese public holidays, adjusted by the
    government's day swaps (the config's `[holidays]`): `days_off` are further days off,
    `days_on` days worked that would otherwise be off (a Saturday worked to make up a bridge
    day). A day in both is off."""

    days_off: frozenset[date] = frozenset()
    days_on: frozenset[date] = frozenset()

    def is_working(self, d: date) -> bool:
        return _is_working(d, self.days_off, self.days_on)

    def add(self, start: date, n: int) -> date:
        """The n-th working day after `start` (before it when n < 0)."""
        return add_working_days(start, n, extra_holidays=self.days_off, extra_workdays=self.days_on)

    def between(self, a: date, b: date) -> int:
        return working_days_between(a, b, extra_holidays=self.days_off, extra_workdays=self.days_on)


def _months(starts_on: date, ends_on: date) -> Iterator[tuple[int, int]]:
    year, month = starts_on.year, starts_on.month
    while (year, month) <= (ends_on.year, ends_on.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _parse_rrule(rule: str, starts_on: date) -> Callable[[datetime, datetime], list[datetime]]:
    """A function giving the rule's occurrences between two datetimes; DateError if not a rule."""
    from dateutil.rrule import rrulestr

    text = rule.strip()
    if re.search(r"FREQ\s*=\s*(HOURLY|MINUTELY|SECONDLY)", text, re.IGNORECASE):
        raise DateError(text, "tasks fall due on days: use FREQ=DAILY or longer")
    if "FREQ" not in text.upper():
        raise DateError(text, f"not a recurrence rule ({RULE_EXAMPLES})")
    try:
        parsed = rrulestr(text, dtstart=datetime.combine(starts_on, time()), ignoretz=True)
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        raise DateError(text, f"not a recurrence rule: {e} ({RULE_EXAMPLES})") from None
    return lambda lo, hi: list(parsed.between(lo, hi, inc=True))


def expand_occurrences(rule: str, *, starts_on: date, ends_on: date) -> list[date]:
    """The due dates of a recurring task within [starts_on, ends_on], sorted, without duplicates.

    `rule` is a keyword (monthly, quarterly, weekly, periodic-reports, or a Vietnamese phrase
    such as Hằng quý) or an RFC 5545 RRULE (FREQ=MONTHLY;BYMONTHDAY=25). Raises DateError.
    """
    keyword = _RECURRING.get(fold(nfc(rule)))
    if ends_on < starts_on:
        return []
    dates: Iterable[date]
    if keyword == "monthly":
        dates = (month_end(y, m) for y, m in _months(starts_on, ends_on))
    elif keyword == "quarterly":
        dates = (month_end(y, m) for y, m in _months(starts_on, ends_on) if m % 3 == 0)
    elif keyword == "periodic-reports":
        months = _months(starts_on, ends_on)
        dates = (date(y, m, 15) for y, m in months if m % 3 == 0)
    elif keyword == "weekly":
        first = starts_on + timedelta(days=(4 - starts_on.weekday()) % 7)
        dates = (first + timedelta(weeks=i) for i in range((ends_on - first).days // 7 + 1))
    else:
        between = _parse_rrule(rule, starts_on)
        try:
            found = between(
                datetime.combine(starts_on, time()), datetime.combine(ends_on, time.max)
            )
        except (TypeError, ValueError) as e:
            raise DateError(rule.strip(), f"not a recurrence rule: {e}") from None
        dates = (dt.date() for dt in found)
    return sorted({d for d in dates if starts_on <= d <= ends_on})


def task_occurrence_dates(
    rule: str, *, plan_starts_on: date, plan_ends_on: date, task_starts_on: date | None = None
) -> tuple[date, ...]:
    """The due dates of a recurring task of a plan: its rule's dates within the plan's
    [starts_on, ends_on], from the task's own start date when it has a later one; sorted,
    without duplicates. Raises DateError when the rule cannot be read.

    The one answer to "which occurrences does this task have": the seed loader, the plan
    import, the task service and `planner check` all ask it, so what one writes the others
    accept.
    """
    start = plan_starts_on if task_starts_on is None else max(plan_starts_on, task_starts_on)
    return _task_occurrence_dates(rule, start, plan_ends_on)


@lru_cache(maxsize=1024)
def _task_occurrence_dates(rule: str, starts_on: date, ends_on: date) -> tuple[date, ...]:
    # Remembered: an imported plan has thousands of tasks with a handful of rules.
    return tuple(expand_occurrences(rule, starts_on=starts_on, ends_on=ends_on))


def rule_kind(rule: str) -> str | None:
    """The keyword of a recurrence rule (monthly, quarterly, weekly, periodic-reports), a
    monthly or quarterly RRULE read as such, or None."""
    keyword = _RECURRING.get(fold(nfc(rule)))
    if keyword:
        return keyword
    text = rule.upper().replace(" ", "")
    if "FREQ=MONTHLY" in text:
        return "quarterly" if "INTERVAL=3" in text else "monthly"
    return None


def describe_rule(rule: str) -> str:
    """A short English description of a recurrence rule."""
    keyword = _RECURRING.get(fold(nfc(rule)))
    return _DESCRIPTIONS[keyword] if keyword else rule.strip()


def occurrence_key(task_code: str, due_on: date) -> str:
    """The name of one occurrence of a recurring task: `T04@2022-03-15`."""
    return f"{task_code}@{due_on.isoformat()}"


def split_occurrence_key(key: str) -> tuple[str, date | None]:
    """`T04@2022-03-15` -> ("T04", 2022-03-15); `T01` -> ("T01", None). Raises DateError."""
    code, at, when = key.strip().rpartition("@")
    if not at:
        return when, None
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", when)
    if not code or m is None:
        raise DateError(key, "not an occurrence key (expected CODE@YYYY-MM-DD)")
    return code, _make_date(key, int(m[1]), int(m[2]), int(m[3]))
