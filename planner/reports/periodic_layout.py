"""The periodic reform report laid out as a formal document, on the Ministry's outline.

I. Results, field by field: a) the work completed in the period with its documents, b) the
figures (points of the field, indicator readings), c) limitations: the work overdue with its
lead office, and a marked blank for their causes, d) the work due in the next period.
II. Overall assessment, III. Next period, IV. Proposals: the plan's figures where it has them,
marked blanks for what only the office can write. Nothing is invented.
"""

from __future__ import annotations

from datetime import timedelta

from planner.domain.periods import Period
from planner.i18n import _, current_language, ngettext
from planner.reports import fmt
from planner.reports.blocks import (
    Blank,
    Block,
    Closing,
    Column,
    Document,
    Header,
    Heading,
    Paragraph,
    Row,
    Section,
    Table,
)
from planner.reports.layout import indicator_table, signature
from planner.reports.model import TaskLine
from planner.reports.periodic import DoneLine, FieldPart, PeriodicReport, Proof

_ROMAN = ("I", "II", "III", "IV")


def period_name(period: Period) -> str:
    """"quý I năm 2022", "6 tháng đầu năm 2022", "năm 2022" (and their English)."""
    if period.kind == "quarter":
        return _("quarter {roman} of {year}").format(roman=_ROMAN[period.number - 1], year=period.year)
    if period.kind == "half-year":
        if period.number == 1:
            return _("the first half of {year}").format(year=period.year)
        return _("the second half of {year}").format(year=period.year)
    return _("the year {year}").format(year=period.year)


def report_title(period: Period) -> str:
    return _("Results of the administrative reform in {period}").format(period=period_name(period))


def periodic_document(report: PeriodicReport) -> Document:
    plan = report.plan
    paper = report.paper
    period = period_name(report.period)
    header = Header(
        parent_agency=fmt.one_line(plan.parent_agency), agency=fmt.one_line(plan.agency),
        place_date=fmt.place_date_line(fmt.one_line(plan.place), report.on),
        title=report_title(report.period), subtitle="", kind=_("REPORT"),
        number=paper.number_line(fmt.one_line(plan.number)),
        addressees=paper.addressees(fmt.one_line(plan.place)), place=fmt.one_line(plan.place),
    )
    reference = fmt.one_line(plan.title)
    if plan.number:
        reference += " " + (_("(no. {number} of {date})").format(
            number=fmt.one_line(plan.number), date=fmt.day(report.plan_issued_on))
            if report.plan_issued_on else _("(no. {number})").format(number=fmt.one_line(plan.number)))
    intro = _("Pursuant to the {plan}, this report gives the results of the administrative reform "
              "in {period}, with figures from {start} to {cutoff}, as follows:").format(
        plan=reference, period=period, start=fmt.day(report.starts_on), cutoff=fmt.day(report.cutoff))
    sections = [_results(report), _assessment(report), _next(report), _proposals()]
    closing = Closing(
        paper.report_recipients, signature(paper),
        sign_off=_("This is the report on the results of the administrative reform in "
                   "{period}./.").format(period=period))
    return Document(header, tuple(sections), current_language(), closing, intro=(intro,),
                    frame_in_text=True)


# --------------------------------------------------------------------------- I. results


def _results(report: PeriodicReport) -> Section:
    blocks: list[Block] = [Paragraph(_tally(report)), _fields_table(report)]
    for n, part in enumerate(report.fields, start=1):
        blocks.extend(_field(report, n, part))
    if report.other is not None and (report.other.done or report.other.overdue or report.other.upcoming):
        blocks.extend(_field(report, len(report.fields) + 1, report.other))
    return Section(_("I. RESULTS OF THE REFORM TASKS"), tuple(blocks))


def _tally(report: PeriodicReport) -> str:
    t = report.tally
    a = report.appraised
    text = ngettext(
        "In the period {n} task occurrence fell due: {on_time} done on time, {late} done late, "
        "{overdue} not done.",
        "In the period {n} task occurrences fell due: {on_time} done on time, {late} done late, "
        "{overdue} not done.", t.due).format(n=t.due, on_time=t.on_time, late=t.late, overdue=t.overdue)
    text += " " + _("Self-assessed appraisal points as of {date}: {secured} of {max} secured, "
                    "{projected} projected.").format(
        date=fmt.day(report.cutoff), secured=fmt.number(a.secured), max=fmt.number(a.max_points),
        projected=fmt.number(a.projected))
    if report.baseline_score is not None:
        text += " " + _("Last year ({year}): {score}.").format(
            year=report.baseline_year or "-", score=fmt.number(report.baseline_score))
    if report.target_score is not None:
        text += " " + _("Target this year: {target}.").format(target=fmt.number(report.target_score))
    return text


def _fields_table(report: PeriodicReport) -> Table:
    rows = [
        Row((f.code, fmt.one_line(f.title), fmt.number(f.points.max_points), fmt.number(f.points.secured),
             fmt.number(f.points.projected), fmt.number(f.points.at_risk), fmt.number(f.points.lost)))
        for f in report.fields
    ]
    rows.append(Row(("", _("Appraised part"), fmt.number(report.appraised.max_points),
                     fmt.number(report.appraised.secured), fmt.number(report.appraised.projected),
                     fmt.number(report.appraised.at_risk), fmt.number(report.appraised.lost)),
                    emphasis=True))
    return Table(
        (Column(_("No."), weight=0.5), Column(_("Field"), flex=True, weight=3.2),
         Column(_("Max"), "right"), Column(_("Secured"), "right"), Column(_("Projected"), "right"),
         Column(_("At risk"), "right"), Column(_("Lost"), "right")),
        tuple(rows), caption=_("Points by field as of {date}").format(date=fmt.day(report.cutoff)))


def _field(report: PeriodicReport, n: int, part: FieldPart) -> list[Block]:
    title = fmt.one_line(part.title) if part.code else _("Other tasks of the plan")
    blocks: list[Block] = [Heading(f"{n}. {title}", 1)]
    if part.survey:
        blocks.append(Heading(_("a) Figures"), 2))
        blocks.append(Paragraph(_("Scored by surveys of citizens and officials: the unit does not "
                                  "score itself ({projected} of {max} points projected).").format(
            projected=fmt.number(part.points.projected), max=fmt.number(part.points.max_points))))
        if part.readings:
            blocks.append(indicator_table(part.readings))
        return blocks
    blocks.append(Heading(_("a) Work completed"), 2))
    if part.done:
        blocks.append(_done_table(part.done))
    else:
        blocks.append(Paragraph(_("No task of this field was completed in the period.")))
    blocks.append(Heading(_("b) Figures"), 2))
    if part.code:
        p = part.points
        blocks.append(Paragraph(_("Points of the field as of {date}: {secured} of {max} secured, "
                                  "{projected} projected, {risk} at risk, {lost} lost.").format(
            date=fmt.day(report.cutoff), secured=fmt.number(p.secured), max=fmt.number(p.max_points),
            projected=fmt.number(p.projected), risk=fmt.number(p.at_risk), lost=fmt.number(p.lost))))
    if part.readings:
        blocks.append(indicator_table(part.readings))
    elif part.code:
        blocks.append(Paragraph(_("No indicator of this field is measured.")))
    blocks.append(Heading(_("c) Limitations and their causes"), 2))
    if part.overdue:
        blocks.append(Paragraph(ngettext(
            "{n} task overdue as of {date}:", "{n} tasks overdue as of {date}:", len(part.overdue),
        ).format(n=len(part.overdue), date=fmt.day(report.cutoff))))
        blocks.append(_overdue_table(report, part.overdue))
    else:
        blocks.append(Paragraph(_("No task of this field is overdue.")))
    blocks.append(Blank(_("Causes of the limitations, and what is being done about them: to be "
                          "written by the office.")))
    blocks.append(Heading(_("d) Tasks for the next period"), 2))
    if report.next_until is None:
        blocks.append(Blank(_("The next period falls in next year's plan: to be written by the office.")))
    elif part.upcoming:
        blocks.append(_upcoming_table(part.upcoming))
    else:
        blocks.append(Paragraph(_("No task of this field falls due before {date}.").format(
            date=fmt.day(report.next_until))))
    return blocks


def _proof(proof: Proof) -> str:
    if proof.number:
        head = proof.number
        if proof.on is not None:
            head = _("{number} of {date}").format(number=proof.number, date=fmt.day(proof.on))
        return f"{head}: {fmt.one_line(proof.title)}" if proof.title else head
    return fmt.one_line(proof.title or proof.filename)


def _documents(line: DoneLine) -> str:
    if line.documents:
        return "; ".join(_proof(p) for p in line.documents)
    if line.awaiting_review:
        return _("evidence awaiting review")
    return _("no accepted evidence yet")


def _key(task: TaskLine) -> str:
    return fmt.occurrence(task.key, task.rule)


def _done_table(lines: tuple[DoneLine, ...]) -> Table:
    """Each piece of work done in the period, its documents on a line of their own under it."""
    rows = tuple(
        Row((_key(d.task), fmt.one_line(d.task.title), d.task.lead, fmt.day(d.task.done_on)),
            note=_("Documents: {documents}").format(documents=_documents(d)))
        for d in lines
    )
    return Table(
        (Column(_("Code"), weight=1.1), Column(_("Task"), flex=True, weight=4.4),
         Column(_("Lead"), weight=0.7), Column(_("Done"), weight=1.0)),
        rows)


def _office_name(report: PeriodicReport, code: str) -> str:
    for office in report.offices:
        if office.code == code:
            return fmt.one_line(office.name) or code
    return code


def _overdue_table(report: PeriodicReport, tasks: tuple[TaskLine, ...]) -> Table:
    rows = tuple(
        Row((_key(t), fmt.one_line(t.title), _office_name(report, t.lead), fmt.day(t.due),
             str(-t.days_left), fmt.number(t.points_at_risk)))
        for t in tasks
    )
    return Table(
        (Column(_("Code"), weight=1.1), Column(_("Task"), flex=True, weight=3.6),
         Column(_("Lead office"), weight=1.6), Column(_("Due"), weight=1.0),
         Column(_("Days late"), "right", weight=0.8), Column(_("At risk"), "right", weight=0.8)),
        rows)


def _upcoming_table(tasks: tuple[TaskLine, ...]) -> Table:
    """Work due in the next period, with its status at the cut-off."""
    rows = tuple(
        Row((_key(t), fmt.one_line(t.title), t.lead, fmt.day(t.due),
             fmt.status_text(t.status, t.overdue, t.late)))
        for t in tasks
    )
    return Table(
        (Column(_("Code"), weight=1.1), Column(_("Task"), flex=True, weight=4),
         Column(_("Lead"), weight=0.7), Column(_("Due"), weight=1.0),
         Column(_("Status"), weight=1.1)),
        rows)


# --------------------------------------------------------------------------- II-IV


def _assessment(report: PeriodicReport) -> Section:
    overdue: dict[str, int] = {}
    risk: dict[str, float] = {}
    seen: set[str] = set()
    for part in (*report.fields, *((report.other,) if report.other else ())):
        for t in part.overdue:
            if t.key in seen:  # a task linked to two fields is counted once
                continue
            seen.add(t.key)
            overdue[t.lead] = overdue.get(t.lead, 0) + 1
            risk[t.lead] = risk.get(t.lead, 0.0) + t.points_at_risk
    blocks: list[Block] = [Heading(_("1. Strengths"), 1),
                           Blank(_("Strengths of the period: to be written by the office."))]
    blocks.append(Heading(_("2. Limitations and their causes"), 1))
    if overdue:
        order = [o.code for o in report.offices] + sorted(set(overdue) - {o.code for o in report.offices})
        rows = []
        for code in order:
            if code not in overdue:
                continue
            head = next((o.head for o in report.offices if o.code == code), "")
            rows.append(Row((_office_name(report, code), fmt.one_line(head), str(overdue[code]),
                             fmt.number(risk[code]))))
        blocks.append(Table(
            (Column(_("Lead office"), weight=2.0), Column(_("Head of office"), flex=True, weight=2.6),
             Column(_("Overdue"), "right", weight=0.8), Column(_("At risk"), "right", weight=0.8)),
            tuple(rows), caption=_("Overdue work by lead office as of {date}").format(
                date=fmt.day(report.cutoff))))
    else:
        blocks.append(Paragraph(_("No task is overdue as of {date}.").format(date=fmt.day(report.cutoff))))
    blocks.append(Blank(_("Limitations of the period and their causes: to be written by the office.")))
    return Section(_("II. OVERALL ASSESSMENT"), tuple(blocks))


def _next(report: PeriodicReport) -> Section:
    if report.next_until is None:
        blocks: list[Block] = [Blank(_("Directions and tasks for the next period (next year's plan): "
                                       "to be written by the office."))]
    else:
        keys = {t.key for part in (*report.fields, *((report.other,) if report.other else ()))
                for t in part.upcoming}
        blocks = [Paragraph(ngettext(
            "{n} task occurrence falls due from {start} to {end}; they are listed under each field "
            "in section I.",
            "{n} task occurrences fall due from {start} to {end}; they are listed under each field "
            "in section I.", len(keys)).format(
                n=len(keys), start=fmt.day(report.cutoff + timedelta(days=1)), end=fmt.day(report.next_until))),
            Blank(_("Priorities of the next period: to be written by the office."))]
    return Section(_("III. TASKS FOR THE NEXT PERIOD"), tuple(blocks))


def _proposals() -> Section:
    return Section(_("IV. PROPOSALS AND RECOMMENDATIONS"), (
        Blank(_("Proposals to the city and the Department of Home Affairs: to be written by the "
                "office.")),))
