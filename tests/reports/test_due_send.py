"""`planner report due --send`, run every day from cron: each reminder once, bundled per office,
a moved deadline re-armed, a failed delivery retried on the next run."""

from __future__ import annotations

import pytest

from tests.cli.helpers import count, fingerprint
from tests.conftest import Cli
from tests.reports.support import SmtpServer
from tests.reports.test_report_email import HEADS, parse

VP = HEADS["VP"]


def run(cli: Cli, day: str, *args: str):  # type: ignore[no-untyped-def]
    return cli("report", "due", "--send", "--as-of", day, *args)


def bodies(server: SmtpServer, start: int = 0) -> list[str]:
    """The plain-text part of each message received since `start`, to VP's head."""
    out = []
    for m in server.handler.messages[start:]:
        if m.rcpt_tos == [VP]:
            part = parse(m.content).get_body(("plain",))
            assert part is not None
            out.append(part.get_content())
    return out


@pytest.fixture
def mail(smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> SmtpServer:
    for key, value in smtp_server.env().items():
        monkeypatch.setenv(key, value)
    return smtp_server


def test_a_daily_cron_sends_each_reminder_once(seeded: Cli, mail: SmtpServer) -> None:
    # T03 (VP) is due on Sunday 15/05/2022; T02 (VP) passed on 30/04.
    day1 = run(seeded, "05/05/2022", "--office", "VP")
    assert day1.exit_code == 0, day1.output
    (first,) = bodies(mail)  # one message for the office, both tasks in it
    assert "in 7 working days" in first and "T03" in first
    assert "passed 5 days ago" in first and "T02" in first
    assert "VP: 2 reminders sent." in day1.stderr
    assert count(seeded.db, "reminder_sent") == 2
    # The same day again, and the next day: nothing new.
    before = fingerprint(seeded.db)
    for day in ("05/05/2022", "06/05/2022", "10/05/2022"):
        again = run(seeded, day, "--office", "VP")
        assert again.exit_code == 0, again.output
        assert "Nothing new to send" in again.stderr
    assert len(mail.handler.messages) == 1
    assert fingerprint(seeded.db) == before
    # Three working days before: the 3-day reminder, and only it (T02's was sent once).
    day3 = run(seeded, "11/05/2022", "--office", "VP")
    assert day3.exit_code == 0
    (second,) = bodies(mail, 1)
    assert "in 3 working days" in second and "T03" in second and "T02" not in second
    # The deadline moves to Tuesday 31/05: re-armed, reminded again from 7 working days
    # before the new date (Friday 20/05), not before.
    assert seeded("task", "edit", "T03", "--due", "31/05/2022").exit_code == 0
    assert "Nothing new" in run(seeded, "13/05/2022", "--office", "VP").stderr
    moved = run(seeded, "20/05/2022", "--office", "VP")
    assert moved.exit_code == 0
    (third,) = bodies(mail, 2)
    assert "in 7 working days" in third and "31/5/2022" in third  # the date as a document writes it
    # What was sent is in the change log: the database checks clean.
    assert seeded("check").exit_code == 0


def test_a_failed_delivery_is_retried_on_the_next_run(seeded: Cli, mail: SmtpServer) -> None:
    mail.handler.refuse = {VP}
    failed = run(seeded, "05/05/2022")
    assert failed.exit_code == 5
    assert f"{VP}: failed: 550" in failed.stderr
    assert "retried on the next run" in failed.stderr
    # The other offices were sent and recorded; VP's reminders were not.
    assert HEADS["TCCB"] in mail.handler.delivered
    assert VP not in mail.handler.delivered
    mail.handler.refuse = set()
    retried = run(seeded, "06/05/2022")
    assert retried.exit_code == 0, retried.output
    assert mail.handler.delivered.count(VP) == 1
    assert mail.handler.delivered.count(HEADS["TCCB"]) == 1  # not sent twice
    (body,) = bodies(mail)
    assert "T03" in body and "T02" in body


def test_an_office_without_an_address_does_not_stop_the_others(
        seeded: Cli, mail: SmtpServer) -> None:
    assert seeded("office", "edit", "VP", "--email", "").exit_code == 0
    result = run(seeded, "05/05/2022")
    assert result.exit_code == 5
    assert "VP: failed: Office VP has no email address" in result.stderr
    assert HEADS["TCCB"] in mail.handler.delivered


def test_send_without_smtp_settings_is_refused_before_anything(seeded: Cli) -> None:
    before = fingerprint(seeded.db)
    result = run(seeded, "05/05/2022")
    assert result.exit_code == 2
    assert fingerprint(seeded.db) == before
    assert seeded("report", "due", "--send", "--format", "json").exit_code == 2


def test_evidence_expiries_are_reminded_until_new_evidence_arrives(
        seeded: Cli, mail: SmtpServer) -> None:
    assert seeded("task", "done", "T03", "--on", "10/05/2022").exit_code == 0
    evidence_id = seeded("evidence", "add", "T03", "--doc", "160/GCN-SGDĐT", "--on", "10/05/2022",
                         "--valid-until", "31/05/2022", user="vp").stdout.strip()
    assert seeded("evidence", "accept", evidence_id, "--on", "11/05/2022").exit_code == 0
    listed = seeded("report", "due", "--as-of", "20/05/2022", "--office", "VP").stdout
    assert f"evidence #{evidence_id} expires" in " ".join(listed.split())
    sent = run(seeded, "20/05/2022", "--office", "VP")
    assert sent.exit_code == 0, sent.output
    (body,) = bodies(mail)
    assert f"evidence #{evidence_id} expires" in " ".join(body.split())
    assert "in 7 working days" in body
    # New evidence submitted: nothing more about the old one's expiry.
    assert seeded("evidence", "add", "T03", "--doc", "161/GCN-SGDĐT", "--on", "24/05/2022",
                  user="vp").exit_code == 0
    assert run(seeded, "26/05/2022", "--office", "VP").exit_code == 0
    assert all(f"#{evidence_id}" not in later for later in bodies(mail, 1))
    assert len(mail.handler.messages) >= 1
