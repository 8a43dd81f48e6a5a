"""Backups and restores of a SQLite planner database with SQLite's online backup API.

A backup is one self-contained file (journal mode DELETE, no -wal beside it) copied in a
single backup step, so it is a consistent snapshot even while others write (in WAL mode
writers are not blocked by the backup's read), with a manifest beside it (FILE.manifest.json)
that records the change log's head: an anchor `planner check` verifies later. A restore first
checks a private copy of the file: a SQLite database, not truncated, `PRAGMA integrity_check`
ok, a schema revision this planner knows (an older one is upgraded), exactly planner's tables
and columns and no trigger or view, then `planner check` on it (against its manifest's
anchor); it then copies the checked copy into the configured database through the backup
API, after keeping the current database beside it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from planner.i18n import _
from planner.io.files import (
    FileRefused,
    output_path,
    part_prefix,
    regular_file,
    remove_leftovers,
    temporary_beside,
)
from planner.services.errors import InputError

SQLITE_MAGIC = b"SQLite format 3\x00"
PLANNER_TABLES = ("alembic_version", "plan", "office", "criterion", "task", "occurrence",
                  "evidence", "blob", "change_log")
BUSY_TIMEOUT_S = 15.0


def known_revisions() -> list[str]:
    """The schema revisions of this planner, oldest first (from the migration scripts)."""
    from planner.store.migrate import known_revisions as revisions

    return revisions()


@dataclass(frozen=True)
class BackupResult:
    source: Path
    target: Path
    size: int
    revision: str
    anchor: str = ""  # the change log's head in the copy ("entry:hash"), also in the manifest
    manifest: Path | None = None


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".manifest.json")


def _head(conn: sqlite3.Connection) -> str:
    from planner.store.chain import ANCHOR_DIGITS

    try:
        row = conn.execute("SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.Error:
        return ""
    return f"{row[0]}:{str(row[1])[:ANCHOR_DIGITS]}" if row and row[1] else ""


def read_manifest(backup: Path) -> dict[str, object]:
    """The manifest written beside a backup ({} when there is none or it is unreadable)."""
    try:
        data = json.loads(manifest_path(backup).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    revision: str
    plans: tuple[tuple[int, str, int], ...]  # (year, title, tasks)
    size: int

    def describe(self) -> str:
        if not self.plans:
            return _("no plan, revision {rev}").format(rev=self.revision)
        plans = ", ".join(_("{year}: {n} tasks").format(year=y, n=n) for y, _t, n in self.plans)
        return _("plans {plans}; revision {rev}").format(plans=plans, rev=self.revision)


@dataclass(frozen=True)
class RestoreResult:
    target: Path
    safety_copy: Path | None
    info: BackupInfo


def _sqlite_file(location: str, verb: str) -> Path:
    from planner.store.engine import database_url, is_sqlite, sqlite_path

    url = database_url(location)
    if not is_sqlite(url):
        if verb == "backup":
            raise InputError(_(
                "The database is on a server (not SQLite): back it up with the server's tools, "
                "for PostgreSQL `pg_dump --format=custom DBNAME > planner.dump`."))
        raise InputError(_(
            "The database is on a server (not SQLite): restore it with the server's tools, "
            "for PostgreSQL `pg_restore --clean --dbname DBNAME planner.dump`."))
    path = sqlite_path(url)
    if path is None:
        raise InputError(_("An in-memory database cannot be backed up or restored."))
    return path


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)


def backup_database(location: str, target: Path, *, overwrite: bool = False) -> BackupResult:
    """Copy the configured SQLite database to `target` (a consistent snapshot)."""
    source = _sqlite_file(location, "backup")
    if not source.exists():
        raise InputError(_("There is no database at {path} to back up.").format(path=source))
    if target.exists() and target.resolve() == source.resolve():
        raise InputError(_("The backup cannot overwrite the database itself."))
    # A new file, or (with --force) a regular one: never through a link or onto a device.
    output_path(target, overwrite=overwrite)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(_("cannot write {path}: {reason}").format(
            path=target, reason=exc.strerror or exc)) from exc
    # Beside the target, named for the next backup to remove if this one is killed (with the
    # -journal SQLite writes beside it).
    part = temporary_beside(target)
    try:
        src = _connect(source)
        try:
            dst = sqlite3.connect(str(part))
            try:
                src.backup(dst)  # one step: the copy is one snapshot of the source
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                check = dst.execute("PRAGMA quick_check").fetchone()
                if not check or check[0] != "ok":
                    raise InputError(_("The copy failed its check ({detail}); no backup was "
                                       "written.").format(detail=check[0] if check else "?"))
                revision = _revision(dst)
                anchor = _head(dst)
            finally:
                dst.close()
        finally:
            src.close()
        with open(part, "rb") as fh:
            os.fsync(fh.fileno())
        output_path(target, overwrite=overwrite)  # nothing odd was put there meanwhile
        part.replace(target)
    except sqlite3.Error as exc:
        part.unlink(missing_ok=True)
        raise InputError(_("The backup failed: {reason}").format(reason=exc)) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    manifest = manifest_path(target)
    try:
        manifest.write_text(json.dumps({
            "database": str(source), "backup": target.name, "revision": revision or "",
            "anchor": anchor, "size": target.stat().st_size,
            "taken_at": datetime.now().isoformat(timespec="seconds"),
        }, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as exc:
        raise InputError(_("cannot write {path}: {reason}").format(
            path=manifest, reason=exc.strerror or exc)) from exc
    return BackupResult(source, target, target.stat().st_size, revision or "?", anchor, manifest)


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def _header_problem(path: Path) -> str | None:
    """Why the file is not a whole SQLite database, judged from its 100-byte header."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return _("it is not a SQLite database")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    change = int.from_bytes(header[24:28], "big")
    if page_size < 512 or page_size & (page_size - 1):
        return _("its header is damaged (page size {n})").format(n=page_size)
    if size % page_size:
        return _("it is cut off: {size} bytes is not a whole number of {page}-byte pages").format(
            size=size, page=page_size)
    if pages and valid_for == change and size < pages * page_size:
        return _("it is cut off: {size} of {expected} bytes").format(
            size=size, expected=pages * page_size)
    return None


#: The name of the folder a restore works in, beside the database (`.NAME.pPID-….part`).
RESTORE_WORK = "planner-restore"


def remove_restore_leftovers(directory: Path) -> list[Path]:
    """The private copies a killed restore left beside the database (tens of MB): removed."""
    return remove_leftovers(directory, RESTORE_WORK)


@contextmanager
def checked_copy(file: Path, workdir: Path | None = None) -> Iterator[tuple[Path, BackupInfo]]:
    """A private copy of `file` that passed every check, with what it holds.

    The copy is made in a folder of `workdir` (the database's own directory: the system's
    temporary directory when none is given), named so that the next restore, or the next
    command on that database, removes it if this process is killed.
    Raises InputError saying why a file is refused: missing, not a regular file, not SQLite,
    cut off, damaged, not a planner database, or made by an unknown (newer) planner.
    """
    def refuse(reason: str) -> InputError:
        return InputError(_("{file} is refused: {reason}. Nothing was restored.").format(
            file=file, reason=reason))

    try:
        regular_file(file)  # never a FIFO (it would block), a device or a directory
    except FileRefused as exc:
        if not file.exists():
            raise
        raise refuse(exc.reason) from None
    problem = _header_problem(file)
    if problem:
        raise refuse(problem)
    workdir = workdir if workdir is not None else Path(tempfile.gettempdir())
    remove_restore_leftovers(workdir)
    try:
        tmpdir = Path(tempfile.mkdtemp(dir=workdir, prefix=part_prefix(RESTORE_WORK), suffix=".part"))
    except OSError as exc:
        raise InputError(_("cannot write {path}: {reason}").format(
            path=workdir, reason=exc.strerror or exc)) from exc
    copy = tmpdir / "restore.db"
    try:
        shutil.copyfile(file, copy)
        for suffix in ("-wal",):  # a backup taken by copying a live file may have one
            side = Path(str(file) + suffix)
            if side.exists():
                shutil.copyfile(side, Path(str(copy) + suffix))
        try:
            conn = _connect(copy)
            try:
                rows = conn.execute("PRAGMA integrity_check").fetchall()
                if [r[0] for r in rows] != ["ok"]:
                    detail = "; ".join(str(r[0]) for r in rows[:3])
                    raise refuse(_("it is damaged ({detail})").format(detail=detail))
                tables = {r[0] for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}
                missing = [t for t in PLANNER_TABLES if t not in tables]
                if missing:
                    raise refuse(_("it is not a planner database (no table {tables})").format(
                        tables=", ".join(missing)))
                revision = _revision(conn)
                known = known_revisions()
                if revision not in known:
                    raise refuse(_("its schema revision {rev} is unknown to this planner "
                                   "(known: {known}); was it made by a newer version?").format(
                        rev=revision or "-", known=", ".join(known)))
                fk = conn.execute("PRAGMA foreign_key_check").fetchall()
                if fk:
                    raise refuse(_("{n} rows refer to rows that do not exist (first: table "
                                   "{table})").format(n=len(fk), table=fk[0][0]))
                plans = tuple(
                    (int(y), str(t), int(n)) for y, t, n in conn.execute(
                        'SELECT p.year, p.title, (SELECT count(*) FROM task WHERE plan_id = p.id)'
                        ' FROM plan p ORDER BY p.year'))
                conn.execute("PRAGMA journal_mode=DELETE")
            finally:
                conn.close()
            _upgrade(copy, revision)
            conn = _connect(copy)
            try:
                differences = schema_differences(conn)
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise refuse(_("it is damaged ({detail})").format(detail=exc)) from exc
        if differences:
            raise refuse(_("its schema is not planner's: {what}").format(
                what="; ".join(differences[:8])))
        problems = _check(copy, file)
        if problems:
            shown = "\n  ".join(problems[:MAX_SHOWN])
            more = len(problems) - MAX_SHOWN
            raise refuse(_("`planner check` finds {n} problems in it:\n  {problems}{more}\n").format(
                n=len(problems), problems=shown,
                more=("\n  " + _("… and {n} more").format(n=more)) if more > 0 else ""))
        yield copy, BackupInfo(file, revision, plans, file.stat().st_size)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


MAX_SHOWN = 10


def _upgrade(copy: Path, revision: str | None) -> None:
    """Bring a copy made by an older planner to this planner's schema before comparing it."""
    from planner.store.db import Database
    from planner.store.migrate import HEAD_REVISION, upgrade

    if revision == HEAD_REVISION:
        return
    db = Database(str(copy))
    try:
        upgrade(db)
    finally:
        db.dispose()


def schema_differences(conn: sqlite3.Connection) -> list[str]:
    """How a database's schema differs from planner's own: tables missing or extra, columns
    missing or extra, and any trigger or view (planner makes none; one could rewrite what is
    written or read)."""
    from planner.store.models import metadata

    found: list[str] = []
    objects = conn.execute("SELECT type, name, tbl_name FROM sqlite_master "
                           "WHERE name NOT LIKE 'sqlite_%'").fetchall()
    tables = {name for kind, name, _t in objects if kind == "table"}
    wanted = {*metadata.tables, "alembic_version"}
    for name in sorted(wanted - tables):
        found.append(_("table {name} is missing").format(name=name))
    for name in sorted(tables - wanted):
        found.append(_("it has a table {name} planner does not make").format(name=name))
    for kind, name, table in objects:
        if kind == "trigger":
            found.append(_("it has a trigger {name} on {table}").format(name=name, table=table))
        elif kind == "view":
            found.append(_("it has a view {name}").format(name=name))
    for name in sorted(wanted & tables - {"alembic_version"}):
        columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')}
        expected = {c.name for c in metadata.tables[name].columns}
        for column in sorted(expected - columns):
            found.append(_("column {table}.{column} is missing").format(table=name, column=column))
        for column in sorted(columns - expected):
            found.append(_("it has a column {table}.{column} planner does not make").format(
                table=name, column=column))
    return found


def _check(copy: Path, file: Path) -> list[str]:
    """`planner check` of the copy, against the anchor in the backup's manifest."""
    from planner.services.anchors import parse
    from planner.services.errors import InputError as AnchorError
    from planner.services.integrity import check_database
    from planner.store.db import Database

    anchors = []
    text = str(read_manifest(file).get("anchor") or "")
    if text:
        try:
            anchors.append(parse(text, _("in {path}").format(path=manifest_path(file))))
        except AnchorError:
            return [_("its manifest {path} holds no readable anchor").format(
                path=manifest_path(file))]
    db = Database(str(copy))
    try:
        report = check_database(db, anchors=anchors)
    finally:
        db.dispose()
    return [str(p) for p in report.problems]


def inspect_backup(file: Path, workdir: Path | None = None) -> BackupInfo:
    """Check a backup file (see `checked_copy`) and say what it holds."""
    with checked_copy(file, workdir) as (_copy, info):
        return info


def database_directory(location: str) -> Path:
    """The directory of the configured SQLite database, where a restore does its work;
    InputError for a server database (restored with the server's tools)."""
    return _sqlite_file(location, "restore").parent


def restore_database(file: Path, location: str, authorize: Callable[[Path], None] | None = None,
                     *, why: str = "restore") -> RestoreResult:
    """Replace the configured database with a checked backup; the old one is kept beside it
    (`planner.db.before-WHY-STAMP.bak`). `authorize(copy)` may refuse (raise) once the backup
    has been checked, before anything is replaced."""
    target = _sqlite_file(location, "restore")
    if target.exists() and file.resolve() == target.resolve():
        raise InputError(_("{file} is the database itself.").format(file=file))
    target.parent.mkdir(parents=True, exist_ok=True)
    with checked_copy(file, target.parent) as (copy, info):
        if authorize is not None:
            authorize(copy)
        safety: Path | None = None
        if target.exists() and target.stat().st_size > 0:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            safety = target.with_name(f"{target.name}.before-{why}-{stamp}.bak")
            try:
                src = _connect(target)
                try:
                    dst = sqlite3.connect(str(safety))
                    try:
                        src.backup(dst)
                        dst.execute("PRAGMA journal_mode=DELETE")
                    finally:
                        dst.close()
                finally:
                    src.close()
            except sqlite3.DatabaseError:  # the current database is damaged: keep its bytes
                shutil.copyfile(target, safety)
        src = _connect(copy)
        try:
            try:
                dst = _connect(target)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
            except sqlite3.DatabaseError:
                # The current file is too damaged to be written through SQLite: replace it.
                part = temporary_beside(target)
                shutil.copyfile(copy, part)
                for suffix in ("-wal", "-shm"):
                    Path(str(target) + suffix).unlink(missing_ok=True)
                part.replace(target)
        finally:
            src.close()
    return RestoreResult(target, safety, info)
