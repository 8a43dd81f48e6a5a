"""`planner tasks` and `planner task …` as a coordinator uses them."""

from __future__ import annotations

import json
from datetime import date, timedelta

from tests.cli.helpers import fingerprint
from tests.conftest import Cli


def tasks_json(cli: Cli, *args: str, as_of: str = "09/05/2022") -> list[dict]:
    result = cli("tasks", "--as-of", as_of, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_rows_carry_the_documented_fields(seeded: Cli) -> None:
    rows = tasks_json(seeded)
    t01 = next(r for r in rows if r["code"] == "T01")
    assert t01["lead"] == "VP"
    assert isinstance(t01["supporting"], list) and "TCCB" in t01["supporting"]
    assert t01["due"] == "2022-01-31"
    assert t01["status"] == "done"
    assert t01["progress"] == 100
    assert "1.1.1" in t01["criteria"]
    assert t01["overdue"] is False
    continuous = next(r for r in rows if r["code"] == "T18")
    assert continuous["due"] is None
    assert any(r["code"] == "T04@2022-03-15" for r in rows)


def test_overdue_filter_lists_only_late_open_work(seeded: Cli) -> None:
    rows = tasks_json(seeded, "--status", "overdue")
    assert {r["code"] for r in rows} == {"T02", "T28", "T30"}
    assert all(r["overdue"] for r in rows)


def test_overdue_depends_on_the_as_of_date(seeded: Cli) -> None:
    result = seeded("tasks", "--as-of", "01/03/2022", "--overdue", "--format", "json")
    assert "T02" not in {r["code"] for r in json.loads(result.stdout)}


def test_office_filter_covers_lead_and_supporting(seeded: Cli) -> None:
    lead_only = {r["code"] for r in tasks_json(seeded, "--lead", "TCCB")}
    either = {r["code"] for r in tasks_json(seeded, "--office", "TCCB")}
    assert "T10" in lead_only and "T03" not in lead_only
    assert lead_only < either
    assert "T03" in either  # VP leads, TCCB supports


def test_office_is_matched_by_name_without_diacritics(seeded: Cli) -> None:
    by_name = {r["code"] for r in tasks_json(seeded, "--lead", "phong to chuc can bo")}
    assert by_name == {r["code"] for r in tasks_json(seeded, "--lead", "TCCB")}


def test_search_ignores_case_and_diacritics(seeded: Cli) -> None:
    titles = [r["title"] for r in tasks_json(seeded, "--search", "cai cach")]
    assert titles and all("cải cách" in t.lower() for t in titles)
    titles = [r["title"] for r in tasks_json(seeded, "--search", "dao tao")]
    assert titles and all("đào tạo" in t.lower() for t in titles)


def test_criterion_filter_includes_sub_criteria(seeded: Cli) -> None:
    codes = {r["code"] for r in tasks_json(seeded, "--criterion", "1.1")}
    assert {"T01", "T03"} <= codes


def test_due_within_lists_open_work_due_soon(seeded: Cli) -> None:
    rows = tasks_json(seeded, "--due-within", "7")
    assert {r["code"] for r in rows} == {"T03"}


def test_csv_output_has_a_header_and_one_row_per_occurrence(seeded: Cli) -> None:
    result = seeded("tasks", "--as-of", "09/05/2022", "--format", "csv")
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("code,title,lead,supporting,due,status")
    assert len(lines) == 1 + len(tasks_json(seeded))


def test_table_shows_overdue_and_counts(seeded: Cli) -> None:
    result = seeded("tasks", "--as-of", "09/05/2022", "--lead", "TCCB")
    assert "T28" in result.stdout and "overdue" in result.stdout
    assert "occurrences as of 09/05/2022" in result.stderr


def test_add_edit_and_complete_a_task(seeded: Cli) -> None:
    added = seeded("task", "add", "Tập huấn nghiệp vụ một cửa", "--lead", "VP", "--support", "TCCB,KHTC",
                   "--due", "Quý III/2022", "--criterion", "3.3.1:2", "--product", "Báo cáo")
    assert added.exit_code == 0, added.output
    code = added.stdout.strip()
    shown = json.loads(seeded("task", "show", code, "--format", "json").stdout)
    assert shown["due"] == "2022-09-30"
    assert shown["supporting"] == ["TCCB", "KHTC"]
    assert shown["criteria"] == [{"code": "3.3.1", "weight": 2.0}]
    edited = seeded("task", "edit", code, "--due", "30/6/2022", "--support", "GDTrH")
    assert edited.exit_code == 0, edited.output
    shown = json.loads(seeded("task", "show", code, "--format", "json").stdout)
    assert shown["due"] == "2022-06-30" and shown["supporting"] == ["GDTrH"]
    done = seeded("task", "done", code, "--on", "20/06/2022")
    assert done.exit_code == 0, done.output
    shown = json.loads(seeded("task", "show", code, "--format", "json").stdout)
    assert shown["status"] == "done"
    assert [h["action"] for h in shown["history"]] == ["task.add", "task.edit", "task.done"]


def test_recurring_occurrence_is_done_on_its_own(seeded: Cli) -> None:
    result = seeded("task", "done", "T04@2022-06-15", "--on", "10/06/2022")
    assert result.exit_code == 0, result.output
    rows = {r["code"]: r for r in tasks_json(seeded, "--search", "T04", as_of="30/06/2022")}
    assert rows["T04@2022-06-15"]["status"] == "done"
    before = {r["code"]: r for r in tasks_json(seeded, "--search", "T04", as_of="09/06/2022")}
    assert before["T04@2022-06-15"]["status"] == "in_progress"
    assert rows["T04@2022-09-15"]["status"] == "not_started"


def test_the_note_of_a_status_change_is_in_the_history(seeded: Cli) -> None:
    result = seeded("task", "done", "T04@2022-06-15", "--note", "Báo cáo số 12/BC-SGDĐT đã gửi")
    assert result.exit_code == 0, result.output
    shown = seeded("task", "show", "T04")
    assert "T04@2022-06-15 marked done" in shown.output
    assert "note: Báo cáo số 12/BC-SGDĐT đã gửi" in shown.output
    log = seeded("log", "--task", "T04", "--format", "json")
    assert "Báo cáo số 12/BC-SGDĐT đã gửi" in log.output
    assert seeded("check").exit_code == 0  # the note in the log image is no difference


def test_done_on_a_recurring_task_names_its_occurrences(seeded: Cli) -> None:
    result = seeded("task", "done", "T04")
    assert result.exit_code == 2
    assert "T04@2022-06-15" in result.stderr


def test_cancel_and_reopen(seeded: Cli) -> None:
    assert seeded("task", "cancel", "T26").exit_code == 0
    assert tasks_json(seeded, "--search", "T26")[0]["status"] == "cancelled"
    again = seeded("task", "cancel", "T26")
    assert again.exit_code == 2 and "already" in again.stderr
    assert seeded("task", "reopen", "T26").exit_code == 2  # the reason is required
    assert seeded("task", "reopen", "T26", "--reason", "cancelled by mistake").exit_code == 0
    assert tasks_json(seeded, "--search", "T26")[0]["status"] == "in_progress"


def test_delete_asks_and_keeps_the_task_in_the_log(seeded: Cli) -> None:
    refused = seeded("task", "delete", "T26", input="n\n")
    assert refused.exit_code != 0
    assert any(r["code"] == "T26" for r in tasks_json(seeded))
    deleted = seeded("task", "delete", "T26", "--yes")
    assert deleted.exit_code == 0, deleted.output
    assert not any(r["code"] == "T26" for r in tasks_json(seeded))
    log = json.loads(seeded("log", "--format", "json").stdout)
    last = log[-1]
    assert last["action"] == "task.delete" and last["before"]["code"] == "T26"


def test_stale_version_is_a_conflict(seeded: Cli) -> None:
    version = json.loads(seeded("task", "show", "T03", "--format", "json").stdout)["version"]
    assert seeded("task", "edit", "T03", "--progress", "50", "--if-version", str(version)).exit_code == 0
    before = fingerprint(seeded.db)
    late = seeded("task", "edit", "T03", "--progress", "60", "--if-version", str(version))
    assert late.exit_code == 3
    assert "changed by someone else" in late.stderr
    assert fingerprint(seeded.db) == before


def test_overdue_and_due_within_prefilters_keep_every_matching_row(seeded: Cli) -> None:
    """The SQL prefilters (tasks and dated occurrences) keep exactly the rows the full list
    marks overdue or due in the window, on any day, before and after the plan year's end."""
    for as_of in ("01/02/2022", "09/05/2022", "16/08/2022", "31/12/2022", "15/01/2023"):
        everything = tasks_json(seeded, as_of=as_of)
        overdue = tasks_json(seeded, "--overdue", as_of=as_of)
        assert overdue == [r for r in everything if r["overdue"]], as_of
        day, month, year = (int(p) for p in as_of.split("/"))
        start = date(year, month, day)
        window = tasks_json(seeded, "--due-within", "30", as_of=as_of)
        assert window == [r for r in everything if r["due"] and r["status"] != "done"
                          and start <= date.fromisoformat(r["due"]) <= start + timedelta(days=30)]
    # After the plan year, the continuous tasks still open are overdue too.
    late = tasks_json(seeded, "--overdue", as_of="15/01/2023")
    assert any(r["due"] is None for r in late)
