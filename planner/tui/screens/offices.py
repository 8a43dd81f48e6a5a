"""The accountability board: per office, what it leads, delivered, let slip and puts at risk,
with the head of office who answers for it; enter opens the office's tasks."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from planner.i18n import _
from planner.services.tui_queries import PlanOverview
from planner.tui.format import clip, fmt_points
from planner.tui.literal import assemble, literal
from planner.tui.screens.base import PlannerScreen
from planner.tui.widgets.nav_table import NavTable


def _number(value: int | float, style: str = "") -> Text:
    """A right-aligned figure (points with two decimals), in `style` when it is not zero."""
    text = fmt_points(value) if isinstance(value, float) else str(value)
    return Text(text, style=style if abs(value) > 1e-9 else "", justify="right")


class OfficesScreen(PlannerScreen):
    def compose_body(self) -> ComposeResult:
        yield Static(_("Accountability by office: enter opens the office's tasks (led or supported)."),
                     id="offices-hint")
        yield NavTable(id="offices-table")

    def on_mount(self) -> None:
        table = self.query_one(NavTable)
        table.add_columns(_("Office"), _("Head of office"), _("Led"), _("On time"), _("Late"),
                          _("Overdue"), _("Review"), _("At risk"), _("Lost"), _("Supp."))
        table.focus()

    def fetch(self) -> PlanOverview:
        return self.planner.store.overview()

    def show(self, data: PlanOverview) -> None:
        table = self.query_one(NavTable)
        keep = table.selected_key()
        table.clear()
        offices = {o.code: o for o in data.offices}
        # Below 100 columns the figures come first: the office by its code, the head by name.
        narrow = self.size.width < 100
        for record in data.board:
            office = offices[record.office]
            parts = (office.head_name,) if narrow else (office.head_name, office.head_title)
            head = ", ".join(p for p in parts if p) or "-"
            name = Text(office.code, style="bold") if narrow else \
                assemble((office.code, "bold"), " ", clip(office.name, 18))
            table.add_row(
                name, literal(clip(head, 20 if narrow else 28)), _number(record.tasks_led), _number(record.done_on_time),
                _number(record.done_late), _number(record.overdue, "bold red"),
                _number(record.awaiting_review, "bold"),
                _number(float(record.points_at_risk), "bold dark_orange"),
                _number(float(record.points_lost), "red"),
                _number(record.supported), key=office.code,
            )
        table.move_to_key(keep)

    @on(DataTable.RowSelected, "#offices-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        from planner.tui.screens.task_list import TaskListScreen

        if event.row_key.value:
            self.app.push_screen(TaskListScreen(office=event.row_key.value))

    def on_resize(self) -> None:
        latest = self.planner.store.latest
        if latest is not None and self.loads:
            self.show(latest)
