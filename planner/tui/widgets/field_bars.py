"""One bar per field of the index: the four parts of its maximum, and its points."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from planner.domain.scoring import CriterionScore
from planner.i18n import _
from planner.services.tui_queries import PlanOverview
from planner.tui.format import bar, fmt_points
from planner.tui.literal import literal, safe

BAR_WIDTH = 12


class FieldBars(Static):
    DEFAULT_CSS = """
    FieldBars {
        border: round $primary;
        padding: 0 1;
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(_("Loading…"), id=id)
        self.border_title = _("Fields")

    def _cells(self, node: CriterionScore) -> list[Text | str]:
        flag = Text(" !", style="bold dark_orange") if node.at_risk > 1e-9 else Text("  ")
        return [
            literal(node.code, style="bold"),
            Text(safe(node.title), no_wrap=True, overflow="ellipsis"),
            bar(node.secured, node.at_risk, node.lost, node.open, BAR_WIDTH),
            Text(f"{fmt_points(node.secured)}/{fmt_points(node.max_points)}", justify="right"),
            flag,
        ]

    def show_overview(self, overview: PlanOverview) -> None:
        fields = list(overview.score.criteria)
        half = (len(fields) + 1) // 2
        # code, title, bar, points, flag per half; the titles share what is left.
        table = Table.grid(padding=(0, 1), expand=True)
        for _half in range(2):
            table.add_column(no_wrap=True)
            table.add_column(no_wrap=True, ratio=1, overflow="ellipsis")
            table.add_column(no_wrap=True)
            table.add_column(no_wrap=True, justify="right")
            table.add_column(no_wrap=True)
        for i in range(half):
            cells = self._cells(fields[i])
            if i + half < len(fields):
                cells += self._cells(fields[i + half])
            else:
                cells += ["", "", "", "", ""]
            table.add_row(*cells)
        self.update(table)
