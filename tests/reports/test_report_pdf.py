"""The A4 printout, read back with pypdf: Vietnamese text exact, Decree 30 header, page numbers."""

from __future__ import annotations

import io

import pytest

from planner.reports.model import build_weekly
from planner.reports.pdf import render_pdf
from planner.services.context import Context
from tests.reports.support import AS_OF


def pdf_text(data: bytes) -> tuple[list[str], object]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    # Lines wrap where the page ends them: compare text with whitespace runs made single spaces.
    return [" ".join(page.extract_text().split()) for page in reader.pages], reader


def test_pdf_is_a4_with_decree_30_header_and_page_numbers(sample: Context) -> None:
    data = render_pdf(build_weekly(sample, AS_OF))
    assert data.startswith(b"%PDF-")
    pages, reader = pdf_text(data)
    first = pages[0]
    for text in ("UBND THÀNH PHỐ HẢI PHÒNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Hải Phòng, ngày 09 tháng 5 năm 2022", "REPORT",
                 "Weekly status of the administrative-reform plan",
                 "Kế hoạch cải cách hành chính năm 2022 (45/KH-SGDĐT)"):
        assert text in first
    # The agency block comes before the motto, the date line after both, then the title.
    assert first.index("SỞ GIÁO DỤC") < first.index("Hải Phòng, ngày") < first.index("REPORT")
    assert len(pages) >= 2
    # Decree 30: page numbers at the top from page 2 (the first page has none).
    assert not first.startswith("1 ")
    for number, text in enumerate(pages[1:], start=2):
        assert text.startswith(f"{number} ")
    box = reader.pages[0].mediabox  # type: ignore[attr-defined]
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)


def test_pdf_holds_the_vietnamese_office_names_exactly(sample: Context) -> None:
    pages, _reader = pdf_text(render_pdf(build_weekly(sample, AS_OF)))
    text = " ".join(pages)
    for name in ("VP Văn phòng", "TCCB Phòng Tổ chức cán bộ", "Trần Thị Hồng Nhung, Chánh Văn phòng",
                 "Nguyễn Văn Hải, Trưởng phòng",
                 "Kế hoạch quản lý, sử dụng biên chế và tinh giản biên chế năm 2022",
                 "Thiếu danh mục văn bản hết hiệu lực"):
        assert name in text


@pytest.mark.parametrize(("code", "name"), [
    ("KHTC", "Phòng Kế hoạch – Tài chính"),
    ("GDTX", "Phòng Giáo dục thường xuyên – Chuyên nghiệp"),
    ("KTKĐ", "Phòng Khảo thí và Kiểm định chất lượng"),
    ("TTr", "Thanh tra Sở"),
])
def test_office_pdf_names_its_office(sample: Context, code: str, name: str) -> None:
    pages, _reader = pdf_text(render_pdf(build_weekly(sample, AS_OF, code)))
    assert f"{code} {name}" in pages[0]


def test_pdf_is_reproducible(sample: Context) -> None:
    report = build_weekly(sample, AS_OF)
    assert render_pdf(report) == render_pdf(report)
