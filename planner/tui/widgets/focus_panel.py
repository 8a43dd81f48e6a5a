"""The dashboard's five tasks that matter most, computed in a thread once the dashboard has
its data (the points at stake take a moment on a large plan; the rest shows first)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from planner.i18n import _
from planner.services.focus import FocusList, focus_list
from planner.services.tui_queries import PlanOverview
from planner.tui.format import fmt_points, short_date
from planner.tui.literal import literal

DASHBOARD_FOCUS = 5


class FocusPanel(Static):
    DEFAULT_CSS = """
    FocusPanel {
        border: round $primary;
        padding: 0 1;
        height: 100%;
    }
    """

    class Ranked(Message):
        def __init__(self, ranked: FocusList | None, error: BaseException | None) -> None:
            super().__init__()
            self.ranked = ranked
            self.error = error

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(_("Loading…"), id=id)
        self.border_title = _("Matter most (f)")
        self.loads = 0  # rankings shown (tests wait on it)
        self.keys: list[str] = []

    def show_overview(self, overview: PlanOverview) -> None:
        from planner.tui.app import PlannerApp

        app = self.app
        assert isinstance(app, PlannerApp)
        self._rank(app.ctx, overview)

    @work(thread=True, exclusive=True, group="focus", exit_on_error=False)
    def _rank(self, ctx, overview: PlanOverview) -> None:  # type: ignore[no-untyped-def]
        worker = get_current_worker()
        try:
            ranked = focus_list(ctx, overview.as_of, limit=DASHBOARD_FOCUS, facts=overview.facts)
        except Exception as exc:
            if not worker.is_cancelled:
                self.post_message(self.Ranked(None, exc))
            return
        if not worker.is_cancelled:
            self.post_message(self.Ranked(ranked, None))

    def on_focus_panel_ranked(self, message: FocusPanel.Ranked) -> None:
        self.loads += 1
        if message.ranked is None:
            self.update(Text(_("Could not rank the tasks."), style="red"))
            self.log.error(repr(message.error))
            return
        items = message.ranked.items
        self.keys = [item.occurrence.key for item in items]
        if not items:
            self.update(Text(message.ranked.empty_text(),
                             style="green" if message.ranked.closed_on is None else ""))
            return
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, justify="right", style="dark_orange")
        for item in items:
            occ = item.occurrence
            when = _("overdue") if item.overdue else short_date(occ.due_on)
            table.add_row(literal(occ.key), literal(occ.title), when, fmt_points(item.at_stake))
        self.update(table)
