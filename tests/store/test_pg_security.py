"""On PostgreSQL, who you are is the login role the server authenticated, and what you may do
is enforced by the database itself: every rule tried with raw SQL as each role, as someone
with `psql` would. Needs a server with password authentication over TCP (`.ci/run` starts
one); role names start with the test database's name, unique per test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from planner.services import identity
from tests.cli.helpers import fingerprint
from tests.conftest import SEED, postgres_database


@dataclass
class Server:
    url: str  # as the database's owner
    name: str  # the database, and the prefix of every role made here
    passwords: dict[str, str]

    def role(self, who: str) -> str:
        return f"{self.name}_{who}"

    def url_as(self, who: str, password: str | None = None) -> str:
        role = self.role(who)
        return make_url(self.url).set(username=role, password=password or self.passwords[role]) \
            .render_as_string(hide_password=False)

    def planner(self, *args: str, url: str | None = None) -> Result:
        from planner.cli import cli

        with identity.injected(None):  # the server says who this is
            return CliRunner().invoke(cli, ["--db", url or self.url, *args],
                                      catch_exceptions=False)

    def engine(self, who: str) -> Engine:
        return create_engine(self.url_as(who), isolation_level="AUTOCOMMIT")


def _password_auth(url: str) -> bool:
    """Whether the server asks for a password over TCP (a wrong one must be refused)."""
    wrong = make_url(url).set(password="certainly-not-the-password")
    engine = create_engine(wrong)
    try:
        with engine.connect():
            return False
    except DBAPIError:
        return True
    finally:
        engine.dispose()


@pytest.fixture
def server() -> Iterator[Server]:
    with postgres_database() as url:
        if not _password_auth(url):
            pytest.skip("the PostgreSQL server trusts TCP logins: start it as .ci/run does "
                        "(initdb --auth-host=scram-sha-256)")
        srv = Server(url, make_url(url).database or "", {})
        assert srv.planner("seed", "load", str(SEED)).exit_code == 0
        for who, role, office in (("coord", "coordinator", None), ("vp", "office_member", "VP"),
                                  ("tccb", "office_member", "TCCB"), ("reader", "viewer", None)):
            args = ["users", "add", srv.role(who), "--role", role, "--login"]
            if office:
                args += ["--office", office]
            added = srv.planner(*args)
            assert added.exit_code == 0, added.output
            srv.passwords[srv.role(who)] = added.stdout.strip().splitlines()[-1]
        yield srv


def run(srv: Server, who: str, sql: str, **params: object) -> int:
    engine = srv.engine(who)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).rowcount
    finally:
        engine.dispose()


def refused(srv: Server, who: str, sql: str, **params: object) -> str:
    with pytest.raises(DBAPIError) as caught:
        run(srv, who, sql, **params)
    return str(caught.value.orig)


def value(srv: Server, sql: str) -> object:
    engine = create_engine(srv.url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def test_login_roles_are_plain_members_of_one_group(server: Server) -> None:
    engine = create_engine(server.url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT r.rolname, r.rolsuper, r.rolbypassrls, r.rolcreaterole, "
            "array(SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "WHERE m.member = r.oid) AS groups FROM pg_roles r WHERE r.rolname = ANY(:names)"),
            {"names": list(server.passwords)}).all()
        owned = conn.execute(text("SELECT count(*) FROM pg_tables WHERE tableowner = ANY(:n)"),
                             {"n": list(server.passwords)}).scalar()
    engine.dispose()
    groups = {r.rolname: r.groups for r in rows}
    assert groups[server.role("coord")] == [server.role("coordinator")]
    assert groups[server.role("vp")] == [server.role("office_member")]
    assert groups[server.role("reader")] == [server.role("viewer")]
    assert not any(r.rolsuper or r.rolbypassrls or r.rolcreaterole for r in rows)
    assert owned == 0


def test_a_viewer_reads_only(server: Server) -> None:
    assert run(server, "reader", "SELECT * FROM task") > 0
    for sql in ("UPDATE task SET progress = 99 WHERE code = 'T03'",
                "INSERT INTO status_event (task_id, status, \"on\", at, by, note) "
                "SELECT id, 'done', now(), now(), 'x', '' FROM task WHERE code = 'T03'",
                "DELETE FROM evidence", "UPDATE \"user\" SET role = 'coordinator'",
                "INSERT INTO change_log (at, actor, real_actor, action, entity, entity_id, label, "
                "before, after, rows, prev_hash, hash) VALUES (now(), 'x', '', 'x', 'x', 'x', '', "
                "'', '', '', '', '')"):
        assert "permission denied" in refused(server, "reader", sql)


def test_an_office_member_changes_only_its_offices_tasks(server: Server) -> None:
    # VP leads T03 and supports T10: both may change; a task of other offices may not.
    assert run(server, "vp", "UPDATE task SET progress = 40 WHERE code = 'T03'") == 1
    assert run(server, "vp", "UPDATE task SET progress = 40 WHERE code = 'T10'") == 1
    other = value(server, "SELECT t.code FROM task t JOIN office o ON o.id = t.lead_office_id "
                          "WHERE o.code = 'TCCB' AND NOT EXISTS (SELECT 1 FROM task_support s "
                          "JOIN office v ON v.id = s.office_id WHERE s.task_id = t.id AND "
                          "v.code = 'VP') ORDER BY t.code LIMIT 1")
    before = value(server, f"SELECT progress FROM task WHERE code = '{other}'")
    assert run(server, "vp", f"UPDATE task SET progress = 77 WHERE code = '{other}'") == 0
    assert value(server, f"SELECT progress FROM task WHERE code = '{other}'") == before
    # Not the lead office (column grant), not deleting tasks, not another office's statuses.
    assert "permission denied" in refused(
        server, "vp", "UPDATE task SET lead_office_id = 2 WHERE code = 'T03'")
    assert "permission denied" in refused(server, "vp", "DELETE FROM task WHERE code = 'T03'")
    assert "row-level security" in refused(
        server, "vp", "INSERT INTO status_event (task_id, status, \"on\", at, by, note) "
        f"SELECT id, 'done', now(), now(), '{server.role('vp')}', '' FROM task "
        f"WHERE code = '{other}'")
    # A status event of its own task, in its own name only.
    assert run(server, "vp", "INSERT INTO status_event (task_id, status, \"on\", at, by, note) "
               f"SELECT id, 'done', now(), now(), '{server.role('vp')}', '' FROM task "
               "WHERE code = 'T03'") == 1
    assert "row-level security" in refused(
        server, "vp", "INSERT INTO status_event (task_id, status, \"on\", at, by, note) "
        "SELECT id, 'done', now(), now(), 'someone-else', '' FROM task WHERE code = 'T03'")


EVIDENCE = ("INSERT INTO evidence (plan_id, task_id, kind, title, doc_number, issuer, filename, "
            "url, note, submitted_by, submitted_at, submitted_on, state, reviewed_by, reason, "
            "version) SELECT plan_id, id, 'document', '', '7/QĐ-SGDĐT', '', '', '', '', "
            "'{who}', now(), current_date, '{state}', '{reviewer}', '', 1 FROM task "
            "WHERE code = 'T03'")


def test_evidence_is_added_by_members_and_reviewed_only_by_coordinators(server: Server) -> None:
    vp = server.role("vp")
    assert "row-level security" in refused(
        server, "vp", EVIDENCE.format(who=vp, state="accepted", reviewer=vp))
    assert "row-level security" in refused(
        server, "vp", EVIDENCE.format(who="someone-else", state="submitted", reviewer=""))
    assert run(server, "vp", EVIDENCE.format(who=vp, state="submitted", reviewer="")) == 1
    newest = "(SELECT max(id) FROM evidence)"
    assert "row-level security" in refused(
        server, "vp", f"UPDATE evidence SET state = 'accepted', reviewed_by = '{vp}' "
        f"WHERE id = {newest}")
    assert "permission denied" in refused(
        server, "vp", f"UPDATE evidence SET reason = 'tự duyệt' WHERE id = {newest}")
    assert "permission denied" in refused(server, "tccb", "DELETE FROM evidence")
    # Another office's member cannot touch it; the coordinator reviews it.
    assert run(server, "tccb", f"UPDATE evidence SET state = 'withdrawn', reviewed_by = "
               f"'{server.role('tccb')}' WHERE id = {newest}") == 0
    assert run(server, "coord", f"UPDATE evidence SET state = 'accepted', reviewed_by = "
               f"'{server.role('coord')}' WHERE id = {newest}") == 1
    # Its submitter may only withdraw evidence still waiting: this one is reviewed now.
    assert run(server, "vp", f"UPDATE evidence SET state = 'withdrawn', reviewed_by = '{vp}' "
               f"WHERE id = {newest}") == 0


def test_the_change_log_is_insert_only_but_for_the_owner(server: Server) -> None:
    for who in ("vp", "coord"):
        assert "permission denied" in refused(server, who, "UPDATE change_log SET actor = 'x'")
        assert "permission denied" in refused(server, who, "DELETE FROM change_log")
        assert "permission denied" in refused(server, who, "TRUNCATE change_log")
    last = value(server, "SELECT max(id) FROM change_log")
    engine = create_engine(server.url)
    with engine.begin() as conn:  # the owner can (and `planner check` would see it)
        assert conn.execute(text("DELETE FROM change_log WHERE id = :i"), {"i": last}).rowcount == 1
    engine.dispose()


def test_each_person_is_their_login_role_and_cannot_act_as_another(server: Server) -> None:
    started = server.planner("task", "start", "T03", url=server.url_as("vp"))
    assert started.exit_code == 0, started.output
    log = server.planner("log", "--limit", "1", "--format", "json")
    entry = json.loads(log.stdout)[-1]
    assert entry["actor"] == server.role("vp") and entry["real_actor"] == ""
    before = fingerprint(server.url)
    claimed = server.planner("--user", server.role("coord"), "task", "done", "T03",
                             url=server.url_as("vp"))
    assert claimed.exit_code == 4
    assert "on a database server you are who you log in as" in claimed.stderr
    assert fingerprint(server.url) == before


def test_a_coordinator_without_createrole_adds_and_removes_login_roles(server: Server) -> None:
    coord = server.url_as("coord")
    added = server.planner("users", "add", server.role("hai"), "--role", "office_member",
                           "--office", "TCCB", "--login", url=coord)
    assert added.exit_code == 0, added.output
    password = added.stdout.strip()
    hai = make_url(server.url).set(username=server.role("hai"), password=password) \
        .render_as_string(hide_password=False)
    assert server.planner("task", "start", "T10", url=hai).exit_code == 0
    # An office member cannot make logins, through planner or with the function itself.
    denied = server.planner("users", "add", server.role("x"), "--login", url=server.url_as("vp"))
    assert denied.exit_code == 4
    assert "permission denied" in refused(
        server, "vp", f"SELECT planner_create_login('{server.role('y')}', 'pw', 'coordinator')")
    # Removing the user disables the login role: the server refuses it, nothing is written.
    assert server.planner("users", "remove", server.role("hai"), url=coord).exit_code == 0
    before = fingerprint(server.url)
    result = server.planner("task", "start", "T10", url=hai)
    assert result.exit_code == 4, result.output
    assert "the login role is disabled" in result.stderr
    assert fingerprint(server.url) == before


def test_logins_the_server_refuses(server: Server) -> None:
    before = fingerprint(server.url)
    wrong = server.planner("task", "start", "T03", url=server.url_as("vp", "wrong-password"))
    assert wrong.exit_code == 4 and "wrong password" in wrong.stderr
    unknown = make_url(server.url).set(username=server.role("nobody"), password="x") \
        .render_as_string(hide_password=False)
    assert server.planner("tasks", url=unknown).exit_code == 4
    engine = create_engine(server.url)
    with engine.begin() as conn:
        conn.execute(text(f'ALTER ROLE "{server.role("tccb")}" VALID UNTIL \'2000-01-01\''))
    engine.dispose()
    expired = server.planner("task", "start", "T10", url=server.url_as("tccb"))
    assert expired.exit_code == 4 and "password has expired" in expired.stderr
    listed = json.loads(server.planner("users", "list", "--format", "json").stdout)
    states = {u["login"]: (u["can_log_in"], u["why_not"]) for u in listed}
    assert states[server.role("tccb")] == (False, "password expired")
    assert states[server.role("vp")] == (True, "")
    closed = make_url(server.url).set(port=1).render_as_string(hide_password=False)
    assert server.planner("tasks", url=closed).exit_code == 2
    assert fingerprint(server.url) == before


def test_only_the_owner_sets_up_an_empty_database(tmp_path: Path) -> None:
    with postgres_database() as url:
        name = make_url(url).database
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE ROLE "{name}_stranger" LOGIN PASSWORD \'pw\''))
            conn.execute(text(f'GRANT CONNECT ON DATABASE "{name}" TO "{name}_stranger"'))
        admin.dispose()
        stranger = make_url(url).set(username=f"{name}_stranger", password="pw") \
            .render_as_string(hide_password=False)
        from planner.cli import cli

        with identity.injected(None):
            result = CliRunner().invoke(cli, ["--db", stranger, "init"], catch_exceptions=False)
        assert result.exit_code == 2, result.output
        assert "you (role" in result.stderr and "are not its owner" in result.stderr


def test_an_existing_role_joins_the_group_of_its_users_role(server: Server) -> None:
    engine = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{server.role("tuan")}" LOGIN PASSWORD \'pw-tuan\''))
        conn.execute(text(f'CREATE ROLE "{server.role("boss")}" LOGIN SUPERUSER PASSWORD \'x\''))
    engine.dispose()
    coord = server.url_as("coord")
    added = server.planner("users", "add", server.role("tuan"), "--role", "viewer",
                           "--existing-role", server.role("tuan"), url=coord)
    assert added.exit_code == 0, added.output
    server.passwords[server.role("tuan")] = "pw-tuan"
    assert run(server, "tuan", "SELECT * FROM task") > 0
    assert "permission denied" in refused(server, "tuan", "UPDATE task SET progress = 1")
    # Made a coordinator through planner, the role moves to that group.
    assert server.planner("users", "set-role", server.role("tuan"), "coordinator",
                          url=coord).exit_code == 0
    assert run(server, "tuan", "UPDATE task SET progress = 1 WHERE code = 'T03'") == 1
    # A role that bypasses row-level security is refused, and no user is added.
    before = fingerprint(server.url)
    boss = server.planner("users", "add", server.role("boss"), "--role", "viewer",
                          "--existing-role", server.role("boss"), url=coord)
    assert boss.exit_code == 2 and "bypasses row-level security" in boss.stderr
    assert fingerprint(server.url) == before
