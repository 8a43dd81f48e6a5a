"""The periodic reform reports (quarter, half-year, year) of the sample plan: what they say, in
every format and both languages (golden files), printed (PDF, HTML through Chromium, DOCX
through LibreOffice), and recorded as the occurrence of the periodic-report task they fulfil."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.periods import Period, parse_period
from planner.domain.schedule import DateError
from planner.i18n import set_language
from planner.reports.blocks import Blank
from planner.reports.docx import document_docx
from planner.reports.html import document_html
from planner.reports.markdown import document_markdown
from planner.reports.paper import Paper
from planner.reports.pdf import document_pdf
from planner.reports.periodic import build_periodic
from planner.reports.periodic_layout import periodic_document
from planner.reports.text import document_text
from planner.services.context import Context
from tests.conftest import Cli
from tests.reports.layout_checks import check_pages
from tests.reports.pdfread import docx_to_pdf, html_to_pdf, read_pages
from tests.reports.support import check_golden

Q1 = Period("quarter", 2022, 1)
H1 = Period("half-year", 2022, 1)
YEAR = Period("year", 2022, 1)
PAPER = Paper(number="12", signer_for="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC",
              signer="Nguyễn Văn Bình", report_to=("Sở Nội vụ thành phố Hải Phòng",))


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(("kind", "text", "expected"), [
    ("quarter", "Q1/2022", Q1), ("quarter", "2022-Q1", Q1), ("quarter", "Quý I/2022", Q1),
    ("quarter", "quy iii nam 2022", Period("quarter", 2022, 3)), ("quarter", "Q2", Period("quarter", 2022, 2)),
    ("half-year", "2022-H1", H1), ("half-year", "H2/2022", Period("half-year", 2022, 2)),
    ("half-year", "6 tháng đầu năm 2022", H1), ("half-year", "6 tháng cuối năm 2022", Period("half-year", 2022, 2)),
    ("year", "2022", YEAR), ("year", "năm 2022", YEAR),
])
def test_periods_as_people_write_them(kind: str, text: str, expected: Period) -> None:
    assert parse_period(kind, text, default_year=2022) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "text"), [
    ("quarter", "Q5/2022"), ("quarter", "2022"), ("half-year", "H3/2022"), ("year", "Q1/2022"),
    ("quarter", "Q1"),
])
def test_impossible_periods_are_refused(kind: str, text: str) -> None:
    with pytest.raises(DateError, match="not a"):
        parse_period(kind, text)  # type: ignore[arg-type]


def test_windows_of_the_ministry_guidance() -> None:
    # 581/BNV-CCHC: Q1 15/12-14/3, 6 months 15/12-14/6, Q3 15/6-14/9, the year 15/12-14/12.
    assert (Q1.starts_on, Q1.cutoff) == (date(2021, 12, 15), date(2022, 3, 14))
    assert (H1.starts_on, H1.cutoff) == (date(2021, 12, 15), date(2022, 6, 14))
    q3 = Period("quarter", 2022, 3)
    assert (q3.starts_on, q3.cutoff) == (date(2022, 6, 15), date(2022, 9, 14))
    assert (YEAR.starts_on, YEAR.cutoff) == (date(2021, 12, 15), date(2022, 12, 14))


@given(st.sampled_from(["quarter", "half-year", "year"]), st.integers(2000, 2100),
       st.integers(1, 4))
def test_consecutive_periods_tile_the_years(kind: str, year: int, n: int) -> None:
    last = {"quarter": 4, "half-year": 2, "year": 1}[kind]
    period = Period(kind, year, min(n, last))  # type: ignore[arg-type]
    assert period.starts_on < period.cutoff
    assert period.next().starts_on == period.cutoff + timedelta(days=1)
    written = {"quarter": f"Q{period.number}/{year}", "half-year": f"{year}-H{period.number}",
               "year": str(year)}[kind]
    assert parse_period(kind, written) == period  # type: ignore[arg-type]


# --------------------------------------------------------------------------- content


def _doc(ctx: Context, period: Period, on: date, lang: str = "vi", paper: Paper = PAPER):
    set_language(lang)
    return periodic_document(build_periodic(ctx, period, on=on, paper=paper))


def test_quarter_report_is_filled_from_the_plan(sample: Context) -> None:
    report = build_periodic(sample, Q1, on=date(2022, 3, 18), paper=PAPER)
    assert report.cutoff == date(2022, 3, 14)
    steering = report.fields[0]
    assert steering.code == "1"
    done = {d.task.key: d for d in steering.done}
    # The annual plan, done 20/01, with its accepted document.
    plan = done["T01"]
    assert [(p.number, p.on) for p in plan.documents] == [("45/KH-SGDĐT", date(2022, 1, 20))]
    # Work done after the cut-off is not in the quarter.
    assert all(d.task.done_on <= date(2022, 3, 14) for f in report.fields for d in f.done)
    # T15, due 31/03, is work of the next period.
    assert "T15" in {t.key for t in steering.upcoming}
    text = document_text(periodic_document(report))
    assert "Kính gửi: Sở Nội vụ thành phố Hải Phòng." in text


def test_half_year_lists_overdue_work_with_its_lead_office(sample: Context) -> None:
    set_language("vi")
    report = build_periodic(sample, H1, on=date(2022, 6, 16))
    organisation = next(f for f in report.fields if f.code == "4")
    assert "T28" in {t.key for t in organisation.overdue}  # TCCB, due 31/03, not done
    text = document_text(periodic_document(report))
    assert "Phòng Tổ chức cán bộ" in text
    assert "6 tháng đầu năm 2022" in text


def test_what_the_plan_cannot_say_is_a_marked_blank(sample: Context) -> None:
    doc = _doc(sample, YEAR, date(2022, 12, 16))
    blanks = [b.prompt for s in doc.sections for b in s.blocks if isinstance(b, Blank)]
    assert "Đề xuất, kiến nghị với UBND thành phố và Sở Nội vụ: đơn vị bổ sung." in blanks
    assert "Ưu điểm trong kỳ: đơn vị bổ sung." in blanks
    # The year's next period is in next year's plan: a blank, not an invented list.
    assert "Kỳ tới thuộc kế hoạch năm sau: đơn vị bổ sung." in blanks
    text = document_text(doc)
    assert "[Đề xuất, kiến nghị với UBND thành phố và Sở Nội vụ: đơn vị bổ sung.]" in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_english_or_internal_words_in_the_vietnamese_report(sample: Context, lang: str) -> None:
    text = document_text(_doc(sample, H1, date(2022, 6, 16), lang))
    if lang == "vi":
        for word in ("criterion", "@2022", "overdue", " none", "computed", "evidence", "month ",
                     "Q1", "None"):
            assert word not in text, word
    else:
        assert "Results of the administrative reform in the first half of 2022" in text


# --------------------------------------------------------------------------- golden files


@pytest.mark.parametrize(("period", "on", "lang", "fmt"), [
    (Q1, date(2022, 3, 18), "vi", "txt"), (Q1, date(2022, 3, 18), "en", "txt"),
    (Q1, date(2022, 3, 18), "vi", "md"), (Q1, date(2022, 3, 18), "vi", "html"),
    (H1, date(2022, 6, 16), "vi", "txt"), (H1, date(2022, 6, 16), "en", "md"),
    (YEAR, date(2022, 12, 16), "vi", "txt"),
])
def test_golden(sample: Context, period: Period, on: date, lang: str, fmt: str) -> None:
    doc = _doc(sample, period, on, lang)
    render = {"txt": document_text, "md": document_markdown, "html": document_html}[fmt]
    check_golden(f"periodic-{period.slug}-{lang}.{fmt}", render(doc))


# --------------------------------------------------------------------------- printed


def test_quarter_pdf_pages(sample: Context) -> None:
    doc = _doc(sample, Q1, date(2022, 3, 18))
    pages = read_pages(document_pdf(doc, date(2022, 3, 18)))
    assert len(pages) >= 3
    check_pages(pages, doc)
    first = pages[0].text
    for text in ("BÁO CÁO", "Kết quả thực hiện công tác cải cách hành chính quý I năm 2022",
                 "Số: 12/BC-SGDĐT", "Hải Phòng, ngày 18 tháng 3 năm 2022",
                 "Kính gửi: Sở Nội vụ thành phố Hải Phòng."):
        assert text in first.splitlines(), text


def test_quarter_html_printed_by_chromium(sample: Context) -> None:
    doc = _doc(sample, Q1, date(2022, 3, 18))
    check_pages(read_pages(html_to_pdf(document_html(doc))), doc)


def test_quarter_docx_opens_in_word_styles_and_prints(sample: Context) -> None:
    import docx

    doc = _doc(sample, Q1, date(2022, 3, 18))
    data = document_docx(doc, date(2022, 3, 18))
    assert data == document_docx(doc, date(2022, 3, 18))  # the same document, the same bytes
    word = docx.Document(io.BytesIO(data))
    styles = {p.style.name for p in word.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Caption", "Normal"} <= styles
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"
    assert [p.text for p in word.paragraphs if p.style.name == "Title"] == [
        "BÁO CÁO", "Kết quả thực hiện công tác cải cách hành chính quý I năm 2022"]
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        assert word.styles[name].font.name == "Times New Roman", name
    xml = data.decode("latin-1")
    assert "Calibri" not in xml and "Cambria" not in xml  # nothing left for Word to substitute
    assert word.styles["Normal"].font.size.pt == 13
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 30
    assert section.different_first_page_header_footer
    assert word.tables[1].style.name == "Table Grid"
    # The Word file says what the PDF says, and prints the same way.
    pages = read_pages(docx_to_pdf(data))
    check_pages(pages, doc)
    assert "Kính gửi: Sở Nội vụ thành phố Hải Phòng." in pages[0].text


# --------------------------------------------------------------------------- the command


def test_command_writes_each_format(seeded: Cli, tmp_path: Path) -> None:
    for suffix, start in ((".pdf", b"%PDF-"), (".docx", b"PK"), (".html", b"<!DOCTYPE html>"),
                          (".md", b"**UBND"), (".txt", b"UBND")):
        target = tmp_path / f"q1{suffix}"
        result = seeded("report", "quarter", "--period", "Q1/2022", "--on", "18/3/2022", "-o",
                        str(target))
        assert result.exit_code == 0, result.output
        assert target.read_bytes().startswith(start)
    result = seeded("report", "half-year", "--period", "2022-H1", "--cutoff", "31/5/2022")
    assert result.exit_code == 0
    assert "with figures from 15/12/2021 to 31/5/2022" in " ".join(result.stdout.split())


def test_bad_period_is_refused(seeded: Cli) -> None:
    result = seeded("report", "quarter", "--period", "Q5/2022")
    assert result.exit_code == 2
    assert '--period: "Q5/2022": not a quarter' in result.stderr


def _occurrence_status(cli: Cli, key: str) -> str:
    shown = json.loads(cli("task", "show", key, "--format", "json").stdout)
    return next(o["status"] for o in shown["occurrences"] if o["code"] == key)


def _evidence(cli: Cli) -> list[dict]:
    result = cli("evidence", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_record_marks_the_occurrence_done_with_the_report_as_evidence(seeded: Cli, tmp_path: Path) -> None:
    target = tmp_path / "bao-cao-6-thang.pdf"
    result = seeded("report", "half-year", "--period", "2022-H1", "--on", "14/6/2022", "--number",
                    "31", "-o", str(target), "--record", "T04@2022-06-15")
    assert result.exit_code == 0, result.output
    assert "Recorded T04@2022-06-15 as done on 14/06/2022" in result.stderr
    (added,) = [e for e in _evidence(seeded) if e["target"] == "T04@2022-06-15"]
    assert added["state"] == "submitted"
    assert added["doc_number"] == "31/BC-SGDĐT" and added["doc_date"] == "2022-06-14"
    assert added["filename"] == "bao-cao-6-thang.pdf" and added["size"] == target.stat().st_size
    assert _occurrence_status(seeded, "T04@2022-06-15") == "done"
    # Reviewed like any other evidence: not by the person who submitted it.
    refused = seeded("evidence", "accept", str(added["id"]))
    assert refused.exit_code == 4 and "by the person who submitted it" in refused.stderr
    assert seeded("users", "add", "deputy", "--role", "coordinator").exit_code == 0
    accepted = seeded("evidence", "accept", str(added["id"]), "--on", "15/6/2022", user="deputy")
    assert accepted.exit_code == 0, accepted.stderr


def test_record_refused_leaves_the_database_as_it_was(seeded: Cli, tmp_path: Path) -> None:
    before = _evidence(seeded)
    # Already done (the first quarter's report): nothing is recorded.
    result = seeded("report", "quarter", "--period", "Q1/2022", "-o", str(tmp_path / "q1.pdf"),
                    "--record", "T04@2022-03-15")
    assert result.exit_code == 2
    assert "T04@2022-03-15 is already" in result.stderr
    # A division coordinator may not record it.
    result = seeded("report", "half-year", "--period", "2022-H1", "-o", str(tmp_path / "h1.pdf"),
                    "--record", "T04@2022-06-15", user="vp")
    assert result.exit_code == 4
    assert _evidence(seeded) == before
    assert _occurrence_status(seeded, "T04@2022-06-15") == "in_progress"
    # --record needs the file it attaches.
    result = seeded("report", "half-year", "--period", "2022-H1", "--record", "T04@2022-06-15")
    assert result.exit_code == 2 and "give -o FILE" in result.stderr
