"""The weekly status and the deadline reminders as plain data, built once from the services.

Every renderer (text, Markdown, HTML, PDF, email) and the TUI preview read the same model, so
they can never disagree about a figure. The model holds raw values (floats, dates, slugs);
translation and number formatting happen when rendering.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import chain

from planner.domain.accountability import OfficeRecord, office_board
from planner.domain.applicability import ComparableScore, comparable_score
from planner.domain.facts import CriterionRule, OccurrenceFact, PlanFacts
from planner.domain.occurrences import ReviewAsOf, review_as_of
from planner.domain.reminders import Due, WorkCalendar, evidence_expiries, open_deadlines
from planner.domain.schedule import working_days_between
from planner.domain.scoring import (
    CriterionScore,
    PlanScore,
    Totals,
    band_points,
    indicator_value,
    score_plan,
)
from planner.domain.trajectory import TrajectoryPoint, score_series, series_dates, trajectory_point
from planner.domain.week_changes import Change, week_changes
from planner.reports.paper import Paper
from planner.services.context import Context
from planner.services.report_queries import ReportEvidence, ReportInputs, load_report_inputs
from planner.services.task_rows import rows_from_facts
from planner.store.models import Office

DUE_SOON_DAYS = 14
ONE_DAY = timedelta(days=1)


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class PlanInfo:
    title: str
    number: str
    year: int
    agency: str
    parent_agency: str
    place: str
    index_name: str


@dataclass(frozen=True)
class OfficeInfo:
    code: str
    name: str
    head_name: str
    head_title: str
    email: str

    @property
    def head(self) -> str:
        """"Name, Title" as printed under the office (empty when nobody is named)."""
        return ", ".join(part for part in (self.head_name, self.head_title) if part)


@dataclass(frozen=True)
class Points:
    """The four parts of a maximum, and the projection, of a criterion or a part of the index."""

    max_points: float
    secured: float
    projected: float
    at_risk: float
    lost: float
    open: float


@dataclass(frozen=True)
class Headline:
    appraised: Points
    survey: Points
    previous_appraised: Points  # the same computation as of `WeeklyReport.previous_as_of`
    previous_survey: Points
    baseline_year: int | None
    baseline_score: float | None
    baseline_max: float | None
    baseline_rank: int | None
    baseline_of: int | None
    target_score: float | None
    #: The comparable figures when criteria are not applicable to the unit (none: every
    #: criterion applies, and the report says nothing of it).
    comparable: ComparableScore | None = None


@dataclass(frozen=True)
class FieldLine:
    code: str
    title: str
    points: Points


@dataclass(frozen=True)
class TaskLine:
    """One task occurrence as the report shows it."""

    key: str
    task_code: str
    title: str
    lead: str
    supporting: tuple[str, ...]
    due: date  # a continuous task is due at the plan's end
    continuous: bool
    status: str  # not_started, in_progress, done, paused
    progress: int
    done_on: date | None
    overdue: bool
    late: bool
    evidence: str  # none, submitted, accepted, rejected
    criteria: tuple[str, ...]
    points_at_risk: float
    days_left: int  # due minus as-of, negative when the deadline has passed
    rule: str = ""  # the recurrence rule of a recurring task: how documents name the occurrence


@dataclass(frozen=True)
class OfficeTasks:
    office: OfficeInfo
    tasks: tuple[TaskLine, ...]

    @property
    def points_at_risk(self) -> float:
        return sum(task.points_at_risk for task in self.tasks)


@dataclass(frozen=True)
class EvidenceLine:
    id: int
    target: str
    label: str  # document number and title, or file, link or note
    lead: str
    submitted_on: date
    submitted_by: str
    days_waiting: int
    reviewed_on: date | None = None
    reason: str = ""
    resubmitted: bool = False  # a newer piece for the same target awaits review
    rule: str = ""  # the recurrence rule of the target's task, if it recurs


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    unit: str
    direction: str
    criteria: tuple[str, ...]
    value: float | None
    reading_on: date | None
    numerator: float | None
    denominator: float | None
    band_bound: float | None  # the threshold reached (None: no band reached, or no reading)
    points: float | None  # points the criterion secures from it (None: no reading yet)
    max_points: float
    target: float | None
    computed: bool


@dataclass(frozen=True)
class OfficeRecordLine:
    """The accountability board's row for the office of an office view."""

    tasks_led: int
    done_on_time: int
    done_late: int
    overdue: int
    awaiting_review: int
    points_at_risk: float
    points_lost: float
    supported: int
    overdue_at_risk: float = 0.0  # the part of points_at_risk from overdue work


@dataclass(frozen=True)
class FocusLine:
    """One of an office's tasks that matter most (`planner.domain.focus`)."""

    key: str
    title: str
    due: date
    overdue: bool
    days_left: int  # working days (overdue: 1)
    at_stake: float  # what projected loses if it is never done
    effort_days: float | None


#: How many of the tasks that matter most head an office's weekly report.
OFFICE_FOCUS = 3


@dataclass(frozen=True)
class WeeklyReport:
    plan: PlanInfo
    as_of: date
    week_start: date  # Monday of the week of `as_of`
    week_end: date  # its Sunday
    previous_as_of: date  # seven days earlier: the comparison point
    headline: Headline
    fields: tuple[FieldLine, ...]
    completed: tuple[TaskLine, ...]  # done in the seven days ending on as-of
    overdue: tuple[OfficeTasks, ...]  # grouped by lead office
    due_soon: tuple[TaskLine, ...]  # due in the next DUE_SOON_DAYS days, not done
    evidence_pending: tuple[EvidenceLine, ...]
    evidence_rejected: tuple[EvidenceLine, ...]
    indicators: tuple[IndicatorLine, ...]
    office: OfficeInfo | None = None  # set for an office's own view
    record: OfficeRecordLine | None = None
    led: tuple[TaskLine, ...] = ()  # office view: open occurrences it leads
    supported: tuple[TaskLine, ...] = ()  # office view: open occurrences it supports
    offices: tuple[OfficeInfo, ...] = ()  # every office, for names and heads
    anchor: str = ""  # the change log's head when the report was made ("entry:hash")
    focus: tuple[FocusLine, ...] = ()  # office view: its tasks that matter most this week
    paper: Paper = field(default_factory=Paper)  # number, signer and recipients of the printed document
    #: What moved since `previous_as_of` and the facts that moved it (an office view: its own).
    changes: tuple[Change, ...] = ()
    #: The recurrence rule of each recurring task a change names, to name its occurrences.
    change_rules: dict[str, str] = field(default_factory=dict)
    #: The plan's figures every week from its start to `as_of` (the plan's report only).
    trajectory: tuple[TrajectoryPoint, ...] = ()
    charted: bool = False  # `trajectory` holds every week (else only its first and last)

    @property
    def completed_since(self) -> date:
        return self.previous_as_of + timedelta(days=1)


@dataclass(frozen=True)
class Reminder:
    """A deadline (`about` "deadline") or the end of the validity of evidence ("expiry") an
    office is reminded of, at a threshold of `domain.reminders` (7, 3, 1 working days before,
    0 the day itself, PASSED after it)."""

    task: TaskLine
    about: str  # deadline | expiry
    on: date  # the deadline, or the evidence's last valid day
    threshold: int
    working_days_left: int  # working days from the as-of date to the day before `on`
    evidence: tuple[int, ...] = ()  # the expiring evidence
    days_passed: int = 0  # calendar days since the date passed (0 before it)

    @property
    def kind(self) -> str:
        """`passed`, or the working days ahead as a string ("7", "3", "1", "0")."""
        return "passed" if self.threshold < 0 else str(self.threshold)


@dataclass(frozen=True)
class OfficeReminders:
    office: OfficeInfo
    reminders: tuple[Reminder, ...]


@dataclass(frozen=True)
class DueReport:
    plan: PlanInfo
    as_of: date
    sections: tuple[OfficeReminders, ...]


# --------------------------------------------------------------------------- building


def _points(value: Totals | CriterionScore) -> Points:
    return Points(value.max_points, value.secured, value.projected, value.at_risk, value.lost,
                  value.open)


def _office_info(office: Office) -> OfficeInfo:
    return OfficeInfo(office.code, office.name, office.head_name, office.head_title, office.email)


def _plan_info(inputs: ReportInputs) -> PlanInfo:
    p = inputs.plan
    return PlanInfo(p.title, p.number, p.year, p.agency, p.parent_agency, p.place, p.index_name)


def occurrence_points_at_risk(score: PlanScore) -> dict[str, float]:
    """Points at risk per occurrence key, from the explanation lines of `tasks` criteria.

    Scaled as parents scale their children (a parent whose children's maxima exceed its own
    counts only its share), the way `domain.accountability.office_board` attributes them, so
    the figures add up to the plan's totals.
    """
    at_risk: dict[str, float] = {}

    def walk(node: CriterionScore, factor: float) -> None:
        if node.children:
            total = sum(child.max_points for child in node.children)
            if total > node.max_points > 0:
                factor *= node.max_points / total
            for child in node.children:
                walk(child, factor)
            return
        if node.method != "tasks":
            return
        for line in node.explanation:
            if line.counted and line.weight is not None and line.part == "at_risk":
                at_risk[line.subject] = at_risk.get(line.subject, 0.0) + line.weight * factor

    for root in score.criteria:
        walk(root, 1.0)
    return at_risk


def _task_lines(inputs: ReportInputs, as_of: date, at_risk: dict[str, float],
                keep: Callable[[OccurrenceFact], bool] | None = None) -> list[TaskLine]:
    """The task lines of the occurrences `keep` accepts (all by default), cancelled left out."""
    facts = inputs.facts
    occurrences = facts.occurrences if keep is None else tuple(filter(keep, facts.occurrences))
    rows = rows_from_facts(replace(facts, occurrences=occurrences), as_of, inputs.progress,
                           inputs.today)
    rules = inputs.rules or {}
    lines = []
    for occ, row in zip(occurrences, rows, strict=True):
        if row.status == "cancelled":
            continue
        lines.append(TaskLine(
            key=row.key, task_code=row.task_code, title=row.title, lead=row.lead,
            supporting=row.supporting, due=occ.due_on, continuous=row.continuous,
            status=row.status, progress=row.progress, done_on=row.done_on, overdue=row.overdue,
            late=row.late, evidence=row.evidence, criteria=row.criteria,
            points_at_risk=at_risk.get(row.key, 0.0), days_left=(occ.due_on - as_of).days,
            rule=rules.get(row.task_code, "") if row.recurring else "",
        ))
    return lines


def _weekly_scope(day: date, office: str | None) -> Callable[[OccurrenceFact], bool]:
    """The occurrences a weekly report can show: due by the end of the due-soon window (overdue
    or due soon), changed in the last seven days (completed), or, in an office's view, every one
    the office leads or supports. Resolving only these saves most of the work on a large plan."""
    horizon = day + timedelta(days=DUE_SOON_DAYS)
    since = day - timedelta(days=6)

    def keep(occ: OccurrenceFact) -> bool:
        if occ.due_on <= horizon:
            return True
        if office is not None and (occ.lead_office == office or office in occ.supporting_offices):
            return True
        return any(since <= event.on <= day for event in occ.status_events)

    return keep


def _by_due(task: TaskLine) -> tuple[date, str]:
    return task.due, task.key


def _rules(facts: PlanFacts) -> list[CriterionRule]:
    out: list[CriterionRule] = []
    stack = list(reversed(facts.criteria))
    while stack:
        rule = stack.pop()
        out.append(rule)
        stack.extend(reversed(rule.children))
    return out


def _band_bound(rule: CriterionRule, value: float, direction: str) -> float | None:
    """The bound of the best band `value` reaches, by the scoring module's own rule."""
    best = None
    for band in rule.bands:
        if band.points <= 0:
            continue
        # band_points on a one-band rule applies the inclusive bound and its float tolerance.
        reached = band_points(replace(rule, bands=(band,)), value, direction) > 0  # type: ignore[arg-type]
        if reached and (best is None or band.points > best.points):
            best = band
    return best.bound if best is not None else None


def _indicators(facts: PlanFacts, score: PlanScore, as_of: date,
                wanted_criteria: set[str] | None) -> list[IndicatorLine]:
    rules_by_indicator: dict[str, list[CriterionRule]] = {}
    for crit in _rules(facts):
        if crit.indicator and not crit.children:
            rules_by_indicator.setdefault(crit.indicator, []).append(crit)
    lines = []
    # indicator_value indexes the facts it is given on every call; a read indicator needs only
    # its readings, so it is given the facts without the plan's (many) occurrences.
    readings_only = replace(facts, occurrences=(), links=())
    for ind in facts.indicators:
        rules = rules_by_indicator.get(ind.code, [])
        codes = tuple(r.code for r in rules)
        if wanted_criteria is not None and not wanted_criteria.intersection(codes):
            continue
        value, reading = indicator_value(facts if ind.computed else readings_only, ind.code, as_of)
        rule = rules[0] if rules else None
        node = score.find(rule.code) if rule is not None else None
        bound = None
        points = None
        if rule is not None and node is not None and reading is not None:
            if value is not None:
                bound = _band_bound(rule, value, ind.direction)
                points = node.secured
            elif reading.denominator == 0 and rule.when_empty is not None:
                points = node.secured
        lines.append(IndicatorLine(
            code=ind.code, name=ind.name, unit=ind.unit, direction=ind.direction, criteria=codes,
            value=value, reading_on=reading.on if reading is not None and not ind.computed else None,
            numerator=reading.numerator if reading is not None else None,
            denominator=reading.denominator if reading is not None else None,
            band_bound=bound, points=points,
            max_points=sum(r.max_points for r in rules), target=ind.target,
            computed=ind.computed is not None,
        ))
    return lines


def _evidence_label(row: ReportEvidence) -> str:
    parts = [p for p in (row.doc_number, row.title) if p]
    if parts:
        return " ".join(parts)
    return row.filename or row.url or " ".join(row.note.split())


def _evidence(inputs: ReportInputs, as_of: date, office: str | None
              ) -> tuple[list[EvidenceLine], list[EvidenceLine]]:
    """Evidence awaiting review, and rejected evidence still standing, as of the date."""
    pending: list[EvidenceLine] = []
    rejected: list[ReportEvidence] = []
    accepted_targets: set[str] = set()
    pending_targets: set[str] = set()
    decided: dict[int, ReviewAsOf] = {}
    rules = inputs.rules or {}
    for row in inputs.evidence:
        review = review_as_of(row.fact, as_of)
        if review.state == "accepted":
            accepted_targets.add(row.target)
        elif review.state == "rejected":
            rejected.append(row)
            decided[row.id] = review
        elif review.state == "submitted":  # never reviewed, reviewed only later, or taken back
            pending_targets.add(row.target)
            if office is None or row.lead == office:
                pending.append(_evidence_line(row, as_of, rules))
    standing = [
        replace(_evidence_line(row, as_of, rules), reviewed_on=decided[row.id].on,
                reason=decided[row.id].reason, resubmitted=row.target in pending_targets)
        for row in rejected
        if row.target not in accepted_targets and (office is None or row.lead == office)
    ]
    return pending, standing


def _evidence_line(row: ReportEvidence, as_of: date, rules: dict[str, str]) -> EvidenceLine:
    task, at, _due = row.target.partition("@")
    return EvidenceLine(
        id=row.id, target=row.target, label=_evidence_label(row), lead=row.lead,
        submitted_on=row.submitted_on, submitted_by=row.submitted_by,
        days_waiting=(as_of - row.submitted_on).days, rule=rules.get(task, "") if at else "",
    )


def build_weekly(ctx: Context, as_of: date | None = None, office: str | None = None,
                 paper: Paper | None = None, *, charts: bool = True) -> WeeklyReport:
    """The weekly status as of a date (default today): the whole plan, or one office's view.

    `office` is a code, name or alias (an unknown one raises NotFound). Loads once and scores
    twice: as of the date and seven days earlier, for the change since the previous week.

    The plan's report carries its trajectory: every week when `charts` (the HTML and PDF draw
    it), else only its first and last points (text, Markdown and DOCX print one line; a
    10,000-task plan's weeks cost about half a second).
    """
    inputs = load_report_inputs(ctx, office)
    day = as_of or ctx.today
    code = inputs.office.code if inputs.office is not None else None
    scored = _Scored.of(inputs, day, _weekly_scope(day, code))
    report = _weekly(scored, inputs.office)
    report = replace(report, anchor=_anchor(ctx))
    if paper is not None:
        report = replace(report, paper=paper)
    if code is None:
        if charts:
            return replace(report, trajectory=trajectory(inputs.facts, day), charted=True)
        return replace(report, trajectory=trajectory_ends(inputs.facts, scored.score))

    return replace(report, focus=_focus_lines(ctx, inputs, day, [code]).get(code, ()))


def build_weekly_each_office(ctx: Context, as_of: date | None = None,
                             paper: Paper | None = None) -> list[WeeklyReport]:
    """Every office's own view, in the offices' order, from one load and one scoring."""
    inputs = load_report_inputs(ctx)
    day = as_of or ctx.today
    scored = _Scored.of(inputs, day)
    anchor = _anchor(ctx)
    focus = _focus_lines(ctx, inputs, day, [o.code for o in inputs.offices])
    return [replace(_weekly(scored, office), anchor=anchor, paper=paper or Paper(),
                    focus=focus.get(office.code, ()))
            for office in inputs.offices]


def _anchor(ctx: Context) -> str:
    """The change log's head, printed so a rewritten log can be shown later
    (`planner check --anchor`, services.anchors)."""
    from planner.services.anchors import current

    anchor = current(ctx.db)
    return str(anchor) if anchor is not None else ""


def _focus_lines(ctx: Context, inputs: ReportInputs, day: date,
                 offices: list[str]) -> dict[str, tuple[FocusLine, ...]]:
    """Each office's three tasks that matter most, from the facts already loaded."""
    from planner.services.focus import focus_by_office

    out: dict[str, list[FocusLine]] = {}
    for item in focus_by_office(ctx, inputs.facts, day, offices, OFFICE_FOCUS):
        occ = item.occurrence
        lines = out.setdefault(occ.lead_office, [])
        if len(lines) < OFFICE_FOCUS:
            lines.append(FocusLine(occ.key, occ.title, occ.due_on, item.overdue, item.days_left,
                                   item.at_stake, item.effort_days))
    return {code: tuple(lines) for code, lines in out.items()}


def trajectory(facts: PlanFacts, day: date) -> tuple[TrajectoryPoint, ...]:
    """The plan's figures every week from its start to the date (`domain.trajectory`)."""
    dates = series_dates(facts.starts_on, day, "week")
    return tuple(trajectory_point(score) for score in score_series(facts, dates))


def trajectory_ends(facts: PlanFacts, score: PlanScore) -> tuple[TrajectoryPoint, ...]:
    """The first and the last point of `trajectory`, the last from the score already made."""
    first = series_dates(facts.starts_on, score.as_of, "week")[0]
    if first == score.as_of:
        return (trajectory_point(score),)
    return (trajectory_point(score_plan(facts, first, explain=False)), trajectory_point(score))


@dataclass
class _Scored:
    """What every view of one week shares: the inputs, both scores and the task lines."""

    inputs: ReportInputs
    day: date
    score: PlanScore
    before: PlanScore
    tasks: list[TaskLine]
    board: dict[str, OfficeRecord]

    @classmethod
    def of(cls, inputs: ReportInputs, day: date,
           keep: Callable[[OccurrenceFact], bool] | None = None) -> _Scored:
        score = score_plan(inputs.facts, day)
        before = score_plan(inputs.facts, day - timedelta(days=7), explain=False)
        tasks = _task_lines(inputs, day, occurrence_points_at_risk(score), keep)
        return cls(inputs, day, score, before, tasks, {})

    def record(self, code: str) -> OfficeRecord:
        if not self.board:
            codes = [o.code for o in self.inputs.offices]
            if code not in codes:
                codes.append(code)
            records = office_board(self.inputs.facts, self.score, self.day, codes)
            self.board.update((r.office, r) for r in records)
        return self.board[code]


def _weekly(scored: _Scored, office: Office | None) -> WeeklyReport:
    inputs, day, score, tasks = scored.inputs, scored.day, scored.score, scored.tasks
    facts = inputs.facts
    previous = day - timedelta(days=7)
    offices = [_office_info(o) for o in inputs.offices]
    code = office.code if office is not None else None

    def concerns(task: TaskLine) -> bool:
        return code is None or task.lead == code or code in task.supporting

    mine = [t for t in tasks if concerns(t)]
    since = previous + timedelta(days=1)
    completed = sorted(
        (t for t in mine if t.status == "done" and t.done_on is not None and since <= t.done_on <= day),
        key=lambda t: (t.done_on or day, t.key),
    )
    overdue_by_office: dict[str, list[TaskLine]] = {}
    for t in mine:
        if t.overdue:
            overdue_by_office.setdefault(t.lead, []).append(t)
    known = {o.code for o in offices}
    groups = [
        OfficeTasks(o, tuple(sorted(overdue_by_office[o.code], key=_by_due)))
        for o in offices if o.code in overdue_by_office
    ]
    groups.extend(  # a lead office missing from the office list still shows its tasks
        OfficeTasks(OfficeInfo(c, c, "", "", ""), tuple(sorted(ts, key=_by_due)))
        for c, ts in overdue_by_office.items() if c not in known
    )
    horizon = day + timedelta(days=DUE_SOON_DAYS)
    due_soon = sorted(
        (t for t in mine if t.status != "done" and day <= t.due <= horizon), key=_by_due
    )
    pending, rejected = _evidence(inputs, day, code)

    wanted_criteria: set[str] | None = None
    record = None
    led: list[TaskLine] = []
    supported: list[TaskLine] = []
    office_info = None
    if office is not None and code is not None:
        office_info = _office_info(office)
        led_codes = {t.task_code for t in tasks if t.lead == code}
        wanted_criteria = {link.criterion_code for link in facts.links if link.task_code in led_codes}
        wanted_criteria.update(r.code for r in _rules(facts) if r.lead_office == code)
        board = scored.record(code)
        record = OfficeRecordLine(
            board.tasks_led, board.done_on_time, board.done_late, board.overdue,
            board.awaiting_review, board.points_at_risk, board.points_lost, board.supported,
            board.overdue_at_risk,
        )
        led = sorted((t for t in tasks if t.lead == code and t.status != "done"), key=_by_due)
        supported = sorted(
            (t for t in tasks if code in t.supporting and t.lead != code and t.status != "done"),
            key=_by_due,
        )

    week_start = day - timedelta(days=day.weekday())
    p = inputs.plan
    before = scored.before
    changes = week_changes(facts, before, score, code)
    rules = inputs.rules or {}
    named = {c.subject.partition("@")[0] for ch in changes for c in ch.causes if not c.criterion}
    change_rules = {task: rules[task] for task in named if task in rules}
    headline = Headline(
        appraised=_points(score.appraised), survey=_points(score.survey),
        previous_appraised=_points(before.appraised), previous_survey=_points(before.survey),
        baseline_year=p.baseline_year, baseline_score=p.baseline_score,
        baseline_max=p.baseline_max, baseline_rank=p.baseline_rank, baseline_of=p.baseline_of,
        target_score=p.target_score,
        comparable=comparable_score(score, facts) if facts.not_applicable else None,
    )
    return WeeklyReport(
        plan=_plan_info(inputs), as_of=day, week_start=week_start,
        week_end=week_start + timedelta(days=6), previous_as_of=previous, headline=headline,
        fields=tuple(FieldLine(n.code, n.title, _points(n)) for n in score.criteria),
        completed=tuple(completed), overdue=tuple(groups), due_soon=tuple(due_soon),
        evidence_pending=tuple(pending), evidence_rejected=tuple(rejected),
        indicators=tuple(_indicators(facts, score, day, wanted_criteria)),
        office=office_info, record=record, led=tuple(led), supported=tuple(supported),
        offices=tuple(offices), changes=changes, change_rules=change_rules,
    )


def build_due(ctx: Context, as_of: date | None = None, office: str | None = None,
              calendar: WorkCalendar | None = None, *, owed: bool = False) -> DueReport:
    """Reminders as of a date, one section per lead office in the offices' order: deadlines of
    open work and validity ends of the evidence counted, 7, 3 and 1 working days ahead, on the
    day, and passed (`domain.reminders`).

    By default the reminders whose day is the as-of date (a daily listing: passed ones every
    day); `owed=True`: for each date its tightest threshold reached, what `report due --send`
    delivers unless it was sent already.
    """
    day = as_of or ctx.today
    cal = calendar or WorkCalendar()
    inputs = load_report_inputs(ctx, office)
    facts = inputs.facts
    code = inputs.office.code if inputs.office is not None else None
    at = cal.reached if owed else cal.hit
    found: list[tuple[Due, int]] = []
    dues = chain(open_deadlines(facts.occurrences, day),
                 evidence_expiries(facts.occurrences, day, facts.closing_date))
    for due in dues:
        if code is not None and due.office != code:
            continue
        threshold = at(due.on, day)
        if threshold is not None:
            found.append((due, threshold))
    keys = {due.key for due, _threshold in found}
    lines = {t.key: t for t in _task_lines(inputs, day, {}, lambda occ: occ.key in keys)}
    by_office: dict[str, list[Reminder]] = {}
    for due, threshold in found:
        line = lines.get(due.key)
        if line is None:
            continue
        by_office.setdefault(due.office, []).append(Reminder(
            task=line, about=due.kind, on=due.on, threshold=threshold,
            # The working days from the as-of date up to the day before the date: N on the
            # day of the N-working-days reminder, whether the date is a working day or not.
            working_days_left=working_days_between(
                day - ONE_DAY, due.on - ONE_DAY, extra_holidays=cal.extra_holidays,
                extra_workdays=cal.extra_workdays),
            evidence=due.evidence, days_passed=max(0, (day - due.on).days),
        ))

    def order(r: Reminder) -> tuple[date, str, str]:
        return (r.on, r.task.key, r.about)

    sections = []
    for o in inputs.offices:
        reminders = by_office.pop(o.code, None)
        if reminders:
            sections.append(OfficeReminders(_office_info(o), tuple(sorted(reminders, key=order))))
    for c, reminders in by_office.items():
        sections.append(OfficeReminders(OfficeInfo(c, c, "", "", ""),
                                        tuple(sorted(reminders, key=order))))
    return DueReport(_plan_info(inputs), day, tuple(sections))
