"""The sample appendix table that chapter 04 of the user guide imports.

    python scripts/sample_workbook.py        # writes docs/samples/ke-hoach-2023.xlsx

A 2023 plan's appendix as a department writes it: the agency, number and date above the
table, a title, the header, sections in Roman numerals, one supporting office the sample
database does not know yet (Phòng Công nghệ thông tin), and the signature block below.
`tests/test_guide.py` checks that the committed file is what this script writes, and runs the
chapter's commands on it.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "samples" / "ke-hoach-2023.xlsx"

HEADER = ("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành",
          "Sản phẩm")

#: (STT, task, lead, supporting, deadline, product); two cells make a section row.
ROWS: tuple[tuple[str, ...], ...] = (
    ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"),
    ("1", "Ban hành Kế hoạch cải cách hành chính năm 2023", "Văn phòng", "Các phòng, đơn vị",
     "31/01/2023", "Kế hoạch"),
    ("2", "Báo cáo CCHC định kỳ", "Văn phòng", "Các phòng", "Định kỳ", "Báo cáo"),
    ("3", "Tuyên truyền CCHC", "Văn phòng", "Phòng Công nghệ thông tin", "Thường xuyên", "Tin, bài"),
    ("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),
    ("4", "Rà soát, đơn giản hóa TTHC", "Văn phòng", "Phòng GDTrH, Phòng GDTX", "Quý II/2023",
     "Báo cáo"),
    ("5", "Ký thỏa thuận với Bưu điện thành phố", "Văn phòng", "KTKĐ", "Tháng 6/2023", "Thỏa thuận"),
    ("6", "Kiểm tra thu, chi đầu năm học", "Thanh tra Sở", "Phòng Kế hoạch - Tài chính",
     "Trước 30/11/2023", "Kết luận kiểm tra"),
    ("7", "Đánh giá kết quả 6 tháng", "Văn phòng", "", "6 tháng đầu năm", "Báo cáo"),
    ("8", "Đào tạo, bồi dưỡng CBCCVC", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch - Tài chính",
     "Trong năm 2023", "Kế hoạch"),
)


def build(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Phụ lục"
    wb.properties.creator = "planner"
    wb.properties.created = wb.properties.modified = datetime(2023, 1, 10, 8, 0)
    bold = Font(bold=True)
    ws["A1"] = "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    ws.merge_cells("A1:C1")
    ws["D1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws.merge_cells("D1:F1")
    ws["A2"] = "Số: 12/KH-SGDĐT"
    ws.merge_cells("A2:C2")
    ws["D2"] = "Hải Phòng, ngày 10 tháng 01 năm 2023"
    ws.merge_cells("D2:F2")
    ws["A3"] = "PHỤ LỤC: NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2023"
    ws.merge_cells("A3:F3")
    ws["A4"] = "(Kèm theo Kế hoạch số 12/KH-SGDĐT ngày 10/01/2023 của Giám đốc Sở)"
    ws.merge_cells("A4:F4")
    for cell in (ws["A1"], ws["D1"], ws["A3"]):
        cell.font = bold
    row = 5
    for column, text in enumerate(HEADER, start=1):
        cell = ws.cell(row, column, text)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for values in ROWS:
        row += 1
        for column, value in enumerate(values, start=1):
            if value:
                ws.cell(row, column, value)
        if len(values) == 2:
            ws.cell(row, 1).font = ws.cell(row, 2).font = bold
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=6)
    row += 2
    ws.cell(row, 1, "Nơi nhận:")
    ws.cell(row, 4, "GIÁM ĐỐC")
    ws.cell(row + 1, 1, "- Sở Nội vụ;")
    ws.cell(row + 1, 4, "Nguyễn Văn Bình")
    for column, width in zip("ABCDEF", (6, 46, 20, 30, 20, 18), strict=True):
        ws.column_dimensions[column].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def main() -> int:
    print(build(TARGET).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
