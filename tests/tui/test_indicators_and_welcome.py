"""Indicators (readings, conditions, manual points) and the first-run welcome."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Select

from planner.services.context import Context
from planner.services.indicators import list_indicators
from planner.services.scores import plan_score
from planner.services.task_list import list_tasks
from planner.tui.app import build_app
from planner.tui.screens.dashboard import DashboardScreen
from planner.tui.screens.indicator_dialogs import ConfirmDialog, ManualDialog, ReadingDialog
from planner.tui.screens.indicators import IndicatorsScreen
from planner.tui.screens.welcome import WelcomeScreen
from planner.tui.widgets.nav_table import NavTable
from planner.tui.widgets.score_panel import ScorePanel
from tests.tui.conftest import AS_OF, SIZE
from tests.tui.helpers import run_async, screen_text, settle


@run_async
async def test_readings_show_the_band_they_reach(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IndicatorsScreen)
        table = screen.query_one("#indicator-table", NavTable)
        table.move_to_key("ontime_rate")
        await settle(pilot)
        text = screen_text(app)
        assert "3.3.1" in text and "≥98.00 → 2.00" in text  # the bands
        assert "98.85%" in text and "2.00/3.00" in text  # the latest reading and its band


@run_async
async def test_add_a_reading_moves_the_score(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#indicator-table", NavTable).move_to_key("ontime_rate")
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReadingDialog)
        dialog.query_one("#reading-value", Input).value = "130/130"
        dialog.query_one("#reading-date", Input).value = "08/05/2022"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IndicatorsScreen)
        node = plan_score(ctx).score.find("3.3.1")
        assert node is not None and node.secured == pytest.approx(3.0)
        assert "100.00%" in screen_text(app)
        await pilot.press("d")
        await settle(pilot)
        assert app.screen.query_one(ScorePanel).secured == pytest.approx(13.375 + 1.0)


@run_async
async def test_confirm_a_condition_and_enter_manual_points(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        judged = app.screen.query_one("#judged-table", NavTable)
        judged.move_to_key("3.5")
        judged.focus()
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        outcome = dialog.query_one("#confirm-outcome", Select)
        outcome.value = dialog.rule.outcomes[0].key
        await pilot.press("ctrl+s")
        await settle(pilot)
        node = plan_score(ctx).score.find("3.5")
        # Confirmed, but no accepted evidence on the criterion yet: the outcome is at risk.
        assert node is not None and node.at_risk == pytest.approx(node.max_points)
        assert node.secured == 0 and node.projected == pytest.approx(node.max_points)
        judged = app.screen.query_one("#judged-table", NavTable)
        judged.move_to_key("8.1")
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ManualDialog)
        dialog.query_one("#manual-value", Input).value = "81%"
        await pilot.press("ctrl+s")
        await settle(pilot)
        node = plan_score(ctx).score.find("8.1")
        assert node is not None and node.secured == pytest.approx(20 * 0.81)


@run_async
async def test_a_bad_reading_keeps_the_dialog_open(ctx: Context) -> None:
    readings = sum(len(i.readings) for i in list_indicators(ctx))
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#indicator-table", NavTable).move_to_key("ontime_rate")
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#reading-value", Input).value = "140%"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "outside" in str(dialog.query_one("#dialog-error").render())
    assert sum(len(i.readings) for i in list_indicators(ctx)) == readings


@pytest.fixture
def empty_ctx(tmp_path: Path, make_context: Callable[..., Context]) -> Context:
    return make_context(today=AS_OF)


@run_async
async def test_first_run_loads_the_sample(empty_ctx: Context) -> None:
    app = build_app(empty_ctx, first_run=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("t")  # no screens before there is a plan
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.click("#welcome-sample")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.query_one(ScorePanel).secured == pytest.approx(13.375)
        assert "as of 09/05/2022" in screen_text(app)
    assert len(list_tasks(empty_ctx)) == 63


@run_async
async def test_first_run_starts_an_empty_plan(empty_ctx: Context) -> None:
    app = build_app(empty_ctx, first_run=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#welcome-year", Input).value = "2023"
        app.screen.query_one("#welcome-title-input", Input).value = "Kế hoạch CCHC năm 2023"
        await pilot.click("#welcome-empty")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "Kế hoạch CCHC năm 2023" in screen_text(app)
        await pilot.press("t")
        await settle(pilot)
        assert "0 of 0 occurrences" in screen_text(app)


@run_async
async def test_an_empty_database_opens_on_the_welcome(empty_ctx: Context) -> None:
    app = build_app(empty_ctx)  # not the first run (say --db NEW.db), but still no plan
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert app.screen.query_one("#welcome-sample", Button)


CSV_PLAN = [
    "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022;;;;;",
    ";;;;;",
    "STT;Nội dung nhiệm vụ;Đơn vị chủ trì;Đơn vị phối hợp;Thời gian hoàn thành;Sản phẩm",
    "I;Công tác chỉ đạo, điều hành;;;;",
    "1;Ban hành kế hoạch cải cách hành chính;Văn phòng;Phòng Tổ chức cán bộ;Quý I/2022;Kế hoạch",
    "2;Báo cáo công tác cải cách hành chính;Văn phòng;;Thường xuyên;Báo cáo",
]


@run_async
async def test_first_run_imports_a_spreadsheet(empty_ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.csv"
    path.write_text("\r\n".join(CSV_PLAN) + "\r\n", encoding="utf-8")
    app = build_app(empty_ctx, first_run=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = app.screen.query_one("#welcome-import-path", Input)
        field.value = str(tmp_path / "missing.csv")
        await pilot.click("#welcome-import")
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)  # a missing file: told, still here
        assert "no such file" in str(app.screen.query_one("#welcome-error").render())
        field.value = str(path)
        # Press the button itself: the error line shown above may still be moving it on screen.
        app.screen.query_one("#welcome-import", Button).press()
        for _round in range(50):  # the import runs in a worker, then the app changes screen
            await settle(pilot)
            if isinstance(app.screen, DashboardScreen):
                break
        assert isinstance(app.screen, DashboardScreen), app.screen.query_one("#welcome-error").render()
        await pilot.press("t")
        await settle(pilot)
        assert "2 of 2 occurrences" in screen_text(app)
    assert [r.title for r in list_tasks(empty_ctx)] == [
        "Ban hành kế hoạch cải cách hành chính", "Báo cáo công tác cải cách hành chính"]
