"""Every format a plan or an index arrives in reads to the same cells (python-calamine for
workbooks, python-docx for Word tables), and a file that is none of them is refused by name."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from io_workbooks import build_plan_workbook
from samples import sample_files

from planner.io.sheet_reader import SheetError, read_sheets

SF = sample_files()
ROWS: list[list[Any]] = [
    ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"],
    ["I", "CÔNG TÁC CHỈ ĐẠO", "", ""],
    [1, "Ban hành kế hoạch\nnăm 2023", "Văn phòng", date(2023, 1, 31)],
    [2.5, "Điểm 0,5", "", "Quý II/2023"],
]
MERGES = [(2, 2, 2, 4)]  # the section title across the row


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods", ".docx"])
def test_every_format_reads_the_same_cells(tmp_path: Path, suffix: str) -> None:
    path = SF.write(tmp_path / f"t{suffix}", [SF.Table("Phụ lục", ROWS, MERGES,
                                                       paragraphs=["KẾ HOẠCH năm 2023"])])
    grids = read_sheets(path)
    assert len(grids) == 1
    grid = grids[0]
    if suffix == ".docx":
        assert (grid.name, grid.kind, grid.preamble) == ("1", "table", ["KẾ HOẠCH năm 2023"])
        rows = grid.rows
    else:
        assert (grid.name, grid.kind) == ("Phụ lục", "sheet")
        assert grid.rows[0] == ["KẾ HOẠCH năm 2023"]
        rows = grid.rows[1:]
    assert rows[0] == ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"]
    assert rows[2] == ["1", "Ban hành kế hoạch\nnăm 2023", "Văn phòng", "31/01/2023"]
    assert rows[3] == ["2.5", "Điểm 0,5", "", "Quý II/2023"]
    if suffix == ".ods":  # calamine gives no merged ranges of .ods: covered cells stay empty
        assert rows[1][:2] == ["I", "CÔNG TÁC CHỈ ĐẠO"]
    else:
        assert rows[1] == ["I", "CÔNG TÁC CHỈ ĐẠO", "CÔNG TÁC CHỈ ĐẠO", "CÔNG TÁC CHỈ ĐẠO"]


def test_the_workbook_reader_reads_what_openpyxl_reads(seeded: Any, tmp_path: Path) -> None:
    """Merged ranges, dates, shared strings, booleans: the cells openpyxl sees."""
    from openpyxl import load_workbook

    from planner.io.sheet_reader import cell_text

    plan = build_plan_workbook(tmp_path / "plan.xlsx")  # merges, dates
    exported = tmp_path / "tasks.xlsx"  # shared strings, dates, booleans
    assert seeded("export", "tasks", "-o", str(exported)).exit_code == 0
    for path in (plan, exported):
        wb = load_workbook(path, data_only=True)
        for ws, grid in zip(wb.worksheets, read_sheets(path), strict=True):
            assert ws.title == grid.name
            merged = {(r, c) for m in ws.merged_cells.ranges
                      for r in range(m.min_row, m.max_row + 1)
                      for c in range(m.min_col, m.max_col + 1)}
            for row in ws.iter_rows():
                for cell in row:
                    if (cell.row, cell.column) not in merged:
                        assert grid.cell(cell.row, cell.column) == cell_text(cell.value)
    rows = read_sheets(plan)[0].rows
    assert rows[20][2] == rows[19][2] == "Phòng Kế hoạch – Tài chính"  # a vertical merge
    assert rows[10][4] == "31/01/2022"  # a date cell


@pytest.mark.parametrize("name,data,message", [
    ("ke-hoach.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     "ke-hoach.doc is an old Word 97-2003 document: save it as .docx"),
    ("bang.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     "bang.xls cannot be opened as an .xls workbook"),
    ("bang.ods", b"not a zip", "bang.ods is not an .ods spreadsheet (not a ZIP archive)"),
    ("qd.docx", b"PK\x03\x04broken", "qd.docx is a damaged ZIP archive"),
    ("qd.pdf", b"%PDF-1.4", "qd.pdf is a PDF, not a spreadsheet"),
])
def test_files_that_are_not_tables_are_refused_by_name(tmp_path: Path, name: str, data: bytes,
                                                        message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SheetError) as caught:
        read_sheets(path)
    assert message in caught.value.message


def test_a_word_document_without_a_table(tmp_path: Path) -> None:
    from docx import Document

    path = tmp_path / "thu.docx"
    document = Document()
    document.add_paragraph("Kính gửi các phòng")
    document.save(str(path))
    with pytest.raises(SheetError, match=r"thu\.docx holds no table"):
        read_sheets(path)


def test_an_appendix_in_a_word_document_imports_with_its_rows_named(offices_only: Any,
                                                                     tmp_path: Path) -> None:
    rows = [["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
             "Thời gian hoàn thành", "Sản phẩm"],
            ["I", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "", "", "", ""],
            [1, "Rà soát TTHC", "Văn phòng", "Phòng Khảo thí và Kiểm định chất lượng và "
             "Phòng Giáo dục Trung học", "Quý II/2023", "Báo cáo"],
            [2, "Ký thỏa thuận với Bưu điện", "Phòng Hợp tác", "", "Tháng 13/2023", ""]]
    path = SF.write(tmp_path / "kh.docx", [SF.Table("x", rows, [(2, 2, 2, 6)],
                                                    paragraphs=["KẾ HOẠCH CCHC năm 2023"])])
    result = offices_only("import", "plan", str(path))
    assert result.exit_code == 2
    assert 'table 1, row 4, column C (Đơn vị chủ trì): unknown office "Phòng Hợp tác"' \
        in result.stderr
    assert "table 1, row 4, column E (Thời gian hoàn thành)" in result.stderr
    rows[3][2], rows[3][4] = "VP", "30/6/2023"
    path = SF.write(tmp_path / "kh2.docx", [SF.Table("x", rows, [(2, 2, 2, 6)],
                                                     paragraphs=["KẾ HOẠCH CCHC năm 2023"])])
    done = offices_only("import", "plan", str(path))
    assert done.exit_code == 0, done.output
    assert "2 tasks" in done.stderr and "2 supporting-office links" in done.stderr
