"""The periodic reform reports (quarter, half-year, year) as plain data, built from the plan.

What the Ministry of Home Affairs' outline asks for, field by field, as far as the plan holds
it: the work completed in the period with its documents, the figures (points of the field,
indicator readings), the work overdue with its lead office, the work due in the next period.
What the plan cannot know (causes, proposals) is left to the layout to mark as blanks for the
office to write. Figures are as of the data cut-off (the 14th of the period's last month, by
default); the window of "completed in the period" starts on the 15th of the month before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from planner.domain.facts import CriterionRule
from planner.domain.periods import Period
from planner.domain.scoring import score_plan
from planner.reports.model import (
    IndicatorLine,
    OfficeInfo,
    PlanInfo,
    Points,
    TaskLine,
    _indicators,
    _office_info,
    _plan_info,
    _points,
    _task_lines,
    occurrence_points_at_risk,
)
from planner.reports.paper import Paper
from planner.services.context import Context
from planner.services.report_queries import ReportEvidence, load_report_inputs


@dataclass(frozen=True)
class Proof:
    """An accepted document proving a piece of work: number, date, issuer, summary."""

    number: str
    on: date | None
    title: str
    filename: str = ""


@dataclass(frozen=True)
class DoneLine:
    task: TaskLine
    documents: tuple[Proof, ...]  # accepted by the cut-off
    awaiting_review: bool  # evidence submitted, not yet reviewed


@dataclass(frozen=True)
class FieldPart:
    code: str
    title: str
    points: Points
    survey: bool  # scored by surveys: the unit does not score itself
    done: tuple[DoneLine, ...]
    readings: tuple[IndicatorLine, ...]
    overdue: tuple[TaskLine, ...]
    upcoming: tuple[TaskLine, ...]


@dataclass(frozen=True)
class Tally:
    """The occurrences due in the period's window and what became of them by the cut-off."""

    due: int
    on_time: int
    late: int
    overdue: int


@dataclass(frozen=True)
class PeriodicReport:
    plan: PlanInfo
    plan_issued_on: date | None
    period: Period
    starts_on: date  # the data window
    cutoff: date
    on: date  # the document's date
    appraised: Points
    survey: Points
    baseline_year: int | None
    baseline_score: float | None
    target_score: float | None
    tally: Tally
    fields: tuple[FieldPart, ...]
    other: FieldPart | None  # work linked to no criterion
    next_until: date | None  # the end of the next period, None when it is beyond the plan
    offices: tuple[OfficeInfo, ...]
    paper: Paper = field(default_factory=Paper)


def _roots(criteria: tuple[CriterionRule, ...]) -> dict[str, str]:
    """Each criterion's field (root) code."""
    roots: dict[str, str] = {}
    for root in criteria:
        stack = [root]
        while stack:
            node = stack.pop()
            roots[node.code] = root.code
            stack.extend(node.children)
    return roots


def _documents(rows: list[ReportEvidence], cutoff: date) -> tuple[dict[str, list[Proof]], set[str]]:
    accepted: dict[str, list[Proof]] = {}
    waiting: set[str] = set()
    for row in rows:
        if row.submitted_on > cutoff or row.target.startswith("criterion "):
            continue
        reviewed = row.reviewed_on is not None and row.reviewed_on <= cutoff
        if row.state == "accepted" and reviewed:
            accepted.setdefault(row.target, []).append(
                Proof(row.doc_number, row.doc_date, row.title or row.note, row.filename))
        elif not reviewed and row.state != "withdrawn":
            waiting.add(row.target)
    return accepted, waiting


def build_periodic(ctx: Context, period: Period, *, cutoff: date | None = None,
                   on: date | None = None, paper: Paper | None = None) -> PeriodicReport:
    """The report of a period, its figures as of `cutoff` (default the period's own)."""
    inputs = load_report_inputs(ctx)
    facts = inputs.facts
    day = cutoff or period.cutoff
    start = period.starts_on
    score = score_plan(facts, day)
    tasks = _task_lines(inputs, day, occurrence_points_at_risk(score))
    roots = _roots(facts.criteria)
    fields_of: dict[str, list[str]] = {}
    for link in facts.links:
        root = roots.get(link.criterion_code)
        if root is not None and root not in fields_of.setdefault(link.task_code, []):
            fields_of[link.task_code].append(root)
    accepted, waiting = _documents(inputs.evidence, day)
    following = period.next()
    next_until = following.cutoff if following.cutoff <= facts.ends_on else None

    def key(task: TaskLine) -> tuple[date, str]:
        return task.due, task.key

    def part(code: str, title: str, points: Points, survey: bool, mine: list[TaskLine],
             readings: tuple[IndicatorLine, ...]) -> FieldPart:
        done = tuple(
            DoneLine(t, tuple(accepted.get(t.key, ())), t.key in waiting)
            for t in sorted(mine, key=lambda t: (t.done_on or day, t.key))
            if t.status == "done" and t.done_on is not None and start <= t.done_on <= day
        )
        overdue = tuple(sorted((t for t in mine if t.overdue), key=key))
        until = next_until or day
        upcoming = tuple(sorted(
            (t for t in mine if t.status != "done" and day < t.due <= until), key=key))
        return FieldPart(code, title, points, survey, done, readings, overdue, upcoming)

    survey_codes = set(facts.survey_fields)
    leaf_codes: dict[str, set[str]] = {}
    for code, root in roots.items():
        leaf_codes.setdefault(root, set()).add(code)
    parts = []
    for node in score.criteria:
        mine = [t for t in tasks if node.code in fields_of.get(t.task_code, ())]
        readings = tuple(_indicators(facts, score, day, leaf_codes.get(node.code, set())))
        parts.append(part(node.code, node.title, _points(node), node.code in survey_codes, mine,
                          readings))
    unlinked = [t for t in tasks if t.task_code not in fields_of]
    other = part("", "", Points(0, 0, 0, 0, 0, 0), False, unlinked, ()) if unlinked else None
    window = [t for t in tasks if start <= t.due <= day]
    tally = Tally(
        due=len(window),
        on_time=sum(1 for t in window if t.status == "done" and not t.late),
        late=sum(1 for t in window if t.status == "done" and t.late),
        overdue=sum(1 for t in window if t.overdue),
    )
    p = inputs.plan
    return PeriodicReport(
        plan=_plan_info(inputs), plan_issued_on=p.issued_on, period=period, starts_on=start,
        cutoff=day, on=on or ctx.today, appraised=_points(score.appraised),
        survey=_points(score.survey), baseline_year=p.baseline_year,
        baseline_score=p.baseline_score, target_score=p.target_score, tally=tally,
        fields=tuple(parts), other=other, next_until=next_until,
        offices=tuple(_office_info(o) for o in inputs.offices), paper=paper or Paper(),
    )
