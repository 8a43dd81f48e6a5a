"""Reject evidence: the reason is required and goes back to the office that submitted it."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Input

from planner.i18n import _
from planner.services.context import Context
from planner.services.evidence import review
from planner.store.models import Evidence
from planner.tui.screens.form_dialog import FormDialog


class RejectDialog(FormDialog[Evidence]):
    def __init__(self, ctx: Context, evidence_id: int, version: int, label: str) -> None:
        super().__init__(_("Reject evidence {label}").format(label=label), submit_label=_("Reject"))
        self.ctx = ctx
        self.evidence_id = evidence_id
        self.version = version

    def compose_fields(self) -> ComposeResult:
        yield self.field(_("Why is it rejected? (the office reads this)"))
        yield Input(id="reject-reason", compact=True)

    def on_mount(self) -> None:
        self.query_one("#reject-reason", Input).focus()

    def collect(self) -> Callable[[], Evidence]:
        ctx, evidence_id, version = self.ctx, self.evidence_id, self.version
        reason = self.query_one("#reject-reason", Input).value
        return lambda: review(ctx, evidence_id, "rejected", reason=reason, expected_version=version)
