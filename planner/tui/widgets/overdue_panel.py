"""Overdue work grouped by the office that leads it, with the head of office who answers for it;
enter on an office opens its overdue tasks."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from planner.i18n import _, ngettext
from planner.services.tui_queries import PlanOverview
from planner.tui.format import fmt_points
from planner.tui.widgets.panel_list import PanelList


class OverduePanel(PanelList):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(_("Overdue by lead office"), id=id)

    def show_overview(self, overview: PlanOverview) -> None:
        overdue: dict[str, list[str]] = {}
        for row in overview.rows:
            if row.overdue:
                overdue.setdefault(row.lead, []).append(row.key)
        records = {r.office: r for r in overview.board}
        offices = {o.code: o for o in overview.offices}
        order = sorted(overdue, key=lambda code: (-records[code].points_at_risk if code in records else 0,
                                                  -len(overdue[code]), code))
        lines = []
        for code in order:
            office = offices.get(code)
            head = ", ".join(p for p in (office.head_name, office.head_title) if p) if office else ""
            keys = overdue[code]
            record = records.get(code)
            risk = ""
            if record is not None and record.points_at_risk > 1e-9:
                risk = _("{points} at risk").format(points=fmt_points(record.points_at_risk))
            table = Table.grid(padding=(0, 1), expand=True)
            table.add_column(no_wrap=True, style="bold")
            table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
            table.add_column(no_wrap=True, justify="right")
            table.add_column(no_wrap=True, justify="right", style="dark_orange")
            table.add_row(code, head or "-",
                          ngettext("{n} task", "{n} tasks", len(keys)).format(n=len(keys)), risk)
            table.add_row("", Text(", ".join(keys), style="dim"), "", "")
            lines.append((code, table))
        self.show_lines(lines, Text(_("No overdue task."), style="green"))
