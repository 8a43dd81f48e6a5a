"""Import a plan from the appendix table offices already write (.xlsx or .csv).

Three steps, so a dry run shows exactly what the real import would write:

1. `locate`: find the sheet and its header row by column names (STT / Nội dung / Đơn vị chủ
   trì / Đơn vị phối hợp / Thời gian / Sản phẩm / Ghi chú / Tiêu chí, with or without
   diacritics, any case), and read the plan's title, number, year and agency from the rows
   above the header.
2. `analyse`: turn the rows into sections (Roman numerals, mapped to the plan's fields) and
   tasks (`SeedTask`, the same model a seed file gives), matching offices by code, name or
   alias and reading deadline phrases; every problem names its sheet, row and column.
3. `planner.services.plan_load.write_import` writes everything in one transaction with
   SQLAlchemy Core bulk inserts (10,000 rows in a few seconds), with one `plan.import`
   change-log entry (this module reads files; it does not touch the database).

Task codes come from the STT column: `1` -> `T01`, `1.2` -> `T01.2`, `a)` under task 3 ->
`T03a`, a bullet under it -> `T03-1`; when numbering restarts in every section the section
number is put in front (`T2.01`). A code written in a "Mã" column, or in STT (`T07`, as
exports write it), is kept as it is.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from planner.domain.dates import listing
from planner.domain.schedule import (
    DateError,
    deadline_plausible,
    parse_date,
    parse_deadline,
    task_occurrence_dates,
)
from planner.domain.text import describe_character, fold, forbidden_character, roman_value
from planner.i18n import _
from planner.io.files import FileLimits
from planner.io.office_cells import ALL, CellOffices, OfficeInfo, OfficeNames, derive_code
from planner.io.seedfile import SeedOffice, SeedTask
from planner.io.sheet_reader import Grid, column_letter

#: Called with (stage, done, total).
Progress = Callable[[str, int, int], None]

HEADER_SCAN_ROWS = 40
MAX_TITLE = 500
MAX_TEXT = 10_000
REQUIRED_ROLES = ("title", "lead", "deadline")

ROLE_NAMES = {
    "stt": "STT",
    "code": "Mã",
    "title": "Nội dung nhiệm vụ",
    "lead": "Đơn vị chủ trì",
    "support": "Đơn vị phối hợp",
    "deadline": "Thời gian hoàn thành",
    "start": "Ngày bắt đầu",
    "product": "Sản phẩm",
    "note": "Ghi chú",
    "criteria": "Tiêu chí",
}

_ROMAN_PREFIX = re.compile(r"^(?P<num>[IVXL]+)(?:\s*[.):/-]\s*|\s+|$)(?P<rest>.*)$", re.DOTALL)
_NUMBERED = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)[.)]?$")
_LETTER = re.compile(r"^([a-zđ])\s*[).:/]?$")
_BULLET = re.compile(r"^[-+•*–—]$")
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,31}$")
_ANY_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
_CRITERION = re.compile(r"^(\d+(?:\.\d+)*)(?:\s*(?::|x|×|\(x?)\s*(\d+(?:[.,]\d+)?)\)?)?$")
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
_DATE_LINE = re.compile(r"ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}")
_ISSUED = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_YEAR = re.compile(r"\bnam\s+(\d{4})\b")
_ANY_YEAR = re.compile(r"\b(20\d\d)\b")
_NUMBER = re.compile(r"(?<![\w/])(\d{1,5}\s*/\s*KH[\w\-Đđ/]*)")
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))

#: Folded beginnings of the lines that close a plan document: the table has ended.
_FOOTER = ("noi nhan", "giam doc", "kt. giam doc", "kt giam doc", "pho giam doc", "nguoi lap",
           "thu truong", "tm. ", "tl. ", "(ky", "chanh van phong")
_STOPWORDS = {"cong", "tac", "cua", "va", "cac", "trong", "ve", "nam", "cai", "cach", "hanh",
              "chinh", "cchc", "viec", "thuc", "hien"}


# ------------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class ImportProblem:
    """One problem, where it is: sheet, row (0 for the whole sheet) and column."""

    sheet: str
    row: int
    column: int  # 1-based; 0 for the whole row or sheet
    header: str
    message: str
    kind: str = "sheet"  # "table" for a table of a Word document, named by its number
    file: bool = False  # a problem of the whole file: `sheet` holds the file name

    def where(self) -> str:
        place = self.sheet if self.file else (
            _("table {n}").format(n=self.sheet) if self.kind == "table"
            else _('sheet "{sheet}"').format(sheet=self.sheet))
        if self.row == 0:
            return place
        if self.column == 0:
            return _("{place}, row {row}").format(place=place, row=self.row)
        return _("{place}, row {row}, column {col} ({header})").format(
            place=place, row=self.row, col=column_letter(self.column), header=self.header
        )

    def __str__(self) -> str:
        if self.file:  # the file's own problem: its message names the file
            return self.message
        return f"{self.where()}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "kind": "file" if self.file else self.kind, "row": self.row,
                "column": column_letter(self.column) if self.column else "",
                "header": self.header, "message": self.message}


# ------------------------------------------------------------------------------- shapes


@dataclass(frozen=True)
class ImportOptions:
    year: int | None = None
    title: str | None = None
    sheet: str | None = None
    create_offices: bool = False
    into_existing: bool = False
    limits: FileLimits = field(default_factory=FileLimits)  # how much of the file is read


@dataclass
class Located:
    """Where the plan table is, and what the rows above it say about the plan."""

    grid: Grid
    header_row: int
    columns: dict[str, int]  # role -> 1-based column
    headers: dict[str, str]  # role -> header text as written
    preamble: list[str]
    year: int | None = None
    title: str = ""
    number: str = ""
    agency: str = ""
    parent_agency: str = ""
    place: str = ""
    issued_on: date | None = None


@dataclass(frozen=True)
class Section:
    numeral: str
    number: int
    title: str
    row: int
    field_code: str | None = None  # the plan's field (root criterion) it maps to
    field_title: str = ""


@dataclass(frozen=True)
class ImportedTask:
    task: SeedTask
    row: int
    section: int | None
    section_title: str = ""  # "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", kept on the task


@dataclass(frozen=True)
class PlanInfo:
    """What the database already holds for the plan year."""

    id: int
    year: int
    title: str
    task_codes: frozenset[str]
    criteria: dict[str, str]  # code -> title
    roots: tuple[tuple[str, str], ...]  # (code, title) of the fields, in order
    # The plan's own period (a plan year may end early): recurring tasks fall due within it.
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass
class PlanImport:
    """Everything an import would write, and every problem found."""

    source: str
    sheet: str = ""
    kind: str = "sheet"  # "table" for a table of a Word document
    header_row: int = 0
    last_row: int = 0
    columns: dict[str, int] = field(default_factory=dict)
    year: int | None = None
    title: str = ""
    number: str = ""
    agency: str = ""
    parent_agency: str = ""
    place: str = ""
    issued_on: date | None = None
    title_given: bool = False  # the title was written above the table or given with --title
    existing: PlanInfo | None = None
    sections: list[Section] = field(default_factory=list)
    tasks: list[ImportedTask] = field(default_factory=list)
    new_offices: list[SeedOffice] = field(default_factory=list)
    new_office_rows: dict[str, int] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# ---------------------------------------------------------------------------- step 1: locate


@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    """`fold`, remembered: office names and headers repeat on thousands of rows."""
    return fold(text)


@lru_cache(maxsize=4096)
def _deadline(text: str, year: int) -> Any:
    return parse_deadline(text, year=year)


@lru_cache(maxsize=1024)
def header_role(text: str) -> str | None:
    """The column a header cell names, or None."""
    f = _fold(text)
    f = " ".join(re.sub(r"[^\w\s%/]", " ", f).split())
    if not f:
        return None
    if f in ("stt", "tt", "so tt", "so thu tu", "no", "#"):
        return "stt"
    if f in ("ma", "code", "task code", "ma so") or f.startswith(("ma nhiem vu", "ma cong viec")):
        return "code"
    if "chu tri" in f or f in ("lead", "lead office"):
        return "lead"
    if "phoi hop" in f or f.startswith("support"):
        return "support"
    if "bat dau" in f or f.startswith("start"):
        return "start"
    if f.startswith(("thoi gian", "thoi han", "han hoan thanh", "han chot", "tien do thuc hien",
                     "deadline", "due")) or f == "tien do":
        return "deadline"
    if f.startswith(("san pham", "ket qua", "product")):
        return "product"
    if f.startswith(("noi dung", "nhiem vu", "ten nhiem vu", "cong viec", "ten cong viec",
                     "task", "title", "hoat dong", "giai phap")):
        return "title"
    if "tieu chi" in f or f.startswith("criteri"):
        return "criteria"
    if f.startswith(("ghi chu", "mo ta", "note", "description")):
        return "note"
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


def locate(grids: list[Grid], sheet: str | None = None) -> Located | list[ImportProblem]:
    """The plan table's sheet and header, or the problems saying why there is none."""
    problems: list[ImportProblem] = []
    if sheet is not None:
        chosen = [g for g in grids if g.name == sheet or fold(g.name) == fold(sheet)]
        if not chosen:
            names = ", ".join(f'"{g.name}"' for g in grids)
            return [ImportProblem(sheet, 0, 0, "",
                                  _("no such sheet (sheets: {names})").format(names=names))]
        grids = chosen
    partial: list[tuple[Grid, int, dict[str, int], dict[str, str]]] = []
    for grid in grids:
        if grid.empty:
            problems.append(ImportProblem(grid.name, 0, 0, "", _("the sheet is empty"), grid.kind))
            continue
        found = False
        for r in range(1, min(len(grid.rows), HEADER_SCAN_ROWS) + 1):
            columns, headers = _roles(grid.rows[r - 1])
            if "title" in columns and len(columns) >= 3 and all(
                role in columns for role in REQUIRED_ROLES
            ):
                located = Located(grid, r, columns, headers, _preamble(grid, r))
                _read_preamble(located)
                return located
            if len(columns) >= 2 and ("title" in columns or len(columns) >= 3):
                partial.append((grid, r, columns, headers))
                found = True
                break
        if not found:
            problems.append(ImportProblem(
                grid.name, 0, 0, "",
                _("this sheet is not a plan table: no header row with the columns STT, "
                  "Nội dung nhiệm vụ, Đơn vị chủ trì, Thời gian hoàn thành (looked at the "
                  "first {n} rows)").format(n=min(len(grid.rows), HEADER_SCAN_ROWS)), grid.kind))
    if partial:
        grid, r, columns, headers = partial[0]
        missing = [role for role in REQUIRED_ROLES if role not in columns]
        found_names = ", ".join(f'"{h}"' for h in headers.values())
        return [ImportProblem(
            grid.name, r, 0, "",
            _('the header has no "{missing}" column (found {found})').format(
                missing=ROLE_NAMES[m], found=found_names), grid.kind)
            for m in missing]
    return problems


def _preamble(grid: Grid, header_row: int) -> list[str]:
    """The distinct texts above the header (a document's paragraphs above its table, then the
    rows above the header), in reading order."""
    texts: list[str] = [t for t in dict.fromkeys(grid.preamble) if t]
    for cells in grid.rows[: header_row - 1]:
        for text in cells:
            if text and text not in texts:
                texts.append(" ".join(text.split()))
    return texts


def _read_preamble(loc: Located) -> None:
    texts = loc.preamble
    folded = [fold(t) for t in texts]
    for text, f in zip(texts, folded, strict=True):
        if not loc.parent_agency and f.startswith(("ubnd", "uy ban nhan dan")):
            loc.parent_agency = text
        elif not loc.agency and f.startswith(("so ", "phong giao duc", "truong ")) and text.isupper():
            loc.agency = text
        if loc.issued_on is None and (m := _ISSUED.search(f)):
            with contextlib.suppress(ValueError):
                loc.issued_on = date(int(m[3]), int(m[2]), int(m[1]))
            place = text.split(",")[0].strip()
            if place and place != text and len(place) < 60:
                loc.place = place
        if not loc.number and (n := _NUMBER.search(text)):
            loc.number = re.sub(r"\s+", "", n[1])
    # The title: the line that starts "Kế hoạch" (joined with the next one when it is only
    # the word), else a line about administrative reform.
    for i, f in enumerate(folded):
        if f.startswith("ke hoach") or (not loc.title and "cai cach hanh chinh" in f
                                        and not f.startswith(("so ", "ubnd"))):
            title = texts[i]
            if f.rstrip(":. ") == "ke hoach" and i + 1 < len(texts):
                title = f"{title} {texts[i + 1]}"
            loc.title = title
            if f.startswith("ke hoach"):
                break
    # The year: "năm 2022" outside the date line, in the title first.
    candidates = [fold(loc.title)] if loc.title else []
    candidates += [_DATE_LINE.sub(" ", f) for f in folded]
    candidates.append(fold(loc.grid.name))
    for f in candidates:
        if m := _YEAR.search(f):
            loc.year = int(m[1])
            break
    if loc.year is None:
        for f in candidates:
            if "ke hoach" in f and (m := _ANY_YEAR.search(f)):
                loc.year = int(m[1])
                break


# --------------------------------------------------------------------------- step 2: analyse


@dataclass
class _Row:
    row: int
    stt: str
    code_cell: str
    title: str
    lead: str
    support: str
    deadline: str
    start: str
    product: str
    note: str
    criteria: str
    section: int | None
    kind: str = "task"  # task | group
    code: str = ""
    extra: list[str] = field(default_factory=list)


def _clean(text: str) -> str:
    return text.translate(_CONTROL)


def _section_of(stt: str, title: str, others: list[str]) -> tuple[str, int, str] | None:
    """(numeral, number, title) when the row is a section heading."""
    for text, needs_empty in ((stt, False), (title, True)):
        if not text:
            continue
        m = _ROMAN_PREFIX.match(text)
        if m is None:
            continue
        number = roman_value(m["num"])
        if number is None:
            continue
        rest = " ".join(m["rest"].split())
        if needs_empty and (not rest or any(o and o != title for o in others)):
            continue
        heading = rest or (title if title != stt else "")
        return m["num"], number, " ".join(heading.split())
    return None


def analyse(loc: Located, offices: list[OfficeInfo], existing: PlanInfo | None,
            options: ImportOptions, source: str = "",
            progress: Progress | None = None) -> PlanImport:
    """Read the rows under the header into sections and tasks, with every problem found."""
    grid = loc.grid
    imp = PlanImport(source=source, sheet=grid.name, kind=grid.kind, header_row=loc.header_row,
                     columns=dict(loc.columns), year=options.year or loc.year,
                     title=" ".join((options.title or loc.title).split()), number=loc.number,
                     agency=loc.agency, parent_agency=loc.parent_agency, place=loc.place,
                     issued_on=loc.issued_on, existing=existing)
    imp.title_given = bool(imp.title)
    if existing is not None and imp.year is None:
        imp.year = existing.year
    if not imp.title and imp.year is not None:
        imp.title = _("Administrative reform plan {year}").format(year=imp.year)
    problems = imp.problems

    def problem(row: int, role: str | None, message: str) -> None:
        col = loc.columns.get(role, 0) if role else 0
        header = loc.headers.get(role, "") if role else ""
        problems.append(ImportProblem(grid.name, row, col, header, message, grid.kind))

    if imp.year is None:
        problems.append(ImportProblem(grid.name, 0, 0, "", _(
            'the plan year is written nowhere above the table ("... năm 2022"): give --year'),
            grid.kind))
    year = imp.year or date.today().year

    rows = _collect_rows(loc, imp, problem, progress)
    _assign_codes(rows, existing, problem)
    _map_sections(imp, existing)
    section_titles = {s.number: f"{s.numeral}. {s.title}".strip() for s in imp.sections}

    names = OfficeNames(offices)
    all_codes = [o.code for o in offices]
    taken = {o.code.casefold() for o in offices}
    criteria = existing.criteria if existing is not None else {}
    ignored_criteria = 0
    starts, ends = date(year, 1, 1), date(year, 12, 31)
    if existing is not None and existing.starts_on is not None and existing.ends_on is not None:
        starts, ends = existing.starts_on, existing.ends_on
    total = len(rows)
    for n, r in enumerate(rows, start=1):
        if progress is not None and n % 1000 == 0:
            progress("check", n, total)
        if r.kind != "task":
            continue

        def codes_in(cell: CellOffices, role: str, r: _Row = r) -> list[str]:
            """The codes of a cell, unknown fragments created (--create-offices) or named."""
            found: list[str] = []
            for entry in cell.entries:
                if isinstance(entry, str):
                    found.append(entry)
                    continue
                name = " ".join(entry.text.split())
                if entry.contains:
                    problem(r.row, role, _(
                        'unknown office "{name}": it holds the name of {codes} among other '
                        'words (separate the offices with a comma, or add "{name}" as an alias '
                        'of the office it means)').format(name=name, codes=", ".join(entry.contains)))
                elif options.create_offices:
                    code = derive_code(name, taken)
                    names.add(code, [name])
                    all_codes.append(code)
                    imp.new_offices.append(SeedOffice(code, name, (), "", "", ""))
                    imp.new_office_rows[code] = r.row
                    found.append(code)
                else:
                    problem(r.row, role, _('unknown office "{name}" (offices: {codes})').format(
                        name=name, codes=", ".join(all_codes) or "-"))
            return found

        lead_cell = names.read(r.lead)
        lead_codes = codes_in(lead_cell, "lead")
        lead: str | None = None
        support: list[str] = []
        if not lead_cell.entries:
            problem(r.row, "lead", _("no lead office: name the one office that answers for the task"))
        elif lead_cell.entries[0] == ALL:
            problem(r.row, "lead", _('"{text}" is every division: the lead is one office').format(
                text=" ".join(r.lead.split())))
        else:
            first = lead_cell.entries[0]
            resolved = isinstance(first, str) or (options.create_offices and not first.contains)
            if resolved and lead_codes:
                lead = lead_codes[0]
                support.extend(lead_codes[1:])
            else:
                support.extend(lead_codes)
        support.extend(codes_in(names.read(r.support), "support"))
        if ALL in support:
            support = list(all_codes)
        support_codes = tuple(dict.fromkeys(c for c in support if c != lead))

        # Deadline
        due_on: date | None = None
        continuous = False
        recurrence: str | None = None
        deadline_text = " ".join(r.deadline.split())
        if not deadline_text:
            problem(r.row, "deadline", _("no deadline (a date, Quý II/2022, Thường xuyên…)"))
        else:
            try:
                deadline = _deadline(deadline_text, year)
            except DateError as exc:
                problem(r.row, "deadline", _('"{text}": {message}').format(
                    text=deadline_text, message=exc.message))
            else:
                continuous = deadline.kind == "continuous"
                recurrence = deadline.rule if deadline.kind == "recurring" else None
                due_on = deadline.due_on if deadline.kind == "date" else None
                if due_on is not None and not deadline_plausible(due_on, starts, ends):
                    problem(r.row, "deadline", _("{date} is far outside the {year} plan").format(
                        date=listing(due_on), year=year))
        start_on: date | None = None
        if r.start:
            try:
                start_on = parse_date(r.start, year=year)
            except DateError as exc:
                problem(r.row, "start", _('"{text}": {message}').format(text=r.start,
                                                                         message=exc.message))
        if recurrence:
            try:
                if not task_occurrence_dates(recurrence, plan_starts_on=starts, plan_ends_on=ends,
                                             task_starts_on=start_on):
                    problem(r.row, "deadline", _('"{text}" has no date within {year}').format(
                        text=deadline_text, year=year))
            except DateError as exc:
                problem(r.row, "deadline", exc.message)

        # Criteria
        links: list[tuple[str, float]] = []
        for token in (t for t in re.split(r"[,;\n]+", r.criteria) if t.strip()):
            m = _CRITERION.match(token.strip())
            if m is None:
                problem(r.row, "criteria", _('"{text}" is not a criterion code (e.g. 3.3.1)').format(
                    text=token.strip()))
                continue
            code = m[1]
            weight = float(m[2].replace(",", ".")) if m[2] else 1.0
            if not criteria:
                ignored_criteria += 1
                continue
            if code not in criteria:
                problem(r.row, "criteria", _('unknown criterion "{code}" in the {year} plan').format(
                    code=code, year=year))
                continue
            if weight <= 0:
                problem(r.row, "criteria", _("a weight must be more than 0"))
                continue
            links.append((code, weight))

        # Text
        title = " ".join(r.title.split())
        description_parts: list[str] = []
        if len(title) > MAX_TITLE:
            first, _sep, rest = r.title.partition("\n")
            title = " ".join(first.split())
            description_parts.append(rest.strip())
        if len(title) > MAX_TITLE:
            problem(r.row, "title", _("longer than {n} characters").format(n=MAX_TITLE))
        description_parts.extend(p for p in (r.note, *r.extra) if p)
        description = "\n".join(description_parts).strip()
        if len(description) > MAX_TEXT:
            problem(r.row, "note", _("longer than {n} characters").format(n=MAX_TEXT))
        product = "; ".join(p.strip() for p in r.product.split("\n") if p.strip())
        if len(product) > MAX_TITLE:
            problem(r.row, "product", _("longer than {n} characters").format(n=MAX_TITLE))
        # The domain's rule for stored text (C0 controls are already dropped by _clean; C1
        # controls, DEL and bidi overrides are not what a plan's cell means to hold).
        for role, text, multiline in (("title", title, False), ("note", description, True),
                                      ("product", product, False)):
            if (bad := forbidden_character(text, multiline=multiline)) is not None:
                problem(r.row, role, _("contains control characters ({char}), which cannot be "
                                       "stored").format(char=describe_character(bad)))

        if lead is None:
            continue
        imp.tasks.append(ImportedTask(
            SeedTask(code=r.code, title=title, description=description, product=product,
                     lead=lead, support=support_codes, deadline_text=deadline_text,
                     due_on=due_on, continuous=continuous, recurrence=recurrence,
                     start_on=start_on, criteria=tuple(dict(links).items())),
            row=r.row, section=r.section, section_title=section_titles.get(r.section or 0, "")))
    if ignored_criteria:
        imp.notes.append(_(
            "The {year} plan has no criteria yet: {n} criteria references were not linked "
            "(load the criteria, then link the tasks).").format(year=year, n=ignored_criteria))
    if existing is not None and not options.into_existing and existing.task_codes:
        problems.append(ImportProblem(grid.name, 0, 0, "", _(
            "the database already holds the {year} plan with {n} tasks: add --into-existing to "
            "add these tasks to it").format(year=existing.year, n=len(existing.task_codes)),
            grid.kind))
    if not imp.tasks and not problems:
        problems.append(ImportProblem(grid.name, 0, 0, "", _("the table holds no task"), grid.kind))
    problems.sort(key=lambda p: (p.row, p.column))
    return imp


def _collect_rows(loc: Located, imp: PlanImport, problem: Callable[[int, str | None, str], None],
                  progress: Progress | None) -> list[_Row]:
    grid, cols = loc.grid, loc.columns

    def get(cells: list[str], role: str) -> str:
        c = cols.get(role)
        if c is None or c > len(cells):
            return ""
        return _clean(cells[c - 1])

    rows: list[_Row] = []
    section: int | None = None
    total = len(grid.rows)
    for r in range(loc.header_row + 1, total + 1):
        if progress is not None and r % 1000 == 0:
            progress("read", r, total)
        cells = grid.rows[r - 1]
        if not any(cells):
            continue
        values = {role: get(cells, role) for role in ROLE_NAMES}
        title, stt = values["title"], values["stt"]
        # A merged row reads the same text in every cell: keep it once.
        for role in ("lead", "support", "deadline", "start", "product", "note", "criteria",
                     "code"):
            if values[role] and values[role] in (title, stt) and role != "title":
                values[role] = ""
        nonempty = [c for c in cells if c]
        if not values["lead"] and not values["deadline"] and \
                _fold(nonempty[0][:40]).startswith(_FOOTER):
            break  # "Nơi nhận:", the signature: the table is over
        imp.last_row = r
        if len(nonempty) >= 3 and all(_COLUMN_NUMBERS.match(c) for c in nonempty):
            continue  # the (1) (2) (3) row under the header
        if header_role(values["lead"]) == "lead" and header_role(title) == "title":
            continue  # the header repeated on a new page
        others = [values[k] for k in ("lead", "support", "deadline", "product")]
        sec = _section_of(stt, title, others)
        if sec is not None:
            numeral, number, heading = sec
            section = number
            imp.sections.append(Section(numeral, number, heading, r))
            continue
        item = _Row(r, stt, values["code"], title, values["lead"], values["support"],
                    values["deadline"], values["start"], values["product"], values["note"],
                    values["criteria"], section)
        detail = any((item.lead, item.support, item.deadline, item.product, item.criteria))
        if not title:
            if detail or stt:
                problem(r, "title", _("no task content"))
            continue
        if not detail:
            if not stt and not item.code_cell and rows and rows[-1].kind == "task":
                rows[-1].extra.append(title)  # a continuation line of the task above
                continue
            item.kind = "group"
        rows.append(item)
    # A heading row with nothing under it is a task without lead and deadline.
    for i, item in enumerate(rows):
        if item.kind == "group":
            nxt = rows[i + 1] if i + 1 < len(rows) else None
            if nxt is None or not _is_child(item.stt, nxt.stt) or nxt.section != item.section:
                item.kind = "task"
    return rows


def _is_child(parent: str, child: str) -> bool:
    p = _NUMBERED.match(parent)
    if p is None:
        return False
    if _LETTER.match(child) or _BULLET.match(child) or not child:
        return True
    c = _NUMBERED.match(child)
    return c is not None and c[1].startswith(p[1] + ".")


def _assign_codes(rows: list[_Row], existing: PlanInfo | None,
                  problem: Callable[[int, str | None, str], None]) -> None:
    tops: dict[str, set[int | None]] = {}
    for r in rows:
        m = _NUMBERED.match(r.stt)
        if m is not None and "." not in m[1]:
            tops.setdefault(m[1], set()).add(r.section)
    restart = any(len(s) > 1 for s in tops.values())

    def numbered(stt: str, section: int | None) -> str:
        first, *rest = stt.split(".")
        body = ".".join([first.zfill(2), *rest])
        return f"T{section}.{body}" if restart and section is not None else f"T{body}"

    seen: dict[str, int] = {}
    parent = ""
    bullets: dict[str, int] = {}
    for r in rows:
        stt = r.stt.strip()
        code = ""
        if r.code_cell:
            code = r.code_cell.strip()
        elif m := _NUMBERED.match(stt):
            code = numbered(m[1], r.section)
            parent = code
        elif m := _LETTER.match(stt):
            code = f"{parent or 'T'}{m[1].replace('đ', 'd')}"
        elif _BULLET.match(stt) or not stt:
            base = parent or "T"
            bullets[base] = bullets.get(base, 0) + 1
            code = f"{base}-{bullets[base]}"
        elif _CODE.match(stt) and any(ch.isdigit() for ch in stt):
            code = stt
        elif _ANY_CODE.match(stt):
            code = f"T{stt}"
        else:
            code = f"T-R{r.row}"
        if r.kind == "group":
            parent = code
            continue
        if not _ANY_CODE.fullmatch(code):
            problem(r.row, "code" if r.code_cell else "stt",
                    _('"{code}" is not a usable task code (letters, digits, ".", "_", "-")').format(
                        code=code))
            code = f"T-R{r.row}"
        r.code = code
        if code in seen:
            problem(r.row, "code" if r.code_cell else "stt",
                    _('task code "{code}" is used twice (also row {row})').format(
                        code=code, row=seen[code]))
        else:
            seen[code] = r.row
        if existing is not None and code in existing.task_codes:
            if r.code_cell:
                problem(r.row, "code", _('task "{code}" already exists in the {year} plan').format(
                    code=code, year=existing.year))
            else:
                # Numbered from its STT: a supplementary table restarting at 1 needs its own
                # codes (an accidental second import of the same table is refused here too).
                problem(r.row, "stt", _(
                    'task "{code}" already exists in the {year} plan (codes come from the STT '
                    'column: to add these tasks, give them new codes in a "Mã" column, from '
                    '{free})').format(code=code, year=existing.year,
                                      free=_next_free_code(existing.task_codes)))


def _next_free_code(codes: Collection[str]) -> str:
    """The code after the plan's highest T-number (T47 after T01…T46)."""
    numbers = [int(m[1]) for c in codes if (m := re.fullmatch(r"T(\d+)", c))]
    return f"T{max(numbers, default=0) + 1:02d}"


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold(text)) if w not in _STOPWORDS and len(w) > 1}


def _map_sections(imp: PlanImport, existing: PlanInfo | None) -> None:
    roots = existing.roots if existing is not None else ()
    mapped: list[Section] = []
    for s in imp.sections:
        field_code: str | None = None
        field_title = ""
        if roots:
            words = _words(s.title)
            best, best_score = None, 0.0
            for code, title in roots:
                other = _words(title)
                if words and other:
                    score = len(words & other) / len(words | other)
                    if score > best_score:
                        best, best_score = (code, title), score
            if best is not None and best_score >= 0.34:
                field_code, field_title = best
            else:
                by_number = dict(roots)
                if str(s.number) in by_number:
                    field_code, field_title = str(s.number), by_number[str(s.number)]
        mapped.append(Section(s.numeral, s.number, s.title, s.row, field_code, field_title))
    imp.sections = mapped
