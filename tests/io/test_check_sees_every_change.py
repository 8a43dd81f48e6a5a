"""`planner check` sees every change made outside planner.

The experiment of issue 18, repeated: someone who can write the database file edits it with
sqlite3 directly, each edit alone on a database that checked clean. Before, 30 of 43 such
edits went unnoticed and a re-chained log passed; now each one makes `planner check` exit 1
and name what changed: the row (every table that can change a figure or a right is covered
by the change log), or the anchor the log no longer honours (the chain's head kept outside
the database after every write).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.helpers import rechain
from tests.conftest import SEED, Cli, as_person

TASK = "(SELECT id FROM task WHERE code = '{code}')"
T02 = TASK.format(code="T02")
T04 = TASK.format(code="T04")  # recurring: one occurrence per report
NOW = "'2022-05-01 00:00:00.000000'"

#: (name, SQL statements, what `check` must name)
EDITS: list[tuple[str, list[str], str]] = [
    # Users: who may do what
    ("a user's role raised to coordinator",
     ["UPDATE user SET role = 'coordinator' WHERE login = 'vp'"], "[row] user vp (id"),
    ("a coordinator inserted",
     ["INSERT INTO user (login, name, role) VALUES ('mallory', 'M', 'coordinator')"],
     "[row] user mallory (id"),
    ("all users deleted", ["DELETE FROM user"], "[row] user director (id"),
    ("a user moved to another office",
     ["UPDATE user SET office_id = 2 WHERE login = 'vp'"], "[row] user vp (id"),
    ("a user's login renamed", ["UPDATE user SET login = 'vp2' WHERE login = 'vp'"],
     "[row] user vp2 (id"),
    # Status events: the history scoring reads
    ("a status event inserted",
     ["INSERT INTO status_event (task_id, occurrence_id, status, progress, \"on\", at, by, note) "
      f"SELECT task_id, id, 'done', 100, '2022-04-01', {NOW}, 'vp', '' FROM occurrence "
      f"WHERE task_id = {T04} LIMIT 1"], "[row] status event T04 (id"),
    ("the last status event deleted",
     ["DELETE FROM status_event WHERE id = (SELECT max(id) FROM status_event)"],
     "deleted behind planner's back"),
    ("a status event's date moved",
     ["UPDATE status_event SET \"on\" = '2022-01-15' WHERE id = (SELECT min(id) FROM status_event)"],
     "[row] status event "),
    # Occurrences and tasks
    ("an occurrence marked done",
     ["UPDATE occurrence SET status = 'done', progress = 100, done_on = '2022-03-01' "
      f"WHERE task_id = {T04}"], "[row] occurrence T04@"),
    ("an occurrence inserted",
     ["INSERT INTO occurrence (task_id, due_on, status, progress, version) "
      "SELECT id, '2022-12-30', 'done', 100, 1 FROM task WHERE code = 'T06'"],
     "[row] occurrence T06@2022-12-30"),
    ("an occurrence deleted",
     ["DELETE FROM occurrence WHERE id = (SELECT max(o.id) FROM occurrence o WHERE NOT EXISTS "
      "(SELECT 1 FROM status_event e WHERE e.occurrence_id = o.id) AND NOT EXISTS "
      "(SELECT 1 FROM evidence v WHERE v.occurrence_id = o.id))"], "[row] occurrence "),
    ("a task inserted",
     ["INSERT INTO task (plan_id, code, title, title_folded, description, product, "
      "lead_office_id, deadline_text, continuous, status, progress, position, version, due_on) "
      "VALUES (1, 'T99', 'Nhiệm vụ ma', 'nhiem vu ma', '', '', 1, '', 0, 'done', 100, 99, 1, "
      "'2022-03-01')"], "[row] task T99 (id"),
    ("a task's deadline moved", [f"UPDATE task SET due_on = '2022-12-31' WHERE id = {T02}"],
     "[row] task T02 (id"),
    ("a task handed to another lead office", [f"UPDATE task SET lead_office_id = 2 WHERE id = {T02}"],
     "[row] task T02 (id"),
    ("a task deleted with everything it had",
     [f"DELETE FROM {table} WHERE task_id = {TASK.format(code='T26')}"
      for table in ("status_event", "evidence", "occurrence", "task_support", "task_criterion")]
     + [f"DELETE FROM task WHERE id = {TASK.format(code='T26')}"], "[row] task (id "),
    # Supporting offices and criteria links (with their weights)
    ("a supporting office added",
     ["INSERT INTO task_support SELECT t.id, o.id FROM task t, office o WHERE t.code = 'T03' "
      "AND o.id != t.lead_office_id AND o.id NOT IN "
      "(SELECT office_id FROM task_support WHERE task_id = t.id) LIMIT 1"],
     "[row] task support T03/"),
    ("a supporting office removed",
     ["DELETE FROM task_support WHERE rowid = (SELECT min(rowid) FROM task_support)"],
     "[row] task support "),
    ("a link's weight changed",
     ["UPDATE task_criterion SET weight = 5 WHERE rowid = (SELECT min(rowid) FROM task_criterion)"],
     "[row] task criterion "),
    ("a link added",
     ["INSERT INTO task_criterion SELECT t.id, c.id, 1.0 FROM task t, criterion c "
      "WHERE t.code = 'T02' AND c.method = 'tasks' AND c.id NOT IN "
      "(SELECT criterion_id FROM task_criterion WHERE task_id = t.id) LIMIT 1"],
     "[row] task criterion T02/"),
    ("a link removed",
     ["DELETE FROM task_criterion WHERE rowid = (SELECT max(rowid) FROM task_criterion)"],
     "[row] task criterion "),
    # Evidence
    ("evidence inserted already accepted",
     ["INSERT INTO evidence (plan_id, task_id, kind, title, doc_number, issuer, filename, url, "
      "note, submitted_by, submitted_at, submitted_on, state, reviewed_by, reviewed_at, "
      "reviewed_on, reason, version) SELECT 1, id, 'document', '', '99/QĐ-SGDĐT', '', '', '', "
      f"'', 'vp', {NOW}, '2022-05-01', 'accepted', 'coordinator', {NOW}, '2022-05-01', '', 1 "
      "FROM task WHERE code = 'T02'"], "[row] evidence T02 (id"),
    ("evidence accepted behind the reviewer's back",
     ["UPDATE evidence SET state = 'accepted', reviewed_by = 'coordinator', "
      "reviewed_on = '2022-05-09' WHERE id = (SELECT min(id) FROM evidence "
      "WHERE state = 'submitted')"], "[row] evidence "),
    ("evidence deleted", ["DELETE FROM evidence WHERE id = (SELECT max(id) FROM evidence)"],
     "[row] evidence "),
    # Readings, confirmations, manual entries
    ("a reading inserted (secured points rise)",
     ["INSERT INTO reading (indicator_id, \"on\", value, numerator, denominator, source, "
      f"recorded_by, recorded_at) SELECT id, '2022-05-08', 100, 247, 247, '', 'coordinator', {NOW} "
      "FROM indicator WHERE code = 'ontime_rate'"], "[row] reading "),
    ("a reading's value changed",
     ["UPDATE reading SET value = 100, numerator = denominator WHERE id = "
      "(SELECT max(id) FROM reading)"], "[row] reading "),
    ("a reading deleted", ["DELETE FROM reading WHERE id = (SELECT max(id) FROM reading)"],
     "[row] reading "),
    ("a confirmation inserted",
     [f"INSERT INTO confirmation (criterion_id, outcome, \"on\", note, by, at) SELECT id, 'yes', "
      f"'2022-05-01', '', 'coordinator', {NOW} FROM criterion WHERE code = '1.1.3'"],
     "[row] confirmation criterion 1.1.3"),
    ("a confirmation's outcome changed",
     ["UPDATE confirmation SET outcome = 'some' WHERE id = (SELECT max(id) FROM confirmation)"],
     "[row] confirmation "),
    ("a manual entry inserted",
     ["INSERT INTO manual_entry (criterion_id, points, percent, \"on\", note, by, at) SELECT id, "
      f"max_points, 100, '2022-05-01', '', 'coordinator', {NOW} FROM criterion "
      "WHERE code = '8.2'"], "[row] manual entry criterion 8.2"),
    ("a manual entry's points changed", ["UPDATE manual_entry SET points = points * 2"],
     "[row] manual entry criterion 8.1"),
    # The index: criteria, indicators, the plan
    ("a criterion's maximum changed", ["UPDATE criterion SET max_points = 10 WHERE code = '3.3.1'"],
     "[row] criterion 3.3.1 (id"),
    ("a criterion's parameters changed",
     ["UPDATE criterion SET params = '{\"bands\": [[0.0, 3.0]]}' WHERE code = '3.3.1'"],
     "[row] criterion 3.3.1 (id"),
    ("a criterion's method changed", ["UPDATE criterion SET method = 'manual' WHERE code = '1.5'"],
     "[row] criterion 1.5 (id"),
    ("a criterion inserted",
     ["INSERT INTO criterion (plan_id, code, title, title_en, max_points, method, params, "
      "position) VALUES (1, '9.9', 'Tiêu chí ma', '', 5, 'manual', '{}', 99)"],
     "[row] criterion 9.9 (id"),
    ("an indicator's target changed",
     ["UPDATE indicator SET target = 1 WHERE code = 'ontime_rate'"],
     "[row] indicator ontime_rate (id"),
    ("the plan's baseline changed", ["UPDATE plan SET baseline_score = 55"], "[row] plan 2022 (id"),
    ("the plan's target changed", ["UPDATE plan SET target_score = 56"], "[row] plan 2022 (id"),
    ("the plan's closing date moved", ["UPDATE plan SET ends_on = '2023-06-30'"],
     "[row] plan 2022 (id"),
    ("an office's head changed", ["UPDATE office SET head_name = 'Ai đó' WHERE code = 'VP'"],
     "[row] office VP"),
    ("an office inserted",
     ["INSERT INTO office (code, name, aliases, head_name, head_title, email, position, version) "
      "VALUES ('MA', 'Phòng ma', '', '', '', '', 99, 1)"], "[row] office MA (id"),
    # The pinned "today"
    ("the pinned today moved",
     ["UPDATE meta SET value = '2022-12-31' WHERE key = 'pinned_today'"],
     "[row] meta pinned_today"),
    ("the pinned today removed", ["DELETE FROM meta WHERE key = 'pinned_today'"],
     "[row] meta pinned_today"),
    # The change log itself
    ("the last change-log entry deleted",
     ["DELETE FROM change_log WHERE id = (SELECT max(id) FROM change_log)"],
     "shorter than the anchor's entry"),
    ("an actor rewritten, the chain recomputed",
     ["UPDATE change_log SET actor = 'tccb' WHERE action = 'evidence.add'", "RECHAIN"],
     "the log was rewritten"),
    ("an entry forged, the chain recomputed",
     ["UPDATE change_log SET after = replace(after, '\"role\": \"viewer\"', "
      "'\"role\": \"coordinator\"') WHERE action = 'user.add' AND label = 'director'", "RECHAIN"],
     "the log was rewritten"),
    ("an entry deleted, the chain recomputed",
     ["DELETE FROM change_log WHERE action = 'evidence.accepted'", "RECHAIN"],
     "the log was rewritten"),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample plan after a week of work through planner: every kind of row written."""
    home = tmp_path_factory.mktemp("template-home")
    path = tmp_path_factory.mktemp("template") / "planner.db"
    with pytest.MonkeyPatch.context() as mp, as_person("coordinator"):
        mp.setenv("XDG_DATA_HOME", str(home))
        mp.delenv("PLANNER_USER", raising=False)
        cli = Cli(str(path), CliRunner())
        steps: list[tuple[tuple[str, ...], str | None]] = [
            (("seed", "load", str(SEED)), None),
            (("users", "add", "vp", "--role", "office_member", "--office", "VP"), None),
            (("users", "add", "director", "--role", "viewer"), None),
            (("task", "done", "T03", "--on", "09/05/2022"), "vp"),
            (("evidence", "add", "T03", "--doc", "150/QĐ-SGDĐT"), "vp"),
            (("evidence", "add", "T03", "--doc", "151/QĐ-SGDĐT"), "vp"),
            (("evidence", "accept", "LAST"), None),
            (("reading", "add", "ontime_rate", "240/247", "--date", "30/04/2022"), None),
            (("criterion", "confirm", "5.5", "none"), None),
            (("criterion", "enter", "8.1", "80%"), None),
        ]
        for args, user in steps:
            if args[-1] == "LAST":
                last = sqlite3.connect(path).execute("SELECT min(id) FROM evidence "
                                                     "WHERE doc_number = '150/QĐ-SGDĐT'").fetchone()
                args = (*args[:-1], str(last[0]))
            result = cli(*args, user=user)
            assert result.exit_code == 0, (args, result.output)
        from datetime import date

        from planner.services.session import pin_today
        from planner.store.db import Database

        db = Database(str(path))
        pin_today(db, date(2022, 5, 9), actor="coordinator")
        db.dispose()
    yield path


@pytest.fixture
def worked(template: Path, tmp_path: Path) -> Cli:
    """A copy of the template, written once more through planner here (so this person's data
    directory keeps an anchor of its log), and checked clean."""
    path = tmp_path / "planner.db"
    shutil.copyfile(template, path)
    cli = Cli(str(path), CliRunner())
    assert cli("task", "start", "T05", "--on", "09/05/2022").exit_code == 0
    clean = cli("check")
    assert clean.exit_code == 0, clean.output
    assert "No problems found" in clean.stdout
    return cli


@pytest.mark.parametrize("edit", EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_made_outside_planner_is_named_by_check(worked: Cli,
                                                        edit: tuple[str, list[str], str]) -> None:
    _name, statements, named = edit
    conn = sqlite3.connect(worked.db)
    try:
        with conn:
            changed = sum(conn.execute(statement).rowcount for statement in statements
                          if statement != "RECHAIN")
            assert changed > 0, statements  # the edit really changed something
    finally:
        conn.close()
    if "RECHAIN" in statements:
        rechain(worked.db)
    result = worked("check")
    assert result.exit_code == 1, result.output
    assert named in result.stdout, result.stdout
    assert "problems found" in result.stderr


def test_the_experiment_has_every_edit_of_the_issue() -> None:
    assert len(EDITS) >= 43
