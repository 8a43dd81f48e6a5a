"""One self-contained HTML file (no external CSS, fonts or scripts) that prints like the PDF.

Printed from a browser, a formal document has the PDF's A4 page and margins (Decree 30/2020:
left 30 mm, right 15 mm, top and bottom 20 mm), its page numbers at the top centre from page 2
(CSS `@page` margin boxes, not a browser's header template), the same head with the same line
breaks (`reports.fit`), and tables whose caption and header stay with their first rows and
repeat on every page.

Every string is escaped with `html.escape`, translated labels included: the only markup in the
output is written here.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from planner.reports import charts, fit
from planner.reports.blocks import (
    MOTTO,
    MOTTO_2,
    BarChart,
    Blank,
    Block,
    Closing,
    Document,
    Header,
    Heading,
    LineChart,
    Paragraph,
    Table,
)
from planner.reports.layout import due_document, weekly_document
from planner.reports.model import DueReport, WeeklyReport

_FONT = '"Times New Roman", "Liberation Serif", Tinos, serif'

_CSS = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm;
  @top-center { content: counter(page); font-family: FONT; font-size: 13pt;
                vertical-align: bottom; padding-bottom: 5mm; } }
@page :first { @top-center { content: none; } }
* { box-sizing: border-box; }
body { font-family: FONT; font-size: 13pt; line-height: 1.3; color: #111; max-width: 165mm;
       margin: 1.5em auto; padding: 0 1em; }
.doc-head { width: 100%; border-collapse: collapse; margin-bottom: .8em; table-layout: fixed; }
.doc-head td { border: none; vertical-align: top; text-align: center; padding: 0; }
.doc-head td.agency-block { width: 44%; }
.doc-head td.motto-block { width: 56%; }
.parent-agency, .agency, .motto { font-size: 12pt; }
.agency, .motto, .motto-2 { font-weight: bold; }
.motto-2 { font-size: 13pt; }
.motto-2 span { border-bottom: 1px solid #111; padding-bottom: 1px; }
.rule { width: 32%; margin: 2px auto 0; border-top: 1px solid #111; }
.number { margin-top: .5em; }
.place-date { font-style: italic; margin-top: .6em; }
.kind { font-size: 14pt; font-weight: bold; text-align: center; margin: 1em 0 0; }
h1 { font-size: 14pt; text-align: center; margin: .2em 0 .1em; }
h1 { text-transform: none; }
.subtitle { text-align: center; margin: 0; }
.subtitle.lines { font-style: italic; }
.title-rule { width: 25%; margin: .3em auto .6em; border-top: 1px solid #111; }
.to { text-align: center; margin: .6em 0 1em; font-size: 14pt; }
.intro { text-indent: 1cm; text-align: justify; }
h2 { font-size: 13pt; margin: 1.2em 0 .4em; }
h3 { font-size: 13pt; margin: 1em 0 .3em; }
h4 { font-size: 13pt; font-style: italic; margin: .8em 0 .3em; }
p { margin: .3em 0; }
.blank { border: 1px dashed #777; padding: .2em .5em; margin: .4em 0 .6em; background: #fffbe6; }
.blank .prompt { font-style: italic; color: #444; }
.blank .dots { color: #777; letter-spacing: 1px; overflow: hidden; white-space: nowrap; }
table.data { width: 100%; border-collapse: collapse; font-size: 11pt; margin: .3em 0 .8em; }
table.data th, table.data td { border: 1px solid #999; padding: .15em .35em; vertical-align: top; }
table.data thead th { background: #eee; text-align: left; }
table.data thead tr.caption th { background: none; border: none; padding: .6em 0 .2em;
                                 font-size: 12pt; }
table.data .caption-note { font-weight: normal; font-style: italic; font-size: 11pt; }
table.data .num { text-align: right; white-space: nowrap; }
table.data tr.emphasis td { font-weight: bold; }
table.data tr.note td { border-top: none; font-style: italic; }
.closing { width: 100%; border-collapse: collapse; margin-top: 1.2em; }
.closing td { border: none; vertical-align: top; padding: 0; }
.closing td.recipients { width: 44%; font-size: 11pt; }
.closing td.recipients .label { font-size: 12pt; font-weight: bold; font-style: italic; }
.closing td.signature { width: 56%; text-align: center; font-weight: bold; }
.closing .space { height: 25mm; }
.sign-off { text-indent: 1cm; }
@media print {
  body { margin: 0; padding: 0; max-width: none; }
  .line { white-space: nowrap; }
  h2, h3, h4, .kind { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  tbody.keep { break-inside: avoid; page-break-inside: avoid; }
  .closing, .blank { break-inside: avoid; page-break-inside: avoid; }
  .blank { background: none; }
  a { color: inherit; }
}
""".replace("FONT", _FONT)


def render_html(report: WeeklyReport) -> str:
    return document_html(weekly_document(report))


def render_due_html(report: DueReport) -> str:
    return document_html(due_document(report))


def _lines(texts: list[str], cls: str) -> str:
    return "".join(f'<div class="line {cls}">{escape(t)}</div>' for t in texts)


def _head(h: Header, formal: bool) -> list[str]:
    keep = (h.place,) if h.place else ()
    left = ""
    if h.parent_agency:
        left += _lines(fit.lines(h.parent_agency.upper(), fit.LEFT_WIDTH, "", 12, name=True),
                       "parent-agency")
    left += _lines(fit.lines(h.agency.upper(), fit.LEFT_WIDTH, "B", 12, keep, name=True), "agency")
    left += '<div class="rule"></div>'
    if formal and h.number:
        left += f'<div class="line number">{escape(h.number)}</div>'
    right = (f'<div class="line motto">{MOTTO}</div>'
             f'<div class="line motto-2"><span>{MOTTO_2}</span></div>')
    if h.place_date:
        right += f'<div class="line place-date">{escape(h.place_date)}</div>'
    out = ['<table class="doc-head"><tr>', f'<td class="agency-block">{left}</td>',
           f'<td class="motto-block">{right}</td>', "</tr></table>"]
    if h.kind:
        out.append(f'<p class="kind">{escape(h.kind.upper())}</p>')
        title = fit.lines(h.title, fit.PAGE_WIDTH, "B", 14, keep)
    else:
        title = fit.lines(h.title.upper(), fit.PAGE_WIDTH, "B", 14, keep)
    out.append("<h1>" + "".join(f'<span class="line">{escape(t)}</span><br>'
                                for t in title).removesuffix("<br>") + "</h1>")
    if h.subtitle:
        out.append(f'<p class="subtitle">{escape(h.subtitle)}</p>')
    out.extend(f'<p class="subtitle lines">{escape(line)}</p>' for line in h.lines)
    if formal:
        out.append('<div class="title-rule"></div>')
    if formal and h.addressees:
        out.append('<p class="to">Kính gửi: ' + escape("; ".join(h.addressees)) + ".</p>")
    return out


def document_html(doc: Document) -> str:
    h = doc.header
    formal = doc.formal
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(doc.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(h.title)} · {escape(h.subtitle)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        f'<body class="{"formal" if formal else "plain"}">',
        *_head(h, formal),
    ]
    out.extend(f'<p class="intro">{escape(text)}</p>' for text in doc.intro)
    for section in doc.sections:
        out.append("<section>")
        out.append(f"<h2>{escape(section.title)}</h2>")
        for block in section.blocks:
            out.extend(_block(block))
        out.append("</section>")
    if doc.closing is not None:
        out.extend(_closing(doc.closing))
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _block(block: Block) -> list[str]:
    if isinstance(block, LineChart):
        return [_line_svg(block)]
    if isinstance(block, BarChart):
        return [_bar_svg(block)]
    if isinstance(block, Paragraph):
        return [f"<p>{escape(block.text)}</p>"]
    if isinstance(block, Heading):
        level = 3 if block.level <= 1 else 4
        return [f"<h{level}>{escape(block.text)}</h{level}>"]
    if isinstance(block, Blank):
        return [f'<div class="blank"><p class="prompt">[{escape(block.prompt)}]</p>'
                f'<p class="dots">{"." * 400}</p><p class="dots">{"." * 400}</p></div>']
    return _table(block)


def _closing(closing: Closing) -> list[str]:
    out: list[str] = []
    if closing.sign_off:
        out.append(f'<p class="sign-off">{escape(closing.sign_off)}</p>')
    recipients = "".join(f"<div>- {escape(r)}</div>" for r in closing.recipients)
    s = closing.signature
    sign = "".join(f'<div class="line">{escape(x.upper())}</div>' for x in (s.authority, s.title) if x)
    sign += f'<div class="space"></div><div class="line">{escape(s.name)}</div>'
    out += ['<table class="closing"><tr>',
            f'<td class="recipients"><div class="label">Nơi nhận:</div>{recipients}</td>',
            f'<td class="signature">{sign}</td>', "</tr></table>"]
    return out


def _cell(text: str, href: str) -> str:
    return f'<a href="{escape(href)}">{escape(text)}</a>' if href else escape(text)


def _table(table: Table) -> list[str]:
    out: list[str] = []
    total = sum(c.weight for c in table.columns) or 1.0
    span = len(table.columns)
    out.append('<table class="data">')
    out.append("<colgroup>" + "".join(
        f'<col style="width:{100 * c.weight / total:.1f}%">' for c in table.columns) + "</colgroup>")
    classes = [' class="num"' if c.align == "right" else "" for c in table.columns]
    out.append("<thead>")
    if table.caption:
        # The caption is the first row of the header: it stays with the header, and both are
        # repeated on every page the table runs onto.
        note = (f'<div class="caption-note">{escape(table.caption_note)}</div>'
                if table.caption_note else "")
        out.append(f'<tr class="caption"><th colspan="{span}">{escape(table.caption)}{note}</th></tr>')
    out.append("<tr>" + "".join(
        f"<th{classes[i]}>{escape(c.header)}</th>" for i, c in enumerate(table.columns)) + "</tr>")
    out.append("</thead>")
    # The first two rows in a body of their own that does not break: a page never ends with
    # the header alone.
    groups = (table.rows[:2], table.rows[2:])
    for n, rows in enumerate(groups):
        if not rows:
            continue
        out.append('<tbody class="keep">' if n == 0 else "<tbody>")
        for row in rows:
            attr = ' class="emphasis"' if row.emphasis else ""
            cells = "".join(f"<td{classes[i]}>{_cell(cell, row.link(i))}</td>"
                            for i, cell in enumerate(row.cells))
            out.append(f"<tr{attr}>{cells}</tr>")
            if row.note:
                out.append(f'<tr class="note"><td></td><td colspan="{span - 1}">{escape(row.note)}</td></tr>')
        out.append("</tbody>")
    out.append("</table>")
    return out


_CHART_WIDTH = 165.0  # mm, the text width of the printed page


def _num(value: float) -> str:
    """A length in the SVG's unit, a tenth of a millimetre: whole numbers, so the markup holds
    no decimal point (a Vietnamese page prints none outside its numbers' commas)."""
    return str(round(value * 10))


def _dash(dash: tuple[float, ...]) -> str:
    return f' stroke-dasharray="{" ".join(_num(d) for d in dash)}"' if dash else ""


def _svg_texts(texts: Iterable[charts.Text]) -> list[str]:
    return [f'<text x="{_num(t.x)}" y="{_num(t.y)}" text-anchor="{t.anchor}">'
            f'{escape(t.text)}</text>' for t in texts]


def _svg(width: float, height: float, label: str, body: list[str]) -> str:
    # Styled in place: the stylesheet is shared with documents that have no chart.
    return (f'<figure class="chart" style="margin: .4em 0 .8em; break-inside: avoid; '
            f'page-break-inside: avoid"><figcaption style="font-size: 11pt; font-style: italic">'
            f'{escape(label)}</figcaption>'
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
            f'role="img" aria-label="{escape(label)}" font-size="{_num(charts.FONT_MM)}" '
            f'style="width: 100%; height: auto">'
            + "".join(body) + "</svg></figure>")


def _line_svg(chart: LineChart) -> str:
    """The trajectory as an inline SVG: a polyline per series, a line per level, each with
    its own dash pattern and named at its end and in the legend."""
    g = charts.line_geometry(chart, _CHART_WIDTH, 75.0)
    x, y, w, h = g.frame
    body = [f'<rect class="frame" x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" '
            f'height="{_num(h)}" fill="none" stroke="#111" stroke-width="2"/>']
    body += [f'<line class="grid" x1="{_num(a[0])}" y1="{_num(a[1])}" x2="{_num(b[0])}" '
             f'y2="{_num(b[1])}" stroke="#bbb" stroke-width="1"/>' for a, b in g.grid]
    samples = list(g.legend)
    for i, (series, points) in enumerate(zip(chart.series, g.series, strict=True)):
        style = (f'fill="none" stroke="#111" stroke-width="{_num(charts.SERIES_WIDTH[i % 3])}"'
                 + _dash(charts.SERIES_DASH[i % 3]))
        body.append(f'<polyline class="series" data-series="{escape(series.label)}" '
                    f'points="{" ".join(f"{_num(px)},{_num(py)}" for px, py in points)}" '
                    f'{style}/>')
        (a, b) = samples[i]
        body.append(f'<line x1="{_num(a[0])}" y1="{_num(a[1])}" x2="{_num(b[0])}" '
                    f'y2="{_num(b[1])}" {style}/>')
    for j, ((label, _value), (a, b)) in enumerate(zip(chart.levels, g.levels, strict=True)):
        style = (f'stroke="#111" stroke-width="{_num(charts.LEVEL_WIDTH)}"'
                 + _dash(charts.LEVEL_DASH[j % 2]))
        body.append(f'<line class="level" data-level="{escape(label)}" x1="{_num(a[0])}" '
                    f'y1="{_num(a[1])}" x2="{_num(b[0])}" y2="{_num(b[1])}" {style}/>')
        (c, d) = samples[len(chart.series) + j]
        body.append(f'<line x1="{_num(c[0])}" y1="{_num(c[1])}" x2="{_num(d[0])}" '
                    f'y2="{_num(d[1])}" {style}/>')
    body += _svg_texts(g.texts)
    return _svg(g.width, g.height, chart.title, body)


def _bar_svg(chart: BarChart) -> str:
    """A stacked bar per row: each part with its own fill (grey, hatched, cross-hatched,
    white), outlined, with a legend drawn the same way."""
    g = charts.bar_geometry(chart, _CHART_WIDTH)
    body = []
    for part, x, y, w, h in g.boxes:
        grey = charts.PART_GREY[part % 4]
        body.append(f'<rect class="part-{part}" x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" '
                    f'height="{_num(h)}" fill="rgb({grey},{grey},{grey})" stroke="#111" '
                    f'stroke-width="2"/>')
    body += [f'<line x1="{_num(a[0])}" y1="{_num(a[1])}" x2="{_num(b[0])}" y2="{_num(b[1])}" '
             f'stroke="#111" stroke-width="{_num(0.15)}"/>' for a, b in g.hatching]
    body += _svg_texts(g.texts)
    return _svg(g.width, g.height, chart.title, body)
