"""A formal document as a Word file (.docx, python-docx), for the office to edit before signing.

The same blocks as every other format, in the styles a Word user expects: "Normal" text,
"Title" and "Subtitle" for the kind of document and its summary, "Heading 1" to "Heading 3"
for sections and their parts, "Caption" above a table, "Table Grid" tables whose header rows
repeat on every page. Times New Roman is named everywhere a font is named (the styles, the
document defaults and the theme), so Word has nothing to substitute; 13 pt text, tables 11 pt;
A4 with the margins of Decree 30/2020 and the page number at the top centre from page 2.

python-docx is imported here only, when a .docx is asked for.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from planner.reports import fit
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

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import _Cell

    from planner.reports.model import WeeklyReport

FONT = "Times New Roman"
TEXT_PT = 13
TABLE_PT = 11
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def render_docx(report: WeeklyReport) -> bytes:
    from planner.reports.layout import weekly_document

    return document_docx(weekly_document(report), report.as_of)


def document_docx(doc: Document, as_of: date | None = None) -> bytes:
    import docx

    word = docx.Document()
    _styles(word)
    _page(word)
    _head(word, doc)
    for text in doc.intro:
        _paragraph(word, text, indent=True)
    for section in doc.sections:
        word.add_paragraph(section.title, style="Heading 1")
        for block in section.blocks:
            _block(word, block)
    if doc.closing is not None:
        _closing(word, doc.closing)
    props = word.core_properties
    props.title = " · ".join(x for x in (doc.header.title, doc.header.subtitle) if x)
    props.author = doc.header.agency
    props.language = "vi-VN" if doc.lang == "vi" else "en-GB"
    stamp = datetime.combine(as_of or date(2000, 1, 1), time(0, 0))
    props.created = props.modified = stamp
    props.last_modified_by = "planner"
    props.revision = 1
    buf = io.BytesIO()
    word.save(buf)
    return _stable_zip(buf.getvalue(), stamp)


def _stable_zip(data: bytes, stamp: datetime) -> bytes:
    """The same document gives the same bytes: every zip entry dated `stamp`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- styles


def _fonts(rpr: Any) -> None:
    """Times New Roman for every script of a run or style, with no theme font left over."""
    from docx.oxml import OxmlElement

    fonts = rpr.find(f"{_W}rFonts")
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(f"{_W}{attr}", None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(f"{_W}{attr}", FONT)


def _styles(word: DocxDocument) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    styles = word.styles
    defaults = styles.element.find(f"{_W}docDefaults")
    if defaults is not None:
        for rpr in defaults.iter(f"{_W}rPr"):
            _fonts(rpr)
    for style in styles:
        rpr = style.element.find(f"{_W}rPr")
        if rpr is not None:
            _fonts(rpr)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(TEXT_PT)
    _fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.1
    looks: dict[str, tuple[float, bool, bool]] = {  # size, bold, italic
        "Title": (14, True, False), "Subtitle": (13, False, True),
        "Heading 1": (13, True, False), "Heading 2": (13, True, False),
        "Heading 3": (13, True, True), "Caption": (12, True, False),
    }
    for name, (size, bold, italic) in looks.items():
        style = styles[name]
        font = style.font
        font.name = FONT
        font.size = Pt(size)
        font.bold = bold
        font.italic = italic
        font.color.rgb = RGBColor(0, 0, 0)
        font.all_caps = False
        rpr = style.element.get_or_add_rPr()
        _fonts(rpr)
        for extra in rpr.findall(f"{_W}spacing"):  # the template spreads its Subtitle's letters
            rpr.remove(extra)
        fmt = style.paragraph_format
        fmt.space_before = Pt(6 if name.startswith("Heading") else 0)
        fmt.space_after = Pt(3)
        fmt.keep_with_next = True
        if name in ("Title", "Subtitle"):
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            ppr = style.element.pPr
            if ppr is not None:  # the template's Title has a rule under it; Decree 30 has its own
                border = ppr.find(f"{_W}pBdr")
                if border is not None:
                    ppr.remove(border)
    for part in word.part.package.parts:
        if part.partname.endswith("theme1.xml"):
            blob = part.blob
            for face in (b"Calibri", b"Cambria"):
                blob = blob.replace(b'typeface="' + face + b'"', b'typeface="' + FONT.encode() + b'"')
            part._blob = blob  # the theme is a plain part: its bytes are written as they are


def _page(word: DocxDocument) -> None:
    """A4, the margins of Decree 30, the page number at the top centre from page 2."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True  # no number on the first page
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE")


def _field(paragraph: Any, code: str) -> None:
    from docx.oxml import OxmlElement

    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", f" {code} "), ("separate", None), ("text", "2"),
                       ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(f"{_W}fldCharType", kind)
        run._r.append(element)


# --------------------------------------------------------------------------- the head


def _no_borders(table: Any) -> None:
    """A layout table: no borders and no cell margins (the head, the closing)."""
    from docx.oxml import OxmlElement

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(f"{_W}val", "nil")
        borders.append(element)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(f"{_W}w", "0")
        element.set(f"{_W}type", "dxa")
        margins.append(element)
    tbl_pr.append(margins)


def _widths(table: Any, widths_mm: list[float]) -> None:
    """Column widths that Word and LibreOffice both keep: the grid, and every cell."""
    from docx.shared import Mm

    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _rule(paragraph: Any, width_mm: float, cell_mm: float) -> None:
    """A short centred rule: the paragraph's bottom border between indents."""
    from docx.oxml import OxmlElement
    from docx.shared import Mm, Pt

    side = max(0.0, (cell_mm - width_mm) / 2)
    fmt = paragraph.paragraph_format
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.space_after = Pt(0)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(f"{_W}{key}", value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def _lines(cell: _Cell | Any, lines: list[str], size: float, bold: bool = False,
           italic: bool = False, underline: bool = False, first: bool = False) -> Any:
    """One centred paragraph holding `lines`, broken where `reports.fit` breaks them."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    for n, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.font.size = Pt(size)
        run.bold, run.italic, run.underline = bold, italic, underline
        if n < len(lines) - 1:
            run.add_break()
    return paragraph


def _head(word: DocxDocument, doc: Document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    h = doc.header
    formal = doc.formal
    keep = (h.place,) if h.place else ()
    table = word.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [fit.LEFT_WIDTH, fit.RIGHT_WIDTH])
    left, right = table.rows[0].cells
    first = True
    if h.parent_agency:
        _lines(left, fit.lines(h.parent_agency.upper(), fit.LEFT_WIDTH, "", 12, name=True), 12,
               first=True)
        first = False
    _lines(left, fit.lines(h.agency.upper(), fit.LEFT_WIDTH, "B", 12, keep, name=True), 12,
           bold=True, first=first)
    _rule(left.add_paragraph(), 22, fit.LEFT_WIDTH)
    if formal and h.number:
        number = _lines(left, [h.number], 13)
        number.paragraph_format.space_before = Pt(6)
    _lines(right, [MOTTO], 12, bold=True, first=True)
    _lines(right, [MOTTO_2], 13, bold=True, underline=True)
    if h.place_date:
        place = _lines(right, [h.place_date], 13, italic=True)
        place.paragraph_format.space_before = Pt(6)
    gap = word.add_paragraph()
    gap.paragraph_format.space_after = Pt(6)
    if h.kind:
        word.add_paragraph(h.kind.upper(), style="Title")
        title_lines = fit.lines(h.title, fit.PAGE_WIDTH, "B", 14, keep)
    else:
        title_lines = fit.lines(h.title.upper(), fit.PAGE_WIDTH, "B", 14, keep)
    title = word.add_paragraph(style="Title")
    for n, line in enumerate(title_lines):
        run = title.add_run(line)
        if n < len(title_lines) - 1:
            run.add_break()
    if h.subtitle:
        word.add_paragraph(h.subtitle, style="Subtitle")
    for line in h.lines:
        word.add_paragraph(line, style="Subtitle")
    if formal:
        _rule(word.add_paragraph(), 40, fit.PAGE_WIDTH)
    if formal and h.addressees:
        to = word.add_paragraph("Kính gửi: " + "; ".join(h.addressees) + ".")
        to.alignment = WD_ALIGN_PARAGRAPH.CENTER
        to.paragraph_format.space_before = Pt(8)
        to.paragraph_format.space_after = Pt(8)
        for run in to.runs:
            run.font.size = Pt(14)


# --------------------------------------------------------------------------- blocks


def _paragraph(word: DocxDocument, text: str, indent: bool = False) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    paragraph = word.add_paragraph(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    return paragraph


def _block(word: DocxDocument, block: Block) -> None:
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt, RGBColor

    if isinstance(block, LineChart | BarChart):
        return  # a paragraph beside it says the same in words
    if isinstance(block, Paragraph):
        _paragraph(word, block.text)
    elif isinstance(block, Heading):
        word.add_paragraph(block.text, style="Heading 2" if block.level <= 1 else "Heading 3")
    elif isinstance(block, Blank):
        # Highlighted so that the office sees what it has to write before signing.
        prompt = word.add_paragraph()
        prompt.paragraph_format.keep_with_next = True
        run = prompt.add_run(f"[{block.prompt}]")
        run.italic = True
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        for n in range(2):
            dots = word.add_paragraph("." * 110)
            dots.paragraph_format.keep_with_next = n == 0
            for r in dots.runs:
                r.font.size = Pt(12)
    else:
        _table(word, block)


def _cell_text(cell: Any, text: str, *, bold: bool = False, italic: bool = False,
               right: bool = False, keep: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.keep_with_next = keep
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.font.size = Pt(TABLE_PT)
    run.bold, run.italic = bold, italic


def _row_flag(row: Any, name: str) -> None:
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement(f"w:{name}"))


def _table(word: DocxDocument, table: Table) -> None:
    """Caption, header and the first two rows kept on one page; the header repeats."""
    from docx.shared import Mm

    if table.caption:
        word.add_paragraph(table.caption, style="Caption")
        if table.caption_note:
            note = word.add_paragraph(table.caption_note)
            note.paragraph_format.keep_with_next = True
            for run in note.runs:
                run.italic = True
    columns = table.columns
    grid = word.add_table(rows=1, cols=len(columns))
    grid.style = word.styles["Table Grid"]
    grid.autofit = False
    # Columns as wide as their content (cell margins of 1.9 mm each side included).
    widths = [Mm(w) for w in fit.column_widths(table, fit.PAGE_WIDTH, TABLE_PT, pad=4.2)]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    header = grid.rows[0]
    _row_flag(header, "tblHeader")
    _row_flag(header, "cantSplit")
    for i, column in enumerate(columns):
        header.cells[i].width = widths[i]
        _cell_text(header.cells[i], column.header, bold=True, right=column.align == "right",
                   keep=True)
    for n, row in enumerate(table.rows):
        keep = n < 1  # with the header: the first two rows
        cells = grid.add_row()
        _row_flag(cells, "cantSplit")
        for i, text in enumerate(row.cells):
            cells.cells[i].width = widths[i]
            _cell_text(cells.cells[i], text, bold=row.emphasis, right=columns[i].align == "right",
                       keep=keep)
        if row.note:
            extra = grid.add_row()
            _row_flag(extra, "cantSplit")
            merged = extra.cells[1].merge(extra.cells[-1]) if len(columns) > 2 else extra.cells[-1]
            _cell_text(merged, row.note, italic=True, keep=keep)
    word.add_paragraph().paragraph_format.space_after = 0


def _closing(word: DocxDocument, closing: Closing) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    if closing.sign_off:
        sign_off = _paragraph(word, closing.sign_off, indent=True)
        sign_off.paragraph_format.keep_with_next = True
    table = word.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [fit.LEFT_WIDTH, fit.RIGHT_WIDTH])
    _row_flag(table.rows[0], "cantSplit")
    left, right = table.rows[0].cells
    label = left.paragraphs[0]
    run = label.add_run("Nơi nhận:")
    run.bold = run.italic = True
    run.font.size = Pt(12)
    label.paragraph_format.space_after = Pt(0)
    for recipient in closing.recipients:
        line = left.add_paragraph()
        line.paragraph_format.space_after = Pt(0)
        item = line.add_run(f"- {recipient}")
        item.font.size = Pt(11)
    s = closing.signature
    first = True
    for text in (s.authority, s.title):
        if text:
            _lines(right, [text.upper()], TEXT_PT, bold=True, first=first)
            first = False
    space = right.add_paragraph()
    space.paragraph_format.space_before = Mm(22)
    name = _lines(right, [s.name], TEXT_PT, bold=True)
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
