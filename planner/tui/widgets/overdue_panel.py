"""Overdue work grouped by the office that leads it, with the head of office who answers for it;
enter on an office opens its overdue tasks."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text

from planner.i18n import _, ngettext
from planner.services.tui_queries import PlanOverview
from planner.tui.format import fmt_points
from planner.tui.literal import literal
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
        order = sorted(overdue, key=lambda code: (-records[code].overdue_at_risk if code in records else 0,
                                                  -len(overdue[code]), code))
        rows = []
        for code in order:
            office = offices.get(code)
            head = ", ".join(p for p in (office.head_name, office.head_title) if p) if office else ""
            keys = overdue[code]
            record = records.get(code)
            risk = ""
            # The points the overdue work carries: the figure of the weekly report's "Overdue"
            # section (the offices board counts every point at risk the office answers for).
            if record is not None and record.overdue_at_risk > 1e-9:
                risk = _("{points} at risk").format(points=fmt_points(record.overdue_at_risk))
            rows.append((code, head or "-", ngettext("{n} task", "{n} tasks", len(keys)).format(n=len(keys)),
                         risk, ", ".join(keys)))
        # Each office on two lines: its head and the number of tasks; the tasks and the points
        # at risk. The same widths on every line keep the lines aligned.
        code_width = max((cell_len(r[0]) for r in rows), default=0)
        count_width = max((cell_len(r[2]) for r in rows), default=0)
        risk_width = max((cell_len(r[3]) for r in rows), default=0)
        lines = []
        for code, head, count, risk, tasks in rows:
            first = Table.grid(padding=(0, 1), expand=True)
            first.add_column(no_wrap=True, style="bold", min_width=code_width)
            first.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
            first.add_column(no_wrap=True, justify="right", min_width=count_width)
            first.add_row(literal(code), literal(head), count)
            second = Table.grid(padding=(0, 1), expand=True)
            second.add_column(no_wrap=True, min_width=code_width)
            second.add_column(ratio=1, no_wrap=True, overflow="ellipsis", style="dim")
            second.add_column(no_wrap=True, justify="right", style="dark_orange", min_width=risk_width)
            second.add_row("", literal(tasks), risk)
            lines.append((code, Group(first, second)))
        self.show_lines(lines, Text(_("No overdue task."), style="green"))
