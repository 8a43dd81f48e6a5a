"""The weekly status printed as PDF, as HTML from Chromium and as DOCX through LibreOffice, read
back page by page: whole heading lines, nothing orphaned at a page's foot, the signature on
the last page, page numbers from page 2. Each office's own printout too (in the first version
of the printout, 7 of the 9 ended page 1 with an office's caption and an empty table header).
"""

from __future__ import annotations

import pytest

from planner.i18n import set_language
from planner.reports import fit
from planner.reports.blocks import (
    Closing,
    Column,
    Document,
    Header,
    Paragraph,
    Row,
    Section,
    Signature,
    Table,
)
from planner.reports.docx import document_docx
from planner.reports.html import document_html
from planner.reports.layout import weekly_document
from planner.reports.model import build_weekly, build_weekly_each_office
from planner.reports.paper import Paper
from planner.reports.pdf import document_pdf
from planner.services.context import Context
from tests.reports.layout_checks import check_pages
from tests.reports.pdfread import docx_to_pdf, html_to_pdf, read_pages
from tests.reports.support import AS_OF

PAPER = Paper(number="12", signer_for="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC",
              signer="Nguyễn Văn Bình")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_weekly_pdf_pages(sample: Context, lang: str) -> None:
    set_language(lang)
    doc = weekly_document(build_weekly(sample, AS_OF, paper=PAPER))
    pages = read_pages(document_pdf(doc, AS_OF))
    assert len(pages) >= 2
    check_pages(pages, doc)
    first = pages[0].text
    assert "Số: 12/BC-SGDĐT" in first
    assert "Hải Phòng, ngày 09 tháng 5 năm 2022" in first
    # The agency breaks before the place name, never inside it.
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO" in first.splitlines()
    assert "HẢI PHÒNG" in first.splitlines()
    # The title's lines are the ones `fit` chose, whole.
    lines = fit.lines(doc.header.title, fit.PAGE_WIDTH, "B", 14, ("Hải Phòng",))
    for line in lines:
        assert line in first.splitlines()
    last = pages[-1].text
    for text in ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Bình", "Nơi nhận:", "- Lưu: VT."):
        assert text in last


def test_every_office_printout_keeps_captions_with_their_rows(sample: Context) -> None:
    set_language("vi")
    reports = build_weekly_each_office(sample, AS_OF)
    assert len(reports) == 9
    for report in reports:
        doc = weekly_document(report)
        check_pages(read_pages(document_pdf(doc, AS_OF)), doc)


def test_weekly_html_printed_by_chromium(sample: Context) -> None:
    set_language("vi")
    doc = weekly_document(build_weekly(sample, AS_OF, paper=PAPER))
    pages = read_pages(html_to_pdf(document_html(doc)))
    assert len(pages) >= 2
    check_pages(pages, doc)
    # The same margins as the PDF: text starts 30 mm from the left edge.
    assert min(line.x for page in pages for line in page.body()) == pytest.approx(30, abs=2.5)
    pdf_pages = read_pages(document_pdf(doc, AS_OF))
    assert [line.text for line in pages[0].lines[:8]] == [line.text for line in pdf_pages[0].lines[:8]]


@pytest.mark.parametrize("office", ["TCCB", "KTKĐ"])
def test_office_html_printed_by_chromium(sample: Context, office: str) -> None:
    set_language("vi")
    doc = weekly_document(build_weekly(sample, AS_OF, office))
    check_pages(read_pages(html_to_pdf(document_html(doc))), doc)


def test_weekly_docx_converted_by_libreoffice(sample: Context) -> None:
    set_language("vi")
    doc = weekly_document(build_weekly(sample, AS_OF, paper=PAPER))
    pages = read_pages(docx_to_pdf(document_docx(doc, AS_OF)))
    assert len(pages) >= 2
    check_pages(pages, doc)
    first = pages[0].text
    assert "Hải Phòng, ngày 09 tháng 5 năm 2022" in first
    assert "Số: 12/BC-SGDĐT" in " ".join(first.split())


def _crowded() -> Document:
    """Sections of growing length, each with a captioned table, so that across the document
    tables start at every height of the page, some of them just above its foot."""
    columns = (Column("Mã"), Column("Nhiệm vụ", flex=True, weight=4),
               Column("Số ngày trễ hạn", "right"), Column("Điểm có nguy cơ mất", "right"))
    sections = []
    for n in range(1, 19):
        rows = tuple(Row((f"T{n:02d}{i}", f"Nhiệm vụ {i} của đơn vị {n}", str(i), "0,50"))
                     for i in range(1, 5))
        filler = tuple(Paragraph(f"Dòng {k} của phần {n}.") for k in range(n % 7))
        sections.append(Section(f"Phần {n}", (*filler, Table(
            columns, rows, caption=f"Đơn vị {n}", caption_note=f"trưởng đơn vị: Người {n}"))))
    header = Header("UBND THÀNH PHỐ HẢI PHÒNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG",
                    "Hải Phòng, ngày 09 tháng 5 năm 2022", "Kiểm tra dàn trang", "", kind="BÁO CÁO",
                    number="Số: 12/BC-SGDĐT", place="Hải Phòng")
    closing = Closing(("Lưu: VT.",), Signature("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Bình"))
    return Document(header, tuple(sections), "vi", closing)


@pytest.mark.parametrize("printer", ["pdf", "html", "docx"])
def test_no_caption_or_header_ends_a_page(printer: str) -> None:
    doc = _crowded()
    if printer == "pdf":
        data = document_pdf(doc, AS_OF)
    elif printer == "html":
        data = html_to_pdf(document_html(doc))
    else:
        data = docx_to_pdf(document_docx(doc, AS_OF))
    pages = read_pages(data)
    assert len(pages) >= 4
    check_pages(pages, doc)
    # A table's caption is followed on its page by its header and at least two rows.
    for page in pages:
        texts = [line.text for line in page.body()]
        for n in range(1, 19):
            if f"Đơn vị {n}" in texts:
                at = texts.index(f"Đơn vị {n}")
                assert sum(1 for t in texts[at:] if t.startswith(f"T{n:02d}")) >= 2, (page.number, n)
