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
NARROW_BAR = 6
#: Below this many cells for a field's title, the bars shrink and the points drop their
#: trailing zeros, so that 80 columns still tell "Cải cách thể chế" from "Cải cách TTHC".
MIN_TITLE = 24


def _compact(points: float) -> str:
    """4.50 -> 4.5, 7.00 -> 7 (the decimal sign of the language kept)."""
    text = fmt_points(points)
    return text.rstrip("0").rstrip(".,") if text[-3:-2] in ".," else text


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

    def _cells(self, node: CriterionScore, narrow: bool) -> list[Text | str]:
        flag = Text("!" if narrow else " !", style="bold dark_orange") if node.at_risk > 1e-9 \
            else Text(" " if narrow else "  ")
        points = (f"{_compact(node.secured)}/{_compact(node.max_points)}" if narrow
                  else f"{fmt_points(node.secured)}/{fmt_points(node.max_points)}")
        return [
            literal(node.code, style="bold"),
            Text(safe(node.title), no_wrap=True, overflow="ellipsis"),
            bar(node.secured, node.at_risk, node.lost, node.open, NARROW_BAR if narrow else BAR_WIDTH),
            Text(points, justify="right"),
            flag,
        ]

    def _narrow(self, fields: list[CriterionScore]) -> bool:
        width = self.content_size.width or 116
        code = max((len(f.code) for f in fields), default=1)
        points = max((len(f"{fmt_points(f.secured)}/{fmt_points(f.max_points)}") for f in fields), default=9)
        # code, title, bar, points, flag and the four gaps between them, in each half.
        return width // 2 - (code + BAR_WIDTH + points + 2 + 4) < MIN_TITLE

    def show_overview(self, overview: PlanOverview) -> None:
        fields = list(overview.score.criteria)
        half = (len(fields) + 1) // 2
        narrow = self._narrow(fields)
        # code, title, bar, points, flag per half; the titles share what is left.
        table = Table.grid(padding=(0, 1), expand=True)
        for _half in range(2):
            table.add_column(no_wrap=True)
            table.add_column(no_wrap=True, ratio=1, overflow="ellipsis")
            table.add_column(no_wrap=True)
            table.add_column(no_wrap=True, justify="right")
            table.add_column(no_wrap=True)
        for i in range(half):
            cells = self._cells(fields[i], narrow)
            if i + half < len(fields):
                cells += self._cells(fields[i + half], narrow)
            else:
                cells += ["", "", "", "", ""]
            table.add_row(*cells)
        self.update(table)
