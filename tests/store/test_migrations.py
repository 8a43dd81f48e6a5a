"""Schema migrations: an old database upgrades; a current one does not import Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect, text

from planner.store import migrate
from planner.store.db import Database


def test_head_revision_matches_the_newest_migration_file() -> None:
    from planner.io.backup import known_revisions

    assert known_revisions()[-1] == migrate.HEAD_REVISION


def test_criteria_and_tasks_of_an_older_database_gain_guidance_applicability_and_section(
    tmp_path: Path,
) -> None:
    """0006_import15: rows written before it read as applicable, with no guidance or section."""
    db = Database(str(tmp_path / "old.db"))
    migrate.upgrade(db, "0002")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO office (id, code, name, aliases, head_name, head_title, email, position, "
            "version) VALUES (1, 'VP', 'Văn phòng', '', '', '', '', 1, 1)"))
        conn.execute(text(
            "INSERT INTO plan (id, year, title, number, agency, parent_agency, place, index_name, "
            "starts_on, ends_on, survey_fields) VALUES (1, 2022, 'KH', '', '', '', '', '', "
            "'2022-01-01', '2022-12-31', '8')"))
        conn.execute(text(
            "INSERT INTO criterion (id, plan_id, code, title, title_en, max_points, method, "
            "params, position) VALUES (1, 1, '1', 'Chỉ đạo', '', 7, 'sum', '{}', 1)"))
        conn.execute(text(
            "INSERT INTO task (id, plan_id, code, title, title_folded, description, product, "
            "lead_office_id, deadline_text, continuous, status, progress, position, version) "
            "VALUES (1, 1, 'T01', 'Kế hoạch', 'ke hoach', '', '', 1, '', 0, 'not_started', 0, 1, 1)"))
    migrate.ensure_current(db)
    with db.engine.connect() as conn:
        crit = conn.execute(text("SELECT guidance, applicable FROM criterion")).one()
        section = conn.execute(text("SELECT section FROM task")).scalar_one()
    assert (crit[0], bool(crit[1]), section) == ("", True, "")
    from planner.services.integrity import check_database

    report = check_database(db)  # the upgrade's baselines name the rows as they now are
    assert report.problems == [], [str(p) for p in report.problems]
    db.dispose()


def test_a_database_at_the_first_revision_upgrades(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "old.db"))
    migrate.upgrade(db, "0001")
    assert migrate.current_revision(db) == "0001"
    with db.engine.begin() as conn:
        assert not inspect(conn).has_table("user")
        conn.execute(text(
            "INSERT INTO office (code, name, aliases, head_name, head_title, email, position, version) "
            "VALUES ('VP', 'Văn phòng', '', '', '', '', 1, 1)"))
    assert migrate.ensure_current(db) is True
    assert migrate.current_revision(db) == migrate.HEAD_REVISION
    with db.engine.connect() as conn:
        assert inspect(conn).has_table("user")
        assert conn.execute(text("SELECT name FROM office")).scalar_one() == "Văn phòng"
        columns = {c["name"] for c in inspect(conn).get_columns("change_log")}
        assert {"prev_hash", "hash"} <= columns
    # The old file was copied before migrating, with the online backup API.
    assert list(tmp_path.glob("old.db.before-head.bak"))


def test_migrations_run_on_the_configured_engine(db_url: str) -> None:
    """On SQLite and on PostgreSQL: first revision, then upgrade to the head."""
    db = Database(db_url)
    migrate.upgrade(db, "0001")
    assert migrate.current_revision(db) == "0001"
    migrate.ensure_current(db)
    assert migrate.current_revision(db) == migrate.HEAD_REVISION
    with db.engine.connect() as conn:
        assert inspect(conn).has_table("user")
    db.dispose()


def test_cli_db_commands(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from planner.cli import cli

    path = str(tmp_path / "x.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", path, "init"]).exit_code == 0
    current = runner.invoke(cli, ["--db", path, "db", "current"])
    assert current.stdout.strip() == migrate.HEAD_REVISION
    upgraded = runner.invoke(cli, ["--db", path, "db", "upgrade"])
    assert "Already at revision" in upgraded.stderr


def test_current_schema_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "cur.db"
    migrate.ensure_current(Database(str(path)))
    code = (
        "import sys\n"
        "from planner.services.session import open_database\n"
        f"open_database({str(path)!r})\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_sqlite_connections_are_configured(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "p.db"))
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_a_plan_of_revision_0002_gets_no_closing_date(tmp_path: Path) -> None:
    """Plans made before the closing date existed close when they end, as they always did."""
    db = Database(str(tmp_path / "r2.db"))
    migrate.upgrade(db, "0002")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO plan (year, title, number, agency, parent_agency, place, index_name, "
            "starts_on, ends_on, survey_fields) VALUES (2022, 'KH', '', '', '', '', '', "
            "'2022-01-01', '2022-12-31', '8')"))
    migrate.ensure_current(db)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT closes_on FROM plan")).scalar_one() is None


def test_an_upgrade_to_0004_logs_every_row_it_finds(db_url: str) -> None:
    """A database made by the previous planner (revision 0002 or 0003) has rows no entry names: the
    upgrade logs one baseline entry naming them, chained to the log, and `planner check` then
    finds the database clean, and still finds a row changed afterwards."""
    from planner.services.integrity import check_database

    db = Database(db_url)
    migrate.upgrade(db, "0002")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO office (code, name, aliases, head_name, head_title, email, position, "
            "version) VALUES ('VP', 'Văn phòng', '', '', '', '', 1, 1)"))
        conn.execute(text('INSERT INTO "user" (login, name, role) VALUES (\'lan\', \'Lan\', '
                          "'coordinator')"))
    migrate.ensure_current(db)
    with db.engine.connect() as conn:
        entry = conn.execute(text(
            "SELECT actor, action, rows FROM change_log ORDER BY id DESC LIMIT 1")).one()
    assert entry.action == "log.baseline"
    import json

    assert set(json.loads(entry.rows)) == {"office", "user"}
    report = check_database(db)
    assert report.problems == [], [str(p) for p in report.problems]
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE \"user\" SET role = 'viewer' WHERE login = 'lan'"))
    problems = [str(p) for p in check_database(db).problems]
    assert any(p.startswith("[row] user lan") for p in problems), problems
    db.dispose()


def test_reviewed_evidence_becomes_one_review_event(db_url: str) -> None:
    """0005_undo: an accepted or rejected row of an old database is one dated review event,
    so the score as of any date is what it was; readings get version 1."""
    db = Database(db_url)
    migrate.upgrade(db, "0002")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO plan (year, title, number, agency, parent_agency, place, index_name, "
            "starts_on, ends_on, survey_fields) "
            "VALUES (2022, 'P', '', '', '', '', '', '2022-01-01', '2022-12-31', '8')"))
        conn.execute(text(
            "INSERT INTO indicator (plan_id, code, name, unit, direction) "
            "VALUES (1, 'r', 'Rate', 'percent', 'higher')"))
        conn.execute(text(
            'INSERT INTO reading (indicator_id, "on", value, source, recorded_by, recorded_at) '
            "VALUES (1, '2022-03-31', 97.5, '', 'a', '2022-04-01 08:00:00+00:00')"))
        for ev_id, state, reviewed in ((1, "accepted", "'2022-05-02'"), (2, "rejected", "'2022-05-03'"),
                                       (3, "submitted", "NULL"), (4, "withdrawn", "'2022-05-04'")):
            conn.execute(text(
                "INSERT INTO evidence (id, plan_id, kind, title, doc_number, issuer, filename, url, "
                "note, submitted_by, submitted_at, submitted_on, state, reviewed_by, reviewed_at, "
                "reviewed_on, reason, version) VALUES "
                f"({ev_id}, 1, 'note', '', '', '', '', '', 'n', 'vp', '2022-05-01 08:00:00+00:00', "
                f"'2022-05-01', '{state}', 'boss', NULL, {reviewed}, "
                f"'{'unsigned' if state == 'rejected' else ''}', 1)"))
    migrate.ensure_current(db)
    with db.engine.connect() as conn:
        events = conn.execute(text(
            'SELECT evidence_id, state, "on", "by", reason FROM evidence_review ORDER BY evidence_id'
        )).all()
        versions = conn.execute(text("SELECT version FROM reading")).scalars().all()
    assert [(e, s, str(on), by, why) for e, s, on, by, why in events] == [
        (1, "accepted", "2022-05-02", "boss", ""), (2, "rejected", "2022-05-03", "boss", "unsigned")]
    assert versions == [1]
    db.dispose()


def test_tasks_of_revision_0003_get_no_effort_estimate(tmp_path: Path) -> None:
    """Tasks made before effort estimates existed have none: the ranking of the tasks that
    matter most uses their deadline alone."""
    db = Database(str(tmp_path / "r3.db"))
    migrate.upgrade(db, "0003")
    with db.engine.begin() as conn:
        assert "effort_days" not in {c["name"] for c in inspect(conn).get_columns("task")}
        conn.execute(text(
            "INSERT INTO plan (year, title, number, agency, parent_agency, place, index_name, "
            "starts_on, ends_on, survey_fields) VALUES (2022, 'KH', '', '', '', '', '', "
            "'2022-01-01', '2022-12-31', '8')"))
        conn.execute(text(
            "INSERT INTO office (code, name, aliases, head_name, head_title, email, position, version) "
            "VALUES ('VP', 'Văn phòng', '', '', '', '', 1, 1)"))
        conn.execute(text(
            "INSERT INTO task (plan_id, code, title, title_folded, description, product, "
            "lead_office_id, deadline_text, continuous, status, progress, position, version) "
            "VALUES (1, 'T01', 'Kế hoạch', 'ke hoach', '', '', 1, '', 0, 'not_started', 0, 1, 1)"))
    migrate.ensure_current(db)
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT code, effort_days FROM task")).one()
        assert tuple(row) == ("T01", None)
    from planner.services.integrity import check_database

    report = check_database(db)  # 0007's baseline names the tasks again, with the new column
    assert report.problems == [], [str(p) for p in report.problems]
    db.dispose()


def test_evidence_of_revision_0006_stays_valid_for_good(db_url: str) -> None:
    """0008_expiry16: evidence recorded before validity ends existed has none (it never
    expires), the record of reminders sent starts empty, and the upgrade's baseline names the
    evidence rows with their new column."""
    from planner.services.integrity import check_database

    db = Database(db_url)
    migrate.upgrade(db, "0006_import15")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO plan (year, title, number, agency, parent_agency, place, index_name, "
            "starts_on, ends_on, survey_fields) VALUES (2022, 'KH', '', '', '', '', '', "
            "'2022-01-01', '2022-12-31', '8')"))
        conn.execute(text(
            "INSERT INTO criterion (plan_id, code, title, title_en, max_points, method, params, "
            "position, guidance, applicable) "
            "VALUES (1, '1.1', 'Kế hoạch', '', 1, 'manual', '{}', 1, '', TRUE)"))
        conn.execute(text(
            "INSERT INTO evidence (plan_id, criterion_id, kind, title, doc_number, issuer, "
            "filename, url, note, submitted_by, submitted_at, submitted_on, state, reviewed_by, "
            "reason, version) VALUES (1, 1, 'note', '', '', '', '', '', 'n', 'a', "
            "'2022-03-01 00:00:00', '2022-03-01', 'accepted', 'b', '', 1)"))
        conn.execute(text(
            'INSERT INTO evidence_review (evidence_id, state, "on", at, "by", reason) '
            "VALUES (1, 'accepted', '2022-03-02', '2022-03-02 08:00:00+00:00', 'b', '')"))
    migrate.ensure_current(db)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT valid_until FROM evidence")).scalar_one() is None
        assert conn.execute(text("SELECT count(*) FROM reminder_sent")).scalar_one() == 0
    report = check_database(db)
    assert report.problems == [], [str(p) for p in report.problems]
    db.dispose()


def test_a_database_of_revision_0008_gains_an_empty_ranking_table(db_url: str) -> None:
    """0009_rank16: the table of the units' published ranking starts empty, and a unit is
    stored once per plan and year."""
    db = Database(db_url)
    migrate.upgrade(db, "0008_expiry16")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO plan (year, title, number, agency, parent_agency, place, index_name, "
            "starts_on, ends_on, survey_fields) VALUES (2022, 'KH', '', '', '', '', '', "
            "'2022-01-01', '2022-12-31', '8')"))
    migrate.ensure_current(db)
    assert migrate.current_revision(db) == "0009_rank16"
    with db.engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM ranking_entry")).scalar_one() == 0
        conn.execute(text(
            "INSERT INTO ranking_entry (plan_id, year, unit, unit_folded, score, rank, part, "
            "ours, position) VALUES (1, 2021, 'Sở Y tế', 'so y te', 41.62, 20, 'appraised', "
            "FALSE, 1)"))
        duplicate = conn.begin_nested()
        try:
            conn.execute(text(
                "INSERT INTO ranking_entry (plan_id, year, unit, unit_folded, score, rank, part, "
                "ours, position) VALUES (1, 2021, 'Sở Y Tế', 'so y te', 40, 20, 'appraised', "
                "FALSE, 2)"))
            raise AssertionError("a unit twice in a year's ranking must be refused")
        except Exception as exc:  # IntegrityError on either engine
            assert "unique" in str(exc).lower() or "duplicate" in str(exc).lower()
            duplicate.rollback()
        conn.execute(text("DELETE FROM ranking_entry"))
    db.dispose()
