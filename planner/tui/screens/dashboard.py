"""The dashboard: the projected score against last year and the target, fields, deadlines,
overdue work by office and evidence waiting for review."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal

from planner.services.tui_queries import PlanOverview
from planner.tui.screens.base import PlannerScreen
from planner.tui.widgets.due_panel import DuePanel
from planner.tui.widgets.field_bars import FieldBars
from planner.tui.widgets.overdue_panel import OverduePanel
from planner.tui.widgets.review_panel import ReviewPanel
from planner.tui.widgets.score_panel import ScorePanel


class DashboardScreen(PlannerScreen):
    def compose_body(self) -> ComposeResult:
        with Horizontal(id="dashboard-top"):
            yield ScorePanel(id="score-panel")
            yield DuePanel(id="due-panel")
        yield FieldBars(id="field-bars")
        with Horizontal(id="dashboard-bottom"):
            yield OverduePanel(id="overdue-panel")
            yield ReviewPanel(id="review-panel")

    def fetch(self) -> PlanOverview | None:
        store = self.planner.store
        if not store.has_plan():
            return None
        return store.overview()

    def show(self, data: PlanOverview | None) -> None:
        if data is None:
            self.planner.show_welcome()
            return
        self.query_one(ScorePanel).show_overview(data)
        self.query_one(DuePanel).show_overview(data)
        self.query_one(FieldBars).show_overview(data)
        self.query_one(OverduePanel).show_overview(data)
        self.query_one(ReviewPanel).show_overview(data)

    def on_resize(self) -> None:
        latest = self.planner.store.latest
        if latest is not None and self.loads:
            self.show(latest)
