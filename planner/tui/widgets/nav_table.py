"""A DataTable for short lists (offices, evidence, readings) with j/k as well as arrows."""

from __future__ import annotations

import contextlib
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from planner.i18n import _


class NavTable(DataTable[object]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", _("Down"), show=False, id="list.down"),
        Binding("k", "cursor_up", _("Up"), show=False, id="list.up"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)

    def selected_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if self.row_count == 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    def move_to_key(self, key: str | None) -> None:
        """Put the cursor back on the row with this key after a reload, if it is still there."""
        if key is None:
            return
        with contextlib.suppress(RowDoesNotExist):  # the row is gone: the cursor stays
            self.move_cursor(row=self.get_row_index(key), animate=False)
