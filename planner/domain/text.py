"""Text as Vietnamese users type it: stored in NFC, searched without case or diacritics."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from planner.i18n import _

#: Invisible characters that reorder text on screen (a "Trojan source" title could hide words).
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")

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


class TextError(ValueError):
    """Text a person typed that cannot be stored; `message` names the field, in the current
    language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def forbidden_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character that stored text may not hold, or None.

    Refused: C0 and C1 control characters and DEL (a multi-line field keeps newline and tab),
    the invisible bidirectional controls that reorder text on screen, and lone surrogates
    (what a non-UTF-8 byte in a command-line argument becomes).
    """
    for ch in text:
        if multiline and ch in "\n\t":
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs") or ch in BIDI_CONTROLS:
            return ch
    return None


def describe_character(ch: str) -> str:
    """U+001B, as a message names a refused character."""
    return f"U+{ord(ch):04X}"


def clean_text(value: str, field: str, *, max_length: int = 2000, multiline: bool = False,
               required: bool = True) -> str:
    """Typed text as it is stored: NFC, stripped, bounded, no control characters.

    The one check every service applies to names, codes, logins and titles before storing
    them. Raises TextError naming the field.
    """
    bad = forbidden_character(value, multiline=multiline)
    if bad is not None:
        if unicodedata.category(bad) == "Cs":
            raise TextError(_("{field}: is not valid UTF-8 text (a byte that is not a character)."
                              ).format(field=field))
        raise TextError(_("{field}: contains control characters ({char}), which cannot be "
                          "stored.").format(field=field, char=describe_character(bad)))
    text = nfc(value).strip()
    if not text and required:
        raise TextError(_("{field}: must not be empty.").format(field=field))
    if len(text) > max_length:
        raise TextError(_("{field}: longer than {n} characters.").format(field=field, n=max_length))
    return text


def clean_line(text: str, *, field: str = "text", max_length: int = 2000) -> str:
    """A required single-line string in NFC (see `clean_text`); raises TextError."""
    return clean_text(text, field, max_length=max_length)


#: Control characters shown as their Unicode "control picture" (ESC as ␛), so a terminal
#: never receives them; the rest of C1 and the bidi controls as a visible `<U+202E>`.
_PICTURES = {c: chr(0x2400 + c) for c in range(32)} | {0x7F: "\u2421"}


@cache
def _visible_char(ch: str) -> str:
    code = ord(ch)
    if code in _PICTURES:
        return _PICTURES[code]
    return f"<U+{code:04X}>"


_NEEDS_CARE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff" + "".join(sorted(BIDI_CONTROLS)) + "]")
_NEEDS_CARE_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
                               + "".join(sorted(BIDI_CONTROLS)) + "]")


def printable(text: str, *, multiline: bool = False) -> str:
    """Text safe to print on a terminal: control characters (escape sequences), bidi controls
    and lone surrogates made visible, so data already stored can neither move the cursor, retitle
    the window nor reorder a line. `multiline` keeps newlines and tabs."""
    pattern = _NEEDS_CARE_LINES if multiline else _NEEDS_CARE
    if pattern.search(text) is None:
        return text
    return pattern.sub(lambda m: _visible_char(m.group()), text)


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
