"""After a change made in the terminal UI, the screens reload only the tasks it touched; a
reload asked for by hand (ctrl+r) reads everything again."""

from __future__ import annotations

from typing import Any

import pytest

import planner.tui.store as store_module
from planner.services.context import Context
from planner.services.scores import plan_score
from planner.tui.app import build_app
from planner.tui.screens.dashboard import DashboardScreen
from planner.tui.widgets.score_panel import ScorePanel
from planner.tui.widgets.task_table import TaskTable
from tests.tui.conftest import SIZE
from tests.tui.helpers import run_async, settle


@run_async
async def test_done_in_the_list_refreshes_one_task_and_ctrl_r_reads_all(
        ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[str] = []
    refresh, full = store_module.refreshed_overview, store_module.plan_rows

    def refreshed(*args: Any, **kwargs: Any) -> Any:
        result = refresh(*args, **kwargs)
        loads.append("tasks" if result is not None else "declined")
        return result

    def everything(*args: Any, **kwargs: Any) -> Any:
        loads.append("all")
        return full(*args, **kwargs)

    monkeypatch.setattr(store_module, "refreshed_overview", refreshed)
    monkeypatch.setattr(store_module, "plan_rows", everything)
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert loads == ["all"]
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("down", "down")  # T03, due 15/05
        table = app.screen.query_one(TaskTable)
        assert table.current_row is not None and table.current_row.key == "T03"
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")  # done today, as the dialog proposes
        await settle(pilot)
        assert table.current_row is not None and table.current_row.status == "done"
        assert loads == ["all", "tasks"]
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        secured = plan_score(ctx).score.appraised.secured
        assert app.screen.query_one(ScorePanel).secured == pytest.approx(secured)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert loads[-1] == "all"
        assert app.screen.query_one(ScorePanel).secured == pytest.approx(secured)
