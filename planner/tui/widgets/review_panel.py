"""Evidence waiting for the coordinator's review, oldest first; enter opens its task."""

from __future__ import annotations

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from planner.i18n import _, ngettext
from planner.services.tui_queries import PlanOverview
from planner.tui.format import short_date
from planner.tui.literal import literal
from planner.tui.widgets.panel_list import PanelList

#: The panel lists at most this many (the oldest); the summary counts them all.
SHOWN = 50


class ReviewPanel(PanelList):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(_("Evidence to review"), id=id)
        self.waiting = 0
        self.targets: dict[str, str] = {}  # option id (the evidence number) -> its target

    def show_overview(self, overview: PlanOverview) -> None:
        rows = sorted(overview.submitted, key=lambda r: (r.submitted_on, r.id))
        self.waiting = len(rows)
        self.targets = {str(r.id): r.target for r in rows}
        if rows:
            oldest = (overview.as_of - rows[0].submitted_on).days
            self.border_subtitle = ", ".join((
                ngettext("{n} submitted", "{n} submitted", len(rows)).format(n=len(rows)),
                ngettext("oldest {d} day", "oldest {d} days", oldest).format(d=oldest)))
        else:
            self.border_subtitle = ""
        shown = rows[:SHOWN]
        # One table per line: the same width for the target on every line keeps them aligned.
        target_width = max((cell_len(r.target) for r in shown), default=0)
        lines = []
        for row in shown:
            what = row.doc_number or row.filename or row.url or row.title or row.note
            table = Table.grid(padding=(0, 1), expand=True)
            table.add_column(no_wrap=True, style="bold", min_width=target_width)
            table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
            table.add_column(no_wrap=True)
            table.add_row(literal(row.target), literal(what), short_date(row.submitted_on))
            lines.append((str(row.id), table))
        self.show_lines(lines, Text(_("Nothing waits for review."), style="green"))
