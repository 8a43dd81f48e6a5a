"""The task list: a Line API widget that renders only the rows on screen.

A DataTable measures every cell when rows are added (1.5 s for 10,000); this widget keeps the
rows as data and draws the visible lines on demand, so a filter that changes 10,000 rows costs
the same as one that changes ten. Line 0 of the viewport is the column header; row `i` is
virtual line `i + 1`.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from planner.i18n import _
from planner.services.task_rows import TaskRow
from planner.tui.format import due_text, pad, row_status
from planner.tui.literal import safe

# (column id, fixed width or 0 for the flexible title, right-aligned)
_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("key", 15, False),
    ("title", 0, False),
    ("lead", 7, False),
    ("due", 10, False),
    ("status", 14, False),  # "đang thực hiện" in Vietnamese
    ("progress", 5, True),
    ("criteria", 13, False),
)


#: The narrowest title worth showing all the columns for; below it, the criteria column goes.
MIN_TITLE = 24


def _headers() -> dict[str, str]:
    return {
        "key": _("Code"), "title": _("Title"), "lead": _("Lead"), "due": _("Due"),
        "status": _("Status"), "progress": _("Prog."), "criteria": _("Criteria"),
    }


class TaskTable(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    TaskTable {
        height: 1fr;
        overflow-x: hidden;
        background: $surface;
    }
    TaskTable > .task-table--header { text-style: bold; background: $panel; }
    TaskTable > .task-table--overdue { color: $error; text-style: bold; }
    TaskTable > .task-table--done { color: $text-muted; }
    TaskTable > .task-table--cursor { background: $block-cursor-blurred-background; }
    TaskTable:focus > .task-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    TaskTable > .task-table--empty { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "task-table--header", "task-table--overdue", "task-table--done", "task-table--cursor",
        "task-table--empty",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", _("Up"), show=False, id="list.up"),
        Binding("down,j", "cursor_down", _("Down"), show=False, id="list.down"),
        Binding("pageup", "page_up_rows", _("Page up"), show=False, id="list.page_up"),
        Binding("pagedown", "page_down_rows", _("Page down"), show=False, id="list.page_down"),
        Binding("home", "first_row", _("First"), show=False, id="list.first"),
        Binding("end", "last_row", _("Last"), show=False, id="list.last"),
        Binding("enter", "open_row", _("Open task"), id="list.open"),
    ]

    # Not repainting: moving the cursor redraws its old and new lines only (watch_cursor).
    cursor: reactive[int] = reactive(0, init=False, repaint=False)

    class Highlighted(Message):
        def __init__(self, table: TaskTable, row: TaskRow | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> TaskTable:
            return self.table

    class Opened(Message):
        def __init__(self, table: TaskTable, row: TaskRow) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> TaskTable:
            return self.table

    class HeaderClicked(Message):
        """The column header was clicked (the screen sorts by that column)."""

        def __init__(self, table: TaskTable, column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

        @property
        def control(self) -> TaskTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[TaskRow] = []
        self._lines: LRUCache[tuple[int, bool, bool, int], Strip] = LRUCache(1024)
        # The text of a row at the current width, by row key: a search that reorders the rows
        # on screen restyles them without formatting their cells again.
        self._texts: LRUCache[str, str] = LRUCache(4096)
        self._layout: tuple[int, list[tuple[str, int, bool]]] | None = None
        self.empty_text = _("Loading…")

    # ------------------------------------------------------------------ data

    @property
    def rows(self) -> list[TaskRow]:
        return self._rows

    @property
    def current_row(self) -> TaskRow | None:
        if 0 <= self.cursor < len(self._rows):
            return self._rows[self.cursor]
        return None

    def set_rows(self, rows: list[TaskRow], *, keep: str | None = None, new_data: bool = True) -> None:
        """Show these rows; the cursor stays on the row with key `keep` when it is still there.

        `new_data=False` says the rows are a new selection of the same data (a filter changed),
        so the text of rows already formatted can be reused.
        """
        self._rows = rows
        self._lines.clear()
        if new_data:
            self._texts.clear()
        index = 0
        if keep is not None:
            index = next((i for i, r in enumerate(rows) if r.key == keep), 0)
        self._set_height(len(rows) + 1)
        self.set_reactive(TaskTable.cursor, min(index, max(len(rows) - 1, 0)))
        self._show_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current_row))

    def _set_height(self, lines: int) -> None:
        """Change the scrollable height without laying out the whole screen again.

        Assigning `virtual_size` asks for a full layout (about 40 ms on the task list screen,
        for every keystroke of a search). Only the scrollbars depend on it here, so they are
        updated directly; a layout happens only if the scrollbar appears or disappears.
        """
        size = Size(0, lines)
        if size == self.virtual_size:
            return
        if not self.is_mounted:
            self.virtual_size = size
            return
        had_scrollbar = self.show_vertical_scrollbar
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)
        if self.show_vertical_scrollbar != had_scrollbar:
            self.refresh(layout=True)

    # ------------------------------------------------------------------ cursor

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        self._show_cursor()
        self.post_message(self.Highlighted(self, self.current_row))

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _show_cursor(self) -> None:
        top = round(self.scroll_offset.y)
        visible = self._visible_rows()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def _move(self, delta: int) -> None:
        if self._rows:
            self.cursor = min(max(self.cursor + delta, 0), len(self._rows) - 1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up_rows(self) -> None:
        self._move(-self._visible_rows())

    def action_page_down_rows(self) -> None:
        self._move(self._visible_rows())

    def action_first_row(self) -> None:
        self._move(-len(self._rows))

    def action_last_row(self) -> None:
        self._move(len(self._rows))

    def action_open_row(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Opened(self, row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = 0
            for column, width, _right in self._columns(self.scrollable_content_region.width):
                x += 1 + width
                if offset.x < x:
                    self.post_message(self.HeaderClicked(self, column))
                    break
            return
        index = round(self.scroll_offset.y) + offset.y - 1
        if 0 <= index < len(self._rows):
            if index == self.cursor and event.chain >= 2:
                self.action_open_row()
            self.cursor = index

    def on_focus(self) -> None:
        self._lines.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._lines.clear()
        self.refresh()

    # ------------------------------------------------------------------ drawing

    def _columns(self, width: int) -> list[tuple[str, int, bool]]:
        if self._layout is not None and self._layout[0] == width:
            return self._layout[1]
        wanted = _COLUMNS
        fixed = sum(w for _c, w, _r in wanted) + len(wanted)  # one space before each column
        if width - fixed < MIN_TITLE:
            # Narrow (80 columns): the title matters more than the criteria codes, which the
            # task's own screen shows.
            wanted = tuple(c for c in _COLUMNS if c[0] != "criteria")
            fixed = sum(w for _c, w, _r in wanted) + len(wanted)
        title = max(10, width - fixed)
        columns = [(c, w or title, r) for c, w, r in wanted]
        self._layout = (width, columns)
        return columns

    @staticmethod
    def _line_text(cells: list[str], columns: list[tuple[str, int, bool]]) -> str:
        return "".join(" " + pad(cell, w, right=right) for cell, (_c, w, right) in zip(cells, columns, strict=True))

    def _strip(self, text: str, style: Style, width: int) -> Strip:
        return Strip([Segment(text, style)]).adjust_cell_length(width, style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        columns = self._columns(width)
        if y == 0:
            headers = _headers()
            style = base + self.get_component_rich_style("task-table--header")
            return self._strip(self._line_text([headers[c] for c, _w, _r in columns], columns), style, width)
        index = round(self.scroll_offset.y) + y - 1
        if index >= len(self._rows):
            if index == 0:
                style = base + self.get_component_rich_style("task-table--empty")
                return Strip([Segment(" " + self.empty_text, style)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        selected = index == self.cursor
        key = (index, selected, self.has_focus, width)
        cached = self._lines.get(key)
        if cached is not None:
            return cached
        row = self._rows[index]
        style = base
        if row.overdue:
            style += self.get_component_rich_style("task-table--overdue")
        elif row.status in ("done", "cancelled"):
            style += self.get_component_rich_style("task-table--done")
        if selected:
            style += self.get_component_rich_style("task-table--cursor")
        text = self._texts.get(row.key)
        if text is None:
            values = {"key": safe(row.key), "title": safe(row.title), "lead": safe(row.lead),
                      "due": due_text(row), "status": row_status(row), "progress": f"{row.progress}%",
                      "criteria": safe(",".join(row.criteria))}
            cells = [values[c] for c, _w, _r in columns]
            text = self._line_text(cells, columns)
            self._texts[row.key] = text
        strip = self._strip(text, style, width)
        self._lines[key] = strip
        return strip

    def on_resize(self) -> None:
        self._lines.clear()
        self._texts.clear()
        self._layout = None
