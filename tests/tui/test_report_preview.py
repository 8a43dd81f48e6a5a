"""The report preview: the weekly status as rendered for text, per office, and the keys that
write the PDF and the email file."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from textual.widgets import Input, Log, Select

from planner.reports.eml import subject
from planner.reports.model import build_weekly
from planner.reports.text import render_text
from planner.services.context import Context
from planner.tui.app import build_app
from planner.tui.screens.report_preview import ReportPreviewScreen
from tests.tui.conftest import SIZE
from tests.tui.helpers import run_async, settle


def _lines(app_screen: ReportPreviewScreen) -> list[str]:
    return [str(line).rstrip() for line in app_screen.query_one(Log).lines]


@run_async
async def test_preview_shows_the_text_report_and_writes_pdf_and_eml(ctx: Context, tmp_path: Path) -> None:
    app = build_app(ctx, mail_from="reform@example.org")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportPreviewScreen)
        lines = _lines(screen)
        assert lines == render_text(build_weekly(ctx, ctx.today)).splitlines()
        assert any("13.38" in line or "13,38" in line for line in lines)

        # One office's own view.
        screen.query_one("#report-office", Select).value = "TCCB"
        await settle(pilot)
        office_report = build_weekly(ctx, ctx.today, office="TCCB")
        assert _lines(screen) == render_text(office_report).splitlines()

        screen.query_one("#report-dir", Input).value = str(tmp_path)
        screen.query_one(Log).focus()
        await pilot.press("p")
        await settle(pilot)
        assert screen.exports == 1
        pdf = tmp_path / "weekly-status-2022-05-09-tccb.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")

        await pilot.press("m")
        await settle(pilot)
        assert screen.exports == 2
        eml = tmp_path / "weekly-status-2022-05-09-tccb.eml"
        msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
        assert msg["Subject"] == subject(office_report)
        assert msg["To"].addresses[0].addr_spec == office_report.office.email  # type: ignore[union-attr]
        assert any(part.get_content_type() == "application/pdf" for part in msg.iter_attachments())


@run_async
async def test_email_file_of_the_whole_plan_needs_a_recipient(ctx: Context, tmp_path: Path) -> None:
    app = build_app(ctx, mail_from="reform@example.org")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportPreviewScreen)
        screen.query_one("#report-dir", Input).value = str(tmp_path)
        await pilot.press("m")  # the department's report has no office head: an error, no file
        await settle(pilot)
        assert screen.exports == 0 and not list(tmp_path.glob("*.eml"))
        screen.query_one("#report-to", Input).value = "director@example.org"
        await pilot.press("m")
        await settle(pilot)
        assert screen.exports == 1
        msg = email.message_from_bytes((tmp_path / "weekly-status-2022-05-09.eml").read_bytes(),
                                       policy=policy.default)
        assert msg["To"].addresses[0].addr_spec == "director@example.org"


@run_async
async def test_report_from_the_command_palette(ctx: Context) -> None:
    from planner.tui.commands import PlannerCommands

    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = {name: run for name, run, _help in PlannerCommands(app.screen).commands()}
        names["Go to Report"]()
        await settle(pilot)
        assert isinstance(app.screen, ReportPreviewScreen)
