"""Foresight in the terminal UI: what-if mode in the task list (nothing written), the tasks
that matter most (a screen, and five on the dashboard), and the effort estimate in the form."""

from __future__ import annotations

from planner.services.context import Context
from planner.services.focus import focus_list
from planner.services.tasks import task_detail
from planner.tui.app import build_app
from planner.tui.commands import PlannerCommands
from planner.tui.screens.dashboard import DashboardScreen
from planner.tui.screens.focus import FocusScreen
from planner.tui.screens.task_detail import TaskDetailScreen
from planner.tui.screens.task_list import TaskListScreen
from planner.tui.widgets.focus_panel import FocusPanel
from planner.tui.widgets.nav_table import NavTable
from planner.tui.widgets.score_panel import ScorePanel
from planner.tui.widgets.status_line import StatusLine
from planner.tui.widgets.task_table import TaskTable
from tests.cli.helpers import fingerprint
from tests.tui.conftest import SIZE
from tests.tui.helpers import run_async, screen_text, settle


async def find_task(pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    """In the task list: search for the key; the table has the focus again, on its row."""
    await pilot.press("slash", *key.lower(), "enter")
    await settle(pilot)
    table = pilot.app.screen.query_one(TaskTable)
    assert table.current_row is not None and table.current_row.key == key


@run_async
async def test_what_if_mode_shows_the_difference_and_leaving_discards_it(ctx: Context) -> None:
    before = fingerprint(ctx.db.url)
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TaskListScreen)
        await find_task(pilot, "T36")
        await pilot.press("space")  # not in what-if mode: nothing happens
        assert app.whatif is None
        await pilot.press("w", "space")
        status = screen.query_one("#task-count", StatusLine).text
        assert "What-if (1 supposed done: T36): secured 13.38 → 14.88" in status
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        text = screen_text(app)
        assert "what-if (1 supposed done): secured 14.88 (+1.50)" in text
        assert "13.38 / 56.00" in text  # the real score stays as it is
        # Supposing it undone again, then leaving the mode: the dashboard is the real one.
        await pilot.press("t", "space")
        assert app.whatif is not None and not app.whatif.done
        await pilot.press("space", "w")
        assert app.whatif is None
        await pilot.press("1")
        await settle(pilot)
        assert "what-if" not in screen_text(app)
        assert app.screen.query_one(ScorePanel).secured == 13.375
    assert task_detail(ctx, "T36").task.status != "done"
    assert fingerprint(ctx.db.url) == before


@run_async
async def test_what_if_mode_shows_the_rank_estimate_when_a_ranking_is_held(ctx: Context, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from planner.io.ranking_import import read_ranking_file
    from planner.services.ranking import import_ranking

    # Other units scored close to what the plan projects (52.25 appraised as of 09/05/2022).
    others = (53.0, 52.5, 52.4, 52.3)
    path = tmp_path / "close.csv"
    path.write_text("Đơn vị;Điểm\n" + "".join(f"Sở {i};{s}\n" for i, s in enumerate(others))
                    + "Sở Giáo dục và Đào tạo;41,93\n", encoding="utf-8")
    import_ranking(ctx, read_ranking_file(path, ctx.limits), path.name)
    before = fingerprint(ctx.db.url)
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await find_task(pilot, "T28")  # overdue: done today it is late, and projected moves
        await pilot.press("w", "space")
        assert app.whatif is not None
        old, new = app.whatif.real.appraised.projected, app.whatif.score.appraised.projected
        assert new > old
        rank_old = 1 + sum(1 for s in others if s > round(old, 2))
        rank_new = 1 + sum(1 for s in others if s > round(new, 2))
        assert rank_new < rank_old  # delivering it passes other units
        move = f"est. rank {rank_old} → {rank_new} of 5 (against 2021)"
        status = app.screen.query_one("#task-count", StatusLine).text
        assert move in status
        await pilot.press("1")
        await settle(pilot)
        text = screen_text(app)
        assert "what-if: " + move in text, text
        # Leaving the mode: the legend is back, no rank line.
        await pilot.press("t", "space", "w", "1")
        await settle(pilot)
        assert "est. rank" not in screen_text(app)
    assert fingerprint(ctx.db.url) == before


@run_async
async def test_the_tasks_that_matter_most_screen_and_dashboard(ctx: Context) -> None:
    expected = [item.occurrence.key for item in focus_list(ctx, limit=5).items]
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(FocusPanel)
        assert panel.loads == 1
        assert panel.keys == expected
        assert expected[0] in screen_text(app)
        # In the command palette, and on the f key.
        commands = [name for name, _run, _help in PlannerCommands(app.screen).commands()]
        assert "Go to Tasks that matter most" in commands
        await pilot.press("f")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FocusScreen)
        table = screen.query_one(NavTable)
        assert [str(table.get_row_at(i)[1]) for i in range(5)] == expected
        assert "(no effort estimates: deadline" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskDetailScreen)
        assert app.screen.key == expected[0]


@run_async
async def test_an_effort_estimate_typed_in_the_task_form_is_saved(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await find_task(pilot, "T10")
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, TaskDetailScreen)
        effort = detail.query_one("#edit-effort")
        effort.focus()
        await pilot.press(*"12,5")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert task_detail(ctx, "T10").task.effort_days == 12.5
    ranked = focus_list(ctx, office="TCCB")
    t10 = next(item for item in ranked.items if item.occurrence.key == "T10")
    assert t10.method == "effort" and t10.effort_days == 12.5
