"""`planner report weekly --format eml` parsed back with `email`, and `--send` delivered to a real
SMTP server on 127.0.0.1 started here (aiosmtpd), refused recipients included."""

from __future__ import annotations

import email
import io
import socket
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.reports.support import SmtpServer

SUBJECT = "Weekly status of the 2022 reform plan, week 09/5/2022 – 15/5/2022 · TCCB"
HEADS = {
    "VP": "nhungtth@haiphong.edu.vn", "TCCB": "hainv@haiphong.edu.vn", "KHTC": "haptt@haiphong.edu.vn",
    "GDMN": "anhvtl@haiphong.edu.vn", "GDTH": "tuandm@haiphong.edu.vn", "GDTrH": "huylq@haiphong.edu.vn",
    "GDTX": "thanghv@haiphong.edu.vn", "KTKĐ": "huongbtt@haiphong.edu.vn", "TTr": "longdv@haiphong.edu.vn",
}


def parse(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def weekly(cli: Cli, *args: str):  # type: ignore[no-untyped-def]
    return cli("report", "weekly", "--as-of", "9/5/2022", *args)


def test_eml_parses_back_with_both_alternatives_and_the_pdf(seeded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_MAIL_FROM", "cchc@example.org")
    result = weekly(seeded, "--office", "TCCB", "--format", "eml", "--attach-pdf")
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes
    headers = raw.split(b"\n\n", 1)[0]
    assert headers.isascii()  # RFC 5322: non-ASCII only as encoded words
    assert b"\r\n" not in raw  # local newlines, as `sendmail -t` reads them
    msg = parse(raw)
    assert msg["Subject"] == SUBJECT
    assert msg["From"].addresses[0].addr_spec == "cchc@example.org"
    (to,) = msg["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Nguyễn Văn Hải", "hainv@haiphong.edu.vn")
    assert msg["Date"] and msg["Message-ID"]
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content_charset() == "utf-8"
    assert "Office: TCCB Phòng Tổ chức cán bộ" in plain.get_content()
    assert "<!DOCTYPE html>" in html.get_content() and "Phòng Tổ chức cán bộ" in html.get_content()
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "weekly-status-2022-05-09-tccb.pdf"
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF-")
    from pypdf import PdfReader

    assert "Phòng Tổ chức cán bộ" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_to_overrides_the_office_head(seeded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_MAIL_FROM", "cchc@example.org")
    result = weekly(seeded, "--office", "TCCB", "--format", "eml", "--to", "a@example.org, b@example.org")
    assert result.exit_code == 0, result.output
    msg = parse(result.stdout_bytes)
    assert [a.addr_spec for a in msg["To"].addresses] == ["a@example.org", "b@example.org"]
    assert not list(msg.iter_attachments())


@pytest.mark.parametrize(("args", "message"), [
    (("--office", "TCCB", "--format", "eml"), "mail_from is not set"),
])
def test_eml_without_sender(seeded: Cli, args: tuple[str, ...], message: str) -> None:
    result = weekly(seeded, *args)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("--format", "eml"), "give --to"),
    (("--format", "eml", "--to", "hainv@haiphong.edu.vn\nBcc: x@example.org"), "is not an email address"),
    (("--format", "eml", "--to", "not-an-address"), "is not an email address"),
    (("--format", "text", "--send"), "--send delivers an email"),
    (("--to", "a@example.org"), "--to and --attach-pdf apply"),
    (("--each-office",), "--each-office needs --send"),
])
def test_bad_email_usage(seeded: Cli, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str) -> None:
    monkeypatch.setenv("PLANNER_MAIL_FROM", "cchc@example.org")
    result = weekly(seeded, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- delivery


def test_send_delivers_to_the_office_head(seeded: Cli, smtp_server: SmtpServer,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in smtp_server.env().items():
        monkeypatch.setenv(key, value)
    result = weekly(seeded, "--office", "TCCB", "--send", "--attach-pdf")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # delivered, not printed
    assert "Sent to: hainv@haiphong.edu.vn." in result.stderr
    (received,) = smtp_server.handler.messages
    assert received.mail_from == "cchc@example.org"
    assert received.rcpt_tos == ["hainv@haiphong.edu.vn"]
    msg = parse(received.content)
    assert msg["Subject"] == SUBJECT
    assert len(list(msg.iter_attachments())) == 1


def test_refused_recipient_exits_5_and_is_named(seeded: Cli, smtp_server: SmtpServer,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in smtp_server.env().items():
        monkeypatch.setenv(key, value)
    smtp_server.handler.refuse = {"refused@example.org"}
    result = weekly(seeded, "--office", "TCCB", "--send", "--to", "ok@example.org",
                    "--to", "refused@example.org")
    assert result.exit_code == 5
    assert "refused@example.org: failed: 550" in result.stderr
    assert "Delivery failed for refused@example.org." in result.stderr
    assert "Sent to: ok@example.org." in result.stderr
    assert smtp_server.handler.delivered == ["ok@example.org"]


def test_every_recipient_refused(seeded: Cli, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in smtp_server.env().items():
        monkeypatch.setenv(key, value)
    smtp_server.handler.refuse = {"refused@example.org"}
    result = weekly(seeded, "--office", "TCCB", "--send", "--to", "refused@example.org")
    assert result.exit_code == 5
    assert "refused@example.org: failed: 550" in result.stderr
    assert "Sent to" not in result.stderr
    assert smtp_server.handler.messages == []


def test_each_office_attempts_every_office(seeded: Cli, smtp_server: SmtpServer,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in smtp_server.env().items():
        monkeypatch.setenv(key, value)
    assert seeded("office", "edit", "TTr", "--email", "").exit_code == 0  # no address on file
    smtp_server.handler.refuse = {HEADS["KTKĐ"]}
    result = seeded("report", "weekly", "--as-of", "9/5/2022", "--send", "--each-office")
    assert result.exit_code == 5
    sent = [HEADS[c] for c in ("VP", "TCCB", "KHTC", "GDMN", "GDTH", "GDTrH", "GDTX")]
    assert smtp_server.handler.delivered == sent
    assert f"Sent to: {', '.join(sent)}." in result.stderr
    assert f"{HEADS['KTKĐ']}: failed: 550" in result.stderr
    assert "TTr: failed: Office TTr has no email address" in result.stderr
    assert f"Delivery failed for TTr, {HEADS['KTKĐ']}." in result.stderr
    subjects = {parse(m.content)["Subject"].rsplit(" · ", 1)[1] for m in smtp_server.handler.messages}
    assert subjects == {"VP", "TCCB", "KHTC", "GDMN", "GDTH", "GDTrH", "GDTX"}


def test_unreachable_server_lists_every_recipient(seeded: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("PLANNER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PLANNER_SMTP_PORT", str(port))
    monkeypatch.setenv("PLANNER_MAIL_FROM", "cchc@example.org")
    result = seeded("report", "weekly", "--as-of", "9/5/2022", "--send", "--each-office")
    assert result.exit_code == 5
    for address in HEADS.values():
        assert f"{address}: failed: could not connect to 127.0.0.1:{port}" in result.stderr
    assert "Sent to" not in result.stderr


def test_login_with_password_from_environment(seeded: Cli, smtp_server: SmtpServer,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in smtp_server.env(PLANNER_SMTP_USER="cchc", PLANNER_SMTP_PASSWORD="s3cret").items():
        monkeypatch.setenv(key, value)
    result = weekly(seeded, "--office", "VP", "--send")
    assert result.exit_code == 0, result.output
    assert smtp_server.logins == [("cchc", "s3cret")]
    assert smtp_server.handler.delivered == [HEADS["VP"]]


def test_wrong_password_fails_delivery(seeded: Cli, smtp_server: SmtpServer,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in smtp_server.env(PLANNER_SMTP_USER="cchc", PLANNER_SMTP_PASSWORD="nope").items():
        monkeypatch.setenv(key, value)
    result = weekly(seeded, "--office", "VP", "--send")
    assert result.exit_code == 5
    assert f"{HEADS['VP']}: failed: 127.0.0.1:{smtp_server.port} refused the login of cchc: 535" in result.stderr
    assert smtp_server.handler.messages == []


def test_password_in_a_readable_config_file_is_refused(seeded: Cli, smtp_server: SmtpServer, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'smtp_host = "127.0.0.1"\nsmtp_port = {smtp_server.port}\nsmtp_user = "cchc"\n'
        'smtp_password = "s3cret"\nmail_from = "cchc@example.org"\n', encoding="utf-8")
    config.chmod(0o644)
    monkeypatch.setenv("PLANNER_CONFIG", str(config))
    result = weekly(seeded, "--office", "VP", "--send")
    assert result.exit_code == 2
    assert "chmod 600" in result.stderr
    assert smtp_server.handler.messages == [] and smtp_server.logins == []
    config.chmod(0o600)
    result = weekly(seeded, "--office", "VP", "--send")
    assert result.exit_code == 0, result.output
    assert smtp_server.logins == [("cchc", "s3cret")]


def test_each_office_to_a_directory(seeded: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = seeded("report", "weekly", "--as-of", "9/5/2022", "--each-office", "--format", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 9 and "weekly-status-2022-05-09-ktkd.pdf" in names
    assert all((out / n).read_bytes().startswith(b"%PDF-") for n in names)


def test_each_office_without_sender_stops_before_sending(seeded: Cli, smtp_server: SmtpServer,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in smtp_server.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PLANNER_MAIL_FROM")
    result = seeded("report", "weekly", "--as-of", "9/5/2022", "--send", "--each-office")
    assert result.exit_code == 2
    assert result.stderr.count("mail_from is not set") == 1
    assert smtp_server.handler.messages == []
