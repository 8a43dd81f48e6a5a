"""The dossier for the appraisal (hồ sơ tự đánh giá): what an office submits with its self-score.

    00-muc-luc.html, 00-muc-luc.pdf   the index: what is missing first, then every criterion
                                      with its self-score, its evidence (linked) and, where
                                      evidence is missing, what the plan knows about why
    tu-cham-diem-2022.xlsx            the self-assessment workbook, each evidence cell linked
                                      to its file (or to its criterion's folder)
    1.1.1/45-KH-SGDĐT_20-01-2022.pdf  one folder per criterion scored by the unit, holding its
                                      accepted evidence files, named by document number and date

Written as a .zip or into a folder. Like the self-assessment, it is an official Vietnamese
document whatever the language of messages. Built once (`build_dossier`), then written
(`write_dossier`), whole or not at all.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any

from planner.domain import dates
from planner.i18n import _, in_language
from planner.io.selfassessment import AssessmentRow, SelfAssessment
from planner.services.errors import InputError

INDEX = "00-muc-luc"


@dataclass(frozen=True)
class Item:
    """One piece of evidence of a criterion as the index lists it."""

    label: str
    path: str = ""  # the file in the dossier, relative ("" when none is attached)
    url: str = ""  # a link's address


@dataclass
class Entry:
    row: AssessmentRow
    items: list[Item] = field(default_factory=list)
    explanation: str = ""  # why evidence is missing, as far as the plan knows

    @property
    def takes_evidence(self) -> bool:
        """A criterion the unit scores and proves: a leaf of the appraised part."""
        return self.row.leaf and not self.row.survey and self.row.max_points > 0

    @property
    def missing(self) -> bool:
        return self.takes_evidence and not self.row.evidence


@dataclass
class Dossier:
    sheet: SelfAssessment
    entries: list[Entry]
    files: dict[str, bytes]  # path in the dossier -> content
    folders: list[str]  # one per criterion that takes evidence
    links: dict[str, str]  # criterion code -> its file, or its folder when it has several

    @property
    def workbook_name(self) -> str:
        return f"tu-cham-diem-{self.sheet.year}.xlsx"

    @property
    def missing(self) -> list[Entry]:
        return [e for e in self.entries if e.missing]


# --------------------------------------------------------------------------- names


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_name(text: str, limit: int = 80) -> str:
    """A file or folder name any system accepts: no separators, no control or reserved
    characters, no leading dot, NFC, at most `limit` characters; Vietnamese kept."""
    name = unicodedata.normalize("NFC", _UNSAFE.sub("-", text))
    name = " ".join(name.split()).strip(" .-")
    return name[:limit].rstrip(" .-") or "tai-lieu"


def evidence_file_name(number: str, on: date | None, title: str, filename: str) -> str:
    """"45-KH-SGDĐT_20-01-2022.pdf": the document's number and date, the original extension."""
    stem = safe_name(number) if number.strip() else safe_name(title or Path(filename).stem)
    if on is not None:
        stem += "_" + dates.document(on).replace("/", "-")
    suffix = Path(filename).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""
    return stem + suffix


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate = f"{stem}-{n}{dot}{suffix}" if dot else f"{name}-{n}"
        n += 1
    taken.add(candidate.lower())
    return candidate


# --------------------------------------------------------------------------- building


def build_dossier(ctx: Any, as_of: date) -> Dossier:
    """The dossier as of a date: the self-assessment's figures and accepted evidence, the files
    of that evidence, and for each criterion without evidence what the plan says about it."""
    from sqlalchemy import select

    from planner.io.selfassessment import build_self_assessment
    from planner.store import tables as t

    sheet = build_self_assessment(ctx, as_of)
    wanted = {i for row in sheet.rows for i in row.evidence_ids}
    ev = t.evidence.c
    with ctx.db.reading() as conn:
        details = {r.id: r for r in conn.execute(
            select(ev.id, ev.kind, ev.doc_number, ev.doc_date, ev.title, ev.filename, ev.url,
                   ev.submitted_on, ev.blob_sha256).where(ev.id.in_(wanted)))} if wanted else {}
        shas = {r.blob_sha256 for r in details.values() if r.blob_sha256}
        blobs = {sha: content for sha, content in conn.execute(
            select(t.blob.c.sha256, t.blob.c.content).where(t.blob.c.sha256.in_(shas)))}
    explanations = _explanations(ctx, as_of)
    entries: list[Entry] = []
    files: dict[str, bytes] = {}
    folders: list[str] = []
    links: dict[str, str] = {}
    for row in sheet.rows:
        entry = Entry(row)
        entries.append(entry)
        if not entry.takes_evidence:
            continue
        folder = safe_name(row.code)
        folders.append(folder)
        taken: set[str] = set()
        paths: list[str] = []
        for label, evidence_id in zip(row.evidence, row.evidence_ids, strict=True):
            d = details.get(evidence_id)
            path = ""
            if d is not None and d.blob_sha256 and d.blob_sha256 in blobs:
                name = _unique(evidence_file_name(d.doc_number or "", d.doc_date or d.submitted_on,
                                                  d.title or "", d.filename or ""), taken)
                path = f"{folder}/{name}"
                files[path] = bytes(blobs[d.blob_sha256])
                paths.append(path)
            entry.items.append(Item(label, path, (d.url or "") if d is not None else ""))
        if len(paths) == 1:
            links[row.code] = paths[0]
        elif paths:
            links[row.code] = folder + "/"
        if entry.missing:
            entry.explanation = explanations.get(row.code, "")
    return Dossier(sheet, entries, files, folders, links)


def _explanations(ctx: Any, as_of: date) -> dict[str, str]:
    """For each leaf criterion, what the plan knows of its missing evidence: work overdue or
    not yet done, evidence awaiting review or rejected (with the reason), a reading or an
    outcome recorded without a document. The office completes it (giải trình)."""
    from planner.reports import fmt
    from planner.reports.model import _task_lines
    from planner.services.report_queries import load_report_inputs

    inputs = load_report_inputs(ctx)
    facts = inputs.facts
    tasks = {t.key: t for t in _task_lines(inputs, as_of, {})}
    by_task: dict[str, list[str]] = defaultdict(list)
    for link in facts.links:
        by_task[link.criterion_code].append(link.task_code)
    pending: dict[str, int] = defaultdict(int)
    rejected: dict[str, str] = {}
    for e in inputs.evidence:
        if e.submitted_on > as_of:
            continue
        reviewed = e.reviewed_on is not None and e.reviewed_on <= as_of
        if not reviewed and e.state != "withdrawn":
            pending[e.target] += 1
        elif e.state == "rejected" and reviewed:
            rejected[e.target] = " ".join(e.reason.split())
    computed = {i.code for i in facts.indicators if i.computed}
    readings: dict[str, list[Any]] = defaultdict(list)
    for r in facts.readings:
        if r.on <= as_of:
            readings[r.indicator].append(r)
    out: dict[str, str] = {}
    stack = list(facts.criteria)
    while stack:
        rule = stack.pop()
        stack.extend(rule.children)
        if rule.children:
            continue
        notes: list[str] = []
        for key, task in sorted(tasks.items()):
            if task.task_code not in by_task.get(rule.code, ()):
                continue
            with in_language("vi"):
                name = fmt.occurrence(key, task.rule)
            if task.overdue:
                notes.append(f"{name} quá hạn (đơn vị chủ trì {task.lead})")
            elif pending.get(key):
                notes.append(f"tài liệu của {name} đang chờ duyệt")
            elif key in rejected:
                notes.append(f"tài liệu của {name} bị từ chối: {rejected[key]}")
            elif task.status != "done" and task.due > as_of:
                notes.append(f"{name} chưa đến hạn ({dates.document(task.due)})")
        target = f"criterion {rule.code}"
        if pending.get(target):
            notes.append("tài liệu của tiêu chí đang chờ duyệt")
        elif target in rejected:
            notes.append(f"tài liệu của tiêu chí bị từ chối: {rejected[target]}")
        if rule.indicator in computed:
            notes.append("điểm tính từ kế hoạch (tỷ lệ nhiệm vụ hoàn thành), chưa có văn bản kèm theo")
        elif rule.indicator and readings.get(rule.indicator):
            last = max(readings[rule.indicator], key=lambda r: r.on)
            source = f", nguồn: {last.source}" if last.source else ""
            notes.append(f"có số liệu ngày {dates.document(last.on)}{source}, chưa có văn bản kèm theo")
        elif rule.method == "threshold":
            notes.append("chưa có số liệu")
        if not notes and not by_task.get(rule.code) and rule.method == "tasks":
            notes.append("chưa có nhiệm vụ nào của kế hoạch gắn với tiêu chí")
        out[rule.code] = "; ".join(notes)
    return out


# --------------------------------------------------------------------------- the index


def index_document(dossier: Dossier) -> Any:
    """The index as a laid-out document (`reports.blocks`): drawn as HTML and PDF."""
    with in_language("vi"):
        return _index_document(dossier)


def _index_document(dossier: Dossier) -> Any:
    from planner.reports import fmt
    from planner.reports.blocks import (
        Blank,
        Column,
        Document,
        Header,
        Paragraph,
        Row,
        Section,
        Table,
    )

    sheet = dossier.sheet
    header = Header(
        parent_agency=fmt.one_line(sheet.parent_agency), agency=fmt.one_line(sheet.agency),
        place_date=dates.place_date(fmt.one_line(sheet.place), sheet.as_of),
        kind="DANH MỤC",
        title=f"Tài liệu kiểm chứng Chỉ số cải cách hành chính năm {sheet.year}",
        subtitle=f"{fmt.one_line(sheet.index_name or sheet.title)} (số liệu tính đến ngày "
                 f"{dates.document(sheet.as_of)})",
        place=fmt.one_line(sheet.place),
    )
    missing = dossier.missing
    first: list[Any] = []
    if missing:
        first.append(Paragraph(f"{len(missing)} tiêu chí chưa có tài liệu kiểm chứng được chấp "
                               f"nhận; đơn vị cần bổ sung tài liệu hoặc giải trình bằng văn bản."))
        first.append(Table(
            (Column("Mã", weight=0.8), Column("Tiêu chí", flex=True, weight=3.4),
             Column("Điểm tối đa", "right", weight=0.8), Column("Điểm tự chấm", "right", weight=0.8)),
            tuple(Row((e.row.code, fmt.one_line(e.row.title), fmt.number(e.row.max_points),
                       fmt.number(e.row.secured)),
                      note="Tình hình: " + (e.explanation or "không có thông tin trong kế hoạch")
                      + ".")
                  for e in missing)))
        first.append(Blank("Giải trình của đơn vị đối với các tiêu chí trên: đơn vị bổ sung."))
    else:
        first.append(Paragraph("Mọi tiêu chí đơn vị tự chấm đều có tài liệu kiểm chứng được chấp nhận."))
    rows: list[Row] = []
    for e in dossier.entries:
        row = e.row
        rows.append(Row((row.code, fmt.one_line(row.title), fmt.number(row.max_points),
                         fmt.number(row.secured)), emphasis=row.level == 0,
                        note="Chưa có tài liệu kiểm chứng." if e.missing else ""))
        for item in e.items:
            rows.append(Row(("", "– " + fmt.one_line(item.label), "", ""),
                            links=((1, item.path or item.url),) if (item.path or item.url) else ()))
    total = (f"Tổng điểm thẩm định tự chấm: {fmt.number(sheet.appraised[1])}/"
             f"{fmt.number(sheet.appraised[0])} điểm. Tệp bảng tự chấm điểm: "
             f"{dossier.workbook_name}; tài liệu của mỗi tiêu chí trong thư mục mang mã của tiêu chí.")
    sections = (
        Section("I. TIÊU CHÍ CÒN THIẾU TÀI LIỆU KIỂM CHỨNG", tuple(first)),
        Section("II. DANH MỤC THEO TIÊU CHÍ", (Paragraph(total), Table(
            (Column("Mã", weight=0.8), Column("Tiêu chí, tài liệu kiểm chứng", flex=True, weight=3.4),
             Column("Điểm tối đa", "right", weight=0.8), Column("Điểm tự chấm", "right", weight=0.8)),
            tuple(rows)))),
    )
    return Document(header, sections, "vi")


# --------------------------------------------------------------------------- writing


def dossier_files(dossier: Dossier) -> dict[str, bytes]:
    """Every file of the dossier by its path inside it, in the order they are listed."""
    from planner.io.selfassessment import render_self_assessment
    from planner.reports.html import document_html
    from planner.reports.pdf import document_pdf

    doc = index_document(dossier)
    out = {
        f"{INDEX}.html": document_html(doc).encode("utf-8"),
        f"{INDEX}.pdf": document_pdf(doc, dossier.sheet.as_of),
        dossier.workbook_name: render_self_assessment(dossier.sheet, dossier.links),
    }
    out.update(sorted(dossier.files.items()))
    return out


def write_dossier(dossier: Dossier, target: Path) -> list[str]:
    """Write the dossier to `target`: a .zip file (written whole, then renamed into place), or
    a folder that does not exist yet or is empty. Returns the paths written, folders first."""
    from planner.reports.output import write_atomic

    files = dossier_files(dossier)
    folders = [f"{name}/" for name in dossier.folders]
    if target.suffix.lower() == ".zip":
        stamp = datetime.combine(dossier.sheet.as_of, time(0, 0)).timetuple()[:6]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in folders:
                archive.writestr(zipfile.ZipInfo(name, date_time=stamp), b"")
            for name, data in files.items():
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        write_atomic(target, buf.getvalue())
        return folders + list(files)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(_("-o {path}: give a new or empty folder, or a .zip file.").format(path=target))
    try:
        for name in folders:
            (target / name).mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            path = target / PurePosixPath(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
    except OSError as exc:
        raise InputError(_("cannot write {path}: {reason}").format(
            path=target, reason=exc.strerror or exc)) from exc
    return folders + list(files)
