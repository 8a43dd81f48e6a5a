"""Text as Vietnamese users type it: stored in NFC, searched without case or diacritics."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

#: Invisible characters that reorder text on screen (a "Trojan source" title could hide words).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")

_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def nfc(text: str) -> str:
    """The NFC form in which every piece of text is stored."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case without diacritics: `Cải cách` and `cai cach` fold alike; `đ` folds to `d`."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def matches(query: str, text: str) -> bool:
    """True when every word of `query` occurs in `text`, ignoring case and diacritics."""
    haystack = fold(text)
    return all(word in haystack for word in fold(query).split())


def clean_line(text: str, *, field: str = "text", max_length: int = 2000) -> str:
    """A single-line user string in NFC, control characters refused.

    Raises ValueError naming the field for empty, over-long or control-character input.
    """
    value = nfc(text).strip()
    if not value:
        raise ValueError(f"{field}: must not be empty")
    if len(value) > max_length:
        raise ValueError(f"{field}: longer than {max_length} characters")
    if any((unicodedata.category(ch) == "Cc" and ch not in "\t") or ch in BIDI_CONTROLS for ch in value):
        raise ValueError(f"{field}: contains control characters")
    return value


# Code points below U+0300 and the Latin Extended Additional block (every precomposed
# Vietnamese letter) are neither combining nor wide: such text is one column per code point.
_ONE_COLUMN = re.compile(r"[\x00-\u02ff\u1e00-\u1eff]*")


@cache
def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def display_width(text: str) -> int:
    """Terminal columns: wide East Asian characters take two, combining marks none."""
    if _ONE_COLUMN.fullmatch(text):
        return len(text)
    return sum(map(_char_width, text))


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
_ROMAN = re.compile(r"(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


def roman_value(numeral: str) -> int | None:
    """The number a Roman numeral of a heading stands for (I to XLIX), or None."""
    if not numeral or not _ROMAN.fullmatch(numeral):
        return None
    total = 0
    for i, ch in enumerate(numeral):
        value = _ROMAN_VALUES[ch]
        nxt = _ROMAN_VALUES[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -value if value < nxt else value
    return total or None
