"""The dashboard's chart of the year: weekly secured and projected points up to the as-of
date, which follows `[`; shown from 100 columns only; its legend in Vietnamese."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from planner.i18n import current_language, set_language
from planner.services.context import Context
from planner.services.scores import plan_score
from planner.tui.app import PlannerApp, build_app
from planner.tui.screens.dashboard import DashboardScreen
from planner.tui.widgets.trajectory_panel import TrajectoryPanel
from tests.tui.conftest import AS_OF, SIZE
from tests.tui.helpers import run_async, screen_text, settle


def chart(app: PlannerApp) -> TrajectoryPanel:
    assert isinstance(app.screen, DashboardScreen)
    return app.screen.query_one(TrajectoryPanel)


def drawn(app: PlannerApp) -> str:
    return str(chart(app).render())


@run_async
async def test_the_chart_ends_at_the_as_of_date_and_follows_it(ctx: Context) -> None:
    secured_now = plan_score(ctx, AS_OF, explain=False).score.appraised.secured
    week_before = AS_OF - timedelta(days=7)
    secured_before = plan_score(ctx, week_before, explain=False).score.appraised.secured
    app = build_app(ctx)
    assert isinstance(app, PlannerApp)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = chart(app)
        assert panel.display and panel.region.height > 0
        assert panel.history is not None
        assert panel.history.points[-1].as_of == AS_OF
        assert panel.secured[-1] == pytest.approx(secured_now)
        assert len(panel.secured) == len(panel.projected) == len(panel.history.points) > 10
        text = drawn(app)
        for word in ("secured", "projected", "target", "last year", "09/05"):
            assert word in text
        assert "Trajectory" in screen_text(app)
        weeks = len(panel.secured)

        await pilot.press("left_square_bracket")
        await settle(pilot)
        panel = chart(app)
        assert panel.history is not None
        assert panel.history.points[-1].as_of == week_before
        assert len(panel.secured) == weeks - 1
        assert panel.secured[-1] == pytest.approx(secured_before)
        text = drawn(app)
        assert "02/05" in text and "09/05" not in text


@run_async
async def test_no_chart_at_80_by_24(ctx: Context) -> None:
    app = build_app(ctx)
    assert isinstance(app, PlannerApp)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = chart(app)
        assert not panel.display or panel.region.height == 0
        assert panel.history is None  # not even computed
        assert "Trajectory" not in screen_text(app)


@pytest.fixture
def vietnamese() -> Iterator[None]:
    before = current_language()
    set_language("vi")
    yield
    set_language(before)


@run_async
async def test_the_legend_in_vietnamese(ctx: Context, vietnamese: None) -> None:
    app = build_app(ctx)
    assert isinstance(app, PlannerApp)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = drawn(app)
        for word in ("đã đạt", "dự kiến", "mục tiêu", "năm trước", "09/05"):
            assert word in text
        assert "secured" not in text and "last year" not in text
        # The y axis writes whole points: no "46.7" where Vietnamese writes a decimal comma.
        axis = [line.split("┤")[0].strip() for line in text.splitlines() if "┤" in line]
        assert axis and all(label.isdigit() for label in axis), axis
