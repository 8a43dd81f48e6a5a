"""Tests of planner.io.seedfile: the sample plan parses; malformed seed files fail with every
problem named by its key path, and never with any exception but SeedError."""

from __future__ import annotations

import contextlib
import dataclasses
import pickle
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.schedule import expand_occurrences
from planner.io.seedfile import (
    SeedError,
    SeedFile,
    SeedProblem,
    criterion_rules,
    load_seed_file,
    parse_seed,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed" / "plan-2022.toml"
BAD = Path(__file__).resolve().parent / "data" / "seed-bad"
DEMO_AS_OF = date(2022, 5, 9)

# A minimal valid seed that the string cases below break one way at a time.
BASE = """\
[plan]
year = 2022
title = "Kế hoạch cải cách hành chính năm 2022"
agency = "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG"
demo_as_of = 2022-05-09

[[offices]]
code = "VP"
name = "Văn phòng"
head = { name = "Trần Thị Hồng Nhung", title = "Chánh Văn phòng", email = "nhungtth@haiphong.edu.vn" }

[[offices]]
code = "TCCB"
name = "Phòng Tổ chức cán bộ"

[[indicators]]
code = "ontime_rate"
name = "Tỷ lệ hồ sơ giải quyết đúng hạn"

[[criteria]]
code = "1"
title = "Công tác chỉ đạo, điều hành CCHC"
max = 2

[[criteria]]
code = "1.1"
title = "Ban hành kế hoạch kịp thời"
max = 0.5
method = "tasks"

[[criteria]]
code = "1.2"
title = "Báo cáo đủ, đúng hạn"
max = 0.5
method = "tasks"
mode = "all"

[[criteria]]
code = "1.3"
title = "Tỷ lệ hồ sơ giải quyết đúng hạn"
max = 1
method = "threshold"
indicator = "ontime_rate"
bands = [[98, 0.5], [100, 1]]

[[criteria]]
code = "2"
title = "Khảo sát"
max = 3

[[criteria]]
code = "2.1"
title = "Không nhũng nhiễu"
max = 1
method = "condition"
outcomes = [{ key = "yes", label = "Có", points = 1 }, { key = "no", label = "Không", points = 0 }]

[[criteria]]
code = "2.2"
title = "Mức độ hài lòng"
max = 2
method = "manual"

[[tasks]]
code = "T01"
title = "Ban hành Kế hoạch CCHC năm 2022"
lead = "VP"
support = ["all"]
due = "31/01/2022"
criteria = { "1.1" = 1.0 }

[[tasks]]
code = "T04"
title = "Báo cáo CCHC định kỳ"
lead = "VP"
due = "Định kỳ"
criteria = { "1.2" = 1.0 }

[[events]]
task = "T04@2022-03-15"
on = 2022-03-14
status = "done"

[[evidence]]
task = "T04@2022-03-15"
kind = "document"
doc = "62/BC-SGDĐT"
submitted_on = 2022-03-14
accepted_on = 2022-03-16

[[readings]]
indicator = "ontime_rate"
on = 2022-03-31
numerator = 390
denominator = 400

[[confirmations]]
criterion = "2.1"
on = 2022-03-31
outcome = "yes"

[[manual]]
criterion = "2.2"
on = 2022-04-30
percent = 81
"""


def problems_of(data: bytes | str, source: str = "case.toml") -> list[str]:
    """The problems a seed reports, one string each; fails if it parses."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(SeedError) as info:
        parse_seed(raw, source)
    return [str(p) for p in info.value.problems]


def mutate(*pairs: tuple[str, str]) -> str:
    text = BASE
    for old, new in pairs:
        assert text.count(old) == 1, f"not exactly once in BASE: {old!r}"
        text = text.replace(old, new)
    return text


# ----------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def seed() -> SeedFile:
    return load_seed_file(SEED)


def test_the_sample_plan_parses(seed: SeedFile) -> None:
    assert seed.plan.year == 2022
    assert seed.plan.number == "45/KH-SGDĐT"
    assert seed.plan.demo_as_of == DEMO_AS_OF
    assert (seed.plan.baseline_score, seed.plan.baseline_max) == (41.93, 56)
    assert (seed.plan.baseline_rank, seed.plan.baseline_of) == (19, 20)
    assert (seed.plan.starts_on, seed.plan.ends_on) == (date(2022, 1, 1), date(2022, 12, 31))


def test_the_sample_has_56_appraised_and_44_survey_points(seed: SeedFile) -> None:
    fields = {c.code: c.max_points for c in seed.criteria if c.parent is None}
    assert sum(v for k, v in fields.items() if k in "1234567") == pytest.approx(56)
    assert fields == {"1": 7, "2": 5, "3": 12, "4": 6, "5": 8, "6": 5, "7": 13, "8": 44}
    for rule in criterion_rules(seed):
        assert sum(c.max_points for c in rule.children) == pytest.approx(rule.max_points)


def test_the_sample_criteria_follow_the_reference_table(seed: SeedFile) -> None:
    by_code = {c.code: c for c in seed.criteria}
    assert len(by_code) == 61
    for c in seed.criteria:
        has_children = any(k.parent == c.code for k in seed.criteria)
        assert (c.method == "sum") == has_children, c.code
        if c.method == "threshold":
            assert c.indicator and c.bands, c.code
            assert c.bands[0][1] == c.max_points, c.code
        if c.method == "condition":
            assert len(c.outcomes) >= 2, c.code
    assert by_code["1.2.1"].mode == "all"
    assert by_code["1.1.1"].late_factor == 0.5
    assert by_code["1.1.2"].bands == ((100, 1.5), (80, 1), (70, 0.5))
    assert by_code["3.3.1"].bands == ((100, 3), (98, 2), (95, 1))
    assert by_code["3.3.2"].when_empty == 0.5
    assert [(k, p) for k, _label, p in by_code["5.5"].outcomes] == [
        ("none", 1.5),
        ("reprimand", 0.5),
        ("worse", 0),
    ]
    assert by_code["8.1"].method == by_code["8.2"].method == "manual"
    indicators = {i.code: i for i in seed.indicators}
    assert indicators[by_code["1.1.2"].indicator or ""].computed == "plan_completion"


def test_the_sample_offices_and_tasks(seed: SeedFile) -> None:
    assert [o.code for o in seed.offices] == [
        "VP", "TCCB", "KHTC", "GDMN", "GDTH", "GDTrH", "GDTX", "KTKĐ", "TTr"
    ]  # fmt: skip
    assert all(o.head_name and o.head_title and o.email.endswith("@haiphong.edu.vn")
               for o in seed.offices)  # fmt: skip
    assert len(seed.tasks) >= 25
    tasks = {t.code: t for t in seed.tasks}
    assert tasks["T04"].recurrence == "periodic-reports"
    assert tasks["T06"].recurrence == "monthly"
    assert any(t.continuous for t in seed.tasks)
    assert len(tasks["T01"].support) == 8 and "VP" not in tasks["T01"].support
    linked = {code for t in seed.tasks for code, _w in t.criteria}
    for c in seed.criteria:
        if c.method == "tasks":
            assert c.code in linked, f"no task for {c.code}"
    for split in ("1.3", "1.4", "1.5", "3.1"):  # plan, then delivery: weights add up to 1
        weights = [w for t in seed.tasks for code, w in t.criteria if code == split]
        assert len(weights) == 2 and sum(weights) == 1, split


def test_the_sample_is_a_plan_in_motion(seed: SeedFile) -> None:
    dated = [e.on for e in seed.events] + [r.on for r in seed.readings]
    dated += [c.on for c in seed.confirmations] + [m.on for m in seed.manual]
    dated += [d for e in seed.evidence for d in (e.submitted_on, e.accepted_on, e.rejected_on) if d]
    assert max(dated) <= DEMO_AS_OF
    tasks = {t.code: t for t in seed.tasks}
    done = {(e.task, e.occurrence_due): e.on for e in seed.events if e.status == "done"}

    def due(task: str, occurrence: date | None) -> date:
        return occurrence or tasks[task].due_on or seed.plan.ends_on

    late = {k for k, on in done.items() if on > due(*k)}
    assert late == {("T15", None)}
    overdue = {
        t.code
        for t in seed.tasks
        if t.due_on and t.due_on < DEMO_AS_OF and (t.code, None) not in done
    }
    assert overdue == {"T02", "T28", "T30"}
    assert done[("T04", date(2022, 3, 15))] <= date(2022, 3, 15)
    pending = {e.task for e in seed.evidence if not e.accepted_on and not e.rejected_on}
    rejected = {e.task for e in seed.evidence if e.rejected_on}
    assert pending == {"T06", "T21", "T25", "T40"}
    assert rejected == {"T21", "T32"}  # T21 was resubmitted
    assert all(e.reason for e in seed.evidence if e.rejected_on)
    assert [(c.criterion, c.outcome) for c in seed.confirmations] == [("1.1.3", "yes")]
    monthly = {r.on.month for r in seed.readings if r.indicator == "ontime_rate"}
    assert monthly == {1, 2, 3, 4}
    for e in seed.events:
        if e.occurrence_due is not None:
            rule = tasks[e.task].recurrence or ""
            starts, ends = seed.plan.starts_on, seed.plan.ends_on
            assert e.occurrence_due in expand_occurrences(rule, starts_on=starts, ends_on=ends)


def test_every_sample_string_is_nfc(seed: SeedFile) -> None:
    def strings(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, tuple):
            for item in value:
                yield from strings(item)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                yield from strings(getattr(value, f.name))

    found = list(strings(seed))
    assert len(found) > 500
    assert all(unicodedata.is_normalized("NFC", s) for s in found)


def test_the_minimal_base_parses() -> None:
    seed = parse_seed(BASE.encode())
    assert seed.tasks[0].support == ("TCCB",)
    assert seed.criteria[3].bands == ((100, 1), (98, 0.5))  # best band first
    assert seed.events[0].occurrence_due == date(2022, 3, 15)
    assert seed.readings[0].value is None and seed.readings[0].numerator == 390
    assert seed.manual[0].percent == 81 and seed.manual[0].points is None
    assert seed.offices[0].email == "nhungtth@haiphong.edu.vn"


# ------------------------------------------------------------------------- the bad corpus

CORPUS = {
    "impossible-date.toml": ["tasks[0].due: February 2022 has 28 days"],
    "unknown-office.toml": ['tasks[0].lead: unknown office "VPP"'],
    "unknown-criterion.toml": ['tasks[0].criteria."1.9": unknown criterion "1.9"'],
    "negative-points.toml": ["criteria[1].max: negative points: -0.5"],
    "duplicate-code.toml": [
        'offices[1].code: duplicate office code "VP"',
        'indicators[1].code: duplicate indicator code "ontime_rate"',
        'criteria[4].code: duplicate criterion code "1.1"',
        'tasks[1].code: duplicate task code "T01"',
    ],
    "wrong-types.toml": [
        "plan.year: expected an integer, got string",
        "criteria[3].max: expected a number, got string",
        "tasks[0].support: expected an array, got string",
        "events[0].progress: expected an integer, got string",
        "manual[0].percent: expected a number, got boolean",
    ],
    "empty.toml": ["empty file"],
    "truncated.toml": [
        "TOML syntax error at the end of the file: Unterminated string (is the file cut off?)"
    ],
    "binary.bin": ["binary content (a NUL byte at offset 8)"],
    "invalid-utf8.toml": ["not valid UTF-8: byte 0xe1 at offset 89 (line 4)"],
}


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_bad_file_names_its_problems(name: str) -> None:
    path = BAD / name
    with pytest.raises(SeedError) as info:
        load_seed_file(path)
    message = str(info.value)
    for expected in CORPUS[name]:
        assert expected in message
    lines = message.splitlines()
    assert len(lines) == len(CORPUS[name])  # no knock-on problems
    assert all(line.startswith(f"{path}: ") for line in lines)


def test_the_truncated_file_is_a_cut_off_copy_of_the_sample() -> None:
    cut = (BAD / "truncated.toml").read_bytes()
    assert SEED.read_bytes().startswith(cut) and len(cut) < SEED.stat().st_size


# ---------------------------------------------------------------------- one defect each

CASES: list[tuple[str, list[tuple[str, str]], list[str]]] = [
    ("unknown method", [('method = "manual"', 'method = "manuel"')],
     ['criteria[6].method: unknown method "manuel"']),
    ("leaf without method", [('max = 2\nmethod = "manual"\n', "max = 2\n")],
     ["criteria[6].method: missing required key"]),
    ("parent with method", [("max = 3\n", 'max = 3\nmethod = "tasks"\n')],
     ["criteria[4].method: has sub-criteria (2.1, 2.2)"]),
    ("missing parent", [('code = "1.3"', 'code = "1.4.1"')],
     ['criteria[3].code: parent criterion "1.4" is missing']),
    ("children above parent", [("max = 2\n\n[[criteria]]\ncode = \"1.1\"", "max = 1.5\n\n[[criteria]]\ncode = \"1.1\"")],
     ["criteria[0].max: sub-criteria add up to 2, more than 1.5"]),
    ("band above max", [("[[98, 0.5], [100, 1]]", "[[98, 0.5], [100, 2]]")],
     ["criteria[3].bands[1]: 2 points is more than the criterion max 1"]),
    ("band not a pair", [("[[98, 0.5], [100, 1]]", "[[98, 0.5], [100]]")],
     ["criteria[3].bands[1]: expected a pair [bound, points], got 1 items"]),
    ("bands rising", [("[[98, 0.5], [100, 1]]", "[[98, 1], [100, 0.5]]")],
     ["criteria[3].bands: a worse bound earns more"]),
    ("outcome above max", [("label = \"Có\", points = 1", "label = \"Có\", points = 1.5")],
     ["criteria[5].outcomes[0].points: points must be at most 1, got 1.5"]),
    ("bands on a tasks criterion", [('mode = "all"', 'mode = "all"\nbands = [[1, 1]]')],
     ["criteria[2].bands: applies only to threshold criteria"]),
    ("late factor above 1", [('mode = "all"', 'mode = "all"\nlate_factor = 1.5')],
     ["criteria[2].late_factor: late_factor must be at most 1, got 1.5"]),
    ("unknown indicator", [('method = "threshold"\nindicator = "ontime_rate"', 'method = "threshold"\nindicator = "on_time"')],
     ['criteria[3].indicator: unknown indicator "on_time"']),
    ("unknown unit", [('name = "Tỷ lệ hồ sơ giải quyết đúng hạn"\n', 'name = "x"\nunit = "%"\n')],
     ['indicators[0].unit: unknown unit "%"']),
    ("unknown direction", [('name = "Tỷ lệ hồ sơ giải quyết đúng hạn"\n', 'name = "x"\ndirection = "up"\n')],
     ['indicators[0].direction: unknown direction "up"']),
    ("unknown status", [('status = "done"', 'status = "finished"')],
     ['events[0].status: unknown status "finished"']),
    ("unknown kind", [('kind = "document"', 'kind = "photo"')],
     ['evidence[0].kind: unknown kind "photo"']),
    ("file evidence", [('kind = "document"', 'kind = "file"')],
     ["evidence[0].kind: files cannot be attached in a seed file"]),
    ("progress above 100", [('status = "done"', 'status = "done"\nprogress = 120')],
     ["events[0].progress: must be between 0 and 100, got 120"]),
    ("weight zero", [('{ "1.1" = 1.0 }', '{ "1.1" = 0 }')],
     ['tasks[0].criteria."1.1": weight must be more than 0, got 0']),
    ("link to a parent", [('{ "1.1" = 1.0 }', '{ "1" = 1.0 }')],
     ['tasks[0].criteria."1": criterion "1" has sub-criteria']),
    ("not an occurrence", [('task = "T04@2022-03-15"\non', 'task = "T04@2022-03-16"\non')],
     ["events[0].task: 2022-03-16 is not an occurrence of T04"]),
    ("occurrence not named", [('task = "T04@2022-03-15"\non', 'task = "T04"\non')],
     ['events[0].task: task T04 recurs (periodic reports 15/03, 15/06, 15/09, 15/12): name one occurrence, e.g. "T04@2022-03-15"']),
    ("occurrence of a one-off task", [('task = "T04@2022-03-15"\non', 'task = "T01@2022-01-31"\non')],
     ['events[0].task: task T01 does not recur: write "T01" without a date']),
    ("bad occurrence key", [('task = "T04@2022-03-15"\non', 'task = "T04@15/03/2022"\non')],
     ["events[0].task: not an occurrence key (expected CODE@YYYY-MM-DD)"]),
    ("impossible occurrence date", [('task = "T04@2022-03-15"\non', 'task = "T04@2022-02-30"\non')],
     ["events[0].task: February 2022 has 28 days"]),
    ("accepted and rejected", [("accepted_on = 2022-03-16", 'accepted_on = 2022-03-16\nrejected_on = 2022-03-17\nreason = "x"')],
     ["evidence[0].rejected_on: evidence is either accepted or rejected, not both"]),
    ("rejected without reason", [("accepted_on = 2022-03-16", "rejected_on = 2022-03-16")],
     ["evidence[0].reason: missing required key: a rejection needs its reason"]),
    ("reviewed before submitted", [("accepted_on = 2022-03-16", "accepted_on = 2022-03-10")],
     ["evidence[0].accepted_on: reviewed on 2022-03-10, before it was submitted (2022-03-14)"]),
    ("evidence for task and criterion", [('kind = "document"', 'criterion = "2.1"\nkind = "document"')],
     ["evidence[0]: evidence belongs to a task or to a criterion, not both"]),
    ("control character", [('title = "Báo cáo CCHC định kỳ"', 'title = "Báo cáo\\u0007 CCHC"')],
     ["tasks[1].title: contains a control character (U+0007)"]),
    ("line break in a title", [('title = "Báo cáo CCHC định kỳ"', 'title = "Báo cáo\\nCCHC"')],
     ["tasks[1].title: contains a line break or tab: write it on one line"]),
    ("bidi override", [('title = "Báo cáo CCHC định kỳ"', 'title = "Báo cáo \\u202e CCHC"')],
     ["tasks[1].title: contains an invisible formatting character (U+202E)"]),
    ("empty title", [('title = "Báo cáo CCHC định kỳ"', 'title = "   "')],
     ["tasks[1].title: must not be empty"]),
    ("missing lead", [('lead = "VP"\ndue = "Định kỳ"', 'due = "Định kỳ"')],
     ["tasks[1].lead: missing required key"]),
    ("deadline outside the year", [('due = "31/01/2022"', 'due = "31/01/2023"')],
     ["tasks[0].due: 31/01/2023 is outside the plan year (01/01/2022-31/12/2022)"]),
    ("not a deadline", [('due = "31/01/2022"', 'due = "sớm nhất có thể"')],
     ["tasks[0].due: not a date or deadline phrase"]),
    ("impossible plan date", [("demo_as_of = 2022-05-09", 'demo_as_of = "31/04/2022"')],
     ["plan.demo_as_of: April 2022 has 30 days"]),
    ("datetime for a date", [("demo_as_of = 2022-05-09", "demo_as_of = 2022-05-09T08:00:00")],
     ["plan.demo_as_of: expected a date, got datetime"]),
    ("fact after demo_as_of", [("\non = 2022-03-14", "\non = 2022-06-14")],
     ["events[0].on: dated 2022-06-14, after the plan's demo_as_of 2022-05-09"]),
    ("support names the lead", [('support = ["all"]', 'support = ["VP"]')],
     ['tasks[0].support[0]: "VP" leads this task; it cannot also support it']),
    ("support unknown", [('support = ["all"]', 'support = ["TCCB", "KTKD"]')],
     ['tasks[0].support[1]: unknown office "KTKD"']),
    ("office code all", [('code = "TCCB"', 'code = "all"')],
     ['offices[1].code: "all" is reserved']),
    ("alias of another office", [('name = "Phòng Tổ chức cán bộ"', 'name = "Văn phòng"')],
     ['offices[1].name: "Văn phòng" also names office "VP"']),
    ("bad email", [("nhungtth@haiphong.edu.vn", "nhungtth at haiphong")],
     ['offices[0].head.email: "nhungtth at haiphong" is not an email address']),
    ("unknown key", [('lead = "VP"\ndue = "Định kỳ"', 'lede = "VP"\nlead = "VP"\ndue = "Định kỳ"')],
     ['tasks[1].lede: unknown key; did you mean "lead"?']),
    ("unknown section", [("[[readings]]", "[[reading]]")],
     ['reading: unknown section; did you mean "readings"?']),
    ("numerator alone", [("denominator = 400\n", "")],
     ["readings[0].denominator: missing required key: numerator and denominator go together"]),
    ("numerator above denominator", [("numerator = 390", "numerator = 410")],
     ["readings[0].numerator: 410 is more than the denominator 400"]),
    ("value not matching", [("numerator = 390", "value = 90\nnumerator = 390")],
     ["readings[0].value: 90 does not match 390/400 = 97.5"]),
    ("percent above 100", [("numerator = 390\ndenominator = 400", "value = 975")],
     ["readings[0].value: a percentage must be at most 100, got 975"]),
    ("unknown outcome", [('outcome = "yes"', 'outcome = "maybe"')],
     ['confirmations[0].outcome: "maybe" is not an outcome of 2.1 (yes, no)']),
    ("confirmation of a manual criterion", [('criterion = "2.1"\non', 'criterion = "2.2"\non')],
     ['confirmations[0].criterion: criterion "2.2" is scored by manual, not condition']),
    ("manual points and percent", [("percent = 81", "percent = 81\npoints = 1")],
     ["manual[0].percent: give points or percent, not both"]),
    ("manual points above max", [("percent = 81", "points = 2.5")],
     ["manual[0].points: points must be at most 2, got 2.5"]),
    ("missing plan", [("[plan]\n", "[plan_]\n")],
     ["plan: missing: the file needs a [plan] table", 'plan_: unknown section; did you mean "plan"?']),
    ("offices as a table", [("[[offices]]\ncode = \"VP\"", "[offices]\ncode = \"VP\"")],
     ["TOML syntax error"]),
    ("syntax error", [("year = 2022", "year = = 2022")],
     ["TOML syntax error at line 2, column 8"]),
    ("key set twice", [("year = 2022", "year = 2022\nyear = 2023")],
     ["TOML syntax error", "written twice"]),
    ("nan points", [("max = 0.5\nmethod = \"tasks\"\n\n", "max = nan\nmethod = \"tasks\"\n\n")],
     ["criteria[1].max: expected a finite number, got nan"]),
]  # fmt: skip


@pytest.mark.parametrize(("pairs", "expected"), [(p, e) for _n, p, e in CASES],
                         ids=[n for n, _p, _e in CASES])  # fmt: skip
def test_one_defect_is_named(pairs: list[tuple[str, str]], expected: list[str]) -> None:
    found = problems_of(mutate(*pairs))
    for fragment in expected:
        assert any(fragment in p for p in found), (fragment, found)


def test_a_valid_variant_still_parses() -> None:
    seed = parse_seed(
        mutate(('[[offices]]\ncode = "TCCB"\nname = "Phòng Tổ chức cán bộ"\n', "")).encode()
    )
    assert seed.tasks[0].support == ()


def test_every_problem_is_reported_at_once() -> None:
    found = problems_of(
        mutate(
            ('due = "31/01/2022"', 'due = "31/02/2022"'),
            ('lead = "VP"\ndue = "Định kỳ"', 'lead = "VPP"\ndue = "Định kỳ"'),
            ('status = "done"', 'status = "finished"'),
            ("percent = 81", "percent = -1"),
        )
    )
    assert found == [
        "tasks[0].due: February 2022 has 28 days",
        'tasks[1].lead: unknown office "VPP"',
        'events[0].status: unknown status "finished" (one of: not_started, in_progress, done, paused, cancelled)',
        "manual[0].percent: negative percent: -1",
    ]


def test_text_is_stored_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Báo cáo CCHC định kỳ")
    seed = parse_seed(
        mutate(('title = "Báo cáo CCHC định kỳ"', f'title = "{decomposed}"')).encode()
    )
    assert seed.tasks[1].title == "Báo cáo CCHC định kỳ"
    assert unicodedata.is_normalized("NFC", seed.tasks[1].title)
    # a reference typed decomposed still finds its office
    nfd_office = unicodedata.normalize("NFD", "Phòng")
    text = mutate(
        ('code = "TCCB"', 'code = "Phòng"'), ('lead = "VP"\ndue', f'lead = "{nfd_office}"\ndue')
    )
    assert parse_seed(text.encode()).tasks[1].lead == "Phòng"


def test_string_dates_and_a_byte_order_mark_are_accepted() -> None:
    text = mutate(
        ("\non = 2022-03-14", '\non = "14/3/2022"'), ('due = "31/01/2022"', "due = 2022-01-31")
    )
    seed = parse_seed(b"\xef\xbb\xbf" + text.encode())
    assert seed.events[0].on == date(2022, 3, 14)
    assert seed.tasks[0].due_on == date(2022, 1, 31)
    assert seed.tasks[0].deadline_text == "31/01/2022"


def test_deadline_kinds() -> None:
    seed = parse_seed(
        mutate(('due = "31/01/2022"', 'due = "Thường xuyên"'), ('due = "Định kỳ"', 'due = "Hằng tháng"')).replace(
            'task = "T04@2022-03-15"', 'task = "T04@2022-03-31"'
        ).encode()
    )  # fmt: skip
    one, monthly = seed.tasks
    assert (one.continuous, one.due_on, one.recurrence) == (True, None, None)
    assert (monthly.continuous, monthly.due_on, monthly.recurrence) == (False, None, "monthly")


# ------------------------------------------------------------------ files, errors, garbage


def test_an_unreadable_file_is_a_seed_error(tmp_path: Path) -> None:
    with pytest.raises(SeedError) as info:
        load_seed_file(tmp_path / "missing.toml")
    assert (
        str(info.value)
        == f"{tmp_path / 'missing.toml'}: cannot read the file: No such file or directory"
    )
    with pytest.raises(SeedError) as info:
        load_seed_file(tmp_path)
    assert "cannot read the file" in str(info.value)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"   \n\n", "empty file"),
        (b"# only a comment\n", "empty file: no keys or tables"),
        ("\ufeffyear = 1".encode("utf-16"), "UTF-16 text: save the file as UTF-8"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive (an .xlsx or .docx file?)"),
        (b"%PDF-1.7\n", "binary content: this is a PDF"),
        (b'[plan]\ntitle = "K\xe1\xba"\n', "not valid UTF-8: byte 0xe1 at offset 17 (line 2)"),
        (b"a = " + b"[" * 5000, "TOML syntax error"),
    ],
)
def test_garbage_is_a_seed_error(data: bytes, expected: str) -> None:
    found = problems_of(data)
    assert any(expected in p for p in found), found


def test_seed_error_shape() -> None:
    error = SeedError("plan.toml", [SeedProblem("tasks[7].lead", 'unknown office "VPP"'),
                                    SeedProblem("", "empty file")])  # fmt: skip
    assert str(error) == 'plan.toml: tasks[7].lead: unknown office "VPP"\nplan.toml: empty file'
    assert isinstance(error, Exception) and not isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error)


def test_every_cut_of_the_sample_fails_cleanly() -> None:
    data = SEED.read_bytes()
    for end in range(0, len(data), 613):
        try:
            parse_seed(data[:end], "cut.toml")
        except SeedError as e:
            assert e.problems and not any("internal error" in str(p) for p in e.problems)


def test_dropping_any_line_of_the_sample_fails_cleanly_or_parses() -> None:
    lines = SEED.read_bytes().splitlines(keepends=True)
    for i in range(0, len(lines), 23):
        with contextlib.suppress(SeedError):
            parse_seed(b"".join(lines[:i] + lines[i + 1 :]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_raise_only_seed_error(data: bytes) -> None:
    with contextlib.suppress(SeedError):
        parse_seed(data)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.dates(),
    st.sampled_from(["VP", "T04", "T04@2022-03-15", "1.1", "31/02/2022", "Định kỳ", "all"]),
)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + "".join(c if c.isalnum() or c in " /@.-" else f"\\u{ord(c):04x}" for c in value
                             if ord(c) < 0x10000) + '"'  # fmt: skip
    if isinstance(value, float):
        return "nan" if value != value else ("inf" if value == float("inf") else repr(value))
    return str(value)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_value_in_any_key_raises_only_seed_error(data: st.DataObject) -> None:
    lines = BASE.splitlines()
    keyed = [i for i, line in enumerate(lines) if " = " in line and not line.startswith("#")]
    i = data.draw(st.sampled_from(keyed))
    value = data.draw(_SCALARS)
    if value is None:
        del lines[i]
    else:
        key = lines[i].split(" = ", 1)[0]
        lines[i] = f"{key} = {_toml_value(value)}"
    try:
        parse_seed("\n".join(lines).encode())
    except SeedError as e:
        assert e.problems and not any("internal error" in str(p) for p in e.problems)
