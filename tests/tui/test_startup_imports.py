"""The first screen shows the plan before SQLModel, pydantic and the ORM are imported (0.3 s of
every launch); they are imported in the background once it is up, for the first edit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from planner.services.context import Context

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import asyncio, sys
from datetime import date

from planner.services.context import Context
from planner.services.session import open_database
from planner.tui.app import build_app
from planner.tui.screens.dashboard import DashboardScreen
from planner.tui.store import PlanStore

warm = "--warm" in sys.argv
if not warm:
    PlanStore.warm_up = lambda self: None  # see what the first screen alone imported
database, _pinned = open_database(sys.argv[1])
app = build_app(Context(db=database, actor="coordinator", today=date(2022, 5, 9)))
HEAVY = ("sqlmodel", "pydantic", "sqlalchemy.orm", "planner.store.models")

async def main():
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(500):
            if isinstance(app.screen, DashboardScreen) and app.screen.loads:
                break
            await pilot.pause(0.01)
        assert app.screen.loads, "the dashboard did not load"
        if warm:
            for _ in range(500):
                if all(name in sys.modules for name in HEAVY):
                    break
                await pilot.pause(0.01)
        print(app.screen.query_one("#score-panel").secured)
        print(sorted(name for name in HEAVY if name in sys.modules))

asyncio.run(main())
"""


def _run(db: Path, *flags: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(db), *flags], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()


def test_the_dashboard_shows_the_score_without_the_orm(ctx: Context) -> None:
    assert ctx.db.path is not None
    secured, imported = _run(ctx.db.path)
    assert secured == "13.375"
    assert imported == "[]"


def test_the_orm_is_imported_in_the_background_once_the_dashboard_is_up(ctx: Context) -> None:
    assert ctx.db.path is not None
    _secured, imported = _run(ctx.db.path, "--warm")
    assert imported == "['planner.store.models', 'pydantic', 'sqlalchemy.orm', 'sqlmodel']"
