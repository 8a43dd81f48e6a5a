"""Files that are not what they claim: refused before they are opened or read past a limit;
outputs written only to new paths or regular files, whole; leftovers of killed runs removed."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.cli.helpers import count, fingerprint
from tests.conftest import SEED, Cli

ROOT = Path(__file__).resolve().parents[2]


def run(db: str, *args: str, timeout: float = 60, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """planner in its own process: a command that blocked on a FIFO would fail the timeout
    instead of hanging the test run."""
    return subprocess.run([sys.executable, "-m", "tests.hostile.as_person", "coordinator", "--db", db,
                           *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, **(env or {})})


def special_files(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "plan.csv"
    os.mkfifo(fifo)
    link = tmp_path / "link.toml"
    link.symlink_to("/dev/zero")
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    return {"dev-zero": Path("/dev/zero"), "dev-urandom": Path("/dev/urandom"), "fifo": fifo,
            "symlink": link, "directory": folder}


KINDS = {"dev-zero": "a character device", "dev-urandom": "a character device",
         "fifo": "a named pipe (FIFO)", "symlink": "a character device", "directory": "a directory"}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("command", [
    ("import", "plan", "{file}"), ("import", "plan", "--dry-run", "{file}"), ("seed", "load", "{file}"),
    ("evidence", "add", "T03", "--file", "{file}"), ("restore", "--yes", "{file}"),
    ("--config", "{file}", "tasks"),
])
def test_what_is_not_a_regular_file_is_refused_before_it_is_read(
        seeded: Cli, tmp_path: Path, kind: str, command: tuple[str, ...]) -> None:
    file = special_files(tmp_path)[kind]
    before = fingerprint(seeded.db)
    result = run(seeded.db, *(part.format(file=file) for part in command))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert str(file) in result.stderr
    if kind != "directory" or command[0] in ("--config", "restore"):  # click refuses a directory itself
        assert KINDS[kind] in result.stderr or "not a file" in result.stderr
    assert fingerprint(seeded.db) == before


def _limit_config(tmp_path: Path, text: str) -> dict[str, str]:
    config = tmp_path / "limits.toml"
    config.write_text(text, encoding="utf-8")
    return {"PLANNER_CONFIG": str(config)}


def test_a_csv_over_max_import_mb(seeded: Cli, tmp_path: Path) -> None:
    csv = tmp_path / "plan.csv"
    csv.write_bytes(b"STT,N\xe1\xbb\x99i dung\n" + b"1,x\n" * 300_000)  # 1.1 MB
    before = fingerprint(seeded.db)
    result = run(seeded.db, "import", "plan", str(csv), env=_limit_config(tmp_path, "max_import_mb = 1\n"))
    assert result.returncode == 2
    assert f"{csv}: it is 1.1 MB, over the limit of 1 MB (setting max_import_mb)." in result.stderr
    assert fingerprint(seeded.db) == before


def test_a_seed_over_max_seed_mb(cli: Cli, tmp_path: Path) -> None:
    seed = tmp_path / "big.toml"
    seed.write_bytes(SEED.read_bytes() + b"\n# " + b"x" * 2_200_000 + b"\n")
    result = run(cli.db, "seed", "load", str(seed), env=_limit_config(tmp_path, "max_seed_mb = 2\n"))
    assert result.returncode == 2
    assert f"{seed}: cannot read the file: it is 2" in result.stderr
    assert "over the limit of 2 MB (setting max_seed_mb)" in result.stderr
    assert count(cli.db, "plan") == 0
    assert run(cli.db, "seed", "load", str(seed)).returncode == 0  # the default limit is 20 MB


def _workbook(sheet: bytes) -> bytes:
    from tests.hostile.corpus import _RELS, _WORKBOOK, _zip

    return _zip({"xl/workbook.xml": _WORKBOOK, "xl/_rels/workbook.xml.rels": _RELS,
                 "xl/worksheets/sheet1.xml": sheet})


def test_a_workbook_part_declared_over_max_unpacked_mb(seeded: Cli, tmp_path: Path) -> None:
    """0.5 MB on disk, 300 MB unpacked: refused from the sizes the archive declares, before
    inflating anything."""
    book = tmp_path / "bomb.xlsx"
    book.write_bytes(_workbook(b"<worksheet>" + b" " * 300_000_000 + b"</worksheet>"))
    assert book.stat().st_size < 1_000_000
    before = fingerprint(seeded.db)
    result = run(seeded.db, "import", "plan", str(book))
    assert result.returncode == 2
    assert ("the part xl/worksheets/sheet1.xml unpacks to 286.1 MB, over the limit of 100 MB "
            "for each part of a workbook (setting max_unpacked_mb)") in result.stderr
    assert fingerprint(seeded.db) == before


def test_parts_are_checked_before_any_reader_inflates_them(tmp_path: Path) -> None:
    """Each part of an archive is held to the limit, before calamine or python-docx sees it;
    an archive whose declared sizes lie fails its CRC and is refused as damaged (below)."""
    from planner.io.sheet_reader import PartTooLarge, _check_archive

    data = _workbook(b"<worksheet>" + b" " * 5000 + b"</worksheet>")
    with pytest.raises(PartTooLarge, match=r"xl/worksheets/sheet1\.xml unpacks to"):
        _check_archive(data, "plan.xlsx", 1000)
    _check_archive(data, "plan.xlsx", 10_000)  # within the limit: nothing to say


def test_a_lying_archive_is_refused_as_damaged(seeded: Cli, tmp_path: Path) -> None:
    from tests.hostile.corpus import FILES

    liar = next(f for f in FILES if f.id == "zip-bomb-lying").make(tmp_path)
    result = run(seeded.db, "import", "plan", "--dry-run", str(liar))
    assert result.returncode == 2 and "the workbook is damaged" in result.stderr


@pytest.mark.parametrize(("corpus_id", "message"), [
    # python-calamine refuses these hand-made parts before a row is read; a sheet it can open
    # is still held to the last row a spreadsheet can have (sheet_reader.MAX_ROWS).
    ("far-row", r'goes (past|to) row|cannot be opened as an \.xlsx workbook'),
    ("merges", r'merged ranges cover|cannot be opened as an \.xlsx workbook'),
])
def test_sheets_no_spreadsheet_program_writes(seeded: Cli, tmp_path: Path, corpus_id: str, message: str) -> None:
    from tests.hostile.corpus import FILES

    book = next(f for f in FILES if f.id == corpus_id).make(tmp_path)
    result = run(seeded.db, "import", "plan", "--dry-run", str(book), timeout=60)
    assert result.returncode == 2 and re.search(message, result.stderr), result.stderr


# ------------------------------------------------------------------------------ writing


def _targets(tmp_path: Path) -> dict[str, Path]:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.out"
    link.symlink_to(elsewhere)
    fifo = tmp_path / "pipe.out"
    os.mkfifo(fifo)
    from tests.hostile.corpus import device_node

    return {"symlink": link, "fifo": fifo, "directory": tmp_path, "dev-null": device_node(tmp_path, "null")}


@pytest.mark.parametrize("kind", ["symlink", "fifo", "directory", "dev-null"])
@pytest.mark.parametrize("command", [
    ("export", "tasks", "--format", "csv", "-o", "{out}"), ("export", "self-assessment", "-o", "{out}"),
    ("backup", "--force", "{out}"), ("report", "weekly", "-o", "{out}"), ("report", "due", "-o", "{out}"),
    ("evidence", "get", "{id}", "--force", "-o", "{out}"),
])
def test_writers_write_only_to_new_paths_or_regular_files(
        seeded: Cli, tmp_path: Path, kind: str, command: tuple[str, ...]) -> None:
    evidence_id = seeded("evidence", "add", "T03", "--file", str(SEED)).stdout.strip()
    out = _targets(tmp_path)[kind]
    result = run(seeded.db, *(part.format(out=out, id=evidence_id) for part in command))
    assert result.returncode == 2, result.stderr
    assert str(out) in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "elsewhere.txt").read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "link.out").is_symlink() and (tmp_path / "pipe.out").is_fifo()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_evidence_get_refuses_an_existing_file_unless_forced(seeded: Cli, tmp_path: Path) -> None:
    evidence_id = seeded("evidence", "add", "T03", "--file", str(SEED)).stdout.strip()
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "copy.toml"
    out.write_text("mine", encoding="utf-8")
    refused = seeded("evidence", "get", evidence_id, "-o", str(out))
    assert refused.exit_code == 2 and f"{out} exists: add --force to replace it." in refused.stderr
    assert out.read_text(encoding="utf-8") == "mine"
    assert seeded("evidence", "get", evidence_id, "-o", str(out), "--force").exit_code == 0
    assert out.read_bytes() == SEED.read_bytes()
    assert [p.name for p in out.parent.iterdir()] == ["copy.toml"]  # no temporary file left


def test_an_export_replaces_a_regular_file_whole(seeded: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tasks.csv"
    out.write_text("old", encoding="utf-8")
    assert seeded("export", "tasks", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8-sig").startswith("Mã,Nội dung nhiệm vụ")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tasks.csv")]


# ------------------------------------------------------------------------------ leftovers

DEAD_PID = 2**22 + 12345  # above Linux's default pid_max (4,194,304): never a live process


def test_a_killed_backup_leaves_nothing_after_the_next_one(seeded: Cli, tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    # What `kill -9` during `planner backup backups/plan.db` left: the copy and its journal,
    # named as this version and as the earlier one did.
    left = [backups / f".plan.db.p{DEAD_PID}-k3x9_a1z.part", backups / f".plan.db.p{DEAD_PID}-k3x9_a1z.part-journal",
            backups / f".plan.db.{DEAD_PID}.part", backups / f".plan.db.{DEAD_PID}.part-journal"]
    for path in left:
        path.write_bytes(b"\0" * 4096)
    alive = backups / f".plan.db.p{os.getpid()}-live0000.part"  # a backup still running
    alive.write_bytes(b"")
    assert seeded("backup", str(backups / "plan.db")).exit_code == 0
    assert sorted(p.name for p in backups.iterdir()) == sorted([alive.name, "plan.db",
                                                                 "plan.db.manifest.json"])


def test_a_killed_restore_leaves_nothing_after_the_next_command(seeded: Cli, tmp_path: Path) -> None:
    work = tmp_path / f".planner-restore.p{DEAD_PID}-abcd1234.part"
    work.mkdir()
    (work / "restore.db").write_bytes(b"\0" * 71_000)
    assert seeded("tasks").exit_code == 0
    assert not work.exists()


def test_a_restore_works_beside_the_database_and_cleans_up(seeded: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "b" / "plan.db"
    assert seeded("backup", str(backup)).exit_code == 0
    stale = tmp_path / f".planner-restore.p{DEAD_PID}-zzzz0000.part"
    stale.mkdir()
    assert seeded("restore", "--yes", str(backup)).exit_code == 0
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_an_export_removes_what_a_killed_export_left(seeded: Cli, tmp_path: Path) -> None:
    left = tmp_path / f".tasks.csv.p{DEAD_PID}-ab12cd34.part"
    left.write_text("half", encoding="utf-8")
    assert seeded("export", "tasks", "-o", str(tmp_path / "tasks.csv")).exit_code == 0
    assert not left.exists()


def test_sheet_reader_reads_an_ordinary_workbook(tmp_path: Path) -> None:
    """The limits change nothing for a real workbook (shared strings, several sheets)."""
    import openpyxl

    from planner.io.sheet_reader import read_sheets

    wb = openpyxl.Workbook()
    wb.active.append(["STT", "Nội dung nhiệm vụ"])
    wb.active.append([1, "Ban hành kế hoạch"])
    wb.create_sheet("Khác").append(["x"])
    buffer = io.BytesIO()
    wb.save(buffer)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(buffer.getvalue())
    grids = read_sheets(path)
    assert [g.name for g in grids] == ["Sheet", "Khác"]
    assert grids[0].rows == [["STT", "Nội dung nhiệm vụ"], ["1", "Ban hành kế hoạch"]]
    assert zipfile.is_zipfile(path)
