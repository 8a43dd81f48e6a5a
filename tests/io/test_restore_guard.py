"""`planner restore` replaces every figure and right at once: a coordinator's action, of a
backup with planner's own schema that `planner check` finds sound."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.helpers import fingerprint
from tests.conftest import Cli


@pytest.fixture
def db_url(db_path: Path) -> str:
    return str(db_path)


def _backup(cli: Cli, tmp_path: Path, name: str = "backup.db") -> Path:
    target = tmp_path / name
    result = cli("backup", str(target))
    assert result.exit_code == 0, result.output
    return target


def test_a_backup_has_a_manifest_with_the_logs_anchor(seeded: Cli, tmp_path: Path) -> None:
    backup = _backup(seeded, tmp_path)
    manifest = json.loads((tmp_path / "backup.db.manifest.json").read_text(encoding="utf-8"))
    conn = sqlite3.connect(backup)
    last_id, last_hash = conn.execute(
        "SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    assert manifest["anchor"] == f"{last_id}:{last_hash[:16]}"
    assert manifest["revision"] and manifest["backup"] == "backup.db"


@pytest.mark.parametrize("who", ["director", "vp", "stranger"])
def test_only_a_coordinator_restores(seeded: Cli, tmp_path: Path, who: str) -> None:
    backup = _backup(seeded, tmp_path)
    assert seeded("task", "start", "T03").exit_code == 0
    before = fingerprint(seeded.db)
    result = seeded("restore", str(backup), "--yes", user=who)
    assert result.exit_code == 4, result.output
    assert "only a coordinator may do" in result.stderr and "Nothing was restored" in result.stderr
    assert fingerprint(seeded.db) == before


def test_a_coordinator_restores_and_the_restore_is_logged(seeded: Cli, tmp_path: Path) -> None:
    backup = _backup(seeded, tmp_path)
    assert seeded("task", "start", "T03").exit_code == 0
    result = seeded("restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    log = seeded("log", "--limit", "1").stdout
    assert f"Database restored from the backup {backup.name}, by coordinator" in log
    # The anchors of the replaced log are forgotten; the restored database checks clean.
    assert seeded("check").exit_code == 0


def _tamper(backup: Path, *statements: str) -> None:
    conn = sqlite3.connect(backup)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


@pytest.mark.parametrize("statements,named", [
    (["DROP TABLE manual_entry"], "table manual_entry is missing"),
    (["CREATE TRIGGER keep_role AFTER UPDATE ON user BEGIN "
      "UPDATE user SET role = 'coordinator' WHERE login = 'vp'; END"],
     "it has a trigger keep_role on user"),
    (["CREATE VIEW everyone AS SELECT * FROM user"], "it has a view everyone"),
    (["CREATE TABLE notes (id INTEGER PRIMARY KEY)"], "it has a table notes planner does not make"),
])
def test_a_backup_whose_schema_differs_is_refused(seeded: Cli, tmp_path: Path,
                                                  statements: list[str], named: str) -> None:
    backup = _backup(seeded, tmp_path)
    _tamper(backup, *statements)
    before = fingerprint(seeded.db)
    result = seeded("restore", str(backup), "--yes")
    assert result.exit_code == 2, result.output
    assert "its schema is not planner's" in result.stderr and named in result.stderr
    assert fingerprint(seeded.db) == before


def test_a_backup_changed_outside_planner_is_refused_with_what_check_found(
        seeded: Cli, tmp_path: Path) -> None:
    backup = _backup(seeded, tmp_path)
    _tamper(backup, "UPDATE user SET role = 'coordinator' WHERE login = 'vp'")
    before = fingerprint(seeded.db)
    result = seeded("restore", str(backup), "--yes")
    assert result.exit_code == 2, result.output
    assert "`planner check` finds 1 problems in it" in result.stderr
    assert "[row] user vp" in result.stderr
    assert fingerprint(seeded.db) == before


def test_a_backup_whose_log_was_shortened_fails_its_manifests_anchor(
        seeded: Cli, tmp_path: Path) -> None:
    backup = _backup(seeded, tmp_path)
    _tamper(backup, "DELETE FROM change_log WHERE id = (SELECT max(id) FROM change_log)")
    result = seeded("restore", str(backup), "--yes")
    assert result.exit_code == 2, result.output
    assert "shorter than the anchor's entry" in result.stderr
