"""Supporting-office cells as offices write them (planner.io.office_cells), and the import's
messages for what they do not name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from io_workbooks import PLAN_ROWS, build_plan_workbook

from planner.io.office_cells import ALL, Fragment, OfficeInfo, OfficeNames

OFFICES = [
    OfficeInfo("VP", "Văn phòng", ("Văn phòng Sở",)),
    OfficeInfo("TCCB", "Phòng Tổ chức cán bộ", ("Tổ chức cán bộ",)),
    OfficeInfo("KHTC", "Phòng Kế hoạch – Tài chính", ("KH-TC",)),
    OfficeInfo("GDMN", "Phòng Giáo dục Mầm non", ()),
    OfficeInfo("GDTH", "Phòng Giáo dục Tiểu học", ()),
    OfficeInfo("GDTrH", "Phòng Giáo dục Trung học", ()),
    OfficeInfo("KTKĐ", "Phòng Khảo thí và Kiểm định chất lượng", ("Phòng KT&KĐCL",)),
    OfficeInfo("KT", "Phòng Khảo thí", ()),
    OfficeInfo("CTHSSV", "Phòng Công tác học sinh, sinh viên", ()),
    OfficeInfo("TTr", "Thanh tra Sở", ("Thanh tra",)),
]
NAMES = OfficeNames(OFFICES)


@pytest.mark.parametrize("cell,codes", [
    ("Phòng TCCB, Văn phòng;\nKH-TC", ["TCCB", "VP", "KHTC"]),
    ("Văn phòng và Thanh tra Sở", ["VP", "TTr"]),
    # An office whose name holds "và": the longest known name wins.
    ("Phòng Khảo thí và Kiểm định chất lượng", ["KTKĐ"]),
    ("Phòng Khảo thí và Kiểm định chất lượng và Văn phòng", ["KTKĐ", "VP"]),
    ("Phòng Khảo thí và Văn phòng", ["KT", "VP"]),
    ("Phòng KT&KĐCL, GDTrH", ["KTKĐ", "GDTrH"]),
    # A name holding a comma, written with a comma or a semicolon.
    ("VP, Phòng Công tác học sinh, sinh viên", ["VP", "CTHSSV"]),
    ("Phòng Công tác học sinh; sinh viên", ["CTHSSV"]),
    # "Các phòng X, Y" means X and Y; a name's beginning carried to the next.
    ("Các phòng GDMN, GDTH", ["GDMN", "GDTH"]),
    ("Các phòng: Tổ chức cán bộ, Kế hoạch – Tài chính", ["TCCB", "KHTC"]),
    ("Phòng Giáo dục Mầm non, Tiểu học và Trung học", ["GDMN", "GDTH", "GDTrH"]),
    # Every division.
    ("Các phòng chuyên môn", [ALL]),
    ("Các phòng, đơn vị liên quan", [ALL]),
    ("Các phòng chuyên môn thuộc Sở, Thanh tra Sở", [ALL, "TTr"]),
    ("- VP\n- TCCB", ["VP", "TCCB"]),
    ("Văn phòng (chủ trì)", ["VP"]),
    ("Văn phòng Sở", ["VP"]),
])
def test_cells_as_offices_write_them(cell: str, codes: list[str]) -> None:
    read = NAMES.read(cell)
    assert read.unknown == []
    assert read.codes == codes


def test_unknown_fragments_and_fragments_holding_a_known_name() -> None:
    read = NAMES.read("Văn phòng, Phòng Hợp tác quốc tế và Tổ Văn phòng")
    assert read.codes == ["VP"]
    assert read.unknown == [Fragment("Phòng Hợp tác quốc tế"), Fragment("Tổ Văn phòng", ("VP",))]
    read = NAMES.read("Phòng Tổ chức cán bộ - Pháp chế")
    assert read.unknown == [Fragment("Phòng Tổ chức cán bộ - Pháp chế", ("TCCB",))]


def test_create_offices_never_creates_one_holding_a_known_name(offices_only: Any,
                                                                 tmp_path: Path) -> None:
    rows = [list(r) for r in PLAN_ROWS]
    rows[1][3] = "Phòng Công nghệ thông tin và Tổ Văn phòng Sở"  # T01 (sheet row 11)
    path = build_plan_workbook(tmp_path / "p.xlsx", [tuple(r) for r in rows])
    result = offices_only("import", "plan", str(path), "--create-offices", "--dry-run")
    assert result.exit_code == 2, result.output
    assert ('sheet "Phụ lục", row 11, column D (Đơn vị phối hợp): unknown office "Tổ Văn phòng '
            'Sở": it holds the name of VP among other words') in result.stderr
    assert "CNTT" in result.stdout  # the other fragment would be created
    rows[1][3] = "Phòng Công nghệ thông tin và Phòng Khảo thí và Kiểm định chất lượng"
    path = build_plan_workbook(tmp_path / "q.xlsx", [tuple(r) for r in rows])
    done = offices_only("import", "plan", str(path), "--create-offices")
    assert done.exit_code == 0, done.output
    assert "New offices: CNTT." in done.stderr
