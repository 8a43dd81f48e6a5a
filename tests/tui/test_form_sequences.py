"""A task's form across actions: whatever the order of `d` (done), typing and `ctrl+s` (save),
the database ends with what the person last asked for, and a change made by someone else
between reading and saving is reported instead of overwritten."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.widgets import Input, Select

from planner.services.context import Context
from planner.services.evidence import EvidenceInput, add_evidence, list_evidence, review
from planner.services.history import task_history
from planner.services.tasks import TaskChanges, edit_task, set_status, task_detail
from planner.tui.app import build_app
from planner.tui.screens.conflict import ConflictDialog
from planner.tui.screens.done_dialog import DoneDialog
from planner.tui.screens.task_detail import TaskDetailScreen
from tests.cli.helpers import fingerprint
from tests.tui.conftest import AS_OF, SIZE
from tests.tui.helpers import run_async, settle
from tests.tui.test_flows import open_task, type_into


async def mark_done(pilot, on: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """`d`, then the date (or today, as proposed) and enter. From a field of the form, escape
    first (in a field, d is a letter)."""
    if isinstance(pilot.app.focused, Input):
        await pilot.press("escape")
    await pilot.press("d")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, DoneDialog)
    if on is not None:
        await type_into(pilot, dialog.query_one("#done-on", Input), on)
    await pilot.press("enter")
    await settle(pilot)


def form(detail: TaskDetailScreen) -> tuple[str, str, str]:
    return (detail.query_one("#edit-title", Input).value, str(detail.query_one("#edit-status", Select).value),
            detail.query_one("#edit-progress", Input).value)


@run_async
async def test_done_then_save_keeps_the_task_done(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")  # in progress, 40%
        await mark_done(pilot)
        assert form(detail)[1:] == ("done", "100")  # the form shows the saved task
        await pilot.press("ctrl+s")
        await settle(pilot)
        task = task_detail(ctx, "T03").task
        assert (task.status, task.progress, task.done_on) == ("done", 100, AS_OF)
        assert detail.dirty_fields() == set()


@run_async
async def test_save_then_done(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")
        await type_into(pilot, detail.query_one("#edit-title", Input), "Quyet dinh phan cong")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await mark_done(pilot, "12/5/2022")
        assert not isinstance(app.screen, ConflictDialog)  # my own save is not "someone else"
        task = task_detail(ctx, "T03").task
        assert (task.title, task.status, task.done_on) == ("Quyet dinh phan cong", "done", date(2022, 5, 12))
        assert form(detail) == ("Quyet dinh phan cong", "done", "100")


@run_async
async def test_typed_title_then_done_then_save(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")
        await type_into(pilot, detail.query_one("#edit-title", Input), "Tieu de moi")
        await mark_done(pilot, "hôm nay")
        # The title typed before `d` is still in the form, still to be saved.
        assert form(detail) == ("Tieu de moi", "done", "100")
        assert detail.dirty_fields() == {"title"}
        assert task_detail(ctx, "T03").task.title != "Tieu de moi"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ConflictDialog)
        task = task_detail(ctx, "T03").task
        assert (task.title, task.status, task.progress) == ("Tieu de moi", "done", 100)


@run_async
async def test_done_on_a_date_phrase_and_a_bad_date(ctx: Context) -> None:
    before = fingerprint(str(ctx.db.path))
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_task(pilot, "T03")
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DoneDialog)
        assert dialog.query_one("#done-on", Input).value == "09/05/2022"  # today, proposed
        await type_into(pilot, dialog.query_one("#done-on", Input), "31/02/2022")
        assert "✗" in str(dialog.query_one("#done-hint").render())
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog  # refused in the dialog, which stays open with the text
        assert "31/02/2022" in str(dialog.query_one("#dialog-error").render())
        assert fingerprint(str(ctx.db.path)) == before
        await type_into(pilot, dialog.query_one("#done-on", Input), "-2d")
        assert "07/05/2022" in str(dialog.query_one("#done-hint").render())
        await pilot.press("enter")
        await settle(pilot)
        task = task_detail(ctx, "T03").task
        assert (task.status, task.done_on) == ("done", date(2022, 5, 7))


@run_async
async def test_someone_else_between_reading_and_saving(
        ctx: Context, make_context: Callable[..., Context]) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")
        await type_into(pilot, detail.query_one("#edit-title", Input), "Tieu de cua toi")
        detail.query_one("#edit-status", Select).value = "paused"
        set_status(make_context(today=AS_OF, actor="vp"), "T03", "in_progress", progress=80)
        before = fingerprint(str(ctx.db.path))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)
        assert fingerprint(str(ctx.db.path)) == before  # neither the title nor the status
        assert form(detail)[:2] == ("Tieu de cua toi", "paused")


@run_async
async def test_someone_else_between_reading_and_done(
        ctx: Context, make_context: Callable[..., Context]) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_task(pilot, "T03")
        edit_task(make_context(today=AS_OF, actor="vp"), "T03", TaskChanges(title="Tên của người khác"))
        before = fingerprint(str(ctx.db.path))
        await mark_done(pilot)
        assert isinstance(app.screen, ConflictDialog)
        assert fingerprint(str(ctx.db.path)) == before
        await pilot.click("#conflict-reload")
        await settle(pilot)
        await mark_done(pilot)  # now on their version
        task = task_detail(ctx, "T03").task
        assert (task.title, task.status) == ("Tên của người khác", "done")


@run_async
async def test_status_done_in_the_form_asks_the_date_and_saves_everything_at_once(ctx: Context) -> None:
    history = len(task_history(ctx, "T03"))
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")
        await type_into(pilot, detail.query_one("#edit-title", Input), "Tieu de moi")
        detail.query_one("#edit-status", Select).value = "done"
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DoneDialog)
        assert task_detail(ctx, "T03").task.title != "Tieu de moi"  # nothing before the date
        await type_into(pilot, dialog.query_one("#done-on", Input), "6/5/2022")
        await pilot.press("enter")
        await settle(pilot)
        task = task_detail(ctx, "T03").task
        assert (task.title, task.status, task.progress, task.done_on) == \
            ("Tieu de moi", "done", 100, date(2022, 5, 6))
        assert form(detail) == ("Tieu de moi", "done", "100")
        assert len(task_history(ctx, "T03")) == history + 2


@run_async
async def test_an_occurrence_done_then_saved_with_its_task_fields(ctx: Context) -> None:
    key = "T04@2022-06-15"
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        app.screen.open_task(key)  # type: ignore[attr-defined]
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, TaskDetailScreen)
        await type_into(pilot, detail.query_one("#edit-title", Input), "Bao cao CCHC dinh ky")
        await mark_done(pilot, "10/06/2022")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ConflictDialog)
        found = task_detail(ctx, "T04")
        occurrence = next(o for o in found.occurrences if o.due_on == date(2022, 6, 15))
        assert (occurrence.status, occurrence.done_on) == ("done", date(2022, 6, 10))
        assert found.task.title == "Bao cao CCHC dinh ky"


@run_async
async def test_reject_after_someone_else_reviewed_writes_nothing_and_keeps_the_reason(
        ctx: Context, make_context: Callable[..., Context]) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T40")
        [row] = list_evidence(ctx, target="T40")
        # The division withdraws it while the coordinator is typing the reason.
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        await type_into(pilot, dialog.query_one("#reject-reason", Input), "Thieu chu ky")
        review(make_context(today=AS_OF, actor=row.submitted_by or "vp"), row.id, "withdrawn")
        before = fingerprint(str(ctx.db.path))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#reject-reason", Input).value == "Thieu chu ky"
        assert "changed by someone else" in str(dialog.query_one("#dialog-error").render())
        assert fingerprint(str(ctx.db.path)) == before
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is detail


@run_async
async def test_accept_after_someone_else_reviewed_writes_nothing(
        ctx: Context, make_context: Callable[..., Context]) -> None:
    set_status(ctx, "T03", "done")
    evidence = add_evidence(make_context(today=AS_OF, actor="vp"), "T03",
                            EvidenceInput(doc_number="152/QĐ-SGDĐT"))
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_task(pilot, "T03")
        review(make_context(today=AS_OF, actor="vp"), evidence.id or 0, "withdrawn")
        before = fingerprint(str(ctx.db.path))
        await pilot.press("v")
        await settle(pilot)
        assert fingerprint(str(ctx.db.path)) == before
        assert any("changed by someone else" in n.message for n in app._notifications)
