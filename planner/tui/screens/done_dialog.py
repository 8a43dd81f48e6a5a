"""When was it done? Marking a task done asks its completion date (today unless told otherwise,
any date a person types: 12/5/2022, hôm nay, -2d), as `planner task done --on` does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from planner.domain.schedule import DateError, parse_date
from planner.i18n import _
from planner.services.errors import ConflictError, InputError
from planner.tui.format import fmt_date
from planner.tui.screens.form_dialog import FormDialog

T = TypeVar("T")


class DoneDialog(FormDialog[T | ConflictError]):
    """Ask the completion date (and a note), then run `job(on, note)` in a worker.

    A date that is not one is refused in the dialog and nothing is written. A conflict
    (someone else changed the task meanwhile) closes the dialog with the `ConflictError` as its
    result, so the screen underneath can offer to reload.
    """

    DEFAULT_CSS = """
    DoneDialog #done-hint { height: 1; }
    """

    def __init__(self, key: str, today: date, year: int | None, job: Callable[[str, str], T]) -> None:
        super().__init__(_("Mark {key} done").format(key=key), submit_label=_("Mark done"))
        self.key = key
        self.today = today
        self.year = year
        self.job = job

    def compose_fields(self) -> ComposeResult:
        yield self.field(_("Done on (12/5/2022, today, -2d…)"))
        yield Input(fmt_date(self.today), id="done-on", compact=True)
        yield Static(self._hint(fmt_date(self.today)), id="done-hint")
        yield self.field(_("Note (optional, kept with the status change)"))
        yield Input(id="done-note", compact=True)

    def on_mount(self) -> None:
        self.query_one("#done-on", Input).focus()

    def _parse(self, text: str) -> date:
        return parse_date(text, today=self.today, year=self.year)

    def _hint(self, text: str) -> str:
        if not text.strip():
            return "[green]✓[/green] " + _("today, {date}").format(date=fmt_date(self.today))
        try:
            day = self._parse(text)
        except DateError as exc:
            return f"[red]✗ {exc.message}[/red]"
        if day > self.today:
            return "[dark_orange]⚠[/dark_orange] " + _("{date}: after today").format(date=fmt_date(day))
        return "[green]✓[/green] " + fmt_date(day)

    @on(Input.Changed, "#done-on")
    def _date_changed(self, event: Input.Changed) -> None:
        self.query_one("#done-hint", Static).update(self._hint(event.value))

    def collect(self) -> Callable[[], T | ConflictError]:
        text = self.query_one("#done-on", Input).value.strip()
        if text:
            try:
                self._parse(text)
            except DateError as exc:
                raise InputError(_("done on: {message}").format(message=str(exc))) from exc
        note = self.query_one("#done-note", Input).value
        job, on_date = self.job, text or fmt_date(self.today)
        return lambda: job(on_date, note)

    def on_form_dialog_finished(self, message: FormDialog.Finished) -> None:
        # Any other outcome goes on to FormDialog's handler (Textual calls it next, along the MRO).
        # The conflict is the result: the screen underneath, not this one, opens the next dialog.
        if isinstance(message.error, ConflictError):
            message.prevent_default()
            self.dismiss(message.error)
