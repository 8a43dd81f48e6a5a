"""The main screens as tabs under the header, each with the key that opens it (as remapped);
the current one highlighted, any one a click away."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.widget import Widget

if TYPE_CHECKING:
    from planner.tui.app import PlannerApp


class ScreenTabs(Widget):
    DEFAULT_CSS = """
    ScreenTabs {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    """

    def key_for(self, mode: str) -> str:
        """The key that opens `mode` on this screen (a remapped or shadowed key shows as such)."""
        action = f"switch_mode('{mode}')"
        for key, active in self.screen.active_bindings.items():
            if active.binding.action == action:
                return self.app.get_key_display(active.binding.with_key(key))
        return ""

    def on_mount(self) -> None:
        # Keys can change with the focus (a widget may shadow one): redraw then.
        self.watch(self.screen, "focused", self._focus_changed, init=False)

    def _focus_changed(self) -> None:
        self.refresh()

    def render(self) -> Text:
        from planner.tui.app import SCREEN_KEYS

        app = cast("PlannerApp", self.app)
        mode = app.current_mode if self.screen in app.screen_stack else ""
        text = Text()
        for name, (_id, _keys, label) in SCREEN_KEYS.items():
            key = self.key_for(name)
            current = name == mode
            text.append(" ")
            # A click switches screens, like the key.
            style = f"@click=app.switch_mode('{name}')"
            text.append_text(Text.from_markup(
                f"[{style}][b]{key}[/b] {label}[/]" if not current
                else f"[{style}][reverse] [b]{key}[/b] {label} [/reverse][/]"))
            text.append(" ")
        return text
