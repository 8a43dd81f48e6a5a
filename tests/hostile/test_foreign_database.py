"""`--db` pointing at another application's database: refused, and left byte for byte as it
was; planner's own older schema still migrates, after its copy."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect

from planner.cli import cli
from planner.store import migrate
from planner.store.db import Database
from tests.conftest import postgres_database


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _other_app(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('shopping list')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("args", [["tasks"], ["init"], ["seed", "load", "seed/plan-2022.toml"],
                                  ["db", "upgrade"], ["db", "current"], ["check"],
                                  ["whatif", "T01"], ["focus"]])
def test_another_applications_sqlite_file_is_refused_untouched(tmp_path: Path, args: list[str]) -> None:
    other = _other_app(tmp_path / "other_app.sqlite")
    before = _digest(other)
    result = CliRunner().invoke(cli, ["--db", str(other), *args])
    assert result.exit_code == 2, result.output
    assert (f"{other} is not a planner database: it holds another application's tables "
                "(notes). Nothing was changed") in result.stderr
    assert _digest(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other_app.sqlite"]  # no -wal, no .bak


def test_a_database_of_a_newer_planner_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    assert CliRunner().invoke(cli, ["--db", str(path), "init"]).exit_code == 0
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.commit()
    conn.close()
    before = _digest(path)
    result = CliRunner().invoke(cli, ["--db", str(path), "tasks"])
    assert result.exit_code == 2
    assert "has schema revision 0099_future, unknown to this planner" in result.stderr
    assert _digest(path) == before


def test_planners_own_older_schema_still_migrates_after_its_copy(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(str(path))
    migrate.upgrade(db, "0001")
    db.dispose()
    result = CliRunner().invoke(cli, ["--db", str(path), "init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "old.db.before-head.bak").exists()
    current = CliRunner().invoke(cli, ["--db", str(path), "db", "current"])
    assert current.stdout.strip() == migrate.HEAD_REVISION


def test_an_empty_file_becomes_a_planner_database(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    path.touch()
    result = CliRunner().invoke(cli, ["--db", str(path), "init"])
    assert result.exit_code == 0, result.output


def test_another_applications_postgresql_database_is_refused() -> None:
    with postgres_database() as url:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE invoices (id serial PRIMARY KEY, total numeric)")
        result = CliRunner().invoke(cli, ["--db", url, "tasks"])
        assert result.exit_code == 2, result.output
        assert "is not a planner database: it holds another application's tables (invoices)" in result.stderr
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == ["invoices"]
        engine.dispose()
