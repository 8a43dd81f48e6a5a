"""The A4 printout (fpdf2), laid out as an administrative document of Decree 30/2020/NĐ-CP.

Agency top left (its parent above it), the national motto top right, the place-and-date line,
the title; page numbers "Trang x/y" at the foot. The document frame is Vietnamese whatever the
interface language (it is the legal format); the body follows the language.

fpdf is imported here only (about 0.35 s). Tables are drawn line by line with `FPDF.text`:
fpdf2's own `table()` measured 4.6 ms a row here (46 s for 10,000 tasks), `text` about
9 µs a cell; titles are wrapped by measured word widths, cached because words repeat.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.domain.collector import collector_paused
from planner.reports.layout import Document, Paragraph, Table, due_document, weekly_document
from planner.reports.model import DueReport, WeeklyReport

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSerifCondensed"  # narrower than DejaVu Serif, closer to Times New Roman
_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
_MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"

_BODY = 9.0  # pt, tables
_TEXT = 11.0  # pt, paragraphs
_LINE = 4.2  # mm per table line at 9 pt
_PAD = 1.2  # mm inside a cell, left and right
_MIN_FLEX = 60.0  # mm: the title column never gets less
_SLACK = 0.5  # mm: a cell as wide as its text must not wrap by a rounding error


PAGE_COUNT = "{pages}"


def render_pdf(report: WeeklyReport) -> bytes:
    return document_pdf(weekly_document(report), report.as_of)


def render_due_pdf(report: DueReport) -> bytes:
    return document_pdf(due_document(report), report.as_of)


@collector_paused()
def document_pdf(doc: Document, as_of: date | None = None) -> bytes:
    pdf = _new_pdf(doc, as_of)
    writer = _Writer(pdf)
    writer.header(doc)
    for section in doc.sections:
        writer.section_title(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                writer.paragraph(block.text)
            else:
                writer.table(block)
    return bytes(pdf.output())


def _new_pdf(doc: Document, as_of: date | None) -> FPDF:
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FAMILY, "", 8)
            self.cell(0, 5, f"Trang {self.page_no()}/{PAGE_COUNT}", align="C")

    # Margins of Decree 30: left 30-35 mm, right 15-20 mm, top and bottom 20-25 mm.
    pdf = _Pdf(orientation="portrait", unit="mm", format="A4")
    # The total page count is written in place of PAGE_COUNT when the document closes, in the
    # width the alias takes: "{nb}" fits three digits, a 100,000-task report has 1,281 pages.
    pdf.alias_nb_pages(PAGE_COUNT)
    pdf.set_margins(left=30, top=20, right=15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font(FAMILY, "", FONT_DIR / "DejaVuSerifCondensed.ttf")
    pdf.add_font(FAMILY, "B", FONT_DIR / "DejaVuSerifCondensed-Bold.ttf")
    pdf.add_font(FAMILY, "I", FONT_DIR / "DejaVuSerifCondensed-Italic.ttf")
    pdf.set_title(f"{doc.header.title} · {doc.header.subtitle}")
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

    # ------------------------------------------------------------------ blocks

    def header(self, doc: Document) -> None:
        pdf = self.pdf
        h = doc.header
        # Decree 30 gives the agency the narrower left block and the motto the wider right one.
        half = pdf.epw * 0.42
        other = pdf.epw - half
        left, top = pdf.l_margin, pdf.get_y()
        # Left: the parent agency, then the agency in bold with a short rule under it.
        pdf.set_xy(left, top)
        if h.parent_agency:
            self.font("", 10.5)
            pdf.multi_cell(half, 5, h.parent_agency, align="C", new_x="LEFT", new_y="NEXT")
        self.font("B", 10.5)
        pdf.multi_cell(half, 5, h.agency, align="C", new_x="LEFT", new_y="NEXT")
        self._rule(left + half / 2, pdf.get_y() + 0.8, min(half / 4, self.width(h.agency) / 2))
        bottom_left = pdf.get_y()
        # Right: the national motto, its second line underlined by a rule as long as itself.
        pdf.set_xy(left + half, top)
        self.font("B", 10.5)
        pdf.multi_cell(other, 5, _MOTTO, align="C", new_x="LEFT", new_y="NEXT")
        self.font("B", 11.5)
        pdf.multi_cell(other, 5.5, _MOTTO_2, align="C", new_x="LEFT", new_y="NEXT")
        self._rule(left + half + other / 2, pdf.get_y() + 0.5, self.width(_MOTTO_2) / 2)
        pdf.set_xy(left + half, max(bottom_left, pdf.get_y()) + 3)
        self.font("I", 11)
        pdf.multi_cell(other, 5, h.place_date, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(5)
        self.font("B", 14)
        pdf.multi_cell(0, 7, h.title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
        self.font("B", 11)
        pdf.multi_cell(0, 5.5, h.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
        self.font("I", 10.5)
        for line in h.lines:
            pdf.multi_cell(0, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    def _rule(self, centre: float, y: float, half_length: float) -> None:
        self.pdf.set_line_width(0.3)
        self.pdf.line(centre - half_length, y, centre + half_length, y)

    def section_title(self, title: str) -> None:
        pdf = self.pdf
        if pdf.get_y() + 20 > pdf.page_break_trigger:  # a title never ends a page alone
            pdf.add_page()
        pdf.ln(3)
        self.font("B", 12)
        pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def paragraph(self, text: str) -> None:
        self.font("", _TEXT)
        self.pdf.multi_cell(0, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1.5)

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

    def table(self, table: Table) -> None:
        pdf = self.pdf
        flex = next((i for i, c in enumerate(table.columns) if c.flex), None)
        widths = self._column_widths(table, flex)
        xs = [pdf.l_margin]
        for w in widths[:-1]:
            xs.append(xs[-1] + w)
        right = [c.align == "right" for c in table.columns]
        if table.caption:
            if pdf.get_y() + 22 > pdf.page_break_trigger:
                pdf.add_page()
            self.font("B", 10.5)
            pdf.multi_cell(0, 5, table.caption, new_x="LMARGIN", new_y="NEXT")
            if table.caption_note:
                self.font("I", _BODY)
                pdf.multi_cell(0, 4.5, table.caption_note, new_x="LMARGIN", new_y="NEXT")
        headers = [c.header for c in table.columns]
        self._headings(headers, xs, widths, right)
        note_x = xs[1] if len(xs) > 1 else xs[0]
        note_width = pdf.l_margin + pdf.epw - note_x - 2 * _PAD
        for row in table.rows:
            self.font("B" if row.emphasis else "", _BODY)
            cells = list(row.cells)
            wrapped = self.wrap(cells[flex], widths[flex] - 2 * _PAD) if flex is not None else []
            note_lines: list[str] = []
            if row.note:
                self.font("I", _BODY)
                note_lines = self.wrap(row.note, note_width)
                self.font("B" if row.emphasis else "", _BODY)
            height = _LINE * (max(1, len(wrapped)) + len(note_lines)) + 1.0
            if pdf.get_y() + height > pdf.page_break_trigger:
                pdf.add_page()
                self._headings(headers, xs, widths, right)
                self.font("B" if row.emphasis else "", _BODY)
            y = pdf.get_y()
            baseline = y + _LINE - 0.9
            for i, cell in enumerate(cells):
                if i == flex:
                    for n, line in enumerate(wrapped):
                        pdf.text(xs[i] + _PAD, baseline + n * _LINE, line)
                    continue
                text = self.clip(cell, widths[i] - 2 * _PAD)
                x = xs[i] + widths[i] - _PAD - self.width(text) if right[i] else xs[i] + _PAD
                pdf.text(x, baseline, text)
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
                pdf.text(x, y + _LINE - 0.9 + n * _LINE, text)
        pdf.set_y(y + height)
