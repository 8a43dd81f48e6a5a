"""One line of text that changes often (the task list's count): a repaint, never a relayout.

A Static's update() lays the whole screen out again (about 50 ms with the task list showing);
this widget has a fixed height, so changing its text only redraws it.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from planner.tui.literal import safe


class StatusLine(Widget):
    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 1fr;
        color: $text-muted;
        padding: 0 1;
    }
    """

    text: reactive[str] = reactive("", layout=False)

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(StatusLine.text, text)

    def render(self) -> Text:
        return Text(safe(self.text), no_wrap=True, overflow="ellipsis")
