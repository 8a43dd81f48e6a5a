"""Which criteria a task probably serves, from its words and the section it sits under.

An appendix table seldom has a criteria column, so the tasks arrive unlinked. Two signals
point to the criteria:

- the section: a task under "III. CẢI CÁCH THỦ TỤC HÀNH CHÍNH" serves a criterion of that
  field (`field_of_section` matches the heading to a root criterion by its words, or by its
  numeral);
- the words: the task's title, product and description against each criterion's title,
  scoring guidance and the titles above it. Vietnamese is written syllable by syllable
  (space-separated), so the text is folded (no case, no diacritics, đ -> d) and compared as
  syllables and as pairs of neighbouring syllables ("thu tuc", "buu chinh"), each weighted by
  its rarity among the criteria (IDF: "hồ sơ" says little, "bưu chính" a lot); the score is
  the cosine of the two weighted vectors.

A criterion of the task's field scores its word score plus `SECTION_BONUS`; one outside the
field keeps `OUTSIDE_FIELD` of it. Scores run from 0 to about 1.1; `planner links suggest`
prints them. Pure: no I/O.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from planner.domain.text import fold, roman_value

#: Added to the score of a criterion in the field the task's section names.
SECTION_BONUS = 0.25
#: What is kept of the score of a criterion outside that field.
OUTSIDE_FIELD = 0.5
#: A pair of syllables counts this much more than one syllable.
BIGRAM_WEIGHT = 1.5
#: Syllables that carry no meaning of their own in these texts.
STOPWORDS = frozenset({
    "va", "cac", "cua", "trong", "theo", "cho", "voi", "tai", "tren", "den", "tu", "la", "co",
    "duoc", "de", "ve", "nhung", "mot", "so", "nam", "thuc", "hien", "viec", "cong", "tac",
    "dam", "bao", "nang", "cao", "tang", "cuong", "trien", "khai", "quy", "dinh", "day", "du",
    "dung", "han", "diem", "dat", "khong", "duoi", "ty", "le", "muc", "do", "hoac",
    "nay", "khi", "thi", "ra", "vao", "lai", "phai", "cung", "nhu", "sau", "truoc",
})
#: Terms (syllables and pairs) with their weighted counts.
Bag = dict[str, float]
_SYLLABLE = re.compile(r"[a-z0-9]+")
_CLAUSE = re.compile(r"[,;:.()\n/–—-]+")


def _merged(*bags: Bag) -> Bag:
    out: Bag = defaultdict(float)
    for bag in bags:
        for term, count in bag.items():
            out[term] += count
    return out


def syllables(text: str) -> list[list[str]]:
    """The folded syllables of a text, clause by clause (a pair never spans a comma)."""
    out: list[list[str]] = []
    for clause in _CLAUSE.split(fold(text)):
        words = [w for w in _SYLLABLE.findall(clause) if not w.isdigit()]
        if words:
            out.append(words)
    return out


def features(text: str, weight: float = 1.0) -> Bag:
    """Syllables (without stopwords) and pairs of neighbouring syllables, counted."""
    counts: Bag = defaultdict(float)
    for clause in syllables(text):
        for word in clause:
            if word not in STOPWORDS and len(word) > 1:
                counts[word] += weight
        for a, b in itertools.pairwise(clause):
            if a not in STOPWORDS or b not in STOPWORDS:
                counts[f"{a} {b}"] += weight * BIGRAM_WEIGHT
    return counts


@dataclass(frozen=True)
class CriterionText:
    """A criterion a task can be linked to, with the words it is known by."""

    code: str
    title: str
    guidance: str = ""
    context: str = ""  # the titles of the criteria above it (not its field's)
    field: str = ""  # its root criterion's code


@dataclass(frozen=True)
class TaskText:
    code: str
    title: str
    product: str = ""
    description: str = ""
    section: str = ""  # "III. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"


@dataclass(frozen=True)
class Suggestion:
    criterion: str
    score: float
    by_section: bool  # the criterion is in the field the task's section names


def field_of_section(section: str, fields: Iterable[tuple[str, str]]) -> str | None:
    """The root criterion a section heading names: by its words (most shared, at least a
    third of either), else by its numeral (III -> 3)."""
    fields = list(fields)
    numeral, _sep, heading = section.partition(". ")
    words = {w for clause in syllables(heading or section) for w in clause
             if w not in STOPWORDS}
    best, best_score = None, 0.0
    for code, title in fields:
        other = {w for clause in syllables(title) for w in clause if w not in STOPWORDS}
        if words and other:
            score = len(words & other) / len(words | other)
            if score > best_score:
                best, best_score = code, score
    if best is not None and best_score >= 0.34:
        return best
    number = roman_value(numeral.strip())
    codes = {code for code, _title in fields}
    return str(number) if number is not None and str(number) in codes else None


class Suggester:
    """The criteria of a plan, indexed once; `suggest` ranks them for one task."""

    def __init__(self, criteria: Iterable[CriterionText],
                 fields: Iterable[tuple[str, str]] = ()) -> None:
        self.criteria = list(criteria)
        self.fields = list(fields)
        documents = [self._document(c) for c in self.criteria]
        df: Counter[str] = Counter()
        for doc in documents:
            df.update(doc.keys())
        n = max(1, len(documents))
        self.idf = {term: math.log(1 + n / count) for term, count in df.items()}
        self.default_idf = math.log(1 + n)
        self.vectors = [self._weigh(doc) for doc in documents]
        self._sections: dict[str, str | None] = {}

    @staticmethod
    def _document(c: CriterionText) -> Bag:
        return _merged(features(c.title, 2.0), features(c.guidance, 1.0),
                       features(c.context, 1.0))

    def _weigh(self, counts: Bag) -> dict[str, float]:
        vector = {t: (1 + math.log(c)) * self.idf.get(t, self.default_idf)
                  for t, c in counts.items() if c > 0}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def field_of(self, section: str) -> str | None:
        if not section:
            return None
        if section not in self._sections:
            self._sections[section] = field_of_section(section, self.fields)
        return self._sections[section]

    def suggest(self, task: TaskText, limit: int = 3) -> list[Suggestion]:
        """The best `limit` criteria for a task, best first (ties: table order)."""
        counts = _merged(features(task.title, 2.0), features(task.product, 1.0),
                         features(task.description, 0.5))
        # Terms no criterion knows say nothing about which criterion: left out.
        vector = self._weigh({t: c for t, c in counts.items() if t in self.idf})
        field = self.field_of(task.section)
        ranked: list[tuple[float, int, Suggestion]] = []
        for i, (c, cv) in enumerate(zip(self.criteria, self.vectors, strict=True)):
            words = sum(v * cv.get(t, 0.0) for t, v in vector.items())
            in_field = field is not None and c.field == field
            if field is None:
                score = words
            elif in_field:
                score = words + SECTION_BONUS
            else:
                score = words * OUTSIDE_FIELD
            if score > 0:
                ranked.append((-score, i, Suggestion(c.code, round(score, 4), in_field)))
        ranked.sort(key=lambda r: (r[0], r[1]))
        return [s for _neg, _i, s in ranked[:limit]]
