"""Numbers, dates and labels as report readers expect them, in the current language.

Vietnamese uses the decimal comma ("41,93 điểm"); dates are written as Decree 30/2020 writes
them in both languages ("09/5/2022", "20/01/2022": `planner.domain.dates`).
"""

from __future__ import annotations

import unicodedata
from datetime import date

from planner.domain import dates
from planner.domain.text import display_width
from planner.i18n import _, current_language


def number(value: float, decimals: int = 2) -> str:
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]  # never print "-0.00"
    return text.replace(".", ",") if current_language() == "vi" else text


def signed(value: float) -> str:
    """A change: "+1.25", "-0.50", "0.00"."""
    text = number(value)
    return text if text.startswith("-") or text.strip("0.,") == "" else "+" + text


def day(d: date | None) -> str:
    """A date in a document: "09/5/2022", "20/01/2022" (Decree 30/2020)."""
    return dates.document(d) if d else ""


def place_date_line(place: str, d: date) -> str:
    """The place-and-date line of an administrative document, in Vietnamese whatever the
    interface language: "Hải Phòng, ngày 09 tháng 5 năm 2022"."""
    return dates.place_date(place, d)


ROMAN = ("I", "II", "III", "IV")


def period_of_reports(due: date) -> str:
    """The periodic report an occurrence of the periodic-reports rule stands for: the first
    quarter, the first half, the third quarter, the year (the occurrence of 15/03 is the
    report of the first quarter)."""
    quarter = (due.month - 1) // 3 + 1
    if quarter == 1:
        return _("Q{roman}/{year}").format(roman="I", year=due.year)
    if quarter == 2:
        return _("first half of {year}").format(year=due.year)
    if quarter == 3:
        return _("Q{roman}/{year}").format(roman="III", year=due.year)
    return _("year {year}").format(year=due.year)


def occurrence(key: str, rule: str = "") -> str:
    """An occurrence as documents name it: "T06 – tháng 4/2022" for a monthly task, "T04 –
    quý I/2022" for the periodic reports, "T07 – 15/3/2022" otherwise; a task that does not
    recur by its code. (The command line and JSON keep `CODE@YYYY-MM-DD`.)"""
    code, at, iso = key.rpartition("@")
    if not at:
        return key
    try:
        due = date.fromisoformat(iso)
    except ValueError:
        return key
    from planner.domain.schedule import rule_kind

    kind = rule_kind(rule) if rule else None
    if kind == "monthly":
        when = _("month {month}").format(month=dates.month_year(due.month, due.year))
    elif kind == "quarterly":
        when = _("Q{roman}/{year}").format(roman=ROMAN[(due.month - 1) // 3], year=due.year)
    elif kind == "periodic-reports":
        when = period_of_reports(due)
    else:
        when = day(due)
    return f"{code} – {when}"


def evidence_target(target: str, rule: str = "") -> str:
    """What a piece of evidence is for, as documents say it: an occurrence, or a criterion."""
    kind, space, code = target.partition(" ")
    if space and kind == "criterion":
        return _("criterion {code}").format(code=code)
    return occurrence(target, rule)


def percent(value: float) -> str:
    return number(value) + "%"


def compact(value: float) -> str:
    """A bound or a target without trailing zeros: 98, 98.5, 100."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if current_language() == "vi" else text


def indicator_value(value: float, unit: str) -> str:
    if unit == "percent":
        return percent(value)
    if unit == "count":
        return number(value, 0) if float(value).is_integer() else number(value)
    return number(value, 3 if unit == "ratio" else 2)


def status_text(status: str, overdue: bool, late: bool) -> str:
    from planner.services.task_rows import status_label

    if overdue:
        return _("overdue")
    if status == "done" and late:
        return _("done late")
    return status_label(status)


def one_line(text: str) -> str:
    """User text on one line: whitespace runs (newlines included) become one space and control
    characters are dropped, so a title can never break a layout or forge a line of its own."""
    cleaned = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf") or ch == "\u200d")
    return " ".join(cleaned.split())


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap measured in display columns; a word longer than the width is cut.

    `textwrap` counts code points, which miscounts combining marks and wide characters; NFC
    Vietnamese is one column per code point, but titles pasted from elsewhere may not be.
    """
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current: list[str] = []
        used = 0
        for word in paragraph.split():
            w = display_width(word)
            while w > width:  # cut an over-long word (a URL, a code) into pieces
                if current:
                    lines.append(" ".join(current))
                    current, used = [], 0
                head, word = _cut(word, width)
                lines.append(head)
                w = display_width(word)
            if current and used + 1 + w > width:
                lines.append(" ".join(current))
                current, used = [], 0
            current.append(word)
            used += w + (1 if used else 0)
        if current or not lines or paragraph.strip() == "":
            lines.append(" ".join(current))
    return lines


def _cut(word: str, width: int) -> tuple[str, str]:
    used = 0
    for i, ch in enumerate(word):
        w = display_width(ch)
        if used + w > width:
            return word[:i], word[i:]
        used += w
    return word, ""
