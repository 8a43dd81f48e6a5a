"""Export tasks, criteria, evidence and offices as .xlsx, .csv or JSON.

Spreadsheet columns carry the names of the official appendix table and their values the
Vietnamese words (`io.labels`: "Hoàn thành", "Theo nhiệm vụ", "Văn bản"), whatever the
language of messages, so an exported task table imports back with `planner import plan`
anywhere. JSON keys and values are English slugs; lists stay lists there.

Formula-like cells (= + - @) are neutralised: written as explicit string cells in .xlsx, and
behind a leading `'` in CSV (which the importer strips). Every table loads with a fixed
number of queries (SQLAlchemy Core); the .xlsx is written by XlsxWriter in constant-memory
mode, row by row.
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

from planner.domain import dates
from planner.io import labels

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Control characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE, without importing
#: openpyxl, which costs a quarter of a second): dropped from exported text.
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@dataclass(frozen=True)
class Column:
    key: str  # JSON key
    header: str  # spreadsheet header
    width: int = 14
    join: str = ", "  # how a list is written in one cell
    wrap: bool = False
    words: str = ""  # the `io.labels` table its slugs are written with in spreadsheets


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
    Column("continuous", "Thường xuyên", 8, words="yes_no"),
    Column("recurrence", "Lặp lại", 14, words="recurrence"),
    Column("status", "Trạng thái", 14, words="status"),
    Column("progress", "Tỷ lệ hoàn thành (%)", 10),
    Column("done_on", "Ngày hoàn thành", 12),
]
CRITERIA_COLUMNS = [
    Column("code", "Mã", 10),
    Column("parent", "Thuộc", 8),
    Column("title", "Tiêu chí, tiêu chí thành phần", 60, wrap=True),
    Column("title_en", "Tên tiếng Anh", 30),
    Column("max", "Điểm tối đa", 10),
    Column("method", "Cách chấm", 16, words="method"),
    Column("indicator", "Chỉ số", 18),
    Column("lead", "Đơn vị chủ trì", 12),
    Column("secured", "Điểm đạt", 10),
    Column("projected", "Điểm dự kiến", 10),
    Column("params", "Tham số", 40),
]
EVIDENCE_COLUMNS = [
    Column("id", "ID", 6),
    Column("target", "Nhiệm vụ / tiêu chí", 18),
    Column("kind", "Loại", 10, words="kind"),
    Column("doc_number", "Số văn bản", 18),
    Column("doc_date", "Ngày văn bản", 12),
    Column("issuer", "Cơ quan ban hành", 22),
    Column("title", "Trích yếu", 50, wrap=True),
    Column("filename", "Tệp", 20),
    Column("size", "Dung lượng (byte)", 10),
    Column("url", "Liên kết", 30),
    Column("note", "Ghi chú", 30, wrap=True),
    Column("state", "Trạng thái", 12, words="state"),
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
    """One row per task (a recurring task is one row), in plan order.

    Read through the Core tables (`store.tables`, `db.reading()`): the export never imports
    the ORM, which alone costs a third of a second before the first row."""
    from sqlalchemy import select

    from planner.services.plans import plan_record
    from planner.store import tables as t

    task, office = t.task.c, t.office.c
    with ctx.db.reading() as conn:
        plan = plan_record(conn, ctx.plan_year)
        tasks = list(conn.execute(
            select(task.id, task.code, task.title, task.description, task.product,
                   office.code.label("lead"), task.deadline_text, task.due_on, task.start_on,
                   task.continuous, task.recurrence, task.status, task.progress, task.done_on)
            .join(t.office, office.id == task.lead_office_id)
            .where(task.plan_id == plan.id).order_by(task.position, task.id)))
        support: dict[int, list[str]] = defaultdict(list)
        for tid, code in conn.execute(
            select(t.task_support.c.task_id, office.code)
            .join(t.office, office.id == t.task_support.c.office_id)
            .join(t.task, task.id == t.task_support.c.task_id)
            .where(task.plan_id == plan.id).order_by(office.position, office.id)):
            support[tid].append(code)
        links: dict[int, list[str]] = defaultdict(list)
        crit = t.criterion.c
        for tid, code, weight in conn.execute(
            select(t.task_criterion.c.task_id, crit.code, t.task_criterion.c.weight)
            .join(t.criterion, crit.id == t.task_criterion.c.criterion_id)
            .join(t.task, task.id == t.task_criterion.c.task_id)
            .where(task.plan_id == plan.id).order_by(crit.position, crit.id)):
            links[tid].append(code if weight == 1 else f"{code}:{weight:g}")
    title = plan.title
    lines = [line for line in (plan.parent_agency, plan.agency) if line]
    lines.append(title if str(plan.year) in title else f"{title} (năm {plan.year})")
    table = Table(_sheet_name("Nhiệm vụ"), TASK_COLUMNS, title_lines=lines)
    for r in tasks:
        due_on = r.due_on
        deadline = r.deadline_text or (dates.document(due_on) if due_on else "")
        table.rows.append([r.code, r.title, r.lead, support.get(r.id, []), deadline, r.product,
                           links.get(r.id, []), r.description, r.start_on, due_on,
                           bool(r.continuous), r.recurrence or "", r.status, r.progress,
                           r.done_on])
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


def _sheet_value(value: Any, column: Column) -> Any:
    """A value as a spreadsheet shows it: a slug as its Vietnamese word, a flag as Có/Không."""
    if not column.words:
        return value
    if column.words == "yes_no":
        return labels.yes_no(bool(value))
    return labels.label(column.words, value) if isinstance(value, str) else value


def _text(value: Any, column: Column) -> str:
    value = _sheet_value(value, column)
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


#: Excel's limit of characters in a cell; longer text is cut there (never silently dropped).
CELL_LIMIT = 32767
_EPOCH = date(1899, 12, 30)


def render_xlsx(table: Table) -> bytes:
    """An .xlsx workbook: the title lines, a bold wrapped header frozen under them with filters,
    column widths, dates as dates, every text an explicit string cell (never a formula).

    XlsxWriter in constant-memory mode writes each row as it comes (measured against the
    previous writer, which spliced rows into an openpyxl template: docs/performance.md).
    """
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_numbers": False,
                                     "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(table.name)
    title = book.add_format({"bold": True, "font_size": 12})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True,
                              "valign": "vcenter", "align": "center", "border": 1})
    wrapped = book.add_format({"text_wrap": True, "valign": "top"})
    plain = book.add_format({"valign": "top"})
    day = book.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
    columns = table.columns
    for i, column in enumerate(columns):
        sheet.set_column(i, i, column.width)
    lines = [line for line in table.title_lines if line]
    header_row = len(lines) + 1 if lines else 0  # 0-based: a blank row under the title lines
    last_row = header_row + len(table.rows)
    sheet.freeze_panes(header_row + 1, 0)
    if table.rows:
        sheet.autofilter(header_row, 0, last_row, len(columns) - 1)
    sheet.repeat_rows(header_row)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    cleaned: dict[str, str] = {}  # texts repeat (offices, deadlines, products): cleaned once

    def text(value: str) -> str:
        out = cleaned.get(value)
        if out is None:
            out = cleaned[value] = ILLEGAL_CHARACTERS.sub("", value)[:CELL_LIMIT]
        return out

    # XlsxWriter's undecorated writers (its public ones only add A1-notation parsing, a fifth
    # of the time of a cell here), or the public ones should a later version rename them.
    raw_string = getattr(sheet, "_write_string", sheet.write_string)
    write_number = getattr(sheet, "_write_number", sheet.write_number)
    write_boolean = getattr(sheet, "_write_boolean", sheet.write_boolean)
    run = book.add_format()

    def write_string(r: int, i: int, value: str, cell_format: Any) -> None:
        if value.startswith("<r>") and value.endswith("</r>"):
            # XlsxWriter writes a string shaped like "<r>…</r>" into the XML as it is (its own
            # rich strings): as two escaped runs instead, the text stays text.
            sheet.write_rich_string(r, i, run, value[:1], run, value[1:], cell_format)
        else:
            raw_string(r, i, value, cell_format)
    for r, line in enumerate(lines):
        write_string(r, 0, text(line), title)
    for i, column in enumerate(columns):
        write_string(header_row, i, column.header, header)
    text_formats = [wrapped if c.wrap else plain for c in columns]
    wrap_chars = [max(4, int(c.width * 1.15)) if c.wrap else 0 for c in columns]
    words = [bool(c.words) for c in columns]
    for r, row in enumerate(table.rows, start=header_row + 1):
        # Wrapped text needs a taller row: neither Excel nor LibreOffice sizes it on opening.
        needed = 1
        for value, chars in zip(row, wrap_chars, strict=True):
            if chars and isinstance(value, str) and value:
                needed = max(needed, sum(-(-len(part) // chars) or 1 for part in value.split("\n")))
        if needed > 1:
            sheet.set_row(r, 15 * min(needed, 20))
        for i, value in enumerate(row):
            column = columns[i]
            if words[i]:
                value = _sheet_value(value, column)
            if value is None or value == "" or value == []:
                continue
            if isinstance(value, list | tuple):
                value = column.join.join(str(v) for v in value)
            elif isinstance(value, dict):
                value = json.dumps(value, ensure_ascii=False)
            if isinstance(value, str):
                write_string(r, i, text(value), text_formats[i])
            elif isinstance(value, bool):
                write_boolean(r, i, value, plain)
            elif isinstance(value, datetime):
                serial = (value.replace(tzinfo=None) - datetime(1899, 12, 30)).total_seconds() / 86400
                write_number(r, i, serial, day)
            elif isinstance(value, date):
                write_number(r, i, (value - _EPOCH).days, day)
            elif isinstance(value, int | float):
                write_number(r, i, value, plain)
            else:
                write_string(r, i, text(str(value)), text_formats[i])
    book.close()
    return buf.getvalue()


def rows_as_text(table: Table) -> Sequence[Sequence[str]]:
    """The table's cells as the text a CSV would hold (tests and previews)."""
    return [[_text(v, c) for v, c in zip(row, table.columns, strict=True)] for row in table.rows]
