"""Offices named in a cell of a plan table, as offices write them.

A supporting-office cell joins names with "và", "&", commas, semicolons or line breaks, and an
office's own name may hold any of them ("Phòng Khảo thí và Kiểm định chất lượng", "Phòng Công
tác học sinh, sinh viên"). So the cell is not split first and matched after: it is read as a
sequence of syllables (folded: no case, no diacritics, đ -> d) and, at each position, the
longest known name, alias or code that starts there is taken; what no name covers is split at
the separators into fragments.

- "Các phòng X, Y" means X and Y: generic words in front of a name ("các phòng", "đơn vị")
  are dropped, and so are generic words after one ("Văn phòng Sở").
- A fragment of generic words only that starts like "Các phòng …", "Tất cả …" ("Các phòng
  chuyên môn", "Các phòng, đơn vị liên quan") means every division: `ALL`.
- "Phòng Giáo dục Mầm non, Tiểu học": a fragment that completes the beginning of the name
  before it ("Phòng Giáo dục" + "Tiểu học") names that office.
- Anything else is an unknown fragment, reported with its text; a fragment that holds a known
  name among other words ("Tổ Văn phòng", "Phòng Tổ chức cán bộ - Pháp chế") is unknown too,
  and marked so that `--create-offices` never creates it (it would shadow the known office).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from planner.domain.text import fold

#: Stands for every division in a cell's list of codes.
ALL = "*"

_TOKEN = re.compile(r"\w+|[,;\n&+/]")
_PARENS = re.compile(r"\([^()]*\)")
_SEPARATORS = {",", ";", "\n", "/", "+"}
_AND_WORDS = {"va", "and"}
#: Beginnings of a fragment that means every division.
_ALL_STARTS = (("cac", "phong"), ("cac", "don", "vi"), ("cac", "bo", "phan"), ("cac", "ban"),
               ("tat", "ca"), ("toan", "bo"), ("toan", "so"), ("toan", "co", "quan"),
               ("cac", "co", "quan"), ("all",))
#: Words that say nothing about which office: "các phòng", "đơn vị liên quan", "thuộc Sở".
_GENERIC = frozenset({
    "cac", "phong", "don", "vi", "ban", "bo", "phan", "chuyen", "mon", "lien", "quan", "co",
    "thuoc", "truc", "so", "nganh", "tat", "ca", "toan", "nghiep", "vu", "chuc", "nang", "khac",
    "chu", "tri", "phoi", "hop", "cung", "tham", "muu", "giup", "viec", "all", "other",
    "offices", "divisions", "related", "the", "of",
})


@dataclass(frozen=True)
class OfficeInfo:
    code: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class _Token:
    key: str  # folded word, or "," for any separator, "va" for "và" and "&"
    start: int
    end: int


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[_Token, ...]:
    """The syllables and separators of a text, with their place in it (parenthesised notes
    such as "(chủ trì)" dropped, dashes and dots ignored)."""
    cleaned = text
    while True:  # "(chủ trì)" is a note, not a name; nested brackets go one level per pass
        stripped = _PARENS.sub(lambda m: " " * len(m[0]), cleaned)
        if stripped == cleaned:
            break
        cleaned = stripped
    out: list[_Token] = []
    for m in _TOKEN.finditer(cleaned):
        raw = m[0]
        if raw in _SEPARATORS:
            key = ","
        elif raw == "&":
            key = "va"
        else:
            key = fold(raw)
        out.append(_Token(key, m.start(), m.end()))
    return tuple(out)


def name_key(text: str) -> tuple[str, ...]:
    """A name as the sequence of folded syllables the matcher compares."""
    return tuple(t.key for t in _tokens(text))


@dataclass(frozen=True)
class Fragment:
    """Text of a cell that names no known office; `contains` lists the known offices whose
    names it holds among other words (such a fragment is never created as an office)."""

    text: str
    contains: tuple[str, ...] = ()


@dataclass
class CellOffices:
    """What a cell names, in the order written: office codes (`ALL` for every division) and
    the fragments that name no known office."""

    entries: list[str | Fragment] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [e for e in self.entries if isinstance(e, str)]

    @property
    def unknown(self) -> list[Fragment]:
        return [e for e in self.entries if isinstance(e, Fragment)]


@dataclass(frozen=True)
class _Match:
    code: str
    key: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class _Word:
    key: str
    start: int
    end: int


class OfficeNames:
    """Every name an office is known by (code, name, aliases), matched longest first."""

    def __init__(self, offices: Iterable[OfficeInfo] = ()) -> None:
        self.codes: list[str] = []
        # Cells repeat on thousands of rows ("Các phòng chuyên môn"): each is read once.
        self._read: dict[str, CellOffices] = {}
        self._by_key: dict[tuple[str, ...], str] = {}
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for o in offices:
            self.add(o.code, [o.code, o.name, *o.aliases])

    def add(self, code: str, names: Iterable[str]) -> None:
        """Make `code` known by these names (with and without a leading "Phòng")."""
        self._read.clear()
        if code not in self.codes:
            self.codes.append(code)
        for name in names:
            key = name_key(name)
            if not key:
                continue
            variants = [key, key[1:]] if key[0] == "phong" and len(key) > 1 else [key]
            variants.append(("phong", *key) if key[0] != "phong" else key)
            for variant in variants:
                if variant in self._by_key:
                    continue
                self._by_key[variant] = code
                bucket = self._by_first.setdefault(variant[0], [])
                bucket.append(variant)
                bucket.sort(key=len, reverse=True)

    def match(self, text: str) -> str | None:
        """The office a whole text names, or None."""
        return self._by_key.get(name_key(text))

    def read(self, text: str) -> CellOffices:
        """The offices a cell names; see the module's docstring for the rules (the result is
        shared between equal cells: do not change it)."""
        found = self._read.get(text)
        if found is None:
            found = self._read[text] = self._read_cell(text)
        return found

    def _read_cell(self, text: str) -> CellOffices:
        tokens = _tokens(text)
        segments: list[list[_Match | _Word]] = [[]]
        i = 0
        while i < len(tokens):
            found = self._longest(tokens, i)
            if found is not None:
                length, code = found
                key = tuple(t.key for t in tokens[i:i + length])
                segments[-1].append(_Match(code, key, tokens[i].start, tokens[i + length - 1].end))
                i += length
                continue
            token = tokens[i]
            if token.key == "," or token.key in _AND_WORDS:
                segments.append([])
            else:
                segments[-1].append(_Word(token.key, token.start, token.end))
            i += 1
        result = CellOffices()
        previous: _Match | None = None
        after_all = False
        for segment in segments:
            if not segment:
                continue
            span = text[segment[0].start:segment[-1].end].strip()
            matches = [s for s in segment if isinstance(s, _Match)]
            if not matches:
                words = tuple(s.key for s in segment if isinstance(s, _Word))
                if all(w in _GENERIC for w in words):
                    if any(words[:len(start)] == start for start in _ALL_STARTS):
                        result.entries.append(ALL)
                        after_all = True
                        continue
                    if after_all:
                        continue  # "Các phòng, đơn vị": the rest of the same phrase
                completed = self._complete(previous, words)
                if completed is not None:
                    result.entries.append(completed)
                    after_all = False
                    continue
                result.entries.append(Fragment(span))
                continue
            after_all = False
            first = segment.index(matches[0])
            last = segment.index(matches[-1])
            lead_words = [s.key for s in segment[:first] if isinstance(s, _Word)]
            inner_words = [s.key for s in segment[first:last + 1] if isinstance(s, _Word)]
            tail_words = [s.key for s in segment[last + 1:] if isinstance(s, _Word)]
            if all(w in _GENERIC for w in (*lead_words, *inner_words, *tail_words)):
                result.entries.extend(m.code for m in matches)
                previous = matches[-1]
            else:
                result.entries.append(Fragment(span, tuple(dict.fromkeys(m.code for m in matches))))
        return result

    def _longest(self, tokens: tuple[_Token, ...], i: int) -> tuple[int, str] | None:
        for variant in self._by_first.get(tokens[i].key, ()):
            n = len(variant)
            if i + n <= len(tokens) and all(tokens[i + k].key == variant[k] for k in range(n)):
                return n, self._by_key[variant]
        return None

    def _complete(self, previous: _Match | None, words: tuple[str, ...]) -> str | None:
        """The office named by the beginning of the previous name followed by `words`."""
        if previous is None or not words:
            return None
        for cut in range(len(previous.key) - 1, 0, -1):
            code = self._by_key.get((*previous.key[:cut], *words))
            if code is not None and code != previous.code:
                return code
        return None


def derive_code(name: str, taken: set[str]) -> str:
    """A short code for a new office: a name that reads as a code (KTKĐ, GDTrH) as written,
    else the initials of its words after "Phòng" (Phòng Công nghệ thông tin -> CNTT)."""
    compact = name.strip()
    code_like = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
    if " " not in compact and len(compact) <= 12 and (
        code_like.fullmatch(compact) or code_like.fullmatch(fold(compact).replace(" ", ""))
    ) and not compact.islower():
        base = compact
    else:
        words = fold(name).replace("-", " ").split()
        while words and words[0] in ("phong", "ban", "to"):
            words = words[1:]
        base = "".join(w[0] for w in words if w[:1].isalnum()).upper()[:10] or "DV"
    code, n = base, 1
    while code.casefold() in taken:
        n += 1
        code = f"{base}{n}"
    taken.add(code.casefold())
    return code
