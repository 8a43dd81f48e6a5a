"""Every test runs with a temporary home and data directory, and its own database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planner.i18n import set_language

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed" / "plan-2022.toml"
DEMO_AS_OF = date(2022, 5, 9)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    for var in ("PLANNER_DB", "PLANNER_CONFIG", "PLANNER_LANG", "PLANNER_USER", "LANGUAGE", "LC_ALL",
                "LC_MESSAGES", "COLUMNS", "LINES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    set_language("en")
    # The person at the keyboard: the test process runs as root in CI, so every test is
    # "coordinator" unless it says otherwise (`cli(..., user=...)`, `as_person`). This is the
    # one seam through which identity is injected; it is not reachable from outside the process.
    from planner.services import identity

    with identity.injected(TEST_PERSON):
        yield home
    set_language("en")


TEST_PERSON = "coordinator"


@contextmanager
def as_person(login: str | None) -> Iterator[None]:
    """Run the block as the person `login` (their operating-system account, in effect)."""
    from planner.services import identity

    with identity.injected(login or TEST_PERSON):
        yield


PG_URL_VAR = "PLANNER_TEST_PG_URL"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "planner.db"


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the configured server; dropped afterwards."""
    admin_url = os.environ.get(PG_URL_VAR)
    if not admin_url:
        pytest.skip(f"no PostgreSQL server configured: set {PG_URL_VAR} (.ci/run starts one)")
    from sqlalchemy import create_engine, make_url

    name = "t_" + uuid.uuid4().hex[:16]
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            # Roles are cluster-wide: drop the database's group roles and the login roles a
            # test made (all named after the database).
            for (role,) in conn.exec_driver_sql(
                    "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %(p)s)",
                    {"p": name + "_"}).all():
                conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, db_path: Path) -> Iterator[str]:
    """The database every store, service and CLI test runs against, on both engines."""
    if request.param == "sqlite":
        yield str(db_path)
    else:
        with postgres_database() as url:
            yield url


@dataclass
class Cli:
    db: str
    runner: CliRunner

    def __call__(self, *args: str, input: str | None = None, user: str | None = None,
                 env: dict[str, str] | None = None) -> Result:
        """Run `planner --db DB ARGS` as the person `user` (default: the coordinator)."""
        from planner.cli import cli

        with as_person(user):
            return self.runner.invoke(cli, ["--db", self.db, *args], input=input, env=env or {},
                                      catch_exceptions=False)


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url, CliRunner())


@pytest.fixture
def seeded(cli: Cli) -> Cli:
    """A database holding the sample plan, "today" pinned to 09/05/2022."""
    result = cli("seed", "load", str(SEED))
    assert result.exit_code == 0, result.output
    from planner.services.session import pin_today
    from planner.store.db import Database

    # As in `planner demo`, "today" is the sample's date, so the 2022 plan is not all overdue.
    db = Database(cli.db)
    pin_today(db, DEMO_AS_OF, actor=TEST_PERSON)
    db.dispose()
    # Division coordinators who submit evidence for the reform coordinator to review.
    for login, office in (("vp", "VP"), ("tccb", "TCCB"), ("ttr", "TTr")):
        added = cli("users", "add", login, "--role", "office_member", "--office", office)
        assert added.exit_code == 0, added.output
    assert cli("users", "add", "director", "--role", "viewer").exit_code == 0
    return cli


@pytest.fixture
def make_context(db_path: Path) -> Callable[..., object]:
    from planner.services.context import Context
    from planner.services.session import open_database

    def factory(today: date = DEMO_AS_OF, actor: str = "coordinator") -> Context:
        db, _pinned = open_database(str(db_path))
        return Context(db=db, actor=actor, today=today)

    return factory
