"""`planner import plan`: the appendix table as offices write it, and every way it can be wrong."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from io_workbooks import HEADER, PLAN_ROWS, build_plan_workbook
from openpyxl import Workbook


def tasks_json(cli: Any) -> dict[str, dict[str, Any]]:
    result = cli("export", "tasks", "--format", "json")
    assert result.exit_code == 0, result.output
    return {t["code"]: t for t in json.loads(result.stdout)}


ALL_DIVISIONS = ["VP", "TCCB", "KHTC", "GDMN", "GDTH", "GDTrH", "GDTX", "KTKĐ", "TTr"]


def test_realistic_workbook_creates_the_plan(offices_only, plan_workbook: Path, counts: Any,
                                             engine: Any) -> None:
    result = offices_only("import", "plan", str(plan_workbook))
    assert result.exit_code == 0, result.output
    assert "Created the 2022 plan" in result.stderr
    assert "14 tasks" in result.stderr
    # The title, number and issue date come from the rows above the header.
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(
            "SELECT year, title, number, issued_on, starts_on, ends_on FROM plan").one()
    assert plan[0] == 2022
    assert plan[1] == "KẾ HOẠCH Cải cách hành chính năm 2022 của Sở Giáo dục và Đào tạo"
    assert plan[2] == "45/KH-SGDĐT"
    assert str(plan[3]) == "2022-01-20"
    assert (str(plan[4]), str(plan[5])) == ("2022-01-01", "2022-12-31")

    tasks = tasks_json(offices_only)
    assert list(tasks) == ["T01", "T02", "T03", "T04", "T05.1", "T05.1a", "T05.1b", "T06", "T07",
                           "T08", "T09", "T10", "T11", "T12"]
    t = tasks
    # A date cell, "Các phòng chuyên môn" = every other division.
    assert t["T01"]["lead"] == "VP" and t["T01"]["due"] == "2022-01-31"
    assert t["T01"]["supporting"] == [c for c in ALL_DIVISIONS if c != "VP"]
    # "Các phòng, đơn vị" (a comma inside the phrase) is every division too.
    assert t["T02"]["supporting"] == [c for c in ALL_DIVISIONS if c != "VP"]
    assert t["T02"]["recurrence"] == "quarterly" and t["T02"]["due"] is None
    assert t["T02"]["description"] == "Gửi Sở Nội vụ trước ngày 20 của tháng cuối kỳ"
    # Semicolons and a line break in one cell; names, codes and aliases.
    assert t["T03"]["lead"] == "TTr"
    assert sorted(t["T03"]["supporting"]) == sorted(["TCCB", "VP", "KHTC"])
    assert t["T03"]["due"] == "2022-06-30"  # Quý II/2022
    # "và" between two offices; an office whose name holds "và" is not split.
    assert t["T04"]["supporting"] == ["GDTrH", "KTKĐ"]
    assert t["T04"]["due"] == "2022-06-30"  # Tháng 6/2022
    # A heading row without lead or deadline gives its number to the rows under it.
    assert t["T05.1"]["due"] == "2022-06-30"  # tháng 6
    assert t["T05.1a"]["due"] == "2022-06-30"  # Quý 2
    assert t["T05.1b"]["due"] == "2022-06-30"  # 6 tháng đầu năm
    assert t["T06"]["due"] == "2022-12-15"  # Trước 15/12/2022
    # The lead office merged over two rows reads on both.
    assert t["T06"]["lead"] == "KHTC" and t["T07"]["lead"] == "KHTC"
    assert t["T07"]["due"] == "2022-12-15"  # Trước ngày 15/12
    assert t["T08"]["due"] == "2022-12-31"  # Trong năm 2022
    assert t["T09"]["due"] == "2022-12-31"  # Năm 2022
    assert t["T10"]["continuous"] is True and t["T10"]["due"] is None  # Thường xuyên
    assert t["T10"]["supporting"] == ["GDTH", "GDTrH"]
    assert t["T11"]["recurrence"] == "monthly"  # Hằng tháng
    assert t["T12"]["due"] == "2022-06-30"  # 30/6/2022 as text
    assert t["T12"]["deadline"] == "30/6/2022"
    # The plan has no criteria: the codes were not linked, and the user is told.
    assert all(task["criteria"] == [] for task in tasks.values())
    assert "no criteria yet" in result.stderr
    c = counts()
    assert c["occurrence"] == 4 + 12
    with engine.connect() as conn:
        actions = list(conn.exec_driver_sql("SELECT action FROM change_log").scalars())
    assert actions.count("plan.import") == 1 and "task.add" not in actions
    # The imported plan checks clean.
    check = offices_only("check")
    assert check.exit_code == 0, check.output


def test_sections_map_to_fields_and_criteria_link(criteria_only, plan_workbook: Path,
                                                  engine: Any) -> None:
    dry = criteria_only("import", "plan", str(plan_workbook), "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.stdout)
    assert [(s["numeral"], s["field"]) for s in data["sections"]] == [
        ("I", "1"), ("II", "3"), ("III", "4")]
    result = criteria_only("import", "plan", str(plan_workbook))
    assert result.exit_code == 0, result.output
    assert "Added to the 2022 plan" in result.stderr
    tasks = tasks_json(criteria_only)
    assert tasks["T01"]["criteria"] == ["1.1.1"]
    assert tasks["T10"]["criteria"] == ["3.3.1", "3.3.2"]
    # No "Tiêu chí" cell: no link (a field earns nothing); the task keeps its section, from
    # which `planner links suggest` proposes criteria.
    assert tasks["T04"]["criteria"] == []
    with engine.connect() as conn:
        sections = dict(conn.exec_driver_sql("SELECT code, section FROM task").all())
    assert sections["T04"] == "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"
    assert sections["T08"] == "III. CẢI CÁCH TỔ CHỨC BỘ MÁY VÀ CÔNG VỤ"
    score = criteria_only("score", "--format", "json")
    assert score.exit_code == 0, score.output


def test_dry_run_lists_and_writes_nothing(offices_only, plan_workbook: Path, counts: Any) -> None:
    before = counts()
    result = offices_only("import", "plan", str(plan_workbook), "--dry-run")
    assert result.exit_code == 0, result.output
    assert 'Plan 2022' in result.stdout
    assert "T05.1a" in result.stdout and "Niêm yết" in result.stdout
    assert "I. CÔNG TÁC CHỈ ĐẠO" in result.stdout
    assert "nothing was written" in result.stderr
    assert counts() == before


def _error_workbook(tmp_path: Path, change: dict[int, tuple[int, Any]]) -> Path:
    rows = [list(r) for r in PLAN_ROWS]
    for index, (column, value) in change.items():
        rows[index][column] = value
    return build_plan_workbook(tmp_path / "errors.xlsx", [tuple(r) for r in rows])


def test_errors_name_sheet_row_and_column_and_nothing_is_written(
    offices_only, tmp_path: Path, counts: Any
) -> None:
    # Row indexes in PLAN_ROWS: 1 is T01 (sheet row 11), 3 is T03 (row 13), 14 is T09 (row 24).
    path = _error_workbook(tmp_path, {1: (2, "Phòng Hợp tác quốc tế"), 3: (4, "Cuối quý 5"),
                                      14: (3, "TCCB, Phòng Không Có")})
    before = counts()
    for args in ([], ["--dry-run"]):
        result = offices_only("import", "plan", str(path), *args)
        assert result.exit_code == 2, result.output
        err = result.stderr
        assert ('sheet "Phụ lục", row 11, column C (Đơn vị chủ trì): unknown office '
                '"Phòng Hợp tác quốc tế"') in err
        assert 'sheet "Phụ lục", row 13, column E (Thời gian hoàn thành): "Cuối quý 5"' in err
        assert ('sheet "Phụ lục", row 24, column D (Đơn vị phối hợp): unknown office '
                '"Phòng Không Có"') in err
    assert counts() == before


def test_create_offices(offices_only, tmp_path: Path, counts: Any) -> None:
    path = _error_workbook(tmp_path, {1: (2, "Phòng Công nghệ thông tin"),
                                      3: (3, "Tổ Pháp chế; VP")})
    dry = offices_only("import", "plan", str(path), "--dry-run", "--create-offices")
    assert dry.exit_code == 0, dry.output
    assert '"Phòng Công nghệ thông tin"' in dry.stdout
    result = offices_only("import", "plan", str(path), "--create-offices")
    assert result.exit_code == 0, result.output
    assert "New offices: CNTT, PC." in result.stderr
    tasks = tasks_json(offices_only)
    assert tasks["T01"]["lead"] == "CNTT"
    assert tasks["T03"]["supporting"] == ["VP", "PC"]  # in office order
    assert offices_only("check").exit_code == 0


def test_missing_column(offices_only, tmp_path: Path, counts: Any) -> None:
    header = [h if h != "Đơn vị chủ trì" else "Đầu mối" for h in HEADER]
    path = build_plan_workbook(tmp_path / "nolead.xlsx", header=header)
    before = counts()
    result = offices_only("import", "plan", str(path))
    assert result.exit_code == 2
    assert 'sheet "Phụ lục", row 8: the header has no "Đơn vị chủ trì" column' in result.stderr
    assert counts() == before


def test_empty_sheet_and_sheet_that_is_not_a_plan(offices_only, tmp_path: Path, counts: Any) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Trống"
    empty = tmp_path / "empty.xlsx"
    wb.save(empty)
    result = offices_only("import", "plan", str(empty))
    assert result.exit_code == 2
    assert 'sheet "Trống": the sheet is empty' in result.stderr

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Lương"
    ws.append(["Họ và tên", "Chức vụ", "Hệ số lương"])
    ws.append(["Nguyễn Văn A", "Chuyên viên", 3.33])
    other = tmp_path / "salaries.xlsx"
    wb.save(other)
    before = counts()
    result = offices_only("import", "plan", str(other), "--dry-run")
    assert result.exit_code == 2
    assert 'sheet "Lương": this sheet is not a plan table' in result.stderr
    assert counts() == before

    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    result = offices_only("import", "plan", str(text))
    assert result.exit_code == 2
    assert "not an .xlsx workbook" in result.stderr


def test_second_sheet_holds_the_plan(offices_only, tmp_path: Path) -> None:
    path = build_plan_workbook(tmp_path / "two.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    cover = wb.create_sheet("Bìa", 0)
    cover["A1"] = "Kế hoạch CCHC"
    wb.save(path)
    result = offices_only("import", "plan", str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert 'Sheet "Phụ lục"' in result.stdout


def test_year_from_option_or_refused(offices_only, tmp_path: Path, engine: Any) -> None:
    path = build_plan_workbook(tmp_path / "noyear.xlsx", title_rows=False)
    result = offices_only("import", "plan", str(path))
    assert result.exit_code == 2
    assert "give --year" in result.stderr
    result = offices_only("import", "plan", str(path), "--year", "2023", "--title", "Kế hoạch CCHC 2023")
    # Deadlines with a written year (31/01/2022) are within a year of 2023: accepted.
    assert result.exit_code == 0, result.output
    with engine.connect() as conn:
        assert tuple(conn.exec_driver_sql("SELECT year, title FROM plan").one()) == (
            2023, "Kế hoạch CCHC 2023")
        due = conn.exec_driver_sql("SELECT due_on FROM task WHERE code = 'T07'").scalar()
    assert str(due) == "2023-12-15"  # "Trước ngày 15/12" takes the plan's year


def test_existing_plan_needs_into_existing(seeded, plan_workbook: Path, counts: Any) -> None:
    before = counts()
    result = seeded("import", "plan", str(plan_workbook))
    assert result.exit_code == 2
    assert "--into-existing" in result.stderr
    assert counts() == before
    # The seed's codes T01… are taken: adding the same table again is refused row by row.
    result = seeded("import", "plan", str(plan_workbook), "--into-existing")
    assert result.exit_code == 2
    assert 'row 11, column A (STT): task "T01" already exists in the 2022 plan' in result.stderr
    assert 'give them new codes in a "Mã" column, from T47' in result.stderr
    assert counts() == before


def test_into_existing_adds_tasks(seeded, tmp_path: Path) -> None:
    rows = [("I", "CÔNG TÁC CHỈ ĐẠO"),
            ("N1", "Nhiệm vụ bổ sung giữa năm", "VP", "TCCB", "Quý III/2022", "Báo cáo (BC)",
             "1.4", "")]
    path = build_plan_workbook(tmp_path / "extra.xlsx", rows)
    result = seeded("import", "plan", str(path), "--into-existing")
    assert result.exit_code == 0, result.output
    tasks = tasks_json(seeded)
    assert tasks["N1"]["due"] == "2022-09-30" and tasks["N1"]["criteria"] == ["1.4"]
    assert len(tasks) == 47
    assert seeded("check").exit_code == 0


def test_unknown_criterion_is_an_error_when_the_plan_has_criteria(criteria_only, tmp_path: Path) -> None:
    path = _error_workbook(tmp_path, {1: (6, "1.1.9")})
    result = criteria_only("import", "plan", str(path))
    assert result.exit_code == 2
    assert 'row 11, column G (Tiêu chí): unknown criterion "1.1.9" in the 2022 plan' in result.stderr


def test_numbering_restarting_in_each_section(offices_only, tmp_path: Path) -> None:
    rows = [("I", "CÔNG TÁC CHỈ ĐẠO"),
            (1, "Nhiệm vụ một", "VP", "", "31/3/2022", "", "", ""),
            (2, "Nhiệm vụ hai", "VP", "", "30/6/2022", "", "", ""),
            ("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),
            (1, "Nhiệm vụ ba", "TCCB", "", "30/9/2022", "", "", ""),
            ("-", "Việc nhỏ của nhiệm vụ ba", "TCCB", "", "30/9/2022", "", "", "")]
    path = build_plan_workbook(tmp_path / "restart.xlsx", rows)
    result = offices_only("import", "plan", str(path))
    assert result.exit_code == 0, result.output
    assert list(tasks_json(offices_only)) == ["T1.01", "T1.02", "T2.01", "T2.01-1"]


def test_duplicate_numbers_are_named(offices_only, tmp_path: Path) -> None:
    rows = [(1, "Một", "VP", "", "31/3/2022", "", "", ""),
            (1, "Hai", "VP", "", "30/6/2022", "", "", "")]
    path = build_plan_workbook(tmp_path / "dup.xlsx", rows)
    result = offices_only("import", "plan", str(path))
    assert result.exit_code == 2
    assert 'row 11, column A (STT): task code "T01" is used twice (also row 10)' in result.stderr


def test_csv_with_bom_and_semicolons(offices_only, tmp_path: Path, counts: Any) -> None:
    lines = [
        "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022;;;;;",
        ";;;;;",
        "stt;NOI DUNG CONG VIEC;don vi chu tri;Don vi phoi hop;THOI GIAN THUC HIEN;San pham (ket qua)",
        "I;Công tác chỉ đạo, điều hành;;;;",
        '1;"Ban hành kế hoạch; phân công nhiệm vụ";Văn phòng;"TCCB; KHTC";Quý I/2022;Kế hoạch',
        "2;'=Rà soát quy chế (dòng bắt đầu bằng dấu bằng);TCCB;;Tháng 9/2022;'-Quyết định",
        "3;Báo cáo tháng;VP;Các phòng chuyên môn;Hằng tháng;Báo cáo",
    ]
    path = tmp_path / "ke-hoach.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    result = offices_only("import", "plan", str(path))
    assert result.exit_code == 0, result.output
    tasks = tasks_json(offices_only)
    assert tasks["T01"]["title"] == "Ban hành kế hoạch; phân công nhiệm vụ"
    assert tasks["T01"]["supporting"] == ["TCCB", "KHTC"]
    assert tasks["T01"]["due"] == "2022-03-31"
    # The protective apostrophe of a formula-like cell is removed.
    assert tasks["T02"]["title"] == "=Rà soát quy chế (dòng bắt đầu bằng dấu bằng)"
    assert tasks["T02"]["product"] == "-Quyết định"
    assert tasks["T03"]["recurrence"] == "monthly"


def test_csv_with_commas_and_no_title_needs_a_year(offices_only, tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("STT,Nội dung,Đơn vị chủ trì,Thời gian hoàn thành\n"
                    '1,"Rà soát, công bố thủ tục",VP,30/6\n', encoding="utf-8")
    assert offices_only("import", "plan", str(path)).exit_code == 2
    result = offices_only("import", "plan", str(path), "--year", "2022")
    assert result.exit_code == 0, result.output
    assert tasks_json(offices_only)["T01"]["due"] == "2022-06-30"


def test_large_workbook_imports_in_one_transaction(offices_only, tmp_path: Path, counts: Any) -> None:
    rows: list[Any] = []
    for section in range(1, 5):
        rows.append((["I", "II", "III", "IV"][section - 1], f"Lĩnh vực {section}"))
        for i in range(1, 501):
            rows.append((f"{(section - 1) * 500 + i}", f"Nhiệm vụ số {i} của lĩnh vực {section}",
                         "VP", "TCCB, KHTC", ["Quý I/2022", "Hằng quý", "Thường xuyên"][i % 3],
                         "Báo cáo", "", ""))
    path = build_plan_workbook(tmp_path / "big.xlsx", rows)
    result = offices_only("import", "plan", str(path))
    assert result.exit_code == 0, result.output
    # Not a terminal, but a large file: progress lines on stderr, then the summary.
    assert "writing 2000/2000" in result.stderr
    c = counts()
    assert c["task"] == 2000 and c["task_support"] == 4000
    assert c["occurrence"] == 668 * 4  # 668 quarterly tasks


def test_blank_import_file_and_unknown_sheet(offices_only, tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("", encoding="utf-8")
    result = offices_only("import", "plan", str(path))
    assert result.exit_code == 2
    assert "the sheet is empty" in result.stderr
    wb = build_plan_workbook(tmp_path / "p.xlsx")
    result = offices_only("import", "plan", str(wb), "--sheet", "Không có")
    assert result.exit_code == 2
    assert 'no such sheet (sheets: "Phụ lục")' in result.stderr


@pytest.mark.parametrize("phrase,expected", [
    ("30/6/2022", date(2022, 6, 30)), ("Tháng 6/2022", date(2022, 6, 30)),
    ("tháng 6", date(2022, 6, 30)), ("Quý II/2022", date(2022, 6, 30)),
    ("Quý 2", date(2022, 6, 30)), ("6 tháng đầu năm", date(2022, 6, 30)),
    ("Trước 15/12/2022", date(2022, 12, 15)), ("Trước ngày 15/12", date(2022, 12, 15)),
    ("Trong năm 2022", date(2022, 12, 31)), ("Năm 2022", date(2022, 12, 31)),
])
def test_deadline_phrases(phrase: str, expected: date) -> None:
    from planner.io.plan_import import ImportOptions, OfficeInfo, analyse, locate
    from planner.io.sheet_reader import Grid

    grid = Grid("Phụ lục", [["Kế hoạch CCHC năm 2022"], HEADER,
                            ["1", "Nhiệm vụ", "VP", "", phrase]])
    loc = locate([grid])
    assert not isinstance(loc, list)
    imp = analyse(loc, [OfficeInfo("VP", "Văn phòng", ())], None, ImportOptions())
    assert imp.problems == []
    assert imp.tasks[0].task.due_on == expected


def test_the_signature_block_ends_the_table(offices_only, tmp_path: Path) -> None:
    rows = [(1, "Nhiệm vụ một", "VP", "", "31/3/2022", "", "", ""),
            ("Nơi nhận:", "", "", "", "", "", "", ""),
            ("- Như trên;", "", "", "", "KT. GIÁM ĐỐC", "", "", ""),
            ("", "", "", "", "PHÓ GIÁM ĐỐC", "", "", "")]
    path = build_plan_workbook(tmp_path / "signed.xlsx", rows)
    result = offices_only("import", "plan", str(path))
    assert result.exit_code == 0, result.output
    assert list(tasks_json(offices_only)) == ["T01"]


def test_only_a_coordinator_imports(offices_only, plan_workbook: Path, counts: Any) -> None:
    before = counts()
    result = offices_only("import", "plan", str(plan_workbook), user="someone-else")
    assert result.exit_code == 4
    assert "Permission denied" in result.stderr
    assert counts() == before


# A plan whose year ends early (30/11), with a monthly task from the seed file.
EARLY_SEED = """\
[plan]
year = 2022
title = "Kế hoạch cải cách hành chính năm 2022"
agency = "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG"
ends_on = 2022-11-30

[[offices]]
code = "VP"
name = "Văn phòng"

[[offices]]
code = "TCCB"
name = "Phòng Tổ chức cán bộ"

[[criteria]]
code = "1"
title = "Công tác chỉ đạo, điều hành CCHC"
max = 1

[[criteria]]
code = "1.1"
title = "Báo cáo đủ, đúng hạn"
max = 1
method = "tasks"

[[tasks]]
code = "T01"
title = "Báo cáo CCHC hằng tháng"
lead = "VP"
due = "Hằng tháng"
criteria = { "1.1" = 1.0 }
"""


def test_into_existing_keeps_occurrences_within_a_plan_ending_early(cli, tmp_path: Path) -> None:
    """A plan whose year ends on 30/11: a monthly task imported into it has no December
    occurrence, like the seed's own monthly task, and `planner check` finds nothing wrong
    (issue 14)."""
    seed = tmp_path / "plan-2022.toml"
    seed.write_text(EARLY_SEED, encoding="utf-8")
    loaded = cli("seed", "load", str(seed))
    assert loaded.exit_code == 0, loaded.output
    assert cli("check").exit_code == 0
    rows = [("I", "CÔNG TÁC CHỈ ĐẠO"),
            ("T02", "Báo cáo tiến độ hằng tháng", "TCCB", "", "Hằng tháng", "Báo cáo", "1.1", "")]
    path = build_plan_workbook(tmp_path / "bo-sung.xlsx", rows)
    result = cli("import", "plan", str(path), "--into-existing")
    assert result.exit_code == 0, result.output
    for code in ("T01", "T02"):
        shown = cli("task", "show", code)
        assert shown.exit_code == 0, shown.output
        assert "30/11/2022" in shown.stdout
        assert "31/12/2022" not in shown.stdout
    check = cli("check")
    assert check.exit_code == 0, check.output
    assert "do not follow its rule" not in check.output
