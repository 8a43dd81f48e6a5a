"""The tables of a Word document (.docx) as grids, with the paragraphs written above each.

Offices and the province often publish their tables inside the decision or plan itself: the
title ("KẾ HOẠCH … năm 2023"), the number and the date are paragraphs above the table, which is
the appendix. Each table becomes one `Grid` named "1", "2", … (problems say "table 2, row 5"),
whose `preamble` holds the paragraphs between the previous table and this one. python-docx
repeats a merged cell's text in every grid position it covers, as the workbook reader does.
Nested tables are read as their cell's text only.
"""

from __future__ import annotations

import io
from typing import Any

from planner.io.sheet_reader import MAX_COLUMNS, Grid, SheetError, cell_text

#: Paragraphs kept above a table: the document's heading lines, not its whole text.
MAX_PREAMBLE = 60


def read_docx_tables(data: bytes, name: str) -> list[Grid]:
    """Every table of the document, in reading order; SheetError when it has none."""
    try:
        from docx import Document
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds on damaged files
        raise SheetError(f"{name} cannot be opened as a Word document: {exc}") from None
    grids: list[Grid] = []
    above: list[str] = []
    try:
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                text = cell_text(block.text)
                if text:
                    above.append(" ".join(text.split()))
                    del above[:-MAX_PREAMBLE]
            elif isinstance(block, Table):
                grid = Grid(str(len(grids) + 1), kind="table", preamble=above)
                grid.rows = [_row_cells(row) for row in block.rows]
                while grid.rows and not any(grid.rows[-1]):
                    grid.rows.pop()
                grids.append(grid)
                above = []
    except Exception as exc:
        raise SheetError(f"{name}: the document is damaged: {exc}") from None
    if not grids:
        raise SheetError(f"{name} holds no table")
    return grids


def _row_cells(row: Any) -> list[str]:
    cells = [""] * int(getattr(row, "grid_cols_before", 0) or 0)
    cells.extend(cell_text(cell.text) for cell in row.cells)
    cells = cells[:MAX_COLUMNS]
    while cells and not cells[-1]:
        cells.pop()
    return cells
