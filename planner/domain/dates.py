"""Every date planner writes, in one place.

Two forms, one set of rules:

- **Documents** (reports in every format, workbooks, the appraisal dossier) follow Decree
  30/2020/NĐ-CP: a day below 10 and the months 1 and 2 are written with a leading zero, other
  months without one (so that "01" cannot be altered into "11" or "12"): "ngày 09 tháng 5 năm
  2022", "20/01/2022", "14/3/2022", "tháng 02/2022".
- **Listings** (command-line tables, the terminal UI, messages) keep `dd/mm/yyyy` with both
  parts padded, so that dates line up in columns: "09/05/2022".

Pure and cached: the same dates recur thousands of times in a large report.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

__all__ = [
    "day_month",
    "document",
    "in_words",
    "listing",
    "month",
    "month_year",
    "place_date",
]


def month(number: int) -> str:
    """A month number as Decree 30 writes it: "01", "02", then "3" to "12"."""
    return f"{number:02d}" if number <= 2 else str(number)


@lru_cache(maxsize=4096)
def document(d: date) -> str:
    """A date in a document: "09/5/2022", "20/01/2022", "15/12/2021"."""
    return f"{d.day:02d}/{month(d.month)}/{d.year}"


def day_month(d: date, *, listing_form: bool = False) -> str:
    """Day and month without the year: "09/5" in a document, "09/05" in a listing."""
    return f"{d.day:02d}/{d.month:02d}" if listing_form else f"{d.day:02d}/{month(d.month)}"


def month_year(number: int, year: int) -> str:
    """A month of a year in a document: "4/2022", "02/2022"."""
    return f"{month(number)}/{year}"


def in_words(d: date) -> str:
    """The date in words of the place-and-date line: "ngày 09 tháng 5 năm 2022"."""
    return f"ngày {d.day:02d} tháng {month(d.month)} năm {d.year}"


def place_date(place: str, d: date) -> str:
    """The place-and-date line of an administrative document, in Vietnamese whatever the
    language of the rest: "Hải Phòng, ngày 09 tháng 5 năm 2022"."""
    return f"{place}, {in_words(d)}" if place.strip() else in_words(d)


@lru_cache(maxsize=4096)
def listing(d: date) -> str:
    """A date in a listing or a message: "09/05/2022", both parts padded."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
