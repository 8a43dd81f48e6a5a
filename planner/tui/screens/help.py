"""`?`: the keys of the screen underneath (as remapped), and where to find everything else."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from planner.i18n import _
from planner.tui.commands import moves_in_a_list
from planner.tui.literal import literal
from planner.tui.textual_i18n import key_text


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > #help {
        width: 84; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", _("Close"), id="help.close"),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        # Read now: once this modal is on top, the app disables the keys underneath.
        self._rows = self._key_rows(under)

    def key_rows(self) -> list[tuple[str, str]]:
        """(keys, description) of every binding active on the screen underneath."""
        return self._rows

    def _key_rows(self, under: Screen[object]) -> list[tuple[str, str]]:
        by_action: dict[tuple[str, str], list[str]] = {}
        for key, active in under.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action == "command_palette" \
                    or moves_in_a_list(binding):
                continue  # the palette, and moving in lists, have lines of their own below
            description = key_text(binding.description)
            keys = by_action.setdefault((binding.action, description), [])
            display = self.app.get_key_display(binding.with_key(key))
            if display not in keys:
                keys.append(display)
        return [(" ".join(keys), description) for (_a, description), keys in by_action.items()]

    def compose(self) -> ComposeResult:
        table = Table(box=None, padding=(0, 2), show_header=False)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for keys, description in self.key_rows():
            table.add_row(literal(keys), literal(description))  # keys may come from the config
        table.add_row("ctrl+p", _("Command palette: every screen and action by name"))
        table.add_row("↑ ↓ j k", _("Move in lists; enter opens, escape goes back"))
        tips = Text.assemble(
            "\n",
            (_("Search"), "bold"), ": ", _("type without accents: \"cai cach\" finds \"cải cách\"."), "\n",
            (_("Deadlines"), "bold"), ": 30/6/2022, Quý II/2022, Tháng 6/2022, Thường xuyên.", "\n",
            (_("Keys"), "bold"), ": ", _("remap any of them by id in the [keys] table of the config file."),
        )
        with VerticalScroll(id="help"):
            yield Static(Text(_("Keys on this screen"), style="bold"))
            yield Static(table)
            yield Static(tips)

    def action_close(self) -> None:
        self.dismiss(None)
