"""The dashboard's list of tasks due in the coming days; enter opens the task."""

from __future__ import annotations

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from planner.i18n import _
from planner.services.task_rows import TaskFilter, filter_rows
from planner.services.tui_queries import PlanOverview
from planner.tui.format import short_date
from planner.tui.literal import literal
from planner.tui.widgets.panel_list import PanelList

DUE_DAYS = 7


class DuePanel(PanelList):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(_("Due in {n} days").format(n=DUE_DAYS), id=id)

    def show_overview(self, overview: PlanOverview) -> None:
        rows = filter_rows(overview.rows, TaskFilter(due_within=DUE_DAYS), overview.as_of)
        rows = sorted(rows, key=lambda r: (r.due, r.key))
        # One table per line: the same widths on every line keep them aligned.
        key_width = max((cell_len(r.key) for r in rows), default=0)
        criterion_width = max((cell_len(",".join(r.criteria[:1])) for r in rows), default=0)
        lead_width = max((cell_len(r.lead) for r in rows), default=0)
        lines = []
        for row in rows:
            table = Table.grid(padding=(0, 1), expand=True)
            table.add_column(no_wrap=True)
            table.add_column(no_wrap=True, style="bold", min_width=key_width)
            table.add_column(no_wrap=True, style="cyan", min_width=criterion_width)
            table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
            table.add_column(no_wrap=True, justify="right", min_width=lead_width)
            table.add_row(short_date(row.due), literal(row.key), literal(",".join(row.criteria[:1])),
                          literal(row.title), literal(row.lead))
            lines.append((row.key, table))
        self.show_lines(lines, Text(_("Nothing is due in the next {n} days.").format(n=DUE_DAYS),
                                    style="dim"))
