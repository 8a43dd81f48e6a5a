"""Plain text, 80 columns, for terminals and plain-text email; long titles wrap on word breaks.

Plain aligned lines, not Rich tables: Rich measures every cell (about 0.5 ms a row here), which
would put a 10,000-task report at several seconds.
"""

from __future__ import annotations

from planner.domain.collector import collector_paused
from planner.domain.text import printable
from planner.reports.fmt import display_width, wrap
from planner.reports.layout import Document, Paragraph, Table, due_document, weekly_document
from planner.reports.model import DueReport, WeeklyReport

WIDTH = 80
_INDENT = "  "
_GAP = "  "
_MIN_FLEX = 28  # narrower, a title column reads badly: it moves under its row


def render_text(report: WeeklyReport, width: int = WIDTH) -> str:
    """The weekly status as plain text (what the TUI preview shows)."""
    return document_text(weekly_document(report), width)


def render_due_text(report: DueReport, width: int = WIDTH) -> str:
    return document_text(due_document(report), width)


@collector_paused()
def document_text(doc: Document, width: int = WIDTH) -> str:
    lines: list[str] = []
    h = doc.header
    for line in (h.parent_agency, h.agency):
        if line:
            lines.extend(wrap(line, width))
    if lines:
        lines.append("")
    lines.extend(wrap(h.title.upper(), width))
    lines.extend(wrap(h.subtitle, width))
    for extra in h.lines:
        lines.extend(wrap(extra, width))
    lines.append("=" * width)
    for section in doc.sections:
        lines.append("")
        title = section.title.upper()
        lines.append(title)
        lines.append("-" * min(width, display_width(title)))
        for block in section.blocks:
            if isinstance(block, Paragraph):
                lines.extend(_INDENT + line for line in wrap(block.text, width - len(_INDENT)))
            else:
                lines.extend(_table(block, width))
    # Stored text cannot reach a terminal as an escape sequence (data from before input was
    # checked, or imported): control characters are shown, not sent.
    return printable("\n".join(line.rstrip() for line in lines) + "\n", multiline=True)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def _table(table: Table, width: int) -> list[str]:
    out: list[str] = []
    if table.caption:
        out.append("")
        out.extend(_INDENT + line for line in wrap(table.caption, width - len(_INDENT)))
        if table.caption_note:
            out.extend(_INDENT + "  " + line for line in wrap(table.caption_note, width - 4))
    columns = list(table.columns)
    widths = [display_width(c.header) for c in columns]
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            if not columns[i].flex:
                widths[i] = max(widths[i], display_width(cell))
    flex = next((i for i, c in enumerate(columns) if c.flex), None)
    stacked = False
    if flex is not None:
        fixed = sum(w for i, w in enumerate(widths) if i != flex)
        available = width - len(_INDENT) - fixed - len(_GAP) * (len(columns) - 1)
        longest = max([display_width(r.cells[flex]) for r in table.rows] + [widths[flex]])
        if available < _MIN_FLEX and longest > available:
            # Too narrow to read: the title goes on lines of its own under its row.
            stacked = True
        else:
            widths[flex] = max(display_width(columns[flex].header), min(available, longest))
    right = [c.align == "right" for c in columns]
    shown = [i for i in range(len(columns)) if not (stacked and i == flex)]
    offset = len(_INDENT) + sum(widths[i] + len(_GAP) for i in shown if flex is not None and i < flex)
    if stacked:
        offset = len(_INDENT) + 4

    def line(cells: list[str]) -> str:
        return _INDENT + _GAP.join(_pad(cells[i], widths[i], right[i]) for i in shown)

    out.append(line([c.header for c in columns]))
    if stacked and flex is not None:
        out.append(" " * offset + columns[flex].header)
    out.append(_INDENT + _GAP.join("-" * widths[i] for i in shown))
    text_width = width - offset
    for row in table.rows:
        cells = list(row.cells)
        extra: list[str] = []
        if flex is not None:
            wrapped = wrap(cells[flex], text_width if stacked else widths[flex])
            if stacked:
                extra = wrapped
            else:
                cells[flex] = wrapped[0]
                extra = wrapped[1:]
        out.append(line(cells))
        out.extend(" " * offset + more for more in extra)
        if row.note:
            out.extend(" " * offset + more for more in wrap(row.note, max(_MIN_FLEX, text_width)))
    return out
