"""`planner check`: a clean database passes; tampering, damage and broken references do not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def check(cli: Any) -> tuple[int, str]:
    result = cli("check")
    return result.exit_code, result.stdout


def test_a_clean_database_has_no_problems(seeded) -> None:
    # Changes made through planner are logged with their after-images, which match.
    for args in (["task", "done", "T03", "--on", "12/05/2022"],
                 ["task", "edit", "T05", "--title", "Ký thỏa thuận với Bưu điện thành phố",
                  "--support", "KTKĐ,GDTrH,TTr"],
                 ["task", "done", "T04@2022-06-15", "--on", "14/06/2022"],
                 ["office", "edit", "TCCB", "--head", "Nguyễn Văn Bình"],
                 ["evidence", "add", "T03", "--doc", "123/QĐ-SGDĐT", "--date", "12/05/2022"]):
        result = seeded(*args)
        assert result.exit_code == 0, result.output
    code, out = check(seeded)
    assert code == 0, out
    assert "No problems found" in out
    assert "rows compared with their logged image" in out
    data = json.loads(seeded("check", "--format", "json").stdout)
    assert data["ok"] is True and data["problems"] == []
    assert data["checked"]["rows"] >= 3


def test_a_row_updated_behind_planners_back(seeded, engine: Any) -> None:
    assert seeded("task", "edit", "T05", "--title", "Thỏa thuận với Bưu điện").exit_code == 0
    assert check(seeded)[0] == 0
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE task SET title = 'Đã sửa trộm', due_on = '2022-12-31' "
                             "WHERE code = 'T05'")
        # A row loaded with the whole plan is compared with the digest the load logged.
        conn.exec_driver_sql("UPDATE task SET title = 'Không có nhật ký' WHERE code = 'T06'")
    result = seeded("check")
    assert result.exit_code == 1
    assert "problems found" in result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("[row]")]
    assert len(lines) == 3
    t05 = [line for line in lines if line.startswith("[row] task T05")]
    assert len(t05) == 2
    assert any('title is "Đã sửa trộm" in the database but "Thỏa thuận với Bưu điện"' in line
               for line in t05)
    assert any("due_on" in line for line in t05)
    assert all("behind planner's back" in line for line in lines)
    t06 = [line for line in lines if line.startswith("[row] task T06")]
    assert len(t06) == 1 and "differs from its image in change-log entry" in t06[0]
    assert "(plan.load by coordinator" in t06[0]


def test_support_rows_inserted_behind_planners_back(seeded, engine: Any) -> None:
    assert seeded("task", "edit", "T03", "--support", "TCCB,KHTC").exit_code == 0
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO task_support (task_id, office_id) SELECT t.id, o.id FROM task t, office o "
            "WHERE t.code = 'T03' AND o.code = 'TTr'")
    code, out = check(seeded)
    assert code == 1
    assert '[row] task T03' in out and "supporting is" in out and '"TTr"' in out


def test_a_deleted_row_and_a_deleted_task(seeded, engine: Any) -> None:
    # Evidence deleted with its task through planner is fine.
    added = seeded("evidence", "add", "T03", "--doc", "123/QĐ-SGDĐT", "--date", "12/05/2022")
    assert added.exit_code == 0, added.output
    assert seeded("task", "delete", "T03", "--yes").exit_code == 0
    assert check(seeded)[0] == 0
    # An office deleted in SQL after being logged is not.
    assert seeded("office", "add", "CNTT", "--name", "Phòng Công nghệ thông tin").exit_code == 0
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM office WHERE code = 'CNTT'")
    code, out = check(seeded)
    assert code == 1
    assert "[row] office CNTT" in out and "the row is gone" in out


def test_review_state_changed_behind_planners_back(seeded, engine: Any) -> None:
    """A taken-back acceptance is consistent; an UPDATE of the state alone is not, even on
    evidence loaded by the seed (which has no logged image of its own)."""
    rows = json.loads(seeded("evidence", "list", "--format", "json").stdout)
    plan_doc = next(r["id"] for r in rows if r["target"] == "T01")
    rejected = next(r["id"] for r in rows if r["state"] == "rejected")
    assert seeded("evidence", "reopen", str(plan_doc), "--reason", "Nhầm").exit_code == 0
    assert check(seeded)[0] == 0
    with engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE evidence SET state = 'accepted' WHERE id = {rejected}")
    code, out = check(seeded)
    assert code == 1
    assert f"[reference] evidence {rejected}: is accepted but its last review (07/02/2022) made " \
           "it rejected" in out


def test_a_corrected_reading_changed_again_in_sql(seeded, engine: Any) -> None:
    readings = json.loads(seeded("reading", "list", "--format", "json").stdout)
    first = readings[0]["id"]
    assert seeded("reading", "edit", str(first), "--value", "99%", "--reason", "Sai số").exit_code == 0
    assert check(seeded)[0] == 0
    with engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE reading SET value = 100 WHERE id = {first}")
    code, out = check(seeded)
    assert code == 1
    assert "[row] reading" in out and "value is 100" in out


def test_a_tampered_log_entry(seeded, engine: Any) -> None:
    assert seeded("task", "done", "T03", "--on", "12/05/2022").exit_code == 0
    assert seeded("task", "edit", "T05", "--title", "Thỏa thuận").exit_code == 0
    with engine.begin() as conn:
        first = conn.exec_driver_sql(
            "SELECT min(id) FROM change_log WHERE action = 'task.done'").scalar()
        conn.exec_driver_sql(f"UPDATE change_log SET actor = 'mallory' WHERE id = {first}")
    code, out = check(seeded)
    assert code == 1
    assert f"[log] change-log entry {first} (task.done T03): its content does not match its hash" in out


def test_a_deleted_log_entry_breaks_the_chain(seeded, engine: Any) -> None:
    for code_ in ("T03", "T05", "T07"):
        assert seeded("task", "start", code_).exit_code == 0
    with engine.begin() as conn:
        middle = conn.exec_driver_sql(
            "SELECT id FROM change_log WHERE label = 'T05'").scalar()
        conn.exec_driver_sql(f"DELETE FROM change_log WHERE id = {middle}")
    code, out = check(seeded)
    assert code == 1
    assert "does not follow entry" in out
    assert "(task.in_progress T07)" in out


def test_a_corrupted_blob(seeded, engine: Any, tmp_path: Path) -> None:
    scan = tmp_path / "quyet-dinh.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    added = seeded("evidence", "add", "T03", "--file", str(scan))
    assert added.exit_code == 0, added.output
    assert check(seeded)[0] == 0
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("UPDATE blob SET content = overlay(content placing "
                                 "'\\x00000000'::bytea from 100)")
        else:
            conn.exec_driver_sql("UPDATE blob SET content = CAST(substr(content, 1, 99) "
                                 "|| x'00000000' || substr(content, 104) AS BLOB)")
    code, out = check(seeded)
    assert code == 1
    assert "[blob] blob " in out and "does not match its SHA-256" in out


def test_broken_references(seeded, engine: Any) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        # An occurrence of a recurring task removed, one added off its rule.
        conn.exec_driver_sql(
            "DELETE FROM occurrence WHERE id = (SELECT min(o.id) FROM occurrence o "
            "JOIN task t ON t.id = o.task_id WHERE t.code = 'T06' AND o.id NOT IN "
            "(SELECT occurrence_id FROM evidence WHERE occurrence_id IS NOT NULL) AND o.id NOT IN "
            "(SELECT occurrence_id FROM status_event WHERE occurrence_id IS NOT NULL))")
        conn.exec_driver_sql(
            "INSERT INTO occurrence (task_id, due_on, status, progress, version) "
            "SELECT id, '2022-07-04', 'not_started', 0, 1 FROM task WHERE code = 'T06'")
        # A task linked to a criterion that is a child of itself.
        conn.exec_driver_sql("UPDATE criterion SET parent_id = id WHERE code = '1.5'")
    code, out = check(seeded)
    assert code == 1
    assert "[reference] task T06 (2022): occurrences missing for 31/05/2022" in out
    assert "occurrences on 04/07/2022 do not follow its rule" in out
    assert "[reference] criterion 1.5: its parents form a cycle" in out


@pytest.fixture
def sqlite_url(db_path: Path) -> str:
    return str(db_path)


def test_sqlite_integrity_and_foreign_keys(db_path: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from planner.cli import cli as planner_cli

    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(planner_cli, ["--db", str(db_path), *args], catch_exceptions=False)

    root = Path(__file__).resolve().parents[2]
    assert run("seed", "load", str(root / "seed" / "plan-2022.toml")).exit_code == 0
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE task_support SET office_id = 999 WHERE rowid = 1")
    conn.commit()
    conn.close()
    result = run("check")
    assert result.exit_code == 1
    assert "[sqlite] task_support rowid 1: refers to a row of office that does not exist" in result.stdout
    assert "a supporting office (id 999) does not exist" in result.stdout
