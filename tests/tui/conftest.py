"""Fixtures of the TUI tests: a copy of the sample plan per test, as of 09/05/2022."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from planner.services.context import Context

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seed" / "plan-2022.toml"
AS_OF = date(2022, 5, 9)
SIZE = (120, 40)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample plan loaded once; each test gets its own copy."""
    from planner.io.seedfile import load_seed_file
    from planner.services.context import Context
    from planner.services.plan_load import load_seed
    from planner.services.session import open_database
    from planner.services.users import ensure_first_coordinator, save_user

    path = tmp_path_factory.mktemp("tui-seed") / "sample.db"
    db, _pinned = open_database(str(path))
    load_seed(db, load_seed_file(SEED), actor="coordinator")
    coordinator = Context(db=db, actor="coordinator", today=AS_OF)
    ensure_first_coordinator(coordinator)
    # Division coordinators, who submit evidence for the reform coordinator to review.
    for login, office in (("vp", "VP"), ("tccb", "TCCB"), ("khtc", "KHTC")):
        save_user(coordinator, login, role="office_member", office=office, create=True)
    db.dispose()
    return path


@pytest.fixture
def ctx(db_path: Path, seeded_template: Path, make_context: Callable[..., Context]) -> Context:
    source = sqlite3.connect(seeded_template)
    target = sqlite3.connect(db_path)
    with target:
        source.backup(target)
    source.close()
    target.close()
    return make_context(today=AS_OF)
