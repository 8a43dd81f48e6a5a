"""Export tasks, criteria, evidence and offices as .xlsx, .csv or JSON.

Spreadsheet columns carry the names of the official appendix table (Vietnamese, whatever the
language of messages), so an exported task table imports back with `planner import plan`
anywhere. JSON keys are English slugs; lists stay lists there.

Formula-like cells (= + - @) are neutralised: written as explicit string cells in .xlsx, and
behind a leading `'` in CSV (which the importer strips). Every table loads with a fixed
number of queries (SQLAlchemy Core), so 10,000 tasks export in a couple of seconds.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str  # JSON key
    header: str  # spreadsheet header
    width: int = 14
    join: str = ", "  # how a list is written in one cell
    wrap: bool = False


@dataclass
class Table:
    name: str  # sheet name
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)  # above the header, .xlsx only


TASK_COLUMNS = [
    Column("code", "Mã", 10),
    Column("title", "Nội dung nhiệm vụ", 60, wrap=True),
    Column("lead", "Đơn vị chủ trì", 12),
    Column("supporting", "Đơn vị phối hợp", 24, wrap=True),
    Column("deadline", "Thời gian hoàn thành", 18),
    Column("product", "Sản phẩm", 22, wrap=True),
    Column("criteria", "Tiêu chí", 14),
    Column("description", "Ghi chú", 40, wrap=True),
    Column("start", "Ngày bắt đầu", 12),
    Column("due", "Hạn (ngày)", 12),
    Column("continuous", "Thường xuyên", 8),
    Column("recurrence", "Lặp lại", 14),
    Column("status", "Trạng thái", 14),
    Column("progress", "Tỷ lệ hoàn thành (%)", 10),
    Column("done_on", "Ngày hoàn thành", 12),
]
CRITERIA_COLUMNS = [
    Column("code", "Mã", 10),
    Column("parent", "Thuộc", 8),
    Column("title", "Tiêu chí, tiêu chí thành phần", 60, wrap=True),
    Column("title_en", "Tên tiếng Anh", 30),
    Column("max", "Điểm tối đa", 10),
    Column("method", "Cách chấm", 12),
    Column("indicator", "Chỉ số", 18),
    Column("lead", "Đơn vị chủ trì", 12),
    Column("secured", "Điểm đạt", 10),
    Column("projected", "Điểm dự kiến", 10),
    Column("params", "Tham số", 40),
]
EVIDENCE_COLUMNS = [
    Column("id", "ID", 6),
    Column("target", "Nhiệm vụ / tiêu chí", 18),
    Column("kind", "Loại", 10),
    Column("doc_number", "Số văn bản", 18),
    Column("doc_date", "Ngày văn bản", 12),
    Column("issuer", "Cơ quan ban hành", 22),
    Column("title", "Trích yếu", 50, wrap=True),
    Column("filename", "Tệp", 20),
    Column("size", "Dung lượng (byte)", 10),
    Column("url", "Liên kết", 30),
    Column("note", "Ghi chú", 30, wrap=True),
    Column("state", "Trạng thái", 12),
    Column("submitted_by", "Người gửi", 14),
    Column("submitted_on", "Ngày gửi", 12),
    Column("reviewed_by", "Người duyệt", 14),
    Column("reviewed_on", "Ngày duyệt", 12),
    Column("reason", "Lý do", 30, wrap=True),
    Column("lead", "Đơn vị chủ trì", 12),
]
OFFICE_COLUMNS = [
    Column("code", "Mã", 10),
    Column("name", "Tên đơn vị", 40),
    Column("aliases", "Tên gọi khác", 40, join="; "),
    Column("head_name", "Trưởng đơn vị", 24),
    Column("head_title", "Chức vụ", 18),
    Column("email", "Email", 28),
    Column("parent", "Đơn vị cấp trên", 12),
]


# ------------------------------------------------------------------------------ building


def build_table(ctx: Any, kind: str) -> Table:
    builders = {"tasks": task_table, "criteria": criteria_table, "evidence": evidence_table,
                "offices": office_table}
    return builders[kind](ctx)


def task_table(ctx: Any) -> Table:
    """One row per task (a recurring task is one row), in plan order."""
    from sqlalchemy import select
    from sqlmodel import col

    from planner.services.plans import get_plan
    from planner.store.models import Criterion, Office, Task, TaskCriterion, TaskSupport

    with ctx.db.read() as session:
        plan = get_plan(session, ctx.plan_year)
        columns: list[Any] = [
            Task.id, Task.code, Task.title, Task.description, Task.product,
            col(Office.code).label("lead"), Task.deadline_text, Task.due_on, Task.start_on,
            Task.continuous, Task.recurrence, Task.status, Task.progress, Task.done_on]
        tasks = list(session.execute(
            select(*columns)
            .join(Office, col(Office.id) == Task.lead_office_id)
            .where(col(Task.plan_id) == plan.id).order_by(col(Task.position), col(Task.id))))
        support: dict[int, list[str]] = defaultdict(list)
        for tid, code in session.execute(
            select(TaskSupport.task_id, Office.code)
            .join(Office, col(Office.id) == TaskSupport.office_id)
            .join(Task, col(Task.id) == TaskSupport.task_id)
            .where(Task.plan_id == plan.id).order_by(col(Office.position), col(Office.id))):
            support[tid].append(code)
        links: dict[int, list[str]] = defaultdict(list)
        for tid, code, weight in session.execute(
            select(TaskCriterion.task_id, Criterion.code, TaskCriterion.weight)
            .join(Criterion, col(Criterion.id) == TaskCriterion.criterion_id)
            .join(Task, col(Task.id) == TaskCriterion.task_id)
            .where(Task.plan_id == plan.id).order_by(col(Criterion.position), col(Criterion.id))):
            links[tid].append(code if weight == 1 else f"{code}:{weight:g}")
    title = plan.title
    lines = [line for line in (plan.parent_agency, plan.agency) if line]
    lines.append(title if str(plan.year) in title else f"{title} (năm {plan.year})")
    table = Table(_sheet_name("Nhiệm vụ"), TASK_COLUMNS, title_lines=lines)
    for t in tasks:
        due_on = t.due_on
        deadline = t.deadline_text or (due_on.strftime("%d/%m/%Y") if due_on else "")
        table.rows.append([t.code, t.title, t.lead, support.get(t.id, []), deadline, t.product,
                           links.get(t.id, []), t.description, t.start_on, due_on,
                           bool(t.continuous), t.recurrence or "", t.status, t.progress,
                           t.done_on])
    return table


def criteria_table(ctx: Any) -> Table:
    from planner.services.scores import plan_score
    from planner.store.models import Criterion, Indicator, Office

    result = plan_score(ctx)
    nodes: dict[str, Any] = {}
    stack: list[Any] = list(result.score.criteria)
    while stack:
        node = stack.pop()
        nodes[node.code] = node
        stack.extend(node.children)
    from sqlalchemy import select
    from sqlmodel import col

    with ctx.db.read() as session:
        offices = dict(session.execute(select(Office.id, Office.code)).all())
        indicators = dict(session.execute(
            select(Indicator.id, Indicator.code).where(Indicator.plan_id == result.plan.id)
        ).all())
        rows = list(session.execute(
            select(Criterion.id, Criterion.parent_id, Criterion.code, Criterion.title,
                   Criterion.title_en, Criterion.max_points, Criterion.method,
                   Criterion.indicator_id, Criterion.lead_office_id, Criterion.params)
            .where(Criterion.plan_id == result.plan.id)
            .order_by(col(Criterion.position), col(Criterion.id))))
    codes = {r.id: r.code for r in rows}
    table = Table(_sheet_name("Tiêu chí"), CRITERIA_COLUMNS,
                  title_lines=[result.plan.title, result.plan.index_name or ""])
    for r in rows:
        node = nodes.get(r.code)
        table.rows.append([
            r.code, codes.get(r.parent_id, ""), r.title, r.title_en, r.max_points, r.method,
            indicators.get(r.indicator_id, ""), offices.get(r.lead_office_id, ""),
            round(node.secured, 4) if node else None, round(node.projected, 4) if node else None,
            r.params if r.params not in ("{}", "") else "",  # JSON text: rows stay flat
        ])
    return table


def evidence_table(ctx: Any) -> Table:
    from planner.services.evidence import list_evidence

    table = Table(_sheet_name("Tài liệu kiểm chứng"), EVIDENCE_COLUMNS)
    keys = [c.key for c in EVIDENCE_COLUMNS]
    for row in list_evidence(ctx):
        data = row.to_json()
        data["doc_date"] = row.doc_date
        data["submitted_on"] = row.submitted_on
        data["reviewed_on"] = row.reviewed_on
        table.rows.append([data.get(k) for k in keys])
    return table


def office_table(ctx: Any) -> Table:
    from planner.services.offices import list_offices

    offices = list_offices(ctx)
    codes = {o.id: o.code for o in offices}
    table = Table(_sheet_name("Đơn vị"), OFFICE_COLUMNS)
    for o in offices:
        table.rows.append([o.code, o.name, [a for a in o.aliases.splitlines() if a.strip()],
                           o.head_name, o.head_title, o.email, codes.get(o.parent_id, "")])
    return table


def _sheet_name(name: str) -> str:
    return name[:31]


# ----------------------------------------------------------------------------- rendering


def render(table: Table, fmt: str, *, bom: bool = False) -> bytes:
    if fmt == "json":
        return render_json(table)
    if fmt == "csv":
        return render_csv(table, bom=bom)
    if fmt == "xlsx":
        return render_xlsx(table)
    raise ValueError(fmt)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def render_json(table: Table) -> bytes:
    keys = [c.key for c in table.columns]
    data = [{k: _json_value(v) for k, v in zip(keys, row, strict=True)} for row in table.rows]
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _text(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return column.join.join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def neutralise(text: str) -> str:
    """A leading `'` keeps a spreadsheet from reading the cell as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def render_csv(table: Table, *, bom: bool = False) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.header for c in table.columns])
    for row in table.rows:
        writer.writerow([neutralise(_text(v, c)) for v, c in zip(row, table.columns, strict=True)])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def render_xlsx(table: Table) -> bytes:
    """An .xlsx workbook: bold wrapped header, frozen below it, filters, column widths, dates
    as dates, every text an explicit string cell (never a formula).

    openpyxl draws the workbook around a few sample cells (styles, widths, panes, filter);
    the rows themselves are written here as XML with a shared string table. openpyxl alone
    writes each cell through a pure-Python XML serialiser and stores every text inline, which
    made 10,000 tasks take 9 s to write and 12 s to read back (2 s and 4 s this way).
    """
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    lines = [line for line in table.title_lines if line]
    header_row = len(lines) + 2 if lines else 1
    last_row = header_row + len(table.rows)
    template, styles = _xlsx_template(table, lines, header_row, last_row)
    letters = [get_column_letter(i) for i in range(1, len(table.columns) + 1)]
    strings: dict[str, int] = {}

    def string_index(value: str) -> int:
        index = strings.get(value)
        if index is None:
            index = strings[value] = len(strings)
        return index

    def text_cell(ref: str, value: str, style: int) -> str:
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        attr = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{attr} t="s"><v>{string_index(value)}</v></c>'

    out: list[str] = ["<sheetData>"]
    for r, line in enumerate(lines, start=1):
        out.append(f'<row r="{r}">{text_cell(f"A{r}", line, styles["title"])}</row>')
    out.append(f'<row r="{header_row}">')
    out.extend(text_cell(f"{letters[i]}{header_row}", c.header, styles["header"])
               for i, c in enumerate(table.columns))
    out.append("</row>")
    plain = styles["plain"]
    text_styles = [styles["wrap"] if c.wrap else plain for c in table.columns]
    epoch = date(1899, 12, 30)
    wrap_chars = [max(4, int(c.width * 1.15)) if c.wrap else 0 for c in table.columns]
    for r, row in enumerate(table.rows, start=header_row + 1):
        # Wrapped text needs a taller row: neither Excel nor LibreOffice sizes it on opening.
        needed = 1
        for value, chars in zip(row, wrap_chars, strict=True):
            if chars and isinstance(value, str) and value:
                needed = max(needed, sum(-(-len(part) // chars) or 1 for part in value.split("\n")))
        height = f' ht="{15 * min(needed, 20)}" customHeight="1"' if needed > 1 else ""
        cells = [f'<row r="{r}"{height}>']
        for i, (value, column) in enumerate(zip(row, table.columns, strict=True)):
            if value is None or value == "" or value == []:
                continue
            ref = f"{letters[i]}{r}"
            if isinstance(value, list | tuple):
                value = column.join.join(str(v) for v in value)
            elif isinstance(value, dict):
                value = json.dumps(value, ensure_ascii=False)
            if isinstance(value, str):
                cells.append(text_cell(ref, value, text_styles[i]))
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}" s="{plain}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, datetime):
                serial = (value - datetime(1899, 12, 30)).total_seconds() / 86400
                cells.append(f'<c r="{ref}" s="{styles["date"]}"><v>{serial!r}</v></c>')
            elif isinstance(value, date):
                cells.append(f'<c r="{ref}" s="{styles["date"]}"><v>{(value - epoch).days}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{ref}" s="{plain}"><v>{value!r}</v></c>')
            else:
                cells.append(text_cell(ref, str(value), text_styles[i]))
        cells.append("</row>")
        out.append("".join(cells))
    out.append("</sheetData>")

    sst = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           f'count="{len(strings)}" uniqueCount="{len(strings)}">']
    for value in strings:  # insertion order = index order
        space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
        sst.append(f"<si><t{space}>{escape(value)}</t></si>")
    sst.append("</sst>")

    source = zipfile.ZipFile(io.BytesIO(template))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode("utf-8")
                head, _sep, rest = xml.partition("<sheetData>")
                _old, _sep, tail = rest.partition("</sheetData>")
                head = re.sub(r'<dimension ref="[^"]*"\s*/>',
                              f'<dimension ref="A1:{letters[-1]}{last_row}" />', head)
                data = (head + "".join(out) + tail).encode("utf-8")
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" />'
                    b"</Types>"))
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/sharedStrings" Target="sharedStrings.xml" '
                    b'Id="rIdSharedStrings" /></Relationships>'))
            target.writestr(item.filename, data)
        target.writestr("xl/sharedStrings.xml", "".join(sst).encode("utf-8"))
    return buf.getvalue()


def _xlsx_template(table: Table, lines: list[str], header_row: int,
                   last_row: int) -> tuple[bytes, dict[str, int]]:
    """openpyxl's workbook around sample cells, and the style ids those cells got."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = table.name
    ncols = len(table.columns)
    for i, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    samples = {
        "title": ws.cell(1, 1, "title"),
        "header": ws.cell(2, 1, "header"),
        "wrap": ws.cell(3, 1, "wrap"),
        "date": ws.cell(4, 1, date(2000, 1, 1)),
        "plain": ws.cell(5, 1, "plain"),
    }
    samples["title"].font = Font(bold=True, size=12)
    samples["header"].font = Font(bold=True)
    samples["header"].fill = PatternFill("solid", fgColor="DDEBF7")
    samples["header"].alignment = Alignment(wrap_text=True, vertical="center",
                                            horizontal="center")
    samples["wrap"].alignment = Alignment(wrap_text=True, vertical="top")
    samples["date"].number_format = "DD/MM/YYYY"
    samples["date"].alignment = Alignment(vertical="top")
    samples["plain"].alignment = Alignment(vertical="top")
    ws.freeze_panes = f"A{header_row + 1}"
    if table.rows:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(max(1, ncols))}{last_row}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(buf.getvalue())).read("xl/worksheets/sheet1.xml").decode()
    styles = {}
    for key, ref in (("title", "A1"), ("header", "A2"), ("wrap", "A3"), ("date", "A4"),
                     ("plain", "A5")):
        m = re.search(rf'<c r="{ref}"[^>]*?\bs="(\d+)"', xml)
        styles[key] = int(m[1]) if m else 0
    return buf.getvalue(), styles




def rows_as_text(table: Table) -> Sequence[Sequence[str]]:
    """The table's cells as the text a CSV would hold (tests and previews)."""
    return [[_text(v, c) for v, c in zip(row, table.columns, strict=True)] for row in table.rows]
