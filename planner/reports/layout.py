"""The weekly status and the reminders laid out once as translated, formatted blocks.

Text, Markdown, HTML, PDF and DOCX each draw these same blocks (`reports.blocks`), so the
wording, the order and every figure are identical in all formats; a renderer only decides how
a block looks. Cells hold plain, unescaped strings (user text made single-line); each renderer
escapes for its format.
"""

from __future__ import annotations

from planner.domain.applicability import ComparableScore
from planner.domain.trajectory import TrajectoryPoint
from planner.domain.week_changes import Cause, Move
from planner.i18n import _, ngettext
from planner.reports import fmt
from planner.reports.blocks import (
    BarChart,
    Blank,
    Block,
    Closing,
    Column,
    Document,
    Header,
    Heading,
    LineChart,
    Paragraph,
    Row,
    Section,
    Series,
    Signature,
    Table,
)
from planner.reports.model import (
    DueReport,
    EvidenceLine,
    FocusLine,
    IndicatorLine,
    OfficeInfo,
    Points,
    Reminder,
    TaskLine,
    WeeklyReport,
)
from planner.reports.paper import Paper

__all__ = [
    "Blank", "Block", "Closing", "Column", "Document", "Header", "Heading", "Paragraph", "Row",
    "Section", "Signature", "Table", "due_document", "signature", "weekly_document",
]

def _none() -> Paragraph:
    return Paragraph(_("None."))


def _task_title(task: TaskLine) -> str:
    return fmt.one_line(task.title)


def _key(task: TaskLine) -> str:
    return fmt.occurrence(task.key, task.rule)


def _due(task: TaskLine) -> str:
    return _("continuous") if task.continuous else fmt.day(task.due)


# --------------------------------------------------------------------------- weekly


def weekly_document(report: WeeklyReport) -> Document:
    from planner.i18n import current_language

    plan = report.plan
    title = _("Weekly status of the administrative-reform plan")
    subtitle = fmt.one_line(plan.title) + (f" ({fmt.one_line(plan.number)})" if plan.number else "")
    lines: tuple[str, ...] = (_("Week {start} – {end} · as of {day}").format(
        start=fmt.day(report.week_start), end=fmt.day(report.week_end), day=fmt.day(report.as_of)),)
    if report.office is not None:
        lines += (_office_line(report.office),)
    paper = report.paper
    header = Header(
        parent_agency=fmt.one_line(plan.parent_agency), agency=fmt.one_line(plan.agency),
        place_date=fmt.place_date_line(fmt.one_line(plan.place), report.as_of),
        title=title, subtitle=subtitle, lines=lines, kind=_("REPORT"),
        number=paper.number_line(fmt.one_line(plan.number)), place=fmt.one_line(plan.place),
    )
    closing = Closing(paper.recipients, signature(paper))
    sections = [_focus(report.focus)] if report.office is not None else []
    sections += [_score(report)]
    if report.trajectory:
        sections.append(_trajectory(report))
    sections += [_changes(report), _fields(report)]
    if report.record is not None:
        sections.append(_record(report))
    sections.extend([_completed(report), _overdue(report), _due_soon(report)])
    if report.office is not None:
        sections.append(_task_list(_("Tasks it leads (open)"), report.led, lead=False))
        sections.append(_task_list(_("Tasks it supports (open)"), report.supported, lead=True))
    sections.extend([_pending(report.evidence_pending), _rejected(report.evidence_rejected),
                     _indicators(report.indicators)])
    if report.anchor:
        sections.append(_anchor(report.anchor))
    return Document(header, tuple(sections), current_language(), closing)


def signature(paper: Paper) -> Signature:
    return Signature(paper.signer_for, paper.signer_title, paper.signer)


def _anchor(anchor: str) -> Section:
    """The change log's head: whoever keeps this page can later show the log was rewritten."""
    return Section(_("Change log"), (
        Paragraph(_("Entry and fingerprint of the change log when this report was made:")),
        Paragraph(anchor),
        Paragraph(_("Keep this page: `planner check --anchor` with the line above shows whether "
                    "any entry up to it was altered or deleted since."))))


def _focus(lines: tuple[FocusLine, ...]) -> Section:
    title = _("Your three tasks that matter most this week")
    if not lines:
        return Section(title, (Paragraph(_("No open tasks.")),))
    columns = (Column(_("Code"), weight=1.1), Column(_("Task"), flex=True, weight=4),
               Column(_("Due"), weight=1.0), Column(_("Working days left"), "right", weight=1.0),
               Column(_("At stake"), "right", weight=0.8))
    rows = tuple(
        Row((line.key, fmt.one_line(line.title), fmt.day(line.due),
             _("overdue") if line.overdue else str(line.days_left), fmt.number(line.at_stake)))
        for line in lines
    )
    note = _("At stake: the points the year's projected score loses if the task is never done.")
    return Section(title, (Table(columns, rows), Paragraph(note)))


def _office_line(office: OfficeInfo) -> str:
    text = _("Office: {code} {name}").format(code=office.code, name=fmt.one_line(office.name))
    if office.head:
        text += " · " + _("head: {head}").format(head=fmt.one_line(office.head))
    return text


def _points_cells(p: Points) -> tuple[str, ...]:
    return (fmt.number(p.secured), fmt.number(p.projected), fmt.number(p.at_risk),
            fmt.number(p.lost), fmt.number(p.max_points))


def _change_cells(now: Points, before: Points) -> tuple[str, ...]:
    return (fmt.signed(now.secured - before.secured), fmt.signed(now.projected - before.projected),
            fmt.signed(now.at_risk - before.at_risk), fmt.signed(now.lost - before.lost), "")


def _score(report: WeeklyReport) -> Section:
    h = report.headline
    since = _("change since {date}").format(date=fmt.day(report.previous_as_of))
    table = Table(
        (Column(_("Part"), flex=True, weight=2.2), Column(_("Secured"), "right"),
         Column(_("Projected"), "right"), Column(_("At risk"), "right"),
         Column(_("Lost"), "right"), Column(_("Max"), "right")),
        (
            Row((_("Appraised part"), *_points_cells(h.appraised)), emphasis=True),
            Row(("  " + since, *_change_cells(h.appraised, h.previous_appraised))),
            Row((_("Survey part"), *_points_cells(h.survey)), emphasis=True),
            Row(("  " + since, *_change_cells(h.survey, h.previous_survey))),
        ),
    )
    blocks: list[Block] = [table]
    facts = []
    if h.baseline_score is not None:
        text = _("Last year ({year}): {score} of {max}").format(
            year=h.baseline_year or "-", score=fmt.number(h.baseline_score),
            max=fmt.number(h.baseline_max or 0),
        )
        if h.baseline_rank:
            text += ", " + _("rank {rank} of {of}").format(rank=h.baseline_rank, of=h.baseline_of or "-")
        facts.append(text + ".")
    if h.target_score is not None:
        facts.append(_("Target this year: {target}; projected now: {projected}.").format(
            target=fmt.number(h.target_score), projected=fmt.number(h.appraised.projected)))
    if facts:
        blocks.append(Paragraph(" ".join(facts)))
    if h.comparable is not None:
        blocks.append(Paragraph(_comparable_text(h.comparable)))
    return Section(_("Score"), tuple(blocks))


def _move_text(move: Move) -> str:
    words = {"secured": _("secured"), "at_risk": _("at risk"), "lost": _("lost"),
             "projected": _("projected")}
    # Translators: a change of one figure: "+1.00 secured", "-0.75 at risk".
    return _("{change} {figure}").format(change=fmt.signed(move.delta), figure=words[move.figure])


def _cause_text(cause: Cause, rules: dict[str, str]) -> str:
    on = fmt.day(cause.on)
    if cause.criterion:
        target = _("criterion {code}").format(code=cause.subject)
    else:
        target = fmt.occurrence(cause.subject, rules.get(cause.subject.partition("@")[0], ""))
    kind = cause.kind
    if kind in ("submitted", "accepted", "rejected", "reopened", "withdrawn", "expired"):
        template = {
            "submitted": _("evidence #{id} ({target}) submitted on {on}"),
            "accepted": _("evidence #{id} ({target}) accepted on {on}"),
            "rejected": _("evidence #{id} ({target}) rejected on {on}"),
            "reopened": _("review of evidence #{id} ({target}) taken back on {on}"),
            "withdrawn": _("evidence #{id} ({target}) withdrawn on {on}"),
            "expired": _("evidence #{id} ({target}) no longer valid from {on}"),
        }[kind]
        return template.format(id=cause.evidence, target=target, on=on)
    if kind == "deadline":
        return _("{target}: deadline {on} passed").format(target=target, on=on)
    if kind == "status":
        return _("{target} marked {status} on {on}").format(
            target=target, status=fmt.status_text(cause.status, False, False), on=on)
    if kind == "reading":
        if cause.numerator is not None and cause.denominator is not None:
            value = f"{fmt.compact(cause.numerator)}/{fmt.compact(cause.denominator)}"
        else:
            value = fmt.compact(cause.value) if cause.value is not None else "-"
        return _("reading {value} on {on}").format(value=value, on=on)
    if kind == "confirmation":
        return _("outcome \"{outcome}\" confirmed on {on}").format(outcome=cause.status, on=on)
    if kind == "manual":
        return _("{points} points entered on {on}").format(
            points=fmt.number(cause.value or 0.0), on=on)
    return _("the plan closed on {on}").format(on=on)


def _changes(report: WeeklyReport) -> Section:
    """Each field and criterion whose figures moved since the previous week, with the dated
    facts that moved it (`domain.week_changes`)."""
    title = _("This week's changes and why")
    since = fmt.day(report.previous_as_of)
    if not report.changes:
        return Section(title, (Paragraph(_("Nothing moved since {date}.").format(date=since)),))
    rows = []
    for change in report.changes:
        moved = ", ".join(_move_text(m) for m in change.moves)
        if not change.leaf:
            rows.append(Row((change.code, moved, fmt.one_line(change.title)), emphasis=True))
            continue
        why = "; ".join(_cause_text(c, report.change_rules) for c in change.causes)
        rows.append(Row((change.code, moved, why or _("no fact of its own dated this week: "
                                                       "computed from the plan's other work"))))
    intro = Paragraph(_("Each figure that moved since {date}, and the facts dated since then "
                        "that moved it.").format(date=since))
    table = Table((Column(_("Criterion"), weight=0.8), Column(_("Change"), weight=2.2),
                   Column(_("Why"), flex=True, weight=4.0)), tuple(rows))
    return Section(title, (intro, table))


def trajectory_summary(points: tuple[TrajectoryPoint, ...], target: float | None) -> str:
    """The trajectory in one line: the appraised part's secured and projected points from the
    first week to the last, and the target."""
    first, last = points[0], points[-1]
    text = _("Trajectory since {start}: secured {s0} → {s1}, projected {p0} → {p1}").format(
        start=fmt.day(first.as_of), s0=fmt.number(first.appraised.secured),
        s1=fmt.number(last.appraised.secured), p0=fmt.number(first.appraised.projected),
        p1=fmt.number(last.appraised.projected))
    if target is not None:
        text += "; " + _("target {target}").format(target=fmt.number(target))
    return text + "."


def _trajectory(report: WeeklyReport) -> Section:
    """The trajectory in one line; with every week (`report.charted`), drawn as a line chart
    (secured and projected, the target and last year's score as levels) and a stacked bar
    per field."""
    points = report.trajectory
    h = report.headline
    last = points[-1]
    summary = Paragraph(trajectory_summary(points, h.target_score))
    if not report.charted:
        return Section(_("Trajectory"), (summary,))
    levels: list[tuple[str, float]] = []
    if h.target_score is not None:
        levels.append((_("target {value}").format(value=fmt.number(h.target_score)),
                       h.target_score))
    if h.baseline_score is not None:
        levels.append((_("{year}: {value}").format(year=h.baseline_year or "-",
                                                   value=fmt.number(h.baseline_score)),
                       h.baseline_score))
    line = LineChart(
        title=_("Appraised part, week by week"),
        x_labels=tuple(fmt.day(p.as_of) for p in points),
        series=(Series(_("projected"), tuple(p.appraised.projected for p in points)),
                Series(_("secured"), tuple(p.appraised.secured for p in points))),
        levels=tuple(levels), y_max=last.appraised.max_points,
    )
    titles = {f.code: f.title for f in report.fields}
    bars = []
    labels = []
    for code, figures in last.fields:
        open_points = max(0.0, figures.max_points - figures.secured - figures.at_risk
                          - figures.lost)
        bars.append((f"{code} {fmt.one_line(titles.get(code, ''))}".strip(),
                     (figures.secured, figures.at_risk, figures.lost, open_points)))
        labels.append(f"{fmt.number(figures.secured)}/{fmt.number(figures.max_points)}")
    bar = BarChart(
        title=_("By field as of {day}").format(day=fmt.day(report.as_of)),
        parts=(_("secured"), _("at risk"), _("lost"), _("open")),
        bars=tuple(bars), labels=tuple(labels),
    )
    return Section(_("Trajectory"), (summary, line, bar))


def _comparable_text(c: ComparableScore) -> str:
    """The criteria not applicable to the unit and the score made comparable with units
    ranked on the whole index: figure × M / (M − not applicable points)."""
    listed = "; ".join(f"{n.code} {fmt.one_line(n.title)} ({fmt.number(n.points)})"
                       for n in c.criteria)
    text = _("Not applicable to the unit: {criteria}.").format(criteria=listed)
    for label, part in ((_("appraised part"), c.appraised), (_("survey part"), c.survey)):
        if part is not None:
            text += " " + _("Comparable {part} (out of {full}): secured {s}, projected "
                            "{pr}.").format(part=label, full=fmt.number(part.full_max),
                                            s=fmt.number(part.secured),
                                            pr=fmt.number(part.projected))
    return text


def _fields(report: WeeklyReport) -> Section:
    rows = tuple(
        Row((f.code, fmt.one_line(f.title), fmt.number(f.points.max_points), fmt.number(f.points.secured),
             fmt.number(f.points.projected), fmt.number(f.points.at_risk), fmt.number(f.points.lost)))
        for f in report.fields
    )
    table = Table(
        (Column(_("No."), weight=0.5), Column(_("Field"), flex=True, weight=3.2),
         Column(_("Max"), "right"), Column(_("Secured"), "right"), Column(_("Projected"), "right"),
         Column(_("At risk"), "right"), Column(_("Lost"), "right")),
        rows,
    )
    return Section(_("By field"), (table,) if rows else (_none(),))


def _record(report: WeeklyReport) -> Section:
    r = report.record
    assert r is not None
    text = _("Leads {tasks} tasks: {on_time} done on time, {late} done late, {overdue} overdue, "
             "{review} awaiting review; {risk} points at risk in all ({overdue_risk} of them from "
             "overdue work), {lost} lost. Supports {supported} task occurrences.").format(
        tasks=r.tasks_led, on_time=r.done_on_time, late=r.done_late, overdue=r.overdue,
        review=r.awaiting_review, risk=fmt.number(r.points_at_risk),
        overdue_risk=fmt.number(r.overdue_at_risk), lost=fmt.number(r.points_lost),
        supported=r.supported,
    )
    return Section(_("Accountability"), (Paragraph(text),))


def _completed(report: WeeklyReport) -> Section:
    title = _("Completed {start} – {end}").format(
        start=fmt.day(report.completed_since), end=fmt.day(report.as_of))
    if not report.completed:
        return Section(title, (_none(),))
    rows = tuple(
        Row((_key(t), _task_title(t), t.lead, _due(t), fmt.day(t.done_on),
             fmt.status_text(t.status, t.overdue, t.late)))
        for t in report.completed
    )
    return Section(title, (Table(
        (Column(_("Code"), weight=1.1), Column(_("Task"), flex=True, weight=4),
         Column(_("Lead"), weight=0.7), Column(_("Due"), weight=1.0), Column(_("Done"), weight=1.0),
         Column(_("Status"), weight=1.0)),
        rows),))


def _overdue(report: WeeklyReport) -> Section:
    title = _("Overdue")
    if not report.overdue:
        return Section(title, (_none(),))
    count = sum(len(g.tasks) for g in report.overdue)
    risk = sum(g.points_at_risk for g in report.overdue)
    blocks: list[Block] = [Paragraph(ngettext(
        "{n} occurrence overdue, {points} points at risk.",
        "{n} occurrences overdue, {points} points at risk.", count,
    ).format(n=count, points=fmt.number(risk)))]
    columns = (Column(_("Code"), weight=1.1), Column(_("Task"), flex=True, weight=4.2),
               Column(_("Due"), weight=1.0), Column(_("Days late"), "right", weight=0.8),
               Column(_("At risk"), "right", weight=0.8))
    for group in report.overdue:
        office = group.office
        caption = f"{office.code} {fmt.one_line(office.name)}".strip()
        note = ngettext("{n} overdue, {points} points at risk",
                        "{n} overdue, {points} points at risk", len(group.tasks)).format(
            n=len(group.tasks), points=fmt.number(group.points_at_risk))
        if office.head:
            note = _("head: {head}").format(head=fmt.one_line(office.head)) + " · " + note
        rows = tuple(
            Row((_key(t), _task_title(t), _due(t), str(-t.days_left), fmt.number(t.points_at_risk)))
            for t in group.tasks
        )
        blocks.append(Table(columns, rows, caption=caption, caption_note=note))
    return Section(title, tuple(blocks))


def _task_rows(tasks: tuple[TaskLine, ...], lead: bool) -> tuple[Row, ...]:
    return tuple(
        Row((_key(t), _task_title(t), *((t.lead,) if lead else ()), _due(t),
             fmt.status_text(t.status, t.overdue, t.late), f"{t.progress}%"))
        for t in tasks
    )


def _task_columns(lead: bool) -> tuple[Column, ...]:
    return (Column(_("Code"), weight=1.1), Column(_("Task"), flex=True, weight=4),
            *((Column(_("Lead"), weight=0.7),) if lead else ()), Column(_("Due"), weight=1.0),
            Column(_("Status"), weight=1.1), Column(_("Progress"), "right", weight=0.8))


def _due_soon(report: WeeklyReport) -> Section:
    from planner.reports.model import DUE_SOON_DAYS

    title = _("Due in the next {n} days").format(n=DUE_SOON_DAYS)
    if not report.due_soon:
        return Section(title, (_none(),))
    return Section(title, (Table(_task_columns(True), _task_rows(report.due_soon, True)),))


def _task_list(title: str, tasks: tuple[TaskLine, ...], *, lead: bool) -> Section:
    if not tasks:
        return Section(title, (_none(),))
    return Section(title, (Table(_task_columns(lead), _task_rows(tasks, lead)),))


def _evidence_columns(*last: Column) -> tuple[Column, ...]:
    return (Column(_("No."), "right", weight=0.5), Column(_("For"), weight=1.1),
            Column(_("Evidence"), flex=True, weight=3.8), Column(_("Lead"), weight=0.7), *last)


def _pending(lines: tuple[EvidenceLine, ...]) -> Section:
    title = _("Evidence awaiting review")
    if not lines:
        return Section(title, (_none(),))
    rows = tuple(
        Row((str(e.id), fmt.evidence_target(e.target, e.rule), fmt.one_line(e.label), e.lead,
             fmt.day(e.submitted_on),
             ngettext("{n} day", "{n} days", e.days_waiting).format(n=e.days_waiting)))
        for e in lines
    )
    columns = _evidence_columns(Column(_("Submitted"), weight=1.0),
                                Column(_("Waiting"), "right", weight=0.8))
    return Section(title, (Table(columns, rows),))


def _rejected(lines: tuple[EvidenceLine, ...]) -> Section:
    title = _("Evidence rejected")
    if not lines:
        return Section(title, (_none(),))
    rows = []
    for e in lines:
        note = _("Reason: {reason}").format(reason=fmt.one_line(e.reason) or "-")
        if e.resubmitted:
            note += " " + _("(new evidence awaits review)")
        rows.append(Row((str(e.id), fmt.evidence_target(e.target, e.rule), fmt.one_line(e.label),
                         e.lead, fmt.day(e.reviewed_on)),
                        note=note))
    return Section(title, (Table(_evidence_columns(Column(_("Rejected"), weight=1.0)), tuple(rows)),))


def _band(line: IndicatorLine) -> str:
    if line.value is None:
        return "-"
    if line.band_bound is None:
        return _("below every band")
    op = "≤" if line.direction == "lower" else "≥"
    return f"{op} {fmt.compact(line.band_bound)}{'%' if line.unit == 'percent' else ''}"


def _indicators(lines: tuple[IndicatorLine, ...]) -> Section:
    title = _("Indicators")
    return Section(title, (indicator_table(lines),) if lines else (_none(),))


def indicator_table(lines: tuple[IndicatorLine, ...]) -> Table:
    """Each indicator with its latest reading on or before the date, band, points, target."""
    rows = []
    for i in lines:
        if i.value is not None:
            latest = fmt.indicator_value(i.value, i.unit)
        elif i.denominator == 0:
            latest = _("none to count")
        else:
            latest = _("no reading")
        on = _("computed") if i.computed else fmt.day(i.reading_on) or "-"
        points = "-" if i.points is None else f"{fmt.number(i.points)}/{fmt.number(i.max_points)}"
        target = "-" if i.target is None else fmt.compact(i.target) + ("%" if i.unit == "percent" else "")
        name = fmt.one_line(i.name) + (f" ({', '.join(i.criteria)})" if i.criteria else "")
        rows.append(Row((name, latest, on, _band(i), points, target)))
    return Table(
        (Column(_("Indicator (criteria)"), flex=True, weight=3.6), Column(_("Latest"), "right"),
         Column(_("On"), weight=1.0), Column(_("Band"), "right"), Column(_("Points"), "right"),
         Column(_("Target"), "right", weight=0.8)),
        tuple(rows))


# --------------------------------------------------------------------------- reminders


def reminder_when(r: Reminder) -> str:
    """When the date of a reminder falls, in working days ahead (or calendar days since)."""
    if r.threshold < 0:
        if r.about == "expiry":
            return ngettext("expired {n} day ago", "expired {n} days ago",
                            r.days_passed).format(n=r.days_passed)
        return ngettext("passed {n} day ago", "passed {n} days ago", r.days_passed).format(
            n=r.days_passed)
    if r.threshold == 0:  # the date is the as-of date itself
        return _("last valid day today") if r.about == "expiry" else _("due today")
    # A date on a day off counts from the last working day before it.
    n = max(1, r.working_days_left)
    return ngettext("in {n} working day", "in {n} working days", n).format(n=n)


def _reminder_what(r: Reminder) -> str:
    if r.about == "expiry":
        return _("evidence {ids} expires: {task}").format(
            ids=", ".join(f"#{i}" for i in r.evidence), task=_task_title(r.task))
    return _task_title(r.task)


def due_document(report: DueReport) -> Document:
    from planner.i18n import current_language

    plan = report.plan
    header = Header(
        parent_agency=fmt.one_line(plan.parent_agency), agency=fmt.one_line(plan.agency),
        place_date=fmt.place_date_line(fmt.one_line(plan.place), report.as_of),
        title=_("Deadline reminders"),
        subtitle=_("{plan} · as of {day} · deadlines and evidence expiries 7, 3 and 1 working "
                   "days ahead, today, and passed").format(
            plan=fmt.one_line(plan.title), day=fmt.day(report.as_of)),
    )
    sections = []
    for section in report.sections:
        office = section.office
        blocks: list[Block] = []
        contact = ", ".join(p for p in (fmt.one_line(office.head), office.email) if p)
        if contact:
            blocks.append(Paragraph(_("Head of office: {head}").format(head=contact)))
        rows = tuple(
            Row((reminder_when(r), _key(r.task), _reminder_what(r),
                 fmt.day(r.on) if r.about == "expiry" else _due(r.task),
                 fmt.status_text(r.task.status, r.task.overdue, r.task.late),
                 f"{r.task.progress}%"), emphasis=r.threshold < 0)
            for r in section.reminders
        )
        blocks.append(Table(
            (Column(_("When"), weight=1.5), Column(_("Code"), weight=1.1),
             Column(_("Task"), flex=True, weight=4), Column(_("Due"), weight=1.0),
             Column(_("Status"), weight=1.0), Column(_("Progress"), "right", weight=0.8)),
            rows))
        sections.append(Section(f"{office.code} {fmt.one_line(office.name)}".strip(), tuple(blocks)))
    if not sections:
        sections.append(Section(_("Reminders"), (Paragraph(_("No deadline needs a reminder today.")),)))
    return Document(header, tuple(sections), current_language())
