"""The evidence dialog takes a validity end: typed, checked, stored, and counted."""

from __future__ import annotations

from textual.widgets import Input

from planner.services.context import Context
from planner.services.evidence import list_evidence
from planner.tui.app import build_app
from planner.tui.screens.evidence_dialog import EvidenceDialog
from tests.tui.conftest import SIZE
from tests.tui.helpers import run_async, settle
from tests.tui.test_flows import open_task, type_into


@run_async
async def test_evidence_dialog_records_how_long_the_evidence_is_valid(ctx: Context) -> None:
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_task(pilot, "T03")
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        await type_into(pilot, dialog.query_one("#ev-doc", Input), "153/GCN-SGDDT")
        # An impossible date: the dialog stays, says which field, and nothing is written.
        await type_into(pilot, dialog.query_one("#ev-valid-until", Input), "31/02/2022")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "valid-until" in str(dialog.query_one("#dialog-error").render())
        assert list_evidence(ctx, target="T03") == []
        await type_into(pilot, dialog.query_one("#ev-valid-until", Input), "30/6/2022")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is detail
        rows = list_evidence(ctx, target="T03")
        assert [(r.doc_number, r.valid_until.isoformat() if r.valid_until else None)
                for r in rows] == [("153/GCN-SGDDT", "2022-06-30")]
