"""Add evidence to a task occurrence: an official document, a file, a link or a note."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input

from planner.i18n import _
from planner.services.context import Context
from planner.services.evidence import EvidenceInput, add_evidence
from planner.store.models import Evidence
from planner.tui.screens.form_dialog import FormDialog


class EvidenceDialog(FormDialog[Evidence]):
    DEFAULT_CSS = """
    EvidenceDialog .pair { height: auto; }
    EvidenceDialog .pair > Vertical { height: auto; width: 1fr; margin-right: 1; }
    """

    def __init__(self, ctx: Context, target: str) -> None:
        super().__init__(_("Add evidence to {target}").format(target=target), submit_label=_("Add"))
        self.ctx = ctx
        self.target = target

    def compose_fields(self) -> ComposeResult:
        with Horizontal(classes="pair"):
            with Vertical():
                yield self.field(_("Document number"))
                yield Input(placeholder="123/QĐ-SGDĐT", id="ev-doc", compact=True)
            with Vertical():
                yield self.field(_("Document date"))
                yield Input(placeholder="30/6/2022", id="ev-date", compact=True)
        with Horizontal(classes="pair"):
            with Vertical():
                yield self.field(_("Issuer"))
                yield Input(placeholder=_("Sở GD&ĐT Hải Phòng"), id="ev-issuer", compact=True)
            with Vertical():
                # A certificate's term, a regulation superseded: the task needs new evidence after.
                yield self.field(_("Valid until"))
                yield Input(placeholder=_("no end"), id="ev-valid-until", compact=True)
        yield self.field(_("Title"))
        yield Input(id="ev-title", compact=True)
        yield self.field(_("File to attach (path)"))
        yield Input(placeholder="~/Documents/bao-cao.pdf", id="ev-file", compact=True)
        yield self.field(_("Link"))
        yield Input(placeholder="https://", id="ev-url", compact=True)
        yield self.field(_("Note"))
        yield Input(id="ev-note", compact=True)

    def on_mount(self) -> None:
        self.query_one("#ev-doc", Input).focus()

    def collect(self) -> Callable[[], Evidence]:
        def value(widget_id: str) -> str:
            return self.query_one(widget_id, Input).value

        path = value("#ev-file").strip()
        data = EvidenceInput(
            doc_number=value("#ev-doc"), doc_date=value("#ev-date"), issuer=value("#ev-issuer"),
            title=value("#ev-title"), file=Path(path).expanduser() if path else None,
            url=value("#ev-url"), note=value("#ev-note"), valid_until=value("#ev-valid-until"),
        )
        ctx, target = self.ctx, self.target
        return lambda: add_evidence(ctx, target, data)
