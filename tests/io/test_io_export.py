"""`planner export`: tables that import back, neutralised formulas, the self-assessment."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

COMPARED = ["code", "title", "lead", "supporting", "deadline", "product", "criteria",
            "description", "start", "due", "continuous", "recurrence"]


def export_json(cli: Any, kind: str = "tasks") -> list[dict[str, Any]]:
    result = cli("export", kind, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def definitions(cli: Any) -> list[dict[str, Any]]:
    return [{k: t[k] for k in COMPARED} for t in export_json(cli)]


SEED = Path(__file__).resolve().parents[2] / "seed" / "plan-2022.toml"


@pytest.fixture
def second(tmp_path: Path, cli):  # type: ignore[no-untyped-def]
    """Another database holding the sample's offices and criteria, without tasks."""
    from dataclasses import replace

    from click.testing import CliRunner

    from planner.io.seedfile import load_seed_file
    from planner.services.plan_load import load_seed
    from planner.services.session import open_database

    path = tmp_path / "second.db"
    seed = load_seed_file(SEED)
    db, _ = open_database(str(path))
    load_seed(db, replace(seed, tasks=(), events=(),
                          evidence=tuple(e for e in seed.evidence if e.task is None)),
              actor="coordinator")
    db.dispose()
    return type(cli)(str(path), CliRunner())


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exported_tasks_import_back_to_the_same_tasks(seeded, second, tmp_path: Path,
                                                      fmt: str) -> None:
    # Formula-like text must survive the trip too.
    edit = seeded("task", "edit", "T02", "--title", "=HYPERLINK(\"http://x\") +1 -2 @3",
                  "--product", "-Báo cáo", "--description", "@chú ý\n+ dòng hai")
    assert edit.exit_code == 0, edit.output
    path = tmp_path / f"tasks.{fmt}"
    result = seeded("export", "tasks", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert "Wrote 46 rows" in result.stderr
    args = ["import", "plan", str(path)] + (["--year", "2022"] if fmt == "csv" else [])
    imported = second(*args)
    assert imported.exit_code == 0, imported.output
    assert definitions(second) == definitions(seeded)
    assert second("check").exit_code == 0


def test_xlsx_cells_are_strings_never_formulas(seeded, tmp_path: Path) -> None:
    seeded("task", "edit", "T01", "--title", "=1+1", "--product", "@SUM(A1)")
    path = tmp_path / "t.xlsx"
    assert seeded("export", "tasks", "-o", str(path)).exit_code == 0
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    assert cells["=1+1"].data_type == "s"
    assert cells["@SUM(A1)"].data_type == "s"
    # Title rows above a bold header, frozen below it, filters on.
    header_row = next(r for r in ws.iter_rows() if r[0].value == "Mã")
    assert header_row[0].font.b
    assert ws.freeze_panes == f"A{header_row[0].row + 1}"
    assert ws.auto_filter.ref
    assert ws["A3"].value == "Kế hoạch cải cách hành chính năm 2022"
    # Dates are real dates.
    due = next(c for c in ws[header_row[0].row + 1] if c.column == 10)
    assert due.is_date


def test_csv_neutralises_formula_cells(seeded) -> None:
    seeded("task", "edit", "T01", "--title", "=1+1")
    result = seeded("export", "tasks", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:3] == ["Mã", "Nội dung nhiệm vụ", "Đơn vị chủ trì"]
    assert rows[1][1] == "'=1+1"
    assert not result.stdout.startswith("\ufeff")  # no byte-order mark on a pipe


def test_csv_file_has_a_bom_for_excel(seeded, tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    assert seeded("export", "offices", "-o", str(path)).exit_code == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Mã", "Tên đơn vị"]
    assert rows[2][:2] == ["TCCB", "Phòng Tổ chức cán bộ"]
    assert rows[2][2] == "Tổ chức cán bộ; Phòng TCCB"


def test_json_exports(seeded) -> None:
    tasks = export_json(seeded)
    t01 = tasks[0]
    assert t01["code"] == "T01" and t01["lead"] == "VP" and t01["due"] == "2022-01-31"
    assert t01["criteria"] == ["1.1.1", "1.1.3"] and isinstance(t01["supporting"], list)
    assert t01["status"] == "done"
    criteria = export_json(seeded, "criteria")
    by_code = {c["code"]: c for c in criteria}
    assert by_code["1"]["max"] == 7 and by_code["1.1"]["parent"] == "1"
    assert json.loads(by_code["1.1.2"]["params"])["bands"][0] == [100, 1.5]
    assert all(not isinstance(v, dict) for c in criteria for v in c.values())  # flat rows
    assert by_code["1.1.2"]["indicator"] == "plan_completion"
    evidence = export_json(seeded, "evidence")
    assert evidence[0]["doc_number"] == "45/KH-SGDĐT" and evidence[0]["doc_date"] == "2022-01-20"
    assert evidence[0]["state"] == "accepted"
    offices = export_json(seeded, "offices")
    assert [o["code"] for o in offices][:3] == ["VP", "TCCB", "KHTC"]
    assert offices[0]["aliases"] == ["Văn phòng Sở", "VPS"]


def test_xlsx_to_a_terminal_is_refused_but_a_pipe_gets_it(seeded) -> None:
    result = seeded("export", "evidence", "--format", "xlsx")
    assert result.exit_code == 0  # CliRunner is not a terminal
    assert result.stdout_bytes.startswith(b"PK")


def test_self_assessment(seeded, tmp_path: Path) -> None:
    path = tmp_path / "tu-cham-diem.xlsx"
    result = seeded("export", "self-assessment", "-o", str(path), "--as-of", "31/12/2022")
    assert result.exit_code == 0, result.output
    ws = load_workbook(path).active
    assert ws is not None
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "BẢNG TỰ CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022" in flat
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    assert values[header][1:4] == ["Tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Điểm tự chấm"]
    rows = {row[0]: row for row in values[header + 2:] if row[0]}
    # The self-score is the secured points of `planner score`.
    score = json.loads(seeded("score", "--as-of", "31/12/2022", "--format", "json").stdout)
    nodes: dict[str, Any] = {}
    stack = list(score["criteria"])
    while stack:
        node = stack.pop()
        nodes[node["code"]] = node
        stack.extend(node["children"])
    for code in ("1", "1.1", "1.1.1", "3.3.1", "7"):
        assert rows[code][2] == pytest.approx(nodes[code]["max"], abs=0.005)
        assert rows[code][3] == pytest.approx(nodes[code]["secured"], abs=0.005)
    # Accepted evidence with number and date, at the criterion it supports.
    assert "45/KH-SGDĐT ngày 20/01/2022" in rows["1.1.1"][4]
    # Totals per field, and overall.
    totals = {row[0]: row for row in values if row[0] in ("Tổng điểm thẩm định (tự chấm)",
                                                          "TỔNG CỘNG")}
    assert totals["TỔNG CỘNG"][3] == pytest.approx(score["totals"]["all"]["secured"], abs=0.005)
    assert totals["Tổng điểm thẩm định (tự chấm)"][2] == pytest.approx(56)
    summary = next(i for i, row in enumerate(values) if row[0] == "TỔNG HỢP ĐIỂM THEO LĨNH VỰC")
    fields = [row[0] for row in values[summary + 2: summary + 10]]
    assert fields == ["1", "2", "3", "4", "5", "6", "7", "8"]
    # Layout: bold header, borders, wrapped evidence, widths, A4 landscape.
    cell = ws.cell(row=header + 1, column=1)
    assert cell.font.b and cell.border.left.style == "thin"
    assert ws.column_dimensions["E"].width >= 50
    evidence_cell = next(c for c in ws["E"] if c.value and "45/KH-SGDĐT" in str(c.value))
    assert evidence_cell.alignment.wrap_text
    assert ws.page_setup.orientation == "landscape"


def test_self_assessment_ignores_evidence_awaiting_review(seeded, tmp_path: Path) -> None:
    """The plan's acceptance is taken back on 09/05: the sheet as of that day leaves the
    document out; as of the day before, it still lists it."""
    rows = json.loads(seeded("evidence", "list", "--format", "json").stdout)
    plan_doc = next(r["id"] for r in rows if r["doc_number"] == "45/KH-SGDĐT" and r["target"] == "T01")
    assert seeded("evidence", "reopen", str(plan_doc), "--reason", "Bản dự thảo").exit_code == 0

    def cells(as_of: str) -> list[str]:
        path = tmp_path / f"sa-{as_of.replace('/', '')}.xlsx"
        assert seeded("export", "self-assessment", "-o", str(path), "--as-of", as_of).exit_code == 0
        ws = load_workbook(path).active
        assert ws is not None
        return [str(c.value) for row in ws.iter_rows() for c in row if c.value]

    line = "45/KH-SGDĐT ngày 20/01/2022 của Sở GD&ĐT Hải Phòng: Kế hoạch cải cách hành chính năm 2022\n"
    assert not any(line in c + "\n" for c in cells("09/05/2022"))
    assert any(line in c + "\n" for c in cells("08/05/2022"))



def test_self_assessment_leaves_out_evidence_no_longer_valid(seeded, tmp_path: Path) -> None:
    """The plan's document (given for T01 and for criterion 1.1.3) is valid until 30/06/2022:
    the sheet as of that day lists it, as of the next day it does not (its points are no
    longer secured either)."""
    rows = json.loads(seeded("evidence", "list", "--format", "json").stdout)
    for doc in (r["id"] for r in rows if r["doc_number"] == "45/KH-SGDĐT"):
        edited = seeded("evidence", "edit", str(doc), "--valid-until", "30/06/2022")
        assert edited.exit_code == 0, edited.output

    def cells(as_of: str) -> list[str]:
        path = tmp_path / f"sa-{as_of.replace('/', '')}.xlsx"
        assert seeded("export", "self-assessment", "-o", str(path), "--as-of", as_of).exit_code == 0
        ws = load_workbook(path).active
        assert ws is not None
        return [str(c.value) for row in ws.iter_rows() for c in row if c.value]

    line = "45/KH-SGDĐT ngày 20/01/2022"
    assert any(line in c for c in cells("30/06/2022"))
    assert not any(line in c for c in cells("01/07/2022"))

def _calc_installed() -> bool:
    """LibreOffice with its spreadsheet part (Debian's libreoffice-calc-nogui): the writer alone
    cannot convert a workbook."""
    soffice = shutil.which("soffice")
    return soffice is not None and (Path(os.path.realpath(soffice)).parent / "libsclo.so").exists()


@pytest.mark.skipif(not _calc_installed(),
                    reason="LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui; .ci/run does)")
def test_libreoffice_opens_the_workbooks(seeded, tmp_path: Path) -> None:
    sa, tasks = tmp_path / "sa.xlsx", tmp_path / "tasks.xlsx"
    assert seeded("export", "self-assessment", "-o", str(sa), "--as-of", "31/12/2022").exit_code == 0
    assert seeded("export", "tasks", "-o", str(tasks)).exit_code == 0
    profile = tmp_path / "lo-profile"
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(sa), str(tasks)],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    from pypdf import PdfReader

    text = PdfReader(tmp_path / "sa.pdf").pages[0].extract_text()
    assert "BẢNG TỰ CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022" in text
    assert "45/KH-SGDĐT" in text
    assert "Ban hành Kế hoạch cải cách hành chính" in PdfReader(tmp_path / "tasks.pdf").pages[0].extract_text()


def _sheet_rows(path: Path) -> list[list[Any]]:
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_spreadsheets_use_vietnamese_words_json_keeps_slugs(seeded, tmp_path: Path) -> None:
    # The same words whatever the language of messages: the file is a Vietnamese document.
    for lang in ("en", "vi"):
        path = tmp_path / f"tasks-{lang}.xlsx"
        assert seeded("--lang", lang, "export", "tasks", "-o", str(path)).exit_code == 0
        rows = _sheet_rows(path)
        header = next(r for r in rows if r[0] == "Mã")
        t01 = next(r for r in rows if r[0] == "T01")
        t04 = next(r for r in rows if r[0] == "T04")
        t18 = next(r for r in rows if r[0] == "T18")
        assert t01[header.index("Trạng thái")] == "Hoàn thành"
        assert t01[header.index("Thường xuyên")] == "Không"
        assert t18[header.index("Thường xuyên")] == "Có"
        assert t04[header.index("Lặp lại")] == "Định kỳ"
        assert t01[header.index("Thời gian hoàn thành")] == "31/01/2022"
    criteria = seeded("export", "criteria", "--format", "csv")
    assert ",Theo nhiệm vụ," in criteria.stdout and ",Theo mức của chỉ số," in criteria.stdout
    assert ",tasks," not in criteria.stdout
    evidence = list(csv.reader(io.StringIO(seeded("export", "evidence", "--format", "csv").stdout)))
    head = evidence[0]
    assert evidence[1][head.index("Loại")] == "Văn bản"
    assert evidence[1][head.index("Trạng thái")] == "Đã chấp nhận"
    assert {row[head.index("Trạng thái")] for row in evidence[1:]} <= {
        "Chờ duyệt", "Đã chấp nhận", "Bị từ chối", "Đã rút"}
    assert export_json(seeded)[0]["status"] == "done"
    assert export_json(seeded, "evidence")[0]["kind"] == "document"


def test_text_shaped_like_workbook_markup_stays_text(seeded, second, tmp_path: Path) -> None:
    # XlsxWriter writes "<r>…</r>" strings into the XML as they are: they must stay text.
    hostile = "<r><t>chèn</t></r>"
    assert seeded("task", "edit", "T02", "--title", hostile, "--product", "<r>x</r>").exit_code == 0
    path = tmp_path / "tasks.xlsx"
    assert seeded("export", "tasks", "-o", str(path)).exit_code == 0
    t02 = next(r for r in _sheet_rows(path) if r[0] == "T02")
    assert t02[1] == hostile and t02[5] == "<r>x</r>"
    assert second("import", "plan", str(path)).exit_code == 0
    assert definitions(second) == definitions(seeded)
