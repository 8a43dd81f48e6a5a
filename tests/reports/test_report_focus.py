"""Each office's weekly email starts with its three tasks that matter most this week, the same
three `planner focus --office` ranks first; the whole plan's report has no such section."""

from __future__ import annotations

import email
import json
from email import policy

import pytest

from tests.conftest import Cli


def test_an_office_email_starts_with_its_three_tasks_that_matter_most(
    seeded: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_MAIL_FROM", "cchc@example.org")
    result = seeded("report", "weekly", "--as-of", "9/5/2022", "--office", "TCCB", "--format", "eml")
    assert result.exit_code == 0, result.output
    msg = email.message_from_bytes(result.stdout_bytes, policy=policy.default)
    plain = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    body = plain.split("=" * 20, 1)[1]
    headings = [line for line in body.splitlines() if line.isupper() and line.strip()]
    assert headings[0] == "YOUR THREE TASKS THAT MATTER MOST THIS WEEK"
    top = json.loads(seeded("focus", "--office", "TCCB", "--limit", "3", "--format", "json").stdout)
    first = body.index("YOUR THREE TASKS")
    section = body[first:body.index("SCORE", first)]
    positions = [section.index(row["code"] + " ") for row in top]
    assert positions == sorted(positions) and len(top) == 3
    assert "Your three tasks that matter most this week" in html

    everyone = seeded("report", "weekly", "--as-of", "9/5/2022").stdout
    assert "TASKS THAT MATTER MOST" not in everyone


def test_an_office_with_no_open_task_says_so(seeded: Cli) -> None:
    added = seeded("office", "add", "PC", "--name", "Phòng Pháp chế")
    assert added.exit_code == 0, added.output
    result = seeded("report", "weekly", "--as-of", "9/5/2022", "--office", "PC")
    assert result.exit_code == 0, result.output
    first = result.stdout.index("YOUR THREE TASKS THAT MATTER MOST THIS WEEK")
    assert "No open tasks." in result.stdout[first:first + 200]
