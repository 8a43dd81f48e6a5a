"""Overdue work grouped by the office that leads it, with the head of office who answers for it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from planner.i18n import _, ngettext
from planner.services.tui_queries import PlanOverview
from planner.tui.format import fmt_points
from planner.tui.literal import literal


class OverduePanel(Static):
    DEFAULT_CSS = """
    OverduePanel {
        border: round $primary;
        padding: 0 1;
        height: 100%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(_("Loading…"), id=id)
        self.border_title = _("Overdue by lead office")

    def show_overview(self, overview: PlanOverview) -> None:
        overdue: dict[str, list[str]] = {}
        for row in overview.rows:
            if row.overdue:
                overdue.setdefault(row.lead, []).append(row.key)
        records = {r.office: r for r in overview.board}
        offices = {o.code: o for o in overview.offices}
        if not overdue:
            self.update(Text(_("No overdue task."), style="green"))
            return
        order = sorted(overdue, key=lambda code: (-records[code].points_at_risk if code in records else 0,
                                                  -len(overdue[code]), code))
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(no_wrap=True, justify="right")
        table.add_column(no_wrap=True, justify="right", style="dark_orange")
        for code in order:
            office = offices.get(code)
            head = ", ".join(p for p in (office.head_name, office.head_title) if p) if office else ""
            keys = overdue[code]
            record = records.get(code)
            risk = ""
            if record is not None and record.points_at_risk > 1e-9:
                risk = _("{points} at risk").format(points=fmt_points(record.points_at_risk))
            table.add_row(literal(code), literal(head or "-"),
                          ngettext("{n} task", "{n} tasks", len(keys)).format(n=len(keys)), risk)
            table.add_row("", literal(", ".join(keys), style="dim"), "", "")
        self.update(table)
