"""Read and check a plan seed file (TOML, see seed/plan-2022.toml).

`parse_seed` turns the bytes of a seed file into frozen dataclasses, or raises `SeedError`
listing every problem found, each with its key path (`tasks[7].lead: unknown office "VPP"`,
indexes 0-based). Pure: tomllib and planner.domain only, no database.

Every string is stored in NFC. Optional free text is "" when absent; optional references,
numbers and dates are None.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, cast

from planner.domain import criterion_params
from planner.domain.criterion_params import METHODS, MODES
from planner.domain.facts import STATUSES, CriterionRule, Method, Status
from planner.domain.schedule import (
    DateError,
    Deadline,
    describe_rule,
    format_date,
    parse_date,
    parse_deadline,
    split_occurrence_key,
    task_occurrence_dates,
)
from planner.domain.text import fold, forbidden_character, nfc

__all__ = [
    "SeedConfirmation",
    "SeedCriterion",
    "SeedError",
    "SeedEvent",
    "SeedEvidence",
    "SeedFile",
    "SeedIndicator",
    "SeedManual",
    "SeedOffice",
    "SeedPlan",
    "SeedProblem",
    "SeedReading",
    "SeedTask",
    "criterion_rules",
    "load_seed_file",
    "parse_seed",
    "seed_params",
]

UNITS = ("percent", "count", "ratio")
DIRECTIONS = ("higher", "lower")
EVIDENCE_KINDS = ("document", "link", "note")
COMPUTED = ("plan_completion",)
MAX_BYTES = 20 * 1024 * 1024  # the default of the max_seed_mb setting

_CRITERION_CODE = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_OFFICE_CODE = re.compile(r"[^\s@,;:\"'/\\]{1,20}")
_TASK_CODE = re.compile(r"[^\s@,;:\"'/\\]{1,30}")
_INDICATOR_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,49}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TOML_WHERE = re.compile(
    r"^(?P<msg>.*) \(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$"
)
_EPS = 1e-9


# --------------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class SeedProblem:
    """One problem in a seed file: where (a key path, "" for the whole file) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class SeedError(Exception):
    """A seed file that cannot be used, with every problem found in it."""

    def __init__(self, source: str, problems: Iterable[SeedProblem]) -> None:
        self.source = source
        self.problems: tuple[SeedProblem, ...] = tuple(problems)
        super().__init__(source, self.problems)

    def __str__(self) -> str:
        if not self.problems:
            return f"{self.source}: not a usable seed file"
        return "\n".join(f"{self.source}: {p}" for p in self.problems)


# ------------------------------------------------------------------------------ the shapes


@dataclass(frozen=True)
class SeedPlan:
    year: int
    title: str
    number: str
    issued_on: date | None
    agency: str
    parent_agency: str
    place: str
    index: str
    baseline_year: int | None
    baseline_score: float | None
    baseline_max: float | None
    baseline_rank: int | None
    baseline_of: int | None
    target: float | None
    demo_as_of: date | None
    starts_on: date
    ends_on: date
    closes_on: date | None = None


@dataclass(frozen=True)
class SeedOffice:
    code: str
    name: str
    aliases: tuple[str, ...]
    head_name: str
    head_title: str
    email: str


@dataclass(frozen=True)
class SeedIndicator:
    code: str
    name: str
    unit: str  # percent | count | ratio
    direction: str  # higher | lower
    target: float | None
    computed: str | None  # "plan_completion" or None


@dataclass(frozen=True)
class SeedCriterion:
    code: str
    parent: str | None
    title: str
    title_en: str
    max_points: float
    method: Method  # "sum" for parents
    late_factor: float
    mode: str  # share | all
    indicator: str | None
    bands: tuple[tuple[float, float], ...]  # (bound, points), best band first
    when_empty: float | None
    outcomes: tuple[tuple[str, str, float], ...]  # (key, label, points)
    expected_outcome: str | None
    expected_points: float | None
    lead: str | None
    position: int  # index in the file's [[criteria]] array


@dataclass(frozen=True)
class SeedTask:
    code: str
    title: str
    description: str
    product: str
    lead: str
    support: tuple[str, ...]  # "all" expanded to every other office, in file order
    deadline_text: str
    due_on: date | None  # None for continuous and recurring tasks
    continuous: bool
    recurrence: str | None  # monthly | quarterly | weekly | periodic-reports | an RRULE
    start_on: date | None
    criteria: tuple[tuple[str, float], ...]  # (criterion code, weight)


@dataclass(frozen=True)
class SeedEvent:
    task: str
    occurrence_due: date | None  # the occurrence of a recurring task
    on: date
    status: Status
    progress: int | None
    by: str | None


@dataclass(frozen=True)
class SeedEvidence:
    task: str | None
    occurrence_due: date | None
    criterion: str | None
    kind: str  # document | link | note
    doc_number: str
    doc_date: date | None
    issuer: str
    title: str
    url: str
    note: str
    submitted_on: date
    submitted_by: str | None
    accepted_on: date | None
    rejected_on: date | None
    reason: str
    reviewer: str | None


@dataclass(frozen=True)
class SeedReading:
    indicator: str
    on: date
    value: float | None
    numerator: float | None
    denominator: float | None
    source: str


@dataclass(frozen=True)
class SeedConfirmation:
    criterion: str
    on: date
    outcome: str
    note: str


@dataclass(frozen=True)
class SeedManual:
    criterion: str
    on: date
    points: float | None
    percent: float | None


@dataclass(frozen=True)
class SeedFile:
    plan: SeedPlan
    offices: tuple[SeedOffice, ...]
    indicators: tuple[SeedIndicator, ...]
    criteria: tuple[SeedCriterion, ...]
    tasks: tuple[SeedTask, ...]
    events: tuple[SeedEvent, ...]
    evidence: tuple[SeedEvidence, ...]
    readings: tuple[SeedReading, ...]
    confirmations: tuple[SeedConfirmation, ...]
    manual: tuple[SeedManual, ...]


# ------------------------------------------------------------------------------ public API


def load_seed_file(path: Path, *, max_bytes: int = MAX_BYTES) -> SeedFile:
    """Read and check a seed file; SeedError (with the reason) when it cannot be read: not a
    regular file (a FIFO, a device, a directory), or over `max_bytes` (setting max_seed_mb)."""
    from planner.io.files import FileRefused, read_limited

    source = str(path)
    try:
        data = read_limited(Path(path), limit=max_bytes, setting="max_seed_mb")
    except FileRefused as e:
        raise SeedError(source, [SeedProblem("", f"cannot read the file: {e.reason}")]) from None
    return parse_seed(data, source, max_bytes=max_bytes)


def parse_seed(data: bytes, source: str = "<seed>", *, max_bytes: int = MAX_BYTES) -> SeedFile:
    """Check a seed file's bytes and return its content; SeedError lists every problem."""
    problems: list[SeedProblem] = []
    doc = _decode(data, problems, max_bytes)
    if doc is None:
        raise SeedError(source, problems)
    try:
        result = _Reader(doc, problems).read()
    except RecursionError:
        problems.append(SeedProblem("", "the file is nested too deeply"))
        raise SeedError(source, problems) from None
    except Exception as e:  # a bug here must still reach the user as a SeedError
        problems.append(SeedProblem("", f"internal error while checking the file: {e!r}"))
        raise SeedError(source, problems) from e
    if problems:
        raise SeedError(source, problems)
    return result


def seed_params(c: SeedCriterion) -> dict[str, Any]:
    """The parameters stored with a seed criterion (criterion.params, decoded)."""
    return criterion_params.fields_params(
        c.method,
        late_factor=c.late_factor,
        mode=c.mode,
        bands=c.bands,
        when_empty=c.when_empty,
        outcomes=c.outcomes,
        expected_outcome=c.expected_outcome,
        expected_points=c.expected_points,
    )


def criterion_rules(seed: SeedFile) -> tuple[CriterionRule, ...]:
    """The seed's criteria as the tree scoring reads (top-level fields, in file order)."""
    children: dict[str | None, list[SeedCriterion]] = {}
    for c in sorted(seed.criteria, key=lambda c: c.position):
        children.setdefault(c.parent, []).append(c)

    def build(c: SeedCriterion) -> CriterionRule:
        # Through the stored parameters: the tree the loaded plan scores by.
        return criterion_params.rule(
            code=c.code,
            title=c.title,
            max_points=c.max_points,
            method=c.method,
            params=seed_params(c),
            indicator=c.indicator,
            lead_office=c.lead,
            children=tuple(build(k) for k in children.get(c.code, ())),
        )

    return tuple(build(c) for c in children.get(None, ()))


# ------------------------------------------------------------------------ bytes to tables


def _decode(data: bytes, problems: list[SeedProblem], max_bytes: int = MAX_BYTES) -> dict[str, Any] | None:
    """The TOML document, or None with the reason added to `problems`."""

    def fail(message: str) -> None:
        problems.append(SeedProblem("", message))

    if not isinstance(data, bytes | bytearray | memoryview):
        fail(f"expected the bytes of a file, got {type(data).__name__}")
        return None
    data = bytes(data)
    if not data.strip():
        fail("empty file: expected a plan in TOML ([plan], [[offices]], [[criteria]], ...)")
        return None
    if len(data) > max_bytes:
        fail(f"the file is too large ({len(data)} bytes; at most {max_bytes}, setting max_seed_mb)")
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        fail("UTF-16 text: save the file as UTF-8")
        return None
    for magic, what in (
        (b"PK\x03\x04", "a ZIP archive (an .xlsx or .docx file?)"),
        (b"%PDF", "a PDF"),
    ):
        if data.startswith(magic):
            fail(f"binary content: this is {what}, not a TOML text file")
            return None
    if (nul := data.find(b"\x00")) >= 0:
        fail(f"binary content (a NUL byte at offset {nul}): expected a UTF-8 TOML text file")
        return None
    data = data.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark, as Notepad writes
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        fail(
            f"not valid UTF-8: byte 0x{data[e.start]:02x} at offset {e.start} (line {line});"
            " save the file as UTF-8"
        )
        return None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        fail(_toml_message(str(e)))
        return None
    except RecursionError:
        fail("TOML syntax error: arrays or tables nested too deeply")
        return None
    if not doc:
        fail("empty file: no keys or tables, only comments or blank lines")
        return None
    return doc


def _toml_message(raw: str) -> str:
    m = _TOML_WHERE.match(raw)
    if m is None:
        return f"TOML syntax error: {raw}"
    msg = m["msg"]
    if msg.startswith("Cannot overwrite") or msg.startswith("Cannot declare"):
        msg = f"{msg} (a key or table is written twice)"
    if m["line"] is None:
        hint = "" if "twice" in msg else " (is the file cut off?)"
        return f"TOML syntax error at the end of the file: {msg}{hint}"
    return f"TOML syntax error at line {m['line']}, column {m['col']}: {msg}"


def _type_name(v: object) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    if isinstance(v, datetime):
        return "datetime"
    if isinstance(v, date):
        return "date"
    if isinstance(v, time):
        return "time"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "table"
    return type(v).__name__


def _num(v: float) -> str:
    return f"{v:g}"


def _bad_char(text: str, multiline: bool) -> str | None:
    """A description of the first character refused in text, or None: what the domain refuses
    in any stored text (`forbidden_character`), and in a seed file also every invisible
    formatting character (zero-width spaces and joiners, which a hand-written file never
    needs)."""
    bad = forbidden_character(text, multiline=multiline)
    for ch in text:
        category = unicodedata.category(ch)
        if ch == bad and ch in "\n\r\t":
            return "a line break or tab: write it on one line"
        if ch == bad and category != "Cf":
            return f"a control character (U+{ord(ch):04X})"
        if category == "Cf":
            return f"an invisible formatting character (U+{ord(ch):04X})"
    return None


# ------------------------------------------------------------------------------ one table


class _Entry:
    """One TOML table being read. Getters record problems and return a fallback."""

    def __init__(self, reader: _Reader, path: str, data: Mapping[str, Any]) -> None:
        self.reader = reader
        self.path = path
        self.data = data
        self.seen: set[str] = set()

    def key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def problem(self, key: str | None, message: str) -> None:
        self.reader.problem(self.key(key) if key else self.path, message)

    def has(self, key: str) -> bool:
        self.seen.add(key)
        return key in self.data

    def raw(self, key: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if required:
                self.problem(key, "missing required key")
            return None
        return self.data[key]

    def finish(self, allowed: Iterable[str] = ()) -> None:
        known = self.seen | set(allowed)
        for key in self.data:
            if key in known:
                continue
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            self.problem(key, f"unknown key{hint}")

    # --- typed values

    def text(
        self, key: str, *, required: bool = False, multiline: bool = False, max_length: int = 500
    ) -> str:
        v = self.raw(key, required)
        if v is None:
            return ""
        return self.reader.text_value(self.key(key), v, required, multiline, max_length)

    def code(self, key: str, pattern: re.Pattern[str], example: str, required: bool = True) -> str:
        v = self.text(key, required=required, max_length=60)
        if v and not pattern.fullmatch(v):
            self.problem(key, f'"{v}" is not a valid code (e.g. {example})')
            return ""
        return v

    def number(
        self,
        key: str,
        *,
        required: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
        what: str = "value",
    ) -> float | None:
        v = self.raw(key, required)
        return (
            None
            if v is None
            else self.reader.number_value(self.key(key), v, minimum, maximum, what)
        )

    def integer(
        self,
        key: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        v = self.raw(key, required)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            self.problem(key, f"expected an integer, got {_type_name(v)}")
            return None
        if (minimum is not None and v < minimum) or (maximum is not None and v > maximum):
            low = "" if minimum is None else str(minimum)
            high = "" if maximum is None else str(maximum)
            span = (
                f"between {low} and {high}"
                if low and high
                else (f"at least {low}" if low else f"at most {high}")
            )
            self.problem(key, f"must be {span}, got {v}")
            return None
        return v

    def day(self, key: str, *, required: bool = False) -> date | None:
        v = self.raw(key, required)
        return None if v is None else self.reader.date_value(self.key(key), v)

    def choice(self, key: str, options: tuple[str, ...], *, required: bool = False) -> str | None:
        v = self.text(key, required=required, max_length=60)
        if not v:
            return None
        if v not in options:
            self.problem(key, f'unknown {key} "{v}" (one of: {", ".join(options)})')
            return None
        return v

    def office(self, key: str, *, required: bool = False) -> str | None:
        v = self.text(key, required=required, max_length=60)
        if not v:
            return None
        return self.reader.office_ref(self.key(key), v)

    def table(self, key: str, *, required: bool = False) -> _Entry | None:
        v = self.raw(key, required)
        if v is None:
            return None
        if not isinstance(v, dict):
            self.problem(key, f"expected a table, got {_type_name(v)}")
            return None
        return _Entry(self.reader, self.key(key), v)

    def array(self, key: str, *, required: bool = False) -> list[Any] | None:
        v = self.raw(key, required)
        if v is None:
            return None
        if not isinstance(v, list):
            self.problem(key, f"expected an array, got {_type_name(v)}")
            return None
        return v

    def not_after_demo(self, key: str, d: date | None) -> None:
        demo = self.reader.demo_as_of
        if d is not None and demo is not None and d > demo:
            self.problem(
                key, f"dated {d.isoformat()}, after the plan's demo_as_of {demo.isoformat()}"
            )


# ------------------------------------------------------------------------------- the file


@dataclass
class _TaskInfo:
    recurrence: str | None
    occurrences: tuple[date, ...]
    deadline_ok: bool


class _Reader:
    """Reads a TOML document into a SeedFile, collecting every problem on the way."""

    def __init__(self, doc: dict[str, Any], problems: list[SeedProblem]) -> None:
        self.doc = doc
        self.problems = problems
        self.year: int | None = None
        self.starts_on = date(2000, 1, 1)
        self.ends_on = date(2000, 12, 31)
        self.demo_as_of: date | None = None
        self.offices: dict[str, SeedOffice] = {}
        self.indicators: dict[str, SeedIndicator] = {}
        self.criteria: dict[str, SeedCriterion] = {}
        self.criterion_children: dict[str, list[str]] = {}
        self.unsure: set[str] = set()  # criteria whose max or method could not be read
        self.tasks: dict[str, _TaskInfo] = {}

    # --- shared helpers

    def problem(self, path: str, message: str) -> None:
        self.problems.append(SeedProblem(path, message))

    def text_value(
        self, path: str, v: object, required: bool, multiline: bool, max_length: int
    ) -> str:
        if not isinstance(v, str):
            self.problem(path, f"expected a string, got {_type_name(v)}")
            return ""
        value = nfc(v.replace("\r\n", "\n")).strip()
        if not value:
            if required:
                self.problem(path, "must not be empty")
            return ""
        if len(value) > max_length:
            self.problem(path, f"longer than {max_length} characters")
            return ""
        if (bad := _bad_char(value, multiline)) is not None:
            self.problem(path, f"contains {bad}")
            return ""
        return value

    def number_value(
        self, path: str, v: object, minimum: float | None, maximum: float | None, what: str
    ) -> float | None:
        if isinstance(v, bool) or not isinstance(v, int | float):
            self.problem(path, f"expected a number, got {_type_name(v)}")
            return None
        value = float(v)
        if not math.isfinite(value):
            self.problem(path, f"expected a finite number, got {_num(value)}")
            return None
        if minimum is not None and value < minimum:
            if minimum == 0:
                self.problem(path, f"negative {what}: {_num(value)}")
            else:
                self.problem(path, f"{what} must be at least {_num(minimum)}, got {_num(value)}")
            return None
        if maximum is not None and value > maximum + _EPS:
            self.problem(path, f"{what} must be at most {_num(maximum)}, got {_num(value)}")
            return None
        return value

    def date_value(self, path: str, v: object) -> date | None:
        if isinstance(v, datetime):
            self.problem(path, "expected a date, got datetime (write the date alone: 2022-01-25)")
            return None
        if isinstance(v, date):
            return v
        if isinstance(v, str):
            try:
                return parse_date(v, year=self.year)
            except DateError as e:
                self.problem(path, e.message)
                return None
        self.problem(path, f"expected a date, got {_type_name(v)}")
        return None

    def office_ref(self, path: str, code: str) -> str | None:
        if code not in self.offices:
            self.problem(path, f'unknown office "{code}"')
            return None
        return code

    def tables(self, key: str, *, required: bool = False) -> list[tuple[int, _Entry]]:
        v = self.doc.get(key)
        if v is None:
            if required:
                self.problem(key, f"missing: the file needs at least one [[{key}]] table")
            return []
        if not isinstance(v, list):
            self.problem(key, f"expected an array of tables [[{key}]], got {_type_name(v)}")
            return []
        out: list[tuple[int, _Entry]] = []
        for i, item in enumerate(v):
            path = f"{key}[{i}]"
            if isinstance(item, dict):
                out.append((i, _Entry(self, path, item)))
            else:
                self.problem(path, f"expected a table, got {_type_name(item)}")
        if not out and required:
            self.problem(key, f"the file needs at least one [[{key}]] table")
        return out

    # --- the whole file

    def read(self) -> SeedFile:
        sections = (
            "plan",
            "offices",
            "indicators",
            "criteria",
            "tasks",
            "events",
            "evidence",
            "readings",
            "confirmations",
            "manual",
        )
        for key in self.doc:
            if key not in sections:
                close = difflib.get_close_matches(key, sections, n=1)
                hint = f'; did you mean "{close[0]}"?' if close else ""
                self.problem(key, f"unknown section{hint}")
        plan = self.read_plan()
        offices = self.read_offices()
        indicators = self.read_indicators()
        criteria = self.read_criteria()
        tasks = self.read_tasks(offices)
        events = self.read_events()
        evidence = self.read_evidence()
        readings = self.read_readings()
        confirmations = self.read_confirmations()
        manual = self.read_manual()
        return SeedFile(
            plan=plan,
            offices=offices,
            indicators=indicators,
            criteria=criteria,
            tasks=tasks,
            events=events,
            evidence=evidence,
            readings=readings,
            confirmations=confirmations,
            manual=manual,
        )

    # --- [plan]

    def read_plan(self) -> SeedPlan:
        raw = self.doc.get("plan")
        if not isinstance(raw, dict):
            if raw is None:
                self.problem("plan", "missing: the file needs a [plan] table")
            else:
                self.problem("plan", f"expected a table [plan], got {_type_name(raw)}")
            raw = {}
        e = _Entry(self, "plan", raw)
        year = e.integer("year", required=bool(raw), minimum=1900, maximum=2999)
        self.year = year
        if year is not None:
            self.starts_on, self.ends_on = date(year, 1, 1), date(year, 12, 31)
        title = e.text("title", required=bool(raw))
        number = e.text("number", max_length=60)
        issued_on = e.day("issued_on")
        agency = e.text("agency", required=bool(raw))
        parent_agency = e.text("parent_agency")
        place = e.text("place", max_length=100)
        index = e.text("index")
        target = e.number("target", minimum=0, what="target")
        starts_on = e.day("starts_on")
        ends_on = e.day("ends_on")
        if starts_on is not None:
            self.starts_on = starts_on
        if ends_on is not None:
            self.ends_on = ends_on
        if self.ends_on < self.starts_on:
            e.problem("ends_on", "the plan ends before it starts")
        closes_on = e.day("closes_on")
        if closes_on is not None and closes_on < self.ends_on:
            e.problem("closes_on", "the plan closes before it ends (closes_on is the "
                      "self-assessment cut-off, on or after ends_on)")
        demo = e.day("demo_as_of")
        self.demo_as_of = demo
        b_year = b_score = b_max = b_rank = b_of = None
        if (b := e.table("baseline")) is not None:
            b_year = b.integer("year", required=True, minimum=1900, maximum=2999)
            b_max = b.number("max", required=True, minimum=0, what="points")
            b_score = b.number("score", required=True, minimum=0, maximum=b_max, what="score")
            b_rank = b.integer("rank", minimum=1)
            b_of = b.integer("of", minimum=1)
            if b_rank is not None and b_of is not None and b_rank > b_of:
                b.problem("rank", f"rank {b_rank} of only {b_of}")
            if b_year is not None and year is not None and b_year >= year:
                b.problem(
                    "year", f"the baseline year {b_year} should come before the plan year {year}"
                )
            b.finish()
        e.finish()
        return SeedPlan(
            year=year or 0,
            title=title,
            number=number,
            issued_on=issued_on,
            agency=agency,
            parent_agency=parent_agency,
            place=place,
            index=index,
            baseline_year=b_year,
            baseline_score=b_score,
            baseline_max=b_max,
            baseline_rank=b_rank,
            baseline_of=b_of,
            target=target,
            demo_as_of=demo,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            closes_on=closes_on,
        )

    # --- [[offices]]

    def read_offices(self) -> tuple[SeedOffice, ...]:
        out: list[SeedOffice] = []
        names: dict[str, tuple[str, str]] = {}  # folded name -> (office code, path)
        first: dict[str, str] = {}
        for _i, e in self.tables("offices", required=True):
            code = e.code("code", _OFFICE_CODE, "VP, TCCB")
            if code and fold(code) == "all":
                e.problem("code", '"all" is reserved: support = ["all"] means every office')
                code = ""
            if code in first:
                e.problem("code", f'duplicate office code "{code}" (also {first[code]})')
                code = ""
            name = e.text("name", required=True)
            aliases: list[str] = []
            for j, a in enumerate(e.array("aliases") or []):
                value = self.text_value(e.key(f"aliases[{j}]"), a, True, False, 200)
                if value:
                    aliases.append(value)
            head_name = head_title = email = ""
            if (h := e.table("head")) is not None:
                head_name = h.text("name", required=True, max_length=200)
                head_title = h.text("title", max_length=200)
                email = h.text("email", max_length=200)
                if email and not _EMAIL.fullmatch(email):
                    h.problem("email", f'"{email}" is not an email address')
                    email = ""
                h.finish()
            e.finish()
            if not code:
                continue
            first[code] = e.path
            for label, path in [(code, e.key("code")), (name, e.key("name"))] + [
                (a, e.key(f"aliases[{j}]")) for j, a in enumerate(aliases)
            ]:
                folded = fold(label)
                other = names.get(folded)
                if other is not None and other[0] != code:
                    self.problem(path, f'"{label}" also names office "{other[0]}"')
                elif folded:
                    names.setdefault(folded, (code, path))
            office = SeedOffice(code, name, tuple(aliases), head_name, head_title, email)
            self.offices[code] = office
            out.append(office)
        return tuple(out)

    # --- [[indicators]]

    def read_indicators(self) -> tuple[SeedIndicator, ...]:
        out: list[SeedIndicator] = []
        first: dict[str, str] = {}
        for _i, e in self.tables("indicators"):
            code = e.code("code", _INDICATOR_CODE, "ontime_rate")
            if code in first:
                e.problem("code", f'duplicate indicator code "{code}" (also {first[code]})')
                code = ""
            name = e.text("name", required=True)
            unit = e.choice("unit", UNITS) or "percent"
            direction = e.choice("direction", DIRECTIONS) or "higher"
            target = e.number("target", what="target")
            computed = e.choice("computed", COMPUTED)
            e.finish()
            if code:
                first[code] = e.path
                indicator = SeedIndicator(code, name, unit, direction, target, computed)
                self.indicators[code] = indicator
                out.append(indicator)
        return tuple(out)

    # --- [[criteria]]

    def read_criteria(self) -> tuple[SeedCriterion, ...]:
        entries = self.tables("criteria", required=True)
        codes: dict[str, int] = {}  # code -> index of its first entry
        for i, e in entries:
            raw = e.data.get("code")
            if isinstance(raw, str) and _CRITERION_CODE.fullmatch(nfc(raw).strip()):
                codes.setdefault(nfc(raw).strip(), i)
        for code in codes:
            parent = code.rpartition(".")[0]
            if parent:
                self.criterion_children.setdefault(parent, []).append(code)
        out: list[SeedCriterion] = []
        for i, e in entries:
            criterion = self.read_criterion(i, e, codes)
            if criterion is not None:
                self.criteria[criterion.code] = criterion
                out.append(criterion)
        # children may not add up to more than their parent
        for c in out:
            kids = [
                self.criteria[k]
                for k in self.criterion_children.get(c.code, ())
                if k in self.criteria
            ]
            total = sum(k.max_points for k in kids)
            unsure = c.code in self.unsure or any(k.code in self.unsure for k in kids)
            if kids and not unsure and total > c.max_points + _EPS:
                self.problem(
                    f"criteria[{c.position}].max",
                    f"sub-criteria add up to {_num(total)}, more than {_num(c.max_points)}",
                )
        return tuple(out)

    def read_criterion(self, i: int, e: _Entry, codes: dict[str, int]) -> SeedCriterion | None:
        code = e.code("code", _CRITERION_CODE, "3.3.1")
        code_ok = bool(code)
        if code and codes.get(code) != i:
            e.problem("code", f'duplicate criterion code "{code}" (also criteria[{codes[code]}])')
            code = ""
        parent = code.rpartition(".")[0] or None
        if parent is not None and parent not in codes:
            e.problem("code", f'parent criterion "{parent}" is missing')
        title = e.text("title", required=True)
        title_en = e.text("title_en")
        max_points = e.number("max", required=True, minimum=0, what="points")
        top = max_points if max_points is not None else math.inf
        method_known = True
        lead = e.office("lead")
        children = self.criterion_children.get(code, []) if code else []
        method_text = e.choice("method", (*METHODS, "sum"))
        method: Method
        if children:
            if method_text not in (None, "sum"):
                e.problem(
                    "method",
                    f"has sub-criteria ({', '.join(children)}): only leaf criteria take a method",
                )
            method = "sum"
        elif method_text is None:
            if not e.has("method") and code_ok:
                e.problem(
                    "method",
                    "missing required key: a criterion without sub-criteria needs "
                    "a method (tasks, threshold, condition or manual)",
                )
            method, method_known = "sum", False
        elif method_text == "sum":
            e.problem(
                "method",
                '"sum" is for criteria with sub-criteria: use tasks, threshold, '
                "condition or manual",
            )
            method, method_known = "sum", False
        else:
            method = cast(Method, method_text)

        late_factor, mode = 0.5, "share"
        indicator: str | None = None
        bands: tuple[tuple[float, float], ...] = ()
        when_empty: float | None = None
        outcomes: tuple[tuple[str, str, float], ...] = ()
        expected_outcome: str | None = None
        expected_points: float | None = None
        allowed: set[str] = set()
        if method == "tasks":
            allowed = {"late_factor", "mode"}
            lf = e.number("late_factor", minimum=0, maximum=1, what="late_factor")
            late_factor = 0.5 if lf is None else lf
            mode = e.choice("mode", MODES) or "share"
        elif method == "threshold":
            allowed = {"indicator", "bands", "when_empty"}
            indicator = self.read_indicator_ref(e)
            bands = self.read_bands(e, top, indicator)
            when_empty = e.number("when_empty", minimum=0, maximum=top, what="points")
        elif method == "condition":
            allowed = {"outcomes", "expected"}
            outcomes = self.read_outcomes(e, top)
            exp = e.raw("expected", False)
            if exp is not None:
                value = self.text_value(e.key("expected"), exp, True, False, 60)
                if value and value not in {o[0] for o in outcomes} and outcomes:
                    e.problem(
                        "expected",
                        f'"{value}" is not one of the outcomes '
                        f"({', '.join(o[0] for o in outcomes)})",
                    )
                elif value:
                    expected_outcome = value
        elif method == "manual":
            allowed = {"expected"}
            expected_points = e.number("expected", minimum=0, maximum=top, what="points")
        for key in (
            "late_factor",
            "mode",
            "indicator",
            "bands",
            "when_empty",
            "outcomes",
            "expected",
        ):
            if key in e.data and key not in allowed:
                e.seen.add(key)
                if not method_known:
                    continue
                owner = {
                    "late_factor": "tasks",
                    "mode": "tasks",
                    "indicator": "threshold",
                    "bands": "threshold",
                    "when_empty": "threshold",
                    "outcomes": "condition",
                    "expected": "condition and manual",
                }[key]
                e.problem(key, f"applies only to {owner} criteria, not to method {method}")
        e.finish(("code", "title", "title_en", "max", "method", "lead"))
        if not code:
            return None
        if max_points is None or not method_known:
            self.unsure.add(code)
        return SeedCriterion(
            code=code,
            parent=parent,
            title=title,
            title_en=title_en,
            max_points=max_points if max_points is not None else 0.0,
            method=method,
            late_factor=late_factor,
            mode=mode,
            indicator=indicator,
            bands=bands,
            when_empty=when_empty,
            outcomes=outcomes,
            expected_outcome=expected_outcome,
            expected_points=expected_points,
            lead=lead,
            position=i,
        )

    def read_indicator_ref(self, e: _Entry) -> str | None:
        code = e.text("indicator", required=True, max_length=60)
        if not code:
            return None
        if code not in self.indicators:
            e.problem("indicator", f'unknown indicator "{code}"')
            return None
        return code

    def read_bands(
        self, e: _Entry, top: float, indicator: str | None
    ) -> tuple[tuple[float, float], ...]:
        raw = e.array("bands", required=True)
        if raw is None:
            return ()
        if not raw:
            e.problem("bands", "needs at least one [bound, points] band")
            return ()
        bands: list[tuple[float, float]] = []
        for j, band in enumerate(raw):
            path = e.key(f"bands[{j}]")
            if not isinstance(band, list) or len(band) != 2:
                got = f"{len(band)} items" if isinstance(band, list) else _type_name(band)
                self.problem(path, f"expected a pair [bound, points], got {got}")
                continue
            bound = self.number_value(path + "[0]", band[0], None, None, "bound")
            points = self.number_value(path + "[1]", band[1], 0, None, "points")
            if points is not None and points > top + _EPS:
                self.problem(
                    path, f"{_num(points)} points is more than the criterion max {_num(top)}"
                )
                continue
            if bound is not None and points is not None:
                bands.append((bound, points))
        lower = indicator is not None and self.indicators[indicator].direction == "lower"
        bands.sort(key=lambda b: b[0], reverse=not lower)  # best band first
        for (b1, p1), (b2, p2) in itertools.pairwise(bands):
            if b1 == b2:
                e.problem("bands", f"two bands with the bound {_num(b1)}")
            elif p2 > p1:
                e.problem(
                    "bands",
                    f"a worse bound earns more: {_num(b2)} -> {_num(p2)} but {_num(b1)} -> {_num(p1)}",
                )
        return tuple(bands)

    def read_outcomes(self, e: _Entry, top: float) -> tuple[tuple[str, str, float], ...]:
        raw = e.array("outcomes", required=True)
        if raw is None:
            return ()
        out: list[tuple[str, str, float]] = []
        keys: set[str] = set()
        for j, item in enumerate(raw):
            if not isinstance(item, dict):
                self.problem(e.key(f"outcomes[{j}]"), f"expected a table, got {_type_name(item)}")
                continue
            o = _Entry(self, e.key(f"outcomes[{j}]"), item)
            key = o.code("key", _TASK_CODE, "yes, no")
            label = o.text("label", required=True)
            points = o.number("points", required=True, minimum=0, maximum=top, what="points")
            o.finish()
            if key in keys:
                o.problem("key", f'duplicate outcome "{key}"')
            elif key and points is not None:
                keys.add(key)
                out.append((key, label, points))
        if len(raw) < 2:
            e.problem("outcomes", "a condition needs at least two outcomes (e.g. yes and no)")
        return tuple(out)

    # --- [[tasks]]

    def read_tasks(self, offices: tuple[SeedOffice, ...]) -> tuple[SeedTask, ...]:
        out: list[SeedTask] = []
        first: dict[str, str] = {}
        for _i, e in self.tables("tasks"):
            code = e.code("code", _TASK_CODE, "T01")
            if code in first:
                e.problem("code", f'duplicate task code "{code}" (also {first[code]})')
                code = ""
            title = e.text("title", required=True)
            description = e.text("description", multiline=True, max_length=10_000)
            product = e.text("product")
            lead = e.office("lead", required=True)
            support = self.read_support(e, lead, offices)
            deadline = self.read_deadline(e)
            start_on = e.day("start")
            due_on = deadline.due_on if deadline is not None else None
            if start_on is not None and due_on is not None and start_on > due_on:
                e.problem(
                    "start",
                    f"starts on {format_date(start_on)}, after its deadline {format_date(due_on)}",
                )
            links = self.read_links(e)
            e.finish()
            if not code:
                continue
            first[code] = e.path
            recurrence = deadline.rule if deadline is not None else None
            occurrences: tuple[date, ...] = ()
            if recurrence is not None:
                try:
                    # The dates the loader writes (and `planner check` expects).
                    occurrences = task_occurrence_dates(
                        recurrence, plan_starts_on=self.starts_on, plan_ends_on=self.ends_on,
                        task_starts_on=start_on,
                    )
                except DateError as err:
                    e.problem("due", err.message)
                    deadline = None
                else:
                    if not occurrences and self.year is not None:
                        e.problem("due", f'"{recurrence}" has no occurrence in the plan year')
                        deadline = None
            known = deadline is not None and self.year is not None
            self.tasks[code] = _TaskInfo(recurrence, occurrences, known)
            out.append(
                SeedTask(
                    code=code,
                    title=title,
                    description=description,
                    product=product,
                    lead=lead or "",
                    support=support,
                    deadline_text=deadline.text if deadline is not None else "",
                    due_on=deadline.due_on if deadline is not None else None,
                    continuous=deadline is not None and deadline.kind == "continuous",
                    recurrence=recurrence,
                    start_on=start_on,
                    criteria=links,
                )
            )
        return tuple(out)

    def read_support(
        self, e: _Entry, lead: str | None, offices: tuple[SeedOffice, ...]
    ) -> tuple[str, ...]:
        raw = e.array("support")
        if raw is None:
            return ()
        names: list[str] = []
        for j, item in enumerate(raw):
            path = e.key(f"support[{j}]")
            value = self.text_value(path, item, True, False, 60)
            if not value:
                continue
            if fold(value) == "all":
                if len(raw) > 1:
                    self.problem(path, '"all" already means every office except the lead')
                return tuple(o.code for o in offices if o.code != lead)
            if value in names:
                self.problem(path, f'office "{value}" listed twice')
            elif value == lead:
                self.problem(path, f'"{value}" leads this task; it cannot also support it')
            elif self.office_ref(path, value) is not None:
                names.append(value)
        return tuple(names)

    def read_deadline(self, e: _Entry) -> Deadline | None:
        raw = e.raw("due", True)
        if raw is None:
            return None
        if isinstance(raw, date) and not isinstance(raw, datetime):
            text = format_date(raw)
        else:
            text = self.text_value(e.key("due"), raw, True, False, 200)
            if not text:
                return None
        try:
            deadline = parse_deadline(text, year=self.year or self.starts_on.year)
        except DateError as err:
            e.problem("due", err.message)
            return None
        due = deadline.due_on
        if due is not None and self.year is not None and not self.starts_on <= due <= self.ends_on:
            e.problem(
                "due",
                f"{format_date(due)} is outside the plan year "
                f"({format_date(self.starts_on)}-{format_date(self.ends_on)})",
            )
            return None
        return deadline

    def read_links(self, e: _Entry) -> tuple[tuple[str, float], ...]:
        table = e.table("criteria")
        if table is None:
            return ()
        out: list[tuple[str, float]] = []
        for raw_key, weight in table.data.items():
            table.seen.add(raw_key)
            key = nfc(raw_key).strip()
            path = table.key(f'"{raw_key}"')
            value = self.number_value(path, weight, None, None, "weight")
            if value is not None and value <= 0:
                self.problem(path, f"weight must be more than 0, got {_num(value)}")
                value = None
            criterion = self.criteria.get(key)
            if criterion is None:
                self.problem(path, f'unknown criterion "{key}"')
            elif key in self.criterion_children:
                self.problem(
                    path,
                    f'criterion "{key}" has sub-criteria: link the task to a leaf '
                    f"({', '.join(self.criterion_children.get(key, []))})",
                )
            elif value is not None:
                out.append((key, value))
        return tuple(out)

    # --- occurrences: "T04" or "T04@2022-03-15"

    def read_task_ref(self, e: _Entry, key: str, required: bool) -> tuple[str | None, date | None]:
        text = e.text(key, required=required, max_length=60)
        if not text:
            return None, None
        try:
            code, when = split_occurrence_key(text)
        except DateError as err:
            e.problem(key, err.message)
            return None, None
        info = self.tasks.get(code)
        if info is None:
            e.problem(key, f'unknown task "{code}"')
            return None, None
        if not info.deadline_ok:
            return code, when
        if info.recurrence is None:
            if when is not None:
                e.problem(key, f'task {code} does not recur: write "{code}" without a date')
                return None, None
        elif when is None:
            example = info.occurrences[0].isoformat() if info.occurrences else "YYYY-MM-DD"
            e.problem(
                key,
                f"task {code} recurs ({describe_rule(info.recurrence)}): name one "
                f'occurrence, e.g. "{code}@{example}"',
            )
            return None, None
        elif when not in info.occurrences:
            rule = describe_rule(info.recurrence)
            if rule == info.recurrence.strip():  # an RRULE: show its first dates
                more = ", ..." if len(info.occurrences) > 4 else ""
                rule += ": " + ", ".join(d.isoformat() for d in info.occurrences[:4]) + more
            e.problem(key, f"{when.isoformat()} is not an occurrence of {code} ({rule})")
            return None, None
        return code, when

    # --- [[events]]

    def read_events(self) -> tuple[SeedEvent, ...]:
        out: list[SeedEvent] = []
        for _i, e in self.tables("events"):
            task, when = self.read_task_ref(e, "task", True)
            on = e.day("on", required=True)
            e.not_after_demo("on", on)
            status = e.choice("status", STATUSES, required=True)
            progress = e.integer("progress", minimum=0, maximum=100)
            by = e.office("by")
            e.finish()
            if task is not None and on is not None and status is not None:
                out.append(SeedEvent(task, when, on, cast(Status, status), progress, by))
        return tuple(out)

    # --- [[evidence]]

    def read_evidence(self) -> tuple[SeedEvidence, ...]:
        out: list[SeedEvidence] = []
        for _i, e in self.tables("evidence"):
            has_task, has_criterion = e.has("task"), e.has("criterion")
            task = when = criterion = None
            if has_task and has_criterion:
                e.problem(None, "evidence belongs to a task or to a criterion, not both")
            elif not has_task and not has_criterion:
                e.problem("task", 'missing required key: name the task (or "criterion")')
            if has_task:
                task, when = self.read_task_ref(e, "task", True)
            if has_criterion:
                criterion = self.read_criterion_ref(e, "criterion", None)
            kind_raw = e.text("kind", required=True, max_length=60)
            kind = kind_raw if kind_raw in EVIDENCE_KINDS else None
            if kind_raw == "file":
                e.problem(
                    "kind", "files cannot be attached in a seed file: use document, link or note"
                )
            elif kind_raw and kind is None:
                e.problem(
                    "kind", f'unknown kind "{kind_raw}" (one of: {", ".join(EVIDENCE_KINDS)})'
                )
            doc_number = e.text("doc", max_length=100)
            doc_date = e.day("date")
            issuer = e.text("issuer")
            title = e.text("title")
            url = e.text("url", max_length=2000)
            note = e.text("note", multiline=True, max_length=10_000)
            if kind == "document" and not (doc_number or title):
                e.problem("doc", "a document needs its number (doc) or a title")
            if kind == "link" and not url:
                e.problem("url", "missing required key: a link needs its url")
            if kind == "note" and not note:
                e.problem("note", "missing required key: a note needs its text")
            if url and not re.match(r"https?://\S+$", url):
                e.problem("url", f'"{url}" is not an http(s) address')
            submitted_on = e.day("submitted_on", required=True)
            submitted_by = e.office("submitted_by")
            accepted_on = e.day("accepted_on")
            rejected_on = e.day("rejected_on")
            reason = e.text("reason", multiline=True, max_length=2000)
            reviewer = e.office("reviewer")
            for key, d in (
                ("submitted_on", submitted_on),
                ("accepted_on", accepted_on),
                ("rejected_on", rejected_on),
            ):
                e.not_after_demo(key, d)
            if accepted_on is not None and rejected_on is not None:
                e.problem("rejected_on", "evidence is either accepted or rejected, not both")
            for key, d in (("accepted_on", accepted_on), ("rejected_on", rejected_on)):
                if d is not None and submitted_on is not None and d < submitted_on:
                    e.problem(
                        key,
                        f"reviewed on {d.isoformat()}, before it was submitted "
                        f"({submitted_on.isoformat()})",
                    )
            if rejected_on is not None and not reason:
                e.problem("reason", "missing required key: a rejection needs its reason")
            if reason and rejected_on is None:
                e.problem("reason", "a reason goes with rejected_on")
            e.finish()
            if (task is None and criterion is None) or kind is None or submitted_on is None:
                continue
            out.append(
                SeedEvidence(
                    task=task,
                    occurrence_due=when,
                    criterion=criterion,
                    kind=kind,
                    doc_number=doc_number,
                    doc_date=doc_date,
                    issuer=issuer,
                    title=title,
                    url=url,
                    note=note,
                    submitted_on=submitted_on,
                    submitted_by=submitted_by,
                    accepted_on=accepted_on,
                    rejected_on=rejected_on,
                    reason=reason,
                    reviewer=reviewer,
                )
            )
        return tuple(out)

    def read_criterion_ref(self, e: _Entry, key: str, method: str | None) -> str | None:
        code = e.text(key, required=True, max_length=60)
        if not code:
            return None
        criterion = self.criteria.get(code)
        if criterion is None:
            e.problem(key, f'unknown criterion "{code}"')
            return None
        if method is not None and criterion.method != method and code not in self.unsure:
            e.problem(key, f'criterion "{code}" is scored by {criterion.method}, not {method}')
            return None
        return code

    # --- [[readings]]

    def read_readings(self) -> tuple[SeedReading, ...]:
        out: list[SeedReading] = []
        for _i, e in self.tables("readings"):
            code = e.text("indicator", required=True, max_length=60)
            indicator = self.indicators.get(code) if code else None
            if code and indicator is None:
                e.problem("indicator", f'unknown indicator "{code}"')
            elif indicator is not None and indicator.computed:
                e.problem("indicator", f'"{code}" is computed from the plan; it takes no readings')
                indicator = None
            on = e.day("on", required=True)
            e.not_after_demo("on", on)
            percent = indicator is not None and indicator.unit == "percent"
            value = e.number(
                "value",
                maximum=100 if percent else None,
                what="a percentage" if percent else "value",
            )
            if percent and value is not None and value < 0:
                e.problem("value", f"a percentage must be at least 0, got {_num(value)}")
            numerator = e.number("numerator", minimum=0, what="numerator")
            denominator = e.number("denominator", minimum=0, what="denominator")
            source = e.text("source")
            given = ("numerator" in e.data, "denominator" in e.data)
            if given[0] != given[1]:
                missing = "denominator" if given[0] else "numerator"
                e.problem(missing, "missing required key: numerator and denominator go together")
            elif not given[0] and "value" not in e.data:
                e.problem(
                    "value",
                    "missing required key: a reading needs a value, or a numerator "
                    "and a denominator",
                )
            if (
                percent
                and numerator is not None
                and denominator is not None
                and numerator > denominator
            ):
                e.problem(
                    "numerator",
                    f"{_num(numerator)} is more than the denominator {_num(denominator)}",
                )
            elif value is not None and numerator is not None and denominator:
                scale = {"percent": 100.0, "ratio": 1.0}.get(indicator.unit if indicator else "")
                if (
                    scale is not None
                    and abs(value - scale * numerator / denominator) > scale / 1000
                ):
                    e.problem(
                        "value",
                        f"{_num(value)} does not match {_num(numerator)}/{_num(denominator)}"
                        f" = {_num(round(scale * numerator / denominator, 4))}",
                    )
            e.finish()
            if indicator is not None and on is not None:
                out.append(SeedReading(indicator.code, on, value, numerator, denominator, source))
        return tuple(out)

    # --- [[confirmations]]

    def read_confirmations(self) -> tuple[SeedConfirmation, ...]:
        out: list[SeedConfirmation] = []
        for _i, e in self.tables("confirmations"):
            code = self.read_criterion_ref(e, "criterion", "condition")
            on = e.day("on", required=True)
            e.not_after_demo("on", on)
            outcome = e.text("outcome", required=True, max_length=60)
            if code is not None and outcome:
                keys = [o[0] for o in self.criteria[code].outcomes]
                if outcome not in keys:
                    e.problem(
                        "outcome", f'"{outcome}" is not an outcome of {code} ({", ".join(keys)})'
                    )
                    outcome = ""
            note = e.text("note", multiline=True, max_length=10_000)
            e.finish()
            if code is not None and on is not None and outcome:
                out.append(SeedConfirmation(code, on, outcome, note))
        return tuple(out)

    # --- [[manual]]

    def read_manual(self) -> tuple[SeedManual, ...]:
        out: list[SeedManual] = []
        for _i, e in self.tables("manual"):
            code = self.read_criterion_ref(e, "criterion", "manual")
            top = self.criteria[code].max_points if code is not None else None
            on = e.day("on", required=True)
            e.not_after_demo("on", on)
            points = e.number("points", minimum=0, maximum=top, what="points")
            percent = e.number("percent", minimum=0, maximum=100, what="percent")
            if "points" in e.data and "percent" in e.data:
                e.problem("percent", "give points or percent, not both")
            elif "points" not in e.data and "percent" not in e.data:
                e.problem("points", "missing required key: give points or percent")
            e.finish()
            if code is not None and on is not None and (points is not None or percent is not None):
                out.append(SeedManual(code, on, points, percent))
        return tuple(out)
