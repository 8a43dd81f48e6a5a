"""The TUI moves through time: `[` and `]` move the as-of date by a week, every screen
follows, and the past is read-only (nothing is written); the criteria tree's sparklines."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from planner.services.context import Context
from planner.services.indicators import list_indicators
from planner.services.scores import plan_score
from planner.services.tasks import task_detail
from planner.tui.app import PlannerApp, build_app
from planner.tui.screens.dashboard import DashboardScreen
from planner.tui.screens.done_dialog import DoneDialog
from planner.tui.screens.indicators import IndicatorsScreen
from planner.tui.screens.task_detail import TaskDetailScreen
from planner.tui.screens.task_list import TaskListScreen
from planner.tui.time_travel import next_as_of
from planner.tui.widgets.plan_header import PlanHeader
from planner.tui.widgets.review_panel import ReviewPanel
from planner.tui.widgets.score_panel import ScorePanel
from tests.cli.helpers import fingerprint
from tests.tui.conftest import AS_OF, SIZE
from tests.tui.helpers import run_async, screen_text, settle
from tests.tui.test_foresight import find_task

READ_ONLY = "viewing the past, read-only"


def header(app: PlannerApp) -> str:
    return str(app.screen.query_one(PlanHeader).render())


def told(app: PlannerApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notification the app shows from now on (they expire from the screen)."""
    seen: list[str] = []
    notify = app.notify

    def record(message: str, **kwargs: Any) -> None:
        seen.append(message)
        notify(message, **kwargs)

    monkeypatch.setattr(app, "notify", record)
    return seen


def refusals(seen: list[str]) -> int:
    return sum("nothing can be changed in the past" in message for message in seen)


@run_async
async def test_two_weeks_back_shows_that_score_refuses_writes_and_returns(
        ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    two_weeks_back = AS_OF - timedelta(days=14)
    expected = plan_score(ctx, two_weeks_back, explain=False).score.appraised.secured
    today = plan_score(ctx, AS_OF, explain=False).score.appraised.secured
    assert expected != today  # the sample plan earned points in those two weeks
    before = fingerprint(str(ctx.db.path))  # every row of every table, the change log too
    app = build_app(ctx)
    assert isinstance(app, PlannerApp)
    seen = told(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "as of 09/05/2022" in header(app) and READ_ONLY not in header(app)
        assert len(app.screen.query_one(ReviewPanel).targets) == 4  # submitted 03/05 to 06/05
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert "as of 25/04/2022" in header(app) and READ_ONLY in header(app)
        assert app.screen.query_one(ScorePanel).secured == expected
        assert app.screen.query_one(ReviewPanel).targets == {}  # none submitted yet then

        # The task list follows the date; d (mark done) is refused before its dialog opens.
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)
        assert "as of 25/04/2022" in screen_text(app)
        await find_task(pilot, "T36")
        assert app.screen.check_action("mark_done", ()) is None  # greyed in the key bar
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, DoneDialog)
        assert refusals(seen) == 1
        # So are the other keys that write: add, edit, reopen; and in a task, add evidence.
        await pilot.press("a", "e", "R")
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)
        assert refusals(seen) == 4
        await pilot.press("w")  # what-if works on today's plan only
        assert app.whatif is None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskDetailScreen)
        await pilot.press("a")
        await settle(pilot)
        assert refusals(seen) == 5
        await pilot.press("escape")
        await pilot.press("i", "a")
        await settle(pilot)
        assert refusals(seen) == 6
        # The indicators follow too: the readings of 30/04 were not taken yet.
        indicators = app.screen
        assert isinstance(indicators, IndicatorsScreen) and indicators.data is not None
        shown = [r.on for row in indicators.data.indicators for r in row.readings]
        assert shown and max(shown) < two_weeks_back
        assert max(r.on for row in list_indicators(ctx) for r in row.readings) > two_weeks_back
        assert fingerprint(str(ctx.db.path)) == before

        # Back to today: the header says so and the same key writes.
        await pilot.press("t", "right_square_bracket", "right_square_bracket")
        await settle(pilot)
        await pilot.press("right_square_bracket")  # no further than the day it was opened
        await settle(pilot)
        assert app.ctx.today == AS_OF
        assert READ_ONLY not in header(app)
        assert "as of 09/05/2022" in header(app)
        await find_task(pilot, "T36")
        assert app.screen.check_action("mark_done", ()) is True
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DoneDialog)
        await pilot.press("enter")
        await settle(pilot)
    assert refusals(seen) == 6
    assert task_detail(ctx, "T36").task.status == "done"
    assert fingerprint(str(ctx.db.path)) != before


@run_async
async def test_a_service_call_is_refused_in_the_past_too(
        ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    # Behind the keys, the one path every screen's changes take refuses as well.
    from planner.services.tasks import set_status

    before = fingerprint(str(ctx.db.path))
    app = build_app(ctx)
    assert isinstance(app, PlannerApp)
    seen = told(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        screen.run_service(lambda: set_status(app.ctx, "T36", "done"))
        await settle(pilot)
        assert refusals(seen) == 1
    assert fingerprint(str(ctx.db.path)) == before


@run_async
async def test_leaving_today_drops_what_if(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    app = build_app(ctx)
    assert isinstance(app, PlannerApp)
    seen = told(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await find_task(pilot, "T36")
        await pilot.press("w", "space")
        assert app.whatif is not None
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.whatif is None
        assert any("hypotheses are dropped" in message for message in seen)


def test_the_as_of_date_stays_within_the_plan_and_the_present() -> None:
    opened, start = date(2022, 5, 9), date(2022, 1, 1)
    assert next_as_of(opened, -1, opened, start) == date(2022, 5, 2)
    assert next_as_of(date(2022, 5, 2), 1, opened, start) == opened
    assert next_as_of(opened, 1, opened, start) == opened  # the future is not known yet
    assert next_as_of(date(2022, 1, 5), -1, opened, start) == date(2022, 1, 5)
    assert next_as_of(date(2022, 1, 5), -1, opened, None) == date(2021, 12, 29)


@run_async
async def test_the_criteria_tree_shows_each_criterion_s_weeks(ctx: Context) -> None:
    from planner.services.trajectory import plan_history
    from planner.tui.screens.criteria import SPARK, CriteriaScreen
    from planner.tui.widgets.nav_tree import NavTree

    weeks = plan_history(ctx, AS_OF).series_of("7.1", "secured")[-SPARK:]
    assert weeks[0] == 0 and weeks[-1] == 1.5  # 7.1 earned its 1.5 points in these weeks
    rise = weeks.index(1.5)
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CriteriaScreen)
        assert "Weeks" in screen_text(app)
        screen.query_one(NavTree).root.expand_all()
        await settle(pilot)
        label = screen._tree_nodes["7.1"].label.plain
        # Empty before the week the points came, full after (a full block is the maximum).
        assert label.endswith(" " + "▁" * rise + "█" * (SPARK - rise))
        # One week back, the sparkline ends a week earlier.
        await pilot.press("left_square_bracket")
        await settle(pilot)
        label = screen._tree_nodes["7.1"].label.plain
        assert label.endswith(" " + "▁" * (rise + 1) + "█" * (SPARK - rise - 1))


@run_async
async def test_no_sparkline_at_80_columns(ctx: Context) -> None:
    from planner.tui.screens.criteria import CriteriaScreen

    app = build_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CriteriaScreen)
        assert "Weeks" not in screen_text(app)
        for code in ("1", "1.1", "2.1", "7"):
            label = screen._tree_nodes[code].label.plain
            assert not any(block in label for block in "▁▂▃▄▅▆▇"), label


@run_async
async def test_a_task_opened_in_an_earlier_week_is_shown_as_it_stood_then(ctx: Context) -> None:
    """T28 is marked done on 09/05 and T21's report was submitted on 04/05: two weeks back,
    T28 is still in progress at its progress of then, and T21 lists only its earlier evidence."""
    from planner.services.evidence import list_evidence
    from planner.services.tasks import set_status

    set_status(ctx, "T28", "done", on="09/05/2022")
    assert any(e.submitted_on == date(2022, 5, 4) for e in list_evidence(ctx, target="T21"))
    before = fingerprint(ctx.db.url)
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await find_task(pilot, "T28")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TaskDetailScreen)
        assert screen.data is not None
        then = screen.data.detail
        assert then.task.status != "done" and then.task.progress < 100
        assert all(event.on <= AS_OF - timedelta(days=14) for event in then.events)
        await pilot.press("escape")
        await settle(pilot)
        await find_task(pilot, "T21")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskDetailScreen)
        assert app.screen.data is not None
        shown = app.screen.data.evidence
        assert shown and all(e.submitted_on <= AS_OF - timedelta(days=14) for e in shown)
        # Back to today: the task is done again, and nothing was written meanwhile.
        await pilot.press("escape")
        await settle(pilot)
    assert fingerprint(ctx.db.url) == before
    assert task_detail(ctx, "T28").task.status == "done"


def test_evidence_as_it_stood_on_a_day(ctx: Context) -> None:
    """Before its review, accepted evidence was awaiting review; before it was submitted, it
    did not exist; from the review on, it is accepted."""
    from planner.services.evidence import list_evidence

    reviewed = next(e for e in list_evidence(ctx) if e.state == "accepted"
                    and e.reviewed_on is not None and e.reviewed_on > e.submitted_on)
    assert reviewed.reviewed_on is not None

    def state_on(day: date) -> str | None:
        return next((e.state for e in list_evidence(ctx, as_of=day) if e.id == reviewed.id), None)

    assert state_on(reviewed.submitted_on - timedelta(days=1)) is None
    assert state_on(reviewed.reviewed_on - timedelta(days=1)) == "submitted"
    assert state_on(reviewed.reviewed_on) == "accepted"
    assert [e.id for e in list_evidence(ctx, state="submitted", as_of=reviewed.reviewed_on
                                        - timedelta(days=1)) if e.id == reviewed.id]


@run_async
async def test_a_task_s_history_in_an_earlier_week_shows_only_what_was_written_by_then(
        ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """T28 renamed on 20/04 and again on 06/05: two weeks back (25/04) its History tab lists
    the first change only, and says one later change is not shown; today it lists both."""
    from datetime import UTC, datetime

    from textual.widgets import DataTable

    from planner.services import audit
    from planner.services.tasks import TaskChanges, edit_task

    for day, title in ((20, "Kế hoạch biên chế (sửa lần 1)"), (6, "Kế hoạch biên chế (sửa lần 2)")):
        month = 4 if day == 20 else 5
        monkeypatch.setattr(audit, "utcnow", lambda d=day, m=month: datetime(2022, m, d, 3, 0, tzinfo=UTC))
        edit_task(ctx, "T28", TaskChanges(title=title))
    monkeypatch.undo()

    def history_rows() -> list[str]:
        table = app.screen.query_one("#history-table", DataTable)
        return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]

    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await find_task(pilot, "T28")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskDetailScreen)
        rows = history_rows()
        assert any("20/04/2022" in r and "T28 edited" in r for r in rows), rows
        assert not any("06/05/2022" in r for r in rows), rows
        assert any("1 change written after 25/04/2022 is not shown" in r for r in rows), rows
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        await find_task(pilot, "T28")
        await pilot.press("enter")
        await settle(pilot)
        rows = history_rows()
        assert any("06/05/2022" in r for r in rows) and any("20/04/2022" in r for r in rows), rows
        assert not any("not shown" in r for r in rows), rows
