"""Plain text, 80 columns, for terminals and plain-text email; long titles wrap on word breaks.

Plain aligned lines, not Rich tables: Rich measures every cell (about 0.5 ms a row here), which
would put a 10,000-task report at several seconds.
"""

from __future__ import annotations

from planner.domain.text import printable
from planner.reports.blocks import (
    BarChart,
    Blank,
    Block,
    Closing,
    Document,
    Heading,
    LineChart,
    Paragraph,
    Table,
)
from planner.reports.fmt import display_width, wrap
from planner.reports.layout import due_document, weekly_document
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


def document_text(doc: Document, width: int = WIDTH) -> str:
    lines: list[str] = []
    h = doc.header
    frame = doc.formal and doc.frame_in_text
    for line in (h.parent_agency, h.agency):
        if line:
            lines.extend(wrap(line, width))
    if frame and h.number:
        lines.append(h.number)  # whole: its blank (no-break spaces) is where the number goes
    if frame and h.place_date:
        lines.extend(wrap(h.place_date, width))
    if lines:
        lines.append("")
    if frame and h.kind:
        lines.extend(wrap(h.kind.upper(), width))
        lines.extend(wrap(h.title, width))
    else:
        lines.extend(wrap(h.title.upper(), width))
    if h.subtitle:
        lines.extend(wrap(h.subtitle, width))
    for extra in h.lines:
        lines.extend(wrap(extra, width))
    if frame and h.addressees:
        lines.append("")
        lines.extend(wrap(_addressed(h.addressees), width))
    lines.append("=" * width)
    for text in doc.intro:
        lines.append("")
        lines.extend(wrap(text, width))
    for section in doc.sections:
        lines.append("")
        title = section.title.upper()
        lines.extend(wrap(title, width))
        lines.append("-" * min(width, max(display_width(t) for t in wrap(title, width))))
        for block in section.blocks:
            lines.extend(_block(block, width))
    if frame and doc.closing is not None:
        lines.extend(_closing(doc.closing, width))
    # Stored text cannot reach a terminal as an escape sequence (data from before input was
    # checked, or imported): control characters are shown, not sent.
    return printable("\n".join(line.rstrip(" ") for line in lines) + "\n", multiline=True)


def _addressed(addressees: tuple[str, ...]) -> str:
    return "Kính gửi: " + "; ".join(addressees) + "."


def _block(block: Block, width: int) -> list[str]:
    if isinstance(block, LineChart | BarChart):
        return []  # a paragraph beside it says the same in words
    if isinstance(block, Paragraph):
        return [_INDENT + line for line in wrap(block.text, width - len(_INDENT))]
    if isinstance(block, Heading):
        indent = _INDENT * block.level
        return ["", *(indent + line for line in wrap(block.text, width - len(indent)))]
    if isinstance(block, Blank):
        # A part left for the office to write: bracketed, with dotted lines to write on.
        inner = width - 2 * len(_INDENT)
        out = [_INDENT + line for line in wrap(f"[{block.prompt}]", inner)]
        out += [_INDENT + "." * inner] * 2
        return out
    return _table(block, width)


def _closing(closing: Closing, width: int) -> list[str]:
    """Nơi nhận on the left, the signature block on the right, as two columns of text."""
    out = [""]
    if closing.sign_off:
        out.extend(_INDENT + line for line in wrap(closing.sign_off, width - len(_INDENT)))
        out.append("")
    half = width // 2
    left = ["Nơi nhận:", *(line for r in closing.recipients for line in wrap(f"- {r}", half - 2))]
    s = closing.signature
    right = [x for x in (s.authority.upper(), s.title.upper()) if x] + ["", "", s.name]
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ""
        b = right[i] if i < len(right) else ""
        pad = max(0, (width - half - display_width(b)) // 2)
        out.append(_pad(a, half, False) + " " * pad + b)
    return out


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
