"""Changing how a criterion is scored after the index was imported: its method, and the
indicator a threshold criterion is read from (created when the plan has none of that code)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Input, Select

from planner.domain.facts import CriterionRule
from planner.i18n import _
from planner.services.context import Context
from planner.services.criteria_admin import METHODS, set_indicator, set_method
from planner.services.errors import InputError
from planner.tui.screens.form_dialog import FormDialog


class MethodDialog(FormDialog[object]):
    def __init__(self, ctx: Context, rule: CriterionRule) -> None:
        super().__init__(_("How {code} is scored: {title}").format(code=rule.code,
                                                                   title=rule.title))
        self.ctx = ctx
        self.rule = rule

    def compose_fields(self) -> ComposeResult:
        yield self.field(_("Method"))
        yield Select[str]([(m, m) for m in METHODS], value=self.rule.method
                          if self.rule.method in METHODS else METHODS[0],
                          allow_blank=False, id="method-choice")
        yield self.field(_("Indicator code (threshold only; empty: keep)"))
        yield Input(value=self.rule.indicator or "", id="method-indicator", compact=True)
        yield self.field(_("Indicator name (to create it when the plan has no such code)"))
        yield Input(id="method-indicator-name", compact=True)

    def collect(self) -> Callable[[], object]:
        method = str(self.query_one("#method-choice", Select).value)
        indicator = self.query_one("#method-indicator", Input).value.strip()
        name = self.query_one("#method-indicator-name", Input).value.strip() or None
        if indicator and method != "threshold":
            raise InputError(_("indicator: only a threshold criterion reads an indicator."))
        ctx, code = self.ctx, self.rule.code

        def save() -> object:
            result = set_method(ctx, code, method)
            if indicator and indicator != (self.rule.indicator or ""):
                return set_indicator(ctx, code, indicator, name=name)
            return result

        return save
