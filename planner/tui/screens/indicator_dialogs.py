"""Dialogs of the indicators screen: add a reading, confirm a condition, enter manual points."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Input, Select

from planner.domain.facts import CriterionRule
from planner.i18n import _
from planner.services.context import Context
from planner.services.errors import InputError
from planner.services.indicators import add_reading, confirm, enter_manual
from planner.tui.format import fmt_points
from planner.tui.literal import literal
from planner.tui.screens.form_dialog import FormDialog


class ReadingDialog(FormDialog[object]):
    def __init__(self, ctx: Context, indicator: str, name: str) -> None:
        super().__init__(_("New reading of {code}: {name}").format(code=indicator, name=name),
                         submit_label=_("Add"))
        self.ctx = ctx
        self.indicator = indicator

    def compose_fields(self) -> ComposeResult:
        yield self.field(_("Value (97,5% or counts such as 123/130)"))
        yield Input(id="reading-value", compact=True)
        yield self.field(_("Date of the reading (empty: today)"))
        yield Input(placeholder="30/4/2022", id="reading-date", compact=True)
        yield self.field(_("Source"))
        yield Input(id="reading-source", compact=True)

    def on_mount(self) -> None:
        self.query_one("#reading-value", Input).focus()

    def collect(self) -> Callable[[], object]:
        ctx, indicator = self.ctx, self.indicator
        value = self.query_one("#reading-value", Input).value
        on = self.query_one("#reading-date", Input).value.strip() or None
        source = self.query_one("#reading-source", Input).value
        return lambda: add_reading(ctx, indicator, value, on=on, source=source)


class ConfirmDialog(FormDialog[object]):
    def __init__(self, ctx: Context, rule: CriterionRule) -> None:
        super().__init__(_("Confirm {code}: {title}").format(code=rule.code, title=rule.title),
                         submit_label=_("Confirm"))
        self.ctx = ctx
        self.rule = rule

    def compose_fields(self) -> ComposeResult:
        yield self.field(_("Outcome"))
        yield Select[str]([(literal(f"{o.label} ({fmt_points(o.points)})"), o.key) for o in self.rule.outcomes],
                          prompt=_("choose the outcome"), id="confirm-outcome")
        yield self.field(_("Date (empty: today)"))
        yield Input(id="confirm-date", compact=True)
        yield self.field(_("Note (the document that shows it)"))
        yield Input(id="confirm-note", compact=True)

    def collect(self) -> Callable[[], object]:
        outcome = self.query_one("#confirm-outcome", Select).value
        if outcome is Select.NULL:
            raise InputError(_("outcome: choose one."))
        ctx, code = self.ctx, self.rule.code
        on = self.query_one("#confirm-date", Input).value.strip() or None
        note = self.query_one("#confirm-note", Input).value
        return lambda: confirm(ctx, code, str(outcome), on=on, note=note)


class ManualDialog(FormDialog[object]):
    def __init__(self, ctx: Context, rule: CriterionRule) -> None:
        super().__init__(_("Enter points for {code}: {title}").format(code=rule.code, title=rule.title),
                         submit_label=_("Enter"))
        self.ctx = ctx
        self.rule = rule

    def compose_fields(self) -> ComposeResult:
        yield self.field(_("Points (at most {max}) or a percentage of them (81%)").format(
            max=fmt_points(self.rule.max_points)))
        yield Input(id="manual-value", compact=True)
        yield self.field(_("Date (empty: today)"))
        yield Input(id="manual-date", compact=True)
        yield self.field(_("Note"))
        yield Input(id="manual-note", compact=True)

    def on_mount(self) -> None:
        self.query_one("#manual-value", Input).focus()

    def collect(self) -> Callable[[], object]:
        ctx, code = self.ctx, self.rule.code
        value = self.query_one("#manual-value", Input).value
        on = self.query_one("#manual-date", Input).value.strip() or None
        note = self.query_one("#manual-note", Input).value
        return lambda: enter_manual(ctx, code, value, on=on, note=note)
