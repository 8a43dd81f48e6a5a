"""`planner export dossier`: the appraisal dossier as the appraisal team opens it: the zip's
listing, the index (what is missing first), the links of the index and of the workbook to the
files, the files named by document number and date."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from planner.io.dossier import evidence_file_name, safe_name
from tests.reports.pdfread import read_pages


def _accept_all_submitted(cli: Any) -> None:
    import json

    listed = json.loads(cli("evidence", "list", "--state", "submitted", "--format", "json").stdout)
    for e in listed:
        result = cli("evidence", "accept", str(e["id"]), "--on", "20/05/2022", user="deputy")
        assert result.exit_code == 0, result.output


@pytest.fixture
def filed(seeded: Any, tmp_path: Path) -> Any:
    """The sample with three files attached and accepted: the decision of T03 (criterion 1.1.3),
    and two documents of T13 (1.5)."""
    assert seeded("users", "add", "deputy", "--role", "coordinator").exit_code == 0
    decision = tmp_path / "quyet-dinh.pdf"
    decision.write_bytes(b"%PDF-1.4 decision")
    proposal = tmp_path / "de xuat.docx"
    proposal.write_bytes(b"PK proposal")
    scan = tmp_path / "bien-ban.PDF"
    scan.write_bytes(b"%PDF-1.4 minutes")
    for args in (
        ("T03", "--doc", "123/QĐ-SGDĐT", "--date", "12/05/2022", "--issuer", "Sở GD&ĐT",
         "--title", "Quyết định phân công", "--file", str(decision), "--on", "12/05/2022"),
        ("T13", "--doc", "130/TTr-SGDĐT", "--date", "13/05/2022", "--title", "Tờ trình sáng kiến",
         "--file", str(proposal), "--on", "13/05/2022"),
        ("T13", "--title", "Biên bản họp Hội đồng sáng kiến", "--file", str(scan), "--on",
         "14/05/2022"),
    ):
        result = seeded("evidence", "add", *args)
        assert result.exit_code == 0, result.output
    _accept_all_submitted(seeded)
    return seeded


def test_names_any_system_accepts() -> None:
    assert safe_name('a/b\\c:d*e?"<>|\x07') == "a-b-c-d-e-"[:-1]
    assert safe_name("..hidden") == "hidden"
    from datetime import date

    assert evidence_file_name("45/KH-SGDĐT", date(2022, 1, 20), "", "kh.PDF") == "45-KH-SGDĐT_20-01-2022.pdf"
    assert evidence_file_name("", date(2022, 5, 14), "Biên bản", "x.exe\x00.pdf") == "Biên bản_14-5-2022.pdf"


def test_zip_listing_index_and_links(filed: Any, tmp_path: Path) -> None:
    target = tmp_path / "ho-so.zip"
    result = filed("export", "dossier", "-o", str(target), "--as-of", "31/05/2022")
    assert result.exit_code == 0, result.output
    assert "to " + str(target) in result.stderr
    archive = zipfile.ZipFile(target)
    names = archive.namelist()
    assert names[:2] == ["1.1.1/", "1.1.2/"]  # one folder per criterion the unit scores
    assert {"00-muc-luc.html", "00-muc-luc.pdf", "tu-cham-diem-2022.xlsx"} <= set(names)
    assert "8.1/" not in names  # survey criteria are not self-scored
    files = sorted(n for n in names if "/" in n and not n.endswith("/"))
    assert files == ["1.1.3/123-QĐ-SGDĐT_12-5-2022.pdf", "1.5/130-TTr-SGDĐT_13-5-2022.docx",
                     "1.5/Biên bản họp Hội đồng sáng kiến_14-5-2022.pdf"]
    assert archive.read("1.1.3/123-QĐ-SGDĐT_12-5-2022.pdf") == b"%PDF-1.4 decision"
    # Every link of the index names a file or folder of the dossier.
    html = archive.read("00-muc-luc.html").decode("utf-8")
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert "1.1.3/123-QĐ-SGDĐT_12-5-2022.pdf" in hrefs
    for href in hrefs:
        if not href.startswith("http"):
            assert href in names, href
    # The workbook links each evidence cell: to the file, or to the folder of several.
    book = load_workbook(io.BytesIO(archive.read("tu-cham-diem-2022.xlsx")))
    sheet = book.active
    assert sheet is not None
    links = {row[0].value: row[4].hyperlink.target for row in sheet.iter_rows(min_row=9)
             if row[4].hyperlink is not None}
    assert links["1.1.3"] == "1.1.3/123-QĐ-SGDĐT_12-5-2022.pdf"
    assert links["1.5"] == "1.5/"
    assert all(target in names for target in links.values())


def test_index_lists_what_is_missing_first(filed: Any, tmp_path: Path) -> None:
    target = tmp_path / "ho-so.zip"
    assert filed("--lang", "en", "export", "dossier", "-o", str(target), "--as-of", "31/05/2022").exit_code == 0
    pages = read_pages(zipfile.ZipFile(target).read("00-muc-luc.pdf"))
    first = " ".join(pages[0].text.split())
    # Vietnamese whatever the language of messages, like the self-assessment.
    assert "DANH MỤC" in first and "I. TIÊU CHÍ CÒN THIẾU TÀI LIỆU KIỂM CHỨNG" in first
    assert "36 tiêu chí chưa có tài liệu kiểm chứng" not in first  # evidence was accepted since
    assert "32 tiêu chí chưa có tài liệu kiểm chứng được chấp nhận" in first
    whole = " ".join(" ".join(p.text.split()) for p in pages)
    assert whole.index("I. TIÊU CHÍ CÒN THIẾU") < whole.index("4.3 ") < whole.index("II. DANH MỤC")
    # What the plan knows about a missing document: the overdue task and its lead office.
    assert "T28 quá hạn (đơn vị chủ trì TCCB)" in whole
    assert "Giải trình của đơn vị" in whole
    assert "II. DANH MỤC THEO TIÊU CHÍ" in whole
    # 1.1.3 now has its document: it is not listed as missing.
    missing_part = whole.split("II. DANH MỤC THEO TIÊU CHÍ")[0]
    assert "1.1.3 " not in missing_part


def test_folder_output_and_refusals(filed: Any, tmp_path: Path) -> None:
    folder = tmp_path / "ho-so"
    assert filed("export", "dossier", "-o", str(folder), "--as-of", "31/05/2022").exit_code == 0
    assert (folder / "1.1.3" / "123-QĐ-SGDĐT_12-5-2022.pdf").read_bytes() == b"%PDF-1.4 decision"
    assert (folder / "00-muc-luc.pdf").read_bytes().startswith(b"%PDF-")
    assert (folder / "4.3").is_dir()
    # A folder that already holds files is not overwritten.
    before = sorted(p.name for p in folder.iterdir())
    result = filed("export", "dossier", "-o", str(folder))
    assert result.exit_code == 2
    assert "give a new or empty folder, or a .zip file" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == before
    result = filed("export", "dossier", "-o", str(tmp_path / "missing" / "x.zip"))
    assert result.exit_code == 2 and "cannot write" in result.stderr
