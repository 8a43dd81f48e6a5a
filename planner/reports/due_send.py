"""`report due --send`: one message per office bundling the reminders it is owed and has not
been sent, delivered over SMTP, and recorded once delivered, so a daily cron run sends each
reminder once and retries a failed delivery on the next run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from planner.domain.reminders import WorkCalendar
from planner.i18n import _
from planner.reports import fmt
from planner.reports.eml import address, recipients, sender_address
from planner.reports.html import render_due_html
from planner.reports.mail import DeliveryResult, SmtpSettings, send_messages
from planner.reports.model import DueReport, OfficeReminders, Reminder, build_due
from planner.reports.text import render_due_text
from planner.services.context import Context
from planner.services.errors import PlannerError
from planner.services.reminders import ReminderKey, record_sent, sent_keys


@dataclass
class DueDelivery:
    """What a run did: reminders sent per office, and every failure (office or recipient)."""

    sent: dict[str, int] = field(default_factory=dict)  # office code -> reminders delivered
    recipients: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # office or recipient, reason
    already: int = 0  # reminders owed but delivered by an earlier run


def reminder_key(office: str, r: Reminder) -> ReminderKey:
    return ReminderKey(office, r.task.key, r.about, r.on, r.threshold)


def subject(report: DueReport, office: str) -> str:
    return _("Reminders · {plan} · {office} · {day}").format(
        plan=fmt.one_line(report.plan.title), office=office, day=fmt.day(report.as_of))


def due_message(report: DueReport, section: OfficeReminders, mail_from: str,
                now: datetime | None = None) -> EmailMessage:
    """One office's reminders as a message to its head (plain text and HTML)."""
    sender = sender_address(mail_from)
    office = section.office
    if not office.email:
        from planner.services.errors import InputError

        raise InputError(_("Office {code} has no email address: set one with `planner office edit "
                           "{code} --email …`.").format(code=office.code))
    to = address(office.email, office.head_name,
                 what=_("email of office {code}").format(code=office.code))
    one = replace(report, sections=(section,))
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = subject(report, office.code)
    msg["From"] = sender
    msg["To"] = [to]
    msg["Date"] = format_datetime((now or datetime.now()).astimezone())
    msg["Message-ID"] = make_msgid("planner", domain=sender.domain)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a cron job
    msg.set_content(render_due_text(one), subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(render_due_html(one), subtype="html", charset="utf-8",
                        cte="quoted-printable")
    return msg


def send_due(
    ctx: Context, day: date, *, office: str | None, calendar: WorkCalendar, smtp: SmtpSettings,
    mail_from: str,
    deliver: Callable[[SmtpSettings, Sequence[EmailMessage]], DeliveryResult] = send_messages,
) -> DueDelivery:
    """Send each office the reminders owed on `day` that no earlier run delivered; record what
    was delivered. An office whose message fails keeps its reminders owed for the next run."""
    report = build_due(ctx, day, office, calendar, owed=True)
    done = sent_keys(ctx)
    outcome = DueDelivery()
    batches: list[tuple[str, list[ReminderKey], EmailMessage]] = []
    for section in report.sections:
        code = section.office.code
        fresh = tuple(r for r in section.reminders if reminder_key(code, r) not in done)
        outcome.already += len(section.reminders) - len(fresh)
        if not fresh:
            continue
        section = OfficeReminders(section.office, fresh)
        try:
            msg = due_message(report, section, mail_from)
        except PlannerError as exc:  # one office without an address must not stop the others
            outcome.failed.append((code, exc.message))
            continue
        batches.append((code, [reminder_key(code, r) for r in fresh], msg))
    if not batches:
        return outcome
    result = deliver(smtp, [msg for _code, _keys, msg in batches])
    failed = {who for who, _reason in result.failed}
    delivered: list[ReminderKey] = []
    for code, keys, msg in batches:
        if any(r in failed for r in recipients(msg)):
            continue
        delivered.extend(keys)
        outcome.sent[code] = len(keys)
    outcome.recipients = list(result.sent)
    outcome.failed.extend(result.failed)
    record_sent(ctx, delivered, day)
    return outcome
