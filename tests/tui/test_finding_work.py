"""From the dashboard to the work: its lists open what they show, the task list filters overdue
work with one key, and the command palette finds it by name."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Select

from planner.services.context import Context
from planner.tui.app import build_app
from planner.tui.screens.criteria import CriteriaScreen
from planner.tui.screens.dashboard import DashboardScreen
from planner.tui.screens.task_detail import TaskDetailScreen
from planner.tui.screens.task_list import TaskListScreen
from planner.tui.widgets.nav_table import NavTable
from planner.tui.widgets.nav_tree import NavTree
from planner.tui.widgets.overdue_panel import OverduePanel
from planner.tui.widgets.review_panel import ReviewPanel
from planner.tui.widgets.task_table import TaskTable
from tests.tui.conftest import SIZE
from tests.tui.helpers import run_async, screen_text, settle


def keys(app: Any) -> list[str]:
    return [r.key for r in app.screen.query_one(TaskTable).rows]


async def wait_for(pilot: Pilot[Any], condition: Any) -> None:
    for _ in range(100):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not reached")


@run_async
async def test_an_office_overdue_line_opens_its_overdue_tasks(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, OverduePanel)  # where the morning starts
        await pilot.press("enter")  # TCCB, first: the most points at risk
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)
        assert keys(app) == ["T28", "T30"]  # the tasks of the dashboard's line, no more
        assert "led by TCCB" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("j", "enter")  # VP
        await settle(pilot)
        assert keys(app) == ["T02"]
        await pilot.press("x")  # clears every filter, the office too
        await settle(pilot)
        assert len(keys(app)) == 63


@run_async
async def test_an_evidence_row_opens_its_task_on_that_evidence(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(ReviewPanel)
        panel.focus()
        await pilot.press("down", "enter")  # the second oldest: 16, for T21
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, TaskDetailScreen) and detail.key == "T21"
        assert detail.query_one("#evidence-table", NavTable).selected_key() == "16"
        await pilot.press("v")  # and it can be accepted from there
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "3 submitted" in screen_text(app)


@run_async
async def test_a_deadline_opens_its_task(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#due-panel").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskDetailScreen) and app.screen.key == "T03"


@run_async
async def test_criterion_evidence_opens_the_criterion(ctx: Context) -> None:
    from planner.services.evidence import EvidenceInput, add_evidence

    add_evidence(ctx, "3.5", EvidenceInput(doc_number="45/KL-TTr"))
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one(ReviewPanel).focus()
        await pilot.press("end", "enter")  # the newest: submitted today, for criterion 3.5
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CriteriaScreen)
        node = screen.query_one(NavTree).cursor_node
        assert node is not None and node.data is not None and node.data.code == "3.5"


@run_async
async def test_bang_shows_only_the_overdue_tasks_and_again_all(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert keys(app) == ["T02", "T28", "T30"]
        assert app.screen.query_one("#filter-status", Select).value == "overdue"
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert len(keys(app)) == 63


@run_async
async def test_the_palette_finds_overdue_work(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for query, expected in (("overdue", ["T02", "T28", "T30"]),
                                ("tccb overdue", ["T28", "T30"])):
            await pilot.press("ctrl+p")
            await pilot.pause(0.2)
            await pilot.press(*query)
            await wait_for(pilot, lambda: "Overdue tasks" in screen_text(app))
            await pilot.pause(0.3)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, TaskListScreen), query
            assert keys(app) == expected, query
            await pilot.press("escape")
            await settle(pilot)


@run_async
async def test_the_dashboard_key_returns_from_a_task_opened_there(ctx: Context) -> None:
    from textual.widgets import Input

    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#due-panel").focus()
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, TaskDetailScreen)
        await pilot.press("1")  # d means done here; 1 is the dashboard
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        # With unsaved changes in the task, it stays (and says why).
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, TaskDetailScreen)
        detail.query_one("#edit-title", Input).value = "Tên mới"
        detail.query_one("#evidence-table").focus()
        await pilot.press("1")
        await settle(pilot)
        assert app.screen is detail
        assert any("Unsaved changes" in n.message for n in app._notifications)
