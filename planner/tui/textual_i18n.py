"""Textual's own words in the user's language: the descriptions of its built-in key bindings
(shown in the key bar, the help screen and the command palette), the command palette's
placeholder and "no matches" line, and the system commands.

Textual's bindings keep their keys; their descriptions are English in Textual's source, so
they are translated where planner shows them (`key_text`), from the messages marked below.
`tests/test_language.py` checks that every description of the widgets planner uses is here,
so an upgrade of Textual that adds one fails a test instead of leaking English.
"""

from __future__ import annotations

from typing import ClassVar

from rich.align import Align
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel
from textual.widgets.option_list import Option

from planner.i18n import N_, _

#: The descriptions of the built-in bindings of the Textual classes planner uses (Textual 8.2).
TEXTUAL_MESSAGES = (
    # App, Screen, ModalScreen
    N_("Quit"), N_("Focus Next"), N_("Focus Previous"), N_("Copy selected text"),
    N_("palette"),
    # DataTable, Tree, lists and selections
    N_("Select"), N_("Cursor up"), N_("Cursor down"), N_("Cursor left"), N_("Cursor right"),
    N_("Cursor Up"), N_("Cursor Down"), N_("Page up"), N_("Page down"), N_("Top"), N_("Bottom"),
    N_("Home"), N_("End"), N_("Cursor to next ancestor"), N_("Cursor to next sibling"),
    N_("Cursor to parent"), N_("Cursor to previous sibling"), N_("Expand or collapse all"),
    N_("Toggle"), N_("Toggle option"), N_("Up"), N_("Down"), N_("First"), N_("Last"),
    N_("Show menu"), N_("Dismiss menu"), N_("Press button"), N_("Next tab"), N_("Previous tab"),
    # Scrolling containers
    N_("Scroll Up"), N_("Scroll Down"), N_("Scroll Left"), N_("Scroll Right"), N_("Scroll Home"),
    N_("Scroll End"), N_("Page Up"), N_("Page Down"), N_("Page Left"), N_("Page Right"),
    # Input
    N_("Move cursor left"), N_("Move cursor left and select"), N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Move cursor right and select"), N_("Move cursor right a word"),
    N_("Move cursor right a word and select"), N_("Delete character left"), N_("Select all"),
    N_("Go to start"), N_("Go to end"), N_("Select line start"), N_("Select line end"),
    N_("Delete character right"), N_("Submit"), N_("Delete left to start of word"),
    N_("Delete all to the left"), N_("Delete right to start of word"),
    N_("Delete all to the right"), N_("Cut selected text"), N_("Paste text from the clipboard"),
    # The command palette
    N_("Go to bottom"), N_("Go to top"), N_("Next command"), N_("Exit the command palette"),
    N_("Next page"), N_("Previous page"), N_("Previous command"),
)


def key_text(description: str) -> str:
    """A binding's description in the current language (planner's own are translated already)."""
    return _(description) if description else description


class PlannerFooter(Footer):
    """The key bar, with Textual's built-in descriptions ("Dismiss menu") translated."""

    def compose(self) -> ComposeResult:
        self._forget_removed_keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = key_text(widget.description)
                if isinstance(widget.tooltip, str) and widget.tooltip:
                    widget.tooltip = key_text(widget.tooltip)
            elif isinstance(widget, FooterLabel) and isinstance(widget.content, str):
                widget.content = key_text(widget.content)
            yield widget

    def _forget_removed_keys(self) -> None:
        """Drop the keys of the previous composition from the footer's watchers.

        Each key binds `compact` to the footer (Textual's `data_bind`), which appends a watcher
        to the footer; Textual removes watchers of closed nodes only when `compact` changes,
        which it never does here. The footer recomposes whenever the bindings change (every
        screen switch, every focus move), so a session kept every key ever shown: about 80
        widgets a round of screen switching (tests/tui/test_memory.py). Removed before this
        compose, the old keys are no longer attached."""
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers
                           if not isinstance(node, FooterKey) or node.is_attached]


class PlannerCommandPalette(CommandPalette):
    """Textual's command palette with its words translated (same keys)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+end, shift+end", "command_list('last')", _("Go to bottom"), show=False,
                id="palette.last"),
        Binding("ctrl+home, shift+home", "command_list('first')", _("Go to top"), show=False,
                id="palette.first"),
        Binding("down", "cursor_down", _("Next command"), show=False, id="palette.down"),
        Binding("escape", "escape", _("Exit the command palette"), id="palette.close"),
        Binding("pagedown", "command_list('page_down')", _("Next page"), show=False,
                id="palette.page_down"),
        Binding("pageup", "command_list('page_up')", _("Previous page"), show=False,
                id="palette.page_up"),
        Binding("up", "command_list('cursor_up')", _("Previous command"), show=False,
                id="palette.up"),
    ]

    def __init__(self) -> None:
        super().__init__(placeholder=_("Search for commands…"), id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own, with its "No matches found" in the user's language.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text(_("No matches found"), style="not bold")),
                    disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
