"""`planner import criteria`: the province's index as its decision publishes it, in every
format, and every way it can be wrong (named by sheet, row and column; nothing written)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from samples import sample_files

SF = sample_files()
HEADER = ["STT", "Tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Hướng dẫn chấm điểm"]
TITLE = ["UBND THÀNH PHỐ HẢI PHÒNG",
         "BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ NĂM 2023",
         "(Kèm theo Quyết định số 123/QĐ-UBND ngày 06 tháng 01 năm 2023)"]
# Numbering restarts under each field (II: 1, 1.1 -> 2.1, 2.1.1); a parent without points;
# a) b) that add up (sub-criteria) and a) b) that do not (outcomes).
ROWS: list[list[Any]] = [
    HEADER,
    ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 3, ""],
    ["1", "Kế hoạch CCHC", "2", ""],
    ["1.1", "Ban hành kế hoạch kịp thời", "0,5",
     "Ban hành đúng hạn: 0,5 điểm; ban hành chậm: 0,25 điểm"],
    ["1.2", "Mức độ hoàn thành kế hoạch", "1,5",
     "100%: 1,5 điểm; từ 80% đến dưới 100%: 1 điểm; dưới 80%: 0 điểm"],
    ["2", "Báo cáo CCHC", "1", ""],
    ["a)", "Báo cáo đủ, đúng hạn", "0,5", ""],
    ["b)", "Nội dung đầy đủ", "0,5", ""],
    ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "", ""],
    ["1", "Tỷ lệ hồ sơ giải quyết đúng hạn", 3,
     "100%: 3 điểm; từ 98% đến dưới 100%: 2 điểm; từ 95% đến dưới 98%: 1 điểm"],
    ["2", "Công khai TTHC", 1, ""],
    ["a)", "Công khai đầy đủ", "1", ""],
    ["b)", "Công khai chưa đầy đủ", "0,5", ""],
    ["III", "ĐÁNH GIÁ QUA ĐIỀU TRA XÃ HỘI HỌC", 10, ""],
    ["1", "Mức độ hài lòng (SIPAS)", 10, "Điểm do cơ quan điều tra xã hội học chấm"],
    ["", "Tổng cộng", 17, ""],
]


def index_file(path: Path, rows: list[list[Any]] | None = None, *, name: str = "Phụ lục") -> Path:
    return SF.write(path, [SF.Table(name, rows or ROWS, paragraphs=TITLE)])


def count(cli: Any, table: str) -> int:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from planner.store.engine import database_url

    engine = create_engine(database_url(cli.db), poolclass=NullPool)
    with engine.connect() as conn:
        n = conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar() or 0
    engine.dispose()
    return n


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods", ".docx"])
def test_the_index_creates_the_plan_with_methods_read_from_its_guidance(
        cli: Any, tmp_path: Path, suffix: str) -> None:
    path = index_file(tmp_path / f"chi-so{suffix}")
    dry = cli("import", "criteria", str(path), "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.stdout)
    assert (data["year"], data["decision"], data["plan"]) == (2023, "123/QĐ-UBND", "new")
    by_code = {c["code"]: c for c in data["criteria"]}
    assert list(by_code) == ["1", "1.1", "1.1.1", "1.1.2", "1.2", "1.2.1", "1.2.2", "2",
                             "2.1", "2.2", "3", "3.1"]
    assert by_code["1.1.1"]["method"] == "tasks" and by_code["1.1.1"]["late_factor"] == 0.5
    assert by_code["1.1.2"]["method"] == "threshold"
    assert by_code["1.1.2"]["bands"] == [[100.0, 1.5], [80.0, 1.0]]
    assert by_code["1.1.2"]["gaps"] == ["needs its indicator"]
    assert by_code["1.2.1"]["title"] == "Báo cáo đủ, đúng hạn"  # a) under 1.2 (sums to it)
    assert by_code["2"]["max"] == 4  # no points written: the sum of its criteria
    assert by_code["2.2"]["method"] == "condition"  # a) b) that are alternatives
    assert [o["points"] for o in by_code["2.2"]["outcomes"]] == [1.0, 0.5]
    assert by_code["3.1"]["method"] == "manual"
    assert data["survey_fields"] == ["3"]
    assert count(cli, "criterion") == 0

    result = cli("import", "criteria", str(path))
    assert result.exit_code == 0, result.output
    assert "Created the 2023 plan" in result.stderr
    score = json.loads(cli("score", "--format", "json").stdout)
    assert score["plan"]["year"] == 2023
    assert score["totals"]["appraised"]["max"] == 7 and score["totals"]["survey"]["max"] == 10
    gaps = cli("criterion", "gaps", "--format", "json")
    assert gaps.exit_code == 1
    assert {(g["code"], g["gap"]) for g in gaps.stdout and json.loads(gaps.stdout)} >= {
        ("1.1.2", "indicator"), ("2.1", "indicator"), ("1.1.1", "tasks")}


def test_method_override_and_guidance_kept(cli: Any, tmp_path: Path) -> None:
    path = index_file(tmp_path / "chi-so.xlsx")
    result = cli("import", "criteria", str(path), "--method", "2.2=tasks", "--method",
                 "1.2.2=condition")
    assert result.exit_code == 0, result.output
    from planner.services.criteria_admin import criteria_gaps
    from tests.io.conftest import context_for

    ctx = context_for(cli.db)
    with ctx.db.read() as session:
        from sqlmodel import select

        from planner.store.models import Criterion

        rows = {c.code: c for c in session.exec(select(Criterion))}
    assert rows["2.2"].method == "tasks"
    assert rows["1.2.2"].method == "condition"
    assert json.loads(rows["1.2.2"].params)["outcomes"][0]["key"] == "yes"
    assert rows["1.1.2"].guidance.startswith("100%: 1,5 điểm")
    assert "Công khai chưa đầy đủ: 0,5" in rows["2.2"].guidance
    assert {g.code for g in criteria_gaps(ctx)} >= {"1.1.2", "2.1"}
    ctx.db.dispose()


def test_a_threshold_gets_its_indicator_and_leaves_the_gaps(cli: Any, tmp_path: Path) -> None:
    assert cli("import", "criteria", str(index_file(tmp_path / "c.xlsx"))).exit_code == 0
    made = cli("criterion", "indicator", "2.1", "ontime", "--name", "Tỷ lệ hồ sơ đúng hạn")
    assert made.exit_code == 0, made.output
    assert "Indicator ontime created" in made.stderr
    assert cli("criterion", "indicator", "1.1.2", "done", "--name", "Hoàn thành kế hoạch",
               "--computed", "plan_completion").exit_code == 0
    gaps = json.loads(cli("criterion", "gaps", "--format", "json").stdout)
    assert not any(g["gap"] == "indicator" for g in gaps)
    assert cli("reading", "add", "ontime", "98,5%", "--date", "31/03/2023").exit_code == 0
    node = json.loads(cli("score", "--format", "json", "--as-of", "01/04/2023").stdout)
    field = next(c for c in node["criteria"] if c["code"] == "2")
    assert next(c for c in field["children"] if c["code"] == "2.1")["secured"] == 2
    refused = cli("criterion", "indicator", "1.1.1", "x", "--name", "X")
    assert refused.exit_code == 2 and "only threshold criteria" in refused.stderr


def test_bad_rows_are_named_and_nothing_is_written(cli: Any, tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[3][2] = "nửa điểm"  # 1.1: points that are not a number (row 6 of the sheet)
    rows[9][2] = 4  # II.1 -> 2.1 worth 4: field II (no points) fine, but total row wrong
    rows[5][2] = "2"  # 1.2 (Báo cáo) worth 2 but a) b) add up to 1: outcomes, fine
    rows[1][2] = 5  # field I worth 5, its criteria add up to 4
    path = index_file(tmp_path / "sai.xlsx", rows)
    for args in ([], ["--dry-run"]):
        result = cli("import", "criteria", str(path), *args)
        assert result.exit_code == 2, result.output
        err = result.stderr
        assert ('sheet "Phụ lục", row 7, column C (Điểm tối đa): "nửa điểm" is not a number '
                "of points") in err
        assert 'sheet "Phụ lục", row 5, column C (Điểm tối đa): 1 is worth 5 but its ' \
               "sub-criteria (rows 6, 9) add up to" in err
        assert "row 19, column C (Điểm tối đa): the total row says 17 but the fields add up" in err
        assert "has no maximum points" not in err
    assert count(cli, "plan") == 0 and count(cli, "criterion") == 0


def test_a_docx_table_is_named_by_its_number(cli: Any, tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[4][0] = "1.x"
    path = index_file(tmp_path / "qd.docx", rows)
    result = cli("import", "criteria", str(path), "--dry-run")
    assert result.exit_code == 2
    assert 'table 1, row 5, column A (STT): "1.x" is not a criterion code' in result.stderr


def test_replace_lists_every_difference_and_keeps_links(seeded: Any, tmp_path: Path) -> None:
    """The 2022 sample's tree replaced by a changed index: the dry run says what changes;
    --replace keeps the rows (and task links) of the codes that stay."""
    seed = SF.load_seed() if hasattr(SF, "load_seed") else None
    del seed
    from planner.io.seedfile import load_seed_file

    table = SF.criteria_table(load_seed_file(SF.SEED))
    rows = [list(r) for r in table.rows]
    titles = [r[1] for r in rows]
    rows[titles.index("Tỷ lệ hồ sơ giải quyết đúng hạn")][2] = "2,5"  # 3.3.1: 3 -> 2.5
    rows[titles.index("Đồng bộ hồ sơ lên Cổng DVC quốc gia")][2] = "1,5"  # 3.3.5: 1 -> 1.5
    drop = titles.index("Họp trực tuyến, hệ thống báo cáo số")  # 7.9 removed ...
    rows[titles.index("Trang thông tin điện tử cập nhật theo quy định")][2] = 2  # ... 7.7 +1
    del rows[drop]
    path = SF.write(tmp_path / "2022b.xlsx", [SF.Table("Bộ chỉ số", rows,
                                                       paragraphs=[p.replace("2023", "2022")
                                                                   for p in table.paragraphs])])
    plain = seeded("import", "criteria", str(path))
    assert plain.exit_code == 2 and "add --replace" in plain.stderr
    dry = seeded("import", "criteria", str(path), "--replace", "--dry-run")
    assert dry.exit_code == 0, dry.output
    out = dry.stdout
    assert "~ 3.3.1    maximum 3 → 2.5" in out
    assert "~ 3.3.5    maximum 1 → 1.5" in out
    assert "- 7.9      Họp trực tuyến, hệ thống báo cáo số (its links to 1 tasks are removed)" \
        in out
    before = json.loads(seeded("export", "tasks", "--format", "json").stdout)
    done = seeded("import", "criteria", str(path), "--replace")
    assert done.exit_code == 0, done.output
    after = {t["code"]: t for t in json.loads(seeded("export", "tasks", "--format",
                                                     "json").stdout)}
    for t in before:
        assert after[t["code"]]["criteria"] == [c for c in t["criteria"] if c != "7.9"]
    score = json.loads(seeded("score", "--format", "json").stdout)
    assert score["totals"]["appraised"]["max"] == 56
    assert seeded("check").exit_code == 0


def test_the_appendix_fills_a_plan_made_from_the_index(offices_only: Any, tmp_path: Path) -> None:
    from planner.io.seedfile import load_seed_file

    seed = load_seed_file(SF.SEED)
    criteria = SF.write(tmp_path / "criteria-2023.xlsx", [SF.criteria_table(seed)])
    appendix = SF.write(tmp_path / "appendix-2023.docx", [SF.appendix_table(seed)])
    assert offices_only("import", "criteria", str(criteria)).exit_code == 0
    result = offices_only("import", "plan", str(appendix))
    assert result.exit_code == 0, result.output
    assert "46 tasks" in result.stderr
    listed = json.loads(offices_only("export", "tasks", "--format", "json").stdout)
    assert len(listed) == 46
    from tests.io.conftest import context_for

    ctx = context_for(offices_only.db)
    with ctx.db.read() as session:
        from sqlmodel import select

        from planner.store.models import Plan

        plan = session.exec(select(Plan)).one()
    assert plan.title == "KẾ HOẠCH Cải cách hành chính năm 2023 của Sở Giáo dục và Đào tạo"
    assert plan.number == "12/KH-SGDĐT"
    assert plan.index_name.startswith("BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH")
    ctx.db.dispose()
