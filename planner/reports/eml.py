"""The weekly status as a complete email (RFC 5322): UTF-8, an encoded subject, the text and
HTML renderings as alternatives, the PDF attached on request. `sendmail -t` accepts the bytes
as they are; `planner.reports.mail` delivers the same message over SMTP.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from planner.domain.text import fold
from planner.i18n import _
from planner.reports import fmt
from planner.reports.html import render_html
from planner.reports.model import WeeklyReport
from planner.reports.text import render_text
from planner.services.errors import InputError

# A plain addr-spec: no display name, no spaces, no line breaks (they would forge headers).
_ADDRESS = re.compile(r"[^\s@<>(),;:\"\[\]\\]+@[^\s@<>(),;:\"\[\]\\]+\.[^\s@<>(),;:\"\[\]\\]+")


def address(value: str, name: str = "", *, what: str = "--to") -> Address:
    """A checked mailbox; `name` is the display name (encoded as needed when sent)."""
    text = value.strip()
    if not _ADDRESS.fullmatch(text) or len(text) > 254:
        raise InputError(_('{what}: "{value}" is not an email address.').format(
            what=what, value=fmt.one_line(value)[:100]))
    local, _at, domain = text.rpartition("@")
    return Address(display_name=fmt.one_line(name), username=local, domain=domain)


def sender_address(mail_from: str) -> Address:
    """The configured sender, checked; `Name <addr@host>` or a bare address."""
    if not mail_from.strip():
        raise InputError(_("mail_from is not set: add mail_from = \"reform@example.org\" to the config "
                           "file or set PLANNER_MAIL_FROM."))
    text = mail_from.strip()
    named = re.fullmatch(r"(.*?)\s*<([^<>]+)>", text)
    if named and not any(ch in named.group(1) for ch in "\r\n<>"):
        return address(named.group(2), named.group(1).strip().strip('"'), what="mail_from")
    return address(text, what="mail_from")


def split_addresses(values: Iterable[str]) -> list[str]:
    """`--to a@x --to "b@x, c@x"` gives three addresses."""
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in re.split(r"[,;]", value) if part.strip())
    return out


def subject(report: WeeklyReport) -> str:
    text = _("Weekly status of the {year} reform plan, week {start} – {end}").format(
        year=report.plan.year, start=fmt.day(report.week_start), end=fmt.day(report.week_end))
    if report.office is not None:
        text += f" · {report.office.code}"
    return fmt.one_line(text)


def pdf_filename(report: WeeklyReport) -> str:
    """An ASCII file name (some mail clients still mangle encoded ones): the office code folded."""
    name = f"weekly-status-{report.as_of.isoformat()}"
    if report.office is not None:
        name += "-" + re.sub(r"[^a-z0-9]+", "-", fold(report.office.code)).strip("-")
    return name + ".pdf"


def build_message(
    report: WeeklyReport,
    *,
    mail_from: str,
    to: list[str] | None = None,
    attach_pdf: bool = False,
    pdf: bytes | None = None,
    now: datetime | None = None,
) -> EmailMessage:
    """The message for `report`: To is `to`, else the office head's email.

    Raises InputError naming what is missing (no sender, no recipient, a malformed address).
    """
    sender = sender_address(mail_from)
    if to:
        recipients = [address(a) for a in to]
    elif report.office is not None and report.office.email:
        recipients = [address(report.office.email, report.office.head_name,
                              what=_("email of office {code}").format(code=report.office.code))]
    elif report.office is not None:
        raise InputError(_("Office {code} has no email address: set one with `planner office edit "
                           "{code} --email …`, or give --to.").format(code=report.office.code))
    else:
        raise InputError(_("The department's report has no office head to address: give --to."))
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = subject(report)
    msg["From"] = sender
    msg["To"] = recipients
    msg["Date"] = format_datetime((now or datetime.now()).astimezone())
    msg["Message-ID"] = make_msgid("planner", domain=sender.domain)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a cron job
    # Quoted-printable keeps every line short and 7-bit, so any relay passes it unchanged.
    msg.set_content(render_text(report), subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(render_html(report), subtype="html", charset="utf-8", cte="quoted-printable")
    if attach_pdf:
        if pdf is None:
            from planner.reports.pdf import render_pdf

            pdf = render_pdf(report)
        msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_filename(report))
    return msg


def message_bytes(msg: EmailMessage) -> bytes:
    """The message as a file for `sendmail -t`: the local newline, headers encoded per RFC 2047."""
    return msg.as_bytes(policy=msg.policy.clone(linesep="\n"))


def recipients(msg: EmailMessage) -> list[str]:
    """The envelope recipients of a message built here (its To addresses)."""
    return [a.addr_spec for a in msg["To"].addresses]
