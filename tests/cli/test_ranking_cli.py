"""`planner ranking import/show` and the rank `planner whatif` estimates from it: a coordinator
imports last year's published ranking (CSV or a workbook, Vietnamese headers, decimal comma),
sees it, and the what-if places the projected score among the other units' scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import fingerprint
from tests.conftest import ROOT, Cli

SAMPLE = ROOT / "seed" / "ranking-2021.csv"
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_sample_ranking_imports_and_shows_our_unit_19th_of_20(seeded: Cli) -> None:
    imported = seeded("ranking", "import", str(SAMPLE))
    assert imported.exit_code == 0, imported.output
    assert "Ranking of 2021 imported for the plan 2022: 20 units, scores of appraised points." \
        in imported.stdout
    # Our unit found from the plan's agency ("SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG").
    assert "Our unit: Sở Giáo dục và Đào tạo, 41.93 points, rank 19 of 20." in imported.stdout
    shown = seeded("ranking", "show")
    assert shown.exit_code == 0, shown.output
    assert "Ranking of 2021 (appraised points / 56.00) — 20 units" in shown.stdout
    line = next(ln for ln in shown.stdout.splitlines() if "Giáo dục" in ln)
    assert line.split()[0] == "19" and "41.93" in line and "our unit" in line
    assert shown.stdout.splitlines()[1].split()[:3] == ["Rank", "Department", "Points"]
    data = json.loads(seeded("ranking", "show", "--year", "2021", "--format", "json").stdout)
    assert [u["rank"] for u in data["units"]] == list(range(1, 21))
    assert data["units"][0] == {"rank": 1, "unit": "Sở Nội vụ", "score": 47.85, "ours": False}
    # The published scores are within about 6 points (DOMAIN.md).
    scores = [u["score"] for u in data["units"]]
    assert 5 <= max(scores) - min(scores) <= 7
    # Imported again: the year's table is replaced, not doubled.
    again = seeded("ranking", "import", str(SAMPLE))
    assert "It replaces the 20 rows of the earlier table of 2021." in again.stdout
    assert len(json.loads(seeded("ranking", "show", "--format", "json").stdout)["units"]) == 20
    log = seeded("log", "--limit", "3")
    assert "ranking of 2021 imported from ranking-2021.csv: 20 units, our rank 19" in log.stdout
    # Every row written is accounted for by the change log.
    checked = seeded("check")
    assert checked.exit_code == 0 and "No problems found" in checked.stdout, checked.output


@sqlite_only
def test_a_workbook_in_english_without_ranks_gets_ranks_from_the_scores(seeded: Cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["City ranking 2021"])  # a title above the header
    sheet.append([])
    sheet.append(["No.", "Unit", "Score"])
    sheet.append([1, "Department of Justice", 47.5])
    sheet.append([2, "Department of Finance", "46,25"])
    sheet.append([3, "Department of Health", 46.25])  # a tie shares the rank
    sheet.append([4, "So Giao duc va Dao tao", "41,93"])
    path = tmp_path / "ranking.xlsx"
    book.save(path)
    result = seeded("ranking", "import", str(path), "--ours", "sở giáo dục và đào tạo")
    assert result.exit_code == 0, result.output
    assert "Our unit: So Giao duc va Dao tao, 41.93 points, rank 4 of 4." in result.stdout
    data = json.loads(seeded("ranking", "show", "--format", "json").stdout)
    assert [(u["rank"], u["score"]) for u in data["units"]] == [(1, 47.5), (2, 46.25), (2, 46.25), (4, 41.93)]
    assert data["part"] == "appraised"


@sqlite_only
def test_a_whole_index_table_is_told_by_its_maximum(seeded: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", "Đơn vị;Tổng điểm;Điểm tối đa\nSở Tư pháp;88,5;100\n"
                                     "Sở Giáo dục và Đào tạo;80,1;100\n")
    result = seeded("ranking", "import", str(path), "--year", "2020")
    assert result.exit_code == 0, result.output
    assert "scores of the whole index" in result.stdout
    data = json.loads(seeded("ranking", "show", "--year", "2020", "--format", "json").stdout)
    assert data["part"] == "all" and data["max_points"] == 100


REFUSALS = {
    "empty.csv": ("", "the file is empty"),
    "no-score.csv": ("Đơn vị;Ghi chú\nSở Tư pháp;x\n", "no header row names the unit and score columns"),
    "word.csv": ("Đơn vị;Điểm\nSở Tư pháp;47,1\nSở Giáo dục và Đào tạo;khá\n",
                 'word.csv, row 3, column Điểm: "khá" is not a number.'),
    "negative.csv": ("Đơn vị;Điểm\nSở Tư pháp;-1\nSở Giáo dục và Đào tạo;41,93\n",
                     "negative.csv, row 2, column Điểm: the score -1 is negative."),
    "above.csv": ("Đơn vị;Điểm\nSở Tư pháp;57\nSở Giáo dục và Đào tạo;41,93\n",
                  "above.csv, row 2, column Điểm: the score 57 is above the maximum of 56 points"),
    "twice.csv": ("Đơn vị;Điểm\nSở Tư pháp;47\nSở Giáo dục và Đào tạo;41,93\nSở tư pháp;46\n",
                  'twice.csv, row 4, column Đơn vị: "Sở tư pháp" is listed twice (also row 2).'),
    "notours.csv": ("Đơn vị;Điểm\nSở Tư pháp;47\nSở Y tế;41,93\n",
                    'notours.csv: no row is our unit "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG"'),
    "badrank.csv": ("Đơn vị;Điểm;Xếp hạng\nSở Tư pháp;47;1\nSở Giáo dục và Đào tạo;41,93;thứ 2\n",
                    'badrank.csv, row 3, column Xếp hạng: "thứ 2" is not a rank'),
    "control.csv": ("Đơn vị;Điểm\nSở Tư pháp\x1b[31m;47\nSở Giáo dục và Đào tạo;41,93\n",
                    "contains control characters"),
}


@sqlite_only
def test_each_bad_file_is_refused_naming_file_row_and_column_and_nothing_changes(
        seeded: Cli, tmp_path: Path) -> None:
    assert seeded("ranking", "import", str(SAMPLE)).exit_code == 0
    before = fingerprint(seeded.db)
    for name, (content, message) in REFUSALS.items():
        path = write(tmp_path / name, content)
        result = seeded("ranking", "import", str(path))
        assert result.exit_code == 2, (name, result.output)
        assert message in result.stderr, (name, result.stderr)
        assert fingerprint(seeded.db) == before, name
    # Our unit ambiguous: two rows contain the name given.
    path = write(tmp_path / "two.csv", "Đơn vị;Điểm\nSở Giáo dục và Đào tạo;41,93\n"
                                       "Sở Giáo dục và Đào tạo (cũ);40\n")
    result = seeded("ranking", "import", str(path), "--ours", "Giáo dục")
    assert result.exit_code == 2
    assert '"Giáo dục" could be rows 2, 3' in result.stderr
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"\x00\x01\x02 not a workbook")
    refused = seeded("ranking", "import", str(broken))
    assert refused.exit_code == 2 and "broken.xlsx is not an .xlsx workbook" in refused.stderr
    missing = seeded("ranking", "import", str(tmp_path / "nowhere.csv"))
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    # The earlier table is still the one shown.
    assert "41.93" in seeded("ranking", "show").stdout
    assert fingerprint(seeded.db) == before


@sqlite_only
def test_only_a_coordinator_imports_a_ranking(seeded: Cli) -> None:
    before = fingerprint(seeded.db)
    denied = seeded("ranking", "import", str(SAMPLE), user="vp")
    assert denied.exit_code == 4, denied.output
    assert "Permission denied: importing the ranking of the units" in denied.stderr
    assert fingerprint(seeded.db) == before
    none = seeded("ranking", "show")
    assert none.exit_code == 2 and "has no ranking of 2021" in none.stderr


def test_whatif_estimates_the_rank_against_the_other_units(seeded: Cli, tmp_path: Path) -> None:
    # Without a table: as before.
    plain = seeded("whatif", "T28", "T36", "--done-by", "30/06/2022")
    assert "Rank: no ranking data." in plain.stdout
    # Others scored around what the plan projects (51.75 appraised as of 30/06, 52.75 with
    # T28 and T36 done): delivering them passes two units.
    path = write(tmp_path / "close.csv", "Đơn vị;Điểm;Xếp hạng\nSở Nội vụ;54;1\nSở Tư pháp;53;2\n"
                                         "Sở Tài chính;52,5;3\nSở Y tế;52;4\nSở Xây dựng;50;5\n"
                                         "Sở Giáo dục và Đào tạo;41,93;6\n")
    assert seeded("ranking", "import", str(path)).exit_code == 0
    before = fingerprint(seeded.db)
    shown = seeded("whatif", "T28", "T36", "--done-by", "30/06/2022")
    assert shown.exit_code == 0, shown.output
    assert "Rank in 2021: 6 of 6." in shown.stdout
    assert "Estimated rank: 5 → 3 of 6 (projected 51.75 → 52.75" in shown.stdout
    assert "an estimate against last year's scores" in shown.stdout
    data = json.loads(seeded("whatif", "T28", "T36", "--done-by", "30/06/2022", "--format", "json").stdout)
    rank = data["rank"]
    assert (rank["last_year"], rank["before"], rank["after"], rank["of"]) == (6, 5, 3, 6)
    assert (rank["year"], rank["part"], rank["estimate"]) == (2021, "appraised", True)
    assert rank["projected_after"] == pytest.approx(total_projected(data, "appraised"))
    # Never doing them instead moves nothing down here (already counted as missed by 01/07).
    worse = json.loads(seeded("whatif", "T01", "--never", "--format", "json").stdout)["rank"]
    assert worse["after"] >= worse["before"]
    assert fingerprint(seeded.db) == before


def test_with_a_criterion_not_applicable_the_rank_compares_the_comparable_score(
        seeded: Cli, tmp_path: Path) -> None:
    """The index rescales a unit's points when criteria do not apply to it (the comparable
    score): the estimate places that figure, not the raw one, among the others."""
    path = write(tmp_path / "close.csv", "Đơn vị;Điểm;Xếp hạng\nSở Nội vụ;54;1\nSở Tư pháp;53;2\n"
                                         "Sở Tài chính;52,5;3\nSở Y tế;52;4\nSở Xây dựng;50;5\n"
                                         "Sở Giáo dục và Đào tạo;41,93;6\n")
    assert seeded("ranking", "import", str(path)).exit_code == 0
    assert seeded("criterion", "applicable", "1.5", "no").exit_code == 0
    data = json.loads(seeded("whatif", "T28", "T36", "--done-by", "30/06/2022",
                             "--format", "json").stdout)
    rank = data["rank"]
    raw = total_projected(data, "appraised")
    na = 1.0  # 1.5 recognised reform initiative: 1 point
    assert rank["projected_after"] == pytest.approx(raw * 56 / (56 - na), abs=1e-3)
    assert rank["projected_after"] > raw
    text = seeded("whatif", "T28", "T36", "--done-by", "30/06/2022").stdout
    assert "The projected scores are the comparable ones" in text


def total_projected(data: dict, scope: str) -> float:
    row = next(r for r in data["figures"] if r["scope"] == scope)
    return float(row["after"]["projected"])


@sqlite_only
def test_deleting_the_plan_deletes_its_ranking(seeded: Cli) -> None:
    assert seeded("ranking", "import", str(SAMPLE)).exit_code == 0
    deleted = seeded("plan", "delete", "2022", "--yes", "--force")
    assert deleted.exit_code == 0, deleted.output
    from tests.cli.helpers import count

    assert count(seeded.db, "ranking_entry") == 0
    assert seeded("check").exit_code == 0
