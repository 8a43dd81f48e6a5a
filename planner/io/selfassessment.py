"""The year-end self-assessment table (bảng tự chấm điểm) as an .xlsx workbook.

For each field, criterion and sub-criterion: the maximum, the secured points as the
self-score, and the accepted verification documents (tài liệu kiểm chứng) with their numbers
and dates; totals per field, for the appraised part, the survey part and overall.

The table is an official document for the appraisal team, so its text is Vietnamese whatever
the language of messages (like the appendix columns of the exports). The model is built
first (`build_self_assessment`, tested on its own), then drawn (`render_self_assessment`).
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.domain import dates

COLUMNS = [  # (header, width)
    ("STT", 9),
    ("Tiêu chí, tiêu chí thành phần", 52),
    ("Điểm tối đa", 10),
    ("Điểm tự chấm", 10),
    ("Tài liệu kiểm chứng (số, ngày văn bản, trích yếu)", 58),
    ("Ghi chú", 26),
]


@dataclass(frozen=True)
class AssessmentRow:
    code: str
    title: str
    level: int  # 0 field, 1 criterion, 2 sub-criterion...
    max_points: float
    secured: float
    evidence: tuple[str, ...]
    note: str
    leaf: bool
    survey: bool
    evidence_ids: tuple[int, ...] = ()  # the accepted evidence each line describes, in order


@dataclass
class SelfAssessment:
    year: int
    title: str
    number: str
    agency: str
    parent_agency: str
    place: str
    index_name: str
    as_of: date
    rows: list[AssessmentRow] = field(default_factory=list)
    fields: list[AssessmentRow] = field(default_factory=list)
    appraised: tuple[float, float] = (0.0, 0.0)  # (max, secured)
    survey: tuple[float, float] = (0.0, 0.0)
    total_max: float = 0.0
    total_secured: float = 0.0
    baseline: str = ""


def _points(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _evidence_line(e: Any) -> str:
    if e.kind == "document" or e.doc_number:
        parts = [f"{e.doc_number}"]
        if e.doc_date:
            parts.append(f"ngày {dates.document(e.doc_date)}")
        if e.issuer:
            parts.append(f"của {e.issuer}")
        head = " ".join(parts)
        return f"{head}: {e.title}" if e.title else head
    if e.kind == "file":
        return f"Tệp {e.filename}" + (f": {e.title}" if e.title else "")
    if e.kind == "link":
        return (f"{e.title}: " if e.title else "") + e.url
    return e.title or e.note


def build_self_assessment(ctx: Any, as_of: date) -> SelfAssessment:
    """The table's content as of a date, from the same figures as `planner score`."""
    from sqlalchemy import select
    from sqlmodel import col

    from planner.domain.facts import evidence_fact
    from planner.domain.occurrences import review_as_of
    from planner.services.facts import load_reviews
    from planner.services.scores import plan_score
    from planner.store.models import Criterion, Evidence, EvidenceReview, Task, TaskCriterion

    result = plan_score(ctx, as_of)
    plan = result.plan
    with ctx.db.read() as session:
        crit_code = dict(session.execute(
            select(Criterion.id, Criterion.code).where(Criterion.plan_id == plan.id)).all())
        task_links: dict[int, list[str]] = defaultdict(list)
        for tid, cid in session.execute(
            select(TaskCriterion.task_id, TaskCriterion.criterion_id)
            .join(Task, col(Task.id) == TaskCriterion.task_id).where(Task.plan_id == plan.id)):
            if cid in crit_code:
                task_links[tid].append(crit_code[cid])
        # Accepted as of the date: the review standing then, whatever happened since.
        reviews = load_reviews(session.connection(), select(EvidenceReview.evidence_id).join(
            Evidence, col(Evidence.id) == EvidenceReview.evidence_id).where(
            Evidence.plan_id == plan.id, EvidenceReview.state == "accepted",
            col(EvidenceReview.on) <= as_of))
        columns: list[Any] = [
            Evidence.id, Evidence.task_id, Evidence.criterion_id, Evidence.kind,
            Evidence.doc_number, Evidence.doc_date, Evidence.issuer, Evidence.title,
            Evidence.filename, Evidence.url, Evidence.note, Evidence.state,
            Evidence.submitted_on, Evidence.reviewed_on, Evidence.valid_until]
        candidates: list[Any] = list(session.execute(
            select(*columns).where(col(Evidence.id).in_(list(reviews)))
            .order_by(col(Evidence.doc_date), col(Evidence.id))))
        # Evidence whose validity ended by the date counts no more, as in the score; what
        # was valid when the plan closed stays (an expiry after the year changes nothing).
        closes = getattr(plan, "closes_on", None) or plan.ends_on
        accepted = [
            e for e in candidates
            if review_as_of(evidence_fact(
                e.id, e.submitted_on, e.reviewed_on if e.state == "withdrawn" else None,
                reviews[e.id]), as_of).state == "accepted"
            and (e.valid_until is None or e.valid_until >= min(as_of, closes))
        ]
    by_criterion: dict[str, list[str]] = defaultdict(list)
    ids_by_criterion: dict[str, list[int]] = defaultdict(list)
    for e in accepted:
        targets = [crit_code[e.criterion_id]] if e.criterion_id in crit_code else \
            task_links.get(e.task_id, [])
        line = _evidence_line(e)
        for code in targets:
            if line and line not in by_criterion[code]:
                by_criterion[code].append(line)
                ids_by_criterion[code].append(e.id)

    survey_codes = set(result.facts.survey_fields)
    sheet = SelfAssessment(
        year=plan.year, title=plan.title, number=plan.number, agency=plan.agency,
        parent_agency=plan.parent_agency, place=plan.place, index_name=plan.index_name,
        as_of=as_of)
    if plan.baseline_score is not None:
        sheet.baseline = (f"Kết quả năm {plan.baseline_year or plan.year - 1}: "
                          f"{_points(plan.baseline_score)}"
                          + (f"/{plan.baseline_max:g}" if plan.baseline_max else "")
                          + (f" điểm, xếp hạng {plan.baseline_rank}/{plan.baseline_of}"
                             if plan.baseline_rank and plan.baseline_of else " điểm"))

    def note_for(node: Any, survey: bool, evidence: list[str]) -> str:
        notes = []
        if survey:
            notes.append("Điều tra xã hội học (không tự chấm)")
        if node.open > 1e-9:
            notes.append(f"Chưa xác định {_points(node.open)}")
        if node.at_risk > 1e-9:
            notes.append(f"Có nguy cơ mất {_points(node.at_risk)}")
        if not node.children and node.secured > 1e-9 and not evidence and not survey:
            notes.append("Chưa có tài liệu kiểm chứng")
        return "; ".join(notes)

    def walk(node: Any, level: int, survey: bool) -> None:
        evidence = by_criterion.get(node.code, []) if not node.children else []
        ids = ids_by_criterion.get(node.code, []) if not node.children else []
        row = AssessmentRow(node.code, node.title, level, node.max_points, node.secured,
                            tuple(evidence), note_for(node, survey, evidence),
                            not node.children, survey, tuple(ids))
        sheet.rows.append(row)
        if level == 0:
            sheet.fields.append(row)
        for child in node.children:
            walk(child, level + 1, survey)

    for root in result.score.criteria:
        walk(root, 0, root.code in survey_codes)
    s = result.score
    sheet.appraised = (s.appraised.max_points, s.appraised.secured)
    sheet.survey = (s.survey.max_points, s.survey.secured)
    sheet.total_max, sheet.total_secured = s.overall.max_points, s.overall.secured
    return sheet


# ----------------------------------------------------------------------------- drawing


def _lines(text: str, width: int) -> int:
    """How many lines a wrapped cell needs at a column width (characters)."""
    chars = max(8, int(width * 0.95))  # Times New Roman 12 in a column of `width`
    return sum(max(1, math.ceil(len(part) / chars)) for part in (text or "").split("\n"))


def render_self_assessment(sheet: SelfAssessment, links: dict[str, str] | None = None) -> bytes:
    """The workbook; `links` maps a criterion's code to the relative address of its evidence
    (a file, or the folder of its files) for the appraisal dossier (`io.dossier`), which its
    evidence cell then links to."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"Tự chấm điểm {sheet.year}"[:31]
    ncols = len(COLUMNS)
    last = get_column_letter(ncols)
    for i, (_header, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=12)
    italic = Font(name="Times New Roman", italic=True, size=12)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    top_wrap = Alignment(vertical="top", wrap_text=True)
    number_align = Alignment(horizontal="center", vertical="top")
    field_fill = PatternFill("solid", fgColor="DDEBF7")
    total_fill = PatternFill("solid", fgColor="FFF2CC")

    def put(row: int, col: int, value: Any, font: Font = normal,
            align: Alignment = top_wrap) -> Any:
        cell = ws.cell(row=row, column=col, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.font = font
        cell.alignment = align
        return cell

    def merged(row: int, c1: int, c2: int, value: str, font: Font,
               align: Alignment = center) -> None:
        put(row, c1, value, font, align)
        if c2 > c1:
            ws.merge_cells(start_row=row, start_column=c1, end_row=row, end_column=c2)

    # Decree 30/2020 heading: agency left, national motto right.
    merged(1, 1, 2, (sheet.parent_agency or "").upper(), normal)
    merged(1, 3, ncols, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold)
    merged(2, 1, 2, (sheet.agency or "").upper(), bold)
    merged(2, 3, ncols, "Độc lập - Tự do - Hạnh phúc", bold)
    d = sheet.as_of
    merged(3, 3, ncols, dates.place_date(sheet.place or "", d), italic)
    merged(5, 1, ncols, f"BẢNG TỰ CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {sheet.year}",
           Font(name="Times New Roman", bold=True, size=14))
    subtitle = sheet.index_name or sheet.title
    merged(6, 1, ncols, f"{subtitle} (số liệu tính đến ngày {dates.document(d)})", italic)
    ws.row_dimensions[5].height = 22

    header_row = 8
    for i, (header, _width) in enumerate(COLUMNS, start=1):
        cell = put(header_row, i, header, bold, center)
        cell.border = border
        cell.fill = field_fill
    ws.row_dimensions[header_row].height = 45
    for i in range(1, ncols + 1):
        cell = put(header_row + 1, i, f"({i})", italic, center)
        cell.border = border
    r = header_row + 2
    for row in sheet.rows:
        font = bold if row.level == 0 else (normal if row.leaf else Font(name="Times New Roman",
                                                                           bold=True, size=12,
                                                                           italic=True))
        evidence = "\n".join(f"- {line}" for line in row.evidence)
        values: list[Any] = [row.code, row.title, round(row.max_points, 4),
                             round(row.secured, 4), evidence, row.note]
        for i, value in enumerate(values, start=1):
            align = number_align if i in (1, 3, 4) else (
                Alignment(vertical="top", wrap_text=True, indent=row.level) if i == 2 else top_wrap)
            cell = put(r, i, value, font, align)
            cell.border = border
            if i in (3, 4):
                cell.number_format = "0.00"
            if row.level == 0:
                cell.fill = field_fill
            if i == 5 and links and evidence and row.code in links:
                cell.hyperlink = links[row.code]
                cell.font = Font(name="Times New Roman", size=12, color="0563C1", underline="single")
        height = max(_lines(row.title, COLUMNS[1][1] - 2 * row.level),
                     _lines(evidence, COLUMNS[4][1]), _lines(row.note, COLUMNS[5][1]))
        ws.row_dimensions[r].height = max(1, height) * 16 + 2
        r += 1

    def total_row(label: str, max_points: float, secured: float) -> None:
        nonlocal r
        merged(r, 1, 2, label, bold, Alignment(horizontal="left", vertical="center"))
        ws.cell(row=r, column=2).border = border
        for i, value in ((3, round(max_points, 4)), (4, round(secured, 4))):
            cell = put(r, i, value, bold, number_align)
            cell.number_format = "0.00"
        for i in range(1, ncols + 1):
            ws.cell(row=r, column=i).border = border
            ws.cell(row=r, column=i).fill = total_fill
        r += 1

    total_row("Tổng điểm thẩm định (tự chấm)", *sheet.appraised)
    if sheet.survey[0]:
        total_row("Điểm điều tra xã hội học", *sheet.survey)
    total_row("TỔNG CỘNG", sheet.total_max, sheet.total_secured)

    r += 1
    merged(r, 1, ncols, "TỔNG HỢP ĐIỂM THEO LĨNH VỰC", bold, Alignment(horizontal="left"))
    r += 1
    for i, header in enumerate(("Lĩnh vực", "Tên lĩnh vực", "Điểm tối đa", "Điểm tự chấm"),
                               start=1):
        cell = put(r, i, header, bold, center)
        cell.border = border
        cell.fill = field_fill
    r += 1
    for f in sheet.fields:
        for i, value in enumerate((f.code, f.title, round(f.max_points, 4), round(f.secured, 4)),
                                  start=1):
            cell = put(r, i, value, normal, number_align if i != 2 else top_wrap)
            cell.border = border
            if i in (3, 4):
                cell.number_format = "0.00"
        r += 1
    if sheet.baseline:
        r += 1
        merged(r, 1, ncols, sheet.baseline, italic, Alignment(horizontal="left"))
        r += 1
    r += 1
    merged(r, 1, 2, "NGƯỜI LẬP BIỂU", bold)
    merged(r, 4, ncols, "THỦ TRƯỞNG ĐƠN VỊ", bold)
    merged(r + 1, 4, ncols, "(Ký, ghi rõ họ tên, đóng dấu)", italic)

    ws.freeze_panes = ws.cell(row=header_row + 2, column=1)
    ws.print_title_rows = f"{header_row}:{header_row + 1}"
    ws.print_area = f"A1:{last}{r + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.oddFooter.center.text = "Trang &P / &N"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
