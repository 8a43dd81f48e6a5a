"""Read a spreadsheet (.xlsx or .csv) into plain grids of text, one per sheet.

Every cell becomes a string in NFC with surrounding blanks removed ("" when empty): dates as
dd/mm/yyyy, whole numbers without ".0". A merged range reads as its value in every cell it
covers (openpyxl's read-only mode does not expose merged ranges, so they are read from the
sheet's XML). CSV: UTF-8 with or without a byte-order mark, comma, semicolon or tab sniffed;
the protective `'` that exports put before formula-like cells (= + - @) is removed.

Hostile files are refused, not read: only a regular file within `max_import_mb` is opened
(`planner.io.files`); each part of a workbook (a ZIP) is refused when its declared size is
over `max_unpacked_mb`, and counted while it is inflated in case the declaration lies; a sheet
may not go past Excel's own last row, nor its merged ranges cover more than a sheet holds.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, BinaryIO

from planner.domain.collector import collector_paused
from planner.domain.text import nfc
from planner.i18n import _
from planner.io.files import FileLimits, open_regular, size_text

#: Called with (rows read so far, rows expected or 0 when unknown).
Progress = Callable[[int, int], None]

MAX_COLUMNS = 60
#: Excel's last row: no spreadsheet program writes a row after it.
MAX_ROWS = 1_048_576
#: Cells that merged ranges may fill, all ranges together (a whole sheet of MAX_COLUMNS is
#: 63 million; a real plan merges a few hundred cells).
MAX_MERGED_CELLS = 5_000_000
#: Parts of a workbook (a real .xlsx holds a few dozen).
MAX_PARTS = 10_000
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


@collector_paused()
def read_sheets(path: Path, progress: Progress | None = None, *,
                limits: FileLimits | None = None) -> list[Grid]:
    """The sheets of an .xlsx or .csv file; SheetError when it is neither, FileRefused (an
    InputError) when it is not a regular file or larger than `limits` allow."""
    limits = limits or FileLimits()
    with open_regular(path, limit=limits.import_bytes, setting="max_import_mb") as handle:
        try:
            head = handle.read(8)
            handle.seek(0)
        except OSError as exc:
            raise SheetError(f"cannot read {path}: {exc.strerror or exc}") from None
        if head.startswith(b"PK\x03\x04"):
            return _read_xlsx(handle, path, progress, limits)
        return _read_other(handle, path, head, limits)


def _read_other(handle: BinaryIO, path: Path, head: bytes, limits: FileLimits) -> list[Grid]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raise SheetError(f"{path.name} is not an .xlsx workbook (not a ZIP archive)")
    if suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(f"{path.name} is an old Excel 97-2003 file: save it as .xlsx")
    if head.startswith(b"%PDF"):
        raise SheetError(f"{path.name} is a PDF, not a spreadsheet")
    return [_read_csv(handle, path, limits)]


# ------------------------------------------------------------------------------------ xlsx


class PartTooLarge(SheetError):
    """A part of a workbook inflates past `max_unpacked_mb`."""


class _Container:
    """A workbook's ZIP archive whose parts are read within the size limit of each."""

    def __init__(self, handle: BinaryIO, path: Path, limit: int) -> None:
        self.path = path
        self.limit = limit
        try:
            self.archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise SheetError(f"{path.name} cannot be opened as an .xlsx workbook: {exc}") from None
        infos = self.archive.infolist()
        if len(infos) > MAX_PARTS:
            raise SheetError(_("{file}: the workbook holds {n} parts (at most {most}).").format(
                file=path.name, n=len(infos), most=MAX_PARTS))
        for info in infos:  # what the archive declares, before inflating anything
            if info.file_size > limit:
                raise self.too_large(info.filename, info.file_size)

    def too_large(self, part: str, size: int | None = None) -> PartTooLarge:
        shown = size_text(size) if size is not None else \
            _("more than {limit}").format(limit=size_text(self.limit))
        return PartTooLarge(_(
            "{file}: the part {part} unpacks to {size}, over the limit of {limit} for each part of "
            "a workbook (setting max_unpacked_mb).").format(
            file=self.path.name, part=part, size=shown, limit=size_text(self.limit)))

    def namelist(self) -> list[str]:
        return self.archive.namelist()

    def open(self, part: str) -> _CountedPart:
        return _CountedPart(self.archive.open(part), self, part)

    def read(self, part: str) -> bytes:
        with self.open(part) as src:
            return src.read()

    def inflate_all(self) -> None:
        """Inflate every part once, counting: what openpyxl will read is within the limits."""
        for name in self.archive.namelist():
            with self.open(name) as src:
                while src.read(1 << 20):
                    pass

    def close(self) -> None:
        self.archive.close()


class _CountedPart:
    """A part being inflated: refused as soon as more than the limit comes out, whatever the
    archive declared."""

    def __init__(self, source: Any, container: _Container, part: str) -> None:
        self.source = source
        self.container = container
        self.part = part
        self.total = 0

    def read(self, n: int = -1) -> bytes:
        budget = self.container.limit + 1 - self.total
        data = self.source.read(budget if n is None or n < 0 else min(n, budget))
        self.total += len(data)
        if self.total > self.container.limit:
            raise self.container.too_large(self.part)
        return bytes(data)

    def __enter__(self) -> _CountedPart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.source.close()


def _read_xlsx(handle: BinaryIO, path: Path, progress: Progress | None,
               limits: FileLimits) -> list[Grid]:
    """The fast streaming reader, else openpyxl's read-only mode (which handles more oddities
    of damaged or unusual files, at a third of the speed). A file over a limit is refused by
    either, never read by the other."""
    container = _Container(handle, path, limits.unpacked_bytes)
    try:
        try:
            return _read_xlsx_fast(container, progress)
        except SheetError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            # Damaged data, or a part larger than the archive declares (the CRC fails).
            raise SheetError(f"{path.name}: the workbook is damaged: {exc}") from None
        except Exception:
            container.inflate_all()
            handle.seek(0)
            return _read_xlsx_openpyxl(handle, path, progress)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise SheetError(f"{path.name}: the workbook is damaged: {exc}") from None
    finally:
        container.close()


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _read_xlsx_fast(archive: _Container, progress: Progress | None) -> list[Grid]:
    """Stream each sheet's XML with ElementTree's C parser: cell values only, dates by their
    number format, shared and inline strings, merged ranges filled with their value."""
    import posixpath
    import xml.etree.ElementTree as ET

    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    names = set(archive.namelist())
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL_NS}Relationship")}
    pr = workbook.find(f"{_NS}workbookPr")
    epoch = CALENDAR_MAC_1904 if pr is not None and pr.get("date1904") in ("1", "true") \
        else CALENDAR_WINDOWS_1900

    shared: list[str] = []
    if "xl/sharedStrings.xml" in names:
        # Streamed: a large table of strings is never held as one tree.
        with archive.open("xl/sharedStrings.xml") as src:
            root = None
            for event, si in ET.iterparse(src, events=("start", "end")):
                if root is None:
                    root = si
                elif event == "end" and si.tag == f"{_NS}si":
                    shared.append("".join(t.text or "" for t in si.iter(f"{_NS}t")
                                          if not _in_phonetic(si, t)))
                    root.clear()
    date_styles: set[int] = set()
    if "xl/styles.xml" in names:
        styles = ET.fromstring(archive.read("xl/styles.xml"))
        custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "")
                  for f in styles.iter(f"{_NS}numFmt")}
        xfs = styles.find(f"{_NS}cellXfs")
        for i, xf in enumerate(xfs if xfs is not None else []):
            fmt_id = int(xf.get("numFmtId", "0"))
            fmt = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General")
            if is_date_format(fmt):
                date_styles.add(i)

    grids: list[Grid] = []
    sheets = workbook.find(f"{_NS}sheets")
    for sheet in sheets if sheets is not None else []:
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join("xl", target))
        if part not in names or "worksheets/" not in part:
            continue  # a chart sheet
        grid = Grid(sheet.get("name", ""))
        merges: list[tuple[int, int, int, int]] = []
        with archive.open(part) as src:
            _parse_sheet(ET.iterparse(src, events=("end",)), grid, merges, shared,
                         date_styles, epoch, from_excel, progress)
        _fill_merged(grid, merges)
        while grid.rows and not any(grid.rows[-1]):
            grid.rows.pop()
        grids.append(grid)
    return grids


def _too_many_rows(sheet: str) -> SheetError:
    return SheetError(_("sheet \"{sheet}\" goes past row {most}, the last row of a spreadsheet.")
                      .format(sheet=sheet, most=f"{MAX_ROWS:,}"))


def _in_phonetic(si: Any, t: Any) -> bool:
    """True for the text of a phonetic run (<rPh>), which is not part of the cell's value."""
    return any(t in list(ph.iter()) for ph in si.iter(f"{_NS}rPh"))


def _parse_sheet(events: Any, grid: Grid, merges: list[tuple[int, int, int, int]],
                 shared: list[str], date_styles: set[int], epoch: Any, from_excel: Any,
                 progress: Progress | None) -> None:
    cell_tag, row_tag, merge_tag = f"{_NS}c", f"{_NS}row", f"{_NS}mergeCell"
    v_tag, is_tag, t_tag = f"{_NS}v", f"{_NS}is", f"{_NS}t"
    shared_text = [cell_text(text) for text in shared]  # each shared string cleaned once
    columns: dict[str, int] = {}
    cells: dict[int, str] = {}
    next_row = 1
    for _event, el in events:
        tag = el.tag
        if tag == cell_tag:
            ref = el.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                column = columns.get(letters) or columns.setdefault(letters, column_number(letters))
            else:
                column = max(cells, default=0) + 1
            if column <= MAX_COLUMNS:
                kind = el.get("t", "n")
                v = el.find(v_tag)
                raw = v.text if v is not None else None
                value: Any = None
                if kind == "s":
                    cells[column] = shared_text[int(raw)] if raw is not None else ""
                    el.clear()
                    continue
                if kind == "inlineStr":
                    box = el.find(is_tag)
                    value = "".join(t.text or "" for t in box.iter(t_tag)) if box is not None \
                        else None
                elif kind in ("str", "e"):
                    value = raw
                elif kind == "b":
                    value = raw == "1" if raw is not None else None
                elif raw is not None:
                    number = float(raw)
                    style = int(el.get("s", "0"))
                    if style in date_styles:
                        value = from_excel(number, epoch)
                    else:
                        value = int(number) if number.is_integer() else number
                cells[column] = cell_text(value)
            el.clear()
        elif tag == row_tag:
            r = int(el.get("r") or next_row)
            if r > MAX_ROWS:
                raise _too_many_rows(grid.name)
            while len(grid.rows) < r - 1:
                grid.rows.append([])
            width = max((c for c, text in cells.items() if text), default=0)
            grid.rows.append([cells.get(c, "") for c in range(1, width + 1)])
            next_row = r + 1
            cells = {}
            el.clear()
            if progress is not None and len(grid.rows) % 1000 == 0:
                progress(len(grid.rows), 0)
        elif tag == merge_tag:
            m1 = re.fullmatch(r"([A-Z]{1,3})([0-9]+):([A-Z]{1,3})([0-9]+)", el.get("ref", ""))
            if m1:
                r1, r2 = int(m1[2]), int(m1[4])
                c1, c2 = column_number(m1[1]), column_number(m1[3])
                merges.append((min(r1, r2), min(c1, c2), max(r1, r2),
                               min(max(c1, c2), MAX_COLUMNS)))


def _read_xlsx_openpyxl(handle: BinaryIO, path: Path, progress: Progress | None) -> list[Grid]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(handle, read_only=True, data_only=True)
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
                if len(grid.rows) > MAX_ROWS:
                    raise _too_many_rows(grid.name)
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
    ranges = sorted(set(ranges))
    covered = sum(max(0, min(r2, len(grid.rows)) - r1 + 1) * (c2 - c1 + 1) for r1, c1, r2, c2 in ranges)
    if covered > MAX_MERGED_CELLS:
        raise SheetError(_("sheet \"{sheet}\": its merged ranges cover {n} cells (at most {most}).")
                         .format(sheet=grid.name, n=f"{covered:,}", most=f"{MAX_MERGED_CELLS:,}"))
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


def _read_csv(handle: BinaryIO, path: Path, limits: FileLimits) -> Grid:
    try:
        data = handle.read(limits.import_bytes + 1)  # the size was checked when it was opened
    except OSError as exc:
        raise SheetError(f"cannot read {path}: {exc.strerror or exc}") from None
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
            if len(grid.rows) > MAX_ROWS:
                raise _too_many_rows(grid.name)
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
