"""Undoing a mistake from the screens: take back a review, reopen a task, correct or delete a
reading. Each asks for the reason (kept in the change log) and, where it matters, the date;
each passes the version it was opened at, so a change made meanwhile is refused."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Input, Static

from planner.i18n import _
from planner.services.context import Context
from planner.tui.format import fmt_date
from planner.tui.screens.form_dialog import FormDialog


class _ReasonDialog(FormDialog[object]):
    """A reason (required) and a date (empty: today), under a line saying what will happen."""

    reason_label = ""
    with_date = True

    def __init__(self, ctx: Context, title: str, explanation: str, submit: str) -> None:
        super().__init__(title, submit_label=submit)
        self.ctx = ctx
        self.explanation = explanation

    def compose_fields(self) -> ComposeResult:
        yield Static(self.explanation, classes="field-label")
        yield from self.compose_extra()
        yield self.field(self.reason_label or _("Reason (required; kept in the change log)"))
        yield Input(id="undo-reason", compact=True)
        if self.with_date:
            yield self.field(_("Date (empty: today, {date})").format(date=fmt_date(self.ctx.today)))
            yield Input(placeholder="09/05/2022", id="undo-date", compact=True)

    def compose_extra(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def reason(self) -> str:
        return self.query_one("#undo-reason", Input).value

    def day(self) -> str | None:
        if not self.with_date:
            return None
        return self.query_one("#undo-date", Input).value.strip() or None


class ReopenReviewDialog(_ReasonDialog):
    """Take back the acceptance or rejection of one piece of evidence."""

    def __init__(self, ctx: Context, evidence_id: int, version: int, state: str, label: str) -> None:
        accepted = state == "accepted"
        super().__init__(
            ctx,
            (_("Take back the acceptance of evidence {label}") if accepted else
             _("Take back the rejection of evidence {label}")).format(label=label),
            _("It awaits review again from the date given; the score as of an earlier date "
              "still counts the decision."),
            _("Take back"))
        self.evidence_id = evidence_id
        self.version = version

    def collect(self) -> Callable[[], object]:
        from planner.services.evidence import reopen_review

        ctx, evidence_id, version = self.ctx, self.evidence_id, self.version
        reason, on = self.reason(), self.day()
        return lambda: reopen_review(ctx, evidence_id, reason=reason, on=on,
                                     expected_version=version)


class ReopenTaskDialog(_ReasonDialog):
    """Reopen a task (or occurrence) marked done or cancelled by mistake."""

    def __init__(self, ctx: Context, key: str, version: int | None) -> None:
        super().__init__(
            ctx, _("Reopen {key}").format(key=key),
            _("It is in progress again from the date given; as of an earlier date it is still "
              "done."),
            _("Reopen"))
        self.key = key
        self.version = version

    def collect(self) -> Callable[[], object]:
        from planner.services.tasks import reopen_task

        ctx, key, version = self.ctx, self.key, self.version
        reason, on = self.reason(), self.day()
        return lambda: reopen_task(ctx, key, reason=reason, on=on, expected_version=version)


class CorrectReadingDialog(_ReasonDialog):
    """Correct a reading's value, date or source, for its own date."""

    with_date = False

    def __init__(self, ctx: Context, reading_id: int, version: int, indicator: str,
                 value: str, on: str, source: str) -> None:
        super().__init__(
            ctx, _("Correct the reading of {code} of {date}").format(code=indicator, date=on),
            _("The corrected figure counts from the reading's date on, in every score; the "
              "change log keeps the old one."),
            _("Correct"))
        self.reading_id = reading_id
        self.version = version
        self.values = (value, on, source)

    def compose_extra(self) -> ComposeResult:
        value, on, source = self.values
        yield self.field(_("Value (97,5% or counts such as 123/130)"))
        yield Input(value, id="reading-value", compact=True)
        yield self.field(_("Date of the reading"))
        yield Input(on, id="reading-date", compact=True)
        yield self.field(_("Source"))
        yield Input(source, id="reading-source", compact=True)

    def collect(self) -> Callable[[], object]:
        from planner.services.readings import correct_reading

        value, on, source = (self.query_one(f"#reading-{name}", Input).value
                             for name in ("value", "date", "source"))
        old_value, old_on, old_source = self.values
        changes = {
            "value": value if value.strip() != old_value else None,
            "on": on if on.strip() != old_on else None,
            "source": source if source != old_source else None,
        }
        ctx, reading_id, version, reason = self.ctx, self.reading_id, self.version, self.reason()
        return lambda: correct_reading(ctx, reading_id, reason=reason,
                                       expected_version=version, **changes)


class DeleteReadingDialog(_ReasonDialog):
    """Delete a reading recorded by mistake."""

    with_date = False

    def __init__(self, ctx: Context, reading_id: int, version: int, indicator: str,
                 described: str) -> None:
        super().__init__(
            ctx, _("Delete the reading of {code}: {reading}").format(code=indicator,
                                                                     reading=described),
            _("Scores from its date on read the reading before it; the change log keeps it."),
            _("Delete"))
        self.reading_id = reading_id
        self.version = version

    def collect(self) -> Callable[[], object]:
        from planner.services.readings import delete_reading

        ctx, reading_id, version, reason = self.ctx, self.reading_id, self.version, self.reason()
        return lambda: delete_reading(ctx, reading_id, reason=reason, expected_version=version)
