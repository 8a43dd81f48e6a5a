"""A dashboard panel whose lines can be chosen: arrows or j/k move, enter opens what the line
is about (a task, an office's overdue tasks)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import RenderableType
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from planner.i18n import _


class PanelList(OptionList):
    DEFAULT_CSS = """
    PanelList {
        border: round $primary;
        padding: 0 1;
        height: 100%;
        max-height: 100%;
        background: $surface;
        &:focus { border: round $accent; }
        & > .option-list--option { padding: 0; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", _("View"), id="panel.open"),
        Binding("j", "cursor_down", _("Down"), show=False, id="list.down"),
        Binding("k", "cursor_up", _("Up"), show=False, id="list.up"),
    ]

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(Option(_("Loading…"), disabled=True), id=id)
        self.border_title = title

    def show_lines(self, lines: Sequence[tuple[str, RenderableType]], empty: RenderableType) -> None:
        """Replace the lines, each `(id, renderable)`; the highlight stays on the same id."""
        current = self.highlighted_option.id if self.highlighted_option is not None else None
        self.clear_options()
        if not lines:
            self.add_option(Option(empty, disabled=True))
            return
        self.add_options([Option(prompt, id=key) for key, prompt in lines])
        ids = [key for key, _prompt in lines]
        self.highlighted = ids.index(current) if current in ids else 0
