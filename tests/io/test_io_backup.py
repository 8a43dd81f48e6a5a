"""`planner backup` and `planner restore`: consistent copies, and refusing bad files."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest


@pytest.fixture
def db_url(db_path: Path) -> str:
    """Backups and restores here are of SQLite files (PostgreSQL has pg_dump)."""
    return str(db_path)


def task_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM task").fetchone()[0]
    finally:
        conn.close()


def test_backup_while_another_connection_writes(seeded, db_path: Path, tmp_path: Path) -> None:
    # Make the database big enough that the copy takes a while.
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)")
    conn.executemany("INSERT INTO filler (data) VALUES (randomblob(4000))", [()] * 3000)
    conn.commit()
    conn.close()

    stop = threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def writer() -> None:
        c = sqlite3.connect(db_path, timeout=15)
        try:
            c.execute("PRAGMA journal_mode=WAL")
            i = 0
            while not stop.is_set():
                c.execute("INSERT INTO filler (data) VALUES (randomblob(2000))")
                c.execute("UPDATE task SET progress = ? WHERE code = 'T02'", (i % 100,))
                c.commit()
                written.append(i)
                i += 1
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            c.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        before = len(written)
        copies = []
        for n in range(3):
            target = tmp_path / f"backup-{n}.db"
            result = seeded("backup", str(target))
            assert result.exit_code == 0, result.output
            copies.append(target)
        assert len(written) > before  # the writer kept going during the backups
    finally:
        stop.set()
        thread.join()
    assert not errors
    for target in copies:
        assert not Path(str(target) + "-wal").exists()  # one self-contained file
        conn = sqlite3.connect(target)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
            assert conn.execute("SELECT count(*) FROM task").fetchone() == (46,)
        finally:
            conn.close()
    # The writer above worked behind planner's back (a table of its own, T02's progress):
    # such a backup is refused, with what was found, and nothing is restored.
    fresh = tmp_path / "fresh.db"
    restore = seeded("--db", str(fresh), "restore", str(copies[-1]), "--yes")
    assert restore.exit_code == 2, restore.output
    assert "it has a table filler planner does not make" in restore.stderr
    assert "Nothing was restored" in restore.stderr
    assert not fresh.exists() or fresh.stat().st_size == 0


def test_backup_refuses_to_overwrite(seeded, tmp_path: Path) -> None:
    target = tmp_path / "b.db"
    assert seeded("backup", str(target)).exit_code == 0
    again = seeded("backup", str(target))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert seeded("backup", str(target), "--force").exit_code == 0


def test_backup_on_postgresql_points_to_pg_dump(cli) -> None:
    result = cli("--db", "postgresql+psycopg://planner@localhost:1/planner", "backup", "x.db")
    assert result.exit_code == 2
    assert "pg_dump" in result.stderr


def _backup(seeded, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    target = tmp_path / "good.db"
    assert seeded("backup", str(target)).exit_code == 0
    return target


@pytest.mark.parametrize("cut", ["mid-page", "page-boundary"])
def test_restore_of_a_truncated_file_is_refused(seeded, tmp_path: Path, db_path: Path,
                                                cut: str) -> None:
    good = _backup(seeded, tmp_path)
    data = good.read_bytes()
    size = len(data) // 2 + (123 if cut == "mid-page" else 0)
    size -= size % 4096 if cut == "page-boundary" else 0
    bad = tmp_path / "truncated.db"
    bad.write_bytes(data[:size])
    seeded("task", "done", "T03", "--on", "12/05/2022")
    before = db_path.read_bytes()
    result = seeded("restore", str(bad), "--yes")
    assert result.exit_code == 2
    assert "is refused: it is cut off" in result.stderr
    assert "Nothing was restored" in result.stderr
    assert db_path.read_bytes() == before
    assert not list(tmp_path.glob("planner.db.before-restore-*"))


def test_restore_refuses_damaged_and_foreign_files(seeded, tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("hello", encoding="utf-8")
    result = seeded("restore", str(text), "--yes")
    assert result.exit_code == 2 and "not a SQLite database" in result.stderr

    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    result = seeded("restore", str(foreign), "--yes")
    assert result.exit_code == 2 and "not a planner database" in result.stderr

    newer = _backup(seeded, tmp_path)
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    result = seeded("restore", str(newer), "--yes")
    assert result.exit_code == 2 and "revision 9999 is unknown" in result.stderr

    damaged = tmp_path / "damaged.db"
    good = _backup(seeded, tmp_path / "again")
    data = bytearray(good.read_bytes())
    for offset in range(4096 * 3, 4096 * 3 + 600):  # scribble over a b-tree page
        data[offset] = 0x5A
    damaged.write_bytes(bytes(data))
    result = seeded("restore", str(damaged), "--yes")
    assert result.exit_code == 2 and "is refused" in result.stderr

    assert seeded("restore", str(tmp_path / "missing.db"), "--yes").exit_code == 2


def test_restore_replaces_the_database_and_keeps_the_old_one(seeded, tmp_path: Path,
                                                             db_path: Path) -> None:
    good = _backup(seeded, tmp_path)
    added = seeded("task", "add", "Nhiệm vụ mới sau sao lưu", "--lead", "VP", "--due", "30/9/2022")
    assert added.exit_code == 0, added.output
    assert task_count(db_path) == 47
    # Without --yes and without a terminal the user is told how to confirm.
    refused = seeded("restore", str(good))
    assert refused.exit_code == 2 and "--yes" in refused.output
    result = seeded("restore", str(good), "--yes")
    assert result.exit_code == 0, result.output
    assert task_count(db_path) == 46
    kept = list(tmp_path.glob("planner.db.before-restore-*.bak"))
    assert len(kept) == 1 and task_count(kept[0]) == 47
    assert seeded("check").exit_code == 0
