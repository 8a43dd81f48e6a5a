"""The sample files of the guide's chapter 04, and writers for tables in every format planner reads.

    .venv/bin/python scripts/sample_files.py [--out docs/samples]

writes, from the sample plan (seed/plan-2022.toml) carried to 2023:

- criteria-2023.xlsx: the province's index as its decision publishes it (fields in Roman
  numerals, codes, points with a decimal comma, scoring guidance in prose, a criterion whose
  sub-criteria are lettered a), b));
- appendix-2023.docx: the department's plan, its appendix table inside the Word document,
  with no criteria column and supporting offices written as offices write them;
- appendix-2023.xls and appendix-2023.ods: the same table as an old Excel file and as a
  LibreOffice spreadsheet.

The same content every time (no dates of today). `tests/test_guide_import.py` runs the
chapter's commands on the files in docs/samples; the tests also use the writers below to build
files in each format.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed" / "plan-2022.toml"

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based)


@dataclass
class Table:
    """Rows of cell values (str, int, float, date or None) with merged ranges; for a Word
    document, `paragraphs` are written above the table and `after` below it."""

    name: str
    rows: list[list[Any]]
    merges: list[Merge] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------- writers


def write(path: Path, tables: list[Table]) -> Path:
    """Write the tables in the format the suffix names (.xlsx, .xls, .ods, .docx, .csv)."""
    suffix = path.suffix.lower()
    writers = {".xlsx": _xlsx, ".xls": _xls, ".ods": _ods, ".docx": _docx, ".csv": _csv}
    path.parent.mkdir(parents=True, exist_ok=True)
    writers[suffix](path, tables)
    return path


def _sheet_rows(table: Table) -> list[list[Any]]:
    """A workbook has no paragraphs: they become rows above the table."""
    return [[p] for p in table.paragraphs] + table.rows


def _shifted(table: Table) -> list[Merge]:
    n = len(table.paragraphs)
    return [(r1 + n, c1, r2 + n, c2) for r1, c1, r2, c2 in table.merges]


def _xlsx(path: Path, tables: list[Table]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for table in tables:
        ws = wb.create_sheet(table.name)
        for r, row in enumerate(_sheet_rows(table), start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    cell = ws.cell(r, c, value)
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    if isinstance(value, date):
                        cell.number_format = "dd/mm/yyyy"
        for r1, c1, r2, c2 in _shifted(table):
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        header = len(table.paragraphs) + 1
        for cell in ws[header]:
            cell.font = Font(bold=True)
    # Fixed timestamps: the same content gives the same file.
    wb.properties.created = wb.properties.modified = datetime(2023, 1, 10, 8, 0, 0)
    wb.save(path)


def _xls(path: Path, tables: list[Table]) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    wrap = xlwt.easyxf("align: wrap on, vert top")
    as_date = xlwt.easyxf("align: vert top", num_format_str="dd/mm/yyyy")
    for table in tables:
        ws = wb.add_sheet(table.name)
        merged: dict[tuple[int, int], Merge] = {(m[0], m[1]): m for m in _shifted(table)}
        covered = {(r, c) for r1, c1, r2, c2 in merged.values()
                   for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for r, row in enumerate(_sheet_rows(table), start=1):
            for c, value in enumerate(row, start=1):
                style = as_date if isinstance(value, date) else wrap
                if (r, c) in merged:
                    r1, c1, r2, c2 = merged[(r, c)]
                    ws.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, value, style)
                elif (r, c) not in covered and value not in (None, ""):
                    ws.write(r - 1, c - 1, value, style)
    wb.save(str(path))


def _ods(path: Path, tables: list[Table]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, TableCell, TableRow
    from odf.table import Table as OdsTable
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for table in tables:
        sheet = OdsTable(name=table.name)
        merged = {(m[0], m[1]): m for m in _shifted(table)}
        covered = {(r, c) for r1, c1, r2, c2 in merged.values()
                   for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - set(merged)
        rows = _sheet_rows(table)
        width = max((len(r) for r in rows), default=0)
        width = max([width, *(m[3] for m in merged.values())])
        for r, row in enumerate(rows, start=1):
            tr = TableRow()
            for c in range(1, width + 1):
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                value = row[c - 1] if c <= len(row) else None
                attrs: dict[str, Any] = {}
                if (r, c) in merged:
                    r1, c1, r2, c2 = merged[(r, c)]
                    attrs = {"numbercolumnsspanned": c2 - c1 + 1, "numberrowsspanned": r2 - r1 + 1}
                if value is None or value == "":
                    cell = TableCell(**attrs)
                elif isinstance(value, bool) or not isinstance(value, int | float | date):
                    cell = TableCell(valuetype="string", **attrs)
                    for line in str(value).split("\n"):
                        cell.addElement(P(text=line))
                elif isinstance(value, date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat(), **attrs)
                    cell.addElement(P(text=value.strftime("%d/%m/%Y")))
                else:
                    cell = TableCell(valuetype="float", value=value, **attrs)
                    cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            sheet.addElement(tr)
        doc.spreadsheet.addElement(sheet)
    doc.save(str(path))


def _docx(path: Path, tables: list[Table]) -> None:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.core_properties.created = document.core_properties.modified = \
        datetime(2023, 1, 10, 8, 0, 0)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"  # type: ignore[attr-defined]
    style.font.size = Pt(13)  # type: ignore[attr-defined]
    for table in tables:
        for text in table.paragraphs:
            document.add_paragraph(text)
        width = max(len(r) for r in table.rows)
        grid = document.add_table(rows=len(table.rows), cols=width)
        grid.style = "Table Grid"
        for r, row in enumerate(table.rows):
            for c, value in enumerate(row):
                if value not in (None, ""):
                    text = value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)
                    grid.cell(r, c).text = text
        for r1, c1, r2, c2 in table.merges:
            keep = grid.cell(r1 - 1, c1 - 1).text
            merged = grid.cell(r1 - 1, c1 - 1).merge(grid.cell(r2 - 1, c2 - 1))
            merged.text = keep
        for text in table.after:
            document.add_paragraph(text)
    document.save(str(path))


def _csv(path: Path, tables: list[Table]) -> None:
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for row in _sheet_rows(tables[0]):
            writer.writerow(["" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, date)
                             else v for v in row])


# ---------------------------------------------------------------------------------- content


def _decimal(value: float) -> str:
    """Points as the decision writes them: 0,5; 1,5; 3."""
    return f"{value:g}".replace(".", ",")


#: The scoring guidance of the 2023 index, as the province writes it (assumed, like the points).
GUIDANCE = {
    "1.1.1": "Ban hành đúng thời hạn: 0,5 điểm; ban hành chậm: 0,25 điểm; không ban hành: 0 điểm",
    "1.1.2": "Hoàn thành 100% nhiệm vụ: 1,5 điểm; từ 80% đến dưới 100%: 1 điểm; "
             "từ 70% đến dưới 80%: 0,5 điểm; dưới 70%: 0 điểm",
    "1.1.3": "Có: 0,5 điểm; Không: 0 điểm",
    "1.2.1": "Đủ, đúng hạn cả 4 báo cáo: 0,5 điểm; thiếu hoặc chậm báo cáo: 0 điểm",
    "1.2.2": "Đầy đủ nội dung, số liệu: 0,5 điểm; không đầy đủ: 0 điểm",
    "1.3": "Ban hành kế hoạch kiểm tra và kiểm tra ít nhất 30% đơn vị: 0,5 điểm; "
           "xử lý đầy đủ các vấn đề phát hiện qua kiểm tra: 0,5 điểm",
    "1.4": "Thực hiện đầy đủ kế hoạch tuyên truyền CCHC của năm",
    "1.5": "Có sáng kiến được công nhận: 1 điểm; có đề xuất nhưng chưa được công nhận: "
           "0,5 điểm; không có: 0 điểm",
    "1.6": "Hoàn thành 100% nhiệm vụ đúng hạn: 0,5 điểm; dưới 100%: 0 điểm",
    "2.1": "Đạt 100%: 1,5 điểm; từ 80% đến dưới 100%: 1 điểm; dưới 80%: 0 điểm",
    "2.2": "Hoàn thành đúng thời hạn: 1 điểm; hoàn thành chậm: 0,5 điểm",
    "2.3": "Thực hiện đầy đủ theo kế hoạch theo dõi thi hành pháp luật",
    "2.4": "Thực hiện đầy đủ theo kế hoạch kiểm tra, xử lý văn bản",
    "2.5": "Thực hiện đầy đủ kế hoạch phổ biến, giáo dục pháp luật",
    "3.1": "Thực hiện rà soát, đơn giản hóa TTHC theo kế hoạch của UBND thành phố",
    "3.2.1": "100% TTHC được tham mưu công bố đúng hạn: 1 điểm; dưới 100%: 0 điểm",
    "3.2.2": "Công khai đầy đủ: 1 điểm; không đầy đủ: 0 điểm",
    "3.3.1": "100% hồ sơ giải quyết đúng hạn: 3 điểm; từ 98% đến dưới 100%: 2 điểm; "
             "từ 95% đến dưới 98%: 1 điểm; dưới 95%: 0 điểm",
    "3.3.2": "Xin lỗi 100% hồ sơ quá hạn: 0,5 điểm; dưới 100%: 0 điểm",
    "3.3.3": "Từ 30% trở lên: 1,5 điểm; từ 20% đến dưới 30%: 1 điểm; từ 10% đến dưới 20%: "
             "0,5 điểm; dưới 10%: 0 điểm",
    "3.3.4": "Từ 80% trở lên: 1 điểm; từ 50% đến dưới 80%: 0,5 điểm; dưới 50%: 0 điểm",
    "3.3.5": "100%: 1 điểm; dưới 100%: 0 điểm",
    "3.4": "Có: 1 điểm; Không: 0 điểm",
    "3.5": "Không phát hiện trường hợp nhũng nhiễu, thu ngoài quy định: 1 điểm; "
           "có trường hợp bị phát hiện: 0 điểm",
    "4.1": "Thực hiện đầy đủ, đúng quy định",
    "4.2": "Đúng quy định: 1 điểm; không đúng quy định: 0 điểm",
    "4.3": "Thực hiện đúng kế hoạch tinh giản biên chế",
    "4.4": "Thực hiện phân cấp, ủy quyền theo quy định",
    "5.1": "Thực hiện đầy đủ, đúng quy định",
    "5.2": "Thực hiện đúng quy định",
    "5.3": "Thực hiện đúng quy định",
    "5.4": "Hoàn thành 100%: 1,5 điểm; từ 80% đến dưới 100%: 1 điểm; dưới 80%: 0 điểm",
    "5.5": "Không có CBCCVC bị kỷ luật: 1,5 điểm; có CBCCVC bị kỷ luật khiển trách: 0,5 điểm; "
           "bị kỷ luật cảnh cáo trở lên: 0 điểm",
    "5.6": "Thực hiện đầy đủ quy tắc ứng xử, văn hóa công vụ",
    "6.1": "Ban hành, thực hiện đúng quy định",
    "6.2": "Giải ngân 100% kế hoạch vốn: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; "
           "dưới 80%: 0 điểm",
    "6.3": "Thực hiện đúng quy định",
    "6.4": "Thực hiện đầy đủ, đúng quy định",
    "7.1": "Từ 90% trở lên: 1,5 điểm; từ 70% đến dưới 90%: 1 điểm; dưới 70%: 0 điểm",
    "7.2": "Đạt 100%: 2 điểm; từ 80% đến dưới 100%: 1 điểm; dưới 80%: 0 điểm",
    "7.3": "Từ 50% trở lên: 3 điểm; từ 30% đến dưới 50%: 2 điểm; từ 20% đến dưới 30%: 1 điểm; "
           "dưới 20%: 0 điểm",
    "7.4": "Từ 30% trở lên: 1 điểm; từ 10% đến dưới 30%: 0,5 điểm; dưới 10%: 0 điểm",
    "7.5": "Cập nhật đầy đủ, đúng hạn",
    "7.6": "Có: 1 điểm; Không: 0 điểm",
    "7.7": "Cập nhật đầy đủ theo quy định: 1 điểm; không đầy đủ: 0 điểm",
    "7.8": "Thực hiện đầy đủ các biện pháp bảo đảm an toàn thông tin",
    "7.9": "Có: 1 điểm; Không: 0 điểm",
    "8.1": "Điểm do cơ quan điều tra xã hội học chấm theo kết quả khảo sát SIPAS",
    "8.2": "Điểm do cơ quan điều tra xã hội học chấm theo kết quả khảo sát",
}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
#: Criteria given as lettered rows under their parent in the decision's table.
LETTERED = {"1.2"}
INDEX_HEADER = ["STT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa",
                "Hướng dẫn chấm điểm"]


def criteria_table(seed: Any) -> Table:
    """The index of 2023: the sample's criteria tree, with the guidance above."""
    paragraphs = [
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
        "Phụ lục",
        "BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ, BAN, NGÀNH THÀNH PHỐ NĂM 2023",
        "(Kèm theo Quyết định số 123/QĐ-UBND ngày 06 tháng 01 năm 2023 của UBND thành phố)",
    ]
    rows: list[list[Any]] = [list(INDEX_HEADER), ["(1)", "(2)", "(3)", "(4)"]]
    merges: list[Merge] = []
    for c in sorted(seed.criteria, key=lambda c: c.position):
        depth = c.code.count(".")
        if depth == 0:
            label: Any = ROMAN[int(c.code) - 1]
            title = c.title.upper()
        elif c.parent in LETTERED:
            label = "abcdefgh"[int(c.code.rsplit(".", 1)[1]) - 1] + ")"
            title = c.title
        else:
            label = c.code
            title = c.title
        points: Any = _decimal(c.max_points) if (depth or c.max_points % 1) else int(c.max_points)
        rows.append([label, title, points, GUIDANCE.get(c.code, "")])
    rows.append(["", "Tổng cộng", 100, ""])
    header_rows = len(paragraphs)
    del header_rows
    return Table("Bộ chỉ số 2023", rows, merges, paragraphs=paragraphs)


SECTION_TITLES = {
    "1": "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
    "2": "CẢI CÁCH THỂ CHẾ",
    "3": "CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
    "4": "CẢI CÁCH TỔ CHỨC BỘ MÁY",
    "5": "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ",
    "6": "CẢI CÁCH TÀI CHÍNH CÔNG",
    "7": "XÂY DỰNG CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ",
}
APPENDIX_HEADER = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
                   "Thời gian hoàn thành", "Sản phẩm"]


def _support_cell(codes: tuple[str, ...], names: dict[str, str], lead: str, n: int) -> str:
    """Supporting offices written the ways offices write them."""
    others = [c for c in names if c != lead]
    if codes and set(codes) >= set(others):
        return ("Các phòng chuyên môn", "Các phòng, đơn vị thuộc Sở",
                "Các phòng chuyên môn thuộc Sở")[n % 3]
    written = [names[c] if (n + i) % 2 == 0 else c for i, c in enumerate(codes)]
    if len(written) == 2:
        return f"{written[0]} và {written[1]}"
    if len(written) >= 3:
        bare = [names[c].removeprefix("Phòng ") for c in codes]
        return "Các phòng " + ", ".join(bare[:-1]) + "\n" + bare[-1] if n % 2 else \
            "; ".join(written)
    return written[0] if written else ""


def appendix_table(seed: Any) -> Table:
    """The department's 2023 plan: the sample's tasks grouped by field, without criteria."""
    names = {o.code: o.name for o in seed.offices}
    leads = {o.code: (o.aliases[0] if o.aliases else o.name) for o in seed.offices}
    paragraphs = [
        "UBND THÀNH PHỐ HẢI PHÒNG",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "Số: 12/KH-SGDĐT",
        "Hải Phòng, ngày 10 tháng 01 năm 2023",
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2023 của Sở Giáo dục và Đào tạo",
        "PHỤ LỤC: NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2023",
    ]
    by_field: dict[str, list[Any]] = {}
    for task in seed.tasks:
        first = task.criteria[0][0] if task.criteria else "1"
        by_field.setdefault(first.split(".")[0], []).append(task)
    rows: list[list[Any]] = [list(APPENDIX_HEADER)]
    merges: list[Merge] = []
    number = 0
    for field_code in sorted(by_field, key=int):
        rows.append([ROMAN[int(field_code) - 1], SECTION_TITLES[field_code], "", "", "", ""])
        merges.append((len(rows), 2, len(rows), 6))
        for task in by_field[field_code]:
            number += 1
            deadline = re.sub(r"2022", "2023", task.deadline_text)
            lead = leads[task.lead] if number % 3 else names[task.lead]
            rows.append([number, task.title.replace("2022", "2023").replace("2021", "2022"),
                         lead, _support_cell(task.support, names, task.lead, number),
                         deadline, task.product])
    return Table("Phụ lục", rows, merges, paragraphs=paragraphs,
                 after=["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT, VP.", "GIÁM ĐỐC"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "samples")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from planner.io.seedfile import load_seed_file

    seed = load_seed_file(SEED)
    written = [
        write(args.out / "criteria-2023.xlsx", [criteria_table(seed)]),
        write(args.out / "appendix-2023.docx", [appendix_table(seed)]),
        write(args.out / "appendix-2023.xls", [appendix_table(seed)]),
        write(args.out / "appendix-2023.ods", [appendix_table(seed)]),
    ]
    for path in written:
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
