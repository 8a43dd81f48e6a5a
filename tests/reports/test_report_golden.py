"""Text, Markdown and HTML of the sample plan at 09/05/2022 match their golden files."""

from __future__ import annotations

from datetime import date

import pytest

from planner.reports.html import render_html
from planner.reports.markdown import render_markdown
from planner.reports.model import build_due, build_weekly
from planner.reports.text import render_due_text, render_text
from planner.services.context import Context
from tests.reports.support import AS_OF, check_golden


def test_weekly_text(sample: Context) -> None:
    check_golden("weekly-2022-05-09.txt", render_text(build_weekly(sample, AS_OF)))


def test_weekly_markdown(sample: Context) -> None:
    check_golden("weekly-2022-05-09.md", render_markdown(build_weekly(sample, AS_OF)))


def test_weekly_html(sample: Context) -> None:
    check_golden("weekly-2022-05-09.html", render_html(build_weekly(sample, AS_OF)))


def test_office_view_text(sample: Context) -> None:
    check_golden("weekly-2022-05-09-TCCB.txt", render_text(build_weekly(sample, AS_OF, "TCCB")))


def test_due_text(sample: Context) -> None:
    # 08/05: T03 is due in 7 days, T02, T28 and T30 have passed.
    check_golden("due-2022-05-08.txt", render_due_text(build_due(sample, date(2022, 5, 8))))


@pytest.mark.parametrize("office", [None, "VP", "TCCB", "KTKĐ"])
def test_text_fits_80_columns(sample: Context, office: str | None) -> None:
    from planner.reports.fmt import display_width

    text = render_text(build_weekly(sample, AS_OF, office))
    assert max(display_width(line) for line in text.splitlines()) <= 80


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_weekly_in_vietnamese(sample: Context, fmt: str) -> None:
    from planner.i18n import set_language

    set_language("vi")
    report = build_weekly(sample, AS_OF)
    render = {"txt": render_text, "md": render_markdown, "html": render_html}[fmt]
    check_golden(f"weekly-2022-05-09-vi.{fmt}", render(report))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_dossier_index(sample: Context, lang: str) -> None:
    """The dossier's index is a Vietnamese document whatever the language of messages."""
    from planner.i18n import set_language
    from planner.io.dossier import build_dossier, index_document
    from planner.reports.html import document_html
    from planner.reports.text import document_text

    set_language(lang)
    doc = index_document(build_dossier(sample, AS_OF))
    check_golden("dossier-index-2022-05-09.txt", document_text(doc))
    check_golden("dossier-index-2022-05-09.html", document_html(doc))
