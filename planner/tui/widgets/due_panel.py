"""The dashboard's list of tasks due in the coming days."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from planner.i18n import _
from planner.services.task_rows import TaskFilter, filter_rows
from planner.services.tui_queries import PlanOverview
from planner.tui.format import short_date
from planner.tui.literal import literal

DUE_DAYS = 7


class DuePanel(Static):
    DEFAULT_CSS = """
    DuePanel {
        border: round $primary;
        padding: 0 1;
        height: 100%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(_("Loading…"), id=id)
        self.border_title = _("Due in {n} days").format(n=DUE_DAYS)

    def show_overview(self, overview: PlanOverview) -> None:
        rows = filter_rows(overview.rows, TaskFilter(due_within=DUE_DAYS), overview.as_of)
        rows = sorted(rows, key=lambda r: (r.due, r.key))
        if not rows:
            self.update(Text(_("Nothing is due in the next {n} days.").format(n=DUE_DAYS), style="dim"))
            return
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(no_wrap=True, style="cyan")
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(no_wrap=True, justify="right")
        for row in rows:
            table.add_row(short_date(row.due), literal(row.key), literal(",".join(row.criteria[:1])),
                          literal(row.title), literal(row.lead))
        self.update(table)
