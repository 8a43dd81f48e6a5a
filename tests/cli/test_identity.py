"""Who you are cannot be claimed: on SQLite the person is the operating-system account; naming
another user (`--user`, PLANNER_USER, the config's `user`) is acting as them, which only a
coordinator may do, logged as "X acting as Y"; four eyes compare the real people."""

from __future__ import annotations

import os
import pwd
import sqlite3
from pathlib import Path

import pytest

from planner.services import identity
from tests.cli.helpers import fingerprint
from tests.conftest import Cli


@pytest.fixture
def db_url(db_path: Path) -> str:
    """Identity on a shared file: SQLite (the server's login roles are in test_pg_security)."""
    return str(db_path)


def test_the_person_is_the_system_account_whatever_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "nhungtth")
    monkeypatch.setenv("LOGNAME", "nhungtth")
    monkeypatch.setenv("PLANNER_USER", "nhungtth")
    with identity.injected(None):  # no test identity: what a real process sees
        assert identity.system_login() == pwd.getpwuid(os.geteuid()).pw_name


def log_lines(cli: Cli, *args: str) -> list[str]:
    result = cli("log", *args)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_a_coordinator_acts_as_an_office_member_with_their_rights_and_both_names_logged(
        seeded: Cli) -> None:
    # The coordinator acts as vp (who leads T03): allowed, and logged with both names.
    started = seeded("--user", "vp", "task", "start", "T03", "--progress", "30")
    assert started.exit_code == 0, started.output
    assert any("by coordinator (coordinator) acting as office member (vp)" in line and "T03" in line
               for line in log_lines(seeded, "--limit", "1"))
    shown = seeded("task", "show", "T03")
    assert "acting as office member (vp)" in shown.stdout
    # The rights used are vp's: an office member of VP cannot delete a task.
    before = fingerprint(seeded.db)
    denied = seeded("--user", "vp", "task", "delete", "T05", "--yes")
    assert denied.exit_code == 4
    assert "you are office member (VP)" in denied.stderr
    assert fingerprint(seeded.db) == before


@pytest.mark.parametrize("how", ["option", "environment", "config"])
def test_someone_who_is_not_a_coordinator_cannot_act_as_one(seeded: Cli, tmp_path: Path,
                                                            how: str) -> None:
    before = fingerprint(seeded.db)
    args: tuple[str, ...] = ("task", "done", "T03", "--on", "12/05/2022")
    env: dict[str, str] = {}
    if how == "option":
        args = ("--user", "coordinator", *args)
    elif how == "environment":
        env = {"PLANNER_USER": "coordinator"}
    else:
        config = tmp_path / "config.toml"
        config.write_text('user = "coordinator"\n', encoding="utf-8")
        env = {"PLANNER_CONFIG": str(config)}
    result = seeded(*args, user="tccb", env=env)
    assert result.exit_code == 4, result.output
    assert 'you are "tccb" on this computer and not a coordinator' in result.stderr
    assert 'cannot act as "coordinator"' in result.stderr
    assert fingerprint(seeded.db) == before
    # Nothing in the log speaks for the coordinator.
    assert not any("T03" in line for line in log_lines(seeded))


def test_nobody_reviews_their_own_evidence_under_another_name(seeded: Cli) -> None:
    assert seeded("users", "add", "lan", "--role", "coordinator").exit_code == 0
    # The coordinator submits evidence as vp…
    added = seeded("--user", "vp", "evidence", "add", "T03", "--doc", "150/QĐ-SGDĐT")
    assert added.exit_code == 0, added.output
    evidence_id = added.stdout.strip()
    # …and cannot accept it as herself, nor as another coordinator.
    before = fingerprint(seeded.db)
    for extra in ((), ("--user", "lan")):
        own = seeded(*extra, "evidence", "accept", evidence_id)
        assert own.exit_code == 4, own.output
        assert "cannot be reviewed by the person who submitted it (coordinator acting as vp)" \
            in own.stderr
    assert fingerprint(seeded.db) == before
    # A second real person can.
    accepted = seeded("evidence", "accept", evidence_id, user="lan")
    assert accepted.exit_code == 0, accepted.output


def test_review_flow_with_two_real_people(seeded: Cli) -> None:
    """What chapter 03 of the guide shows: vp submits from their own login, the coordinator
    reviews from hers."""
    added = seeded("evidence", "add", "T03", "--doc", "151/QĐ-SGDĐT", user="vp")
    assert added.exit_code == 0, added.output
    evidence_id = added.stdout.strip()
    assert seeded("evidence", "accept", evidence_id, user="vp").exit_code == 4
    accepted = seeded("evidence", "accept", evidence_id)
    assert accepted.exit_code == 0, accepted.output
    lines = log_lines(seeded, "--limit", "2")
    assert "by office member (vp)" in lines[-2] and "by coordinator" in lines[-1]
    assert not any("acting as" in line for line in lines)


def test_the_last_coordinator_cannot_demote_themselves(seeded: Cli) -> None:
    before = fingerprint(seeded.db)
    result = seeded("users", "set-role", "coordinator", "viewer")
    assert result.exit_code == 2
    assert "coordinator is the last coordinator and cannot stop being one" in result.stderr
    assert fingerprint(seeded.db) == before
    assert seeded("users", "add", "lan", "--role", "coordinator").exit_code == 0
    assert seeded("users", "set-role", "coordinator", "viewer").exit_code == 0
    assert seeded("users", "set-role", "lan", "viewer", user="lan").exit_code == 2


def test_deleting_every_user_does_not_hand_the_database_to_the_next_login(
        seeded: Cli, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute('DELETE FROM "user"')
    conn.close()
    before = fingerprint(seeded.db)
    result = seeded("task", "done", "T03", user="mallory")
    assert result.exit_code == 4
    assert "they were deleted outside planner" in result.stderr
    assert fingerprint(seeded.db) == before
    check = seeded("check")
    assert check.exit_code == 1
    assert "[row] user vp" in check.stdout and "deleted behind planner's back" in check.stdout


def test_check_lists_acting_as_entries_in_a_period(seeded: Cli) -> None:
    assert seeded("--user", "vp", "task", "start", "T03").exit_code == 0
    assert seeded("--user", "tccb", "task", "start", "T10").exit_code == 0
    result = seeded("check")
    assert result.exit_code == 0, result.output
    assert "A coordinator acted as another user 2 times since" in result.stdout
    assert "coordinator acting as vp: task.in_progress T03" in result.stdout
    assert "coordinator acting as tccb: task.in_progress T10" in result.stdout
    # A period that ended before them lists none.
    quiet = seeded("check", "--since", "01/01/2020", "--until", "31/12/2020")
    assert quiet.exit_code == 0 and "acted as another user" not in quiet.stdout


def test_users_list_shows_role_login_can_log_in_and_last_action(seeded: Cli) -> None:
    assert seeded("task", "start", "T03", user="vp").exit_code == 0
    result = seeded("users", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    import json

    users = {u["login"]: u for u in json.loads(result.stdout)}
    assert users["vp"]["role"] == "office_member" and users["vp"]["office"] == "VP"
    assert users["vp"]["last_action"] == "task.in_progress T03"
    assert users["director"]["last_action"] == ""
    # No account "vp" on this computer: planner says so.
    assert users["vp"]["can_log_in"] is False
    assert users["vp"]["why_not"] == "no such account on this computer"
    table = seeded("users", "list").stdout
    assert "Can log in" in table and "Last action" in table
