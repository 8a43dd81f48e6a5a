"""Read a published ranking of the units from a spreadsheet (.xlsx, .xls, .ods) or a CSV file.

The first sheet holding a header row with a unit column and a score column is read. Headers
are recognised in Vietnamese or English, without regard to case or diacritics:

- the unit: "Đơn vị", "Tên đơn vị", "Cơ quan", "Unit", "Department";
- the score: "Điểm", "Tổng điểm", "Điểm đạt được", "Score", "Points";
- the rank (optional: computed from the scores when absent, ties sharing a rank):
  "Xếp hạng", "Thứ hạng", "Hạng", "Rank";
- the maximum (optional, one value for the table): "Điểm tối đa", "Tối đa", "Max",
  "Maximum";
- anything else ("STT", "Xếp loại", "Ghi chú") is ignored.

Numbers use a decimal comma or point ("41,93", "41.93"). Every problem is a `RankingError`
naming the file, the row and the column; nothing is partly read.
"""

from __future__ import annotations

import re
from pathlib import Path

from planner.domain.ranking import RankingDraft, RankingRow
from planner.domain.text import TextError, clean_text, fold
from planner.i18n import _
from planner.io.files import FileLimits
from planner.io.sheet_reader import Grid
from planner.services.errors import InputError

_UNIT = ("don vi", "ten don vi", "co quan", "ten co quan", "unit", "department", "agency")
_SCORE = ("diem", "tong diem", "diem dat duoc", "diem so", "ket qua", "score", "total score",
          "points", "total")
_RANK = ("xep hang", "thu hang", "hang", "thu tu xep hang", "rank", "ranking")
_MAX = ("diem toi da", "toi da", "thang diem", "max", "maximum", "max points")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
#: How many rows from the top a header row is looked for (a title may sit above it).
HEADER_SEARCH = 15


class RankingError(Exception):
    """A ranking file that cannot be imported; `message` is translated and names the file,
    the row and the column."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _kind(header: str) -> str | None:
    words = re.sub(r"[^0-9a-z ]+", " ", fold(header)).split()
    text = " ".join(words)
    if not text:
        return None
    if text in _MAX or text.startswith(("diem toi da", "toi da", "max")):
        return "max"
    if text in _RANK or text.startswith(("xep hang", "thu hang", "rank")):
        return "rank"
    if text in _SCORE or text.startswith(("diem", "tong diem", "score", "points")):
        return "score"
    if text in _UNIT or text.startswith(("don vi", "ten don vi", "co quan", "unit", "department")):
        return "unit"
    return None


def _header(grid: Grid) -> tuple[int, dict[str, int], dict[str, str]] | None:
    """(row number, {kind: column}, {kind: header text}) of the first header row naming both
    a unit and a score column."""
    for number, cells in enumerate(grid.rows[:HEADER_SEARCH], 1):
        columns: dict[str, int] = {}
        names: dict[str, str] = {}
        for column, text in enumerate(cells, 1):
            kind = _kind(text)
            if kind is not None and kind not in columns:
                columns[kind] = column
                names[kind] = text
        if "unit" in columns and "score" in columns:
            return number, columns, names
    return None


def number_cell(text: str) -> float | None:
    """A number written with a decimal comma or point ("41,93"); None when it is not one."""
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    if not _NUMBER.fullmatch(value):
        return None
    return float(value.replace(",", "."))


def read_ranking(grids: list[Grid], file: str) -> RankingDraft:
    """The ranking in the first grid that has one; RankingError for the first problem."""
    if not grids or all(g.empty for g in grids):
        raise RankingError(_("{file}: the file is empty: no ranking to import.").format(file=file))
    found = None
    for grid in grids:
        found = _header(grid)
        if found is not None:
            break
    if found is None:
        raise RankingError(_(
            '{file}: no header row names the unit and score columns ("Đơn vị" / "Unit" and '
            '"Điểm" / "Score"); a rank column ("Xếp hạng" / "Rank") is optional.').format(file=file))
    header_row, columns, names = found
    draft = RankingDraft(file=file, score_header=names["score"], unit_header=names["unit"])
    seen: dict[str, int] = {}

    def where(row: int, kind: str) -> str:
        return _("{file}, row {row}, column {column}").format(file=file, row=row, column=names[kind])

    for number in range(header_row + 1, len(grid.rows) + 1):
        unit_text = grid.cell(number, columns["unit"])
        score_text = grid.cell(number, columns["score"])
        rank_text = grid.cell(number, columns["rank"]) if "rank" in columns else ""
        max_text = grid.cell(number, columns["max"]) if "max" in columns else ""
        if not (unit_text or score_text or rank_text):
            continue
        try:
            unit = clean_text(unit_text, where(number, "unit"), max_length=300)
        except TextError as exc:
            raise RankingError(exc.message) from None
        score = number_cell(score_text)
        if score is None:
            if not score_text:
                raise RankingError(_("{where}: no score for {unit}.").format(
                    where=where(number, "score"), unit=unit))
            raise RankingError(_('{where}: "{value}" is not a number.').format(
                where=where(number, "score"), value=score_text))
        if score < 0:
            raise RankingError(_("{where}: the score {value} is negative.").format(
                where=where(number, "score"), value=score_text))
        rank: int | None = None
        if "rank" in columns:
            value = number_cell(rank_text)
            if value is None or value < 1 or not value.is_integer():
                raise RankingError(_(
                    '{where}: "{value}" is not a rank (a whole number from 1).').format(
                    where=where(number, "rank"), value=rank_text))
            rank = int(value)
        if max_text:
            stated = number_cell(max_text)
            if stated is None or stated <= 0:
                raise RankingError(_('{where}: "{value}" is not a maximum number of points.').format(
                    where=where(number, "max"), value=max_text))
            if draft.max_points is None:
                draft.max_points, draft.max_row = stated, number
            elif abs(stated - draft.max_points) > 1e-9:
                raise RankingError(_(
                    "{where}: the maximum {value} differs from the {first} of row {row}: one "
                    "ranking compares scores of one maximum.").format(
                    where=where(number, "max"), value=max_text, first=_n(draft.max_points),
                    row=draft.max_row))
        key = fold(unit)
        if key in seen:
            raise RankingError(_('{where}: "{unit}" is listed twice (also row {first}).').format(
                where=where(number, "unit"), unit=unit, first=seen[key]))
        seen[key] = number
        draft.rows.append(RankingRow(number, unit, score, rank))
    if not draft.rows:
        raise RankingError(_("{file}: the table has a header (row {row}) but no units under it.").format(
            file=file, row=header_row))
    return draft


def _n(value: float) -> str:
    from planner.presentation.text import fmt_number

    return fmt_number(value)


def read_ranking_file(path: Path, limits: FileLimits) -> RankingDraft:
    """The ranking table in the CSV or spreadsheet file `path`; InputError naming the file
    (and the row and column) when it cannot be read as one."""
    from planner.io.sheet_reader import SheetError, read_sheets

    if not path.exists():
        raise InputError(_("{file}: no such file.").format(file=path))
    try:
        grids = read_sheets(path, limits=limits)
        return read_ranking(grids, path.name)
    except SheetError as exc:
        message = exc.message if path.name in exc.message else f"{path.name}: {exc.message}"
        raise InputError(message) from None
    except RankingError as exc:
        raise InputError(exc.message) from None
