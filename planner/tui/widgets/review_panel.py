"""Evidence waiting for the coordinator's review, oldest first."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from planner.i18n import _, ngettext
from planner.services.tui_queries import PlanOverview
from planner.tui.format import short_date
from planner.tui.literal import literal


class ReviewPanel(Static):
    DEFAULT_CSS = """
    ReviewPanel {
        border: round $primary;
        padding: 0 1;
        height: 100%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(_("Loading…"), id=id)
        self.border_title = _("Evidence to review")
        self.waiting = 0

    def show_overview(self, overview: PlanOverview) -> None:
        rows = sorted(overview.submitted, key=lambda r: (r.submitted_on, r.id))
        self.waiting = len(rows)
        if not rows:
            self.update(Text(_("Nothing waits for review."), style="green"))
            return
        oldest = (overview.as_of - rows[0].submitted_on).days
        summary = Text.assemble(
            (ngettext("{n} submitted", "{n} submitted", len(rows)).format(n=len(rows)), "bold"),
            ", ",
            ngettext("oldest {d} day", "oldest {d} days", oldest).format(d=oldest),
        )
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(no_wrap=True)
        for row in rows[:50]:
            what = row.doc_number or row.filename or row.url or row.title or row.note
            table.add_row(literal(row.target), literal(what), short_date(row.submitted_on))
        self.update(Group(summary, table))
