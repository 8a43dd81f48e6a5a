"""One line on top of every screen: the plan on the left; on the right who is acting (whose
name the changes carry, and with which rights) and the date the figures are as of, marked
when it is in the past (the screens are then read-only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.widget import Widget

from planner.tui.format import clip, display_width
from planner.tui.literal import safe

if TYPE_CHECKING:
    from planner.tui.app import PlannerApp


class PlanHeader(Widget):
    DEFAULT_CSS = """
    PlanHeader {
        height: 1;
        background: $primary-background;
        color: $text;
        padding: 0 1;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "plan_label", self._label_changed, init=False)
        self.watch(self.app, "acting_label", self._label_changed, init=False)
        self.watch(self.app, "as_of", self._label_changed, init=False)

    def _label_changed(self) -> None:
        self.refresh()

    def render(self) -> Text:
        app = cast("PlannerApp", self.app)
        right = " · ".join(p for p in (app.acting_label, app.as_of_text) if p)
        width = self.content_size.width
        if app.in_past and display_width(right) > width - 12:
            right = app.as_of_text  # that the past is read-only matters more than who acts
        left = clip(safe(app.plan_label), max(1, width - display_width(right) - 2))
        gap = max(1, width - display_width(left) - display_width(right))
        text = Text(left, style="bold")
        text.append(" " * gap)
        text.append(right, style="bold reverse" if app.in_past else "bold")
        return text
