"""Turn what a person typed into checked values, or an InputError naming the field."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from planner.domain.schedule import (
    DateError,
    Deadline,
    WorkCalendar,
    parse_date,
    parse_deadline,
    plan_period,
)
from planner.domain.text import TextError, clean_text
from planner.i18n import _
from planner.services.errors import InputError

if TYPE_CHECKING:
    from planner.store.models import Plan

MAX_TITLE = 500
MAX_TEXT = 10_000


def text_field(value: str, field: str, *, required: bool = True, max_length: int = MAX_TITLE) -> str:
    """A single-line name, code, login or title, checked by the domain's one text rule."""
    try:
        return clean_text(value, field, max_length=max_length, required=required)
    except TextError as exc:
        raise InputError(exc.message) from None


def long_text(value: str, field: str) -> str:
    """Multi-line text (descriptions, notes): NFC, bounded, no control characters but newlines
    and tabs."""
    try:
        return clean_text(value, field, max_length=MAX_TEXT, multiline=True, required=False)
    except TextError as exc:
        raise InputError(exc.message) from None


def date_field(value: str, field: str, *, today: date, year: int | None = None,
               work: WorkCalendar | None = None) -> date:
    try:
        return parse_date(value, today=today, year=year, work=work)
    except DateError as exc:
        raise InputError(_("{field}: {message}").format(field=field, message=str(exc))) from exc


def plan_date_field(value: str, field: str, *, plan: Plan, today: date,
                    work: WorkCalendar | None = None, force: bool = False,
                    documents: bool = False) -> date:
    """A date something happened in a plan (done on, submitted on, reviewed on, read on, a
    document's date): refused outside the plan year and its closing period, where it is most
    likely a typo (01/05/2202), unless `force`."""
    day = date_field(value, field, today=today, year=plan.year, work=work)
    first, last = plan_period(plan.starts_on, plan.ends_on, documents=documents)
    if not force and not first <= day <= last:
        raise InputError(_(
            "{field}: {date} is outside the {year} plan and its closing period ({first}–{last}); "
            "add --force if it is right.").format(
            field=field, date=day.strftime("%d/%m/%Y"), year=plan.year,
            first=first.strftime("%d/%m/%Y"), last=last.strftime("%d/%m/%Y")))
    return day


def deadline_field(value: str, field: str, *, year: int, today: date,
                   work: WorkCalendar | None = None) -> Deadline:
    try:
        return parse_deadline(value, year=year, today=today, work=work)
    except DateError as exc:
        raise InputError(_("{field}: {message}").format(field=field, message=str(exc))) from exc


def progress_field(value: int | str, field: str = "progress") -> int:
    try:
        number = int(str(value).strip().rstrip("%"))
    except ValueError:
        raise InputError(
            _('{field}: "{value}" is not a whole number from 0 to 100.').format(field=field, value=value)
        ) from None
    if not 0 <= number <= 100:
        raise InputError(
            _("{field}: {value} is outside 0–100.").format(field=field, value=number)
        )
    return number


_NUMBER = r"[+-]?\d+(?:[.,]\d+)?"


def number_field(value: str, field: str) -> float:
    text = value.strip().replace(" ", "")
    if not re.fullmatch(_NUMBER, text):
        raise InputError(_('{field}: "{value}" is not a number.').format(field=field, value=value))
    return float(text.replace(",", "."))


def effort_field(value: str | float, field: str = "effort") -> float | None:
    """An effort estimate in working days (0-366); an empty text clears it."""
    if isinstance(value, str):
        if not value.strip():
            return None
        days = number_field(value, field)
    else:
        days = float(value)
    if not 0 <= days <= 366:
        raise InputError(
            _("{field}: {value} working days is outside 0–366.").format(field=field, value=value)
        )
    return days


def parse_reading(value: str, field: str = "value") -> tuple[float, float | None, float | None]:
    """`97,5%`, `97.5` or `123/130` -> (value in percent, numerator, denominator)."""
    text = value.strip().replace(" ", "")
    if "/" in text:
        num_text, _sep, den_text = text.partition("/")
        numerator = number_field(num_text, field)
        denominator = number_field(den_text, field)
        if numerator < 0 or denominator < 0:
            raise InputError(_("{field}: counts cannot be negative.").format(field=field))
        if numerator > denominator:
            raise InputError(
                _("{field}: {num} is more than {den}.").format(
                    field=field, num=num_text, den=den_text
                )
            )
        pct = 100.0 * numerator / denominator if denominator else float("nan")
        return pct, numerator, denominator
    return number_field(text.rstrip("%"), field), None, None


def weight_field(value: str, field: str) -> float:
    weight = number_field(value, field)
    if weight <= 0:
        raise InputError(_("{field}: the weight must be above 0.").format(field=field))
    return weight
