"""The published ranking of the units, and the rank a score would have had in it.

The city publishes each year the score and rank of every unit it appraised (20 departments
in Hải Phòng in 2021). A what-if estimates the rank its projected score would have had by
counting the other units of that table that scored strictly higher: ties share a rank, as in
the published tables ("competition" ranking: 1, 2, 2, 4). Only the other units' scores are
used; the unit's own line of the table is what it scored then.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from planner.domain.text import fold

#: What the scores of a ranking are of: the appraised points, or the whole index.
PARTS = ("appraised", "all")
#: Published scores have two decimals: a projected score is compared at that precision.
DECIMALS = 2


def competition_ranks(scores: Sequence[float]) -> list[int]:
    """The rank of each score: 1 + the number of scores strictly higher (ties share one)."""
    return [estimated_rank(score, scores) for score in scores]


def estimated_rank(score: float, others: Iterable[float]) -> int:
    """The rank `score` would have among `others`: 1 + how many of them are strictly higher
    (a unit equal to it shares its rank)."""
    return 1 + sum(1 for other in others if other > score)


def infer_part(stated_max: float, appraised_max: float, whole_max: float) -> str:
    """The part whose maximum is closest to the maximum a ranking states ("41,93/56": the
    appraised part; "/100": the whole index)."""
    return "all" if abs(stated_max - whole_max) < abs(stated_max - appraised_max) else "appraised"


@dataclass(frozen=True)
class RankedUnit:
    unit: str
    score: float
    rank: int
    ours: bool = False


@dataclass(frozen=True)
class Ranking:
    """A year's ranking as stored: the units best first, which part the scores are of."""

    year: int
    part: str
    max_points: float | None
    units: tuple[RankedUnit, ...]

    @property
    def ours(self) -> RankedUnit | None:
        return next((u for u in self.units if u.ours), None)

    @property
    def others(self) -> list[float]:
        return [u.score for u in self.units if not u.ours]

    def estimate(self, score: float) -> int:
        """The rank `score` would have had against the other units' scores of this table."""
        return estimated_rank(round(score, DECIMALS), self.others)


def find_units(name: str, units: Sequence[str]) -> list[int]:
    """The indexes of the units `name` designates, without regard to case or diacritics: the
    units named exactly so, or else those whose name contains it or is contained in it
    ("Sở Giáo dục và Đào tạo" in "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG")."""
    wanted = fold(name)
    if not wanted:
        return []
    folded = [fold(u) for u in units]
    exact = [i for i, u in enumerate(folded) if u == wanted]
    if exact:
        return exact
    return [i for i, u in enumerate(folded) if u and (wanted in u or u in wanted)]


@dataclass(frozen=True)
class RankingRow:
    """One unit's row as read from a ranking file."""

    row: int  # the row number in the file
    unit: str
    score: float
    rank: int | None


@dataclass
class RankingDraft:
    """A ranking table as read from a file, before it is checked against the plan."""

    file: str
    rows: list[RankingRow] = field(default_factory=list)
    max_points: float | None = None
    max_row: int = 0  # where the maximum was read (0: not stated)
    score_header: str = ""
    unit_header: str = ""
