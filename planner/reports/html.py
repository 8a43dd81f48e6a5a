"""One self-contained HTML file (no external CSS, fonts or scripts) with print styles for A4.

Every string is escaped with `html.escape`, translated labels included: the only markup in the
output is written here.
"""

from __future__ import annotations

from html import escape

from planner.domain.collector import collector_paused
from planner.reports.layout import Document, Paragraph, Table, due_document, weekly_document
from planner.reports.model import DueReport, WeeklyReport

_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
_MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"

_CSS = """
@page { size: A4; margin: 20mm 15mm 20mm 25mm; }
* { box-sizing: border-box; }
body { font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 12pt;
       line-height: 1.35; color: #111; max-width: 60em; margin: 1.5em auto; padding: 0 1em; }
.doc-head { width: 100%; border-collapse: collapse; margin-bottom: 1em; }
.doc-head td { border: none; vertical-align: top; text-align: center; padding: 0 .5em; width: 50%; }
.agency { font-weight: bold; }
.motto { font-weight: bold; }
.motto-2 { font-weight: bold; text-decoration: underline; }
.place-date { font-style: italic; text-align: right; margin: .3em 0 1em; }
h1 { font-size: 15pt; text-align: center; text-transform: uppercase; margin: .4em 0 .1em; }
.subtitle { text-align: center; margin: 0; }
.subtitle.lines { font-style: italic; }
h2 { font-size: 13pt; margin: 1.4em 0 .4em; border-bottom: 1px solid #888; }
h3 { font-size: 12pt; margin: 1em 0 .2em; }
.caption-note { margin: 0 0 .3em; font-style: italic; }
table.data { width: 100%; border-collapse: collapse; font-size: 10.5pt; margin-bottom: .6em; }
table.data th, table.data td { border: 1px solid #999; padding: .15em .35em; vertical-align: top; }
table.data th { background: #eee; text-align: left; }
table.data .num { text-align: right; white-space: nowrap; }
table.data tr.emphasis td { font-weight: bold; }
table.data tr.note td { border-top: none; font-style: italic; }
@media print {
  body { margin: 0; padding: 0; max-width: none; font-size: 11pt; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
"""


def render_html(report: WeeklyReport) -> str:
    return document_html(weekly_document(report))


def render_due_html(report: DueReport) -> str:
    return document_html(due_document(report))


@collector_paused()
def document_html(doc: Document) -> str:
    h = doc.header
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(doc.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(h.title)} · {escape(h.subtitle)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<table class="doc-head"><tr>',
        f'<td><div>{escape(h.parent_agency)}</div><div class="agency">{escape(h.agency)}</div></td>',
        f'<td><div class="motto">{_MOTTO}</div><div class="motto-2">{_MOTTO_2}</div></td>',
        "</tr></table>",
        f'<p class="place-date">{escape(h.place_date)}</p>',
        f"<h1>{escape(h.title)}</h1>",
        f'<p class="subtitle">{escape(h.subtitle)}</p>',
    ]
    out.extend(f'<p class="subtitle lines">{escape(line)}</p>' for line in h.lines)
    for section in doc.sections:
        out.append("<section>")
        out.append(f"<h2>{escape(section.title)}</h2>")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(f"<p>{escape(block.text)}</p>")
            else:
                out.extend(_table(block))
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _table(table: Table) -> list[str]:
    out: list[str] = []
    if table.caption:
        out.append(f"<h3>{escape(table.caption)}</h3>")
        if table.caption_note:
            out.append(f'<p class="caption-note">{escape(table.caption_note)}</p>')
    total = sum(c.weight for c in table.columns) or 1.0
    out.append('<table class="data">')
    out.append("<colgroup>" + "".join(
        f'<col style="width:{100 * c.weight / total:.1f}%">' for c in table.columns) + "</colgroup>")
    classes = [' class="num"' if c.align == "right" else "" for c in table.columns]
    out.append("<thead><tr>" + "".join(
        f"<th{classes[i]}>{escape(c.header)}</th>" for i, c in enumerate(table.columns)) + "</tr></thead>")
    out.append("<tbody>")
    span = len(table.columns)
    for row in table.rows:
        attr = ' class="emphasis"' if row.emphasis else ""
        cells = "".join(f"<td{classes[i]}>{escape(cell)}</td>" for i, cell in enumerate(row.cells))
        out.append(f"<tr{attr}>{cells}</tr>")
        if row.note:
            out.append(f'<tr class="note"><td></td><td colspan="{span - 1}">{escape(row.note)}</td></tr>')
    out.append("</tbody></table>")
    return out
