"""The tasks that matter most: open tasks ranked by the points lost if never done, per working
day left before their deadline, with the lead office and its head; enter opens a task."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from planner.i18n import _
from planner.services.focus import FocusList, focus_list, method_note
from planner.tui.format import clip, fmt_date, fmt_points
from planner.tui.literal import literal
from planner.tui.screens.base import PlannerScreen
from planner.tui.widgets.nav_table import NavTable
from planner.tui.widgets.status_line import StatusLine

#: How many the screen lists: a week's worth of attention, not the whole plan.
FOCUS_ROWS = 50


class FocusScreen(PlannerScreen):
    def compose_body(self) -> ComposeResult:
        yield StatusLine(_("Computing the points at stake…"), id="focus-note")
        yield NavTable(id="focus-table")
        yield Static("", id="focus-method", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(NavTable)
        table.add_columns("#", _("Task"), _("Title"), _("Due"), _("Days left"), _("At stake"),
                          _("Per day"), _("Lead"), _("Head of office"))
        table.focus()

    def fetch(self) -> FocusList:
        overview = self.planner.store.overview()
        return focus_list(self.ctx, overview.as_of, limit=FOCUS_ROWS, facts=overview.facts)

    def show(self, data: FocusList) -> None:
        table = self.query_one(NavTable)
        keep = table.selected_key()
        table.clear()
        for rank, item in enumerate(data.items, 1):
            occ = item.occurrence
            head = data.office(occ.lead_office).head or "-"
            left = _("overdue") if item.overdue else str(item.days_left)
            table.add_row(str(rank), literal(occ.key), literal(clip(occ.title, 40)),
                          fmt_date(occ.due_on), left, fmt_points(item.at_stake),
                          f"{item.pressure:.3f}", literal(occ.lead_office), literal(clip(head, 28)),
                          key=occ.key)
        table.move_to_key(keep)
        self.query_one("#focus-note", StatusLine).text = _(
            "The tasks that matter most — as of {date}: enter opens a task."
        ).format(date=fmt_date(data.as_of))
        self.query_one("#focus-method", Static).update(
            method_note(data.items) if data.items else data.empty_text())

    @on(DataTable.RowSelected, "#focus-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        from planner.tui.screens.task_detail import TaskDetailScreen

        if event.row_key.value:
            self.app.push_screen(TaskDetailScreen(str(event.row_key.value)))
