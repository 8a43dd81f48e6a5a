"""Removing a mistaken import or a whole plan: dry run, refusal of work done since, backup
first, and afterwards a database that answers as it did before the import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import cli as planner_cli
from tests.cli.helpers import fingerprint
from tests.conftest import Cli, postgres_database
from tests.io.io_workbooks import build_plan_workbook

EXTRA = [("I", "CÔNG TÁC CHỈ ĐẠO"),
         ("N1", "Nhiệm vụ bổ sung giữa năm", "VP", "TCCB", "Quý III/2022", "Báo cáo (BC)", "1.4", ""),
         ("N2", "Báo cáo nhanh hằng quý", "Phòng Pháp chế", "VP", "Hằng quý", "Báo cáo (BC)", "1.4", "")]
NEXT_YEAR = [("I", "CÔNG TÁC CHỈ ĐẠO"),
             (1, "Ban hành Kế hoạch CCHC năm 2023", "VP", "TCCB", "31/01/2023", "Kế hoạch (KH)", "", "")]


def answers(cli: Cli, *plan: str) -> tuple[str, str]:
    """What a user reads of the plan: every task, and the score."""
    tasks = cli(*plan, "tasks", "--format", "json")
    score = cli(*plan, "score", "--format", "json")
    assert tasks.exit_code == 0 and score.exit_code == 0, tasks.output + score.output
    rows = json.loads(tasks.stdout)
    for row in rows:  # PostgreSQL returns supporting offices in no particular order
        row["supporting"] = sorted(row["supporting"])
    return json.dumps(rows), score.stdout


def backups(cli: Cli, tmp_path: Path) -> list[Path]:
    """Backups beside a SQLite file, or in the data directory for a server."""
    home = Path.home()
    return sorted([*tmp_path.glob("*.before-*.bak"), *home.rglob("planner-before-*.db")])


def restored_answers(cli: Cli, backup: Path, *plan: str) -> tuple[str, str]:
    """The answers of the backup, put back the way the undo's message says."""
    if not cli.db.startswith("postgresql"):
        copy = Cli(str(backup.with_name("restored.db")), CliRunner())
        assert copy("restore", str(backup), "--yes").exit_code == 0
        return answers(copy, *plan)
    with postgres_database() as url:
        put_back = CliRunner().invoke(planner_cli, ["--db", str(backup), "db", "copy", url])
        assert put_back.exit_code == 0, put_back.output
        return answers(Cli(url, CliRunner()), *plan)


def import_extra(cli: Cli, tmp_path: Path) -> None:
    path = build_plan_workbook(tmp_path / "bo-sung.xlsx", EXTRA)
    result = cli("import", "plan", str(path), "--into-existing", "--create-offices")
    assert result.exit_code == 0, result.output


def test_import_then_undo_gives_back_the_plan_as_it_was(seeded: Cli, tmp_path: Path) -> None:
    before = answers(seeded)
    import_extra(seeded, tmp_path)
    assert answers(seeded) != before
    imports = json.loads(seeded("import", "list", "--format", "json").stdout)
    assert [(i["file"], i["tasks"], i["undone_by"]) for i in imports] == [("bo-sung.xlsx", 2, None)]
    # The dry run lists exactly what would go, and writes nothing.
    untouched = fingerprint(seeded.db)
    dry = seeded("import", "undo", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Import #" in dry.stdout and "bo-sung.xlsx" in dry.stdout
    assert "N1" in dry.stdout and "N2" in dry.stdout and "T01" not in dry.stdout
    data = json.loads(seeded("import", "undo", "--dry-run", "--format", "json").stdout)
    (created,) = data["offices"]  # the code the import gave "Phòng Pháp chế"
    assert f"Offices the import created, used by nothing else: {created}." in dry.stdout
    assert data["counts"]["tasks"] == 2 and data["counts"]["occurrences"] == 4
    assert data["counts"]["criteria_links"] == 2 and data["removes_plan"] is False
    assert fingerprint(seeded.db) == untouched and not backups(seeded, tmp_path)
    # For real: a backup first, then the plan answers as before the import.
    done = seeded("import", "undo", "--yes")
    assert done.exit_code == 0, done.output
    assert "Backup written to" in done.stderr
    assert answers(seeded) == before
    offices = [o["office"] for o in json.loads(seeded("offices", "--format", "json").stdout)]
    assert created not in offices
    assert seeded("check").exit_code == 0
    log = json.loads(seeded("log", "--format", "json").stdout)
    assert log[-1]["action"] == "plan.import.undo"
    assert "Import #" in log[-1]["summary"] and "2 tasks removed" in log[-1]["summary"]
    # The backup holds the database as it was just before: with the imported tasks.
    (backup,) = backups(seeded, tmp_path)
    assert str(backup) in done.stderr
    restored_tasks, _restored_score = restored_answers(seeded, backup)
    assert {t["code"] for t in json.loads(restored_tasks)} >= {"N1", "T01"}
    again = seeded("import", "undo", str(imports[0]["id"]), "--yes")
    assert again.exit_code == 2 and "undone already" in again.stderr


def test_undoing_the_import_that_created_a_plan_removes_the_plan(seeded: Cli, tmp_path: Path) -> None:
    before = answers(seeded, "--plan", "2022")
    path = build_plan_workbook(tmp_path / "ke-hoach-2023.xlsx", NEXT_YEAR)
    assert seeded("import", "plan", str(path), "--year", "2023").exit_code == 0
    assert len(json.loads(seeded("--plan", "2023", "tasks", "--format", "json").stdout)) == 1
    dry = seeded("import", "undo", "--dry-run")
    assert "The 2023 plan itself goes too" in dry.stdout
    assert seeded("import", "undo", "--yes").exit_code == 0
    gone = seeded("--plan", "2023", "tasks")
    assert gone.exit_code == 2 and "2023" in gone.stderr
    assert answers(seeded, "--plan", "2022") == before
    assert seeded("check").exit_code == 0


def test_work_done_since_the_import_is_kept_unless_forced(seeded: Cli, tmp_path: Path) -> None:
    import_extra(seeded, tmp_path)
    assert seeded("task", "done", "N1", "--on", "09/05/2022").exit_code == 0
    dry = seeded("import", "undo", "--dry-run")
    assert "1 status change" in dry.stdout and "needs --force" in dry.stderr
    before = fingerprint(seeded.db)
    refused = seeded("import", "undo", "--yes")
    assert refused.exit_code == 2
    assert "N1 (1 status change" in refused.stderr and "--force" in refused.stderr
    assert fingerprint(seeded.db) == before and not backups(seeded, tmp_path)
    forced = seeded("import", "undo", "--yes", "--force")
    assert forced.exit_code == 0, forced.output
    codes = {t["code"] for t in json.loads(seeded("tasks", "--format", "json").stdout)}
    assert not codes & {"N1", "N2"}
    assert seeded("check").exit_code == 0


def test_an_office_in_use_since_the_import_is_kept(seeded: Cli, tmp_path: Path) -> None:
    import_extra(seeded, tmp_path)
    (created,) = json.loads(seeded("import", "undo", "--dry-run", "--format", "json").stdout)["offices"]
    added = seeded("users", "add", "phapche", "--role", "office_member", "--office", created)
    assert added.exit_code == 0, added.output
    dry = seeded("import", "undo", "--dry-run")
    assert f"kept because they are in use: {created}" in dry.stdout
    assert seeded("import", "undo", "--yes").exit_code == 0
    offices = [o["office"] for o in json.loads(seeded("offices", "--format", "json").stdout)]
    assert created in offices


def test_only_a_coordinator_removes(seeded: Cli, tmp_path: Path) -> None:
    import_extra(seeded, tmp_path)
    before = fingerprint(seeded.db)
    for args in (["import", "undo", "--yes"], ["plan", "delete", "2022", "--yes", "--force"],
                 ["import", "undo", "--dry-run"]):
        result = seeded(*args, user="vp")
        assert result.exit_code == 4, result.output
    assert fingerprint(seeded.db) == before


def test_unknown_import_and_plan(seeded: Cli) -> None:
    before = fingerprint(seeded.db)
    none = seeded("import", "undo", "--yes")
    assert none.exit_code == 2 and "no import left to undo" in none.stderr
    assert seeded("import", "undo", "77").exit_code == 2
    missing = seeded("plan", "delete", "2031", "--yes")
    assert missing.exit_code == 2 and "no 2031 plan" in missing.stderr
    assert fingerprint(seeded.db) == before


def test_plan_delete_with_dry_run_refusal_backup_and_restore(seeded: Cli, tmp_path: Path) -> None:
    before = answers(seeded)
    dry = json.loads(seeded("plan", "delete", "2022", "--dry-run", "--format", "json").stdout)
    assert dry["counts"]["tasks"] == 46 and dry["counts"]["evidence"] == 18
    assert dry["counts"]["criteria"] > 0 and dry["counts"]["readings"] > 0
    assert dry["blocked"] is True
    untouched = fingerprint(seeded.db)
    refused = seeded("plan", "delete", "2022", "--yes")
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert fingerprint(seeded.db) == untouched and not backups(seeded, tmp_path)
    target = tmp_path / "truoc-khi-xoa.db"
    done = seeded("plan", "delete", "2022", "--yes", "--force", "--backup", str(target))
    assert done.exit_code == 0, done.output
    assert target.exists() and str(target) in done.stderr
    gone = seeded("tasks")
    assert gone.exit_code == 2
    assert seeded("check").exit_code == 0
    assert restored_answers(seeded, target) == before


def test_an_import_logged_before_planner_listed_its_tasks(seeded: Cli) -> None:
    from planner.services import audit
    from planner.store.db import Database

    db = Database(seeded.db)
    with db.write() as session:
        audit.record(session, actor="coordinator", action="plan.import", entity="plan",
                     entity_id=1, label="2022", plan_id=1,
                     after={"year": 2022, "file": "cu.xlsx", "tasks": 3, "created_plan": False})
    db.dispose()
    listed = json.loads(seeded("import", "list", "--format", "json").stdout)
    assert listed[-1]["can_undo"] is False
    refused = seeded("import", "undo", "--dry-run")
    assert refused.exit_code == 2 and "planner plan delete 2022" in refused.stderr


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
