"""Undoing mistakes in the terminal UI: a review taken back, a task reopened, a reading
corrected and deleted, each asking for its reason, each visible as of the dates around it."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input

from planner.services.context import Context
from planner.services.evidence import list_evidence
from planner.services.history import task_history
from planner.services.readings import list_readings
from planner.services.scores import plan_score
from planner.services.task_list import list_tasks
from planner.services.task_rows import TaskFilter
from planner.tui.app import build_app
from planner.tui.screens.indicators import IndicatorsScreen
from planner.tui.screens.task_list import TaskListScreen
from planner.tui.screens.undo_dialogs import (
    CorrectReadingDialog,
    DeleteReadingDialog,
    ReopenReviewDialog,
    ReopenTaskDialog,
)
from planner.tui.widgets.nav_table import NavTable
from tests.tui.conftest import SIZE
from tests.tui.helpers import run_async, screen_text, settle
from tests.tui.test_flows import open_task


def secured(ctx: Context, code: str, day: date) -> float:
    node = plan_score(ctx, day).score.find(code)
    assert node is not None
    return node.secured


def status_of(ctx: Context, key: str, day: date) -> str:
    [row] = [r for r in list_tasks(ctx, TaskFilter(search=key), as_of=day) if r.key == key]
    return row.status


async def give_reason(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    reason = pilot.app.screen.query_one("#undo-reason", Input)
    reason.value = text
    reason.focus()
    await pilot.press("enter")
    await settle(pilot)


@run_async
async def test_take_back_an_acceptance_from_the_evidence_tab(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T01")
        assert secured(ctx, "1.1.1", date(2022, 5, 9)) == 0.5
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ReopenReviewDialog)
        await give_reason(pilot, "")  # no reason: refused, the dialog stays with the message
        assert isinstance(app.screen, ReopenReviewDialog)
        assert "reason: say why" in screen_text(app)
        await give_reason(pilot, "Nhầm văn bản: bản dự thảo")
        assert app.screen is detail
        [row] = list_evidence(ctx, target="T01")
        assert row.state == "submitted"
        # As of the day before the undo the acceptance stands; from the undo on, it does not.
        assert secured(ctx, "1.1.1", date(2022, 5, 8)) == 0.5
        assert secured(ctx, "1.1.1", date(2022, 5, 9)) == 0.0
        assert "awaiting review" in screen_text(app)
        assert any("acceptance taken back" in h.summary for h in task_history(ctx, "T01"))
        # Nothing to take back any more: a warning, no dialog.
        await pilot.press("u")
        await settle(pilot)
        assert app.screen is detail


@run_async
async def test_reopen_a_done_task_from_its_detail(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T01")
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ReopenTaskDialog)
        app.screen.query_one("#undo-date", Input).value = "09/05/2022"
        await give_reason(pilot, "Kế hoạch phải ban hành lại")
        assert app.screen is detail
        assert status_of(ctx, "T01", date(2022, 5, 8)) == "done"
        assert status_of(ctx, "T01", date(2022, 5, 9)) == "in_progress"
        await pilot.press("R")  # in progress now: nothing to reopen
        await settle(pilot)
        assert app.screen is detail


@run_async
async def test_reopen_from_the_task_list(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("slash", *"t01", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ReopenTaskDialog)
        await give_reason(pilot, "Chưa xong")
        assert isinstance(app.screen, TaskListScreen)
        assert status_of(ctx, "T01", date(2022, 5, 9)) == "in_progress"


@run_async
async def test_correct_then_delete_a_reading_on_the_indicators_screen(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IndicatorsScreen)
        screen.query_one("#indicator-table", NavTable).move_to_key("ontime_rate")
        await settle(pilot)
        # The latest reading is highlighted; its figure is in the dialog, ready to correct.
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CorrectReadingDialog)
        assert dialog.query_one("#reading-value", Input).value == "1725/1745"
        dialog.query_one("#reading-value", Input).value = "1745/1745"
        await give_reason(pilot, "Số liệu tháng 4 nhập nhầm")
        assert app.screen is screen
        assert secured(ctx, "3.3.1", date(2022, 4, 30)) == pytest.approx(3.0)
        assert secured(ctx, "3.3.1", date(2022, 4, 29)) == pytest.approx(2.0)
        assert "100.00%" in screen_text(app)
        # Delete it: the March reading stands again.
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, DeleteReadingDialog)
        await give_reason(pilot, "Chưa chốt số liệu tháng 4")
        assert app.screen is screen
        assert [r.on for r in list_readings(ctx, indicator="ontime_rate")][-1] == date(2022, 3, 31)
        assert secured(ctx, "3.3.1", date(2022, 5, 9)) == pytest.approx(2.0)


@run_async
async def test_a_reading_changed_meanwhile_is_a_conflict(ctx: Context) -> None:
    from planner.services.readings import correct_reading

    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#indicator-table", NavTable).move_to_key("ontime_rate")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CorrectReadingDialog)
        latest = list_readings(ctx, indicator="ontime_rate")[-1]
        correct_reading(ctx, latest.id, reason="someone else", source="Báo cáo tháng 4")
        dialog.query_one("#reading-value", Input).value = "1745/1745"
        await give_reason(pilot, "x")
        assert app.screen is dialog  # refused, what was typed is still there
        assert "changed by someone else" in screen_text(app)
        assert list_readings(ctx, indicator="ontime_rate")[-1].numerator == 1725


@run_async
async def test_the_undo_keys_are_in_the_help_of_the_task_detail(ctx: Context) -> None:
    """Off the key bar (it must fit 80 columns) but listed by `?`."""
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_task(pilot, "T01")
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        assert "Take back a review" in text and "Reopen (done or cancelled by mistake)" in text
