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
