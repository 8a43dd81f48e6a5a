"""Read a spreadsheet or a Word table into plain grids of text, one per sheet or table.

Workbooks (.xlsx, .xls, .ods) are read with python-calamine (Rust): on the 10,000-row plan
workbook it takes about half the CPU time of the streaming XML reader it replaced (measured in
docs/performance.md, `scripts/bench_sheet_reader.py`). Tables of a Word document (.docx) are
read with python-docx (`planner.io.docx_tables`). CSV: UTF-8 with or without a byte-order
mark, comma, semicolon or tab sniffed; the protective `'` that exports put before formula-like
cells (= + - @) is removed.

Every cell becomes a string in NFC with surrounding blanks removed ("" when empty): dates as
dd/mm/yyyy, whole numbers without ".0". A merged range reads as its value in every cell it
covers (calamine gives the ranges of .xlsx and .xls; an .ods file's covered cells stay empty).

Every file is opened by `source_bytes`, the one place where a file is read from disk: checks
on what may be read (kind of file, size) belong there. Hostile files are refused, not read:
only a regular file within `max_import_mb` is opened (`planner.io.files`); an archive (.xlsx,
.ods, .docx) with too many parts, or a part declared or found (inflated, counting) over
`max_unpacked_mb`, is refused before any reader sees it; a sheet may not go past Excel's own
last row.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from planner.domain.text import nfc
from planner.i18n import _
from planner.io.files import FileLimits, open_regular, size_text

#: Called with (rows read so far, rows expected or 0 when unknown).
Progress = Callable[[int, int], None]

MAX_COLUMNS = 60
#: Excel's last row: no spreadsheet program writes a row after it.
MAX_ROWS = 1_048_576
#: Parts of an archive (a real .xlsx holds a few dozen).
MAX_PARTS = 10_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class SheetError(Exception):
    """The file cannot be read as a spreadsheet (message is plain English, translated later)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Grid:
    """One sheet (or one table of a document): `rows[i]` is the row numbered `i + 1`, each a
    list of cell texts. `kind` says how problems name it ("sheet" or "table"); `preamble` holds
    the document's paragraphs above a table (its title, number and date), in reading order."""

    name: str
    rows: list[list[str]] = field(default_factory=list)
    kind: str = "sheet"
    preamble: list[str] = field(default_factory=list)

    def cell(self, row: int, column: int) -> str:
        """The text at a 1-based row and column ("" outside the grid)."""
        if 1 <= row <= len(self.rows):
            cells = self.rows[row - 1]
            if 1 <= column <= len(cells):
                return cells[column - 1]
        return ""

    @property
    def empty(self) -> bool:
        return not any(any(c for c in r) for r in self.rows)


def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while column > 0:
        column, rem = divmod(column - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def cell_text(value: Any) -> str:
    """A cell value as text: dates dd/mm/yyyy, 2.0 -> "2", text in NFC and stripped."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            value = value.date()
        else:
            return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = nfc(str(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    return text.strip()


# ---------------------------------------------------------------------------- opening a file


def source_bytes(path: Path, limits: FileLimits | None = None) -> bytes:
    """The bytes of a file to import: the one function through which every reader opens one.
    FileRefused (an InputError) when it is not a regular file or is larger than `limits`
    allow; SheetError when an archive's parts are too many or too large once inflated."""
    limits = limits or FileLimits()
    with open_regular(path, limit=limits.import_bytes, setting="max_import_mb") as handle:
        try:
            data = handle.read()
        except OSError as exc:
            raise SheetError(f"cannot read {path}: {exc.strerror or exc}") from None
    if data.startswith(b"PK\x03\x04"):
        _check_archive(data, path.name, limits.unpacked_bytes)
    return data


class PartTooLarge(SheetError):
    """A part of an archive inflates past `max_unpacked_mb`."""


def _check_archive(data: bytes, name: str, limit: int) -> None:
    """Refuse a ZIP whose parts are too many, or declared or found over `limit` once inflated
    (a "zip bomb" declares small sizes and inflates to gigabytes): every part is inflated
    once, counting, and nothing is kept."""
    import zlib

    def too_large(part: str, size: int | None) -> PartTooLarge:
        shown = size_text(size) if size is not None else \
            _("more than {limit}").format(limit=size_text(limit))
        return PartTooLarge(_(
            "{file}: the part {part} unpacks to {size}, over the limit of {limit} for each part of "
            "a workbook (setting max_unpacked_mb).").format(
            file=name, part=part, size=shown, limit=size_text(limit)))

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise SheetError(f"{name} is a damaged ZIP archive: {exc}") from None
    try:
        with archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:
                raise SheetError(_("{file}: the workbook holds {n} parts (at most {most}).").format(
                    file=name, n=len(infos), most=MAX_PARTS))
            for info in infos:  # what the archive declares, before inflating anything
                if info.file_size > limit:
                    raise too_large(info.filename, info.file_size)
            for info in infos:
                total = 0
                with archive.open(info) as src:
                    while chunk := src.read(min(1 << 20, limit + 1 - total) or 1):
                        total += len(chunk)
                        if total > limit:
                            raise too_large(info.filename, None)
    except SheetError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError) as exc:
        raise SheetError(f"{name}: the workbook is damaged: {exc}") from None


def file_kind(data: bytes, name: str) -> str:
    """"xlsx", "ods", "xls", "docx" or "csv", from the content (the name's suffix only words
    the refusals); SheetError for a file that is none of them."""
    suffix = Path(name).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError) as exc:
            raise SheetError(f"{name} is a damaged ZIP archive: {exc}") from None
        if "word/document.xml" in names:
            return "docx"
        if mimetype.startswith(_ODS_MIMETYPE):
            return "ods"
        if mimetype.startswith(_ODT_MIMETYPE):
            raise SheetError(f"{name} is an OpenDocument text: save it as .docx or .ods")
        if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
            return "xlsx"
        raise SheetError(f"{name} is a ZIP archive, not a workbook or a Word document")
    zipped = {".xlsx": "an .xlsx workbook", ".xlsm": "an .xlsm workbook",
              ".ods": "an .ods spreadsheet", ".docx": "a .docx document"}
    if suffix in zipped:
        raise SheetError(f"{name} is not {zipped[suffix]} (not a ZIP archive)")
    if data.startswith(_OLE2):
        if suffix == ".doc":
            raise SheetError(f"{name} is an old Word 97-2003 document: save it as .docx")
        return "xls"
    if data.startswith(b"%PDF"):
        raise SheetError(f"{name} is a PDF, not a spreadsheet")
    return "csv"


def read_sheets(path: Path, progress: Progress | None = None, *,
                limits: FileLimits | None = None) -> list[Grid]:
    """The sheets of a workbook (.xlsx, .xls, .ods), the tables of a .docx, or a .csv file's
    one grid; SheetError when the file is none of them, FileRefused (an InputError) when it
    is not a regular file or larger than `limits` allow."""
    data = source_bytes(path, limits)
    kind = file_kind(data, path.name)
    if kind == "docx":
        from planner.io.docx_tables import read_docx_tables

        return read_docx_tables(data, path.name)
    if kind == "csv":
        return [_read_csv(data, path.name)]
    return _read_workbook(data, path.name, kind, progress)


# ------------------------------------------------------------------------------- workbooks


def _read_workbook(data: bytes, name: str, kind: str, progress: Progress | None) -> list[Grid]:
    import python_calamine as calamine

    what = {"xlsx": "an .xlsx workbook", "xls": "an .xls workbook", "ods": "an .ods spreadsheet"}
    try:
        workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise SheetError(f"{name} is protected by a password: save it without one") from None
    except Exception as exc:  # calamine raises several kinds on damaged files
        raise SheetError(f"{name} cannot be opened as {what[kind]}: {exc}") from None
    grids: list[Grid] = []
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue  # a chart or macro sheet
            sheet = workbook.get_sheet_by_name(meta.name)
            grid = Grid(nfc(meta.name))
            expected = sheet.total_height
            if expected > MAX_ROWS:
                raise SheetError(_("{file}: sheet {sheet} goes to row {n}, past the last row a "
                                   "spreadsheet can have ({most}).").format(
                    file=name, sheet=meta.name, n=expected, most=MAX_ROWS))
            for values in sheet.to_python(skip_empty_area=False):
                cells = [cell_text(v) for v in values[:MAX_COLUMNS]]
                while cells and not cells[-1]:
                    cells.pop()
                grid.rows.append(cells)
                if progress is not None and len(grid.rows) % 1000 == 0:
                    progress(len(grid.rows), expected)
            ranges = sheet.merged_cell_ranges or []
            _fill_merged(grid, [(r1 + 1, c1 + 1, r2 + 1, min(c2 + 1, MAX_COLUMNS))
                                for (r1, c1), (r2, c2) in ranges])
            while grid.rows and not any(grid.rows[-1]):
                grid.rows.pop()
            grids.append(grid)
    except SheetError:
        raise
    except Exception as exc:
        raise SheetError(f"{name}: the workbook is damaged: {exc}") from None
    finally:
        workbook.close()
    return grids


def _fill_merged(grid: Grid, ranges: list[tuple[int, int, int, int]]) -> None:
    """Copy each merged range's value (its top-left cell) into every cell it covers."""
    for r1, c1, r2, c2 in ranges:
        value = grid.cell(r1, c1)
        if not value:
            continue
        for r in range(r1, min(r2, len(grid.rows)) + 1):
            cells = grid.rows[r - 1]
            if len(cells) < c2:
                cells.extend([""] * (c2 - len(cells)))
            for c in range(c1, c2 + 1):
                cells[c - 1] = value


# ------------------------------------------------------------------------------------- csv


def _read_csv(data: bytes, name: str) -> Grid:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetError(f"{name} is UTF-16 text: save it as CSV UTF-8")
    if b"\x00" in data[:4096]:
        raise SheetError(f"{name} is a binary file, not CSV text")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SheetError(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}):"
            " save it as CSV UTF-8"
        ) from None
    delimiter = _sniff_delimiter(text)
    grid = Grid(name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            cells = [_unprotect(cell_text(v)) for v in record[:MAX_COLUMNS]]
            while cells and not cells[-1]:
                cells.pop()
            grid.rows.append(cells)
    except csv.Error as exc:
        raise SheetError(f"{name}: line {reader.line_num}: {exc}") from None
    while grid.rows and not any(grid.rows[-1]):
        grid.rows.pop()
    return grid


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first lines into the most rows of
    one same width (a title line above the header, or commas inside text, do not fool it)."""
    lines = text.splitlines()[:60]
    best, best_score = ",", (0, 0)
    for delimiter in (",", ";", "\t"):
        widths: dict[int, int] = {}
        try:
            for record in csv.reader(lines, delimiter=delimiter):
                if len(record) > 1:
                    widths[len(record)] = widths.get(len(record), 0) + 1
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
        score = (count, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _unprotect(text: str) -> str:
    """Remove the `'` an export put before a formula-like cell."""
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
        return text[1:]
    return text
