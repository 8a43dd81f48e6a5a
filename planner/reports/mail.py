"""Delivery over SMTP (plain, STARTTLS or SSL; login when a user is set).

Every message is attempted and every recipient accounted for: the result lists who was sent
and who failed with the server's reason, so a caller can say exactly what happened and never
half-send silently.
"""

from __future__ import annotations

import smtplib
import ssl
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from planner.i18n import _
from planner.reports.eml import recipients
from planner.services.errors import InputError

if TYPE_CHECKING:
    from planner.config import Settings

SECURITY = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "none"
    user: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0


@dataclass
class DeliveryResult:
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # recipient, reason

    @property
    def ok(self) -> bool:
        return not self.failed


def smtp_settings(settings: Settings) -> SmtpSettings:
    """The SMTP settings in force, checked.

    A password kept in the config file is refused unless only its owner can read the file:
    anyone else on the machine could send mail as the department.
    """
    security = str(settings.get("smtp_security") or "none").strip().lower()
    if security not in SECURITY:
        raise InputError(_('smtp_security: "{value}" is not one of {choices}.').format(
            value=security, choices=", ".join(SECURITY)))
    try:
        port = int(settings.get("smtp_port") or (465 if security == "ssl" else 25))
    except (TypeError, ValueError) as exc:
        raise InputError(_('smtp_port: "{value}" is not a port number.').format(
            value=settings.get("smtp_port"))) from exc
    if not 0 < port < 65536:
        raise InputError(_('smtp_port: "{value}" is not a port number.').format(value=port))
    host = str(settings.get("smtp_host") or "").strip()
    if not host:
        raise InputError(_("smtp_host is not set: add it to the config file or set PLANNER_SMTP_HOST."))
    user = str(settings.get("smtp_user") or "")
    password = str(settings.get("smtp_password") or "")
    source = settings.sources.get("smtp_password", "")
    if password and source.startswith("file") and settings.path is not None:
        _check_private(settings.path)
    if user and not password:
        raise InputError(_("smtp_user is set but no password: set PLANNER_SMTP_PASSWORD (or "
                           "smtp_password in a config file only you can read)."))
    return SmtpSettings(host, port, security, user, password)


def _check_private(path: Path) -> None:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InputError(_("{path} holds the SMTP password and others can read it: run "
                           "`chmod 600 {path}`, or set PLANNER_SMTP_PASSWORD instead.").format(path=path))


def _connect(cfg: SmtpSettings) -> smtplib.SMTP:
    if cfg.security == "ssl":
        conn: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout,
                                              context=ssl.create_default_context())
    else:
        conn = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
    try:
        conn.ehlo()
        if cfg.security == "starttls":
            conn.starttls(context=ssl.create_default_context())
            conn.ehlo()
        if cfg.user:
            conn.login(cfg.user, cfg.password)
    except BaseException:
        _close(conn)
        raise
    return conn


def _close(conn: smtplib.SMTP | None) -> None:
    if conn is None:
        return
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {detail}".strip()
    return str(exc) or type(exc).__name__


def send_messages(cfg: SmtpSettings, messages: Sequence[EmailMessage]) -> DeliveryResult:
    """Send each message over one connection; report every recipient as sent or failed."""
    result = DeliveryResult()
    conn: smtplib.SMTP | None = None
    unreachable = ""
    try:
        for msg in messages:
            rcpts = recipients(msg)
            sender = msg["From"].addresses[0].addr_spec
            if unreachable:
                result.failed.extend((r, unreachable) for r in rcpts)
                continue
            try:
                if conn is None:
                    conn = _connect(cfg)
            except (smtplib.SMTPException, OSError) as exc:
                # No server to talk to (or it refuses our login): the remaining messages
                # cannot fare better.
                if isinstance(exc, smtplib.SMTPAuthenticationError):
                    unreachable = _("{host}:{port} refused the login of {user}: {reason}").format(
                        host=cfg.host, port=cfg.port, user=cfg.user, reason=_reason(exc))
                else:
                    unreachable = _("could not connect to {host}:{port}: {reason}").format(
                        host=cfg.host, port=cfg.port, reason=_reason(exc))
                result.failed.extend((r, unreachable) for r in rcpts)
                continue
            try:
                refused = conn.send_message(msg, from_addr=sender, to_addrs=rcpts)
            except smtplib.SMTPRecipientsRefused as exc:  # every recipient refused
                result.failed.extend(
                    (r, _reason(smtplib.SMTPResponseException(*exc.recipients[r])) if r in exc.recipients
                     else _("refused")) for r in rcpts)
                continue
            except (smtplib.SMTPResponseException, smtplib.SMTPNotSupportedError) as exc:
                result.failed.extend((r, _reason(exc)) for r in rcpts)
                continue
            except (smtplib.SMTPException, OSError) as exc:
                result.failed.extend((r, _reason(exc)) for r in rcpts)
                _close(conn)
                conn = None  # the connection is in an unknown state: open a new one
                continue
            for r in rcpts:
                if r in refused:
                    result.failed.append((r, _reason(smtplib.SMTPResponseException(*refused[r]))))
                else:
                    result.sent.append(r)
    finally:
        _close(conn)
    return result
