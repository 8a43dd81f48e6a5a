"""Translation of user-facing strings through gettext (English source, Vietnamese catalog).

Call `set_language` once at start-up; `_` and `ngettext` look the catalog up lazily so that
modules may use them at import time only inside functions.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "planner"
LOCALE_DIR = Path(__file__).parent / "locale"
SUPPORTED = ("en", "vi")

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"
_catalogs: dict[str, _gettext.NullTranslations] = {}


def language_from_env() -> str:
    """The language LANG/LANGUAGE/LC_ALL ask for, among the supported ones (default English)."""
    for var in ("PLANNER_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            code = value.split(":")[0].split(".")[0].split("_")[0].lower()
            if code in SUPPORTED:
                return code
            if var != "PLANNER_LANG":
                return "en"
    return "en"


def set_language(code: str | None) -> str:
    """Switch every later translation to `code` ('vi' or 'en'); None means from the environment."""
    global _translation, _language
    lang = (code or language_from_env()).lower()
    if lang not in SUPPORTED:
        lang = "en"
    _language = lang
    if lang == "en":
        _translation = _gettext.NullTranslations()
    else:
        _translation = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    return lang


def current_language() -> str:
    return _language


def translate_to(code: str, message: str) -> str:
    """`message` in the language `code`, whatever the current language (to accept words
    typed in either language)."""
    if code == "en":
        return message
    found = _catalogs.get(code)
    if found is None:
        found = _catalogs[code] = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[code],
                                                       fallback=True)
    return found.gettext(message)


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair for extraction without translating it now."""
    return singular, plural


@contextmanager
def in_language(code: str) -> Iterator[None]:
    """Translate in `code` for the duration of the block (an official document written in
    Vietnamese whatever the language of messages), then back to the language before."""
    before = _language
    set_language(code)
    try:
        yield
    finally:
        set_language(before)
