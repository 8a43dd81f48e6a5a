"""Every role against every action: the same answer from every entry point, exit code 4."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import fingerprint
from tests.conftest import Cli

# (action args, coordinator, vp member (leads T03, supports T10), tccb member (leads T10), viewer)
ACTIONS: list[tuple[tuple[str, ...], bool, bool, bool, bool]] = [
    (("task", "add", "Việc mới", "--lead", "VP", "--due", "30/6/2022"), True, True, False, False),
    (("task", "edit", "T03", "--progress", "50"), True, True, False, False),
    (("task", "edit", "T10", "--progress", "50"), True, False, True, False),
    (("task", "edit", "T03", "--lead", "TCCB"), True, False, False, False),
    (("task", "start", "T03"), True, True, False, False),
    (("task", "done", "T10", "--on", "09/05/2022"), True, False, True, False),
    (("task", "delete", "T26", "--yes"), True, False, False, False),
    (("evidence", "add", "T10", "--doc", "11/TTr-SGDĐT"), True, True, True, False),  # VP supports T10
    (("evidence", "add", "T37", "--doc", "12/QĐ-SGDĐT"), True, False, False, False),  # KHTC leads T37 (TTr supports)
    (("evidence", "add", "3.5", "--note", "Không có vi phạm"), True, False, False, False),
    (("evidence", "accept", "15"), True, False, False, False),  # submitted by VP in the seed
    (("evidence", "reject", "15", "--reason", "Thiếu"), True, False, False, False),
    (("reading", "add", "ontime_rate", "99"), True, False, False, False),
    (("criterion", "confirm", "5.5", "none"), True, False, False, False),
    (("criterion", "enter", "8.1", "80%"), True, False, False, False),
    (("criterion", "owner", "3.3.1", "VP"), True, False, False, False),
    (("office", "edit", "VP", "--email", "vp@haiphong.edu.vn"), True, False, False, False),
    (("indicator", "edit", "ontime_rate", "--target", "99"), True, False, False, False),
    (("users", "add", "newbie", "--role", "viewer"), True, False, False, False),
]
USERS = ("coordinator", "vp", "tccb", "director")


@pytest.mark.parametrize("user_index", range(len(USERS)), ids=USERS)
@pytest.mark.parametrize("action", ACTIONS, ids=[" ".join(a[0])[:36] for a in ACTIONS])
def test_role_against_action(seeded: Cli, action: tuple, user_index: int) -> None:
    args, *allowed = action
    user = USERS[user_index]
    before = fingerprint(seeded.db)
    result = seeded(*args, user=user)
    if allowed[user_index]:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 4, result.output
        assert "Permission denied" in result.stderr
        assert fingerprint(seeded.db) == before


def test_everyone_can_read(seeded: Cli) -> None:
    for user in ("director", "stranger"):
        for args in (("tasks",), ("score",), ("offices",), ("evidence", "list"), ("explain", "3.3.1")):
            assert seeded(*args, user=user).exit_code == 0


def test_unknown_login_is_told_how_to_be_added(seeded: Cli) -> None:
    result = seeded("task", "start", "T03", user="stranger")
    assert result.exit_code == 4
    assert "planner users add stranger" in result.stderr


def test_submitter_cannot_accept_own_evidence(seeded: Cli) -> None:
    evidence_id = seeded("evidence", "add", "T03", "--doc", "9/QĐ-SGDĐT").stdout.strip()
    result = seeded("evidence", "accept", evidence_id)
    assert result.exit_code == 4
    assert "submitted it" in result.stderr


def test_submitter_can_withdraw_own_evidence(seeded: Cli) -> None:
    evidence_id = seeded("evidence", "add", "T03", "--doc", "9/QĐ-SGDĐT", user="vp").stdout.strip()
    assert seeded("evidence", "withdraw", evidence_id, user="tccb").exit_code == 4
    assert seeded("evidence", "withdraw", evidence_id, user="vp").exit_code == 0


def test_first_user_of_a_new_database_is_coordinator(cli: Cli) -> None:
    assert cli("init", user="alice").exit_code == 0
    users = cli("users", "list").stdout
    assert "alice" in users and "coordinator" in users
    assert cli("users", "add", "bob", "--role", "viewer", user="bob").exit_code == 4


def test_last_coordinator_cannot_be_removed(seeded: Cli) -> None:
    result = seeded("users", "remove", "coordinator")
    assert result.exit_code == 2 and "last coordinator" in result.stderr


def test_office_member_needs_an_office(seeded: Cli) -> None:
    result = seeded("users", "add", "x", "--role", "office_member")
    assert result.exit_code == 2


def test_log_names_who_did_what(seeded: Cli) -> None:
    seeded("task", "start", "T03", user="vp")
    entries = json.loads(seeded("log", "--task", "T03", "--format", "json").stdout)
    assert entries[-1]["actor"] == "vp" and entries[-1]["action"] == "task.in_progress"
