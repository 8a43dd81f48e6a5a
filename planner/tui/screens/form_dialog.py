"""A modal form whose service call runs in a worker: it closes on success and stays open,
with the service's message, on failure, so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from planner.i18n import _
from planner.services.errors import PlannerError
from planner.tui.literal import literal
from planner.tui.screens.base import error_text

if TYPE_CHECKING:
    from planner.tui.app import PlannerApp

T = TypeVar("T")


class FormDialog(ModalScreen[T | None], Generic[T]):
    DEFAULT_CSS = """
    FormDialog {
        align: center middle;
    }
    FormDialog > #dialog {
        width: 80;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 0 2;
    }
    FormDialog #dialog-title { text-style: bold; margin: 1 0; }
    FormDialog .field-label { margin-top: 1; color: $text-muted; width: 100%; }
    FormDialog #dialog-error { color: $error; height: auto; margin-top: 1; }
    FormDialog #dialog-buttons { height: auto; align-horizontal: right; margin: 1 0; }
    FormDialog #dialog-buttons Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="dialog.cancel"),
        Binding("ctrl+s", "submit", _("Save"), id="dialog.submit"),
    ]

    #: Whether success changed the plan (every screen then reloads).
    changes_plan = True

    class Finished(Message):
        def __init__(self, result: Any, error: BaseException | None) -> None:
            super().__init__()
            self.result = result
            self.error = error

    def __init__(self, title: str, *, submit_label: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.submit_label = submit_label or _("Save")
        self._busy = False

    @property
    def planner(self) -> PlannerApp:
        return cast("PlannerApp", self.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Label(literal(self.title_text), id="dialog-title")  # it names the record
            yield from self.compose_fields()
            yield Static("", id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button(self.submit_label, variant="primary", id="dialog-submit")
                yield Button(_("Cancel"), id="dialog-cancel")

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def collect(self) -> Callable[[], T]:
        """Read the fields (UI thread) and return the service call to run in a worker."""
        raise NotImplementedError

    @staticmethod
    def field(label: str) -> Label:
        return Label(label, classes="field-label")

    # ------------------------------------------------------------------ flow

    @on(Button.Pressed, "#dialog-submit")
    @on(Input.Submitted)
    def action_submit(self) -> None:
        if self._busy or (self.changes_plan and self.planner.refuse_write()):
            return
        try:
            job = self.collect()
        except PlannerError as exc:
            self.show_error(exc.message)
            return
        self._busy = True
        self.query_one("#dialog-submit", Button).disabled = True
        self._perform(job)

    @on(Button.Pressed, "#dialog-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(thread=True, exit_on_error=False)
    def _perform(self, job: Callable[[], T]) -> None:
        try:
            result = job()
        except Exception as exc:
            self.post_message(self.Finished(None, exc))
            return
        self.post_message(self.Finished(result, None))

    def on_form_dialog_finished(self, message: FormDialog.Finished) -> None:
        self._busy = False
        self.query_one("#dialog-submit", Button).disabled = False
        if message.error is not None:
            if not isinstance(message.error, PlannerError):
                self.log.error(repr(message.error))
            self.show_error(error_text(message.error))
            return
        if self.changes_plan:
            self.planner.announce_change()
        self.dismiss(message.result)

    def show_error(self, text: str) -> None:
        self.query_one("#dialog-error", Static).update(literal(text, multiline=True))
        self.notify(text, title=_("Not saved"), severity="error", timeout=8)
