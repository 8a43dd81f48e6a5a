"""`planner report weekly|due|quarter|half-year|year`: printouts, files and email, for cron too.

Results go to stdout (or -o FILE, written whole or not at all); what was sent, and any failure
by recipient, goes to stderr. A failed delivery exits 5.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from planner.cli.common import as_of_option, emit_json, fmt_date, resolve_as_of, state, warn
from planner.i18n import _, ngettext
from planner.reports.output import BINARY, FORMATS, default_filename, render, write_atomic
from planner.reports.paper import paper_from_settings

if TYPE_CHECKING:
    from email.message import EmailMessage

    from planner.domain.reminders import WorkCalendar
    from planner.reports.model import WeeklyReport


@click.group("report", help=_(
    "The weekly status, deadline reminders and the periodic reform reports: text, Markdown, HTML, "
    "PDF, Word (.docx), email."))
def report_group() -> None:
    pass


@report_group.command("weekly", help=_(
    "The weekly status: score against last year and the target, fields, completed, overdue by "
    "office, due soon, evidence to review or rejected, indicators."))
@as_of_option
@click.option("--office", metavar="CODE", help=_("That office's own view: the tasks it leads and supports."))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help=_("Output format (default text; eml with --send)."))
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FILE",
              help=_("Write to FILE (with --each-office: a directory, one file per office)."))
@click.option("--to", "to", multiple=True, metavar="ADDRESS",
              help=_("Recipient (repeatable, or comma-separated); default the office head's email."))
@click.option("--attach-pdf", is_flag=True, help=_("Attach the PDF printout to the email."))
@click.option("--send", is_flag=True, help=_("Deliver the email over SMTP (settings smtp_*, mail_from)."))
@click.option("--each-office", is_flag=True, help=_("Every office its own report (with --send or -o DIR)."))
@click.option("--number", metavar="N", help=_(
    "The document's number for its number line (Số: N/BC-…); left blank to fill in by default."))
def weekly_cmd(as_of: str | None, office: str | None, fmt: str | None, output: Path | None,
               to: tuple[str, ...], attach_pdf: bool, send: bool, each_office: bool,
               number: str | None) -> None:
    if send and fmt not in (None, "eml"):
        raise click.UsageError(_("--send delivers an email: leave out --format or use --format eml."))
    fmt = fmt or ("eml" if send else "text")
    if (to or attach_pdf) and fmt != "eml":
        raise click.UsageError(_("--to and --attach-pdf apply to --format eml and --send."))
    if each_office and office:
        raise click.UsageError(_("--each-office and --office exclude each other."))
    if each_office and not (send or output):
        raise click.UsageError(_("--each-office needs --send, or -o DIR for one file per office."))

    app = state()
    ctx = app.context()
    day = resolve_as_of(ctx, as_of)
    paper = paper_from_settings(app.settings, number)
    mail_from = ""
    if fmt == "eml":  # sender and --to checked once, before any report is built
        from planner.reports.eml import address, sender_address, split_addresses

        mail_from = str(app.settings.get("mail_from") or "")
        sender_address(mail_from)
        for recipient in split_addresses(to):
            address(recipient)
    smtp = None
    if send:
        from planner.reports.mail import smtp_settings

        smtp = smtp_settings(app.settings)  # checked before any work is done
    if each_office:
        _each_office(ctx, day, fmt, output, list(to), attach_pdf, send, mail_from, smtp, paper)
        return

    from planner.reports.model import build_weekly

    # Text, Markdown and DOCX print the trajectory in one line: no need for every week.
    report = build_weekly(ctx, day, office, paper, charts=fmt not in ("text", "md", "docx"))
    if fmt == "eml":
        msg = _message(report, mail_from, list(to), attach_pdf)
        if output is not None or not send:
            _emit(_message_bytes(msg), output)
        if smtp is not None:
            _deliver(smtp, [msg])
        return
    if fmt in BINARY and output is None and sys.stdout.isatty():
        raise click.UsageError(_("A {format} file is binary: give -o FILE, or redirect stdout to a "
                                 "file.").format(format=fmt.upper()))
    _emit(render(report, fmt), output)


def _message(report: WeeklyReport, mail_from: str, to: list[str], attach_pdf: bool) -> EmailMessage:
    from planner.reports.eml import build_message, split_addresses

    return build_message(report, mail_from=mail_from, to=split_addresses(to), attach_pdf=attach_pdf)


def _message_bytes(msg: EmailMessage) -> bytes:
    from planner.reports.eml import message_bytes

    return message_bytes(msg)


def _each_office(ctx, day, fmt: str, output: Path | None, to: list[str], attach_pdf: bool,  # type: ignore[no-untyped-def]
                 send: bool, mail_from: str, smtp, paper) -> None:
    """One report per office, written to a directory and/or sent; every office attempted."""
    from planner.reports.model import build_weekly_each_office
    from planner.services.errors import DeliveryError, InputError, PlannerError

    if output is not None:
        if output.exists() and not output.is_dir():
            raise click.UsageError(_("-o {path}: with --each-office, give a directory.").format(path=output))
        output.mkdir(parents=True, exist_ok=True)
    messages: list[EmailMessage] = []
    failures: list[tuple[str, str]] = []  # office code or recipient, reason
    written = 0
    for report in build_weekly_each_office(ctx, day, paper):
        assert report.office is not None
        if fmt == "eml":
            try:
                msg = _message(report, mail_from, to, attach_pdf)
            except PlannerError as exc:  # one office without an address must not stop the others
                failures.append((report.office.code, exc.message))
                continue
            messages.append(msg)
            content: str | bytes = _message_bytes(msg)
        else:
            content = render(report, fmt)
        if output is not None:
            write_atomic(output / default_filename(report, fmt), content)
            written += 1
    if output is not None:
        warn(_("Wrote {n} files to {dir}.").format(n=written, dir=output))
    if send:
        from planner.reports.mail import send_messages

        result = send_messages(smtp, messages)
        if result.sent:
            warn(_("Sent to: {who}.").format(who=", ".join(result.sent)))
        failures += result.failed
    for who, reason in failures:
        warn(_("{who}: failed: {reason}").format(who=who, reason=reason))
    if failures:
        who = ", ".join(w for w, _reason in failures)
        if send:
            raise DeliveryError(_("Delivery failed for {who}.").format(who=who))
        raise InputError(_("No report could be written for {who}.").format(who=who))


def _deliver(smtp, messages: list[EmailMessage]) -> None:  # type: ignore[no-untyped-def]
    from planner.reports.mail import send_messages
    from planner.services.errors import DeliveryError

    result = send_messages(smtp, messages)
    if result.sent:
        warn(_("Sent to: {who}.").format(who=", ".join(result.sent)))
    if result.failed:
        for who, reason in result.failed:
            warn(_("{who}: failed: {reason}").format(who=who, reason=reason))
        raise DeliveryError(_("Delivery failed for {who}.").format(
            who=", ".join(who for who, _reason in result.failed)))


def _emit(content: str | bytes, output: Path | None) -> None:
    if output is not None:
        write_atomic(output, content)
        return
    if isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        from planner.domain.text import printable

        click.echo(printable(content, multiline=True), nl=False)


@report_group.command("due", help=_(
    "Reminders of deadlines and evidence expiries: 7, 3 and 1 working days ahead, on the day, "
    "and passed; one section per office. With --send, each office gets one email with the "
    "reminders not sent before (safe to run from cron every day)."))
@as_of_option
@click.option("--office", metavar="CODE", help=_("Only the tasks this office leads."))
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text",
              show_default=True, help=_("Output format."))
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FILE", help=_("Write to FILE."))
@click.option("--send", is_flag=True, help=_(
    "Email each office the reminders it is owed and has not been sent (settings smtp_*, "
    "mail_from); what was sent is recorded, a failed delivery is retried on the next run."))
def due_cmd(as_of: str | None, office: str | None, fmt: str, output: Path | None, send: bool) -> None:
    from planner.reports.model import build_due

    app = state()
    ctx = app.context()
    calendar = _work_calendar(app.settings)
    day = resolve_as_of(ctx, as_of)
    if send:
        if fmt != "text" or output is not None:
            raise click.UsageError(_("--send delivers email: leave out --format and -o."))
        _send_due(app, ctx, day, office, calendar)
        return
    report = build_due(ctx, day, office, calendar)
    if fmt == "json":
        rows = [
            {
                "office": s.office.code, "head": s.office.head_name, "email": s.office.email,
                "code": r.task.key, "title": r.task.title, "due": r.task.due.isoformat(),
                "continuous": r.task.continuous, "about": r.about, "on": r.on.isoformat(),
                "kind": r.kind, "working_days_left": r.working_days_left,
                "days_left": r.task.days_left, "evidence": list(r.evidence),
                "status": r.task.status, "overdue": r.task.overdue, "progress": r.task.progress,
                "supporting": list(r.task.supporting),
            }
            for s in report.sections for r in s.reminders
        ]
        if output is None:
            emit_json(rows)
        else:
            import json

            write_atomic(output, json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "md":
        from planner.reports.markdown import render_due_markdown

        _emit(render_due_markdown(report), output)
        return
    from planner.reports.text import render_due_text

    _emit(render_due_text(report), output)


def _work_calendar(settings) -> WorkCalendar:  # type: ignore[no-untyped-def]
    """The config's extra days off and worked days (`[holidays] extra`, `workdays`)."""
    from datetime import date

    from planner.domain.reminders import WorkCalendar
    from planner.services.errors import InputError

    def days(values: list[str], name: str) -> frozenset[date]:
        out = set()
        for value in values:
            try:
                out.add(date.fromisoformat(value))
            except ValueError as exc:
                raise InputError(_('[holidays] {name}: "{value}" is not a date (YYYY-MM-DD).').format(
                    name=name, value=value)) from exc
        return frozenset(out)

    return WorkCalendar(days(settings.holidays, "extra"), days(settings.workdays, "workdays"))


def _send_due(app, ctx, day, office: str | None, calendar: WorkCalendar) -> None:  # type: ignore[no-untyped-def]
    from planner.reports.due_send import send_due
    from planner.reports.eml import sender_address
    from planner.reports.mail import smtp_settings
    from planner.services.errors import DeliveryError

    mail_from = str(app.settings.get("mail_from") or "")
    sender_address(mail_from)  # checked before any work is done
    smtp = smtp_settings(app.settings)
    outcome = send_due(ctx, day, office=office, calendar=calendar, smtp=smtp, mail_from=mail_from)
    for code, n in outcome.sent.items():
        warn(ngettext("{office}: {n} reminder sent.", "{office}: {n} reminders sent.", n).format(
            office=code, n=n))
    if outcome.recipients:
        warn(_("Sent to: {who}.").format(who=", ".join(outcome.recipients)))
    if not outcome.sent and not outcome.failed:
        warn(ngettext("Nothing new to send ({n} reminder owed today was sent before).",
                      "Nothing new to send ({n} reminders owed today were sent before).",
                      outcome.already).format(n=outcome.already))
    for who, reason in outcome.failed:
        warn(_("{who}: failed: {reason}").format(who=who, reason=reason))
    if outcome.failed:
        raise DeliveryError(_("Delivery failed for {who}; it will be retried on the next run.").format(
            who=", ".join(who for who, _reason in outcome.failed)))


# --------------------------------------------------------------------------- periodic reports

_SUFFIXES = {".txt": "text", ".md": "md", ".html": "html", ".htm": "html", ".pdf": "pdf",
             ".docx": "docx"}


def _periodic_command(kind: str, help_text: str, example: str) -> None:
    from planner.reports.output import DOCUMENT_FORMATS

    @report_group.command(kind, help=help_text)
    @click.option("--period", required=True, metavar="PERIOD",
                  help=_("The period, for example {example}.").format(example=example))
    @click.option("--cutoff", metavar="DATE",
                  help=_("Figures as of this date (default: the 14th of the period's last month)."))
    @click.option("--on", "on", metavar="DATE", help=_("The document's date (default today)."))
    @click.option("--format", "fmt", type=click.Choice(DOCUMENT_FORMATS), default=None,
                  help=_("Output format (default: from the file name, else text)."))
    @click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
                  help=_("Write to FILE."))
    @click.option("--number", metavar="N", help=_(
        "The document's number for its number line (Số: N/BC-…); left blank to fill in by default."))
    @click.option("--record", metavar="TASK@DATE", help=_(
        "Also mark this occurrence of the periodic-report task done on the document's date, with "
        "the file written by -o attached to it as evidence for review."))
    def command(period: str, cutoff: str | None, on: str | None, fmt: str | None,
                output: Path | None, number: str | None, record: str | None) -> None:
        periodic_cmd(kind, period, cutoff, on, fmt, output, number, record)


def periodic_cmd(kind: str, period_text: str, cutoff: str | None, on: str | None, fmt: str | None,
                 output: Path | None, number: str | None, record: str | None) -> None:
    from planner.domain.periods import parse_period
    from planner.domain.schedule import DateError
    from planner.reports.output import render_document
    from planner.reports.periodic import build_periodic
    from planner.reports.periodic_layout import periodic_document, report_title
    from planner.services.errors import InputError
    from planner.services.inputs import date_field

    if fmt is None:
        fmt = _SUFFIXES.get(output.suffix.lower(), "text") if output is not None else "text"
    if record and output is None:
        raise click.UsageError(_("--record attaches the file written: give -o FILE."))
    app = state()
    ctx = app.context()
    year = app.plan_year or ctx.today.year
    try:
        period = parse_period(kind, period_text, default_year=year)  # type: ignore[arg-type]
    except DateError as exc:
        raise InputError(_("--period: {message}").format(message=str(exc))) from exc
    day = date_field(cutoff, "--cutoff", today=ctx.today, year=period.year) if cutoff else None
    when = date_field(on, "--on", today=ctx.today, year=period.year) if on else ctx.today
    paper = paper_from_settings(app.settings, number)
    report = build_periodic(ctx, period, cutoff=day, on=when, paper=paper)
    doc = periodic_document(report)
    if fmt in BINARY and output is None and sys.stdout.isatty():
        raise click.UsageError(_("A {format} file is binary: give -o FILE, or redirect stdout to a "
                                 "file.").format(format=fmt.upper()))
    content = render_document(doc, fmt, when)
    _emit(content, output)
    if record and output is not None:
        from planner.services.submissions import record_report

        data = content.encode("utf-8") if isinstance(content, str) else content
        doc_number = ""
        if paper.number:
            doc_number = paper.number_line(report.plan.number).removeprefix("Số: ")
        recorded = record_report(
            ctx, record, on=when, content=data, filename=output.name,
            title=report_title(period), doc_number=doc_number, issuer=report.plan.agency)
        warn(_("Recorded {key} as done on {date}; the report is evidence {id}, awaiting review.")
             .format(key=recorded.key, date=fmt_date(recorded.done_on), id=recorded.evidence_id))


_periodic_command("quarter", _(
    "The quarterly reform report (Ministry of Home Affairs' outline), filled from the plan: "
    "results per field, figures, limitations, next tasks; blanks marked for the office."),
    "Q1/2022")
_periodic_command("half-year", _(
    "The six-month reform report, filled from the plan like the quarterly one."), "2022-H1")
_periodic_command("year", _(
    "The annual reform report, filled from the plan like the quarterly one."), "2022")
