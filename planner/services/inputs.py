"""Turn what a person typed into checked values, or an InputError naming the field."""

from __future__ import annotations

import re
from datetime import date

from planner.domain.schedule import DateError, Deadline, parse_date, parse_deadline
from planner.domain.text import BIDI_CONTROLS, clean_line, nfc
from planner.i18n import _
from planner.services.errors import InputError

MAX_TITLE = 500
MAX_TEXT = 10_000


def text_field(value: str, field: str, *, required: bool = True, max_length: int = MAX_TITLE) -> str:
    if not required and not value.strip():
        return ""
    try:
        return clean_line(value, field=field, max_length=max_length)
    except ValueError:
        if not value.strip():
            raise InputError(_("{field}: must not be empty.").format(field=field)) from None
        if len(value) > max_length:
            raise InputError(
                _("{field}: longer than {n} characters.").format(field=field, n=max_length)
            ) from None
        raise InputError(_("{field}: contains control characters.").format(field=field)) from None


def long_text(value: str, field: str) -> str:
    """Multi-line text (descriptions, notes): NFC, bounded, no control characters but newlines."""
    value = nfc(value).strip()
    if len(value) > MAX_TEXT:
        raise InputError(_("{field}: longer than {n} characters.").format(field=field, n=MAX_TEXT))
    if any((ord(ch) < 32 and ch not in "\n\t") or ch in BIDI_CONTROLS or ch == "\x7f" for ch in value):
        raise InputError(_("{field}: contains control characters.").format(field=field))
    return value


def date_field(value: str, field: str, *, today: date, year: int | None = None) -> date:
    try:
        return parse_date(value, today=today, year=year)
    except DateError as exc:
        raise InputError(_("{field}: {message}").format(field=field, message=str(exc))) from exc


def deadline_field(value: str, field: str, *, year: int, today: date) -> Deadline:
    try:
        return parse_deadline(value, year=year, today=today)
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
