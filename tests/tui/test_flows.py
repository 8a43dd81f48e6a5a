"""The coordinator's main flows, driven through the keyboard as a person would."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Input, Select

from planner.domain.text import fold
from planner.services.context import Context
from planner.services.evidence import list_evidence
from planner.services.history import task_history
from planner.services.task_list import list_tasks
from planner.services.task_rows import TaskFilter
from planner.services.tasks import TaskChanges, edit_task, task_detail
from planner.tui.app import PlannerApp, build_app
from planner.tui.screens.conflict import ConflictDialog
from planner.tui.screens.dashboard import DashboardScreen
from planner.tui.screens.evidence_dialog import EvidenceDialog
from planner.tui.screens.task_detail import TaskDetailScreen
from planner.tui.screens.task_list import TaskListScreen
from planner.tui.widgets.nav_table import NavTable
from planner.tui.widgets.score_panel import ScorePanel
from planner.tui.widgets.task_table import TaskTable
from tests.tui.conftest import AS_OF, SIZE
from tests.tui.helpers import run_async, screen_text, settle


async def open_task(pilot, key: str) -> TaskDetailScreen:  # type: ignore[no-untyped-def]
    """From anywhere: the task list, search for the key, open it."""
    await pilot.press("t")
    await settle(pilot)
    await pilot.press("slash", *key.lower())
    await pilot.press("enter", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TaskDetailScreen)
    assert screen.key == key
    return screen


async def type_into(pilot, widget: Input, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.focus()
    widget.value = ""
    await pilot.press(*text)


def test_build_app_returns_the_planner_app(ctx: Context) -> None:
    app = build_app(ctx, keys={}, first_run=False)
    assert isinstance(app, PlannerApp)


@run_async
async def test_dashboard_shows_the_score_as_of_the_date(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        panel = app.screen.query_one(ScorePanel)
        assert panel.secured == pytest.approx(13.375)
        text = screen_text(app)
        assert "as of 09/05/2022" in text
        assert "Kế hoạch cải cách hành chính năm 2022" in text
        assert "13.38 / 56.00" in text and "41.93" in text and "48.00" in text
        assert "TCCB" in text and "Nguyễn Văn Hải" in text  # overdue, with the head of office
        assert "4 submitted" in text


@run_async
async def test_done_and_accepted_evidence_moves_the_dashboard(
        ctx: Context, make_context: Callable[..., Context]) -> None:
    # The head of KHTC's coordinator marks T36 done and submits its evidence…
    member = build_app(make_context(today=AS_OF, actor="khtc"))
    async with member.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T36")
        await pilot.press("d")  # asks the date: today, as proposed
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert task_detail(ctx, "T36").task.status == "done"
        await pilot.press("a")
        await settle(pilot)
        dialog = member.screen
        assert isinstance(dialog, EvidenceDialog)
        await type_into(pilot, dialog.query_one("#ev-doc", Input), "210/QD-SGDDT")
        await pilot.press("enter")
        await settle(pilot)
        assert member.screen is detail
    # …and the reform coordinator accepts it: the dashboard's secured points move at once.
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(ScorePanel)
        before = panel.secured
        assert before is not None and before == pytest.approx(13.375)
        detail = await open_task(pilot, "T36")
        table = detail.query_one("#evidence-table", NavTable)
        assert table.row_count == 1
        await pilot.press("v")
        await settle(pilot)
        assert [e.state for e in list_evidence(ctx, target="T36")] == ["accepted"]
        await pilot.press("1")  # d means "done" on a task; 1 is the dashboard everywhere
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        panel = app.screen.query_one(ScorePanel)
        assert panel.secured == pytest.approx(before + 1.5)  # criterion 6.3, 1.5 points
        assert "14.88 / 56.00" in screen_text(app)


@run_async
async def test_add_evidence_with_a_document_number(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        dialog.query_one("#ev-doc", Input).value = "152/QĐ-SGDĐT"
        dialog.query_one("#ev-date", Input).value = "06/05/2022"
        dialog.query_one("#ev-issuer", Input).value = "Sở GD&ĐT Hải Phòng"
        await pilot.click("#dialog-submit")
        await settle(pilot)
        assert app.screen is detail
        rows = list_evidence(ctx, target="T03")
        assert [(r.doc_number, r.kind, r.state, r.doc_date.isoformat() if r.doc_date else None)
                for r in rows] == [("152/QĐ-SGDĐT", "document", "submitted", "2022-05-06")]
        assert detail.query_one("#evidence-table", NavTable).row_count == 1
        assert "152/QĐ-SGDĐT" in screen_text(app)


@run_async
async def test_evidence_without_anything_is_refused_and_the_dialog_stays(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_task(pilot, "T03")
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#ev-issuer", Input).value = "Sở GD&ĐT"
        await pilot.click("#dialog-submit")
        await settle(pilot)
        assert app.screen is dialog  # still open, with what was typed
        assert dialog.query_one("#ev-issuer", Input).value == "Sở GD&ĐT"
        assert "document" in str(dialog.query_one("#dialog-error").render())
        assert list_evidence(ctx, target="T03") == []


@run_async
async def test_filter_by_office(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TaskListScreen)
        table = screen.query_one(TaskTable)
        assert len(table.rows) == 63
        screen.query_one("#filter-office", Select).value = "TCCB"
        await settle(pilot)
        expected = [r.key for r in list_tasks(ctx, TaskFilter(office="TCCB"))]
        assert [r.key for r in table.rows] == expected
        assert all(r.lead == "TCCB" or "TCCB" in r.supporting for r in table.rows)
        assert "T03" in expected  # TCCB supports T03: supported tasks count too
        await pilot.press("x")  # clear the filters
        await settle(pilot)
        assert len(table.rows) == 63


@run_async
async def test_offices_board_opens_the_office_tasks(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert "Nguyễn Văn Hải, Trưởng phòng" in screen_text(app)
        await pilot.press("down", "enter")  # VP, then TCCB
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TaskListScreen)
        assert screen.task_query.office == "TCCB"
        keys = [r.key for r in screen.query_one(TaskTable).rows]
        assert keys == [r.key for r in list_tasks(ctx, TaskFilter(office="TCCB"))]
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_mode == "offices" and len(app.screen_stack) == 1


@run_async
async def test_search_ignores_diacritics(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("slash", *"cai cach")
        await settle(pilot)
        rows = app.screen.query_one(TaskTable).rows
        assert rows
        assert all("cai cach" in fold(r.title) for r in rows)
        assert any("cải cách" in r.title for r in rows)
        assert "T01" in {r.key for r in rows}  # "Ban hành Kế hoạch cải cách hành chính năm 2022"
        assert app.screen.query_one("#task-search", Input).value == "cai cach"


@run_async
async def test_sort_by_deadline_and_overdue_rows(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("s")  # plan order -> deadline
        await settle(pilot)
        rows = app.screen.query_one(TaskTable).rows
        dues = [r.due for r in rows if r.due is not None]
        assert dues == sorted(dues)
        assert rows[-1].continuous
        overdue = {r.key for r in rows if r.overdue}
        assert overdue == {"T02", "T28", "T30"}
        assert "overdue" in screen_text(app)


@run_async
async def test_mark_done_from_the_list(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("down", "down")  # T03
        table = app.screen.query_one(TaskTable)
        assert table.current_row is not None and table.current_row.key == "T03"
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")  # done today, as the dialog proposes
        await settle(pilot)
        assert task_detail(ctx, "T03").task.status == "done"
        assert table.current_row is not None and table.current_row.key == "T03"
        assert table.current_row.status == "done"


@run_async
async def test_bad_date_shows_an_error_and_saves_nothing(ctx: Context) -> None:
    before = task_detail(ctx, "T03").task
    history = len(task_history(ctx, "T03"))
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")
        await type_into(pilot, detail.query_one("#edit-deadline", Input), "31/02/2022")
        await type_into(pilot, detail.query_one("#edit-title", Input), "Tên mới")
        assert "✗" in str(detail.query_one("#deadline-hint").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "✗" in str(detail.query_one("#deadline-hint").render())
        assert any(n.severity == "error" for n in app._notifications)
        # What was typed stays, and nothing reached the database.
        assert detail.query_one("#edit-deadline", Input).value == "31/02/2022"
        after = task_detail(ctx, "T03").task
        assert (after.version, after.due_on, after.title, after.deadline_text) == \
            (before.version, before.due_on, before.title, before.deadline_text)
        assert len(task_history(ctx, "T03")) == history


@run_async
async def test_deadline_the_service_refuses_saves_nothing(ctx: Context) -> None:
    before = task_detail(ctx, "T03").task
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")
        # A real date, but far outside the 2022 plan: refused by the service, in its worker.
        await type_into(pilot, detail.query_one("#edit-deadline", Input), "30/6/2031")
        await type_into(pilot, detail.query_one("#edit-title", Input), "Tên mới")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "far outside" in str(detail.query_one("#deadline-hint").render())
        after = task_detail(ctx, "T03").task
        assert (after.version, after.title) == (before.version, before.title)


@run_async
async def test_edit_saves_the_changed_fields(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")
        await type_into(pilot, detail.query_one("#edit-deadline", Input), "Quý II/2022")
        assert "30/06/2022" in str(detail.query_one("#deadline-hint").render())
        detail.query_one("#edit-status", Select).value = "done"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")  # done on: today
        await settle(pilot)
        after = task_detail(ctx, "T03")
        assert after.task.due_on is not None and after.task.due_on.isoformat() == "2022-06-30"
        assert after.task.status == "done"
        assert detail.dirty_fields() == set()
        await pilot.press("ctrl+s")  # nothing left to save
        await settle(pilot)
        assert task_detail(ctx, "T03").task.version == after.task.version


@run_async
async def test_conflict_offers_to_reload_and_keeps_the_input_until_then(
        ctx: Context, make_context: Callable[..., Context]) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")
        await type_into(pilot, detail.query_one("#edit-title", Input), "Tieu de cua toi")
        # Meanwhile, someone else changes the task.
        other = make_context(today=AS_OF, actor="vp")
        edit_task(other, "T03", TaskChanges(title="Tiêu đề của người khác"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)
        assert detail.query_one("#edit-title", Input).value == "Tieu de cua toi"
        assert task_detail(ctx, "T03").task.title == "Tiêu đề của người khác"
        await pilot.click("#conflict-reload")
        await settle(pilot)
        assert app.screen is detail
        assert detail.query_one("#edit-title", Input).value == "Tiêu đề của người khác"


@run_async
async def test_conflict_merge_puts_my_changes_on_top(
        ctx: Context, make_context: Callable[..., Context]) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")
        await type_into(pilot, detail.query_one("#edit-title", Input), "Tieu de cua toi")
        edit_task(make_context(today=AS_OF, actor="vp"), "T03", TaskChanges(progress=70))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.click("#conflict-merge")
        await settle(pilot)
        assert detail.query_one("#edit-title", Input).value == "Tieu de cua toi"
        assert detail.query_one("#edit-progress", Input).value == "70"  # their change shows
        await pilot.press("ctrl+s")
        await settle(pilot)
        task = task_detail(ctx, "T03").task
        assert (task.title, task.progress) == ("Tieu de cua toi", 70)


@run_async
async def test_conflict_keep_editing_changes_nothing(
        ctx: Context, make_context: Callable[..., Context]) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")
        await type_into(pilot, detail.query_one("#edit-title", Input), "Tieu de cua toi")
        edit_task(make_context(today=AS_OF, actor="vp"), "T03", TaskChanges(progress=70))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is detail
        assert detail.query_one("#edit-title", Input).value == "Tieu de cua toi"
        assert task_detail(ctx, "T03").task.title != "Tieu de cua toi"


@run_async
async def test_reject_needs_a_reason(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T40")
        await pilot.press("x")
        await settle(pilot)
        await pilot.click("#dialog-submit")
        await settle(pilot)
        assert app.screen is not detail  # refused: a reason is required
        reason = app.screen.query_one("#reject-reason", Input)
        reason.value = "Thiếu chữ ký"
        # Enter in the reason submits too; a second click could land where the button was
        # before the error line moved it (the layout is refreshed after the click is aimed).
        reason.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is detail
        [row] = list_evidence(ctx, target="T40")
        assert (row.state, row.reason) == ("rejected", "Thiếu chữ ký")


@run_async
async def test_filter_by_criterion_status_and_deadline(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(TaskTable)
        await type_into(pilot, screen.query_one("#filter-criterion", Input), "3.3")
        await settle(pilot)
        expected = [r.key for r in list_tasks(ctx, TaskFilter(criterion="3.3"))]
        assert [r.key for r in table.rows] == expected and expected
        screen.query_one("#filter-status", Select).value = "done"
        await settle(pilot)
        assert [r.key for r in table.rows] == [
            r.key for r in list_tasks(ctx, TaskFilter(criterion="3.3", statuses=("done",)))]
        table.focus()
        await pilot.press("x")  # clears the filters (on the list; in a field it is a letter)
        assert screen.query_one("#filter-criterion", Input).value == ""
        screen.query_one("#filter-due", Select).value = 7
        await settle(pilot)
        assert [r.key for r in table.rows] == ["T03"]  # due 15/05, within 7 days of 09/05


@run_async
async def test_leaving_with_unsaved_changes_takes_a_second_escape(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")
        await type_into(pilot, detail.query_one("#edit-title", Input), "Tên mới")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is detail
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)
        assert task_detail(ctx, "T03").task.title != "Tên mới"
