"""Workbooks as departments write them, and databases holding only the offices."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

sys.path.insert(0, str(Path(__file__).parent))  # the io_workbooks helper beside this file

from io_workbooks import build_plan_workbook

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seed" / "plan-2022.toml"


@pytest.fixture
def plan_workbook(tmp_path: Path) -> Path:
    return build_plan_workbook(tmp_path / "ke-hoach-cchc-2022.xlsx")


def context_for(url: str) -> Any:
    from planner.services.context import Context
    from planner.services.session import open_database

    db, _pinned = open_database(url)
    return Context(db=db, actor="coordinator", today=date(2022, 5, 9))


@pytest.fixture
def engine(cli) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A plain engine on the test database (either engine), for raw SQL behind planner's back."""
    from planner.store.engine import database_url

    eng = create_engine(database_url(cli.db), poolclass=NullPool)
    yield eng
    eng.dispose()


TABLES = ("plan", "office", "task", "task_support", "task_criterion", "occurrence", "change_log")


@pytest.fixture
def counts(engine: Engine) -> Callable[[], dict[str, int]]:
    def count() -> dict[str, int]:
        with engine.connect() as conn:
            return {t: conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar() or 0
                    for t in TABLES}

    return count


@pytest.fixture
def offices_only(cli):  # type: ignore[no-untyped-def]
    """A database holding the sample's offices (each added through the service) and no plan."""
    from planner.io.seedfile import load_seed_file
    from planner.services.offices import save_office

    ctx = context_for(cli.db)
    for o in load_seed_file(SEED).offices:
        save_office(ctx, o.code, name=o.name, aliases=list(o.aliases), head_name=o.head_name,
                    head_title=o.head_title, email=o.email, create=True)
    ctx.db.dispose()
    return cli


def load_bare_seed(url: str) -> None:
    """The sample plan's offices, plan and criteria, without tasks (and what refers to them)."""
    from dataclasses import replace

    from planner.io.seedfile import load_seed_file
    from planner.services.plan_load import load_seed

    seed = load_seed_file(SEED)
    bare = replace(seed, tasks=(), events=(),
                   evidence=tuple(e for e in seed.evidence if e.task is None))
    ctx = context_for(url)
    load_seed(ctx.db, bare, actor="coordinator")
    ctx.db.dispose()


@pytest.fixture
def criteria_only(cli):  # type: ignore[no-untyped-def]
    load_bare_seed(cli.db)
    return cli
