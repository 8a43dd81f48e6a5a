"""Told when someone else changed the task being edited: reload, merge or keep editing."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from planner.i18n import _
from planner.tui.literal import literal

RELOAD, MERGE, KEEP = "reload", "merge", "keep"


class ConflictDialog(ModalScreen[str]):
    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog > #conflict {
        width: 72; height: auto; border: thick $error; background: $surface; padding: 1 2;
    }
    ConflictDialog #conflict-title { text-style: bold; color: $error; }
    ConflictDialog #conflict-message { margin: 1 0; }
    ConflictDialog Button { width: 100%; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "keep", _("Keep editing"), id="conflict.keep"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict"):
            yield Label(_("Changed by someone else"), id="conflict-title")
            yield Static(literal(self.message, multiline=True), id="conflict-message")
            yield Static(_("Nothing was saved. Your changes are still in the form."))
            yield Button(_("Reload their version (discard my changes)"), id="conflict-reload",
                         variant="warning")
            yield Button(_("Reload, then put my changes back on top"), id="conflict-merge",
                         variant="primary")
            yield Button(_("Keep editing (do not reload)"), id="conflict-keep")

    def on_mount(self) -> None:
        self.query_one("#conflict-merge", Button).focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss({"conflict-reload": RELOAD, "conflict-merge": MERGE}.get(event.button.id or "", KEEP))

    def action_keep(self) -> None:
        self.dismiss(KEEP)
