"""Read the province's index (the criteria table of its decision) into a draft criteria tree.

The table is read as published, from a workbook (.xlsx, .xls, .ods) or a table of a Word
document (.docx):

- the header row is found by its column names: the code (STT, TT, Mã), the criterion (Lĩnh
  vực, tiêu chí, tiêu chí thành phần / Nội dung), the maximum points (Điểm tối đa, Điểm chuẩn,
  Thang điểm) and, when present, the scoring guidance (Hướng dẫn chấm điểm, Cách chấm, Ghi
  chú…), which is kept on the criterion;
- field rows carry a Roman numeral (I, II …) or a number; criteria and sub-criteria carry
  codes `1`, `1.1`, `1.1.1` (in the code column, or at the start of the title); when the
  numbering restarts under each field, the field's number is put in front (`2.1` under II);
- rows `a)`, `b)` under a code are its sub-criteria when their points add up to it (`1.2.1`,
  `1.2.2`), else the outcomes of the criterion above (one is scored, not their sum);
- points are numbers or text with a decimal comma ("0,5", "1,5 điểm"); a parent without points
  takes its children's sum, and a parent whose children do not add up is a problem naming the
  rows;
- the method of each leaf is inferred from its guidance (`planner.domain.guidance`), listed
  by the dry run, and overridable (`--method CODE=METHOD`).

Nothing is written here: `planner.services.index_import` writes a draft with no problems.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from planner.domain import criterion_params
from planner.domain.criterion_params import METHODS
from planner.domain.guidance import Inference, infer_method, is_survey, parse_points
from planner.domain.guidance import method_parameters as guidance_parameters
from planner.domain.text import fold, roman_value
from planner.i18n import _
from planner.io.plan_import import ImportProblem
from planner.io.sheet_reader import Grid

#: Called with (stage, done, total).
Progress = Callable[[str, int, int], None]

HEADER_SCAN_ROWS = 40
MAX_TITLE = 500
MAX_GUIDANCE = 10_000
REQUIRED = ("title", "max")
ROLE_NAMES = {"code": "STT", "title": "Tiêu chí", "max": "Điểm tối đa",
              "guidance": "Hướng dẫn chấm điểm"}

_EPS = 1e-6
_ROMAN_LABEL = re.compile(r"^(?P<num>[IVXL]+)\s*[.):/-]?\s*(?P<rest>.*)$", re.DOTALL)
_CODE_LABEL = re.compile(r"^(?P<code>\d{1,2}(?:\.\d{1,2}){0,4})\s*[.):]?(?:\s+|$)(?P<rest>.*)$",
                         re.DOTALL)
_LETTER_LABEL = re.compile(r"^(?P<letter>[a-zđ])\s*[).]\s*(?P<rest>.*)$", re.DOTALL)
_LEADING_WORD = re.compile(r"^(?:tiêu chí|tieu chi|lĩnh vực|linh vuc|tc)\s+", re.IGNORECASE)
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
_TOTAL = ("tong cong", "tong diem", "tong so diem", "cong", "total")
_FOOTER = ("noi nhan", "chu tich", "kt. chu tich", "kt chu tich", "giam doc", "tm. ", "kt. ")
_DECISION = re.compile(r"(?<![\w/])(\d{1,5}\s*/\s*QĐ[\w\-Đđ/]*)", re.IGNORECASE)
_ISSUED = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_YEAR = re.compile(r"\bnam\s+(20\d\d)\b")


@dataclass(frozen=True)
class DraftCriterion:
    """One criterion as the table gives it, with where it was read."""

    code: str
    parent: str | None
    title: str
    max_points: float
    guidance: str
    row: int
    label: str  # as written: "II", "1.1", "a)"
    method: str = "sum"  # "sum" for parents
    inference: Inference | None = None  # leaves: the method read from the guidance
    overridden: bool = False  # the method was given with --method
    position: int = 0


@dataclass
class IndexDraft:
    """The criteria a file holds, and every problem found."""

    source: str
    sheet: str = ""
    kind: str = "sheet"
    header_row: int = 0
    last_row: int = 0
    columns: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    title: str = ""  # the index's title, from the decision
    decision: str = ""  # "123/QĐ-UBND"
    issued_on: date | None = None
    criteria: list[DraftCriterion] = field(default_factory=list)
    survey_fields: tuple[str, ...] = ()
    total_row: tuple[int, str] | None = None  # the "Tổng cộng" row and its points, if any
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def children(self, code: str | None) -> list[DraftCriterion]:
        return [c for c in self.criteria if c.parent == code]

    def find(self, code: str) -> DraftCriterion | None:
        return next((c for c in self.criteria if c.code == code), None)

    @property
    def leaves(self) -> list[DraftCriterion]:
        parents = {c.parent for c in self.criteria}
        return [c for c in self.criteria if c.code not in parents]

    def total(self, codes: tuple[str, ...] | None = None) -> float:
        return sum(c.max_points for c in self.criteria
                   if c.parent is None and (codes is None or c.code in codes))


def header_role(text: str) -> str | None:
    f = " ".join(re.sub(r"[^\w\s%/]", " ", fold(text)).split())
    if not f:
        return None
    if f in ("stt", "tt", "so tt", "so thu tu", "ma", "ma so", "ma tieu chi", "code", "no", "#"):
        return "code"
    if f.startswith(("diem toi da", "diem chuan", "thang diem", "so diem", "diem so toi da",
                     "max", "points")) or f in ("diem", "diem toi da duoc cham"):
        return "max"
    if f.startswith(("huong dan", "cach cham", "cach tinh", "phuong phap", "ghi chu",
                     "yeu cau", "noi dung danh gia", "tieu chuan cham", "guidance", "scoring")):
        return "guidance"
    if f.startswith(("linh vuc", "tieu chi", "noi dung", "ten tieu chi", "criteri", "title")):
        return "title"
    return None


def _roles(cells: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    for i, text in enumerate(cells, start=1):
        role = header_role(text) if text and len(text) < 120 else None
        if role is not None and role not in columns:
            columns[role] = i
            headers[role] = " ".join(text.split())
    return columns, headers


def locate_index(grids: list[Grid], sheet: str | None = None
                 ) -> tuple[Grid, int, dict[str, int], dict[str, str]] | list[ImportProblem]:
    """The grid holding the criteria table, its header row and columns; or the problems."""
    if sheet is not None:
        chosen = [g for g in grids if g.name == sheet or fold(g.name) == fold(sheet)]
        if not chosen:
            names = ", ".join(f'"{g.name}"' for g in grids)
            return [ImportProblem(sheet, 0, 0, "",
                                  _("no such sheet (sheets: {names})").format(names=names))]
        grids = chosen
    problems: list[ImportProblem] = []
    for grid in grids:
        if grid.empty:
            problems.append(ImportProblem(grid.name, 0, 0, "", _("the sheet is empty"), grid.kind))
            continue
        partial: tuple[int, dict[str, str]] | None = None
        for r in range(1, min(len(grid.rows), HEADER_SCAN_ROWS) + 1):
            columns, headers = _roles(grid.rows[r - 1])
            if all(role in columns for role in REQUIRED):
                return grid, r, columns, headers
            if partial is None and len(columns) >= 2:
                partial = (r, headers)
        if partial is not None:
            r, headers = partial
            problems.append(ImportProblem(grid.name, r, 0, "", _(
                'the header has no "{missing}" column (found {found})').format(
                missing=", ".join(ROLE_NAMES[m] for m in REQUIRED if m not in _roles(
                    grid.rows[r - 1])[0]),
                found=", ".join(f'"{h}"' for h in headers.values())), grid.kind))
        else:
            problems.append(ImportProblem(grid.name, 0, 0, "", _(
                "this is not a criteria table: no header row with the columns Tiêu chí and "
                "Điểm tối đa (looked at the first {n} rows)").format(
                n=min(len(grid.rows), HEADER_SCAN_ROWS)), grid.kind))
    return problems


@dataclass
class _Row:
    row: int
    label: str
    kind: str  # field | code | letter
    code: str  # for field/code rows: the code as written (fields: their number)
    title: str
    max_text: str
    guidance: str
    letter: str = ""


def read_index(grids: list[Grid], *, source: str = "", sheet: str | None = None,
               year: int | None = None, overrides: dict[str, str] | None = None,
               progress: Progress | None = None) -> IndexDraft:
    """The criteria of a file's index table; every problem named by sheet, row and column."""
    located = locate_index(grids, sheet)
    if isinstance(located, list):
        draft = IndexDraft(source=source)
        draft.problems.extend(located)
        return draft
    grid, header_row, columns, headers = located
    draft = IndexDraft(source=source, sheet=grid.name, kind=grid.kind, header_row=header_row,
                       columns=columns, headers=headers)
    _read_preamble(draft, grid, header_row)
    draft.year = year or draft.year

    def problem(row: int, role: str | None, message: str) -> None:
        col = columns.get(role, 0) if role else 0
        draft.problems.append(ImportProblem(grid.name, row, col, headers.get(role or "", ""),
                                            message, grid.kind))

    if draft.year is None:
        problem(0, None, _('the year of the index is written nowhere above the table '
                           '("... năm 2023"): give --year'))
    rows = _collect(grid, header_row, columns, draft, problem, progress)
    _build(draft, rows, problem)
    _check_sums(draft, problem)
    _infer(draft, overrides or {}, problem)
    draft.problems.sort(key=lambda p: (p.row, p.column))
    return draft


def _read_preamble(draft: IndexDraft, grid: Grid, header_row: int) -> None:
    texts = [t for t in dict.fromkeys(grid.preamble) if t]
    for cells in grid.rows[: header_row - 1]:
        for text in cells:
            text = " ".join(text.split())
            if text and text not in texts:
                texts.append(text)
    for text in texts:
        f = fold(text)
        if not draft.decision and (m := _DECISION.search(text)):
            draft.decision = re.sub(r"\s+", "", m[1])
        if draft.issued_on is None and (m := _ISSUED.search(f)):
            with contextlib.suppress(ValueError):
                draft.issued_on = date(int(m[3]), int(m[2]), int(m[1]))
    # The index's title: the line naming the index ("Bộ Chỉ số …", "Chỉ số cải cách hành
    # chính …"), else the decision's subject ("Ban hành …").
    for text in texts:
        f = fold(text)
        if f.startswith(("bo chi so", "chi so cai cach", "bo tieu chi")) or (
                "chi so" in f and "cai cach hanh chinh" in f and not f.startswith("so")):
            draft.title = text
            break
    if not draft.title:
        draft.title = next((t for t in texts if fold(t).startswith("ban hanh")), "")
    for f in ([fold(draft.title)] if draft.title else []) + [_ISSUED.sub(" ", fold(t)) for t in texts]:
        if m := _YEAR.search(f):
            draft.year = int(m[1])
            break


def _collect(grid: Grid, header_row: int, columns: dict[str, int], draft: IndexDraft,
             problem: Callable[[int, str | None, str], None],
             progress: Progress | None) -> list[_Row]:
    def get(cells: list[str], role: str) -> str:
        c = columns.get(role)
        return cells[c - 1] if c is not None and c <= len(cells) else ""

    rows: list[_Row] = []
    total = len(grid.rows)
    for r in range(header_row + 1, total + 1):
        if progress is not None and r % 200 == 0:
            progress("read", r, total)
        cells = grid.rows[r - 1]
        nonempty = [c for c in cells if c]
        if not nonempty:
            continue
        if len(nonempty) >= 2 and all(_COLUMN_NUMBERS.match(c) for c in nonempty):
            continue  # the (1) (2) (3) row under the header
        code_cell = get(cells, "code").strip()
        title = get(cells, "title").strip()
        max_text = get(cells, "max").strip()
        guidance = get(cells, "guidance").strip()
        if header_role(title) == "title" and header_role(max_text) == "max":
            continue  # the header repeated on a new page
        # A merged row reads the same text in every cell: keep it once.
        if max_text and max_text in (title, code_cell):
            max_text = ""
        if guidance and guidance in (title, code_cell):
            guidance = ""
        if code_cell and code_cell == title:
            code_cell = ""
        folded = fold((code_cell or title)[:40])
        if folded.startswith(_FOOTER) and not max_text:
            break  # the signature block: the table is over
        draft.last_row = r
        label_text = code_cell
        if not label_text:
            label_text, title = _split_label(title)
        if fold(title).rstrip(":. ").startswith(_TOTAL) and not label_text:
            draft.total_row = (r, max_text)  # "Tổng cộng": checked against the fields
            continue
        parsed = _label(label_text)
        if parsed is None:
            if label_text and not title:
                title = label_text
            if max_text:
                problem(r, "code", _('"{label}" is not a criterion code (I, 1, 1.1, a) …)').format(
                    label=label_text) if label_text else _("a row with points has no code"))
                continue
            if rows and (title or guidance):  # a continuation line of the row above
                extra = "\n".join(t for t in (title, guidance) if t)
                prev = rows[-1]
                prev.guidance = "\n".join(t for t in (prev.guidance, extra) if t)
                continue
            continue
        kind, code = parsed
        if code_cell and not title:
            title = ""
        rows.append(_Row(r, label_text, kind, code, title, max_text, guidance,
                         letter=code if kind == "letter" else ""))
    return rows


def _split_label(title: str) -> tuple[str, str]:
    """A code written at the start of the title: ("1.1", "Kế hoạch CCHC")."""
    text = _LEADING_WORD.sub("", title.strip())
    for pattern in (_CODE_LABEL, _LETTER_LABEL):
        m = pattern.match(text)
        if m is not None and m.group("rest").strip():
            return text[: m.start("rest")].strip(), m.group("rest").strip()
    m = _ROMAN_LABEL.match(text)
    if m is not None and roman_value(m["num"]) and m["rest"].strip() and (
            text[len(m["num"]):len(m["num"]) + 1] in ".):/- "):
        return m["num"], m["rest"].strip(" .-")
    return "", title


def _label(text: str) -> tuple[str, str] | None:
    """("field", "2") for II, ("code", "1.2") for 1.2., ("letter", "a") for a); None else."""
    t = _LEADING_WORD.sub("", text.strip()).strip()
    if not t:
        return None
    if (n := roman_value(t.rstrip(".):"))) is not None:
        return "field", str(n)
    if m := re.fullmatch(r"(\d{1,2}(?:\.\d{1,2}){0,4})\.?", t):
        return "code", m[1]
    if m := re.fullmatch(r"([a-zđ])\s*[).]?", t):
        return "letter", m[1]
    return None


def _build(draft: IndexDraft, rows: list[_Row],
           problem: Callable[[int, str | None, str], None]) -> None:
    has_fields = any(r.kind == "field" for r in rows)
    # Does the numbering restart under each field (I: 1, 1.1 … II: 1, 1.1 …)?
    restart = False
    if has_fields:
        current = None
        for r in rows:
            if r.kind == "field":
                current = r.code
            elif r.kind == "code" and current is not None:
                first, _dot, rest = r.code.partition(".")
                if not rest or first != current:
                    restart = True
                    break
    field_code: str | None = None
    last_numbered: str | None = None
    letters: dict[str, list[_Row]] = {}
    built: list[DraftCriterion] = []
    seen: dict[str, int] = {}
    position = 0

    def add(r: _Row, code: str) -> None:
        nonlocal position
        title = " ".join(r.title.split())
        if not title:
            problem(r.row, "title", _("criterion {code} has no title").format(code=code))
        if len(title) > MAX_TITLE:
            problem(r.row, "title", _("longer than {n} characters").format(n=MAX_TITLE))
        if len(r.guidance) > MAX_GUIDANCE:
            problem(r.row, "guidance", _("longer than {n} characters").format(n=MAX_GUIDANCE))
        if code in seen:
            problem(r.row, "code", _('criterion code "{code}" is used twice (also row {row})').format(
                code=code, row=seen[code]))
            return
        seen[code] = r.row
        points: float = -1.0
        if r.max_text:
            value = parse_points(r.max_text)
            if value is None or value < 0:
                problem(r.row, "max", _('"{text}" is not a number of points (1, 0,5, 1,5 điểm)')
                        .format(text=r.max_text))
                points = math.nan  # reported: the sums above it are not checked
            else:
                points = value
        parent = code.rpartition(".")[0] or None
        position += 1
        built.append(DraftCriterion(code, parent, title, points, r.guidance.strip(), r.row,
                                    r.label, position=position))

    for r in rows:
        if r.kind == "field":
            field_code = r.code
            last_numbered = r.code
            add(r, r.code)
        elif r.kind == "code":
            code = r.code
            if restart and field_code is not None:
                code = f"{field_code}.{code}"
            last_numbered = code
            add(r, code)
        else:
            if last_numbered is None:
                problem(r.row, "code", _('"{label}" comes before any criterion code').format(
                    label=r.label))
                continue
            letters.setdefault(last_numbered, []).append(r)

    by_code = {c.code: c for c in built}
    for c in built:
        if c.parent is not None and c.parent not in by_code:
            problem(c.row, "code", _('the parent criterion "{parent}" of {code} is not in the '
                                     "table").format(parent=c.parent, code=c.code))
    # a), b) … under a code: sub-criteria when their points add up to it, else its outcomes.
    for code, items in letters.items():
        parent = by_code.get(code)
        if parent is None:
            continue
        values = [parse_points(i.max_text) if i.max_text else None for i in items]
        if all(v is None for v in values):  # descriptive lines: part of the guidance
            lines = [f"{i.label} {i.title}".strip() for i in items]
            by_code[code] = replace(parent, guidance="\n".join(
                t for t in (parent.guidance, *lines) if t))
            continue
        numbered_children = [c for c in built if c.parent == code]
        total = sum(v for v in values if v is not None)
        if parent.max_points < 0 or abs(total - parent.max_points) <= _EPS:
            if numbered_children:
                problem(items[0].row, "code", _(
                    "{code} has numbered sub-criteria and lettered ones: use one numbering")
                    .format(code=code))
                continue
            for n, (item, value) in enumerate(zip(items, values, strict=True), start=1):
                if value is None:
                    problem(item.row, "max", _("no points for {label}").format(label=item.label))
                sub = f"{code}.{n}"
                position += 1
                by_code[sub] = DraftCriterion(
                    sub, code, " ".join(item.title.split()), value if value is not None else -1.0,
                    item.guidance.strip(), item.row, item.label, position=parent.position)
                seen[sub] = item.row
        elif max(v for v in values if v is not None) <= parent.max_points + _EPS \
                and not numbered_children:
            lines = [f"{i.title}: {i.max_text}" for i in items]
            by_code[code] = replace(parent, guidance="; ".join(
                t for t in (parent.guidance, *lines) if t))
        else:
            problem(items[0].row, "max", _(
                "the points of {labels} under {code} (rows {rows}) add up to {total}, not its "
                "{max}, and are not its outcomes either").format(
                labels=", ".join(i.label for i in items), code=code,
                rows=", ".join(str(i.row) for i in items), total=_n(total),
                max=_n(parent.max_points)))
    # Keep the table's order, sub-criteria from letters right after their parent.
    ordered = sorted(by_code.values(), key=lambda c: (c.position, c.row))
    draft.criteria = [replace(c, position=i) for i, c in enumerate(ordered, start=1)]
    if not draft.criteria and not draft.problems:
        problem(0, None, _("the table holds no criterion"))


def _check_sums(draft: IndexDraft, problem: Callable[[int, str | None, str], None]) -> None:
    """Parents without points take their children's sum; parents that do not add up to their
    children are problems naming both rows."""
    criteria = {c.code: c for c in draft.criteria}
    kids: dict[str, list[DraftCriterion]] = {}
    for c in draft.criteria:
        if c.parent is not None:
            kids.setdefault(c.parent, []).append(c)

    def settle(code: str) -> float:
        c = criteria[code]
        children = kids.get(code, [])
        if not children:
            if math.isnan(c.max_points):
                return c.max_points
            if c.max_points < 0:
                problem(c.row, "max", _("criterion {code} has no maximum points").format(code=code))
                criteria[code] = replace(c, max_points=0.0)
            return criteria[code].max_points
        total = sum(settle(k.code) for k in children)
        if math.isnan(total) or math.isnan(c.max_points):
            return c.max_points if not math.isnan(c.max_points) and c.max_points >= 0 else total
        if c.max_points < 0:
            criteria[code] = replace(c, max_points=total)
            draft.notes.append(_("{code} has no points written: the sum of its sub-criteria, "
                                 "{total}").format(code=code, total=_n(total)))
        elif abs(total - c.max_points) > _EPS:
            rows = ", ".join(str(k.row) for k in children)
            problem(c.row, "max", _(
                "{code} is worth {max} but its sub-criteria (rows {rows}) add up to {total}")
                .format(code=code, max=_n(c.max_points), rows=rows, total=_n(total)))
        return criteria[code].max_points

    for c in draft.criteria:
        if c.parent is None or c.parent not in criteria:
            settle(c.code)
    draft.criteria = [criteria[c.code] for c in draft.criteria]
    if draft.total_row is not None and draft.total_row[1]:
        row, text = draft.total_row
        written = parse_points(text)
        total = draft.total()
        if math.isnan(total):
            pass  # a field's points are unreadable: reported already
        elif written is None:
            problem(row, "max", _('"{text}" is not a number of points').format(text=text))
        elif abs(written - total) > _EPS:
            problem(row, "max", _("the total row says {written} but the fields add up to "
                                  "{total}").format(written=_n(written), total=_n(total)))
    draft.survey_fields = tuple(c.code for c in draft.criteria
                                if c.parent is None and is_survey(c.title))


def _infer(draft: IndexDraft, overrides: dict[str, str],
           problem: Callable[[int, str | None, str], None]) -> None:
    parents = {c.parent for c in draft.criteria}
    roots = {c.code: c for c in draft.criteria if c.parent is None}
    survey = set(draft.survey_fields)
    out: list[DraftCriterion] = []
    for c in draft.criteria:
        if c.code in parents:
            out.append(replace(c, method="sum"))
            continue
        root = c.code.split(".")[0]
        inference = infer_method(c.title, c.guidance, c.max_points,
                                 under_survey=root in survey and root in roots)
        out.append(replace(c, method=inference.method, inference=inference))
    draft.criteria = out
    by_code = {c.code: i for i, c in enumerate(out)}
    for code, method in overrides.items():
        index = by_code.get(code)
        if index is None:
            problem(0, None, _('--method {code}={method}: no criterion {code} in the table').format(
                code=code, method=method))
            continue
        c = out[index]
        if c.code in parents:
            problem(c.row, "code", _("--method {code}={method}: {code} has sub-criteria; only "
                                     "leaf criteria take a method").format(code=code,
                                                                           method=method))
            continue
        out[index] = replace(c, method=method, overridden=True)


def parse_overrides(values: tuple[str, ...]) -> dict[str, str]:
    """`--method 3.3.1=threshold` values as {code: method}; ValueError with the reason."""
    out: dict[str, str] = {}
    for value in values:
        code, sep, method = value.partition("=")
        code, method = code.strip(), method.strip().lower()
        if not sep or not code:
            raise ValueError(_('--method "{value}": write CODE=METHOD, e.g. 3.3.1=threshold')
                             .format(value=value))
        if method not in METHODS:
            raise ValueError(_('--method "{value}": the method is one of {methods}').format(
                value=value, methods=", ".join(METHODS)))
        out[code] = method
    return out


def _n(value: float) -> str:
    return f"{value:g}"


def method_parameters(c: DraftCriterion) -> dict[str, Any]:
    """The parameters stored with a leaf (criterion.params), from what its guidance says."""
    return dict(guidance_parameters(c.method, c.max_points, c.inference))


def gaps(c: DraftCriterion, has_indicator: bool = False) -> list[str]:
    """What a leaf still needs before it can score, in words for the coordinator."""
    words = {"indicator": _("needs its indicator"), "bands": _("needs its bands")}
    lacks = criterion_params.missing(c.method, method_parameters(c), has_indicator=has_indicator)
    # A condition read from the guidance always has its outcomes (yes / no by default).
    return [words[kind] for kind in lacks if kind in words]
