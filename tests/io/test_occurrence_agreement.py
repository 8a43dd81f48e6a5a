"""The seed loader, the plan import (`--into-existing`), the task service and `planner check`
give a recurring task the same occurrences: the rule's dates within the plan's own period,
from the task's start (issue 14: one domain function answers for all of them)."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from io_workbooks import HEADER, build_plan_workbook

from planner.domain.schedule import task_occurrence_dates
from tests.conftest import Cli

SEED = """\
[plan]
year = 2022
title = "Kế hoạch cải cách hành chính năm 2022"
agency = "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG"
starts_on = {starts_on}
ends_on = {ends_on}

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
title = "Báo cáo CCHC"
lead = "VP"
due = "{rule}"
{start}criteria = {{ "1.1" = 1.0 }}
"""

# The header with a start column after the deadline.
START_HEADER = [*HEADER[:5], "Ngày bắt đầu", *HEADER[5:]]
RULES = ["Hằng tháng", "Hằng quý", "Định kỳ", "Hằng tuần"]


def _occurrences(db: Path, code: str) -> list[date]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT o.due_on FROM occurrence o JOIN task t ON t.id = o.task_id "
            "WHERE t.code = ? ORDER BY o.due_on", (code,)).fetchall()
    return [date.fromisoformat(d) for (d,) in rows]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rule=st.sampled_from(RULES),
    starts_on=st.dates(min_value=date(2022, 1, 1), max_value=date(2022, 3, 31)),
    length=st.integers(min_value=60, max_value=330),
    start_offset=st.one_of(st.none(), st.integers(min_value=-20, max_value=50)),
)
def test_seed_import_service_and_check_agree(rule: str, starts_on: date, length: int,
                                             start_offset: int | None) -> None:
    ends_on = starts_on + timedelta(days=length)
    start = None if start_offset is None else starts_on + timedelta(days=start_offset)
    expected = list(task_occurrence_dates(rule, plan_starts_on=starts_on, plan_ends_on=ends_on,
                                          task_starts_on=start))
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        cli = Cli(str(home / "planner.db"), CliRunner())
        seed = home / "plan.toml"
        seed.write_text(SEED.format(
            starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat(), rule=rule,
            start=f"start = {start.isoformat()}\n" if start else ""), encoding="utf-8")
        loaded = cli("seed", "load", str(seed))
        assert loaded.exit_code == 0, loaded.output
        # The import: the same rule and start, into the plan the seed made.
        row = ("T02", "Báo cáo CCHC bổ sung", "TCCB", "", rule,
               start.strftime("%d/%m/%Y") if start else "", "Báo cáo", "1.1", "")
        book = build_plan_workbook(home / "bo-sung.xlsx", [("I", "CÔNG TÁC CHỈ ĐẠO"), row],
                                   header=START_HEADER)
        imported = cli("import", "plan", str(book), "--into-existing")
        assert imported.exit_code == 0, imported.output
        assert _occurrences(home / "planner.db", "T01") == expected
        assert _occurrences(home / "planner.db", "T02") == expected
        # The task service: a task added with the same rule and start.
        args = ["task", "add", "Báo cáo CCHC thêm", "--lead", "VP", "--due", rule]
        added = cli(*args, *(["--start", start.strftime("%d/%m/%Y")] if start else []))
        assert added.exit_code == 0, added.output
        assert _occurrences(home / "planner.db", "T03") == expected
        check = cli("check")
        assert check.exit_code == 0, check.output
