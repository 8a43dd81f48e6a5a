"""Add a task to the plan: title, lead office, deadline, criteria and product."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Select

from planner.i18n import _
from planner.services.context import Context
from planner.services.tasks import add_task
from planner.tui.format import clip
from planner.tui.screens.form_dialog import FormDialog


class AddTaskDialog(FormDialog[str]):
    def __init__(self, ctx: Context, offices: Sequence[Any], *, office: str | None = None) -> None:
        super().__init__(_("Add a task"), submit_label=_("Add"))
        self.ctx = ctx
        self.offices = list(offices)
        self.office = office

    def compose_fields(self) -> ComposeResult:
        yield self.field(_("Title"))
        yield Input(id="new-title", compact=True)
        yield self.field(_("Lead office"))
        codes: list[str] = [o.code for o in self.offices]
        yield Select[str]([(clip(f"{o.code} {o.name}", 60), o.code) for o in self.offices],
                          prompt=_("choose the office that answers for it"),
                          value=self.office if self.office in codes else Select.NULL, id="new-lead")
        yield self.field(_("Deadline (30/6/2022, Quý II/2022, Tháng 6/2022, Thường xuyên)"))
        yield Input(id="new-due", compact=True)
        yield self.field(_("Criteria (codes, optionally with weights: 1.1.3, 3.3:2)"))
        yield Input(id="new-criteria", compact=True)
        yield self.field(_("Product (the document it produces)"))
        yield Input(id="new-product", compact=True)
        yield self.field(_("Effort in working days (optional: refines the tasks that matter most)"))
        yield Input(id="new-effort", compact=True)

    def on_mount(self) -> None:
        self.query_one("#new-title", Input).focus()

    def collect(self) -> Callable[[], str]:
        from planner.services.errors import InputError

        lead = self.query_one("#new-lead", Select).value
        if lead is Select.NULL:
            raise InputError(_("lead: choose the office that leads the task."))
        title = self.query_one("#new-title", Input).value
        due = self.query_one("#new-due", Input).value
        criteria = [self.query_one("#new-criteria", Input).value]
        product = self.query_one("#new-product", Input).value
        effort = self.query_one("#new-effort", Input).value
        ctx = self.ctx
        return lambda: add_task(ctx, title, lead=str(lead), due=due, criteria=criteria,
                                product=product, effort=effort).code
