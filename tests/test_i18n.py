"""Every user-facing message has a Vietnamese translation, compiled, with its placeholders."""

from __future__ import annotations

import gettext
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import i18n  # noqa: E402  (scripts/i18n.py)

PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}")


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return i18n.load_po()


def test_every_message_in_the_source_is_in_the_catalog(catalog) -> None:  # type: ignore[no-untyped-def]
    source = {m.id for m in i18n.extract() if m.id}
    in_po = {m.id for m in catalog if m.id}
    assert not sorted(map(str, source - in_po)), "run python scripts/i18n.py update"


def test_every_message_is_translated(catalog) -> None:  # type: ignore[no-untyped-def]
    assert i18n.untranslated(catalog) == []


def test_placeholders_survive_translation(catalog) -> None:  # type: ignore[no-untyped-def]
    broken = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) != wanted:
                broken.append(ids[0])
    assert broken == []


def test_compiled_catalog_matches_the_po(catalog) -> None:  # type: ignore[no-untyped-def]
    with i18n.MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = [m.id for m in catalog
             if m.id and isinstance(m.id, str) and m.string and compiled.gettext(m.id) != m.string]
    assert stale == [], "run python scripts/i18n.py compile"


def test_language_follows_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.i18n import _, set_language

    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    assert set_language(None) == "vi"
    assert _("Permission denied: {right} ({who}).") != "Permission denied: {right} ({who})."
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert set_language(None) == "en"
