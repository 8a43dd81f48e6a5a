"""Plan workbooks as departments write them (used by the io tests)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HEADER = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
          "Thời gian hoàn thành", "Sản phẩm", "Tiêu chí", "Ghi chú"]

# (STT, task, lead, supporting, deadline, product, criteria, note); a str row is a section.
PLAN_ROWS: list[Any] = [
    ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"),
    (1, "Ban hành Kế hoạch cải cách hành chính năm 2022 của Sở", "Văn phòng Sở",
     "Các phòng chuyên môn", datetime(2022, 1, 31), "Kế hoạch (KH)", "1.1.1", ""),
    (2, "Báo cáo CCHC định kỳ (quý I, 6 tháng, quý III, năm)", "VP", "Các phòng, đơn vị",
     "Hằng quý", "Báo cáo (BC)", "1.2.1", "Gửi Sở Nội vụ trước ngày 20 của tháng cuối kỳ"),
    (3, "Kiểm tra công tác cải cách hành chính tại các phòng", "Thanh tra Sở",
     "Phòng TCCB; Văn phòng\nKH-TC", "Quý II/2022", "Kết luận kiểm tra", "1.3", ""),
    ("II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH",),  # merged across the whole row
    (4, "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực giáo dục", "Văn phòng",
     "Phòng GDTrH và Phòng KT&KĐCL", "Tháng 6/2022", "Báo cáo (BC)", "", ""),
    (5, "Nâng cao tỷ lệ hồ sơ qua dịch vụ bưu chính công ích", "", "", "", "", "", ""),
    ("5.1", "Ký thỏa thuận với Bưu điện thành phố", "VP", "KTKĐ, GDTrH", "tháng 6",
     "Thỏa thuận hợp tác", "3.3.3", ""),
    ("a)", "Niêm yết hướng dẫn gửi hồ sơ qua bưu chính tại Bộ phận một cửa", "VP", "", "Quý 2",
     "Thông báo (TB)", "", ""),
    ("b)", "Tuyên truyền trên Cổng thông tin điện tử của Sở", "Văn phòng", "GDTX",
     "6 tháng đầu năm", "Tin, bài", "", ""),
    (6, "Triển khai thanh toán trực tuyến phí, lệ phí", "Phòng Kế hoạch – Tài chính", "VP",
     "Trước 15/12/2022", "Công văn", "7.4", ""),
    (7, "Công khai tài chính tại các trường", "", "TTr", "Trước ngày 15/12", "Báo cáo (BC)", "",
     ""),  # lead merged from the row above (C:C vertical merge)
    ("III", "CẢI CÁCH TỔ CHỨC BỘ MÁY VÀ CÔNG VỤ"),
    (8, "Rà soát vị trí việc làm", "Phòng Tổ chức cán bộ", "", "Trong năm 2022",
     "Quyết định (QĐ)", "", ""),
    (9, "Kế hoạch bồi dưỡng công chức, viên chức", "TCCB", "KHTC", "Năm 2022", "Kế hoạch (KH)",
     "5.4", ""),
    (10, "Theo dõi hồ sơ sắp đến hạn; văn bản xin lỗi", "VP",
     "Giáo dục Tiểu học, Giáo dục Trung học", "Thường xuyên", "Văn bản xin lỗi", "3.3.1; 3.3.2",
     ""),
    (11, "Báo cáo tình hình giải quyết hồ sơ", "VP", "", "Hằng tháng", "Báo cáo (BC)", "", ""),
    (12, "Đánh giá chất lượng giáo dục mầm non", "GDMN", "GDTH", "30/6/2022", "Báo cáo (BC)",
     "", ""),
]


def build_plan_workbook(path: Path, rows: list[Any] | None = None, *, title_rows: bool = True,
                        header: list[str] | None = None, sheet_name: str = "Phụ lục") -> Path:
    """A plan appendix as offices write it: agency and title rows, a numbered header,
    merged section rows with Roman numerals, a lead office merged over two rows."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_name
    r = 1
    if title_rows:
        ws["A1"] = "UBND THÀNH PHỐ HẢI PHÒNG"
        ws.merge_cells("A1:C1")
        ws["E1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        ws.merge_cells("E1:H1")
        ws["A2"] = "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
        ws.merge_cells("A2:C2")
        ws["E2"] = "Độc lập - Tự do - Hạnh phúc"
        ws.merge_cells("E2:H2")
        ws["A3"] = "Số: 45/KH-SGDĐT"
        ws["E3"] = "Hải Phòng, ngày 20 tháng 01 năm 2022"
        ws.merge_cells("E3:H3")
        ws["A5"] = "KẾ HOẠCH"
        ws.merge_cells("A5:H5")
        ws["A6"] = "Cải cách hành chính năm 2022 của Sở Giáo dục và Đào tạo"
        ws.merge_cells("A6:H6")
        r = 8
    for c, text in enumerate(header or HEADER, start=1):
        cell = ws.cell(r, c, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    r += 1
    if title_rows:
        for c in range(1, len(header or HEADER) + 1):
            ws.cell(r, c, f"({c})")
        r += 1
    lead_merge_from = None
    for row in rows if rows is not None else PLAN_ROWS:
        if len(row) == 1:
            ws.cell(r, 1, row[0])
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
        elif len(row) == 2:
            ws.cell(r, 1, row[0])
            ws.cell(r, 2, row[1])
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=8)
        else:
            for c, value in enumerate(row, start=1):
                if value != "":
                    ws.cell(r, c, value)
            if row[0] == 6:
                lead_merge_from = r
            if row[0] == 7 and lead_merge_from is not None:
                ws.merge_cells(start_row=lead_merge_from, start_column=3, end_row=r, end_column=3)
        r += 1
    wb.save(path)
    return path
