"""A hostile task title is escaped in HTML and harmless everywhere; Vietnamese uses decimal commas."""

from __future__ import annotations

import email
import io
import json
import re
from email import policy
from email.message import EmailMessage

import pytest

from planner.i18n import set_language
from planner.reports.eml import build_message
from planner.reports.html import render_html
from planner.reports.markdown import render_markdown
from planner.reports.model import build_due, build_weekly
from planner.reports.pdf import render_pdf
from planner.reports.text import render_due_text, render_text
from planner.services.context import Context
from planner.services.tasks import add_task
from tests.conftest import Cli
from tests.reports.support import AS_OF, HOSTILE


@pytest.fixture
def hostile(sample: Context) -> Context:
    # Overdue (due 01/05) so that it shows in the overdue list, the office view and reminders.
    add_task(sample, HOSTILE, lead="TCCB", support=["VP"], due="1/5/2022", criteria=["4.1"])
    return sample


def test_html_escapes_the_title(hostile: Context) -> None:
    for office in (None, "TCCB", "VP"):
        page = render_html(build_weekly(hostile, AS_OF, office))
        assert "<script>" not in page and "alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; =cmd|&#x27; /C calc&#x27;!A0" in page
        # The only <script>-like or event markup is none at all: no scripts, no handlers.
        assert not re.search(r"<script|\son\w+=", page, re.IGNORECASE)


def test_markdown_keeps_the_title_as_text(hostile: Context) -> None:
    md = render_markdown(build_weekly(hostile, AS_OF))
    assert "<script" not in md
    assert r"&lt;script&gt;alert(1)&lt;/script&gt; =cmd\|' /C calc'!A0" in md
    # The title's `|` does not split its table row: every row has as many cells as the header.
    for table in re.findall(r"((?:^\|.*\|\n)+)", md, re.MULTILINE):
        rows = [re.split(r"(?<!\\)\|", line)[1:-1] for line in table.strip().splitlines()]
        assert len({len(r) for r in rows}) == 1


def test_text_and_pdf_print_it_literally(hostile: Context) -> None:
    report = build_weekly(hostile, AS_OF)
    wide = render_text(report, width=200)  # nothing wraps: the title stands whole on its line
    assert any(HOSTILE in line for line in wide.splitlines())
    assert "&lt;" not in wide  # plain text is not HTML: nothing to escape, nothing escaped
    from pypdf import PdfReader

    pdf = render_pdf(report)
    pages = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert HOSTILE in pages
    due = render_due_text(build_due(hostile, AS_OF))
    assert HOSTILE in " ".join(due.split())


def test_email_parts_are_safe(hostile: Context) -> None:
    msg = build_message(build_weekly(hostile, AS_OF, "TCCB"), mail_from="cchc@example.org")
    parsed = email.message_from_bytes(msg.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    html = parsed.get_body(("html",))
    plain = parsed.get_body(("plain",))
    assert html is not None and plain is not None
    assert "<script>" not in html.get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.get_content()
    assert "<script>alert(1)</script> =cmd|'" in plain.get_content()


def test_due_json_carries_it_as_data(seeded: Cli) -> None:
    add = seeded("task", "add", HOSTILE, "--lead", "TCCB", "--due", "1/5/2022")
    assert add.exit_code == 0, add.output
    result = seeded("report", "due", "--as-of", "9/5/2022", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert HOSTILE in [r["title"] for r in rows]
    assert all(set(r) >= {"office", "code", "due", "days_left", "kind"} for r in rows)


def test_vietnamese_uses_decimal_commas(sample: Context) -> None:
    set_language("vi")
    report = build_weekly(sample, AS_OF)
    text = render_text(report)
    md = render_markdown(report)
    page = render_html(report)
    body = page.split("</style>", 1)[1]  # the stylesheet has its own numbers (line-height 1.35)
    for out in (text, md, body):
        assert "41,93" in out and "56,00" in out and "48,00" in out
        assert "41.93" not in out and "56.00" not in out
        # No number with a decimal point anywhere (criteria codes like 3.3.1 have no 2-digit tail).
        assert not re.search(r"\b\d+\.\d\d\b", out)
    assert '<html lang="vi">' in page
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(render_pdf(report))).pages
    first = pages[0].extract_text()
    assert "41,93" in first
    assert pages[1].extract_text().startswith("2\n")  # page numbers from page 2, at the top
    assert "Hải Phòng, ngày 09 tháng 5 năm 2022" in " ".join(first.split())


def test_english_uses_decimal_points(sample: Context) -> None:
    text = render_text(build_weekly(sample, AS_OF))
    assert "41.93" in text and "41,93" not in text
