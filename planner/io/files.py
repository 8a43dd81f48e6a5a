"""Files a person names on the command line or in a form: what planner reads and writes.

Reading: only a regular file is opened (a FIFO would block for ever, /dev/zero never ends, a
directory is not a file), checked before opening and again on the open descriptor, and never
more than a stated limit is read. Writing: only to a new path or over a regular file (never
through a symbolic link, never onto a device node), whole or not at all: a temporary file in
the same directory, then renamed. Temporary files carry the writer's process id, so the next
writer removes those a killed process left behind.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from planner.i18n import _
from planner.services.errors import InputError

MB = 1024 * 1024

#: A config file is a few lines; it cannot set its own limit.
MAX_CONFIG_BYTES = 1 * MB


@dataclass(frozen=True)
class FileLimits:
    """How much planner reads from a file it is given. The defaults are far above any real
    plan (the 2022 sample is 51 KB of TOML; a generated 100,000-task plan's workbook holds
    parts of about 25 MB); each is a setting (`planner config show`)."""

    seed_bytes: int = 20 * MB  # max_seed_mb: a seed file (TOML)
    import_bytes: int = 50 * MB  # max_import_mb: a spreadsheet file (.csv, .xlsx)
    unpacked_bytes: int = 100 * MB  # max_unpacked_mb: each part of an .xlsx (ZIP) once inflated


class FileRefused(InputError):
    """A file that is not what it claims, or larger than planner reads: `message` names the
    file, `reason` says why without it (for messages that name the file already)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("a directory")
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO)")
    if stat.S_ISCHR(mode):
        return _("a character device")
    if stat.S_ISBLK(mode):
        return _("a block device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def size_text(size: int) -> str:
    """Bytes as the messages say them: 1.5 MB, 200 KB."""
    if size >= MB:
        return f"{size / MB:.1f}".rstrip("0").rstrip(".") + " MB"
    return f"{max(size, 1) / 1024:.0f} KB"


def regular_file(path: Path) -> os.stat_result:
    """The status of `path` when it is a regular file (symbolic links followed); FileRefused
    naming the file otherwise. Nothing is opened."""
    try:
        info = os.stat(path)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise FileRefused(_("{path}: no such file.").format(path=path), _reason(exc)) from None
        raise _unreadable(path, exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(path, info.st_mode)
    return info


def _unreadable(path: Path, exc: OSError) -> FileRefused:
    return FileRefused(_("cannot read {path}: {reason}").format(path=path, reason=_reason(exc)),
                       _reason(exc))


def _not_regular(path: Path, mode: int) -> FileRefused:
    return FileRefused(
        _("{path} is {kind}, not a regular file: planner reads only ordinary files.").format(
            path=path, kind=_kind(mode)),
        _("it is {kind}, not a regular file").format(kind=_kind(mode)))


def _too_big(path: Path, size: int | None, limit: int, setting: str | None) -> FileRefused:
    shown = _("more than {limit}").format(limit=size_text(limit)) if size is None \
        else size_text(size)
    if size is not None and shown == size_text(limit):
        shown = _("{n} bytes").format(n=f"{size:,}")
    if setting:
        reason = _("it is {size}, over the limit of {limit} (setting {setting})").format(
            size=shown, limit=size_text(limit), setting=setting)
    else:
        reason = _("it is {size}, over the limit of {limit}").format(size=shown, limit=size_text(limit))
    return FileRefused(_("{path}: {reason}.").format(path=path, reason=reason), reason)


@contextmanager
def open_regular(path: Path, *, limit: int, setting: str | None = None) -> Iterator[BinaryIO]:
    """A regular file opened for reading, at most `limit` bytes long.

    Checked before opening (so a FIFO is never opened, which would block) and again on the
    descriptor (the path may have been swapped meanwhile). Raises FileRefused naming the
    file, the limit and the setting that sets it.
    """
    info = regular_file(path)
    if info.st_size > limit:
        raise _too_big(path, info.st_size, limit, setting)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    handle = os.fdopen(fd, "rb")
    try:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise _not_regular(path, opened.st_mode)
        if opened.st_size > limit:
            raise _too_big(path, opened.st_size, limit, setting)
        yield handle
    finally:
        handle.close()


def read_limited(path: Path, *, limit: int, setting: str | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (see `open_regular`); a file that
    grows while it is read is refused too."""
    with open_regular(path, limit=limit, setting=setting) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise _unreadable(path, exc) from None
    if len(data) > limit:
        raise _too_big(path, None, limit, setting)
    return data


# ----------------------------------------------------------------------------- writing


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(_("cannot write {path}: {reason}").format(
            path=path, reason=_reason(exc))) from None


def output_path(path: Path, *, overwrite: bool = True) -> Path:
    """`path` when planner may write there: a new name, or (with `overwrite`) a regular file.

    Refused with a message naming the path: a symbolic link (the write would land elsewhere),
    a device node, FIFO, socket or directory, and an existing file without `overwrite`.
    """
    info = _lstat(path)
    if info is None:
        return path
    if stat.S_ISLNK(info.st_mode):
        raise InputError(_("{path} is a symbolic link: planner does not write through links; "
                           "give the real file's path.").format(path=path))
    if stat.S_ISDIR(info.st_mode):
        raise InputError(_("{path} is a directory: give a file name.").format(path=path))
    if not stat.S_ISREG(info.st_mode):
        raise InputError(_("{path} is {kind}: planner writes only to ordinary files.").format(
            path=path, kind=_kind(info.st_mode)))
    if not overwrite:
        raise InputError(_("{path} exists: add --force to replace it.").format(path=path))
    return path


#: `.NAME.pPID-RANDOM.part`: a file (or folder) being written; the process id says whether its
#: writer still runs. `.NAME.PID.part` is how earlier versions named a backup being written.
#: SQLite's own files beside one (`-journal`) go with it.
_PART = re.compile(r"^\.(?P<name>.+)\.(?:p(?P<pid>[0-9]+)-[a-z0-9_]+|(?P<old>[0-9]+))"
                   r"\.part(?:-journal|-wal|-shm)?$")


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0  # someone else's process: leave its files alone
    return True


def remove_leftovers(directory: Path, name: str | None = None) -> list[Path]:
    """Remove the temporary files and folders (and SQLite journals beside them) that a killed
    writer left in `directory`, for `name` (or any name); those of a live process stay."""
    import shutil

    removed: list[Path] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        m = _PART.match(entry.name)
        if m is None or (name is not None and m["name"] != name):
            continue
        if process_alive(int(m["pid"] or m["old"])):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def part_prefix(name: str) -> str:
    """The start of the name of this process's temporary file for `name` (see `_PART`)."""
    return f".{name}.p{os.getpid()}-"


def temporary_beside(path: Path) -> Path:
    """A new, empty file next to `path` for writing it (same directory: the rename is atomic),
    named so that `remove_leftovers` recognises it if this process is killed."""
    directory = path.parent if str(path.parent) else Path(".")
    remove_leftovers(directory, path.name)
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=part_prefix(path.name), suffix=".part")
    except OSError as exc:
        raise InputError(_("cannot write {path}: {reason}").format(
            path=path, reason=_reason(exc))) from None
    os.close(fd)
    return Path(tmp)


def write_file(path: Path, content: str | bytes, *, overwrite: bool = True,
               parents: bool = False) -> None:
    """Write the whole file or nothing, only to a new path or over a regular file
    (`output_path`): a temporary file in the same directory, synced, then renamed over the
    target, so a reader (or a crash) never sees half a file. `parents` creates the missing
    directories of the path first."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    output_path(path, overwrite=overwrite)
    if parents:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(_("cannot write {path}: {reason}").format(
                path=path, reason=_reason(exc))) from None
    tmp = temporary_beside(path)
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        output_path(path, overwrite=overwrite)  # nothing odd was put there meanwhile
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the name was taken meanwhile: never replaces
            except FileExistsError:
                raise InputError(_("{path} exists: add --force to replace it.").format(
                    path=path)) from None
            except OSError:  # a file system without hard links: checked just above
                os.replace(tmp, path)
            else:
                tmp.unlink()
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError(_("cannot write {path}: {reason}").format(
                path=path, reason=_reason(exc))) from exc
        raise
