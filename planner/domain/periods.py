"""The periods of the periodic reform reports: quarters, halves and years, with their data window.

Ministry of Home Affairs guidance (581/BNV-CCHC): figures run from the 15th of the month
before the period to the 14th of its last month: the first quarter 15/12–14/3, the first half
15/12–14/6, the third quarter 15/6–14/9, the year 15/12–14/12. The report is filed shortly
before the 20th of that month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from planner.domain.schedule import DateError
from planner.domain.text import fold

Kind = Literal["quarter", "half-year", "year"]
KINDS: tuple[Kind, ...] = ("quarter", "half-year", "year")
EXAMPLES = {
    "quarter": "Q1/2022, 2022-Q1, Quý I/2022",
    "half-year": "2022-H1, H1/2022, 6 tháng đầu năm 2022",
    "year": "2022, năm 2022",
}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
CUTOFF_DAY = 14


@dataclass(frozen=True)
class Period:
    kind: Kind
    year: int
    number: int  # the quarter (1-4), the half (1-2); 1 for a year

    @property
    def first_month(self) -> int:
        return {"quarter": 3 * self.number - 2, "half-year": 6 * self.number - 5, "year": 1}[self.kind]

    @property
    def last_month(self) -> int:
        return {"quarter": 3 * self.number, "half-year": 6 * self.number, "year": 12}[self.kind]

    @property
    def starts_on(self) -> date:
        """The first day of the data window: the 15th of the month before the period."""
        month = self.first_month - 1
        return date(self.year - 1, 12, 15) if month == 0 else date(self.year, month, 15)

    @property
    def cutoff(self) -> date:
        """The default data cut-off: the 14th of the period's last month."""
        return date(self.year, self.last_month, CUTOFF_DAY)

    def next(self) -> Period:
        """The period that follows, of the same kind."""
        last = {"quarter": 4, "half-year": 2, "year": 1}[self.kind]
        if self.number < last:
            return Period(self.kind, self.year, self.number + 1)
        return Period(self.kind, self.year + 1, 1)

    @property
    def slug(self) -> str:
        """For file names: 2022-q1, 2022-h1, 2022."""
        if self.kind == "year":
            return str(self.year)
        return f"{self.year}-{'q' if self.kind == 'quarter' else 'h'}{self.number}"


def parse_period(kind: Kind, text: str, *, default_year: int | None = None) -> Period:
    """A period as people write it. Raises DateError naming what was expected."""
    raw = " ".join(text.split())
    s = fold(raw)
    year_match = re.search(r"(?<!\d)(\d{4})(?!\d)", s)
    year = int(year_match[1]) if year_match else default_year
    rest = (s[:year_match.start()] + " " + s[year_match.end():]) if year_match else s
    rest = re.sub(r"\bnam\b", " ", rest).strip(" -/.,")
    number: int | None = None
    if kind == "year":
        number = 1 if not rest else None
    elif kind == "quarter":
        m = re.fullmatch(r"(?:q|quy|quarter)?\s*[-/ ]*\s*([1-4]|iv|iii|ii|i)", rest.strip())
        if m:
            number = int(m[1]) if m[1].isdigit() else _ROMAN[m[1]]
    else:
        m = re.fullmatch(r"(?:h|half)?\s*[-/ ]*\s*([12])", rest.strip())
        if m:
            number = int(m[1])
        elif re.fullmatch(r"6 thang dau(?: nam)?|first half|dau nam", rest.strip()):
            number = 1
        elif re.fullmatch(r"6 thang cuoi(?: nam)?|second half|cuoi nam", rest.strip()):
            number = 2
    if number is None or year is None or not 1 <= year <= 9999:
        raise DateError(raw, f"not a {kind} (examples: {EXAMPLES[kind]})")
    return Period(kind, year, number)
