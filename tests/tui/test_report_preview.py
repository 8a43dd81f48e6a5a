"""The report preview: the weekly status as rendered for text, per office, and the keys that
write the PDF and the email file, through Textual's deliver_binary, into the folder chosen once
(the `reports_dir` setting; the documents folder by default)."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Log, Select

from planner.reports.eml import subject
from planner.reports.model import build_weekly
from planner.reports.text import render_text
from planner.services.context import Context
from planner.tui.app import build_app
from planner.tui.screens.report_preview import ReportPreviewScreen
from tests.tui.conftest import SIZE
from tests.tui.helpers import run_async, screen_text, settle


async def delivered(pilot: Pilot[Any], screen: ReportPreviewScreen, exports: int) -> None:
    """Wait for Textual's delivery thread to write the file and say so."""
    for _ in range(200):
        await settle(pilot)
        if screen.exports >= exports:
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{exports} files not delivered; notifications: "
                         f"{[n.message for n in pilot.app._notifications]}")


def _lines(app_screen: ReportPreviewScreen) -> list[str]:
    return [str(line).rstrip() for line in app_screen.query_one(Log).lines]


@run_async
async def test_preview_shows_the_text_report_and_writes_pdf_and_eml(ctx: Context, tmp_path: Path) -> None:
    folder = tmp_path / "Báo cáo"  # not there yet: created on the first file
    app = build_app(ctx, mail_from="reform@example.org", reports_dir=folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportPreviewScreen)
        assert str(folder) in screen_text(app)  # where p and m write, said before
        lines = _lines(screen)
        assert lines == render_text(build_weekly(ctx, ctx.today)).splitlines()
        assert any("13.38" in line or "13,38" in line for line in lines)

        # One office's own view.
        screen.query_one("#report-office", Select).value = "TCCB"
        await settle(pilot)
        office_report = build_weekly(ctx, ctx.today, office="TCCB")
        assert _lines(screen) == render_text(office_report).splitlines()

        screen.query_one(Log).focus()
        await pilot.press("p")
        await delivered(pilot, screen, 1)
        pdf = folder / "weekly-status-2022-05-09-tccb.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        assert any(n.message == f"Written: {pdf}" for n in app._notifications)  # the full path

        await pilot.press("m")
        await delivered(pilot, screen, 2)
        eml = folder / "weekly-status-2022-05-09-tccb.eml"
        msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
        assert msg["Subject"] == subject(office_report)
        assert msg["To"].addresses[0].addr_spec == office_report.office.email  # type: ignore[union-attr]
        assert any(part.get_content_type() == "application/pdf" for part in msg.iter_attachments())


@run_async
async def test_email_file_of_the_whole_plan_needs_a_recipient(ctx: Context, tmp_path: Path) -> None:
    app = build_app(ctx, mail_from="reform@example.org", reports_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportPreviewScreen)
        await pilot.press("m")  # the department's report has no office head: an error, no file
        await settle(pilot)
        assert screen.exports == 0 and not list(tmp_path.glob("*.eml"))
        screen.query_one("#report-to", Input).value = "director@example.org"
        await pilot.press("m")
        await delivered(pilot, screen, 1)
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


@run_async
async def test_the_pdf_goes_to_the_documents_folder_by_default(
        ctx: Context, isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(isolated_home / "Tài liệu"))
    monkeypatch.chdir(isolated_home)
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportPreviewScreen)
        await pilot.press("p")
        await delivered(pilot, screen, 1)
        pdf = isolated_home / "Tài liệu" / "weekly-status-2022-05-09.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        assert not list(isolated_home.glob("*.pdf"))  # not the current directory


@run_async
async def test_the_folder_from_the_config_file(ctx: Context, isolated_home: Path) -> None:
    config = isolated_home / ".config" / "planner" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('reports_dir = "~/bao-cao"\n', encoding="utf-8")
    app = build_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportPreviewScreen)
        await pilot.press("p")
        await delivered(pilot, screen, 1)
        assert (isolated_home / "bao-cao" / "weekly-status-2022-05-09.pdf").exists()


@run_async
async def test_a_folder_that_cannot_be_made_is_reported(ctx: Context, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    app = build_app(ctx, reports_dir=blocker / "reports")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors and str(blocker / "reports") in errors[0]
        assert app.screen.exports == 0  # type: ignore[attr-defined]
