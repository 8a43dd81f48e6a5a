"""Getting around: screen keys, remapped keys, help, the command palette, the mouse."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input

from planner.services.context import Context
from planner.services.tasks import task_detail
from planner.tui.app import SCREEN_KEYS, build_app
from planner.tui.screens.add_task import AddTaskDialog
from planner.tui.screens.criteria import CriteriaScreen
from planner.tui.screens.dashboard import DashboardScreen
from planner.tui.screens.help import HelpScreen
from planner.tui.screens.indicators import IndicatorsScreen
from planner.tui.screens.offices import OfficesScreen
from planner.tui.screens.task_detail import TaskDetailScreen
from planner.tui.screens.task_list import TaskListScreen
from planner.tui.widgets.screen_tabs import ScreenTabs
from planner.tui.widgets.task_table import TaskTable
from tests.tui.conftest import SIZE
from tests.tui.helpers import run_async, screen_text, settle


@run_async
async def test_letters_switch_screens_and_escape_goes_back(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, screen_type in (("c", CriteriaScreen), ("t", TaskListScreen), ("o", OfficesScreen),
                                 ("i", IndicatorsScreen), ("d", DashboardScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen_type), key
        await pilot.press("t", "j", "enter")  # j moves down like the arrow
        await settle(pilot)
        assert isinstance(app.screen, TaskDetailScreen) and app.screen.key == "T02"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


def test_every_binding_of_ours_has_an_id_and_a_description() -> None:
    """So that users can remap any key by id in their config, and read what it does in the
    help and the palette (Textual's own widgets aside)."""
    import importlib
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode

    import planner.tui

    ids: dict[str, str] = {}
    for info in pkgutil.walk_packages(planner.tui.__path__, "planner.tui."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, DOMNode) and obj.__module__ == module.__name__:
                for binding in obj.__dict__.get("BINDINGS", []):
                    assert isinstance(binding, Binding) and binding.id, (obj, binding)
                    assert binding.description, (obj, binding)
                    assert ids.setdefault(binding.id, binding.action) == binding.action, binding.id
    assert {"screen.dashboard", "screen.tasks", "tasks.done", "tasks.search", "detail.save",
            "app.help", "app.quit", "nav.back"} <= set(ids)


@run_async
async def test_keys_remapped_from_the_config(ctx: Context) -> None:
    app = build_app(ctx, keys={"screen.tasks": "f3", "tasks.done": "ctrl+d"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)  # t no longer opens the tasks
        assert "f3 Tasks" in screen_text(app).replace("F3", "f3")  # and the tabs say so
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)
        await pilot.press("down", "down", "ctrl+d")  # T03 done with the remapped key
        await settle(pilot)
        await pilot.press("enter")  # on the date proposed: today
        await settle(pilot)
        assert task_detail(ctx, "T03").task.status == "done"


@run_async
async def test_question_mark_lists_the_keys_of_the_screen(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = dict((desc, keys) for keys, desc in app.screen.key_rows())
        assert rows["Done"] == "d"
        assert rows["Search"] == "/"
        assert "1" in rows["Dashboard"]  # d is "done" here, so 1 opens the dashboard
        assert "ctrl+p" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)


@run_async
async def test_command_palette_opens_screens_and_tasks(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"offices")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OfficesScreen)
        # A task by its title, typed without accents.
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"kiem tra cong tac thu")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskDetailScreen) and app.screen.key == "T09"


@run_async
async def test_palette_lists_the_actions_of_the_screen(ctx: Context) -> None:
    from planner.tui.commands import PlannerCommands

    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        provider = PlannerCommands(app.screen)
        names = [name for name, _run, _help in provider.commands()]
        for label in (*(f"Go to {label}" for _id, _keys, label in SCREEN_KEYS.values()),
                      "Search", "Add", "Edit", "Done", "Sort", "Open task", "Help", "Quit"):
            assert label in names, label


@run_async
async def test_mouse_click_selects_and_double_click_opens(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click(ScreenTabs, offset=(30, 0))  # the "t Tasks" tab
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)
        table = app.screen.query_one(TaskTable)
        await pilot.click(TaskTable, offset=(5, 3))  # header, T01, T02, T03
        assert table.current_row is not None and table.current_row.key == "T03"
        await pilot.click(TaskTable, offset=(5, 3), times=2)
        await settle(pilot)
        assert isinstance(app.screen, TaskDetailScreen) and app.screen.key == "T03"
        await pilot.press("escape")
        await settle(pilot)
        list_screen = app.screen
        assert isinstance(list_screen, TaskListScreen)
        await pilot.click(TaskTable, offset=(118 - 1 - 13 - 1 - 5 - 1 - 14 - 1 - 5, 0))  # the Due header
        await settle(pilot)
        assert list_screen.task_query.sort == "deadline"


@run_async
async def test_add_a_task(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AddTaskDialog)
        dialog.query_one("#new-title", Input).value = "Rà soát quy trình nội bộ"
        dialog.query_one("#new-lead").value = "KHTC"  # type: ignore[attr-defined]
        dialog.query_one("#new-due", Input).value = "Quý III/2022"
        dialog.query_one("#new-criteria", Input).value = "6.3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TaskDetailScreen) and app.screen.key == "T47"
        detail = task_detail(ctx, "T47")
        assert (detail.lead.code, detail.task.due_on.isoformat() if detail.task.due_on else None,
                detail.criteria) == ("KHTC", "2022-09-30", [("6.3", 1.0)])


@run_async
async def test_a_recurring_task_opens_by_occurrence(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("slash", *"t04@2022-06", "enter", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, TaskDetailScreen) and detail.key == "T04@2022-06-15"
        await pilot.press("d", "enter")  # done today, as proposed
        await settle(pilot)
        occurrences = {o.due_on.isoformat(): o.status for o in task_detail(ctx, "T04").occurrences}
        assert occurrences["2022-06-15"] == "done"
        assert occurrences["2022-09-15"] == "not_started"
