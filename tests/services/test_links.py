"""Links from tasks to criteria: suggestions, accepting them, and how often they are right."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from planner.domain.link_suggest import CriterionText, Suggester, TaskText, field_of_section

ROOT = Path(__file__).resolve().parents[2]
#: The measured figures (docs/performance.md) with a margin: a change that makes the
#: suggestions worse on the sample plan fails here.
FLOOR_FIRST, FLOOR_TOP_THREE = 0.90, 0.92
FLOOR_FIRST_SECTIONS, FLOOR_TOP_THREE_SECTIONS = 0.93, 0.95


def _bench() -> Any:
    for folder in (ROOT / "scripts",):
        sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location("bench_links", ROOT / "scripts" / "bench_links.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_links"] = module
    spec.loader.exec_module(module)
    return module


def test_suggestions_on_the_sample_plan_stay_above_their_floor(tmp_path: Path) -> None:
    bench = _bench()
    words = bench.measure(tmp_path / "a.db", sections=False)
    assert words.tasks == 46
    assert words.first / words.tasks >= FLOOR_FIRST, words
    assert words.top_three / words.tasks >= FLOOR_TOP_THREE, words
    sections = bench.measure(tmp_path / "b.db", sections=True)
    assert sections.first / sections.tasks >= FLOOR_FIRST_SECTIONS, sections
    assert sections.top_three / sections.tasks >= FLOOR_TOP_THREE_SECTIONS, sections


CRITERIA = [
    CriterionText("1.1", "Ban hành kế hoạch CCHC", "", "", "1"),
    CriterionText("3.1", "Rà soát, đơn giản hóa thủ tục hành chính", "", "", "3"),
    CriterionText("3.2", "Tỷ lệ hồ sơ tiếp nhận qua dịch vụ bưu chính công ích",
                  "Từ 30% trở lên: 1,5 điểm", "Cơ chế một cửa", "3"),
    CriterionText("7.1", "Dịch vụ công trực tuyến", "", "", "7"),
]
FIELDS = [("1", "Công tác chỉ đạo, điều hành CCHC"), ("3", "Cải cách thủ tục hành chính"),
          ("7", "Chính quyền điện tử, chính quyền số")]


def test_words_are_compared_without_diacritics_syllable_by_syllable() -> None:
    engine = Suggester(CRITERIA, FIELDS)
    found = engine.suggest(TaskText("T1", "Ky thoa thuan voi Buu dien ve buu chinh cong ich"))
    assert found[0].criterion == "3.2"
    assert not found[0].by_section


def test_the_section_points_to_its_field() -> None:
    engine = Suggester(CRITERIA, FIELDS)
    assert field_of_section("II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", FIELDS) == "3"
    assert field_of_section("VII. Nhiệm vụ khác", FIELDS) == "7"  # by its numeral
    task = TaskText("T2", "Tổ chức triển khai", section="II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH")
    found = engine.suggest(task)
    assert {s.criterion for s in found} == {"3.1", "3.2"}
    assert all(s.by_section for s in found)


def _links(cli: Any) -> dict[str, list[str]]:
    return {t["code"]: t["criteria"]
            for t in json.loads(cli("export", "tasks", "--format", "json").stdout)}


def test_suggest_then_accept_from_the_command_line(seeded: Any) -> None:
    engine = create_engine(
        seeded.db if "://" in seeded.db else f"sqlite:///{seeded.db}", poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM task_criterion WHERE task_id IN "
                          "(SELECT id FROM task WHERE code IN ('T05', 'T09', 'T11'))"))
    engine.dispose()
    listed = seeded("links", "suggest", "--format", "json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert sorted({r["task"] for r in rows}) == ["T05", "T09", "T11"]
    first = {r["task"]: r for r in rows if r["rank"] == 1}
    assert first["T05"]["criterion"] == "3.3.3"
    text_out = seeded("links", "suggest")
    assert "3 tasks without a link" in text_out.stderr
    # One task by hand, with a typed weight; the rest above a score.
    done = seeded("links", "accept", "T11", "5.4", "4.3", "--weight", "0.5")
    assert done.exit_code == 0, done.output
    assert _links(seeded)["T11"] == ["4.3:0.5", "5.4:0.5"]
    above = seeded("links", "accept", "--all-above", str(first["T09"]["score"]))
    assert above.exit_code == 0, above.output
    links = _links(seeded)
    assert links["T05"][0] == "3.3.3" and links["T09"]
    assert seeded("links", "suggest").stdout.strip() == "Every task is linked to a criterion."
    # Equal weights when none is typed; an unknown criterion is refused, nothing written.
    bad = seeded("links", "accept", "T01", "9.9")
    assert bad.exit_code == 2 and 'Unknown criterion "9.9"' in bad.stderr
    # The links deleted above went behind planner's back, and `check` says so.
    checked = seeded("check")
    assert checked.exit_code == 1 and "deleted behind planner's back" in checked.output


def test_only_a_coordinator_links(seeded: Any) -> None:
    refused = seeded("links", "accept", "T01", "1.4", user="tccb")
    assert refused.exit_code == 4
