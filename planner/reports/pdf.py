"""The A4 printout (fpdf2), laid out as an administrative document of Decree 30/2020/NĐ-CP.

The issuing body top left (its parent above it) with the number line under it, the national
heading top right with the place-and-date line, the kind of document and its title, "Kính
gửi" when it is addressed, the body, then the recipients (Nơi nhận) bottom left and the
signature block bottom right. Liberation Serif (Times New Roman's metrics, Vietnamese
complete, bundled with its licence), 13 pt text, tables at 10.5 pt; margins left 30 mm, right
15 mm, top and bottom 20 mm; page numbers at the top centre from page 2. The frame is
Vietnamese whatever the interface language (it is the legal format); the body follows the
language.

Nothing is left alone at the foot of a page: a section title or heading goes with what
follows it, a table's caption and header with at least its first two rows, the closing stays
whole; a table's header is repeated on every page it runs onto.

fpdf is imported here only (about 0.35 s). Tables are drawn line by line with `FPDF.text`:
fpdf2's own `table()` measured 4.6 ms a row here (46 s for 10,000 tasks), `text` about
9 µs a cell; titles are wrapped by measured word widths, cached because words repeat.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from planner.reports import charts, fit
from planner.reports.blocks import (
    MOTTO,
    MOTTO_2,
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
from planner.reports.layout import due_document, weekly_document
from planner.reports.model import DueReport, WeeklyReport

if TYPE_CHECKING:
    from fpdf import FPDF

FAMILY = "LiberationSerif"

_TEXT = 13.0  # pt, paragraphs (Decree 30: 13-14)
_TEXT_LINE = 6.0  # mm per line of text
_BODY = 10.5  # pt, tables
_LINE = 4.6  # mm per table line
_PAD = 1.2  # mm inside a cell, left and right
_MIN_FLEX = 60.0  # mm: the title column never gets less
_SLACK = 0.5  # mm: a cell as wide as its text must not wrap by a rounding error
_KEEP_ROWS = 2  # rows a table's caption and header keep with them
_SIGN_SPACE = 26.0  # mm left for the signature and the seal


def render_pdf(report: WeeklyReport) -> bytes:
    return document_pdf(weekly_document(report), report.as_of)


def render_due_pdf(report: DueReport) -> bytes:
    return document_pdf(due_document(report), report.as_of)


def document_pdf(doc: Document, as_of: date | None = None) -> bytes:
    pdf = _new_pdf(doc, as_of)
    writer = _Writer(pdf)
    writer.header(doc)
    for text in doc.intro:
        writer.paragraph(text, indent=True)
    for section in doc.sections:
        blocks = section.blocks
        writer.section_title(section.title, writer.keep_height(blocks, 0))
        for i, block in enumerate(blocks):
            writer.block(block, writer.keep_height(blocks, i + 1))
    if doc.closing is not None:
        writer.closing(doc.closing)
    return bytes(pdf.output())


def _new_pdf(doc: Document, as_of: date | None) -> FPDF:
    from fpdf import FPDF

    class _Pdf(FPDF):
        def header(self) -> None:
            # Decree 30: the page number at the top centre, from the second page on.
            if self.page_no() > 1:
                self.set_y(10)
                self.set_font(FAMILY, "", _TEXT)
                self.cell(0, 6, str(self.page_no()), align="C")
                self.set_y(self.t_margin)

    pdf = _Pdf(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(left=30, top=20, right=15)
    pdf.set_auto_page_break(True, margin=20)
    for style, name in fit.FONT_FILES.items():
        pdf.add_font(FAMILY, style, fit.FONT_DIR / name)
    pdf.set_title(f"{doc.header.title} · {doc.header.subtitle}".strip(" ·"))
    pdf.set_author(doc.header.agency)
    pdf.set_creator("planner")
    pdf.set_lang("vi" if doc.lang == "vi" else "en")
    if as_of is not None:
        # The same report gives the same bytes: no wall-clock time inside.
        pdf.set_creation_date(datetime.combine(as_of, time(0, 0), tzinfo=UTC))
    pdf.add_page()
    return pdf


class _Writer:
    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self._widths: dict[str, Any] = {}  # style -> glyph widths of that font
        self._cache: dict[str, dict[str, float]] = {}  # style -> text -> width in 1/1000 em
        self._style = ""
        self._size = _BODY
        self._layouts: dict[int, tuple[list[float], int | None]] = {}  # id(table) -> widths, flex

    # ------------------------------------------------------------------ text measures

    def font(self, style: str = "", size: float = _BODY) -> None:
        if (style, size) != (self._style, self._size) or self.pdf.font_family != FAMILY.lower():
            self.pdf.set_font(FAMILY, style, size)
            self._style, self._size = style, size

    def width(self, text: str) -> float:
        """Width in mm at the current font, from the font's own glyph widths.

        `get_string_width` builds text fragments for every call (about 30 µs); without text
        shaping the width is the sum of the glyph widths (1/1000 em), which the font holds.
        """
        cache = self._cache.get(self._style)
        if cache is None:
            cache = self._cache[self._style] = {}
            self._widths[self._style] = self.pdf.current_font.cw  # type: ignore[union-attr]
        units = cache.get(text)
        if units is None:
            glyphs = self._widths[self._style]
            units = cache[text] = sum(glyphs[ord(ch)] for ch in text)
        return units * self._size * 0.001 / self.pdf.k

    def wrap(self, text: str, width: float) -> list[str]:
        lines: list[str] = []
        current = ""
        used = 0.0
        space = self.width(" ")
        for word in text.split():
            w = self.width(word)
            while w > width:  # a word wider than the column is cut
                if current:
                    lines.append(current)
                    current, used = "", 0.0
                head, word = self._cut(word, width)
                lines.append(head)
                w = self.width(word)
            if current and used + space + w > width:
                lines.append(current)
                current, used = "", 0.0
            if current:
                current += " " + word
                used += space + w
            else:
                current, used = word, w
        lines.append(current)
        return lines

    def _cut(self, word: str, width: float) -> tuple[str, str]:
        for i in range(len(word), 0, -1):
            if self.width(word[:i]) <= width:
                return word[:i], word[i:]
        return word[:1], word[1:]

    def clip(self, text: str, width: float) -> str:
        if self.width(text) <= width:
            return text
        while text and self.width(text + "…") > width:
            text = text[:-1]
        return text + "…"

    def room(self) -> float:
        """Height left on the page, in mm."""
        return self.pdf.page_break_trigger - self.pdf.get_y()

    def ensure(self, height: float) -> None:
        """A new page unless `height` fits on this one (never on a page that is still empty)."""
        if height > self.room() and self.pdf.get_y() > self.pdf.t_margin + 1:
            self.pdf.add_page()

    def centred(self, text: str, x: float, width: float, y: float, style: str, size: float) -> None:
        """One line centred in [x, x + width], never wrapped: drawn smaller if it must be."""
        size = fit.fitting_size(text, width, style, size, size - 3)
        self.font(style, size)
        self.pdf.text(x + (width - self.width(text)) / 2, y, text)

    # ------------------------------------------------------------------ the head

    def header(self, doc: Document) -> None:
        pdf = self.pdf
        h = doc.header
        formal = doc.formal
        keep = (h.place,) if h.place else ()
        left, top = pdf.l_margin, pdf.get_y()
        half = fit.LEFT_WIDTH
        other = pdf.epw - half
        # Left: the parent agency, the agency in bold, a short rule, the number line.
        y = top + 4.2
        for line in fit.lines(h.parent_agency.upper(), half, "", 12, name=True) if h.parent_agency else []:
            self.centred(line, left, half, y, "", 12)
            y += 5.2
        agency = fit.lines(h.agency.upper(), half, "B", 12, keep, name=True)
        for line in agency:
            self.centred(line, left, half, y, "B", 12)
            y += 5.2
        self.font("B", 12)
        widest = max((self.width(line) for line in agency), default=0.0)
        self._rule(left + half / 2, y - 3.6, min(half / 6, widest / 2))
        y += 2.0
        if formal and h.number:
            y += 3.0
            self.centred(h.number, left, half, y, "", 13)
            y += 5.5
        bottom_left = y
        # Right: the national heading, its motto underlined by a rule as long as itself.
        y = top + 4.2
        self.centred(MOTTO, left + half, other, y, "B", 12)
        y += 5.5
        self.centred(MOTTO_2, left + half, other, y, "B", 13)
        self.font("B", 13)
        self._rule(left + half + other / 2, y + 1.2, self.width(MOTTO_2) / 2)
        y += 5.5
        if h.place_date:
            y += 3.0
            self.centred(h.place_date, left + half, other, y, "I", 13)
            y += 5.5
        pdf.set_y(max(bottom_left, y) + 4)
        # The kind of document and its title, centred, each line whole.
        y = pdf.get_y() + 5
        if h.kind:
            self.centred(h.kind.upper(), left, pdf.epw, y, "B", 14)
            y += 6.5
            title = fit.lines(h.title, pdf.epw, "B", 14, keep)
        else:
            title = fit.lines(h.title.upper(), pdf.epw, "B", 14, keep)
        for line in title:
            self.centred(line, left, pdf.epw, y, "B", 14)
            y += 6.5
        pdf.set_y(y - 4.5)
        if h.subtitle:
            self.font("B" if not formal else "I", 13 if formal else 12)
            pdf.multi_cell(0, 5.8, h.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
        self.font("I", 12)
        for line in h.lines:
            pdf.multi_cell(0, 5.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
        if formal:
            self._rule(left + pdf.epw / 2, pdf.get_y() + 1.5, 20)
            pdf.ln(4)
        if formal and h.addressees:
            pdf.ln(2)
            self.font("", 14)
            pdf.multi_cell(0, 6.5, "Kính gửi: " + "; ".join(h.addressees) + ".", align="C",
                           new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    def _rule(self, centre: float, y: float, half_length: float) -> None:
        self.pdf.set_draw_color(0, 0, 0)
        self.pdf.set_line_width(0.3)
        self.pdf.line(centre - half_length, y, centre + half_length, y)

    # ------------------------------------------------------------------ keeping together

    def keep_height(self, blocks: tuple[Block, ...], i: int) -> float:
        """What must stay on the page with the line before blocks[i]: that block's first part
        (two lines of a paragraph, a table's caption, header and first rows), and after a
        heading, the first part of the block under it."""
        if i >= len(blocks):
            return 0.0
        block = blocks[i]
        if isinstance(block, Heading):
            return self._heading_height(block) + self.keep_height(blocks, i + 1)
        if isinstance(block, Paragraph):
            self.font("", _TEXT)
            return min(2, len(self.wrap(block.text, self.pdf.epw))) * _TEXT_LINE
        if isinstance(block, Blank):
            return self._blank_height(block)
        if isinstance(block, LineChart | BarChart):
            return self._chart_height(block)
        return self._table_keep(block)

    def _heading_height(self, heading: Heading) -> float:
        self.font("B" if heading.level <= 1 else "BI", _TEXT)
        return len(self.wrap(heading.text, self.pdf.epw)) * _TEXT_LINE + 2.0

    def section_title(self, title: str, keep: float) -> None:
        self.font("B", _TEXT)
        height = len(self.wrap(title, self.pdf.epw)) * _TEXT_LINE + 4.0
        self.ensure(height + keep)  # a title never ends a page alone
        self.pdf.ln(3)
        self.pdf.multi_cell(0, _TEXT_LINE, title, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def block(self, block: Block, keep_next: float) -> None:
        if isinstance(block, Paragraph):
            self.paragraph(block.text)
        elif isinstance(block, Heading):
            self.ensure(self._heading_height(block) + keep_next)
            self.pdf.ln(1.5)
            self.font("B" if block.level <= 1 else "BI", _TEXT)
            self.pdf.multi_cell(0, _TEXT_LINE, block.text, new_x="LMARGIN", new_y="NEXT")
            self.pdf.ln(0.5)
        elif isinstance(block, Blank):
            self.blank(block)
        elif isinstance(block, LineChart | BarChart):
            self.chart(block)
        else:
            self.table(block)

    # ------------------------------------------------------------------ charts

    _LINE_CHART_HEIGHT = 70.0  # mm

    def _chart_height(self, chart: LineChart | BarChart) -> float:
        body = (self._LINE_CHART_HEIGHT if isinstance(chart, LineChart)
                else charts.bar_height(chart))
        return _LINE + body + 3.0

    def chart(self, chart: LineChart | BarChart) -> None:
        """A chart drawn with fpdf2's lines and rectangles (`reports.charts` places them, as
        for the HTML's SVG), under its title, kept on one page."""
        pdf = self.pdf
        self.ensure(self._chart_height(chart))
        self.font("I", _BODY)
        pdf.cell(0, _LINE, chart.title, new_x="LMARGIN", new_y="NEXT")
        x0, y0 = pdf.l_margin, pdf.get_y()
        pdf.set_draw_color(17)
        if isinstance(chart, LineChart):
            height = self._LINE_CHART_HEIGHT
            g = charts.line_geometry(chart, pdf.epw, height)
            fx, fy, fw, fh = g.frame
            pdf.set_line_width(0.1)
            pdf.set_draw_color(187)
            for a, b in g.grid:
                pdf.line(x0 + a[0], y0 + a[1], x0 + b[0], y0 + b[1])
            pdf.set_draw_color(17)
            pdf.set_line_width(0.2)
            pdf.rect(x0 + fx, y0 + fy, fw, fh)
            for i, points in enumerate(g.series):
                self._dash(charts.SERIES_DASH[i % 3], charts.SERIES_WIDTH[i % 3])
                if len(points) > 1:
                    pdf.polyline([(x0 + x, y0 + y) for x, y in points])
                a, b = g.legend[i]
                pdf.line(x0 + a[0], y0 + a[1], x0 + b[0], y0 + b[1])
            for j, (a, b) in enumerate(g.levels):
                self._dash(charts.LEVEL_DASH[j % 2], charts.LEVEL_WIDTH)
                pdf.line(x0 + a[0], y0 + a[1], x0 + b[0], y0 + b[1])
                c, d = g.legend[len(g.series) + j]
                pdf.line(x0 + c[0], y0 + c[1], x0 + d[0], y0 + d[1])
            self._dash((), 0.2)
            texts = g.texts
        else:
            height = charts.bar_height(chart)
            bars = charts.bar_geometry(chart, pdf.epw)
            pdf.set_line_width(0.2)
            for part, x, y, w, h in bars.boxes:
                pdf.set_fill_color(charts.PART_GREY[part % 4])
                pdf.rect(x0 + x, y0 + y, w, h, style="DF")
            pdf.set_line_width(0.15)
            for a, b in bars.hatching:
                pdf.line(x0 + a[0], y0 + a[1], x0 + b[0], y0 + b[1])
            pdf.set_fill_color(255)
            texts = bars.texts
        self.font("", charts.FONT_SIZE)
        for t in texts:
            shift = {"start": 0.0, "middle": self.width(t.text) / 2,
                     "end": self.width(t.text)}[t.anchor]
            pdf.text(x0 + t.x - shift, y0 + t.y, t.text)
        pdf.set_line_width(0.2)
        pdf.set_y(y0 + height + 3.0)

    def _dash(self, dash: tuple[float, ...], width: float) -> None:
        self.pdf.set_line_width(width)
        if not dash:
            self.pdf.set_dash_pattern()
        else:
            self.pdf.set_dash_pattern(dash=dash[0], gap=dash[1])

    # ------------------------------------------------------------------ text blocks

    def paragraph(self, text: str, indent: bool = False) -> None:
        """A justified paragraph; `indent` indents its first line by 10 mm (no-break spaces,
        which justification does not stretch)."""
        self.font("", _TEXT)
        if indent:
            text = "\u00a0" * round(10.0 / self.width("\u00a0")) + text
        lines = self.wrap(text, self.pdf.epw)
        self.ensure(min(2, len(lines)) * _TEXT_LINE)
        self.pdf.multi_cell(0, _TEXT_LINE, text, align="J", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1.5)

    def _blank_height(self, blank: Blank) -> float:
        self.font("I", 12)
        return len(self.wrap(f"[{blank.prompt}]", self.pdf.epw - 4)) * 5.5 + 2 * 7.0 + 4.0

    def blank(self, blank: Blank) -> None:
        """A part for the office to write: its prompt in brackets, then dotted lines."""
        pdf = self.pdf
        self.ensure(self._blank_height(blank))
        pdf.ln(1)
        self.font("I", 12)
        pdf.set_text_color(90, 90, 90)
        pdf.multi_cell(0, 5.5, f"[{blank.prompt}]", new_x="LMARGIN", new_y="NEXT")
        self.font("", 12)
        dot = self.width(".")
        dots = "." * int(pdf.epw / dot)
        for _line in range(2):
            pdf.ln(1.5)
            pdf.cell(0, 5.5, dots, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(2)

    # ------------------------------------------------------------------ the closing

    def closing(self, closing: Closing) -> None:
        """The sign-off, then Nơi nhận (left) and the signature block (right), on one page."""
        pdf = self.pdf
        if closing.sign_off:
            self.paragraph(closing.sign_off, indent=True)
        half = fit.LEFT_WIDTH
        other = pdf.epw - half
        self.font("", 11)
        recipient_lines = [line for r in closing.recipients for line in self.wrap(f"- {r}", half - 2)]
        s = closing.signature
        titles = [x.upper() for x in (s.authority, s.title) if x]
        left_height = 6.0 + 5.0 * len(recipient_lines)
        right_height = 6.0 * len(titles) + _SIGN_SPACE + 6.0
        self.ensure(max(left_height, right_height) + 4)
        top = pdf.get_y() + 4
        left = pdf.l_margin
        y = top + 4.5
        self.font("BI", 12)
        pdf.text(left, y, "Nơi nhận:")
        self.font("", 11)
        for line in recipient_lines:
            y += 5.0
            pdf.text(left, y, line)
        y = top + 4.5
        for line in titles:
            self.centred(line, left + half, other, y, "B", 13)
            y += 6.0
        y += _SIGN_SPACE
        if s.name:
            self.centred(s.name, left + half, other, y, "B", 13)
        pdf.set_y(top + max(left_height, right_height))

    # ------------------------------------------------------------------ tables

    def _column_widths(self, table: Table, flex: int | None) -> list[float]:
        """Columns as wide as their longest cell (or header word), the title column the rest.

        If the fixed columns would leave the title less than _MIN_FLEX, all are scaled down
        (and clipped); a table without a title column shares the spare width by weight.
        """
        epw = self.pdf.epw
        natural = []
        for i, column in enumerate(table.columns):
            self.font("B", _BODY)
            longest = max([self.width(w) for w in column.header.split()] or [0.0])
            if i != flex:
                for row in table.rows:
                    self.font("B" if row.emphasis else "", _BODY)
                    longest = max(longest, self.width(row.cells[i]))
            natural.append(longest + 2 * _PAD + _SLACK)
        if flex is not None:
            fixed = sum(w for i, w in enumerate(natural) if i != flex)
            room = epw - _MIN_FLEX
            scale = min(1.0, room / fixed) if fixed else 1.0
            widths = [w * scale for w in natural]
            widths[flex] = epw - sum(w for i, w in enumerate(widths) if i != flex)
            return widths
        total = sum(natural)
        if total >= epw:
            return [w * epw / total for w in natural]
        weights = sum(c.weight for c in table.columns) or 1.0
        return [w + (epw - total) * c.weight / weights for w, c in zip(natural, table.columns, strict=True)]

    def _layout(self, table: Table) -> tuple[list[float], int | None]:
        known = self._layouts.get(id(table))
        if known is None:
            flex = next((i for i, c in enumerate(table.columns) if c.flex), None)
            known = self._layouts[id(table)] = (self._column_widths(table, flex), flex)
        return known

    def _caption_height(self, table: Table) -> float:
        if not table.caption:
            return 0.0
        self.font("B", 12)
        height = len(self.wrap(table.caption, self.pdf.epw)) * 5.8 + 1.5
        if table.caption_note:
            self.font("I", _BODY)
            height += len(self.wrap(table.caption_note, self.pdf.epw)) * _LINE
        return height

    def _header_height(self, table: Table, widths: list[float]) -> float:
        self.font("B", _BODY)
        return _LINE * max(len(self.wrap(c.header, w - 2 * _PAD))
                           for c, w in zip(table.columns, widths, strict=True)) + 1.0

    def _row_lines(self, row: Any, widths: list[float], flex: int | None) -> tuple[list[str], list[str]]:
        self.font("B" if row.emphasis else "", _BODY)
        wrapped = self.wrap(row.cells[flex], widths[flex] - 2 * _PAD) if flex is not None else []
        note_lines: list[str] = []
        if row.note:
            note_x = widths[0] if len(widths) > 1 else 0.0
            self.font("I", _BODY)
            note_lines = self.wrap(row.note, self.pdf.epw - note_x - 2 * _PAD)
        return wrapped, note_lines

    def _table_keep(self, table: Table) -> float:
        widths, flex = self._layout(table)
        height = self._caption_height(table) + self._header_height(table, widths)
        for row in table.rows[:_KEEP_ROWS]:
            wrapped, notes = self._row_lines(row, widths, flex)
            height += _LINE * (max(1, len(wrapped)) + len(notes)) + 1.0
        return height

    def table(self, table: Table) -> None:
        pdf = self.pdf
        widths, flex = self._layout(table)
        xs = [pdf.l_margin]
        for w in widths[:-1]:
            xs.append(xs[-1] + w)
        right = [c.align == "right" for c in table.columns]
        # The caption, the header and the first rows start on the same page.
        self.ensure(self._table_keep(table))
        if table.caption:
            pdf.ln(1.5)
            self.font("B", 12)
            pdf.multi_cell(0, 5.8, table.caption, new_x="LMARGIN", new_y="NEXT")
            if table.caption_note:
                self.font("I", _BODY)
                pdf.multi_cell(0, _LINE, table.caption_note, new_x="LMARGIN", new_y="NEXT")
        headers = [c.header for c in table.columns]
        self._headings(headers, xs, widths, right)
        note_x = xs[1] if len(xs) > 1 else xs[0]
        for row in table.rows:
            wrapped, note_lines = self._row_lines(row, widths, flex)
            height = _LINE * (max(1, len(wrapped)) + len(note_lines)) + 1.0
            if pdf.get_y() + height > pdf.page_break_trigger:
                pdf.add_page()
                self._headings(headers, xs, widths, right)
            self.font("B" if row.emphasis else "", _BODY)
            y = pdf.get_y()
            baseline = y + _LINE - 1.0
            for i, cell in enumerate(row.cells):
                if i == flex:
                    for n, line in enumerate(wrapped):
                        pdf.text(xs[i] + _PAD, baseline + n * _LINE, line)
                    x, text = xs[i] + _PAD, wrapped[0] if wrapped else ""
                else:
                    text = self.clip(cell, widths[i] - 2 * _PAD)
                    x = xs[i] + widths[i] - _PAD - self.width(text) if right[i] else xs[i] + _PAD
                    pdf.text(x, baseline, text)
                href = row.link(i)
                if href and text:
                    pdf.link(x, y, min(self.width(text), widths[i] - 2 * _PAD), _LINE, href)
            if note_lines:
                self.font("I", _BODY)
                first = baseline + max(1, len(wrapped)) * _LINE
                for n, line in enumerate(note_lines):
                    pdf.text(note_x + _PAD, first + n * _LINE, line)
            bottom = y + height
            pdf.line(pdf.l_margin, bottom, pdf.l_margin + pdf.epw, bottom)
            pdf.set_y(bottom)
        pdf.set_draw_color(0, 0, 0)
        pdf.ln(3)

    def _headings(self, headers: list[str], xs: list[float], widths: list[float],
                  right: list[bool]) -> None:
        pdf = self.pdf
        self.font("B", _BODY)
        lines = [self.wrap(h, w - 2 * _PAD) for h, w in zip(headers, widths, strict=True)]
        height = _LINE * max(len(x) for x in lines) + 1.0
        y = pdf.get_y()
        pdf.set_fill_color(235, 235, 235)
        pdf.rect(pdf.l_margin, y, pdf.epw, height, style="F")
        # Back to the text colour: FPDF.text wraps every string in a colour change otherwise.
        pdf.set_fill_color(0, 0, 0)
        pdf.set_draw_color(190, 190, 190)  # the rules between rows
        pdf.set_line_width(0.15)
        for i, texts in enumerate(lines):
            for n, text in enumerate(texts):
                x = xs[i] + widths[i] - _PAD - self.width(text) if right[i] else xs[i] + _PAD
                pdf.text(x, y + _LINE - 1.0 + n * _LINE, text)
        pdf.set_y(y + height)
