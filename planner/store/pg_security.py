"""What each role may do, enforced by PostgreSQL itself: group roles, GRANTs, row-level security.

planner checks permissions in its services, but someone who connects with `psql` bypasses
planner. On a server the same rules are therefore also the database's: each database gets
three group roles (`<database>_viewer`, `<database>_office_member`, `<database>_coordinator`),
and every person's login role is a member of exactly one.

- a viewer reads;
- an office member changes only the tasks (and their occurrences, status events, supporting
  offices and criteria links) of tasks their office leads or supports, adds evidence to them
  as themselves, and may withdraw (only) their own evidence waiting for review; it cannot
  touch a task's lead office or an evidence's review reason (column-level grants), accept or
  reject evidence, nor change another office's rows (row-level security);
- a coordinator changes everything and reviews evidence;
- the change log is insert-only for everyone but the database's owner.

Login roles are created, re-grouped and disabled through `SECURITY DEFINER` functions owned
by the database's owner (who needs CREATEROLE), which only coordinators may execute: so a
coordinator needs no CREATEROLE of their own (in PostgreSQL 15 that is close to superuser).
The owner applies all this (idempotently) whenever they open the database.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

#: Bump when the script below changes: the owner's next connection applies it again.
VERSION = 4  # 3: grants again for the tables added since (reminder_sent); 4: ranking_entry
GROUPS = ("viewer", "office_member", "coordinator")

#: Columns of `task` an office member may update (not the lead office, plan, code, position).
MEMBER_TASK_COLUMNS = ("title", "title_folded", "description", "product", "start_on", "due_on",
                       "deadline_text", "continuous", "recurrence", "status", "progress",
                       "done_on", "version")
#: Tables whose rows belong to a task (row-level security by the task's offices).
TASK_ROWS = ("task_support", "task_criterion", "occurrence", "status_event")


def group_name(database: str, role: str) -> str:
    return f"{database}_{role}"


def current_version(conn: Connection) -> int:
    found = conn.execute(text("SELECT to_regproc('planner_security_version')")).scalar()
    if found is None:
        return 0
    return int(conn.execute(text("SELECT planner_security_version()")).scalar() or 0)


def is_owner(conn: Connection) -> bool:
    return bool(conn.execute(text(
        "SELECT pg_get_userbyid(d.datdba) = session_user FROM pg_database d "
        "WHERE d.datname = current_database()")).scalar())


def ensure(conn: Connection) -> bool:
    """Apply the roles, grants and policies if this session's role owns the database and they
    are missing or older; True when applied."""
    if not is_owner(conn) or current_version(conn) >= VERSION:
        return False
    database = str(conn.execute(text("SELECT current_database()")).scalar())
    for statement in script(database):
        conn.execute(text(statement))
    return True


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def script(database: str) -> list[str]:
    viewer, member, coordinator = (_q(group_name(database, g)) for g in GROUPS)
    groups = f"{viewer}, {member}, {coordinator}"
    lit = {g: "'" + group_name(database, g).replace("'", "''") + "'" for g in GROUPS}
    out: list[str] = []
    for g in GROUPS:
        out.append(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
            f"{lit[g]}) THEN CREATE ROLE {_q(group_name(database, g))} NOLOGIN; END IF; END $$")
    out += [
        f"REVOKE ALL ON DATABASE {_q(database)} FROM PUBLIC",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {_q(database)} TO {groups}",
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {groups}",
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {groups}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {member}, {coordinator}",
        # Coordinators: everything but rewriting the log.
        f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {coordinator}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON change_log, alembic_version FROM {coordinator}",
        f"REVOKE INSERT ON alembic_version FROM {coordinator}",
        # Office members: their offices' tasks, their own evidence, the log's next entry.
        f"GRANT INSERT ON task, task_support, task_criterion, occurrence, status_event, "
        f"evidence, blob, change_log TO {member}",
        f"GRANT UPDATE ({', '.join(MEMBER_TASK_COLUMNS)}) ON task TO {member}",
        f"GRANT UPDATE (status, progress, done_on, version) ON occurrence TO {member}",
        f"GRANT DELETE ON task_support, task_criterion, occurrence TO {member}",
        # Withdrawing one's own evidence dates the withdrawal (scoring reads it); accepting,
        # rejecting and the reason stay out of reach (policy below, no grant on `reason`).
        f"GRANT UPDATE (state, version, reviewed_by, reviewed_at, reviewed_on) ON evidence "
        f"TO {member}",
        # Who is this session, to the policies (owner's rights: no policy recursion).
        """CREATE OR REPLACE FUNCTION planner_my_login() RETURNS text LANGUAGE sql STABLE
           SECURITY DEFINER SET search_path = public, pg_temp AS
           $$ SELECT login FROM "user" WHERE db_role = session_user $$""",
        """CREATE OR REPLACE FUNCTION planner_my_office() RETURNS integer LANGUAGE sql STABLE
           SECURITY DEFINER SET search_path = public, pg_temp AS
           $$ SELECT office_id FROM "user" WHERE db_role = session_user $$""",
        """CREATE OR REPLACE FUNCTION planner_my_task(t integer) RETURNS boolean LANGUAGE sql
           STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
           $$ SELECT EXISTS (SELECT 1 FROM task WHERE id = t AND lead_office_id = planner_my_office())
                  OR EXISTS (SELECT 1 FROM task_support WHERE task_id = t
                             AND office_id = planner_my_office()) $$""",
        "REVOKE ALL ON FUNCTION planner_my_login(), planner_my_office(), planner_my_task(integer) "
        "FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION planner_my_login(), planner_my_office(), "
        f"planner_my_task(integer) TO {groups}",
    ]
    # Row-level security: everyone reads; coordinators write all; members their tasks' rows.
    for table in ("task", *TASK_ROWS, "evidence"):
        out += [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
                f"DROP POLICY IF EXISTS planner_read ON {table}",
                f"CREATE POLICY planner_read ON {table} FOR SELECT TO {groups} USING (true)",
                f"DROP POLICY IF EXISTS planner_coordinator ON {table}",
                f"CREATE POLICY planner_coordinator ON {table} FOR ALL TO {coordinator} "
                "USING (true) WITH CHECK (true)"]
        for kind in ("insert", "update", "delete"):
            out.append(f"DROP POLICY IF EXISTS planner_member_{kind} ON {table}")
    out += [
        f"CREATE POLICY planner_member_insert ON task FOR INSERT TO {member} "
        "WITH CHECK (lead_office_id = planner_my_office())",
        f"CREATE POLICY planner_member_update ON task FOR UPDATE TO {member} "
        "USING (planner_my_task(id)) WITH CHECK (planner_my_task(id))",
    ]
    for table in TASK_ROWS:
        check = "planner_my_task(task_id)"
        if table == "status_event":
            check += " AND by = planner_my_login()"
        out.append(f"CREATE POLICY planner_member_insert ON {table} FOR INSERT TO {member} "
                   f"WITH CHECK ({check})")
        if table != "status_event":
            out.append(f"CREATE POLICY planner_member_delete ON {table} FOR DELETE TO {member} "
                       "USING (planner_my_task(task_id))")
    out += [
        f"CREATE POLICY planner_member_update ON occurrence FOR UPDATE TO {member} "
        "USING (planner_my_task(task_id)) WITH CHECK (planner_my_task(task_id))",
        f"CREATE POLICY planner_member_insert ON evidence FOR INSERT TO {member} WITH CHECK ("
        "task_id IS NOT NULL AND planner_my_task(task_id) AND submitted_by = planner_my_login() "
        "AND state = 'submitted' AND reviewed_by = '' AND reviewed_on IS NULL)",
        f"CREATE POLICY planner_member_update ON evidence FOR UPDATE TO {member} "
        "USING (submitted_by = planner_my_login() AND state = 'submitted') "
        "WITH CHECK (state = 'withdrawn' AND reviewed_by = planner_my_login())",
    ]
    # Managing login roles: owner's functions, for coordinators only.
    check_caller = (
        f"IF NOT (pg_has_role(session_user, {lit['coordinator']}, 'MEMBER') OR "
        "session_user = (SELECT pg_get_userbyid(datdba) FROM pg_database "
        "WHERE datname = current_database())) THEN RAISE EXCEPTION "
        "'only a coordinator manages login roles' USING ERRCODE = '42501'; END IF;")
    group_of = (
        f"grp := CASE kind WHEN 'viewer' THEN {lit['viewer']} WHEN 'office_member' THEN "
        f"{lit['office_member']} WHEN 'coordinator' THEN {lit['coordinator']} END; "
        "IF grp IS NULL THEN RAISE EXCEPTION 'unknown role %', kind USING ERRCODE = '22023'; "
        "END IF;")
    revoke_all = " ".join(
        f"EXECUTE format('REVOKE %I FROM %I', {lit[g]}, name);" for g in GROUPS)
    out += [
        f"""CREATE OR REPLACE FUNCTION planner_create_login(name text, password text, kind text)
           RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
           $$ DECLARE grp text; BEGIN {check_caller} {group_of}
              IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN
                RAISE EXCEPTION 'role % already exists', name USING ERRCODE = '42710'; END IF;
              EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS '
                             'NOCREATEDB NOCREATEROLE INHERIT', name, password);
              EXECUTE format('GRANT %I TO %I', grp, name); END $$""",
        f"""CREATE OR REPLACE FUNCTION planner_set_group(name text, kind text)
           RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
           $$ DECLARE grp text; r record; BEGIN {check_caller} {group_of}
              SELECT * INTO r FROM pg_roles WHERE rolname = name;
              IF NOT FOUND THEN
                RAISE EXCEPTION 'role % does not exist', name USING ERRCODE = '42704'; END IF;
              IF r.rolsuper OR r.rolbypassrls THEN
                RAISE EXCEPTION 'role % bypasses row-level security: it cannot be a planner '
                'user', name USING ERRCODE = '22023'; END IF;
              {revoke_all}
              EXECUTE format('GRANT %I TO %I', grp, name); END $$""",
        f"""CREATE OR REPLACE FUNCTION planner_disable_login(name text)
           RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
           $$ BEGIN {check_caller}
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN RETURN; END IF;
              {revoke_all}
              EXECUTE format('ALTER ROLE %I NOLOGIN', name); END $$""",
        "REVOKE ALL ON FUNCTION planner_create_login(text, text, text), "
        "planner_set_group(text, text), planner_disable_login(text) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION planner_create_login(text, text, text), "
        f"planner_set_group(text, text), planner_disable_login(text) TO {coordinator}",
        f"""CREATE OR REPLACE FUNCTION planner_security_version() RETURNS integer
           LANGUAGE sql IMMUTABLE AS $$ SELECT {VERSION} $$""",
    ]
    return out
