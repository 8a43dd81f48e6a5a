"""Read a spreadsheet (.xlsx or .csv) into plain grids of text, one per sheet.

Every cell becomes a string in NFC with surrounding blanks removed ("" when empty): dates as
dd/mm/yyyy, whole numbers without ".0". A merged range reads as its value in every cell it
covers (openpyxl's read-only mode does not expose merged ranges, so they are read from the
sheet's XML). CSV: UTF-8 with or without a byte-order mark, comma, semicolon or tab sniffed;
the protective `'` that exports put before formula-like cells (= + - @) is removed.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from planner.domain.text import nfc

#: Called with (rows read so far, rows expected or 0 when unknown).
Progress = Callable[[int, int], None]

MAX_COLUMNS = 60
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})([0-9]+):([A-Z]{1,3})([0-9]+)"')


class SheetError(Exception):
    """The file cannot be read as a spreadsheet (message is plain English, translated later)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Grid:
    """One sheet: `rows[i]` is the row numbered `i + 1`, each a list of cell texts."""

    name: str
    rows: list[list[str]] = field(default_factory=list)

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
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = nfc(str(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    return text.strip()


def read_sheets(path: Path, progress: Progress | None = None) -> list[Grid]:
    """The sheets of an .xlsx or .csv file; SheetError when it is neither."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise SheetError(f"cannot read {path}: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, progress)
    if suffix in (".xlsx", ".xlsm"):
        raise SheetError(f"{path.name} is not an .xlsx workbook (not a ZIP archive)")
    if suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(f"{path.name} is an old Excel 97-2003 file: save it as .xlsx")
    if head.startswith(b"%PDF"):
        raise SheetError(f"{path.name} is a PDF, not a spreadsheet")
    return [_read_csv(path)]


# ------------------------------------------------------------------------------------ xlsx


def _read_xlsx(path: Path, progress: Progress | None) -> list[Grid]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SheetError(f"{path.name} cannot be opened as an .xlsx workbook: {exc}") from None
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise SheetError(f"{path.name} cannot be opened as an .xlsx workbook: {exc!r}") from None
    grids: list[Grid] = []
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):  # a chart sheet
                continue
            grid = Grid(ws.title)
            expected = int(getattr(ws, "max_row", 0) or 0)
            ws.reset_dimensions()  # some writers record wrong dimensions
            for values in ws.iter_rows(values_only=True):
                cells = [cell_text(v) for v in values[:MAX_COLUMNS]]
                while cells and not cells[-1]:
                    cells.pop()
                grid.rows.append(cells)
                if progress is not None and len(grid.rows) % 1000 == 0:
                    progress(len(grid.rows), expected)
            _fill_merged(grid, _merged_ranges(wb, ws))
            while grid.rows and not any(grid.rows[-1]):
                grid.rows.pop()
            grids.append(grid)
    except SheetError:
        raise
    except Exception as exc:
        raise SheetError(f"{path.name}: the workbook is damaged: {exc!r}") from None
    finally:
        wb.close()
    return grids


def _merged_ranges(wb: Any, ws: Any) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of each merged range, read from the sheet XML.

    Read-only worksheets do not parse <mergeCells>; this uses openpyxl's archive handle and
    the worksheet's part name (private attributes, checked by the tests).
    """
    archive = getattr(wb, "_archive", None)
    part = getattr(ws, "_worksheet_path", None)
    if archive is None or part is None:
        return []
    with archive.open(part) as src:
        data = src.read()
    start = data.rfind(b"sheetData>")  # merged ranges follow the cells
    if data.find(b"mergeCell", max(0, start)) < 0:
        return []
    ranges = []
    for m in _MERGE.finditer(data, max(0, start)):
        r1, r2 = int(m[2]), int(m[4])
        c1, c2 = column_number(m[1].decode()), column_number(m[3].decode())
        ranges.append((min(r1, r2), min(c1, c2), max(r1, r2), min(max(c1, c2), MAX_COLUMNS)))
    return ranges


def _fill_merged(grid: Grid, ranges: list[tuple[int, int, int, int]]) -> None:
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


def _read_csv(path: Path) -> Grid:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetError(f"{path.name} is UTF-16 text: save it as CSV UTF-8")
    if b"\x00" in data[:4096]:
        raise SheetError(f"{path.name} is a binary file, not CSV text")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SheetError(
            f"{path.name} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}):"
            " save it as CSV UTF-8"
        ) from None
    delimiter = _sniff_delimiter(text)
    grid = Grid(path.name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            cells = [_unprotect(cell_text(v)) for v in record[:MAX_COLUMNS]]
            while cells and not cells[-1]:
                cells.pop()
            grid.rows.append(cells)
    except csv.Error as exc:
        raise SheetError(f"{path.name}: line {reader.line_num}: {exc}") from None
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
