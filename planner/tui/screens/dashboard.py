"""The dashboard: the projected score against last year and the target, fields, deadlines,
overdue work by office and evidence waiting for review. The three lists lead to the work:
enter on a deadline or on evidence opens its task, on an office its overdue tasks."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import OptionList
from textual.worker import get_current_worker

from planner.services.trajectory import History
from planner.services.tui_queries import PlanOverview
from planner.tui.screens.base import PlannerScreen
from planner.tui.widgets.due_panel import DuePanel
from planner.tui.widgets.field_bars import FieldBars
from planner.tui.widgets.focus_panel import FocusPanel
from planner.tui.widgets.overdue_panel import OverduePanel
from planner.tui.widgets.review_panel import ReviewPanel
from planner.tui.widgets.score_panel import ScorePanel
from planner.tui.widgets.trajectory_panel import TrajectoryPanel

#: How an evidence row names a criterion it is attached to ("criterion 1.1.3").
CRITERION_PREFIX = "criterion "
#: The chart shows from this size only (the CSS hides it below 100 columns too): at 80x24 the
#: other panels keep all the room.
CHART_MIN_WIDTH, CHART_MIN_HEIGHT = 100, 36


class DashboardScreen(PlannerScreen):
    def __init__(self) -> None:
        super().__init__()
        self._ranked_for: PlanOverview | None = None  # the overview the focus panel ranks
        self._charted: PlanOverview | None = None  # the overview the chart is (being) drawn for

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="dashboard-top"):
            yield ScorePanel(id="score-panel")
            yield DuePanel(id="due-panel")
        yield FieldBars(id="field-bars")
        yield TrajectoryPanel(id="trajectory-panel")
        with Horizontal(id="dashboard-bottom"):
            yield OverduePanel(id="overdue-panel")
            yield FocusPanel(id="focus-panel")
            yield ReviewPanel(id="review-panel")

    def on_mount(self) -> None:
        # Overdue work first: the panel most mornings start from.
        self.query_one(OverduePanel).focus()

    def fetch(self) -> PlanOverview | None:
        store = self.planner.store
        if not store.has_plan():
            return None
        return store.overview()

    def show(self, data: PlanOverview | None) -> None:
        if data is None:
            self.planner.show_welcome()
            return
        whatif = self.planner.whatif
        if whatif is not None and whatif.real_facts is not data.facts:
            whatif = None  # made on another reading of the plan
        self.query_one(ScorePanel).show_overview(data, whatif)
        self.query_one(DuePanel).show_overview(data)
        self.query_one(FieldBars).show_overview(data)
        self.query_one(OverduePanel).show_overview(data)
        self.query_one(ReviewPanel).show_overview(data)
        focus = self.query_one(FocusPanel)
        if self._ranked_for is not data:
            self._ranked_for = data
            focus.show_overview(data)
        chart = self.query_one(TrajectoryPanel)
        chart.display = self._chart_fits()
        if chart.display and self._charted is not data:
            self._charted = data
            self._chart(data)

    def _chart_fits(self) -> bool:
        width, height = self.app.size
        return width >= CHART_MIN_WIDTH and height >= CHART_MIN_HEIGHT

    class Charted(Message):
        def __init__(self, overview: PlanOverview, history: History) -> None:
            super().__init__()
            self.overview = overview
            self.history = history

    @work(thread=True, exclusive=True, group="chart", exit_on_error=False)
    def _chart(self, overview: PlanOverview) -> None:
        """The weekly history behind the chart, once per load and off the UI thread (about
        1 s at 10,000 tasks, docs/performance.md); the store keeps it for the criteria tree."""
        worker = get_current_worker()
        history = self.planner.store.history(overview)
        if not worker.is_cancelled:
            self.post_message(self.Charted(overview, history))

    def on_dashboard_screen_charted(self, message: DashboardScreen.Charted) -> None:
        if message.overview is self._charted:
            self.query_one(TrajectoryPanel).show_history(message.history)

    def on_screen_resume(self) -> None:
        # What-if hypotheses may have changed meanwhile: show the score with them (or without).
        super().on_screen_resume()
        latest = self.planner.store.latest
        if latest is not None and self.loads:
            self.show(latest)

    def on_resize(self) -> None:
        latest = self.planner.store.latest
        if latest is not None and self.loads:
            self.show(latest)

    # ------------------------------------------------------------------ leading to the work

    @on(OptionList.OptionSelected, "#overdue-panel")
    def _office_chosen(self, event: OptionList.OptionSelected) -> None:
        from planner.tui.screens.task_list import TaskListScreen

        if event.option.id:
            self.app.push_screen(TaskListScreen(lead=event.option.id, status="overdue"))

    @on(OptionList.OptionSelected, "#due-panel")
    def _due_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_task(event.option.id)

    @on(OptionList.OptionSelected, "#review-panel")
    def _evidence_chosen(self, event: OptionList.OptionSelected) -> None:
        evidence = event.option.id
        target = self.query_one(ReviewPanel).targets.get(evidence or "")
        if not evidence or not target:
            return
        if target.startswith(CRITERION_PREFIX):
            from planner.tui.screens.criteria import CriteriaScreen

            self.app.push_screen(CriteriaScreen(focus=target.removeprefix(CRITERION_PREFIX)))
        else:
            self.open_task(target, evidence=int(evidence))

    def open_task(self, key: str, *, evidence: int | None = None) -> None:
        from planner.tui.screens.task_detail import TaskDetailScreen

        self.app.push_screen(TaskDetailScreen(key, evidence=evidence))
